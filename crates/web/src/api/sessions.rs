//! Sessions and their notes: recording a session, writing and signing its progress
//! note, dated addenda once signed, and the clinician's separate process note.
//!
//! The process note has addresses of its own and is never part of a session's answer,
//! so no tool that reads sessions picks it up by accident.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sensate_app::{NoteForm, SessionError, SessionForm, SessionLine, SessionProblems};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::CaseId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::cases::case_id;
use super::error::{FieldProblem, Problem};
use super::json::JsonBody;
use super::{ApiError, ApiMember, timestamp};
use crate::AppState;
use crate::routes::Routes;
use crate::session::Member;

pub(super) fn router() -> Routes {
    Routes::new()
        .get_and_post("/api/cases/{id}/sessions", list_sessions, record_session)
        .get("/api/cases/{id}/sessions/{session}", get_session)
        .put("/api/cases/{id}/sessions/{session}/note", save_note)
        .post("/api/cases/{id}/sessions/{session}/addenda", add_addendum)
        .get_and_put(
            "/api/cases/{id}/sessions/{session}/process-note",
            get_process_note,
            save_process_note,
        )
}

/// One session, as the case lists it.
#[derive(Serialize, ToSchema)]
pub(crate) struct SessionOut {
    id: String,
    /// When it began (RFC 3339).
    starts_at: String,
    /// Face-to-face minutes.
    minutes: i64,
    /// `in_person`, `video` or `phone`.
    modality: &'static str,
    /// The session type's code, e.g. `couple_with_client`.
    session_type: &'static str,
    /// The CPT code recorded, if one applies.
    cpt_code: Option<String>,
    /// The ids of the clients who attended.
    attendees: Vec<String>,
    /// The progress note: `none`, `draft` or `signed`.
    note: &'static str,
}

fn session_out(line: &SessionLine) -> SessionOut {
    SessionOut {
        id: line.id.to_string(),
        starts_at: timestamp(line.starts_at),
        minutes: line.minutes,
        modality: line.modality.code(),
        session_type: line.session_type.code(),
        cpt_code: line.cpt_code.clone(),
        attendees: line.attendees.iter().map(ToString::to_string).collect(),
        note: match line.note_signed {
            None => "none",
            Some(false) => "draft",
            Some(true) => "signed",
        },
    }
}

fn ids(case: &str, session: &str) -> Result<(CaseId, Uuid), ApiError> {
    Ok((
        case_id(case)?,
        session.parse().map_err(|_| ApiError::NotFound)?,
    ))
}

/// A case's sessions, oldest first.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/sessions",
    tag = "sessions",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The case's sessions", body = [SessionOut]),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn list_sessions(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<Vec<SessionOut>>, ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    // Reading the case first records the read and answers 404 for a case that is not
    // theirs, which an empty list would not.
    state
        .app
        .case_view(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)?;
    let lines = state
        .app
        .case_sessions(&member.signed_in, case, &member.audit)
        .await?;
    Ok(Json(lines.iter().map(session_out).collect()))
}

/// A session to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionIn {
    /// `YYYY-MM-DD`.
    date: String,
    /// `HH:MM`, 24-hour.
    time: String,
    /// Face-to-face minutes.
    minutes: u32,
    /// `in_person`, `video` or `phone`.
    modality: String,
    /// The session type's code, e.g. `intake`, `individual`, `couple_with_client`,
    /// `couple_without_client` or `group`.
    session_type: String,
    /// The ids of the clients who attended (clients of this case).
    attendees: Vec<String>,
}

/// The recorded session's id (its CPT code is in the session's answer).
#[derive(Serialize, ToSchema)]
pub(crate) struct Recorded {
    id: String,
}

fn session_problems(problems: SessionProblems) -> Vec<FieldProblem> {
    [
        ("date", problems.date),
        ("time", problems.time),
        ("minutes", problems.minutes),
        ("modality", problems.modality),
        ("session_type", problems.session_type),
        ("attendees", problems.attendees),
    ]
    .into_iter()
    .filter_map(|(field, problem)| problem.map(|message| FieldProblem::new(field, message)))
    .collect()
}

