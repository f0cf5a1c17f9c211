//! Formulations on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, ClientId, PracticeId};
use sensate_store::{Audited, FormulationRecord, Formulations, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct Row {
    client_id: Uuid,
    practice_id: Uuid,
    concerns_sealed: Vec<u8>,
    diagnoses_sealed: Vec<u8>,
    updated_by: Uuid,
    updated_at: OffsetDateTime,
}

#[async_trait]
impl Formulations for SqliteStore {
    async fn save_formulation(
        &self,
        formulation: &FormulationRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO client_formulation (client_id, practice_id, concerns_sealed, \
             diagnoses_sealed, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (client_id) DO UPDATE SET concerns_sealed = excluded.concerns_sealed, \
             diagnoses_sealed = excluded.diagnoses_sealed, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(formulation.client_id.as_uuid())
        .bind(formulation.practice_id.as_uuid())
        .bind(&formulation.concerns_sealed)
        .bind(&formulation.diagnoses_sealed)
        .bind(formulation.updated_by.as_uuid())
        .bind(time_text(formulation.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn formulation(&self, client: ClientId) -> Result<Option<FormulationRecord>, StoreError> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT client_id, practice_id, concerns_sealed, diagnoses_sealed, updated_by, \
             updated_at FROM client_formulation WHERE client_id = $1",
        )
        .bind(client.as_uuid())
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(|row| FormulationRecord {
            client_id: ClientId::from_uuid(row.client_id),
            practice_id: PracticeId::from_uuid(row.practice_id),
            concerns_sealed: row.concerns_sealed,
            diagnoses_sealed: row.diagnoses_sealed,
            updated_by: AccountId::from_uuid(row.updated_by),
            updated_at: row.updated_at,
        }))
    }
}
