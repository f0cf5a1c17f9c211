//! Informed consent: the owner's editor for the practice's document (every saved change
//! a new version), and the client's pages to read and sign it, and to agree to their
//! couple case's secrets policy.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{ConsentDocument, Published, SignError};
use sensate_domain::CaseId;
use sensate_domain::access::{Intent, Resource};
use sensate_domain::cases::SecretsPolicy;
use sensate_domain::consent::Block;
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/admin/consent", editor, publish)
        .get_and_post("/portal/consent", read_consent, sign_consent)
        .get_and_post(
            "/portal/cases/{id}/secrets-policy",
            read_policy,
            agree_to_policy,
        )
}

fn owner(member: &Member) -> Result<(), WebError> {
    member.may(
        Intent::Write,
        &Resource::PracticeAdministration {
            practice: member.practice()?,
        },
    )
}

struct VersionRow {
    version: i64,
    published: String,
    hash: String,
    by_us: bool,
}

#[derive(Template)]
#[template(path = "consent_editor.html")]
struct EditorPage {
    chrome: Chrome,
    notice: Option<String>,
    error: Option<String>,
    version: i64,
    title: String,
    body: String,
    blocks: Vec<Block>,
    versions: Vec<VersionRow>,
}

#[derive(Deserialize, Default)]
struct EditorQuery {
    #[serde(default)]
    published: Option<i64>,
    #[serde(default)]
    unchanged: Option<String>,
}

async fn editor_page(
    state: &AppState,
    member: &Member,
    notice: Option<String>,
) -> Result<EditorPage, WebError> {
    let versions = state
        .app
        .consent_versions(&member.signed_in, &member.audit)
        .await?;
    let current = versions.first().cloned().ok_or(WebError::NotFound)?;
    Ok(EditorPage {
        chrome: Chrome::member(Section::Admin, member),
        notice,
        error: None,
        version: current.version,
        title: current.text.title.clone(),
        body: current.text.body.clone(),
        blocks: current.blocks(),
        versions: versions.iter().map(version_row).collect(),
    })
}

fn version_row(document: &ConsentDocument) -> VersionRow {
    VersionRow {
        version: document.version,
        published: document.published_at.date().to_string(),
        hash: document.content_hash.chars().take(12).collect(),
        by_us: document.is_default,
    }
}

async fn editor(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<EditorQuery>,
) -> Result<Html<String>, WebError> {
    owner(&member)?;
    let notice = match (query.published, query.unchanged) {
        (Some(version), _) => Some(format!(
            "Version {version} is published. Clients who signed an earlier version will be asked to sign again."
        )),
        (None, Some(_)) => Some("Nothing changed, so no new version was made.".to_owned()),
        _ => None,
    };
    Ok(Html(editor_page(&state, &member, notice).await?.render()?))
}

#[derive(Deserialize)]
struct EditorForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn publish(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    owner(&member)?;
    match state
        .app
        .publish_consent(&member.signed_in, &form.title, &form.body, &member.audit)
        .await?
    {
        Ok(Published::Version(version)) => {
            Ok(Redirect::to(&format!("/admin/consent?published={version}")).into_response())
        }
        Ok(Published::Unchanged) => Ok(Redirect::to("/admin/consent?unchanged").into_response()),
        Err(error) => {
            let mut page = editor_page(&state, &member, None).await?;
            page.error = Some(error.to_string());
            page.title = form.title;
            page.body = form.body;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "consent_sign.html")]
struct SignPage {
    chrome: Chrome,
    document_id: String,
    version: i64,
    title: String,
    blocks: Vec<Block>,
    signed_earlier: bool,
    signed_now: bool,
    name: String,
    error: Option<String>,
}

async fn sign_page(
    state: &AppState,
    member: &Member,
    error: Option<String>,
    name: String,
) -> Result<SignPage, WebError> {
    let waiting = state.app.waiting(&member.signed_in, &member.audit).await?;
    let practice = member.practice()?;
    let (document, signed_earlier, signed_now) = match waiting.consent {
        Some((document, earlier)) => (document, earlier, false),
        None => (
            state.app.current_consent(practice, &member.audit).await?,
            false,
            true,
        ),
    };
    Ok(SignPage {
        chrome: Chrome::member(Section::Portal, member),
        document_id: document.id.to_string(),
        version: document.version,
        title: document.text.title.clone(),
        blocks: document.blocks(),
        signed_earlier,
        signed_now,
        name,
        error,
    })
}

async fn read_consent(
    State(state): State<AppState>,
    member: Member,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    Ok(Html(
        sign_page(&state, &member, None, String::new())
            .await?
            .render()?,
    ))
}

#[derive(Deserialize)]
struct SignForm {
    #[serde(default)]
    document: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    agree: Option<String>,
}

fn refused(error: SignError) -> Result<String, WebError> {
    match error {
        SignError::App(error) => Err(error.into()),
        SignError::NotAllowed => Err(WebError::NotFound),
        other => Ok(other.to_string()),
    }
}

async fn sign_consent(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<SignForm>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    // A mangled id cannot match the current version: it is answered as a changed one.
    let shown = form.document.parse::<Uuid>().unwrap_or_default();
    let result = state
        .app
        .sign_consent(
            &member.signed_in,
            shown,
            &form.name,
            form.agree.is_some(),
            &member.audit,
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/portal?signed").into_response()),
        Err(error) => {
            let message = refused(error)?;
            let page = sign_page(&state, &member, Some(message), form.name).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "secrets_policy.html")]
struct PolicyPage {
    chrome: Chrome,
    case_id: String,
    policy: SecretsPolicy,
    agreed: bool,
    error: Option<String>,
}

async fn policy_page(
    state: &AppState,
    member: &Member,
    id: &str,
    error: Option<String>,
) -> Result<PolicyPage, WebError> {
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let policy = state
        .app
        .secrets_policy_for(&member.signed_in, case)
        .await?
        .ok_or(WebError::NotFound)?;
    let waiting = state.app.waiting(&member.signed_in, &member.audit).await?;
    Ok(PolicyPage {
        chrome: Chrome::member(Section::Portal, member),
        case_id: case.to_string(),
        policy,
        agreed: !waiting.policies.iter().any(|w| w.case_id == case),
        error,
    })
}

async fn read_policy(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    Ok(Html(
        policy_page(&state, &member, &id, None).await?.render()?,
    ))
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    policy: String,
    #[serde(default)]
    agree: Option<String>,
}

async fn agree_to_policy(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<PolicyForm>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let result = state
        .app
        .agree_to_secrets_policy(
            &member.signed_in,
            case,
            &form.policy,
            form.agree.is_some(),
            &member.audit,
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/portal?agreed").into_response()),
        Err(error) => {
            let message = refused(error)?;
            let page = policy_page(&state, &member, &id, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
