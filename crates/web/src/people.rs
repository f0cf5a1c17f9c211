//! The owner's people pages: invite, see who is in the practice, deactivate a
//! clinician, and read the outbox. Also the invitation link's own page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{AcceptError, Invite, InviteError};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_domain::AccountId;
use sensate_domain::access::{Intent, Resource};
use sensate_domain::accounts::Role;
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::{Member, Visitor, session_cookie, with_cookie};
use crate::sign_in::home_for;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/admin/people", people)
        .post("/admin/people/invite", invite)
        .post("/admin/people/{id}/deactivate", deactivate)
        .get("/admin/outbox", outbox)
        .get_and_post("/invitations/{token}", invitation, accept)
}

struct PersonRow {
    id: String,
    name: String,
    email: String,
    role: &'static str,
    two_factor: bool,
    active: bool,
    can_deactivate: bool,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    notice: Option<String>,
    people: Vec<PersonRow>,
    form_name: String,
    form_email: String,
    name_error: Option<String>,
    email_error: Option<String>,
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Owner => "Owner",
        Role::Clinician => "Clinician",
        Role::Client => "Client",
        Role::Verifier => "Verifier",
    }
}

async fn owner_practice(member: &Member) -> Result<(), WebError> {
    let practice = member.practice()?;
    member.may(
        Intent::Write,
        &Resource::PracticeAdministration { practice },
    )
}

async fn people_page(
    state: &AppState,
    member: &Member,
    notice: Option<String>,
) -> Result<PeoplePage, WebError> {
    let people = state
        .app
        .practice_people(&member.signed_in)
        .await?
        .into_iter()
        .map(|person| PersonRow {
            id: person.id.to_string(),
            name: person.name.expose_secret().to_owned(),
            email: person.email.expose_secret().to_owned(),
            role: role_words(person.role),
            two_factor: person.has_second_factor,
            active: person.active,
            can_deactivate: person.role == Role::Clinician,
        })
        .collect();
    Ok(PeoplePage {
        chrome: Chrome::member(Section::Admin, member),
        notice,
        people,
        form_name: String::new(),
        form_email: String::new(),
        name_error: None,
        email_error: None,
    })
}

#[derive(Deserialize)]
struct NoticeQuery {
    #[serde(default)]
    sent: Option<String>,
    #[serde(default)]
    deactivated: Option<String>,
}

async fn people(
    State(state): State<AppState>,
    member: Member,
    axum::extract::Query(query): axum::extract::Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    owner_practice(&member).await?;
    let notice = if query.sent.is_some() {
        Some("The invitation is on its way. You can read it in the outbox.".to_owned())
    } else if query.deactivated.is_some() {
        Some("Deactivated. They were signed out everywhere and cannot sign in again.".to_owned())
    } else {
        None
    };
    Ok(Html(people_page(&state, &member, notice).await?.render()?))
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    owner_practice(&member).await?;
    let role = match form.role.as_str() {
        "client" => Role::Client,
        _ => Role::Clinician,
    };
    let request = Invite {
        role,
        name: form.name.clone(),
        email: form.email.clone(),
        client: None,
    };
    let refused = |page: PeoplePage| -> Result<Response, WebError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    match state
        .app
        .invite(
            &member.signed_in,
            request,
            &state.settings.public_url,
            &member.audit,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/people?sent").into_response()),
        Err(InviteError::Invalid { name, email }) => {
            let mut page = people_page(&state, &member, None).await?;
            page.form_name = form.name;
            page.form_email = form.email;
            page.name_error = name.map(|e| e.to_string());
            page.email_error = email.map(|e| e.to_string());
            refused(page)
        }
        Err(InviteError::EmailInUse) => {
            let mut page = people_page(&state, &member, None).await?;
            page.form_name = form.name;
            page.form_email = form.email;
            page.email_error = Some("That email address already has an account.".into());
            refused(page)
        }
        Err(InviteError::NotAllowed | InviteError::AlreadyInPortal) => Err(WebError::NotFound),
        Err(InviteError::App(error)) => Err(error.into()),
    }
}

async fn deactivate(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    owner_practice(&member).await?;
    let id: AccountId = id.parse().map_err(|_| WebError::NotFound)?;
    if state
        .app
        .deactivate_clinician(&member.signed_in, id, &member.audit)
        .await?
    {
        Ok(Redirect::to("/admin/people?deactivated").into_response())
    } else {
        Err(WebError::NotFound)
    }
}

struct MessageRow {
    to: String,
    subject: String,
    body: String,
    created: String,
    delivered: bool,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    messages: Vec<MessageRow>,
}

async fn outbox(State(state): State<AppState>, member: Member) -> Result<Html<String>, WebError> {
    owner_practice(&member).await?;
    let messages = state
        .app
        .outbox(&member.signed_in)
        .await?
        .into_iter()
        .map(|message| MessageRow {
            to: message.to.expose_secret().to_owned(),
            subject: message.subject.expose_secret().to_owned(),
            body: message.body.expose_secret().to_owned(),
            created: message
                .created_at
                .format(&time::format_description::well_known::Rfc2822)
                .unwrap_or_default(),
            delivered: message.delivered_at.is_some(),
        })
        .collect();
    Ok(Html(
        OutboxPage {
            chrome: Chrome::member(Section::Admin, &member),
            messages,
        }
        .render()?,
    ))
}

struct InviteView {
    name: String,
    email: String,
    practice_name: String,
    role_words: &'static str,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    invite: Option<InviteView>,
    token: String,
    error: Option<String>,
}

async fn invitation_page(
    state: &AppState,
    token: &str,
    error: Option<String>,
) -> Result<InvitationPage, WebError> {
    let invite = state
        .app
        .open_invitation(token)
        .await?
        .map(|view| InviteView {
            name: view.name.expose_secret().to_owned(),
            email: view.email.expose_secret().to_owned(),
            practice_name: view.practice_name,
            role_words: match view.role {
                Role::Client => "a client",
                _ => "a clinician",
            },
        });
    Ok(InvitationPage {
        chrome: Chrome::plain(),
        token: if invite.is_some() {
            token.to_owned()
        } else {
            String::new()
        },
        invite,
        error,
    })
}

async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let page = invitation_page(&state, &token, None).await?;
    let status = if page.invite.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    password: String,
}

async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, WebError> {
    match state
        .app
        .accept_invitation(&token, SecretString::from(form.password), &visitor.audit)
        .await
    {
        Ok(session) => {
            let next = match session.stage {
                sensate_app::SessionStage::Full => home_for(session.role),
                _ => "/account/two-factor",
            };
            Ok(with_cookie(
                session_cookie(&session.token),
                Redirect::to(next),
            ))
        }
        Err(AcceptError::App(error)) => Err(error.into()),
        Err(AcceptError::Unusable) => {
            let page = invitation_page(&state, "", None).await?;
            Ok((StatusCode::NOT_FOUND, Html(page.render()?)).into_response())
        }
        Err(refused) => {
            let page = invitation_page(&state, &token, Some(refused.to_string())).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
