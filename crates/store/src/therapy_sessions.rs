//! Therapy sessions, their progress notes (signed notes are locked; later changes are
//! dated addenda) and psychotherapy (process) notes, which are the clinician's alone.
//!
//! When, how long, how and which kind of session are plain columns (the schedule and
//! billing need them; they say nothing of what was said). Every note is sealed.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// A session as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TherapySessionRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// When it began.
    pub starts_at: OffsetDateTime,
    /// Face-to-face minutes.
    pub minutes: i64,
    /// In person, video or phone (its code).
    pub modality: String,
    /// The kind of session (its code).
    pub session_type: String,
    /// The CPT code suggested when it was recorded, if any applies.
    pub cpt_code: Option<String>,
    /// The clients who attended.
    pub attendees: Vec<ClientId>,
    /// Who recorded it.
    pub recorded_by: AccountId,
}

/// A progress note as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressNoteRecord {
    /// The session it belongs to.
    pub session_id: Uuid,
    /// Its template (its code).
    pub template: String,
    /// The sealed sections.
    pub body_sealed: Vec<u8>,
    /// Who last wrote it.
    pub written_by: AccountId,
    /// When.
    pub updated_at: OffsetDateTime,
    /// When it was signed (and locked).
    pub signed_at: Option<OffsetDateTime>,
}

/// An addendum to a signed note, or a process note: sealed text with its author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteTextRecord {
    /// Its id (for a process note, the session's id).
    pub id: Uuid,
    /// The session it belongs to.
    pub session_id: Uuid,
    /// The sealed text.
    pub body_sealed: Vec<u8>,
    /// Who wrote it.
    pub written_by: AccountId,
    /// When.
    pub written_at: OffsetDateTime,
}

/// What saving a progress note did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteSave {
    /// Saved (new or replaced draft).
    Saved,
    /// The note is signed and locked; nothing was written.
    Locked,
}

/// Storing sessions and notes.
#[async_trait]
pub trait TherapySessions {
    /// Records a session with its attendees and audit rows.
    async fn record_session(
        &self,
        session: &TherapySessionRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// One session with its attendees.
    async fn therapy_session(&self, id: Uuid) -> Result<Option<TherapySessionRecord>, StoreError>;

    /// A case's sessions with their attendees, oldest first.
    async fn case_sessions(&self, case: CaseId) -> Result<Vec<TherapySessionRecord>, StoreError>;

    /// Saves a draft progress note (a new one, or over an unsigned draft), with its audit
    /// rows; a signed note is never changed.
    async fn save_progress_note(
        &self,
        note: &ProgressNoteRecord,
        audit: Audited<'_>,
    ) -> Result<NoteSave, StoreError>;

    /// Signs and locks a draft note, with its audit rows. False when there is no draft
    /// (no note, or already signed).
    async fn sign_progress_note(
        &self,
        session: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// A session's progress note.
    async fn progress_note(&self, session: Uuid) -> Result<Option<ProgressNoteRecord>, StoreError>;

    /// Adds a dated addendum to a signed note, with its audit rows. False, and nothing
    /// written, when the note is not signed.
    async fn add_addendum(
        &self,
        addendum: &NoteTextRecord,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// A note's addenda, oldest first.
    async fn addenda(&self, session: Uuid) -> Result<Vec<NoteTextRecord>, StoreError>;

    /// Saves the session's psychotherapy (process) note, replacing the earlier text.
    async fn save_process_note(
        &self,
        note: &NoteTextRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// The session's process note.
    async fn process_note(&self, session: Uuid) -> Result<Option<NoteTextRecord>, StoreError>;
}
