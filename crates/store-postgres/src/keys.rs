//! Wrapped data keys on PostgreSQL.
//!
//! Re-wrapping is a compare-and-swap per key (`WHERE wrapped_key = previous`), all in one
//! transaction, so a key another process re-wrapped in the meantime is left alone.

use async_trait::async_trait;
use sensate_domain::PracticeId;
use sensate_store::{KeyOwner, Keys, Rewrap, StoreError, WrappedKeyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PostgresStore, error};

#[async_trait]
impl Keys for PostgresStore {
    async fn installation_key(&self) -> Result<Option<Vec<u8>>, StoreError> {
        sqlx::query_scalar("SELECT wrapped_key FROM installation_key WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(error::from_sqlx)
    }

    async fn create_installation_key(
        &self,
        wrapped: &[u8],
        at: OffsetDateTime,
    ) -> Result<Vec<u8>, StoreError> {
        // A concurrent first insert makes this one wait for its commit and then do
        // nothing; the read that follows (a new snapshot) sees the winner's key.
        sqlx::query(
            "INSERT INTO installation_key (id, wrapped_key, created_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(wrapped)
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        sqlx::query_scalar("SELECT wrapped_key FROM installation_key WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(error::from_sqlx)
    }

    async fn practice_key(&self, practice: PracticeId) -> Result<Option<Vec<u8>>, StoreError> {
        sqlx::query_scalar("SELECT wrapped_key FROM practice_key WHERE practice_id = $1")
            .bind(practice.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(error::from_sqlx)
    }

    async fn wrapped_keys(&self) -> Result<Vec<WrappedKeyRow>, StoreError> {
        let mut rows: Vec<WrappedKeyRow> = self
            .installation_key()
            .await?
            .map(|wrapped| WrappedKeyRow {
                owner: KeyOwner::Installation,
                wrapped,
            })
            .into_iter()
            .collect();
        let practices: Vec<(Uuid, Vec<u8>)> = sqlx::query_as(
            "SELECT k.practice_id, k.wrapped_key FROM practice_key k \
             JOIN practice p ON p.practice_id = k.practice_id \
             ORDER BY p.created_at, p.practice_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        rows.extend(practices.into_iter().map(|(id, wrapped)| WrappedKeyRow {
            owner: KeyOwner::Practice(PracticeId::from_uuid(id)),
            wrapped,
        }));
        Ok(rows)
    }

    async fn rewrap_keys(&self, changes: &[Rewrap]) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let mut replaced = 0;
        for change in changes {
            let result = match change.owner {
                KeyOwner::Installation => sqlx::query(
                    "UPDATE installation_key SET wrapped_key = $1 WHERE id = 1 AND wrapped_key = $2",
                )
                .bind(&change.replacement)
                .bind(&change.previous)
                .execute(&mut *tx)
                .await,
                KeyOwner::Practice(id) => sqlx::query(
                    "UPDATE practice_key SET wrapped_key = $1 WHERE practice_id = $2 AND wrapped_key = $3",
                )
                .bind(&change.replacement)
                .bind(id.as_uuid())
                .bind(&change.previous)
                .execute(&mut *tx)
                .await,
            }
            .map_err(error::from_sqlx)?;
            replaced += usize::from(result.rows_affected() == 1);
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(replaced)
    }
}
