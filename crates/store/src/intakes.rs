//! Intake answers and safety alerts.
//!
//! Answers are kept as an append-only list of entries: every save by the client, and
//! every amendment by their clinician in session, is a new entry with its author and
//! time, so the history is never lost. The current answer to a question is its newest
//! entry. Answers and the concern an alert is about are sealed; the question ids are
//! not, since they say only which part of the form a row belongs to.

use async_trait::async_trait;
use sensate_domain::{AccountId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// One saved answer (or a cleared one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeEntryRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// Whose intake.
    pub client_id: ClientId,
    /// Which question.
    pub question_id: String,
    /// The sealed answer; `None` when the answer was cleared.
    pub answer_sealed: Option<Vec<u8>>,
    /// Who wrote it: the client, or their clinician in session.
    pub author_id: AccountId,
    /// When.
    pub written_at: OffsetDateTime,
}

/// An alert raised by a safety answer, for the client's clinician.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeAlertRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// About whom.
    pub client_id: ClientId,
    /// The sealed concern's code.
    pub concern_sealed: Vec<u8>,
    /// When it was raised.
    pub raised_at: OffsetDateTime,
    /// When a clinician marked it as seen.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// Who did.
    pub acknowledged_by: Option<AccountId>,
    /// What they did about it, sealed.
    pub action_sealed: Option<Vec<u8>>,
}

/// Storing intake answers, submissions and alerts.
#[async_trait]
pub trait Intakes {
    /// Appends entries and raises alerts, with their audit rows, in one transaction.
    async fn record_intake(
        &self,
        entries: &[IntakeEntryRecord],
        alerts: &[IntakeAlertRecord],
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Every entry of a client's intake, oldest first.
    async fn intake_entries(&self, client: ClientId) -> Result<Vec<IntakeEntryRecord>, StoreError>;

    /// Marks the client's intake as sent, with its audit rows. Sending again keeps the
    /// first time.
    async fn submit_intake(
        &self,
        client: ClientId,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// When the client sent their intake.
    async fn intake_submitted_at(
        &self,
        client: ClientId,
    ) -> Result<Option<OffsetDateTime>, StoreError>;

    /// A client's alerts, oldest first.
    async fn client_alerts(&self, client: ClientId) -> Result<Vec<IntakeAlertRecord>, StoreError>;

    /// A practice's alerts no clinician has marked as seen yet, oldest first.
    async fn open_alerts(&self, practice: PracticeId)
    -> Result<Vec<IntakeAlertRecord>, StoreError>;

    /// Marks an alert as seen with what the clinician did (sealed), with its audit rows. False, and nothing written, when there
    /// is no such alert or it was already seen.
    async fn acknowledge_alert(
        &self,
        alert: Uuid,
        by: AccountId,
        at: OffsetDateTime,
        action_sealed: &[u8],
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;
}
