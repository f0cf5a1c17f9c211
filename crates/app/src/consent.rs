//! Informed consent: the practice's versioned document, each client's signature on an
//! exact version, each partner's agreement to their couple case's secrets policy, and
//! what a client's portal shows as waiting.
//!
//! A practice starts with the default document Sensate ships
//! (`content/consent/informed-consent.txt`), published as version 1 the first time it
//! is needed. Every saved change is a new version; a client whose last signature is on an
//! older version is asked to sign again. A signature records who, which version (with
//! its SHA-256 content hash) and when.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::Binding;
use sensate_domain::access::{self, Intent, Resource, Visibility};
use sensate_domain::accounts::Role;
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::consent::{Block, ConsentKind, ConsentText, ConsentTextError};
use sensate_domain::text::single_line;
use sensate_domain::{CaseId, ClientId, PracticeId};
use sensate_store::{
    ConsentDocumentRecord, ConsentSignatureRecord, PolicyConsentRecord, StoreError,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const DOCUMENT: ObjectType = ObjectType::from_static("consent_document");
const SIGNATURE: ObjectType = ObjectType::from_static("consent_signature");
const POLICY_CONSENT: ObjectType = ObjectType::from_static("secrets_policy_consent");
const SIGNATURE_TABLE: &str = "consent_signature";

/// The default document, in our own words.
const DEFAULT_DOCUMENT: &str = include_str!("../../../content/consent/informed-consent.txt");

/// One version of the practice's document, ready to show.
#[derive(Clone, Debug)]
pub struct ConsentDocument {
    /// This version's id (a signature names it).
    pub id: Uuid,
    /// Its number.
    pub version: i64,
    /// Its words.
    pub text: ConsentText,
    /// The SHA-256 content hash, in hex.
    pub content_hash: String,
    /// When it was published.
    pub published_at: OffsetDateTime,
    /// True for the default Sensate supplies, unedited.
    pub is_default: bool,
}

impl ConsentDocument {
    /// The body as blocks to show.
    pub fn blocks(&self) -> Vec<Block> {
        self.text.blocks()
    }
}

/// Where a client stands with the practice's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentStatus {
    /// They signed the current version.
    Signed {
        /// The version.
        version: i64,
        /// When.
        at: OffsetDateTime,
    },
    /// They signed an earlier version; the current one is waiting.
    SignedEarlier {
        /// The version they signed.
        version: i64,
    },
    /// They have not signed any version.
    NotSigned,
}

/// What publishing an edit did.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// A new version, with its number.
    Version(i64),
    /// The words were the same as the current version's; nothing changed.
    Unchanged,
}

/// A couple case whose secrets policy a partner has yet to agree to.
#[derive(Clone, Debug)]
pub struct PolicyWaiting {
    /// The case.
    pub case_id: CaseId,
    /// Its policy.
    pub policy: SecretsPolicy,
}

/// What is waiting in a client's portal.
#[derive(Debug, Default)]
pub struct Waiting {
    /// The practice's document, when the client has not signed its current version,
    /// with whether they signed an earlier one.
    pub consent: Option<(ConsentDocument, bool)>,
    /// Couple cases whose secrets policy they have not agreed to.
    pub policies: Vec<PolicyWaiting>,
    /// True until they have sent their intake.
    pub intake_due: bool,
}

/// Why a signature or agreement was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The name typed as a signature is not acceptable.
    #[error("{0}")]
    Name(String),
    /// The box saying they read and agree was not ticked.
    #[error("Tick the box to say you have read this and agree")]
    NotAgreed,
    /// The document or policy changed while they read it.
    #[error("This changed while you were reading it. Please read the new version.")]
    Changed,
    /// Nothing of theirs to sign here.
    #[error("there is nothing to sign here")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_hash(text: &ConsentText) -> [u8; 32] {
    Sha256::digest(text.hashed_bytes()).into()
}

fn document(record: ConsentDocumentRecord) -> Result<ConsentDocument, AppError> {
    let text = ConsentText::parse(&record.title, &record.body).map_err(|error| {
        AppError::Store(StoreError::Corrupt {
            what: "consent document",
            reason: error.to_string(),
        })
    })?;
    Ok(ConsentDocument {
        id: record.id,
        version: record.version,
        content_hash: hex(&record.content_hash),
        published_at: record.published_at,
        is_default: record.published_by.is_none(),
        text,
    })
}

