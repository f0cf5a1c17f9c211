//! Failed sign-in counts on PostgreSQL.

use async_trait::async_trait;
use sensate_store::{Failures, SignInThrottle, StoreError};
use time::OffsetDateTime;

use crate::{PostgresStore, error};

fn failures(row: Option<(i64, OffsetDateTime)>) -> Failures {
    match row {
        Some((count, last_at)) => Failures {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            last_at: Some(last_at),
        },
        None => Failures::NONE,
    }
}

#[async_trait]
impl SignInThrottle for PostgresStore {
    async fn failures(
        &self,
        subject: &[u8; 32],
        window_start: OffsetDateTime,
    ) -> Result<Failures, StoreError> {
        let row: Option<(i64, OffsetDateTime)> = sqlx::query_as(
            "SELECT failures::BIGINT, last_failure_at FROM sign_in_failure \
             WHERE subject = $1 AND last_failure_at >= $2",
        )
        .bind(&subject[..])
        .bind(window_start)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(failures(row))
    }

    async fn record_failure(
        &self,
        subject: &[u8; 32],
        at: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> Result<Failures, StoreError> {
        // One statement, so concurrent failures of one subject are all counted. A subject
        // quiet for a whole window starts counting again.
        let row: (i64, OffsetDateTime) = sqlx::query_as(
            "INSERT INTO sign_in_failure (subject, failures, first_failure_at, last_failure_at) \
             VALUES ($1, 1, $2, $2) \
             ON CONFLICT (subject) DO UPDATE SET \
               failures = CASE WHEN sign_in_failure.last_failure_at < $3 THEN 1 \
                               ELSE sign_in_failure.failures + 1 END, \
               first_failure_at = CASE WHEN sign_in_failure.last_failure_at < $3 THEN $2 \
                                       ELSE sign_in_failure.first_failure_at END, \
               last_failure_at = $2 \
             RETURNING failures::BIGINT, last_failure_at",
        )
        .bind(&subject[..])
        .bind(at)
        .bind(window_start)
        .fetch_one(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(failures(Some(row)))
    }

    async fn clear_failures(&self, subject: &[u8; 32]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failure WHERE subject = $1")
            .bind(&subject[..])
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }
}