fn session_error(error: SessionError, field: &'static str) -> ApiError {
    match error {
        SessionError::Invalid(problems) => ApiError::Invalid(session_problems(problems)),
        SessionError::Note(message) => ApiError::Invalid(vec![FieldProblem::new(field, message)]),
        SessionError::Locked => ApiError::Conflict(SessionError::Locked.to_string()),
        SessionError::NotAllowed => ApiError::NotFound,
        SessionError::App(error) => error.into(),
    }
}

/// Records a session held in a case.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/sessions",
    tag = "sessions",
    params(("id" = String, Path, description = "The case's id")),
    request_body = SessionIn,
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        (status = 400, description = "The body is not a session", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
        (status = 422, description = "Fields need attention; nothing was saved", body = Problem),
    )
)]
pub(crate) async fn record_session(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
    JsonBody(session): JsonBody<SessionIn>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    let form = SessionForm {
        date: session.date,
        time: session.time,
        minutes: session.minutes.to_string(),
        modality: session.modality,
        session_type: session.session_type,
        attendees: session.attendees,
    };
    let id = state
        .app
        .record_session(&member.signed_in, case, &form, &member.audit)
        .await
        .map_err(|error| session_error(error, "session"))?;
    Ok((StatusCode::CREATED, Json(Recorded { id: id.to_string() })))
}

/// A section of a progress note.
#[derive(Serialize, ToSchema)]
pub(crate) struct SectionOut {
    /// Its id in the template (`subjective`, `data`, `behaviour`, …).
    id: &'static str,
    /// Its heading.
    heading: &'static str,
    text: String,
}

/// A progress note.
#[derive(Serialize, ToSchema)]
pub(crate) struct NoteOut {
    /// `soap`, `dap` or `birp`.
    template: &'static str,
    /// In the template's order.
    sections: Vec<SectionOut>,
    /// When it was signed and locked (RFC 3339).
    signed_at: Option<String>,
    /// When it was last saved (RFC 3339).
    updated_at: String,
    /// The plan goals this session worked on, as the plan worded them then.
    goals: Vec<String>,
}

/// An addendum to a signed note.
#[derive(Serialize, ToSchema)]
pub(crate) struct AddendumOut {
    text: String,
    author: String,
    /// RFC 3339.
    written_at: String,
}

/// A session with its progress note and addenda (never its process note).
#[derive(Serialize, ToSchema)]
pub(crate) struct SessionDetail {
    session: SessionOut,
    /// The attendees' names, in order.
    attendee_names: Vec<String>,
    note: Option<NoteOut>,
    /// Oldest first.
    addenda: Vec<AddendumOut>,
    /// The goals of the case's current plan, in order: a note links to them by number.
    plan_goals: Vec<String>,
}

async fn view(
    state: &AppState,
    member: &Member,
    case: CaseId,
    session: Uuid,
) -> Result<sensate_app::SessionView, ApiError> {
    state
        .app
        .session_view(&member.signed_in, case, session, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)
}

/// One session with its progress note and addenda.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/sessions/{session}",
    tag = "sessions",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    responses(
        (status = 200, description = "The session", body = SessionDetail),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such session in a case in your care", body = Problem),
    )
)]
pub(crate) async fn get_session(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<SessionDetail>, ApiError> {
    let (case, session) = ids(&id, &session)?;
    let member = member.clinician()?;
    let view = view(&state, member, case, session).await?;
    Ok(Json(SessionDetail {
        session: session_out(&view.line),
        attendee_names: view
            .attendee_names
            .iter()
            .map(|n| n.expose_secret().to_owned())
            .collect(),
        note: view.note.map(|note| NoteOut {
            template: note.template.code(),
            sections: note
                .sections
                .into_iter()
                .map(|s| SectionOut {
                    id: s.id,
                    heading: s.heading,
                    text: s.text.expose_secret().to_owned(),
                })
                .collect(),
            signed_at: note.signed_at.map(timestamp),
            updated_at: timestamp(note.updated_at),
            goals: note.goals,
        }),
        addenda: view
            .addenda
            .into_iter()
            .map(|a| AddendumOut {
                text: a.text.expose_secret().to_owned(),
                author: a.author.expose_secret().to_owned(),
                written_at: timestamp(a.written_at),
            })
            .collect(),
        plan_goals: view.plan_goals,
    }))
}

/// A progress note to save.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteIn {
    /// `soap`, `dap` or `birp`.
    template: String,
    /// Each section's text by its id in the template; sections left out are empty.
    sections: BTreeMap<String, String>,
    /// True to sign after saving, which locks the note: later changes are addenda.
    #[serde(default)]
    sign: bool,
    /// The numbers (from 1) of the current plan's goals this session worked on.
    #[serde(default)]
    goals: Vec<u32>,
}