impl App {
    /// The practice's current document, publishing the default as version 1 the first
    /// time one is needed.
    pub async fn current_consent(
        &self,
        practice: PracticeId,
        context: &AuditContext,
    ) -> Result<ConsentDocument, AppError> {
        let kind = ConsentKind::InformedConsent.code();
        if let Some(record) = self.store.current_consent_document(practice, kind).await? {
            return document(record);
        }
        let text = ConsentText::from_file(DEFAULT_DOCUMENT).map_err(|error| {
            AppError::Task(format!(
                "the bundled consent document is not valid: {error}"
            ))
        })?;
        let record = ConsentDocumentRecord {
            id: Uuid::now_v7(),
            practice_id: practice,
            kind: kind.to_owned(),
            version: 1,
            content_hash: content_hash(&text),
            title: text.title,
            body: text.body,
            published_at: self.clock.now(),
            published_by: None,
        };
        let event = self.event_about(
            Actor::System,
            practice,
            Action::Create,
            DOCUMENT,
            record.id,
            context,
        );
        match self
            .store
            .publish_consent_document(&record, self.audited(vec![event]))
            .await
        {
            // Two requests raced to publish the default; the other one won.
            Ok(()) | Err(StoreError::Conflict { .. }) => {}
            Err(other) => return Err(other.into()),
        }
        let current = self
            .store
            .current_consent_document(practice, kind)
            .await?
            .ok_or_else(|| AppError::Task("the consent document vanished".into()))?;
        document(current)
    }

