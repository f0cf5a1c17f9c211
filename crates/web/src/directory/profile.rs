//! `GET /directory/therapists/{id}`: a therapist's public profile, with exactly what was
//! verified and when, a form to get in touch, and a link to report a concern. Drafts,
//! held and suspended profiles, and profiles whose licence was never verified, answer
//! as missing.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sensate_app::{ContactError, ContactForm, PublicProfile};
use sensate_directory::verification::Badge;
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::session::Visitor;
use crate::{AppState, WebError};

/// A badge as the page shows it.
struct BadgeRow {
    what: String,
    statement: String,
    current: bool,
}

/// The contact form's state: what was typed, what needs attention, or that it went.
#[derive(Default)]
struct ContactState {
    alias: String,
    reply_to: String,
    message: String,
    problems: Vec<String>,
    sent: bool,
}

#[derive(Template)]
#[template(path = "directory/profile.html")]
struct ProfilePage {
    chrome: Chrome,
    id: String,
    view: PublicProfile,
    badges: Vec<BadgeRow>,
    fees: Option<String>,
    insurance: String,
    token: String,
    contact: ContactState,
}

fn profile_id(id: &str) -> Result<Uuid, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    id: Uuid,
    contact: ContactState,
) -> Result<ProfilePage, WebError> {
    let view = state
        .app
        .public_profile(id)
        .await?
        .ok_or(WebError::NotFound)?;
    let badges = view
        .badges
        .iter()
        .filter_map(|(what, badge)| match badge {
            Badge::Current { statement } => Some(BadgeRow {
                what: what.clone(),
                statement: statement.clone(),
                current: true,
            }),
            Badge::Expired { statement } => Some(BadgeRow {
                what: what.clone(),
                statement: statement.clone(),
                current: false,
            }),
            Badge::NotShown => None,
        })
        .collect();
    let fees = view.fees.clone();
    let insurance = view.profile.insurance.join(", ");
    Ok(ProfilePage {
        chrome: Chrome::visitor(Section::Directory, visitor),
        id: id.to_string(),
        badges,
        fees,
        insurance,
        token: state.app.contact_form_token(),
        contact,
        view,
    })
}

pub(super) async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = profile_id(&id)?;
    Ok(Html(
        render(&state, &visitor, id, ContactState::default())
            .await?
            .render()?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ContactFields {
    alias: String,
    reply_to: String,
    message: String,
    token: String,
    website: String,
}

pub(super) async fn contact(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(fields): Form<ContactFields>,
) -> Result<Response, WebError> {
    let id = profile_id(&id)?;
    let form = ContactForm {
        alias: fields.alias.clone(),
        reply_to: fields.reply_to.clone(),
        message: fields.message.clone(),
        token: fields.token,
        website: fields.website,
    };
    let typed = ContactState {
        alias: fields.alias,
        reply_to: fields.reply_to,
        message: fields.message,
        ..ContactState::default()
    };
    let (status, contact) = match state.app.send_contact_request(id, &form, visitor.ip).await {
        Ok(()) => (
            StatusCode::OK,
            ContactState {
                sent: true,
                ..ContactState::default()
            },
        ),
        Err(ContactError::Invalid(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ContactState {
                problems: problems.into_iter().map(|(_, message)| message).collect(),
                ..typed
            },
        ),
        Err(ContactError::TooMany(message)) => (
            StatusCode::TOO_MANY_REQUESTS,
            ContactState {
                problems: vec![message],
                ..typed
            },
        ),
        Err(ContactError::NotFound) => return Err(WebError::NotFound),
        Err(ContactError::App(error)) => return Err(error.into()),
    };
    let page = render(&state, &visitor, id, contact).await?;
    Ok((status, Html(page.render()?)).into_response())
}
