//! Changing a password while signed in, and resetting a forgotten one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{PasswordChangeError, ResetError};
use sensate_crypto::secrecy::SecretString;
use serde::Deserialize;

use crate::page::Chrome;
use crate::routes::Routes;
use crate::session::{Member, Visitor, session_cookie, with_cookie};
use crate::sign_in::home_for;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/account/password", change_form, change)
        .get_and_post("/password-reset", request_form, request)
        .get_and_post("/password-reset/{token}", reset_form, reset)
}

#[derive(Template)]
#[template(path = "password_change.html")]
struct ChangePage {
    chrome: Chrome,
    csrf: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

async fn change_form(member: Member) -> Result<Html<String>, WebError> {
    Ok(Html(
        ChangePage {
            chrome: Chrome::member(crate::page::Section::None, &member),
            csrf: member.signed_in.csrf_token().to_owned(),
            error: None,
        }
        .render()?,
    ))
}

async fn change(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    match state
        .app
        .change_password(
            &member.signed_in,
            SecretString::from(form.current),
            SecretString::from(form.password),
            &member.audit,
        )
        .await
    {
        Ok(session) => Ok(with_cookie(
            session_cookie(&session.token),
            Redirect::to(home_for(session.role)),
        )),
        Err(PasswordChangeError::App(error)) => Err(error.into()),
        Err(refused) => {
            let page = ChangePage {
                chrome: Chrome::member(crate::page::Section::None, &member),
                csrf: member.signed_in.csrf_token().to_owned(),
                error: Some(refused.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "reset_request.html")]
struct RequestPage {
    chrome: Chrome,
    sent: bool,
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(default)]
    email: String,
}

async fn request_form() -> Result<Html<String>, WebError> {
    Ok(Html(
        RequestPage {
            chrome: Chrome::plain(),
            sent: false,
        }
        .render()?,
    ))
}

async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<RequestForm>,
) -> Result<Html<String>, WebError> {
    state
        .app
        .request_password_reset(&form.email, &state.settings.public_url, &visitor.audit)
        .await?;
    // The same answer whether or not the address has an account.
    Ok(Html(
        RequestPage {
            chrome: Chrome::plain(),
            sent: true,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    chrome: Chrome,
    usable: bool,
    token: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
}

fn unusable() -> Result<Response, WebError> {
    let page = ResetPage {
        chrome: Chrome::plain(),
        usable: false,
        token: String::new(),
        error: None,
    };
    Ok((StatusCode::NOT_FOUND, Html(page.render()?)).into_response())
}

async fn reset_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !state.app.reset_link_is_usable(&token).await? {
        return unusable();
    }
    Ok(Html(
        ResetPage {
            chrome: Chrome::plain(),
            usable: true,
            token,
            error: None,
        }
        .render()?,
    )
    .into_response())
}

async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    match state
        .app
        .reset_password(&token, SecretString::from(form.password), &visitor.audit)
        .await
    {
        Ok(()) => Ok(Redirect::to("/sign-in?password-changed").into_response()),
        Err(ResetError::Unusable) => unusable(),
        Err(ResetError::App(error)) => Err(error.into()),
        Err(ResetError::Rejected(reason)) => {
            let page = ResetPage {
                chrome: Chrome::plain(),
                usable: true,
                token,
                error: Some(reason.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
