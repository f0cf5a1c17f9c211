//! Intake answers, submissions and alerts on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, ClientId, PracticeId};
use sensate_store::{Audited, IntakeAlertRecord, IntakeEntryRecord, Intakes, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct EntryRow {
    entry_id: Uuid,
    practice_id: Uuid,
    client_id: Uuid,
    question_id: String,
    answer_sealed: Option<Vec<u8>>,
    author_id: Uuid,
    written_at: OffsetDateTime,
}

impl From<EntryRow> for IntakeEntryRecord {
    fn from(row: EntryRow) -> Self {
        IntakeEntryRecord {
            id: row.entry_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            client_id: ClientId::from_uuid(row.client_id),
            question_id: row.question_id,
            answer_sealed: row.answer_sealed,
            author_id: AccountId::from_uuid(row.author_id),
            written_at: row.written_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AlertRow {
    alert_id: Uuid,
    practice_id: Uuid,
    client_id: Uuid,
    concern_sealed: Vec<u8>,
    raised_at: OffsetDateTime,
    acknowledged_at: Option<OffsetDateTime>,
    acknowledged_by: Option<Uuid>,
    action_sealed: Option<Vec<u8>>,
}

impl From<AlertRow> for IntakeAlertRecord {
    fn from(row: AlertRow) -> Self {
        IntakeAlertRecord {
            id: row.alert_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            client_id: ClientId::from_uuid(row.client_id),
            concern_sealed: row.concern_sealed,
            raised_at: row.raised_at,
            acknowledged_at: row.acknowledged_at,
            acknowledged_by: row.acknowledged_by.map(AccountId::from_uuid),
            action_sealed: row.action_sealed,
        }
    }
}

#[async_trait]
impl Intakes for SqliteStore {
    async fn record_intake(
        &self,
        entries: &[IntakeEntryRecord],
        alerts: &[IntakeAlertRecord],
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for entry in entries {
            sqlx::query(
                "INSERT INTO intake_entry (entry_id, practice_id, client_id, question_id, \
                 answer_sealed, author_id, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(entry.id)
            .bind(entry.practice_id.as_uuid())
            .bind(entry.client_id.as_uuid())
            .bind(&entry.question_id)
            .bind(&entry.answer_sealed)
            .bind(entry.author_id.as_uuid())
            .bind(time_text(entry.written_at))
            .execute(&mut *tx)
            .await
            .map_err(error::conflict_or("intake entry"))?;
        }
        for alert in alerts {
            sqlx::query(
                "INSERT INTO intake_alert (alert_id, practice_id, client_id, concern_sealed, \
                 raised_at, acknowledged_at, acknowledged_by, action_sealed) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(alert.id)
            .bind(alert.practice_id.as_uuid())
            .bind(alert.client_id.as_uuid())
            .bind(&alert.concern_sealed)
            .bind(time_text(alert.raised_at))
            .bind(alert.acknowledged_at.map(time_text))
            .bind(alert.acknowledged_by.map(|a| a.as_uuid()))
            .bind(alert.action_sealed.as_ref())
            .execute(&mut *tx)
            .await
            .map_err(error::conflict_or("intake alert"))?;
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn intake_entries(&self, client: ClientId) -> Result<Vec<IntakeEntryRecord>, StoreError> {
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT entry_id, practice_id, client_id, question_id, answer_sealed, author_id, \
             written_at FROM intake_entry WHERE client_id = $1 ORDER BY written_at, entry_id",
        )
        .bind(client.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(IntakeEntryRecord::from).collect())
    }

    async fn submit_intake(
        &self,
        client: ClientId,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO intake_submission (client_id, submitted_at) VALUES ($1, $2) \
             ON CONFLICT (client_id) DO NOTHING",
        )
        .bind(client.as_uuid())
        .bind(time_text(at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn intake_submitted_at(
        &self,
        client: ClientId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        sqlx::query_scalar("SELECT submitted_at FROM intake_submission WHERE client_id = $1")
            .bind(client.as_uuid())
            .fetch_optional(&self.reader)
            .await
            .map_err(error::from_sqlx)
    }

    async fn client_alerts(&self, client: ClientId) -> Result<Vec<IntakeAlertRecord>, StoreError> {
        let rows: Vec<AlertRow> = sqlx::query_as(
            "SELECT alert_id, practice_id, client_id, concern_sealed, raised_at, acknowledged_at, \
             acknowledged_by, action_sealed FROM intake_alert WHERE client_id = $1 ORDER BY raised_at, alert_id",
        )
        .bind(client.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(IntakeAlertRecord::from).collect())
    }

    async fn open_alerts(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<IntakeAlertRecord>, StoreError> {
        let rows: Vec<AlertRow> = sqlx::query_as(
            "SELECT alert_id, practice_id, client_id, concern_sealed, raised_at, acknowledged_at, \
             acknowledged_by, action_sealed FROM intake_alert WHERE practice_id = $1 AND acknowledged_at IS NULL \
             ORDER BY raised_at, alert_id",
        )
        .bind(practice.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(IntakeAlertRecord::from).collect())
    }

    async fn acknowledge_alert(
        &self,
        alert: Uuid,
        by: AccountId,
        at: OffsetDateTime,
        action_sealed: &[u8],
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE intake_alert SET acknowledged_at = $1, acknowledged_by = $2, \
             action_sealed = $4 WHERE alert_id = $3 AND acknowledged_at IS NULL",
        )
        .bind(time_text(at))
        .bind(by.as_uuid())
        .bind(alert)
        .bind(action_sealed)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }
}
