//! Treatment plans on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{Audited, PlanAcknowledgementRecord, PlanRevisionRecord, Plans, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision_id: Uuid,
    practice_id: Uuid,
    case_id: Uuid,
    number: i64,
    content_sealed: Vec<u8>,
    reason_sealed: Option<Vec<u8>>,
    written_by: Uuid,
    written_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct AckRow {
    revision_id: Uuid,
    client_id: Uuid,
    acknowledged_by: Uuid,
    acknowledged_at: OffsetDateTime,
}

#[async_trait]
impl Plans for SqliteStore {
    async fn add_plan_revision(
        &self,
        revision: &PlanRevisionRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO plan_revision (revision_id, practice_id, case_id, number, content_sealed, \
             reason_sealed, written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(revision.id)
        .bind(revision.practice_id.as_uuid())
        .bind(revision.case_id.as_uuid())
        .bind(revision.number)
        .bind(&revision.content_sealed)
        .bind(&revision.reason_sealed)
        .bind(revision.written_by.as_uuid())
        .bind(time_text(revision.written_at))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("plan revision"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn plan_revisions(&self, case: CaseId) -> Result<Vec<PlanRevisionRecord>, StoreError> {
        let rows: Vec<RevisionRow> = sqlx::query_as(
            "SELECT revision_id, practice_id, case_id, number, content_sealed, reason_sealed, \
             written_by, written_at FROM plan_revision WHERE case_id = $1 ORDER BY number",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows
            .into_iter()
            .map(|row| PlanRevisionRecord {
                id: row.revision_id,
                practice_id: PracticeId::from_uuid(row.practice_id),
                case_id: CaseId::from_uuid(row.case_id),
                number: row.number,
                content_sealed: row.content_sealed,
                reason_sealed: row.reason_sealed,
                written_by: AccountId::from_uuid(row.written_by),
                written_at: row.written_at,
            })
            .collect())
    }

    async fn acknowledge_plan(
        &self,
        acknowledgement: &PlanAcknowledgementRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO plan_acknowledgement (revision_id, client_id, acknowledged_by, \
             acknowledged_at) VALUES ($1, $2, $3, $4) ON CONFLICT (revision_id, client_id) DO NOTHING",
        )
        .bind(acknowledgement.revision_id)
        .bind(acknowledgement.client_id.as_uuid())
        .bind(acknowledgement.acknowledged_by.as_uuid())
        .bind(time_text(acknowledgement.acknowledged_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn plan_acknowledgements(
        &self,
        revision: Uuid,
    ) -> Result<Vec<PlanAcknowledgementRecord>, StoreError> {
        let rows: Vec<AckRow> = sqlx::query_as(
            "SELECT revision_id, client_id, acknowledged_by, acknowledged_at \
             FROM plan_acknowledgement WHERE revision_id = $1 ORDER BY acknowledged_at, client_id",
        )
        .bind(revision)
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows
            .into_iter()
            .map(|row| PlanAcknowledgementRecord {
                revision_id: row.revision_id,
                client_id: ClientId::from_uuid(row.client_id),
                acknowledged_by: AccountId::from_uuid(row.acknowledged_by),
                acknowledged_at: row.acknowledged_at,
            })
            .collect())
    }
}
