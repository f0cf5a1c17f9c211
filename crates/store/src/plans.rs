//! Treatment plans: every change a numbered revision (content and reason sealed, author
//! and time plain), and clients' acknowledgements of a revision.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// One revision of a case's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRevisionRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// The case.
    pub case_id: CaseId,
    /// 1 for the first plan, then one more for each revision.
    pub number: i64,
    /// The sealed content.
    pub content_sealed: Vec<u8>,
    /// The sealed reason for the change (`None` for the first plan).
    pub reason_sealed: Option<Vec<u8>>,
    /// Who wrote it.
    pub written_by: AccountId,
    /// When.
    pub written_at: OffsetDateTime,
}

/// A client's acknowledgement of one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanAcknowledgementRecord {
    /// The revision.
    pub revision_id: Uuid,
    /// Whose.
    pub client_id: ClientId,
    /// The account that acknowledged it.
    pub acknowledged_by: AccountId,
    /// When.
    pub acknowledged_at: OffsetDateTime,
}

/// Storing plans.
#[async_trait]
pub trait Plans {
    /// Adds a revision, with its audit rows. A number already used for the case is a
    /// conflict over `"plan revision"` (two clinicians saving at once).
    async fn add_plan_revision(
        &self,
        revision: &PlanRevisionRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// A case's revisions, oldest first.
    async fn plan_revisions(&self, case: CaseId) -> Result<Vec<PlanRevisionRecord>, StoreError>;

    /// Records an acknowledgement, with its audit rows; acknowledging twice keeps the first.
    async fn acknowledge_plan(
        &self,
        acknowledgement: &PlanAcknowledgementRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// The acknowledgements of a revision.
    async fn plan_acknowledgements(
        &self,
        revision: Uuid,
    ) -> Result<Vec<PlanAcknowledgementRecord>, StoreError>;
}
