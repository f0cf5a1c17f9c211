//! The owner's questionnaire page: which built-in instruments have the practice's
//! licensed wording, and importing it from a FHIR R4 Questionnaire.
//!
//! The JSON is sent in a form field: the page's small first-party script fills it from
//! a chosen file, and without script it can be pasted. (A multipart upload would need
//! the anti-forgery check to read multipart bodies; a form field needs nothing new.)

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_domain::access::{Intent, Resource};
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().get_and_post("/admin/instruments", page, import)
}

struct Row {
    id: &'static str,
    name: &'static str,
    wording: Option<String>,
}

#[derive(Template)]
#[template(path = "instruments_admin.html")]
struct InstrumentsPage {
    chrome: Chrome,
    notice: Option<String>,
    problem: Option<String>,
    rows: Vec<Row>,
    json: String,
    script: &'static str,
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    imported: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    notice: Option<String>,
    problem: Option<String>,
    json: String,
) -> Result<InstrumentsPage, WebError> {
    let rows = state
        .app
        .instrument_wordings()
        .await?
        .into_iter()
        .map(|(instrument, at)| Row {
            id: instrument.id(),
            name: instrument.name(),
            wording: at.map(|at| at.date().to_string()),
        })
        .collect();
    Ok(InstrumentsPage {
        chrome: Chrome::member(Section::Admin, member),
        notice,
        problem,
        rows,
        json,
        script: crate::assets::file_field_path(),
    })
}

fn owner(member: &Member) -> Result<(), WebError> {
    let practice = member.practice()?;
    member.may(
        Intent::Write,
        &Resource::PracticeAdministration { practice },
    )
}

async fn page(
    State(state): State<AppState>,
    member: Member,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    owner(&member)?;
    let notice = notice.imported.and_then(|id| {
        sensate_app::instruments().ok()?.get(&id).map(|i| {
            format!(
                "The wording of the {} is imported. Clients now read it.",
                i.name()
            )
        })
    });
    Ok(Html(
        render(&state, &member, notice, None, String::new())
            .await?
            .render()?,
    ))
}

#[derive(Deserialize, Default)]
struct ImportForm {
    #[serde(default)]
    questionnaire: String,
}

async fn import(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ImportForm>,
) -> Result<Response, WebError> {
    owner(&member)?;
    let outcome = if form.questionnaire.trim().is_empty() {
        Err("Choose the questionnaire's FHIR JSON file, or paste its contents".to_owned())
    } else {
        state
            .app
            .import_wording(&member.signed_in, &form.questionnaire, None, &member.audit)
            .await?
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/admin/instruments?imported={id}")).into_response()),
        Err(problem) => {
            let page = render(
                &state,
                &member,
                None,
                Some(format!("Nothing was imported: {problem}")),
                form.questionnaire,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
