//! Imported questionnaire wording.

use async_trait::async_trait;
use sensate_store::{StoreError, WordingRecord, Wordings};
use time::OffsetDateTime;

use crate::{PostgresStore, error};

#[async_trait]
impl Wordings for PostgresStore {
    async fn save_wording(&self, wording: &WordingRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query(
            "INSERT INTO instrument_wording (instrument_id, instrument_version, wording_json, imported_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (instrument_id) DO UPDATE SET instrument_version = excluded.instrument_version, \
             wording_json = excluded.wording_json, imported_at = excluded.imported_at",
        )
        .bind(&wording.instrument_id)
        .bind(&wording.instrument_version)
        .bind(&wording.wording_json)
        .bind(wording.imported_at)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn wordings(&self) -> Result<Vec<WordingRecord>, StoreError> {
        let rows: Vec<(String, String, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT instrument_id, instrument_version, wording_json, imported_at \
             FROM instrument_wording ORDER BY instrument_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows
            .into_iter()
            .map(
                |(instrument_id, instrument_version, wording_json, imported_at)| WordingRecord {
                    instrument_id,
                    instrument_version,
                    wording_json,
                    imported_at,
                },
            )
            .collect())
    }
}
