//! Sessions and notes: the clinician records a session (when, how long, how, what kind,
//! who attended) and Sensate suggests its CPT code; writes a progress note from a
//! template, signs it (which locks it) and adds dated addenda after; and keeps a
//! psychotherapy (process) note apart, for their eyes only.
//!
//! Dates and times are taken as typed and shown as typed (the practice's own time);
//! a practice time zone comes with scheduling.

use std::collections::BTreeMap;

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::access::Intent;
use sensate_domain::client::parse_date;
use sensate_domain::therapy_session::{
    Modality, NoteTemplate, SessionType, clean_note_text, parse_minutes,
};
use sensate_domain::{CaseId, ClientId};
use sensate_store::{
    CaseRecord, NoteSave, NoteTextRecord, ProgressNoteRecord, TherapySessionRecord,
};
use time::{OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const SESSION: ObjectType = ObjectType::from_static("therapy_session");
const NOTE: ObjectType = ObjectType::from_static("progress_note");
const ADDENDUM: ObjectType = ObjectType::from_static("note_addendum");
const PROCESS_NOTE: ObjectType = ObjectType::from_static("process_note");

/// A session as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct SessionForm {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// Face-to-face minutes.
    pub minutes: String,
    /// The modality's code.
    pub modality: String,
    /// The session type's code.
    pub session_type: String,
    /// The ids of the clients who attended.
    pub attendees: Vec<String>,
}

/// A progress note as typed: its template's code, its sections by id, and whether to
/// sign (and lock) it.
#[derive(Clone, Copy, Debug)]
pub struct NoteForm<'a> {
    /// The template's code.
    pub template: &'a str,
    /// Section id and text pairs (other fields are ignored).
    pub sections: &'a [(String, String)],
    /// True to sign after saving.
    pub sign: bool,
    /// The numbers (from 1) of the current plan's goals this session worked on.
    pub goals: &'a [String],
}

/// What is wrong with a session form, field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionProblems {
    /// The date's problem.
    pub date: Option<String>,
    /// The time's problem.
    pub time: Option<String>,
    /// The duration's problem.
    pub minutes: Option<String>,
    /// The modality's problem.
    pub modality: Option<String>,
    /// The type's problem.
    pub session_type: Option<String>,
    /// The attendees' problem.
    pub attendees: Option<String>,
}

/// Why a session or note was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The session form needs attention; nothing was saved.
    #[error("some fields need attention")]
    Invalid(SessionProblems),
    /// A note section needs attention; nothing was saved.
    #[error("{0}")]
    Note(String),
    /// The note is signed and locked: add an addendum instead.
    #[error("this note is signed and locked; add an addendum instead")]
    Locked,
    /// Not this person's case or session.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// One session, for the case's list.
#[derive(Debug)]
pub struct SessionLine {
    /// Its id.
    pub id: Uuid,
    /// When it began.
    pub starts_at: OffsetDateTime,
    /// Minutes.
    pub minutes: i64,
    /// How.
    pub modality: Modality,
    /// What kind.
    pub session_type: SessionType,
    /// Its CPT code, if one applies.
    pub cpt_code: Option<String>,
    /// Who attended.
    pub attendees: Vec<ClientId>,
    /// `None` without a note; `Some(false)` for a draft, `Some(true)` once signed.
    pub note_signed: Option<bool>,
}

/// A section of a note, opened.
#[derive(Debug)]
pub struct NoteSection {
    /// Its id in the template.
    pub id: &'static str,
    /// Its heading.
    pub heading: &'static str,
    /// What goes there.
    pub hint: &'static str,
    /// Its text.
    pub text: SecretString,
}

