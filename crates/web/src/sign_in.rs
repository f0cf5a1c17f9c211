//! Setting up, signing in (password, then code), enrolling a second factor, signing out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{
    CodeError, EnrolmentError, NewSession, SessionStage, SetUpError, SetUpPractice, SignInError,
    Throttled,
};
use sensate_crypto::secrecy::SecretString;
use sensate_domain::accounts::Role;
use serde::Deserialize;

use crate::page::Chrome;
use crate::routes::Routes;
use crate::session::{Visitor, ended_cookie, session_cookie, with_cookie};
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/setup", setup_form, set_up)
        .get_and_post("/sign-in", sign_in_form, sign_in)
        .get_and_post("/sign-in/code", code_form, confirm_code)
        .get_and_post("/account/two-factor", enrolment_form, confirm_enrolment)
        .post("/sign-out", sign_out)
}

/// Where a fully signed-in person starts.
pub(crate) fn home_for(role: Role) -> &'static str {
    match role {
        Role::Owner | Role::Clinician => "/clinic",
        Role::Client => "/portal",
        Role::Verifier => "/verify",
    }
}

fn next_step(session: &NewSession) -> &'static str {
    match session.stage {
        SessionStage::CodeDue => "/sign-in/code",
        SessionStage::EnrolmentDue => "/account/two-factor",
        SessionStage::Full => home_for(session.role),
    }
}

fn throttled(throttled: Throttled, page: impl IntoResponse) -> Response {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    if let Ok(value) = HeaderValue::from_str(&throttled.seconds().to_string()) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}

fn wait_message(throttled: Throttled) -> String {
    let seconds = throttled.seconds();
    let wait = if seconds < 120 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", (seconds + 59) / 60)
    };
    format!(
        "There have been several unsuccessful attempts, so Sensate is pausing sign-in for a \
         little while to protect the account. Please try again in {wait}."
    )
}

// ---- Setup ------------------------------------------------------------------------

