//! Consent documents, signatures and secrets-policy agreements on SQLite.

use async_trait::async_trait;
use sensate_domain::cases::SecretsPolicy;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{
    Audited, ConsentDocumentRecord, ConsentSignatureRecord, Consents, PolicyConsentRecord,
    StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::digest;
use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

// Every `AssertSqlSafe` below wraps SQL assembled from this module's constants only;
// values always go in as bind parameters.
use sqlx::AssertSqlSafe;

const DOCUMENT_COLUMNS: &str = "document_id, practice_id, kind, version, title, body, \
     content_hash, published_at, published_by";

const SIGNATURE_COLUMNS: &str = "signature_id, practice_id, client_id, document_id, \
     content_hash, signed_name_sealed, signed_by, signed_at";

#[derive(sqlx::FromRow)]
struct DocumentRow {
    document_id: Uuid,
    practice_id: Uuid,
    kind: String,
    version: i64,
    title: String,
    body: String,
    content_hash: Vec<u8>,
    published_at: OffsetDateTime,
    published_by: Option<Uuid>,
}

impl DocumentRow {
    fn into_record(self) -> Result<ConsentDocumentRecord, StoreError> {
        Ok(ConsentDocumentRecord {
            id: self.document_id,
            practice_id: PracticeId::from_uuid(self.practice_id),
            kind: self.kind,
            version: self.version,
            title: self.title,
            body: self.body,
            content_hash: digest(self.content_hash, "consent document hash")?,
            published_at: self.published_at,
            published_by: self.published_by.map(AccountId::from_uuid),
        })
    }
}

#[derive(sqlx::FromRow)]
struct SignatureRow {
    signature_id: Uuid,
    practice_id: Uuid,
    client_id: Uuid,
    document_id: Uuid,
    content_hash: Vec<u8>,
    signed_name_sealed: Vec<u8>,
    signed_by: Uuid,
    signed_at: OffsetDateTime,
}

impl SignatureRow {
    fn into_record(self) -> Result<ConsentSignatureRecord, StoreError> {
        Ok(ConsentSignatureRecord {
            id: self.signature_id,
            practice_id: PracticeId::from_uuid(self.practice_id),
            client_id: ClientId::from_uuid(self.client_id),
            document_id: self.document_id,
            content_hash: digest(self.content_hash, "consent signature hash")?,
            signed_name_sealed: self.signed_name_sealed,
            signed_by: AccountId::from_uuid(self.signed_by),
            signed_at: self.signed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    case_id: Uuid,
    client_id: Uuid,
    policy: String,
    signed_by: Uuid,
    signed_at: OffsetDateTime,
}

impl PolicyRow {
    fn into_record(self) -> Result<PolicyConsentRecord, StoreError> {
        Ok(PolicyConsentRecord {
            case_id: CaseId::from_uuid(self.case_id),
            client_id: ClientId::from_uuid(self.client_id),
            policy: SecretsPolicy::parse(&self.policy).ok_or_else(|| StoreError::Corrupt {
                what: "secrets policy",
                reason: format!("unknown code {:?}", self.policy),
            })?,
            signed_by: AccountId::from_uuid(self.signed_by),
            signed_at: self.signed_at,
        })
    }
}

#[async_trait]
impl Consents for SqliteStore {
    async fn publish_consent_document(
        &self,
        document: &ConsentDocumentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO consent_document ({DOCUMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )))
        .bind(document.id)
        .bind(document.practice_id.as_uuid())
        .bind(&document.kind)
        .bind(document.version)
        .bind(&document.title)
        .bind(&document.body)
        .bind(&document.content_hash[..])
        .bind(time_text(document.published_at))
        .bind(document.published_by.map(|a| a.as_uuid()))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("consent document"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn current_consent_document(
        &self,
        practice: PracticeId,
        kind: &str,
    ) -> Result<Option<ConsentDocumentRecord>, StoreError> {
        let row: Option<DocumentRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM consent_document WHERE practice_id = $1 AND kind = $2 \
             ORDER BY version DESC LIMIT 1"
        )))
        .bind(practice.as_uuid())
        .bind(kind)
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        row.map(DocumentRow::into_record).transpose()
    }

    async fn consent_document_versions(
        &self,
        practice: PracticeId,
        kind: &str,
    ) -> Result<Vec<ConsentDocumentRecord>, StoreError> {
        let rows: Vec<DocumentRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM consent_document WHERE practice_id = $1 AND kind = $2 \
             ORDER BY version DESC"
        )))
        .bind(practice.as_uuid())
        .bind(kind)
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        rows.into_iter().map(DocumentRow::into_record).collect()
    }

    async fn sign_consent(
        &self,
        signature: &ConsentSignatureRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO consent_signature ({SIGNATURE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )))
        .bind(signature.id)
        .bind(signature.practice_id.as_uuid())
        .bind(signature.client_id.as_uuid())
        .bind(signature.document_id)
        .bind(&signature.content_hash[..])
        .bind(&signature.signed_name_sealed)
        .bind(signature.signed_by.as_uuid())
        .bind(time_text(signature.signed_at))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("consent signature"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn consent_signatures(
        &self,
        client: ClientId,
    ) -> Result<Vec<ConsentSignatureRecord>, StoreError> {
        let rows: Vec<SignatureRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {SIGNATURE_COLUMNS} FROM consent_signature WHERE client_id = $1 \
             ORDER BY signed_at, signature_id"
        )))
        .bind(client.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        rows.into_iter().map(SignatureRow::into_record).collect()
    }

    async fn consent_to_secrets_policy(
        &self,
        consent: &PolicyConsentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO secrets_policy_consent (case_id, client_id, policy, signed_by, signed_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(consent.case_id.as_uuid())
        .bind(consent.client_id.as_uuid())
        .bind(consent.policy.code())
        .bind(consent.signed_by.as_uuid())
        .bind(time_text(consent.signed_at))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("secrets policy consent"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn secrets_policy_consents(
        &self,
        case: CaseId,
    ) -> Result<Vec<PolicyConsentRecord>, StoreError> {
        let rows: Vec<PolicyRow> = sqlx::query_as(
            "SELECT case_id, client_id, policy, signed_by, signed_at FROM secrets_policy_consent \
             WHERE case_id = $1 ORDER BY signed_at, client_id",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        rows.into_iter().map(PolicyRow::into_record).collect()
    }
}