/// A progress note, opened.
#[derive(Debug)]
pub struct NoteView {
    /// Its template.
    pub template: NoteTemplate,
    /// Its sections, in the template's order.
    pub sections: Vec<NoteSection>,
    /// When it was signed.
    pub signed_at: Option<OffsetDateTime>,
    /// When it was last saved.
    pub updated_at: OffsetDateTime,
    /// The plan goals this session worked on, as the plan worded them when the note
    /// was saved (a later revision does not rewrite a note).
    pub goals: Vec<String>,
}

/// An addendum, opened.
#[derive(Debug)]
pub struct AddendumView {
    /// Its text.
    pub text: SecretString,
    /// Who wrote it.
    pub author: SecretString,
    /// When.
    pub written_at: OffsetDateTime,
}

/// One session with its notes, opened for its clinician.
#[derive(Debug)]
pub struct SessionView {
    /// The session.
    pub line: SessionLine,
    /// The attendees' names, in order.
    pub attendee_names: Vec<SecretString>,
    /// Its progress note.
    pub note: Option<NoteView>,
    /// Addenda to the signed note, oldest first.
    pub addenda: Vec<AddendumView>,
    /// The process note, for the clinician only.
    pub process_note: Option<SecretString>,
    /// The goals of the case's current plan, in order (empty without a plan), for
    /// linking the note to them.
    pub plan_goals: Vec<String>,
}

/// The key under which a note's body keeps its linked goals (no template has a section
/// of that name).
const GOALS_KEY: &str = "goals";

fn parse_time(raw: &str) -> Option<Time> {
    let (hour, minute) = raw.trim().split_once(':')?;
    if hour.len() != 2 || minute.len() != 2 {
        return None;
    }
    Time::from_hms(hour.parse().ok()?, minute.parse().ok()?, 0).ok()
}

pub(crate) fn line(
    record: &TherapySessionRecord,
    note_signed: Option<bool>,
) -> Result<SessionLine, AppError> {
    let corrupt = |what: &'static str| {
        AppError::Store(sensate_store::StoreError::Corrupt {
            what,
            reason: "unknown code".into(),
        })
    };
    Ok(SessionLine {
        id: record.id,
        starts_at: record.starts_at,
        minutes: record.minutes,
        modality: Modality::parse(&record.modality).ok_or_else(|| corrupt("modality"))?,
        session_type: SessionType::parse(&record.session_type)
            .ok_or_else(|| corrupt("session type"))?,
        cpt_code: record.cpt_code.clone(),
        attendees: record.attendees.clone(),
        note_signed,
    })
}

impl App {
    /// The case, when this clinician may work in it.
    async fn clinician_case(
        &self,
        by: &SignedIn,
        case: CaseId,
        intent: Intent,
        context: &AuditContext,
    ) -> Result<Option<CaseRecord>, AppError> {
        self.permitted_case(by, case, intent, context).await
    }

