//! Downloads of records: a client's own copy from the portal, and a clinician's export
//! of a case (process notes only when ticked). Both are JSON files in Sensate's export
//! format, sent as attachments that nothing may cache.
//!
//! The file name says nothing about anyone: it names the format and the date.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use sensate_domain::CaseId;
use serde::{Deserialize, Serialize};

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/portal/records", records_page)
        .get("/portal/records/download", download_my_records)
        .get("/clinic/cases/{id}/export", export_case)
}

fn attachment(name: &str, body: &impl Serialize) -> Result<Response, WebError> {
    let json = serde_json::to_vec_pretty(body)
        .map_err(|error| WebError::Internal(format!("export: {error}")))?;
    Ok((
        [
            (CONTENT_TYPE, "application/json".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        json,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    chrome: Chrome,
}

async fn records_page(member: Member) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    Ok(Html(
        RecordsPage {
            chrome: Chrome::member(Section::Portal, &member),
        }
        .render()?,
    ))
}

async fn download_my_records(
    State(state): State<AppState>,
    member: Member,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let records = state
        .app
        .my_records(&member.signed_in, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let date = state.app.now().date();
    attachment(&format!("sensate-my-records-{date}.json"), &records)
}

#[derive(Deserialize, Default)]
struct ExportChoice {
    /// `include` to add process notes (psychotherapy notes), which are left out
    /// otherwise.
    #[serde(default)]
    process_notes: Option<String>,
}

async fn export_case(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(choice): Query<ExportChoice>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let include = choice.process_notes.as_deref() == Some("include");
    let export = state
        .app
        .export_case(&member.signed_in, case, include, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let date = state.app.now().date();
    attachment(&format!("sensate-case-record-{date}.json"), &export)
}
