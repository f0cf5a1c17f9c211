//! The owner's care settings: the crisis resources clients are shown after a critical
//! answer, and the practice's own reliability and SD for reliable change.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{
    CRISIS_RESOURCES_MAX, CareSettingsError, ChangeParametersForm, ChangeParametersView,
};
use sensate_domain::access::{Intent, Resource};
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/admin/crisis-resources", crisis_page, crisis_save)
        .get_and_post("/admin/reliable-change", change_page, change_save)
        .post("/admin/reliable-change/clear", change_clear)
}

fn owner(member: &Member) -> Result<(), WebError> {
    let practice = member.practice()?;
    member.may(
        Intent::Write,
        &Resource::PracticeAdministration { practice },
    )
}

fn problems(error: CareSettingsError) -> Result<Vec<String>, WebError> {
    match error {
        CareSettingsError::Invalid(problems) => {
            Ok(problems.into_iter().map(|(_, message)| message).collect())
        }
        CareSettingsError::NotOwner => Err(WebError::NotFound),
        CareSettingsError::App(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    cleared: Option<String>,
}

#[derive(Template)]
#[template(path = "crisis_resources.html")]
struct CrisisPage {
    chrome: Chrome,
    saved: bool,
    problems: Vec<String>,
    text: String,
    written_by_practice: bool,
    updated: Option<String>,
    max: usize,
}

async fn crisis_page(
    State(state): State<AppState>,
    member: Member,
    Query(saved): Query<Saved>,
) -> Result<Html<String>, WebError> {
    owner(&member)?;
    let view = state
        .app
        .crisis_resources(&member.signed_in)
        .await
        .map_err(|e| problems(e).err().unwrap_or(WebError::NotFound))?;
    Ok(Html(
        CrisisPage {
            chrome: Chrome::member(Section::Admin, &member),
            saved: saved.saved.is_some(),
            problems: Vec::new(),
            text: view.text,
            written_by_practice: view.written_by_practice,
            updated: view.updated_at.map(|at| at.date().to_string()),
            max: CRISIS_RESOURCES_MAX,
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
struct CrisisForm {
    #[serde(default)]
    text: String,
}

async fn crisis_save(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<CrisisForm>,
) -> Result<Response, WebError> {
    owner(&member)?;
    match state
        .app
        .set_crisis_resources(&member.signed_in, &form.text, &member.audit)
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/crisis-resources?saved").into_response()),
        Err(error) => {
            let problems = problems(error)?;
            let page = CrisisPage {
                chrome: Chrome::member(Section::Admin, &member),
                saved: false,
                problems,
                text: form.text,
                written_by_practice: false,
                updated: None,
                max: CRISIS_RESOURCES_MAX,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

struct ScoreOption {
    value: String,
    label: String,
    selected: bool,
}

struct ParametersRow {
    instrument: String,
    instrument_id: &'static str,
    score: String,
    reliability: String,
    sd: String,
    source: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "reliable_change.html")]
struct ChangePage {
    chrome: Chrome,
    notice: Option<&'static str>,
    problems: Vec<String>,
    options: Vec<ScoreOption>,
    rows: Vec<ParametersRow>,
    form: ChangeFields,
}

fn row(view: ChangeParametersView) -> ParametersRow {
    ParametersRow {
        instrument: format!(
            "{} ({})",
            view.instrument.name(),
            view.instrument.abbreviation()
        ),
        instrument_id: view.instrument.id(),
        score: view.score,
        reliability: view.reliability.unwrap_or_else(|| "published".into()),
        sd: view.sd.unwrap_or_else(|| "published".into()),
        source: view.source,
        updated: view.updated_at.date().to_string(),
    }
}

/// Every instrument score, as `instrument:score`, for one select.
fn score_options(selected: &str) -> Result<Vec<ScoreOption>, WebError> {
    let mut options = Vec::new();
    for instrument in sensate_app::instruments()?.iter() {
        for score in instrument.score_names() {
            let value = format!("{}:{score}", instrument.id());
            options.push(ScoreOption {
                selected: value == selected,
                label: format!("{} — {score}", instrument.abbreviation()),
                value,
            });
        }
    }
    Ok(options)
}

async fn render_change(
    state: &AppState,
    member: &Member,
    notice: Option<&'static str>,
    problems: Vec<String>,
    form: ChangeFields,
) -> Result<ChangePage, WebError> {
    let rows = state
        .app
        .change_parameters(&member.signed_in)
        .await
        .map_err(|e| self::problems(e).err().unwrap_or(WebError::NotFound))?
        .into_iter()
        .map(row)
        .collect();
    Ok(ChangePage {
        chrome: Chrome::member(Section::Admin, member),
        notice,
        problems,
        options: score_options(&form.measure)?,
        rows,
        form,
    })
}

async fn change_page(
    State(state): State<AppState>,
    member: Member,
    Query(saved): Query<Saved>,
) -> Result<Html<String>, WebError> {
    owner(&member)?;
    let notice = if saved.saved.is_some() {
        Some("Saved. Reliable change on this score now uses your numbers, labelled as yours.")
    } else if saved.cleared.is_some() {
        Some("Removed. The published numbers, where there are any, apply again.")
    } else {
        None
    };
    Ok(Html(
        render_change(&state, &member, notice, Vec::new(), ChangeFields::default())
            .await?
            .render()?,
    ))
}

#[derive(Deserialize, Default)]
struct ChangeFields {
    /// `instrument:score`.
    #[serde(default)]
    measure: String,
    #[serde(default)]
    reliability: String,
    #[serde(default)]
    sd: String,
    #[serde(default)]
    source: String,
}

async fn change_save(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<ChangeFields>,
) -> Result<Response, WebError> {
    owner(&member)?;
    let (instrument, score) = fields.measure.split_once(':').unwrap_or(("", ""));
    let form = ChangeParametersForm {
        instrument: instrument.to_owned(),
        score: score.to_owned(),
        reliability: fields.reliability.clone(),
        sd: fields.sd.clone(),
        source: fields.source.clone(),
    };
    match state
        .app
        .set_change_parameters(&member.signed_in, &form, &member.audit)
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/reliable-change?saved").into_response()),
        Err(error) => {
            let problems = problems(error)?;
            let page = render_change(&state, &member, None, problems, fields).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
struct ClearFields {
    #[serde(default)]
    instrument: String,
    #[serde(default)]
    score: String,
}

async fn change_clear(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<ClearFields>,
) -> Result<Response, WebError> {
    owner(&member)?;
    state
        .app
        .clear_change_parameters(
            &member.signed_in,
            fields.instrument.trim(),
            fields.score.trim(),
            &member.audit,
        )
        .await
        .map_err(|e| problems(e).err().unwrap_or(WebError::NotFound))?;
    Ok(Redirect::to("/admin/reliable-change?cleared").into_response())
}
