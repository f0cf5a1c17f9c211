//! A practice's care settings on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use sensate_store::{
    Audited, CareSettings, ChangeParametersRecord, CrisisResourcesRecord, StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct CrisisRow {
    practice_id: Uuid,
    text: String,
    updated_by: Uuid,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ParametersRow {
    practice_id: Uuid,
    instrument_id: String,
    score: String,
    reliability: Option<String>,
    sd: Option<String>,
    source: String,
    updated_by: Uuid,
    updated_at: OffsetDateTime,
}

impl From<ParametersRow> for ChangeParametersRecord {
    fn from(row: ParametersRow) -> Self {
        ChangeParametersRecord {
            practice_id: PracticeId::from_uuid(row.practice_id),
            instrument_id: row.instrument_id,
            score: row.score,
            reliability: row.reliability,
            sd: row.sd,
            source: row.source,
            updated_by: AccountId::from_uuid(row.updated_by),
            updated_at: row.updated_at,
        }
    }
}

#[async_trait]
impl CareSettings for SqliteStore {
    async fn crisis_resources(
        &self,
        practice: PracticeId,
    ) -> Result<Option<CrisisResourcesRecord>, StoreError> {
        let row: Option<CrisisRow> = sqlx::query_as(
            "SELECT practice_id, text, updated_by, updated_at FROM practice_crisis_resources \
             WHERE practice_id = $1",
        )
        .bind(practice.as_uuid())
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(|row| CrisisResourcesRecord {
            practice_id: PracticeId::from_uuid(row.practice_id),
            text: row.text,
            updated_by: AccountId::from_uuid(row.updated_by),
            updated_at: row.updated_at,
        }))
    }

    async fn set_crisis_resources(
        &self,
        record: &CrisisResourcesRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO practice_crisis_resources (practice_id, text, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (practice_id) DO UPDATE SET \
             text = excluded.text, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(record.practice_id.as_uuid())
        .bind(&record.text)
        .bind(record.updated_by.as_uuid())
        .bind(time_text(record.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn change_parameters(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<ChangeParametersRecord>, StoreError> {
        let rows: Vec<ParametersRow> = sqlx::query_as(
            "SELECT practice_id, instrument_id, score, reliability, sd, source, updated_by, \
             updated_at FROM practice_change_parameters WHERE practice_id = $1 \
             ORDER BY instrument_id, score",
        )
        .bind(practice.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(ChangeParametersRecord::from).collect())
    }

    async fn set_change_parameters(
        &self,
        record: &ChangeParametersRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO practice_change_parameters (practice_id, instrument_id, score, \
             reliability, sd, source, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (practice_id, instrument_id, score) DO UPDATE SET \
             reliability = excluded.reliability, sd = excluded.sd, source = excluded.source, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(record.practice_id.as_uuid())
        .bind(&record.instrument_id)
        .bind(&record.score)
        .bind(record.reliability.as_deref())
        .bind(record.sd.as_deref())
        .bind(&record.source)
        .bind(record.updated_by.as_uuid())
        .bind(time_text(record.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn clear_change_parameters(
        &self,
        practice: PracticeId,
        instrument: &str,
        score: &str,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let removed = sqlx::query(
            "DELETE FROM practice_change_parameters \
             WHERE practice_id = $1 AND instrument_id = $2 AND score = $3",
        )
        .bind(practice.as_uuid())
        .bind(instrument)
        .bind(score)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        if removed == 0 {
            return Ok(false);
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }
}
