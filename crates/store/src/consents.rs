//! Consent documents, their versions, and the signatures that name exactly which version
//! was agreed to; and each partner's agreement to a couple case's secrets policy.
//!
//! A document's words are the practice's own, not a client's, so they are kept plain; a
//! signature's typed name identifies the client and arrives sealed.

use async_trait::async_trait;
use sensate_domain::cases::SecretsPolicy;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// One version of a practice's consent document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentDocumentRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// Which document (its kind's code).
    pub kind: String,
    /// 1 for the first version, then one more for each change.
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Its body.
    pub body: String,
    /// SHA-256 over the title and body (see `ConsentText::hashed_bytes`).
    pub content_hash: [u8; 32],
    /// When this version was published.
    pub published_at: OffsetDateTime,
    /// Who published it; `None` for the default Sensate supplies.
    pub published_by: Option<AccountId>,
}

/// A client's signature on one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentSignatureRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// Whose record it belongs to.
    pub client_id: ClientId,
    /// The version signed.
    pub document_id: Uuid,
    /// That version's content hash, kept with the signature.
    pub content_hash: [u8; 32],
    /// The name the client typed as their signature, sealed.
    pub signed_name_sealed: Vec<u8>,
    /// The account that signed.
    pub signed_by: AccountId,
    /// When.
    pub signed_at: OffsetDateTime,
}

/// A partner's agreement to a couple case's secrets policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyConsentRecord {
    /// The case.
    pub case_id: CaseId,
    /// The partner's record.
    pub client_id: ClientId,
    /// The policy agreed to (a later change of policy asks again).
    pub policy: SecretsPolicy,
    /// The account that agreed.
    pub signed_by: AccountId,
    /// When.
    pub signed_at: OffsetDateTime,
}

/// Storing consent documents and signatures.
#[async_trait]
pub trait Consents {
    /// Publishes a version, with its audit rows. A version number already used for this
    /// practice and kind is a conflict over `"consent document"`.
    async fn publish_consent_document(
        &self,
        document: &ConsentDocumentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// The newest version of a practice's document of this kind.
    async fn current_consent_document(
        &self,
        practice: PracticeId,
        kind: &str,
    ) -> Result<Option<ConsentDocumentRecord>, StoreError>;

    /// Every version of a practice's document of this kind, newest first.
    async fn consent_document_versions(
        &self,
        practice: PracticeId,
        kind: &str,
    ) -> Result<Vec<ConsentDocumentRecord>, StoreError>;

    /// Records a signature, with its audit rows.
    async fn sign_consent(
        &self,
        signature: &ConsentSignatureRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// A client's signatures, oldest first.
    async fn consent_signatures(
        &self,
        client: ClientId,
    ) -> Result<Vec<ConsentSignatureRecord>, StoreError>;

    /// Records a partner's agreement to a secrets policy, with its audit rows.
    async fn consent_to_secrets_policy(
        &self,
        consent: &PolicyConsentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Every agreement to a case's secrets policy, oldest first.
    async fn secrets_policy_consents(
        &self,
        case: CaseId,
    ) -> Result<Vec<PolicyConsentRecord>, StoreError>;
}
