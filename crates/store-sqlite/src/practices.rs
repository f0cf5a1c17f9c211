//! Practices on SQLite.

use async_trait::async_trait;
use sensate_domain::{Practice, PracticeId, PracticeName};
use sensate_store::{Practices, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct PracticeRow {
    practice_id: Uuid,
    display_name: String,
    is_demo: bool,
    created_at: OffsetDateTime,
}

impl PracticeRow {
    fn into_practice(self) -> Result<Practice, StoreError> {
        Ok(Practice {
            id: PracticeId::from_uuid(self.practice_id),
            display_name: PracticeName::parse(&self.display_name).map_err(|e| {
                StoreError::Corrupt {
                    what: "practice name",
                    reason: e.to_string(),
                }
            })?,
            is_demo: self.is_demo,
            created_at: self.created_at,
        })
    }
}

#[async_trait]
impl Practices for SqliteStore {
    async fn create_practice(
        &self,
        practice: &Practice,
        wrapped_key: &[u8],
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_practice(&mut tx, practice, wrapped_key).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn practice(&self, id: PracticeId) -> Result<Option<Practice>, StoreError> {
        sqlx::query_as::<_, PracticeRow>(
            "SELECT practice_id, display_name, is_demo, created_at FROM practice WHERE practice_id = $1",
        )
        .bind(id.as_uuid())
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .map(PracticeRow::into_practice)
        .transpose()
    }

    async fn practices(&self) -> Result<Vec<Practice>, StoreError> {
        sqlx::query_as::<_, PracticeRow>(
            "SELECT practice_id, display_name, is_demo, created_at FROM practice ORDER BY created_at, practice_id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .into_iter()
        .map(PracticeRow::into_practice)
        .collect()
    }
}

/// Inserts a practice and its wrapped key inside a caller's transaction.
pub(crate) async fn insert_practice(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    practice: &Practice,
    wrapped_key: &[u8],
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO practice (practice_id, display_name, is_demo, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(practice.id.as_uuid())
    .bind(practice.display_name.as_str())
    .bind(practice.is_demo)
    .bind(time_text(practice.created_at))
    .execute(&mut **tx)
    .await
    .map_err(error::conflict_or("practice"))?;
    sqlx::query("INSERT INTO practice_key (practice_id, wrapped_key) VALUES ($1, $2)")
        .bind(practice.id.as_uuid())
        .bind(wrapped_key)
        .execute(&mut **tx)
        .await
        .map_err(error::from_sqlx)?;
    Ok(())
}
