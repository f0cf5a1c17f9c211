//! Sessions and notes in the clinic: record a session (Sensate suggests its CPT code),
//! write its progress note from a template, sign it (which locks it), add dated
//! addenda, and keep a process note that only the clinician ever sees.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{NoteForm, SessionError, SessionForm, SessionProblems, SessionView};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::CaseId;
use sensate_domain::therapy_session::{Modality, NoteTemplate, SessionType};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post(
            "/clinic/cases/{id}/sessions/new",
            new_session,
            record_session,
        )
        .get("/clinic/cases/{id}/sessions/{session}", session_page)
        .post("/clinic/cases/{id}/sessions/{session}/note", save_note)
        .post(
            "/clinic/cases/{id}/sessions/{session}/addenda",
            add_addendum,
        )
        .post(
            "/clinic/cases/{id}/sessions/{session}/process-note",
            save_process_note,
        )
}

fn case_id(raw: &str) -> Result<CaseId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn session_id(raw: &str) -> Result<Uuid, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

struct SelectOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

struct AttendeeOption {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "session_new.html")]
struct NewSessionPage {
    chrome: Chrome,
    case_id: String,
    form: SessionForm,
    problems: SessionProblems,
    modalities: Vec<SelectOption>,
    types: Vec<SelectOption>,
    attendees: Vec<AttendeeOption>,
}

async fn new_session_page(
    state: &AppState,
    member: &Member,
    case: CaseId,
    form: SessionForm,
    problems: SessionProblems,
) -> Result<NewSessionPage, WebError> {
    let view = state
        .app
        .case_view(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let all = form.attendees.is_empty() && form.date.is_empty();
    Ok(NewSessionPage {
        chrome: Chrome::member(Section::Clinic, member),
        case_id: case.to_string(),
        modalities: Modality::ALL
            .iter()
            .map(|m| SelectOption {
                code: m.code(),
                label: m.label(),
                selected: form.modality == m.code(),
            })
            .collect(),
        types: SessionType::ALL
            .iter()
            .map(|t| SelectOption {
                code: t.code(),
                label: t.label(),
                selected: form.session_type == t.code(),
            })
            .collect(),
        attendees: view
            .clients
            .iter()
            .map(|c| {
                let id = c.id.to_string();
                AttendeeOption {
                    checked: all || form.attendees.contains(&id),
                    id,
                    name: c.name.expose_secret().to_owned(),
                }
            })
            .collect(),
        form,
        problems,
    })
}

async fn new_session(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let case = case_id(&id)?;
    let today = state.app.now();
    let form = SessionForm {
        minutes: "50".into(),
        time: format!("{:02}:00", today.hour()),
        ..SessionForm::default()
    };
    let mut page =
        new_session_page(&state, &member, case, form, SessionProblems::default()).await?;
    page.form.date = today.date().to_string();
    Ok(Html(page.render()?))
}

async fn record_session(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let case = case_id(&id)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    let form = SessionForm {
        date: field("date"),
        time: field("time"),
        minutes: field("minutes"),
        modality: field("modality"),
        session_type: field("session_type"),
        attendees: fields
            .iter()
            .filter(|(k, _)| k == "attendee")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    match state
        .app
        .record_session(&member.signed_in, case, &form, &member.audit)
        .await
    {
        Ok(session) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/sessions/{session}?recorded"
        ))
        .into_response()),
        Err(SessionError::Invalid(problems)) => {
            let page = new_session_page(&state, &member, case, form, problems).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(SessionError::NotAllowed) => Err(WebError::NotFound),
        Err(SessionError::App(error)) => Err(error.into()),
        Err(other) => Err(WebError::Internal(other.to_string())),
    }
}

struct SectionField {
    id: &'static str,
    heading: &'static str,
    hint: &'static str,
    text: String,
}

struct AddendumRow {
    text: String,
    author: String,
    when: String,
}

struct TemplateOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    error: Option<String>,
    case_id: String,
    session_id: String,
    when: String,
    minutes: i64,
    modality: &'static str,
    session_type: &'static str,
    cpt: String,
    attendees: String,
    signed: Option<String>,
    template: &'static str,
    templates: Vec<TemplateOption>,
    sections: Vec<SectionField>,
    addenda: Vec<AddendumRow>,
    process_note: String,
    /// The current plan's goals, each with whether this note is linked to it.
    plan_goals: Vec<GoalChoice>,
    /// The goals a signed note was linked to.
    linked_goals: Vec<String>,
}

struct GoalChoice {
    number: usize,
    goal: String,
    linked: bool,
}

fn when(at: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
}

