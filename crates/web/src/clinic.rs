//! The clinician app's other actions. For now: inviting a client to the portal from
//! the caseload page (the caseload and cases themselves are in `cases.rs`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{Invite, InviteError};
use sensate_domain::accounts::Role;
use serde::Deserialize;

use crate::cases::{Filters, caseload_page};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().post("/clinic/invite", invite_client)
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
    member.in_clinician_app()?;
    let invite = Invite {
        role: Role::Client,
        name: form.name.clone(),
        email: form.email.clone(),
        client: None,
    };
    let mut page = caseload_page(&state, &member, &Filters::default()).await?;
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
        Err(InviteError::NotAllowed | InviteError::AlreadyInPortal) => {
            return Err(WebError::NotFound);
        }
        Err(InviteError::App(error)) => return Err(error.into()),
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
