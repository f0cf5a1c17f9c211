//! The intake in the portal (the client answers, saves, and sends it) and in the clinic
//! (the clinician reads it, sees its history and alerts, and amends it in session).
//!
//! The form works without JavaScript: "Save and finish later" keeps what is typed,
//! "Send to my therapist" also checks the required questions.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{Acknowledged, IntakeError, IntakeView};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::intake::{AnswerError, AnswerKind, QUESTIONS};
use sensate_domain::{CaseId, ClientId};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/portal/intake", my_intake, save_my_intake)
        .get_and_post(
            "/clinic/cases/{id}/clients/{client}/intake",
            client_intake,
            amend_intake,
        )
        .post(
            "/clinic/cases/{id}/clients/{client}/alerts/{alert}/acknowledge",
            acknowledge,
        )
}

/// One choice of a choice question.
pub(crate) struct ChoiceField {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

/// One question as the form shows it.
pub(crate) struct Field {
    id: &'static str,
    prompt: &'static str,
    hint: &'static str,
    required: bool,
    text: Option<String>,
    choices: Vec<ChoiceField>,
    shown: String,
    error: Option<String>,
}

/// The questions of one section.
pub(crate) struct SectionFields {
    title: &'static str,
    fields: Vec<Field>,
}

/// Builds the form's sections from answers (stored, or as just typed) and problems.
fn sections(
    values: &HashMap<String, String>,
    problems: &[(&'static str, AnswerError)],
) -> Vec<SectionFields> {
    let mut sections: Vec<SectionFields> = Vec::new();
    for question in QUESTIONS {
        let value = values.get(question.id).cloned().unwrap_or_default();
        let field = Field {
            id: question.id,
            prompt: question.prompt,
            hint: question.hint,
            required: question.required,
            shown: if value.is_empty() {
                String::new()
            } else {
                question.show(&value)
            },
            text: matches!(question.kind, AnswerKind::Text).then(|| value.clone()),
            choices: match question.kind {
                AnswerKind::Choice(choices) => choices
                    .iter()
                    .map(|(code, label)| ChoiceField {
                        code,
                        label,
                        checked: value == *code,
                    })
                    .collect(),
                AnswerKind::Text => Vec::new(),
            },
            error: problems
                .iter()
                .find(|(id, _)| *id == question.id)
                .map(|(_, e)| e.to_string()),
        };
        match sections.last_mut() {
            Some(section) if section.title == question.section => section.fields.push(field),
            _ => sections.push(SectionFields {
                title: question.section,
                fields: vec![field],
            }),
        }
    }
    sections
}

fn stored(view: &IntakeView) -> HashMap<String, String> {
    view.answers
        .iter()
        .filter_map(|a| {
            a.answer
                .as_ref()
                .map(|s| (a.question.id.to_owned(), s.expose_secret().to_owned()))
        })
        .collect()
}

fn typed(fields: &[(String, String)]) -> HashMap<String, String> {
    fields
        .iter()
        .filter(|(k, _)| k != "csrf" && k != "action")
        .cloned()
        .collect()
}

fn answers(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(k, _)| QUESTIONS.iter().any(|q| q.id == k))
        .cloned()
        .collect()
}

#[derive(Template)]
#[template(path = "intake_portal.html")]
struct PortalIntakePage {
    chrome: Chrome,
    /// The practice's crisis resources, line by line.
    crisis: Vec<String>,
    autosave: &'static str,
    notice: Option<&'static str>,
    sent: bool,
    error_count: usize,
    sections: Vec<SectionFields>,
}

#[derive(Deserialize, Default)]
struct IntakeNotice {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    sent: Option<String>,
}

async fn my_intake(
    State(state): State<AppState>,
    member: Member,
    Query(notice): Query<IntakeNotice>,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    let view = state
        .app
        .my_intake(&member.signed_in, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let page = PortalIntakePage {
        chrome: Chrome::member(Section::Portal, &member),
        crisis: crisis_lines(&state, &member).await?,
        autosave: crate::assets::autosave_path(),
        notice: if notice.sent.is_some() {
            Some(
                "Thank you. Your therapist can now read your answers. You can still change them here.",
            )
        } else if notice.saved.is_some() {
            Some("Saved. You can come back and finish at any time.")
        } else {
            None
        },
        sent: view.submitted_at.is_some(),
        error_count: 0,
        sections: sections(&stored(&view), &[]),
    };
    Ok(Html(page.render()?))
}

/// The practice's crisis resources as paragraphs.
pub(crate) async fn crisis_lines(
    state: &AppState,
    member: &Member,
) -> Result<Vec<String>, WebError> {
    let text = match member.signed_in.practice_id {
        Some(practice) => state.app.crisis_resources_for(practice).await?,
        None => sensate_app::DEFAULT_CRISIS_RESOURCES.to_owned(),
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}

async fn save_my_intake(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let send = fields.iter().any(|(k, v)| k == "action" && v == "send");
    match state
        .app
        .save_my_intake(&member.signed_in, &answers(&fields), send, &member.audit)
        .await
    {
        Ok(saved) => Ok(Redirect::to(if send && saved.sent {
            "/portal/intake?sent"
        } else {
            "/portal/intake?saved"
        })
        .into_response()),
        Err(IntakeError::Invalid(problems)) => {
            let view = state
                .app
                .my_intake(&member.signed_in, &member.audit)
                .await?
                .ok_or(WebError::NotFound)?;
            let page = PortalIntakePage {
                chrome: Chrome::member(Section::Portal, &member),
                crisis: crisis_lines(&state, &member).await?,
                autosave: crate::assets::autosave_path(),
                notice: None,
                sent: view.submitted_at.is_some(),
                error_count: problems.len(),
                sections: sections(&typed(&fields), &problems),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(IntakeError::NotAllowed) => Err(WebError::NotFound),
        Err(IntakeError::App(error)) => Err(error.into()),
    }
}

struct HistoryRow {
    prompt: &'static str,
    answer: String,
    author: String,
    by_clinician: bool,
    when: String,
}

/// A safety alert as the clinic pages show it (the intake page and the questionnaires
/// page both list a client's alerts, with the form that records what was done).
pub(crate) struct AlertRow {
    pub(crate) id: String,
    pub(crate) what: &'static str,
    pub(crate) raised: String,
    pub(crate) seen: Option<String>,
    pub(crate) action: Option<String>,
}

impl AlertRow {
    pub(crate) fn of(alert: &sensate_app::AlertView) -> Self {
        AlertRow {
            id: alert.id.to_string(),
            what: alert.concern.alert(),
            raised: when(alert.raised_at),
            seen: alert.acknowledged_at.map(when),
            action: alert.action.as_ref().map(|a| a.expose_secret().to_owned()),
        }
    }
}

#[derive(Template)]
#[template(path = "intake_clinician.html")]
struct ClinicianIntakePage {
    chrome: Chrome,
    notice: Option<&'static str>,
    case_id: String,
    client_id: String,
    name: String,
    sent: Option<String>,
    alerts: Vec<AlertRow>,
    /// Why marking an alert as seen was refused.
    alert_problem: Option<String>,
    /// Where the alert form comes back to.
    alerts_back: &'static str,
    sections: Vec<SectionFields>,
    history: Vec<HistoryRow>,
    error_count: usize,
}

fn ids(id: &str, client: &str) -> Result<(CaseId, ClientId), WebError> {
    Ok((
        id.parse().map_err(|_| WebError::NotFound)?,
        client.parse().map_err(|_| WebError::NotFound)?,
    ))
}

fn when(at: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

/// Answers as just typed, with what is wrong with them.
type Typed = (HashMap<String, String>, Vec<(&'static str, AnswerError)>);

async fn clinician_page(
    state: &AppState,
    member: &Member,
    case: CaseId,
    client: ClientId,
    notice: Option<&'static str>,
    typed_values: Option<Typed>,
) -> Result<ClinicianIntakePage, WebError> {
    let intake = state
        .app
        .client_intake(&member.signed_in, case, client, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let (values, problems) = match typed_values {
        Some((values, problems)) => (values, problems),
        None => (stored(&intake.intake), Vec::new()),
    };
    Ok(ClinicianIntakePage {
        chrome: Chrome::member(Section::Clinic, member),
        notice,
        case_id: case.to_string(),
        client_id: client.to_string(),
        name: intake.name.expose_secret().to_owned(),
        sent: intake.intake.submitted_at.map(when),
        alerts: intake.alerts.iter().map(AlertRow::of).collect(),
        alert_problem: None,
        alerts_back: "intake",
        error_count: problems.len(),
        sections: sections(&values, &problems),
        history: intake
            .history
            .iter()
            .map(|change| HistoryRow {
                prompt: change.question.prompt,
                answer: change.answer.as_ref().map_or_else(
                    || "(cleared)".to_owned(),
                    |a| change.question.show(a.expose_secret()),
                ),
                author: change.author.expose_secret().to_owned(),
                by_clinician: change.by_clinician,
                when: when(change.written_at),
            })
            .collect(),
    })
}

#[derive(Deserialize, Default)]
struct ClinicianNotice {
    #[serde(default)]
    amended: Option<String>,
    #[serde(default)]
    seen: Option<String>,
}

async fn client_intake(
    State(state): State<AppState>,
    member: Member,
    Path((id, client)): Path<(String, String)>,
    Query(notice): Query<ClinicianNotice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&id, &client)?;
    let notice = if notice.amended.is_some() {
        Some("Saved. The change is kept in the history with your name.")
    } else if notice.seen.is_some() {
        Some("Marked as seen.")
    } else {
        None
    };
    Ok(Html(
        clinician_page(&state, &member, case, client, notice, None)
            .await?
            .render()?,
    ))
}

async fn amend_intake(
    State(state): State<AppState>,
    member: Member,
    Path((id, client)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&id, &client)?;
    match state
        .app
        .amend_intake(
            &member.signed_in,
            case,
            client,
            &answers(&fields),
            &member.audit,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/intake?amended"
        ))
        .into_response()),
        Err(IntakeError::Invalid(problems)) => {
            let page = clinician_page(
                &state,
                &member,
                case,
                client,
                None,
                Some((typed(&fields), problems)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(IntakeError::NotAllowed) => Err(WebError::NotFound),
        Err(IntakeError::App(error)) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
struct AcknowledgeForm {
    #[serde(default)]
    action: String,
    /// `questionnaires` to come back to that page; the intake page otherwise.
    #[serde(default)]
    back: String,
}

async fn acknowledge(
    State(state): State<AppState>,
    member: Member,
    Path((id, client, alert)): Path<(String, String, String)>,
    Form(form): Form<AcknowledgeForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&id, &client)?;
    let alert: Uuid = alert.parse().map_err(|_| WebError::NotFound)?;
    let to_questionnaires = form.back == "questionnaires";
    match state
        .app
        .acknowledge_alert(
            &member.signed_in,
            case,
            client,
            alert,
            &form.action,
            &member.audit,
        )
        .await?
    {
        Acknowledged::Done if to_questionnaires => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/questionnaires?seen"
        ))
        .into_response()),
        Acknowledged::Done => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/intake?seen"
        ))
        .into_response()),
        Acknowledged::NeedsAction(problem) if to_questionnaires => {
            crate::questionnaires::alert_refused(&state, &member, case, client, problem).await
        }
        Acknowledged::NeedsAction(problem) => {
            let mut page = clinician_page(&state, &member, case, client, None, None).await?;
            page.alert_problem = Some(problem);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Acknowledged::NotFound => Err(WebError::NotFound),
    }
}