#[derive(Template, Default)]
#[template(path = "setup.html")]
struct SetupPage {
    chrome: Chrome,
    practice_name: String,
    owner_name: String,
    email: String,
    practice_name_error: Option<String>,
    owner_name_error: Option<String>,
    email_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    practice_name: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn setup_form(State(state): State<AppState>) -> Result<Response, WebError> {
    if !state.app.needs_setup().await? {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    Ok(Html(
        SetupPage {
            chrome: Chrome::plain(),
            ..SetupPage::default()
        }
        .render()?,
    )
    .into_response())
}

async fn set_up(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    let request = SetUpPractice {
        practice_name: form.practice_name.clone(),
        owner_name: form.owner_name.clone(),
        email: form.email.clone(),
        password: SecretString::from(form.password),
    };
    match state.app.set_up(request, &visitor.audit).await {
        Ok(session) => Ok(with_cookie(
            session_cookie(&session.token),
            Redirect::to(next_step(&session)),
        )),
        Err(SetUpError::AlreadySetUp) => Ok(Redirect::to("/sign-in").into_response()),
        Err(SetUpError::Invalid {
            practice_name,
            owner_name,
            email,
            password,
        }) => {
            let page = SetupPage {
                chrome: Chrome::plain(),
                practice_name: form.practice_name,
                owner_name: form.owner_name,
                email: form.email,
                practice_name_error: practice_name.map(|e| e.to_string()),
                owner_name_error: owner_name.map(|e| e.to_string()),
                email_error: email.map(|e| e.to_string()),
                password_error: password.map(|e| e.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(SetUpError::App(error)) => Err(error.into()),
    }
}

// ---- Password -----------------------------------------------------------------------

#[derive(Template, Default)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn sign_in_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, WebError> {
    if state.app.needs_setup().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    if let Some(signed_in) = visitor.signed_in
        && signed_in.stage == SessionStage::Full
    {
        return Ok(Redirect::to(home_for(signed_in.role)).into_response());
    }
    Ok(Html(
        SignInPage {
            chrome: Chrome::plain(),
            ..SignInPage::default()
        }
        .render()?,
    )
    .into_response())
}

async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let page = |error: String| SignInPage {
        chrome: Chrome::plain(),
        email: form.email.clone(),
        error: Some(error),
    };
    if form.email.trim().is_empty() || form.password.is_empty() {
        let page = page("Enter your email address and your password.".into());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let password = SecretString::from(form.password.clone());
    match state
        .app
        .sign_in(&form.email, password, visitor.ip, &visitor.audit)
        .await
    {
        Ok(session) => Ok(with_cookie(
            session_cookie(&session.token),
            Redirect::to(next_step(&session)),
        )),
        Err(SignInError::Refused) => {
            let page = page(
                "That email address and password do not match an account. Check both and try again."
                    .into(),
            );
            Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response())
        }
        Err(SignInError::Throttled(wait)) => {
            Ok(throttled(wait, Html(page(wait_message(wait)).render()?)))
        }
        Err(SignInError::App(error)) => Err(error.into()),
    }
}

// ---- Code ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    chrome: Chrome,
    csrf: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn code_form(visitor: Visitor) -> Result<Response, WebError> {
    let Some(signed_in) = visitor.signed_in else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    if signed_in.stage != SessionStage::CodeDue {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    Ok(Html(
        CodePage {
            chrome: Chrome::plain(),
            csrf: signed_in.csrf_token().to_owned(),
            error: None,
        }
        .render()?,
    )
    .into_response())
}

async fn confirm_code(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let Some(signed_in) = visitor.signed_in else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    if signed_in.stage != SessionStage::CodeDue {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    let page = |error: String| CodePage {
        chrome: Chrome::plain(),
        csrf: signed_in.csrf_token().to_owned(),
        error: Some(error),
    };
    match state
        .app
        .confirm_code(&signed_in, &form.code, visitor.ip, &visitor.audit)
        .await
    {
        Ok(session) => Ok(with_cookie(
            session_cookie(&session.token),
            Redirect::to(next_step(&session)),
        )),
        Err(CodeError::Throttled(wait)) => {
            Ok(throttled(wait, Html(page(wait_message(wait)).render()?)))
        }
        Err(CodeError::App(error)) => Err(error.into()),
        Err(refused) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(page(refused.to_string()).render()?),
        )
            .into_response()),
    }
}

// ---- Enrolment ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "two_factor.html")]
struct EnrolmentPage {
    chrome: Chrome,
    csrf: String,
    secret: String,
    grouped_secret: String,
    qr_svg: String,
    replacing: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    chrome: Chrome,
    codes: Vec<String>,
    next: &'static str,
}

#[derive(Deserialize)]
struct EnrolmentForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

async fn enrolment_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, WebError> {
    let Some(signed_in) = visitor.signed_in else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    if signed_in.stage == SessionStage::CodeDue {
        return Ok(Redirect::to("/sign-in/code").into_response());
    }
    let enrolment = state.app.begin_enrolment(&signed_in).await?;
    Ok(Html(
        EnrolmentPage {
            chrome: Chrome::plain(),
            csrf: signed_in.csrf_token().to_owned(),
            grouped_secret: enrolment.display_key,
            secret: enrolment.secret,
            qr_svg: enrolment.qr_svg,
            replacing: signed_in.has_second_factor,
            error: None,
        }
        .render()?,
    )
    .into_response())
}

async fn confirm_enrolment(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<EnrolmentForm>,
) -> Result<Response, WebError> {
    let Some(signed_in) = visitor.signed_in else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    if signed_in.stage == SessionStage::CodeDue {
        return Ok(Redirect::to("/sign-in/code").into_response());
    }
    match state
        .app
        .confirm_enrolment(&signed_in, &form.secret, &form.code, &visitor.audit)
        .await
    {
        Ok((codes, session)) => {
            let page = RecoveryCodesPage {
                chrome: Chrome::plain(),
                codes,
                next: home_for(session.role),
            };
            Ok(with_cookie(
                session_cookie(&session.token),
                Html(page.render()?),
            ))
        }
        Err(EnrolmentError::App(error)) => Err(error.into()),
        Err(refused) => {
            let person = state.app.person(signed_in.account_id).await?;
            let label = person
                .map(|p| {
                    use sensate_crypto::secrecy::ExposeSecret;
                    p.email.expose_secret().to_owned()
                })
                .unwrap_or_default();
            let Some(enrolment) = state.app.resume_enrolment(&form.secret, &label) else {
                return Ok(Redirect::to("/account/two-factor").into_response());
            };
            let page = EnrolmentPage {
                chrome: Chrome::plain(),
                csrf: signed_in.csrf_token().to_owned(),
                grouped_secret: enrolment.display_key,
                secret: enrolment.secret,
                qr_svg: enrolment.qr_svg,
                replacing: signed_in.has_second_factor,
                error: Some(refused.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

// ---- Sign out -----------------------------------------------------------------------

async fn sign_out(State(state): State<AppState>, visitor: Visitor) -> Result<Response, WebError> {
    if let Some(signed_in) = &visitor.signed_in {
        state.app.sign_out(signed_in, &visitor.audit).await?;
    }
    Ok(with_cookie(
        ended_cookie(),
        Redirect::to("/sign-in?signed-out"),
    ))
}
