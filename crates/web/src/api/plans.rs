//! Treatment plans: the clinician reads every revision and writes new ones; a client
//! reads the newest (without the clinician's notes) and acknowledges it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sensate_app::{PlanError, PlanRevision};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::plan::{PlanContent, PlanForm, intervention};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::case_id;
use super::error::{FieldProblem, Problem};
use super::json::JsonBody;
use super::{ApiError, ApiMember, timestamp};
use crate::AppState;
use crate::routes::Routes;

pub(super) fn router() -> Routes {
    Routes::new()
        .get_and_post("/api/cases/{id}/plan", case_plan, save_plan)
        .get("/api/portal/cases/{id}/plan", my_plan)
        .post("/api/portal/cases/{id}/plan/acknowledge", acknowledge)
}

/// A measurable goal.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoalJson {
    /// What should change, in plain words.
    goal: String,
    /// How it is measured, e.g. "FSFI total above 26.55" or "practice twice a week".
    measure: String,
    /// By when, `YYYY-MM-DD`.
    target_date: String,
}

/// An intervention chosen from the library.
#[derive(Serialize, ToSchema)]
pub(crate) struct InterventionOut {
    /// Its id in the library.
    id: String,
    /// Its name.
    name: String,
}

/// A plan as one revision holds it.
#[derive(Serialize, ToSchema)]
pub(crate) struct PlanOut {
    problems: Vec<String>,
    goals: Vec<GoalJson>,
    interventions: Vec<InterventionOut>,
    /// Interventions written freely.
    other_interventions: String,
    planned_sessions: u32,
    /// How often, e.g. "weekly".
    frequency: String,
    /// `YYYY-MM-DD`.
    review_date: String,
    /// The clinician's own notes on the plan; never sent to clients (absent for them).
    #[serde(skip_serializing_if = "Option::is_none")]
    clinician_notes: Option<String>,
}

fn plan_out(content: PlanContent, for_clinician: bool) -> PlanOut {
    PlanOut {
        problems: content.problems,
        goals: content
            .goals
            .into_iter()
            .map(|g| GoalJson {
                goal: g.goal,
                measure: g.measure,
                target_date: g.target_date,
            })
            .collect(),
        interventions: content
            .interventions
            .iter()
            .map(|id| InterventionOut {
                name: intervention(id).map_or_else(|| id.clone(), |i| i.name.to_owned()),
                id: id.clone(),
            })
            .collect(),
        other_interventions: content.other_interventions,
        planned_sessions: content.planned_sessions,
        frequency: content.frequency,
        review_date: content.review_date,
        clinician_notes: for_clinician.then_some(content.clinician_notes),
    }
}

/// One revision of a plan.
#[derive(Serialize, ToSchema)]
pub(crate) struct RevisionOut {
    id: String,
    /// 1 for the first plan.
    number: i64,
    /// Why it changed (none for the first plan, and never sent to clients).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// Who wrote it.
    author: String,
    /// When (RFC 3339).
    written_at: String,
    plan: PlanOut,
}

fn revision_out(revision: PlanRevision, for_clinician: bool) -> RevisionOut {
    RevisionOut {
        id: revision.id.to_string(),
        number: revision.number,
        reason: revision
            .reason
            .filter(|_| for_clinician)
            .map(|r| r.expose_secret().to_owned()),
        author: revision.author.expose_secret().to_owned(),
        written_at: timestamp(revision.written_at),
        plan: plan_out(revision.content, for_clinician),
    }
}

/// A case's plan: every revision, oldest first.
#[derive(Serialize, ToSchema)]
pub(crate) struct CasePlanOut {
    /// Empty until the first plan is written.
    revisions: Vec<RevisionOut>,
    /// Names of the clients who acknowledged the newest revision.
    acknowledged_by: Vec<String>,
}

/// A case's treatment plan with every revision, for its clinician.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/plan",
    tag = "plans",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The plan's revisions", body = CasePlanOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn case_plan(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<CasePlanOut>, ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    let plan = state
        .app
        .case_plan(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(CasePlanOut {
        revisions: plan
            .revisions
            .into_iter()
            .map(|r| revision_out(r, true))
            .collect(),
        acknowledged_by: plan
            .acknowledged_by
            .iter()
            .map(|n| n.expose_secret().to_owned())
            .collect(),
    }))
}

/// A new revision of the plan (or the first plan).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanIn {
    /// The number of the revision this one replaces: 0 for the first plan. If another
    /// revision was saved meanwhile, the request is refused with 409.
    based_on: i64,
    /// At least one problem (a concern, perhaps with its code).
    problems: Vec<String>,
    #[serde(default)]
    goals: Vec<GoalJson>,
    /// Library ids (see the plan page for the library).
    #[serde(default)]
    interventions: Vec<String>,
    #[serde(default)]
    other_interventions: String,
    planned_sessions: u32,
    frequency: String,
    /// `YYYY-MM-DD`, not in the past.
    review_date: String,
    #[serde(default)]
    clinician_notes: String,
    /// Why the plan changed: required for every revision after the first.
    #[serde(default)]
    reason: String,
}

