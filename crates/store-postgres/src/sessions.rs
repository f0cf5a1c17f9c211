//! Server-side sessions on PostgreSQL, shared by every process behind a load balancer.
//!
//! Resolving a cookie is one query that brings the account with it, because every
//! request does it. Ending sessions is also needed inside the account changes that must
//! sign people out (a new password, a new second factor, a deactivation), so that part is
//! a helper over the caller's transaction.

use async_trait::async_trait;
use sensate_domain::AccountId;
use sensate_store::{AccountRecord, SessionRecord, Sessions, StoreError};
use sqlx::{AssertSqlSafe, PgExecutor, Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{ACCOUNT_COLUMNS, AccountRow, digest};
use crate::{PostgresStore, error};

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_digest: Vec<u8>,
    session_account_id: Uuid,
    session_created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    second_factor_at: Option<OffsetDateTime>,
    #[sqlx(flatten)]
    account: AccountRow,
}

impl SessionRow {
    fn into_records(self) -> Result<(SessionRecord, AccountRecord), StoreError> {
        let session = SessionRecord {
            token_digest: digest(self.token_digest, "session token digest")?,
            account_id: AccountId::from_uuid(self.session_account_id),
            created_at: self.session_created_at,
            last_seen_at: self.last_seen_at,
            second_factor_at: self.second_factor_at,
        };
        Ok((session, self.account.into_record()?))
    }
}

#[async_trait]
impl Sessions for PostgresStore {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        insert_session(&self.pool, session).await
    }

    async fn session(
        &self,
        token_digest: &[u8; 32],
    ) -> Result<Option<(SessionRecord, AccountRecord)>, StoreError> {
        // The session's own columns are renamed where the account has one of the same name.
        sqlx::query_as::<_, SessionRow>(AssertSqlSafe(format!(
            "SELECT s.token_digest, s.account_id AS session_account_id, \
             s.created_at AS session_created_at, s.last_seen_at, s.second_factor_at, \
             {ACCOUNT_COLUMNS} \
             FROM session s JOIN account a ON a.account_id = s.account_id \
             WHERE s.token_digest = $1"
        )))
        .bind(&token_digest[..])
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?
        .map(SessionRow::into_records)
        .transpose()
    }

    async fn touch_session(
        &self,
        token_digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_digest = $2")
            .bind(at)
            .bind(&token_digest[..])
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    async fn replace_session(
        &self,
        old: &[u8; 32],
        new: &SessionRecord,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let deleted = sqlx::query("DELETE FROM session WHERE token_digest = $1")
            .bind(&old[..])
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        if deleted.rows_affected() != 1 {
            tx.rollback().await.map_err(error::from_sqlx)?;
            return Ok(false);
        }
        insert_session(&mut *tx, new).await?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }

    async fn end_session(&self, token_digest: &[u8; 32]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM session WHERE token_digest = $1")
            .bind(&token_digest[..])
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    async fn end_sessions_of(&self, account: AccountId) -> Result<u64, StoreError> {
        sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(account.as_uuid())
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(error::from_sqlx)
    }

    async fn end_sessions_begun_before(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        sqlx::query("DELETE FROM session WHERE created_at < $1")
            .bind(cutoff)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(error::from_sqlx)
    }
}

async fn insert_session(
    executor: impl PgExecutor<'_>,
    session: &SessionRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO session (token_digest, account_id, created_at, last_seen_at, second_factor_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&session.token_digest[..])
    .bind(session.account_id.as_uuid())
    .bind(session.created_at)
    .bind(session.last_seen_at)
    .bind(session.second_factor_at)
    .execute(executor)
    .await
    .map(drop)
    .map_err(error::conflict_or("session"))
}

/// Ends every session of `account` except `keep` (none kept when `keep` is `None`),
/// inside the caller's transaction.
pub(crate) async fn end_sessions_except(
    tx: &mut Transaction<'static, Postgres>,
    account: AccountId,
    keep: Option<&[u8; 32]>,
) -> Result<(), StoreError> {
    // `IS DISTINCT FROM NULL` is true for every row, so `None` ends them all.
    sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_digest IS DISTINCT FROM $2")
        .bind(account.as_uuid())
        .bind(keep.map(|digest| &digest[..]))
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(error::from_sqlx)
}
