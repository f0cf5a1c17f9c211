//! Clients and cases: the records of the people in care and the cases that link them
//! to their clinician.
//!
//! Everything that identifies a client arrives sealed; the store sees bytes. A case's
//! kind, secrets policy and dates are kept plain, because the caseload filters on them
//! and they say nothing about who anyone is. Every write takes its audit rows and
//! commits them in the same transaction, so a write never happens unrecorded.

use async_trait::async_trait;
use sensate_audit::{AuditChain, AuditEvent};
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;

use crate::StoreError;

/// A client's record as stored: every detail sealed by the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRecord {
    /// Its id.
    pub id: ClientId,
    /// The practice caring for the client.
    pub practice_id: PracticeId,
    /// The sealed name.
    pub name_sealed: Vec<u8>,
    /// The sealed pronouns, if given.
    pub pronouns_sealed: Option<Vec<u8>>,
    /// The sealed date of birth, if given.
    pub date_of_birth_sealed: Option<Vec<u8>>,
    /// The sealed email address for contact, if given.
    pub email_sealed: Option<Vec<u8>>,
    /// The sealed phone number, if given.
    pub phone_sealed: Option<Vec<u8>>,
    /// When the record was made.
    pub created_at: OffsetDateTime,
}

/// A case as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    /// Its id.
    pub id: CaseId,
    /// The practice it belongs to.
    pub practice_id: PracticeId,
    /// Individual, couple or group.
    pub kind: CaseKind,
    /// For a couple case, how individual confidences are handled.
    pub secrets_policy: Option<SecretsPolicy>,
    /// The clinician responsible for the case.
    pub clinician_id: AccountId,
    /// Its clients, in the order the clinician listed them.
    pub clients: Vec<ClientId>,
    /// When care began.
    pub opened_at: OffsetDateTime,
    /// When the case was closed; `None` while open.
    pub closed_at: Option<OffsetDateTime>,
}

/// The audit rows a write records in its own transaction.
#[derive(Debug)]
pub struct Audited<'a> {
    /// The installation's audit chain.
    pub chain: &'a AuditChain,
    /// One row per record written.
    pub events: Vec<AuditEvent>,
    /// When the write happened.
    pub at: OffsetDateTime,
}

/// Storing and reading clients and cases.
#[async_trait]
pub trait Cases {
    /// Opens a case: stores the new client records, the case, its clients and the
    /// audit rows in one transaction. `case.clients` may name existing clients of the
    /// same practice as well as the new ones.
    async fn open_case(
        &self,
        new_clients: &[ClientRecord],
        case: &CaseRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// One client's record.
    async fn client(&self, id: ClientId) -> Result<Option<ClientRecord>, StoreError>;

    /// Every client of a practice, oldest first.
    async fn practice_clients(&self, practice: PracticeId)
    -> Result<Vec<ClientRecord>, StoreError>;

    /// One case with its clients.
    async fn case(&self, id: CaseId) -> Result<Option<CaseRecord>, StoreError>;

    /// Every case of a practice with its clients, oldest first.
    async fn practice_cases(&self, practice: PracticeId) -> Result<Vec<CaseRecord>, StoreError>;

    /// The cases a clinician is responsible for, with their clients, oldest first.
    async fn clinician_cases(&self, clinician: AccountId) -> Result<Vec<CaseRecord>, StoreError>;

    /// A clinician's caseload in one query: each of their cases with its clients'
    /// records, oldest case first, clients in the order listed, in one round trip:
    /// the caseload page reads it on every view.
    async fn caseload(
        &self,
        clinician: AccountId,
    ) -> Result<Vec<(CaseRecord, Vec<ClientRecord>)>, StoreError>;

    /// The cases a client is in, oldest first.
    async fn client_cases(&self, client: ClientId) -> Result<Vec<CaseRecord>, StoreError>;

    /// Closes a case (`Some(time)`) or reopens it (`None`), with its audit rows. False,
    /// and nothing written, when there is no such case.
    async fn set_case_closed(
        &self,
        case: CaseId,
        closed_at: Option<OffsetDateTime>,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// Hands a case to another clinician, with its audit rows. False, and nothing
    /// written, when there is no such case.
    async fn transfer_case(
        &self,
        case: CaseId,
        clinician: AccountId,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;
}