    /// Every version of the owner's practice's document, newest first.
    pub async fn consent_versions(
        &self,
        owner: &SignedIn,
        context: &AuditContext,
    ) -> Result<Vec<ConsentDocument>, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Ok(Vec::new());
        };
        self.current_consent(practice, context).await?;
        self.store
            .consent_document_versions(practice, ConsentKind::InformedConsent.code())
            .await?
            .into_iter()
            .map(document)
            .collect()
    }

    /// Saves the owner's edit as a new version, unless the words are unchanged.
    pub async fn publish_consent(
        &self,
        owner: &SignedIn,
        title: &str,
        body: &str,
        context: &AuditContext,
    ) -> Result<Result<Published, ConsentTextError>, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Err(AppError::Task(
                "only a practice owner edits the consent document".into(),
            ));
        };
        let text = match ConsentText::parse(title, body) {
            Ok(text) => text,
            Err(error) => return Ok(Err(error)),
        };
        let current = self.current_consent(practice, context).await?;
        if current.text == text {
            return Ok(Ok(Published::Unchanged));
        }
        let record = ConsentDocumentRecord {
            id: Uuid::now_v7(),
            practice_id: practice,
            kind: ConsentKind::InformedConsent.code().to_owned(),
            version: current.version + 1,
            content_hash: content_hash(&text),
            title: text.title,
            body: text.body,
            published_at: self.clock.now(),
            published_by: Some(owner.account_id),
        };
        let event = self.event_about(
            Actor::User(owner.account_id.as_uuid()),
            practice,
            Action::Create,
            DOCUMENT,
            record.id,
            context,
        );
        self.store
            .publish_consent_document(&record, self.audited(vec![event]))
            .await?;
        Ok(Ok(Published::Version(record.version)))
    }

    /// Where a client stands with the practice's current document.
    pub(crate) async fn consent_status(
        &self,
        practice: PracticeId,
        client: ClientId,
        context: &AuditContext,
    ) -> Result<ConsentStatus, AppError> {
        let current = self.current_consent(practice, context).await?;
        let signatures = self.store.consent_signatures(client).await?;
        let versions = self
            .store
            .consent_document_versions(practice, ConsentKind::InformedConsent.code())
            .await?;
        let version_of = |id: Uuid| versions.iter().find(|v| v.id == id).map(|v| v.version);
        if let Some(signed) = signatures
            .iter()
            .rev()
            .find(|s| s.document_id == current.id)
        {
            return Ok(ConsentStatus::Signed {
                version: current.version,
                at: signed.signed_at,
            });
        }
        Ok(
            match signatures.last().and_then(|s| version_of(s.document_id)) {
                Some(version) => ConsentStatus::SignedEarlier { version },
                None => ConsentStatus::NotSigned,
            },
        )
    }

    /// The couple cases of a client whose current secrets policy they have not agreed to.
    async fn policies_waiting(&self, client: ClientId) -> Result<Vec<PolicyWaiting>, AppError> {
        let mut waiting = Vec::new();
        for case in self.store.client_cases(client).await? {
            let (CaseKind::Couple, Some(policy), None) =
                (case.kind, case.secrets_policy, case.closed_at)
            else {
                continue;
            };
            let agreed = self
                .store
                .secrets_policy_consents(case.id)
                .await?
                .iter()
                .any(|c| c.client_id == client && c.policy == policy);
            if !agreed {
                waiting.push(PolicyWaiting {
                    case_id: case.id,
                    policy,
                });
            }
        }
        Ok(waiting)
    }

    /// What is waiting in the signed-in client's portal. A client account not linked to
    /// a record has nothing waiting.
    pub async fn waiting(
        &self,
        client: &SignedIn,
        context: &AuditContext,
    ) -> Result<Waiting, AppError> {
        let (Role::Client, Some(practice), Some(record)) =
            (client.role, client.practice_id, client.client_id)
        else {
            return Ok(Waiting::default());
        };
        let status = self.consent_status(practice, record, context).await?;
        let consent = match status {
            ConsentStatus::Signed { .. } => None,
            ConsentStatus::SignedEarlier { .. } => {
                Some((self.current_consent(practice, context).await?, true))
            }
            ConsentStatus::NotSigned => {
                Some((self.current_consent(practice, context).await?, false))
            }
        };
        Ok(Waiting {
            consent,
            policies: self.policies_waiting(record).await?,
            intake_due: self.store.intake_submitted_at(record).await?.is_none(),
        })
    }

    /// Records the signed-in client's signature on the version they read (`shown`).
    pub async fn sign_consent(
        &self,
        client: &SignedIn,
        shown: Uuid,
        typed_name: &str,
        agreed: bool,
        context: &AuditContext,
    ) -> Result<(), SignError> {
        let (Role::Client, Some(practice), Some(record)) =
            (client.role, client.practice_id, client.client_id)
        else {
            return Err(SignError::NotAllowed);
        };
        let name = single_line(typed_name, "Your full name", 120)
            .map_err(|e| SignError::Name(e.to_string()))?;
        if !agreed {
            return Err(SignError::NotAgreed);
        }
        let current = self.current_consent(practice, context).await?;
        if current.id != shown {
            return Err(SignError::Changed);
        }
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let sealed = key
            .seal_str(
                &name,
                &Binding::new(SIGNATURE_TABLE, "signed_name_sealed", id),
            )
            .map_err(AppError::from)?
            .into_bytes();
        let signature = ConsentSignatureRecord {
            id,
            practice_id: practice,
            client_id: record,
            document_id: current.id,
            content_hash: content_hash(&current.text),
            signed_name_sealed: sealed,
            signed_by: client.account_id,
            signed_at: self.clock.now(),
        };
        let event = self.event_about(
            Actor::User(client.account_id.as_uuid()),
            practice,
            Action::Create,
            SIGNATURE,
            id,
            context,
        );
        self.store
            .sign_consent(&signature, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    /// The secrets policy of one of the signed-in client's couple cases, for them to
    /// read; `None` when it is not their case or not a couple's.
    pub async fn secrets_policy_for(
        &self,
        client: &SignedIn,
        case: CaseId,
    ) -> Result<Option<SecretsPolicy>, AppError> {
        let Some(record) = self.store.case(case).await? else {
            return Ok(None);
        };
        let resource = Resource::ClinicalItem {
            practice: record.practice_id,
            clients: &record.clients,
            clinicians: &[record.clinician_id],
            visibility: match client.client_id {
                Some(me) => Visibility::Individual(me),
                None => Visibility::CliniciansOnly,
            },
        };
        if client.role != Role::Client
            || !access::decide(&client.actor(), Intent::Write, &resource).allowed()
            || record.kind != CaseKind::Couple
        {
            return Ok(None);
        }
        Ok(record.secrets_policy)
    }

    /// Records the signed-in partner's agreement to the policy they read (`shown`).
    pub async fn agree_to_secrets_policy(
        &self,
        client: &SignedIn,
        case: CaseId,
        shown: &str,
        agreed: bool,
        context: &AuditContext,
    ) -> Result<(), SignError> {
        let (Some(policy), Some(record), Some(practice)) = (
            self.secrets_policy_for(client, case).await?,
            client.client_id,
            client.practice_id,
        ) else {
            return Err(SignError::NotAllowed);
        };
        if !agreed {
            return Err(SignError::NotAgreed);
        }
        if SecretsPolicy::parse(shown) != Some(policy) {
            return Err(SignError::Changed);
        }
        let consent = PolicyConsentRecord {
            case_id: case,
            client_id: record,
            policy,
            signed_by: client.account_id,
            signed_at: self.clock.now(),
        };
        let event = self.event_about(
            Actor::User(client.account_id.as_uuid()),
            practice,
            Action::Create,
            POLICY_CONSENT,
            case.as_uuid(),
            context,
        );
        self.store
            .consent_to_secrets_policy(&consent, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    /// Whether a partner has agreed to their case's current secrets policy, and when.
    pub(crate) async fn policy_agreed_at(
        &self,
        case: CaseId,
        client: ClientId,
        policy: SecretsPolicy,
    ) -> Result<Option<OffsetDateTime>, AppError> {
        Ok(self
            .store
            .secrets_policy_consents(case)
            .await?
            .into_iter()
            .rev()
            .find(|c| c.client_id == client && c.policy == policy)
            .map(|c| c.signed_at))
    }
}
