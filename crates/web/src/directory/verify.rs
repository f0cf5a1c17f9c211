//! `/verify`: the directory verifier's work — credentials to check, profiles held by
//! moderation (with the matching phrases marked), and reported concerns, with the
//! power to suspend a profile at once. Verifiers see no clinical record.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{
    CredentialDecision, DirectoryError, HeldProfile, QueuedCredential, ReportView, Standing,
};
use sensate_domain::access::{Intent, Resource};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::session::Member;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "directory/verify.html")]
struct VerifyPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    problems: Vec<String>,
    credentials: Vec<QueuedCredential>,
    held: Vec<HeldProfile>,
    reports: Vec<ReportView>,
}

fn verifier(member: &Member) -> Result<(), WebError> {
    member.may(Intent::Write, &Resource::CredentialReview)
}

async fn render(
    state: &AppState,
    member: &Member,
    notice: Option<&'static str>,
    problems: Vec<String>,
) -> Result<VerifyPage, WebError> {
    Ok(VerifyPage {
        chrome: Chrome::member(Section::None, member),
        notice,
        problems,
        credentials: state.app.credential_queue(&member.signed_in).await?,
        held: state.app.held_profiles(&member.signed_in).await?,
        reports: state
            .app
            .concern_reports(&member.signed_in, &member.audit)
            .await?,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Done {
    done: Option<String>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    member: Member,
    Query(done): Query<Done>,
) -> Result<Html<String>, WebError> {
    verifier(&member)?;
    let notice = done.done.map(|_| "Recorded.");
    Ok(Html(
        render(&state, &member, notice, Vec::new())
            .await?
            .render()?,
    ))
}

async fn outcome(
    state: &AppState,
    member: &Member,
    result: Result<(), DirectoryError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to("/verify?done").into_response()),
        Err(DirectoryError::Invalid(problems)) => {
            let page = render(
                state,
                member,
                None,
                problems.into_iter().map(|(_, m)| m).collect(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(DirectoryError::NotAllowed) => Err(WebError::NotFound),
        Err(DirectoryError::App(error)) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DecisionFields {
    decision: String,
    until: String,
    checked: String,
    reason: String,
}

pub(super) async fn decide(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(fields): Form<DecisionFields>,
) -> Result<Response, WebError> {
    verifier(&member)?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let decision = match fields.decision.as_str() {
        "verify" => CredentialDecision::Verify {
            until: fields.until,
            checked: fields.checked,
        },
        _ => CredentialDecision::Reject {
            reason: fields.reason,
        },
    };
    let result = state
        .app
        .decide_credential(&member.signed_in, id, &decision, &member.audit)
        .await;
    outcome(&state, &member, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StandingFields {
    standing: String,
}

pub(super) async fn standing(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(fields): Form<StandingFields>,
) -> Result<Response, WebError> {
    verifier(&member)?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let standing = match fields.standing.as_str() {
        "suspend" => Standing::Suspend,
        "reinstate" => Standing::Reinstate,
        _ => {
            return outcome(
                &state,
                &member,
                Err(DirectoryError::Invalid(vec![(
                    "standing".into(),
                    "Choose to suspend or reinstate".into(),
                )])),
            )
            .await;
        }
    };
    let result = state
        .app
        .set_profile_standing(&member.signed_in, id, standing, &member.audit)
        .await;
    outcome(&state, &member, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ReportFields {
    status: String,
    outcome: String,
}

pub(super) async fn report(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(fields): Form<ReportFields>,
) -> Result<Response, WebError> {
    verifier(&member)?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let result = state
        .app
        .handle_report(
            &member.signed_in,
            id,
            fields.status.trim(),
            &fields.outcome,
            &member.audit,
        )
        .await;
    outcome(&state, &member, result).await
}

pub(super) async fn evidence(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    verifier(&member)?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let (media_type, bytes) = state
        .app
        .credential_evidence(&member.signed_in, id, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let extension = match media_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    // Always a download, never shown inline: a document is the clinician's, and a
    // browser should not render whatever it holds inside Sensate's pages.
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"credential-{id}.{extension}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
