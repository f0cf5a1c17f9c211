//! The clinician app: caseload, sessions, plans and notes for the therapist. For now:
//! the caseload's empty state and inviting a client.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{Invite, InviteError};
use sensate_domain::access::{Intent, Resource};
use sensate_domain::accounts::Role;
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/clinic", caseload)
        .post("/clinic/invite", invite_client)
}

#[derive(Template)]
#[template(path = "clinic.html")]
struct CaseloadPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    form_name: String,
    form_email: String,
    name_error: Option<String>,
    email_error: Option<String>,
}

impl CaseloadPage {
    fn new(member: &Member) -> Self {
        Self {
            chrome: Chrome::member(Section::Clinic, member),
            notice: None,
            form_name: String::new(),
            form_email: String::new(),
            name_error: None,
            email_error: None,
        }
    }
}

fn clinician_app(member: &Member) -> Result<(), WebError> {
    member.may(
        Intent::Read,
        &Resource::ClinicianApp {
            practice: member.practice()?,
        },
    )
}

#[derive(Deserialize)]
struct CaseloadQuery {
    #[serde(default)]
    invited: Option<String>,
}

async fn caseload(
    member: Member,
    Query(query): Query<CaseloadQuery>,
) -> Result<Html<String>, WebError> {
    clinician_app(&member)?;
    let mut page = CaseloadPage::new(&member);
    if query.invited.is_some() {
        page.notice = Some("The invitation is on its way.");
    }
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

async fn invite_client(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    clinician_app(&member)?;
    let invite = Invite {
        role: Role::Client,
        name: form.name.clone(),
        email: form.email.clone(),
    };
    let mut page = CaseloadPage::new(&member);
    page.form_name = form.name;
    page.form_email = form.email;
    match state
        .app
        .invite(
            &member.signed_in,
            invite,
            &state.settings.public_url,
            &member.audit,
        )
        .await
    {
        Ok(()) => return Ok(Redirect::to("/clinic?invited").into_response()),
        Err(InviteError::Invalid { name, email }) => {
            page.name_error = name.map(|e| e.to_string());
            page.email_error = email.map(|e| e.to_string());
        }
        Err(InviteError::EmailInUse) => {
            page.email_error = Some("That email address already has an account.".into());
        }
        Err(InviteError::NotAllowed) => return Err(WebError::NotFound),
        Err(InviteError::App(error)) => return Err(error.into()),
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
