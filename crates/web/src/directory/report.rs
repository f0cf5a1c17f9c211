//! "Report a concern" on every profile: the reporter describes it (anonymously if they
//! wish); it goes to the verifiers; the reporter is shown the licensing board for the
//! therapist's licence and what happens next.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sensate_app::{BoardView, DirectoryError, ReportForm};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::session::Visitor;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "directory/report.html")]
struct ReportPage {
    chrome: Chrome,
    id: String,
    therapist: String,
    description: String,
    contact: String,
    problems: Vec<String>,
    /// Set once the report is in.
    boards: Option<Vec<BoardView>>,
    advice: Option<String>,
}

async fn therapist(state: &AppState, id: Uuid) -> Result<String, WebError> {
    Ok(state
        .app
        .public_profile(id)
        .await?
        .ok_or(WebError::NotFound)?
        .profile
        .display_name)
}

pub(super) async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    Ok(Html(
        ReportPage {
            chrome: Chrome::visitor(Section::Directory, &visitor),
            id: id.to_string(),
            therapist: therapist(&state, id).await?,
            description: String::new(),
            contact: String::new(),
            problems: Vec::new(),
            boards: None,
            advice: None,
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ReportFields {
    description: String,
    contact: String,
}

pub(super) async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(fields): Form<ReportFields>,
) -> Result<Response, WebError> {
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let name = therapist(&state, id).await?;
    let mut page = ReportPage {
        chrome: Chrome::visitor(Section::Directory, &visitor),
        id: id.to_string(),
        therapist: name,
        description: fields.description.clone(),
        contact: fields.contact.clone(),
        problems: Vec::new(),
        boards: None,
        advice: None,
    };
    let form = ReportForm {
        description: fields.description,
        contact: fields.contact,
    };
    match state.app.report_concern(id, &form).await {
        Ok(receipt) => {
            page.boards = Some(receipt.boards);
            page.advice = receipt.advice;
            page.description.clear();
            page.contact.clear();
            Ok(Html(page.render()?).into_response())
        }
        Err(DirectoryError::Invalid(problems)) => {
            page.problems = problems.into_iter().map(|(_, message)| message).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(DirectoryError::NotAllowed) => Err(WebError::NotFound),
        Err(DirectoryError::App(error)) => Err(error.into()),
    }
}
