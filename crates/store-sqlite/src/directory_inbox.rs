//! Contact requests and concern reports on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use sensate_store::{
    Audited, ConcernReportRecord, ContactRequestRecord, DirectoryInbox, StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct ContactRow {
    request_id: Uuid,
    profile_id: Uuid,
    practice_id: Uuid,
    account_id: Uuid,
    sealed: Vec<u8>,
    sender_digest: Vec<u8>,
    received_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
}

impl TryFrom<ContactRow> for ContactRequestRecord {
    type Error = StoreError;

    fn try_from(row: ContactRow) -> Result<Self, StoreError> {
        Ok(ContactRequestRecord {
            id: row.request_id,
            profile_id: row.profile_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            account_id: AccountId::from_uuid(row.account_id),
            sealed: row.sealed,
            sender_digest: row
                .sender_digest
                .try_into()
                .map_err(|_| StoreError::Corrupt {
                    what: "contact request sender digest",
                    reason: "not 32 bytes".into(),
                })?,
            received_at: row.received_at,
            read_at: row.read_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    report_id: Uuid,
    profile_id: Uuid,
    sealed: Vec<u8>,
    status: String,
    outcome_sealed: Option<Vec<u8>>,
    handled_by: Option<Uuid>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<ReportRow> for ConcernReportRecord {
    fn from(row: ReportRow) -> Self {
        ConcernReportRecord {
            id: row.report_id,
            profile_id: row.profile_id,
            sealed: row.sealed,
            status: row.status,
            outcome_sealed: row.outcome_sealed,
            handled_by: row.handled_by.map(AccountId::from_uuid),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[async_trait]
impl DirectoryInbox for SqliteStore {
    async fn save_contact_request(
        &self,
        request: &ContactRequestRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO directory_contact_request (request_id, profile_id, practice_id, \
             account_id, sealed, sender_digest, received_at, read_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(request.id)
        .bind(request.profile_id)
        .bind(request.practice_id.as_uuid())
        .bind(request.account_id.as_uuid())
        .bind(&request.sealed)
        .bind(&request.sender_digest[..])
        .bind(time_text(request.received_at))
        .bind(request.read_at.map(time_text))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("contact request"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn contact_requests_for(
        &self,
        account: AccountId,
    ) -> Result<Vec<ContactRequestRecord>, StoreError> {
        let rows: Vec<ContactRow> = sqlx::query_as(
            "SELECT request_id, profile_id, practice_id, account_id, sealed, sender_digest, \
             received_at, read_at FROM directory_contact_request WHERE account_id = $1 \
             ORDER BY received_at DESC, request_id DESC",
        )
        .bind(account.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        rows.into_iter()
            .map(ContactRequestRecord::try_from)
            .collect()
    }

    async fn requests_from_since(
        &self,
        sender: &[u8; 32],
        since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM directory_contact_request \
             WHERE sender_digest = $1 AND received_at >= $2",
        )
        .bind(&sender[..])
        .bind(time_text(since))
        .fetch_one(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn requests_to_since(
        &self,
        profile: Uuid,
        since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM directory_contact_request \
             WHERE profile_id = $1 AND received_at >= $2",
        )
        .bind(profile)
        .bind(time_text(since))
        .fetch_one(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn mark_contact_read(
        &self,
        account: AccountId,
        request: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE directory_contact_request SET read_at = $1 \
             WHERE request_id = $2 AND account_id = $3 AND read_at IS NULL",
        )
        .bind(time_text(at))
        .bind(request)
        .bind(account.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(changed > 0)
    }

    async fn save_concern_report(
        &self,
        report: &ConcernReportRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO directory_concern_report (report_id, profile_id, sealed, status, \
             outcome_sealed, handled_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (report_id) DO UPDATE SET status = excluded.status, \
             outcome_sealed = excluded.outcome_sealed, handled_by = excluded.handled_by, \
             updated_at = excluded.updated_at",
        )
        .bind(report.id)
        .bind(report.profile_id)
        .bind(&report.sealed)
        .bind(&report.status)
        .bind(report.outcome_sealed.as_ref())
        .bind(report.handled_by.map(|a| a.as_uuid()))
        .bind(time_text(report.created_at))
        .bind(time_text(report.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn concern_reports(&self) -> Result<Vec<ConcernReportRecord>, StoreError> {
        let rows: Vec<ReportRow> = sqlx::query_as(
            "SELECT report_id, profile_id, sealed, status, outcome_sealed, handled_by, \
             created_at, updated_at FROM directory_concern_report \
             ORDER BY CASE status WHEN 'closed' THEN 1 ELSE 0 END, created_at, report_id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(ConcernReportRecord::from).collect())
    }
}