/// The saved revision's number.
#[derive(Serialize, ToSchema)]
pub(crate) struct SavedRevision {
    number: i64,
}

/// Saves the first plan, or a new revision of it.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/plan",
    tag = "plans",
    params(("id" = String, Path, description = "The case's id")),
    request_body = PlanIn,
    responses(
        (status = 201, description = "Saved", body = SavedRevision),
        (status = 400, description = "The body is not a plan", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
        (status = 409, description = "Another revision was saved meanwhile", body = Problem),
        (status = 422, description = "Fields need attention; nothing was saved", body = Problem),
    )
)]
pub(crate) async fn save_plan(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
    JsonBody(plan): JsonBody<PlanIn>,
) -> Result<(StatusCode, Json<SavedRevision>), ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    // The domain checks a plan as the form types it; one problem per line.
    if let Some(line) = plan.problems.iter().position(|p| p.contains('\n')) {
        return Err(ApiError::Invalid(vec![FieldProblem::new(
            format!("problems[{line}]"),
            "Write each problem as its own item, on one line.",
        )]));
    }
    let form = PlanForm {
        problems: plan.problems.join("\n"),
        goals: plan
            .goals
            .into_iter()
            .map(|g| (g.goal, g.measure, g.target_date))
            .collect(),
        interventions: plan.interventions,
        other_interventions: plan.other_interventions,
        planned_sessions: plan.planned_sessions.to_string(),
        frequency: plan.frequency,
        review_date: plan.review_date,
        clinician_notes: plan.clinician_notes,
        reason: plan.reason,
    };
    match state
        .app
        .save_plan(&member.signed_in, case, &form, plan.based_on, &member.audit)
        .await
    {
        Ok(number) => Ok((StatusCode::CREATED, Json(SavedRevision { number }))),
        Err(PlanError::Invalid(problems)) => Err(ApiError::Invalid(
            problems
                .0
                .into_iter()
                .map(|message| FieldProblem::new(plan_field(&message), message))
                .collect(),
        )),
        Err(PlanError::Changed) => Err(ApiError::Conflict(PlanError::Changed.to_string())),
        Err(PlanError::NotAllowed) => Err(ApiError::NotFound),
        Err(PlanError::App(error)) => Err(error.into()),
    }
}

/// The request field a plan problem is about: each message starts with the field's
/// name as the form labels it ("Goal 2: …", "Review date: …").
fn plan_field(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("Goal ") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(row) = digits.parse::<usize>() {
            return format!("goals[{}]", row.saturating_sub(1));
        }
    }
    const LABELS: [(&str, &str); 10] = [
        ("Problems", "problems"),
        ("Goals", "goals"),
        ("Goal", "goals"),
        ("Measure", "goals"),
        ("Interventions", "interventions"),
        ("Planned sessions", "planned_sessions"),
        ("Frequency", "frequency"),
        ("Review date", "review_date"),
        ("Clinician notes", "clinician_notes"),
        ("Reason for the change", "reason"),
    ];
    LABELS
        .iter()
        .find(|(label, _)| message.starts_with(label))
        .map_or("plan", |(_, field)| field)
        .to_owned()
}

/// The plan as a client reads it.
#[derive(Serialize, ToSchema)]
pub(crate) struct MyPlanOut {
    /// The newest revision, without the clinician's notes or reasons.
    revision: RevisionOut,
    /// When this client acknowledged it (RFC 3339).
    acknowledged_at: Option<String>,
}

/// The newest plan of one of the signed-in client's own cases.
#[utoipa::path(
    get,
    path = "/api/portal/cases/{id}/plan",
    tag = "portal",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The plan", body = MyPlanOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No plan yet, or not your case", body = Problem),
    )
)]
pub(crate) async fn my_plan(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<MyPlanOut>, ApiError> {
    let case = case_id(&id)?;
    let member = &member.0;
    member.in_own_portal()?;
    let plan = state
        .app
        .my_plan(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(MyPlanOut {
        revision: revision_out(plan.revision, false),
        acknowledged_at: plan.acknowledged_at.map(timestamp),
    }))
}

/// Which revision the client read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Acknowledgement {
    /// The id of the revision read; it must still be the newest.
    revision: String,
}

/// Records that the client has read the newest plan.
#[utoipa::path(
    post,
    path = "/api/portal/cases/{id}/plan/acknowledge",
    tag = "portal",
    params(("id" = String, Path, description = "The case's id")),
    request_body = Acknowledgement,
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not your case's newest plan", body = Problem),
    )
)]
pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
    JsonBody(ack): JsonBody<Acknowledgement>,
) -> Result<StatusCode, ApiError> {
    let case = case_id(&id)?;
    let member = &member.0;
    member.in_own_portal()?;
    let revision = ack.revision.parse().map_err(|_| ApiError::NotFound)?;
    if state
        .app
        .acknowledge_plan(&member.signed_in, case, revision, &member.audit)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