    /// Records a session in a case.
    pub async fn record_session(
        &self,
        by: &SignedIn,
        case: CaseId,
        form: &SessionForm,
        context: &AuditContext,
    ) -> Result<Uuid, SessionError> {
        let Some(case) = self
            .clinician_case(by, case, Intent::Write, context)
            .await?
        else {
            return Err(SessionError::NotAllowed);
        };
        let mut problems = SessionProblems::default();
        let date = parse_date(&form.date);
        if date.is_none() {
            problems.date = Some("Date should be a date such as 2026-11-30".into());
        }
        let time = parse_time(&form.time);
        if time.is_none() {
            problems.time = Some("Time should be hours and minutes, such as 14:30".into());
        }
        let minutes = parse_minutes(&form.minutes)
            .map_err(|e| problems.minutes = Some(e))
            .ok();
        let modality = Modality::parse(&form.modality);
        if modality.is_none() {
            problems.modality = Some("Choose how the session was held".into());
        }
        let session_type = SessionType::parse(&form.session_type);
        if session_type.is_none() {
            problems.session_type = Some("Choose the kind of session".into());
        }
        let mut attendees: Vec<ClientId> = Vec::new();
        for raw in &form.attendees {
            match raw.parse::<ClientId>() {
                Ok(id) if case.clients.contains(&id) && !attendees.contains(&id) => {
                    attendees.push(id)
                }
                _ => {
                    problems.attendees = Some("Choose who attended from this case's clients".into())
                }
            }
        }
        if attendees.is_empty() && problems.attendees.is_none() {
            problems.attendees = Some("Choose who attended".into());
        }
        if let Some(kind) = session_type {
            let fits = match kind {
                SessionType::Individual => attendees.len() == 1,
                SessionType::CoupleWithClient => attendees.len() >= 2,
                _ => true,
            };
            if !fits && problems.attendees.is_none() {
                problems.attendees = Some(match kind {
                    SessionType::Individual => "An individual session has one attendee".into(),
                    _ => {
                        "A couple session with the client present has at least two attendees".into()
                    }
                });
            }
        }
        let (Some(date), Some(time), Some(minutes), Some(modality), Some(session_type)) =
            (date, time, minutes, modality, session_type)
        else {
            return Err(SessionError::Invalid(problems));
        };
        if problems != SessionProblems::default() {
            return Err(SessionError::Invalid(problems));
        }
        let record = TherapySessionRecord {
            id: Uuid::now_v7(),
            practice_id: case.practice_id,
            case_id: case.id,
            starts_at: PrimitiveDateTime::new(date, time).assume_utc(),
            minutes: i64::from(minutes),
            modality: modality.code().to_owned(),
            session_type: session_type.code().to_owned(),
            cpt_code: session_type.cpt_code(minutes).ok().map(str::to_owned),
            attendees,
            recorded_by: by.account_id,
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Create,
            SESSION,
            record.id,
            context,
        );
        self.store
            .record_session(&record, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(record.id)
    }

    /// A case's sessions, for its clinician (the case page reads the case itself).
    pub async fn case_sessions(
        &self,
        by: &SignedIn,
        case: CaseId,
        context: &AuditContext,
    ) -> Result<Vec<SessionLine>, AppError> {
        let Some(case) = self.clinician_case(by, case, Intent::Read, context).await? else {
            return Ok(Vec::new());
        };
        let mut lines = Vec::new();
        for record in self.store.case_sessions(case.id).await? {
            let note = self.store.progress_note(record.id).await?;
            lines.push(line(&record, note.map(|n| n.signed_at.is_some()))?);
        }
        Ok(lines)
    }

    async fn permitted_session(
        &self,
        by: &SignedIn,
        case: CaseId,
        session: Uuid,
        intent: Intent,
        context: &AuditContext,
    ) -> Result<Option<(CaseRecord, TherapySessionRecord)>, AppError> {
        let Some(case) = self.clinician_case(by, case, intent, context).await? else {
            return Ok(None);
        };
        Ok(self
            .store
            .therapy_session(session)
            .await?
            .filter(|record| record.case_id == case.id)
            .map(|record| (case, record)))
    }

    /// One session with its notes, for its clinician.
    pub async fn session_view(
        &self,
        by: &SignedIn,
        case: CaseId,
        session: Uuid,
        context: &AuditContext,
    ) -> Result<Option<SessionView>, AppError> {
        let Some((case, record)) = self
            .permitted_session(by, case, session, Intent::Read, context)
            .await?
        else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            SESSION,
            record.id,
            context,
        );
        self.record_event(event).await?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let mut attendee_names = Vec::new();
        for id in &record.attendees {
            if let Some(client) = self.store.client(*id).await? {
                attendee_names.push(crate::cases::open_client(&key, &client)?.name);
            }
        }
        let stored = self.store.progress_note(record.id).await?;
        let note = match &stored {
            Some(note) => {
                let template = NoteTemplate::parse(&note.template).ok_or_else(|| {
                    AppError::Store(sensate_store::StoreError::Corrupt {
                        what: "note template",
                        reason: "unknown code".into(),
                    })
                })?;
                let body = key.open_str(
                    &Sealed::from_bytes(note.body_sealed.clone())?,
                    &Binding::new("progress_note", "body_sealed", record.id),
                )?;
                let corrupt = |e: serde_json::Error| {
                    AppError::Store(sensate_store::StoreError::Corrupt {
                        what: "progress note",
                        reason: e.to_string(),
                    })
                };
                let mut texts: BTreeMap<String, String> =
                    serde_json::from_str(body.expose_secret()).map_err(corrupt)?;
                let goals: Vec<String> = match texts.remove(GOALS_KEY) {
                    Some(list) => serde_json::from_str(&list).map_err(corrupt)?,
                    None => Vec::new(),
                };
                Some(NoteView {
                    template,
                    sections: template
                        .sections()
                        .iter()
                        .map(|(id, heading, hint)| NoteSection {
                            id,
                            heading,
                            hint,
                            text: SecretString::from(texts.remove(*id).unwrap_or_default()),
                        })
                        .collect(),
                    signed_at: note.signed_at,
                    updated_at: note.updated_at,
                    goals,
                })
            }
            None => None,
        };
        let mut addenda = Vec::new();
        for addendum in self.store.addenda(record.id).await? {
            addenda.push(AddendumView {
                text: key.open_str(
                    &Sealed::from_bytes(addendum.body_sealed.clone())?,
                    &Binding::new("note_addendum", "body_sealed", addendum.id),
                )?,
                author: self
                    .person(addendum.written_by)
                    .await?
                    .map_or_else(|| SecretString::from("(no longer here)"), |p| p.name),
                written_at: addendum.written_at,
            });
        }
        let process_note = self
            .store
            .process_note(record.id)
            .await?
            .map(|note| {
                key.open_str(
                    &Sealed::from_bytes(note.body_sealed.clone())?,
                    &Binding::new("process_note", "body_sealed", record.id),
                )
            })
            .transpose()?;
        let plan_goals = self.current_goals(&key, case.id).await?;
        Ok(Some(SessionView {
            line: line(&record, stored.map(|n| n.signed_at.is_some()))?,
            attendee_names,
            note,
            addenda,
            process_note,
            plan_goals,
        }))
    }

