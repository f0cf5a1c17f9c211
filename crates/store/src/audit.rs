//! The audit trail: appending chained rows and verifying them from one snapshot.
//!
//! The chain's logic is `sensate-audit`'s; the store persists its rows and head as
//! docs/audit.md lays out, appending under the head row's lock so two processes never
//! fork the chain.

use async_trait::async_trait;
use sensate_audit::{AuditChain, AuditEvent, AuditRecord, ChainBreak, VerifiedChain};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// Which rows an owner wants to see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this practice's rows (owners only ever see their own practice).
    pub practice_id: Option<Uuid>,
    /// Only rows by this person.
    pub actor_id: Option<Uuid>,
    /// Only rows about this record.
    pub object_id: Option<Uuid>,
    /// Only this action (its code).
    pub action: Option<String>,
    /// Only rows at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Only rows before this time.
    pub until: Option<OffsetDateTime>,
    /// Only rows older than this sequence number (for paging back).
    pub before_seq: Option<i64>,
    /// At most this many rows, newest first.
    pub limit: u32,
}

/// Storing and checking the audit trail.
#[async_trait]
pub trait AuditTrail {
    /// Writes the genesis head when the trail is empty and has no head; otherwise
    /// changes nothing (a head missing beside rows is for an operator to look at).
    async fn start_audit_trail(&self, chain: &AuditChain) -> Result<(), StoreError>;

    /// Appends one row at `at` and moves the head, in one transaction.
    async fn record(
        &self,
        chain: &AuditChain,
        event: AuditEvent,
        at: OffsetDateTime,
    ) -> Result<AuditRecord, StoreError>;

    /// Verifies the whole trail and its head from one snapshot. The outer error is the
    /// database failing; the inner one is the trail being wrong.
    async fn verify_audit_trail(
        &self,
        chain: &AuditChain,
    ) -> Result<Result<VerifiedChain, ChainBreak>, StoreError>;

    /// Rows matching `query`, newest first.
    async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;
}