#[derive(Deserialize, Default)]
struct SessionQuery {
    #[serde(default)]
    recorded: Option<String>,
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    signed: Option<String>,
    #[serde(default)]
    template: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    case: CaseId,
    session: Uuid,
    notice: Option<&'static str>,
    error: Option<String>,
    chosen: Option<NoteTemplate>,
) -> Result<SessionPage, WebError> {
    let SessionView {
        line,
        attendee_names,
        note,
        addenda,
        process_note,
        plan_goals,
    } = state
        .app
        .session_view(&member.signed_in, case, session, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let linked_goals = note.as_ref().map(|n| n.goals.clone()).unwrap_or_default();
    let template = chosen
        .or(note.as_ref().map(|n| n.template))
        .unwrap_or(NoteTemplate::Soap);
    let sections = template
        .sections()
        .iter()
        .map(|(id, heading, hint)| SectionField {
            id,
            heading,
            hint,
            text: note
                .as_ref()
                .and_then(|n| n.sections.iter().find(|s| s.id == *id))
                .map(|s| s.text.expose_secret().to_owned())
                .unwrap_or_default(),
        })
        .collect();
    Ok(SessionPage {
        chrome: Chrome::member(Section::Clinic, member),
        notice,
        error,
        case_id: case.to_string(),
        session_id: session.to_string(),
        when: when(line.starts_at),
        minutes: line.minutes,
        modality: line.modality.label(),
        session_type: line.session_type.label(),
        cpt: match (
            &line.cpt_code,
            line.session_type
                .cpt_code(u32::try_from(line.minutes).unwrap_or(0)),
        ) {
            (Some(code), _) => code.clone(),
            (None, Err(reason)) => format!("None: {reason}"),
            (None, Ok(_)) => "None".into(),
        },
        attendees: attendee_names
            .iter()
            .map(|n| n.expose_secret().to_owned())
            .collect::<Vec<_>>()
            .join(", "),
        signed: note.as_ref().and_then(|n| n.signed_at).map(when),
        template: template.label(),
        templates: NoteTemplate::ALL
            .iter()
            .map(|t| TemplateOption {
                code: t.code(),
                label: t.label(),
                selected: *t == template,
            })
            .collect(),
        sections,
        addenda: addenda
            .iter()
            .map(|a| AddendumRow {
                text: a.text.expose_secret().to_owned(),
                author: a.author.expose_secret().to_owned(),
                when: when(a.written_at),
            })
            .collect(),
        process_note: process_note
            .map(|p| p.expose_secret().to_owned())
            .unwrap_or_default(),
        plan_goals: plan_goals
            .into_iter()
            .enumerate()
            .map(|(index, goal)| GoalChoice {
                number: index + 1,
                linked: linked_goals.contains(&goal),
                goal,
            })
            .collect(),
        linked_goals,
    })
}

async fn session_page(
    State(state): State<AppState>,
    member: Member,
    Path((id, session)): Path<(String, String)>,
    Query(query): Query<SessionQuery>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let (case, session) = (case_id(&id)?, session_id(&session)?);
    let notice = if query.recorded.is_some() {
        Some("The session is recorded. Write its note below.")
    } else if query.signed.is_some() {
        Some("Signed. The note is now locked; later changes are added as dated addenda.")
    } else if query.saved.is_some() {
        Some("Saved.")
    } else {
        None
    };
    let chosen = query.template.as_deref().and_then(NoteTemplate::parse);
    Ok(Html(
        render(&state, &member, case, session, notice, None, chosen)
            .await?
            .render()?,
    ))
}

async fn refused(
    state: &AppState,
    member: &Member,
    case: CaseId,
    session: Uuid,
    error: SessionError,
) -> Result<Response, WebError> {
    let message = match error {
        SessionError::NotAllowed => return Err(WebError::NotFound),
        SessionError::App(error) => return Err(error.into()),
        other => other.to_string(),
    };
    let page = render(state, member, case, session, None, Some(message), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn save_note(
    State(state): State<AppState>,
    member: Member,
    Path((id, session)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, session) = (case_id(&id)?, session_id(&session)?);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let sign = field("action") == "sign";
    let goals: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "goal")
        .map(|(_, v)| v.clone())
        .collect();
    match state
        .app
        .save_note(
            &member.signed_in,
            case,
            session,
            &NoteForm {
                template: field("template"),
                sections: &fields,
                sign,
                goals: &goals,
            },
            &member.audit,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/sessions/{session}?{}",
            if sign { "signed" } else { "saved" }
        ))
        .into_response()),
        Err(error) => refused(&state, &member, case, session, error).await,
    }
}

#[derive(Deserialize)]
struct TextForm {
    #[serde(default)]
    text: String,
}

async fn add_addendum(
    State(state): State<AppState>,
    member: Member,
    Path((id, session)): Path<(String, String)>,
    Form(form): Form<TextForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, session) = (case_id(&id)?, session_id(&session)?);
    match state
        .app
        .add_addendum(&member.signed_in, case, session, &form.text, &member.audit)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/clinic/cases/{case}/sessions/{session}?saved")).into_response(),
        ),
        Err(error) => refused(&state, &member, case, session, error).await,
    }
}

async fn save_process_note(
    State(state): State<AppState>,
    member: Member,
    Path((id, session)): Path<(String, String)>,
    Form(form): Form<TextForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, session) = (case_id(&id)?, session_id(&session)?);
    match state
        .app
        .save_process_note(&member.signed_in, case, session, &form.text, &member.audit)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/clinic/cases/{case}/sessions/{session}?saved")).into_response(),
        ),
        Err(error) => refused(&state, &member, case, session, error).await,
    }
}
