//! Treatment plans: the clinician's plan page (the newest revision, every earlier one
//! readable, and the form that saves a new revision with its reason) and the client's
//! reading of it in the portal, with an acknowledgement.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{PlanError, PlanRevision};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::CaseId;
use sensate_domain::plan::{INTERVENTIONS, PlanForm, intervention};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post("/clinic/cases/{id}/plan", plan_page, save_plan)
        .get_and_post("/portal/cases/{id}/plan", my_plan, acknowledge)
}

/// A revision as shown.
pub(crate) struct RevisionView {
    number: i64,
    author: String,
    when: String,
    reason: Option<String>,
    problems: Vec<String>,
    goals: Vec<(String, String, String)>,
    interventions: Vec<String>,
    planned_sessions: u32,
    frequency: String,
    review_date: String,
    clinician_notes: String,
}

fn view(revision: &PlanRevision) -> RevisionView {
    let content = &revision.content;
    let mut interventions: Vec<String> = content
        .interventions
        .iter()
        .filter_map(|id| intervention(id).map(|i| i.name.to_owned()))
        .collect();
    if !content.other_interventions.is_empty() {
        interventions.push(content.other_interventions.clone());
    }
    RevisionView {
        number: revision.number,
        author: revision.author.expose_secret().to_owned(),
        when: revision.written_at.date().to_string(),
        reason: revision
            .reason
            .as_ref()
            .map(|r| r.expose_secret().to_owned()),
        problems: content.problems.clone(),
        goals: content
            .goals
            .iter()
            .map(|g| (g.goal.clone(), g.measure.clone(), g.target_date.clone()))
            .collect(),
        interventions,
        planned_sessions: content.planned_sessions,
        frequency: content.frequency.clone(),
        review_date: content.review_date.clone(),
        clinician_notes: content.clinician_notes.clone(),
    }
}

struct InterventionBox {
    id: &'static str,
    name: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    problems: Vec<String>,
    case_id: String,
    shown: Option<RevisionView>,
    newest: i64,
    numbers: Vec<i64>,
    acknowledged_by: Vec<String>,
    form: PlanForm,
    interventions: Vec<InterventionBox>,
}

#[derive(Deserialize, Default)]
struct PlanQuery {
    #[serde(default)]
    revision: Option<i64>,
    #[serde(default)]
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    case: CaseId,
    revision: Option<i64>,
    typed: Option<PlanForm>,
) -> Result<PlanPage, WebError> {
    let plan = state
        .app
        .case_plan(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let newest = plan.revisions.last().map_or(0, |r| r.number);
    let shown = match revision {
        Some(n) => Some(
            plan.revisions
                .iter()
                .find(|r| r.number == n)
                .ok_or(WebError::NotFound)?,
        ),
        None => plan.revisions.last(),
    };
    let form = typed.unwrap_or_else(|| match plan.revisions.last() {
        Some(latest) => {
            let c = &latest.content;
            let mut goals: Vec<(String, String, String)> = c
                .goals
                .iter()
                .map(|g| (g.goal.clone(), g.measure.clone(), g.target_date.clone()))
                .collect();
            goals.resize(3.max(goals.len() + 1), Default::default());
            PlanForm {
                problems: c.problems.join("\n"),
                goals,
                interventions: c.interventions.clone(),
                other_interventions: c.other_interventions.clone(),
                planned_sessions: c.planned_sessions.to_string(),
                frequency: c.frequency.clone(),
                review_date: c.review_date.clone(),
                clinician_notes: c.clinician_notes.clone(),
                reason: String::new(),
            }
        }
        None => PlanForm {
            goals: vec![Default::default(); 3],
            frequency: "weekly".into(),
            ..PlanForm::default()
        },
    });
    Ok(PlanPage {
        chrome: Chrome::member(Section::Clinic, member),
        notice: None,
        problems: Vec::new(),
        case_id: case.to_string(),
        shown: shown.map(view),
        newest,
        numbers: plan.revisions.iter().map(|r| r.number).collect(),
        acknowledged_by: plan
            .acknowledged_by
            .iter()
            .map(|n| n.expose_secret().to_owned())
            .collect(),
        interventions: INTERVENTIONS
            .iter()
            .map(|i| InterventionBox {
                id: i.id,
                name: i.name,
                checked: form.interventions.iter().any(|c| c == i.id),
            })
            .collect(),
        form,
    })
}

async fn plan_page(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(query): Query<PlanQuery>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let mut page = render(&state, &member, case, query.revision, None).await?;
    if query.saved.is_some() {
        page.notice = Some("Saved as a new revision. Earlier revisions stay readable below.");
    }
    Ok(Html(page.render()?))
}

async fn save_plan(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    let goals = (0..5)
        .map(|i| {
            (
                field(&format!("goal-{i}")),
                field(&format!("measure-{i}")),
                field(&format!("target-{i}")),
            )
        })
        .collect::<Vec<_>>();
    let form = PlanForm {
        problems: field("problems"),
        goals,
        interventions: fields
            .iter()
            .filter(|(k, _)| k == "intervention")
            .map(|(_, v)| v.clone())
            .collect(),
        other_interventions: field("other_interventions"),
        planned_sessions: field("planned_sessions"),
        frequency: field("frequency"),
        review_date: field("review_date"),
        clinician_notes: field("clinician_notes"),
        reason: field("reason"),
    };
    let based_on = field("based_on").parse::<i64>().unwrap_or(-1);
    match state
        .app
        .save_plan(&member.signed_in, case, &form, based_on, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/clinic/cases/{case}/plan?saved")).into_response()),
        Err(PlanError::Invalid(problems)) => {
            let mut page = render(&state, &member, case, None, Some(form)).await?;
            page.problems = problems.0;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(PlanError::Changed) => {
            let mut page = render(&state, &member, case, None, None).await?;
            page.problems = vec![PlanError::Changed.to_string()];
            Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response())
        }
        Err(PlanError::NotAllowed) => Err(WebError::NotFound),
        Err(PlanError::App(error)) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "plan_portal.html")]
struct ClientPlanPage {
    chrome: Chrome,
    case_id: String,
    revision_id: String,
    plan: RevisionView,
    acknowledged: Option<String>,
}

async fn my_plan(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let plan = state
        .app
        .my_plan(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Html(
        ClientPlanPage {
            chrome: Chrome::member(Section::Portal, &member),
            case_id: case.to_string(),
            revision_id: plan.revision.id.to_string(),
            plan: view(&plan.revision),
            acknowledged: plan.acknowledged_at.map(|at| at.date().to_string()),
        }
        .render()?,
    ))
}

#[derive(Deserialize)]
struct AckForm {
    #[serde(default)]
    revision: String,
}

async fn acknowledge(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<AckForm>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let case: CaseId = id.parse().map_err(|_| WebError::NotFound)?;
    let shown = form.revision.parse::<Uuid>().unwrap_or_default();
    if state
        .app
        .my_plan(&member.signed_in, case, &member.audit)
        .await?
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    if state
        .app
        .acknowledge_plan(&member.signed_in, case, shown, &member.audit)
        .await?
    {
        Ok(Redirect::to("/portal?acknowledged").into_response())
    } else {
        // Not theirs, or the plan changed while they read it: show the newest again.
        Ok(Redirect::to(&format!("/portal/cases/{case}/plan")).into_response())
    }
}
