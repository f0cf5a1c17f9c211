//! Questionnaire administration: what a clinician assigns a client, and the client's
//! responses with their scores.
//!
//! Which instrument is sealed too: knowing that a client was given the PCL-5 or the
//! IIEF says something about them. What stays plain is only what the portal needs to
//! find work without opening anything: whose it is, and when it is due or was done.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, IntakeAlertRecord, OutboxRecord, StoreError};

/// A questionnaire assigned to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// The case it is part of.
    pub case_id: CaseId,
    /// Who answers it.
    pub client_id: ClientId,
    /// The sealed instrument id (`phq9`).
    pub instrument_sealed: Vec<u8>,
    /// Weeks between administrations; `None` for once (or before each session).
    pub every_weeks: Option<i64>,
    /// True when an administration opens before each of the client's sessions instead.
    pub before_sessions: bool,
    /// Days before an administration closes to remind the client; `None` for no reminder.
    pub reminder_days: Option<i64>,
    /// When the first administration is due.
    pub starts_at: OffsetDateTime,
    /// How many days each administration stays open.
    pub open_days: i64,
    /// Who assigned it.
    pub assigned_by: AccountId,
    /// When.
    pub assigned_at: OffsetDateTime,
    /// When the clinician stopped it.
    pub ended_at: Option<OffsetDateTime>,
}

/// One response: answers saved as they are given, then completed and scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// The case.
    pub case_id: CaseId,
    /// Whose answers.
    pub client_id: ClientId,
    /// The assignment it answers (`None` for answers entered from paper unasked).
    pub assignment_id: Option<Uuid>,
    /// Which administration of the assignment (0 for the first).
    pub round: i64,
    /// The sealed instrument id and definition version (`phq9@1.0.0`).
    pub instrument_sealed: Vec<u8>,
    /// The sealed coded values, comma-separated in item order (empty for unanswered).
    pub answers_sealed: Vec<u8>,
    /// The sealed score (JSON), once completed.
    pub score_sealed: Option<Vec<u8>>,
    /// Who entered the answers: the client, or their clinician from paper.
    pub entered_by: AccountId,
    /// When the answers were last saved.
    pub updated_at: OffsetDateTime,
    /// When it was completed.
    pub completed_at: Option<OffsetDateTime>,
}

/// What saving a response did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseSave {
    /// Stored.
    Saved,
    /// It was already completed: completed answers are never changed.
    AlreadyCompleted,
}

/// Which notice a client was sent about one administration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// It has opened.
    Opened,
    /// It closes soon and is not done.
    Reminder,
}

impl NoticeKind {
    /// Its stored code.
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Opened => "opened",
            NoticeKind::Reminder => "reminder",
        }
    }
}

/// A notice sent about one administration: kept so each is sent once, however often
/// the job that sends them runs and however many servers run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRecord {
    /// The assignment.
    pub assignment_id: Uuid,
    /// The administration.
    pub round: i64,
    /// Which notice.
    pub kind: NoticeKind,
    /// The outbox message that carries it.
    pub message_id: Uuid,
    /// When.
    pub sent_at: OffsetDateTime,
}

/// Storing assignments and responses.
#[async_trait]
pub trait Questionnaires {
    /// Stores an assignment, with its audit rows.
    async fn assign(
        &self,
        assignment: &AssignmentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Stops an assignment; false when there is none or it was already stopped.
    async fn end_assignment(
        &self,
        assignment: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// A client's assignments, oldest first.
    async fn client_assignments(
        &self,
        client: ClientId,
    ) -> Result<Vec<AssignmentRecord>, StoreError>;

    /// Stores a response or replaces its answers, with the safety alerts its answers
    /// raise and its audit rows, all in one transaction (a completed response without
    /// its alert could never raise it again); a completed response is never changed.
    async fn save_response(
        &self,
        response: &ResponseRecord,
        alerts: &[IntakeAlertRecord],
        audit: Audited<'_>,
    ) -> Result<ResponseSave, StoreError>;

    /// Every assignment not yet stopped, in every practice, oldest first: the notices
    /// job's work list.
    async fn running_assignments(&self) -> Result<Vec<AssignmentRecord>, StoreError>;

    /// Records a notice with the outbox message carrying it, in one transaction; false
    /// (and nothing stored) when that notice was already sent.
    async fn record_notice(
        &self,
        notice: &NoticeRecord,
        message: &OutboxRecord,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// One response.
    async fn response(&self, id: Uuid) -> Result<Option<ResponseRecord>, StoreError>;

    /// A client's responses, oldest first by last save.
    async fn client_responses(&self, client: ClientId) -> Result<Vec<ResponseRecord>, StoreError>;
}
