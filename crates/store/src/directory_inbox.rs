//! What reaches people through the directory: a seeker's contact request to a
//! therapist, and anyone's report of a concern about a therapist to the verifiers.
//!
//! Both are sealed: a contact request under the therapist's practice key (only they
//! read it), a report under the installation key (verifiers belong to no practice).
//! `sender_digest` is a keyed hash of where a request came from, kept only so that
//! one sender cannot flood therapists; it says nothing without the installation's key.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// A seeker's message to a therapist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRequestRecord {
    /// Its id.
    pub id: Uuid,
    /// The profile it was sent from.
    pub profile_id: Uuid,
    /// The therapist's practice (whose key seals it).
    pub practice_id: PracticeId,
    /// The therapist.
    pub account_id: AccountId,
    /// The sealed alias, reply address and message (one sealed JSON object).
    pub sealed: Vec<u8>,
    /// Keyed digest of the sender's network address.
    pub sender_digest: [u8; 32],
    /// When it arrived.
    pub received_at: OffsetDateTime,
    /// When the therapist opened it.
    pub read_at: Option<OffsetDateTime>,
}

/// A concern reported about a therapist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcernReportRecord {
    /// Its id.
    pub id: Uuid,
    /// The profile it is about.
    pub profile_id: Uuid,
    /// The sealed description and (optional) reporter contact (one sealed JSON object).
    pub sealed: Vec<u8>,
    /// `new`, `reviewing` or `closed`.
    pub status: String,
    /// The sealed outcome, once there is one.
    pub outcome_sealed: Option<Vec<u8>>,
    /// The verifier handling it.
    pub handled_by: Option<AccountId>,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// Storing what comes through the directory.
#[async_trait]
pub trait DirectoryInbox {
    /// Stores a contact request, with its audit rows.
    async fn save_contact_request(
        &self,
        request: &ContactRequestRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// A therapist's contact requests, newest first.
    async fn contact_requests_for(
        &self,
        account: AccountId,
    ) -> Result<Vec<ContactRequestRecord>, StoreError>;

    /// How many requests this sender made since `since`.
    async fn requests_from_since(
        &self,
        sender: &[u8; 32],
        since: OffsetDateTime,
    ) -> Result<u64, StoreError>;

    /// How many requests this profile received since `since`.
    async fn requests_to_since(
        &self,
        profile: Uuid,
        since: OffsetDateTime,
    ) -> Result<u64, StoreError>;

    /// Marks a therapist's request as read; false when it is not theirs or was read.
    async fn mark_contact_read(
        &self,
        account: AccountId,
        request: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Stores a report (new or changed), with its audit rows.
    async fn save_concern_report(
        &self,
        report: &ConcernReportRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Every report, open ones first, oldest first within each.
    async fn concern_reports(&self) -> Result<Vec<ConcernReportRecord>, StoreError>;
}