    /// Saves the progress note as a draft, or saves and signs it (`sign`), which locks it.
    pub async fn save_note(
        &self,
        by: &SignedIn,
        case: CaseId,
        session: Uuid,
        form: &NoteForm<'_>,
        context: &AuditContext,
    ) -> Result<(), SessionError> {
        let Some((case, record)) = self
            .permitted_session(by, case, session, Intent::Write, context)
            .await?
        else {
            return Err(SessionError::NotAllowed);
        };
        let (sections, sign) = (form.sections, form.sign);
        let template = NoteTemplate::parse(form.template)
            .ok_or_else(|| SessionError::Note("Choose a note template".into()))?;
        let mut texts = BTreeMap::new();
        for (id, heading, _) in template.sections() {
            let raw = sections
                .iter()
                .find(|(k, _)| k == id)
                .map_or("", |(_, v)| v.as_str());
            let text =
                clean_note_text(raw).map_err(|e| SessionError::Note(format!("{heading}: {e}")))?;
            texts.insert((*id).to_owned(), text);
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        if !form.goals.is_empty() {
            let plan_goals = self.current_goals(&key, case.id).await?;
            let mut linked = Vec::with_capacity(form.goals.len());
            for raw in form.goals {
                let goal = raw
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| plan_goals.get(i))
                    .ok_or_else(|| {
                        SessionError::Note(
                            "Plan goals: choose goals from the case's current plan".into(),
                        )
                    })?;
                if !linked.contains(goal) {
                    linked.push(goal.clone());
                }
            }
            let list = serde_json::to_string(&linked).map_err(|e| AppError::Task(e.to_string()))?;
            texts.insert(GOALS_KEY.to_owned(), list);
        }
        if sign
            && texts
                .iter()
                .all(|(id, text)| id == GOALS_KEY || text.is_empty())
        {
            return Err(SessionError::Note(
                "Write the note before signing it".into(),
            ));
        }
        let body = serde_json::to_string(&texts).map_err(|e| AppError::Task(e.to_string()))?;
        let sealed = key
            .seal_str(
                &body,
                &Binding::new("progress_note", "body_sealed", record.id),
            )
            .map_err(AppError::from)?
            .into_bytes();
        let now = self.clock.now();
        let note = ProgressNoteRecord {
            session_id: record.id,
            template: template.code().to_owned(),
            body_sealed: sealed,
            written_by: by.account_id,
            updated_at: now,
            signed_at: None,
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Update,
            NOTE,
            record.id,
            context,
        );
        match self
            .store
            .save_progress_note(&note, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?
        {
            NoteSave::Locked => return Err(SessionError::Locked),
            NoteSave::Saved => {}
        }
        if sign {
            let event = self.event_about(
                Actor::User(by.account_id.as_uuid()),
                case.practice_id,
                Action::Update,
                NOTE,
                record.id,
                context,
            );
            self.store
                .sign_progress_note(record.id, now, self.audited(vec![event]))
                .await
                .map_err(AppError::from)?;
        }
        Ok(())
    }

    /// The goals of the case's newest plan revision, in order.
    async fn current_goals(&self, key: &DataKey, case: CaseId) -> Result<Vec<String>, AppError> {
        let Some(newest) = self.store.plan_revisions(case).await?.pop() else {
            return Ok(Vec::new());
        };
        let revision = self.open_revision(key, &newest).await?;
        Ok(revision
            .content
            .goals
            .into_iter()
            .map(|goal| goal.goal)
            .collect())
    }

    /// Adds a dated addendum to the signed note.
    pub async fn add_addendum(
        &self,
        by: &SignedIn,
        case: CaseId,
        session: Uuid,
        text: &str,
        context: &AuditContext,
    ) -> Result<(), SessionError> {
        let Some((case, record)) = self
            .permitted_session(by, case, session, Intent::Write, context)
            .await?
        else {
            return Err(SessionError::NotAllowed);
        };
        let text = clean_note_text(text).map_err(SessionError::Note)?;
        if text.is_empty() {
            return Err(SessionError::Note("Write the addendum first".into()));
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let addendum = NoteTextRecord {
            id,
            session_id: record.id,
            body_sealed: key
                .seal_str(&text, &Binding::new("note_addendum", "body_sealed", id))
                .map_err(AppError::from)?
                .into_bytes(),
            written_by: by.account_id,
            written_at: self.clock.now(),
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Create,
            ADDENDUM,
            id,
            context,
        );
        if self
            .store
            .add_addendum(&addendum, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?
        {
            Ok(())
        } else {
            Err(SessionError::Note(
                "Sign the note before adding an addendum; until then, edit it".into(),
            ))
        }
    }

    /// Saves the session's process note (the clinician's alone).
    pub async fn save_process_note(
        &self,
        by: &SignedIn,
        case: CaseId,
        session: Uuid,
        text: &str,
        context: &AuditContext,
    ) -> Result<(), SessionError> {
        let Some((case, record)) = self
            .permitted_session(by, case, session, Intent::Write, context)
            .await?
        else {
            return Err(SessionError::NotAllowed);
        };
        let text = clean_note_text(text).map_err(SessionError::Note)?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let note = NoteTextRecord {
            id: record.id,
            session_id: record.id,
            body_sealed: key
                .seal_str(
                    &text,
                    &Binding::new("process_note", "body_sealed", record.id),
                )
                .map_err(AppError::from)?
                .into_bytes(),
            written_by: by.account_id,
            written_at: self.clock.now(),
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Update,
            PROCESS_NOTE,
            record.id,
            context,
        );
        self.store
            .save_process_note(&note, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }
}