/// Saves the session's progress note as a draft, or saves and signs it.
#[utoipa::path(
    put,
    path = "/api/cases/{id}/sessions/{session}/note",
    tag = "sessions",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    request_body = NoteIn,
    responses(
        (status = 204, description = "Saved (and signed, if asked)"),
        (status = 400, description = "The body is not a note", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such session in a case in your care", body = Problem),
        (status = 409, description = "The note is signed and locked; add an addendum", body = Problem),
        (status = 422, description = "A section needs attention; nothing was saved", body = Problem),
    )
)]
pub(crate) async fn save_note(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, session)): Path<(String, String)>,
    JsonBody(note): JsonBody<NoteIn>,
) -> Result<StatusCode, ApiError> {
    let (case, session) = ids(&id, &session)?;
    let member = member.clinician()?;
    let sections: Vec<(String, String)> = note.sections.into_iter().collect();
    let goals: Vec<String> = note.goals.iter().map(ToString::to_string).collect();
    let form = NoteForm {
        template: &note.template,
        sections: &sections,
        sign: note.sign,
        goals: &goals,
    };
    state
        .app
        .save_note(&member.signed_in, case, session, &form, &member.audit)
        .await
        .map_err(|error| match error {
            SessionError::Note(message) if message.starts_with("Plan goals") => {
                ApiError::Invalid(vec![FieldProblem::new("goals", message)])
            }
            other => session_error(other, "sections"),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Free text: an addendum or a process note.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextIn {
    text: String,
}

/// Adds a dated addendum to the session's signed note.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/sessions/{session}/addenda",
    tag = "sessions",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    request_body = TextIn,
    responses(
        (status = 204, description = "Added"),
        (status = 400, description = "The body is not an addendum", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such session in a case in your care", body = Problem),
        (status = 422, description = "Empty, too long, or the note is not signed yet", body = Problem),
    )
)]
pub(crate) async fn add_addendum(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, session)): Path<(String, String)>,
    JsonBody(addendum): JsonBody<TextIn>,
) -> Result<StatusCode, ApiError> {
    let (case, session) = ids(&id, &session)?;
    let member = member.clinician()?;
    state
        .app
        .add_addendum(
            &member.signed_in,
            case,
            session,
            &addendum.text,
            &member.audit,
        )
        .await
        .map_err(|error| session_error(error, "text"))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session's process note: the clinician's own, never shown to clients and never
/// part of a session's answer or an export unless asked for by name.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/sessions/{session}/process-note",
    tag = "sessions",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    responses(
        (status = 200, description = "The process note (empty text when none)", body = TextIn),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such session in a case in your care", body = Problem),
    )
)]
pub(crate) async fn get_process_note(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<TextIn>, ApiError> {
    let (case, session) = ids(&id, &session)?;
    let member = member.clinician()?;
    let view = view(&state, member, case, session).await?;
    Ok(Json(TextIn {
        text: view
            .process_note
            .map(|p| p.expose_secret().to_owned())
            .unwrap_or_default(),
    }))
}

/// Saves the session's process note.
#[utoipa::path(
    put,
    path = "/api/cases/{id}/sessions/{session}/process-note",
    tag = "sessions",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    request_body = TextIn,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not a note", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such session in a case in your care", body = Problem),
        (status = 422, description = "Too long, or holds characters that cannot be saved", body = Problem),
    )
)]
pub(crate) async fn save_process_note(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, session)): Path<(String, String)>,
    JsonBody(note): JsonBody<TextIn>,
) -> Result<StatusCode, ApiError> {
    let (case, session) = ids(&id, &session)?;
    let member = member.clinician()?;
    state
        .app
        .save_process_note(&member.signed_in, case, session, &note.text, &member.audit)
        .await
        .map_err(|error| session_error(error, "text"))?;
    Ok(StatusCode::NO_CONTENT)
}
