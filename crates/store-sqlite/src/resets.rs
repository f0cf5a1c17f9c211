//! Password reset links on SQLite.

use async_trait::async_trait;
use sensate_domain::AccountId;
use sensate_store::{OutboxRecord, PasswordResetRecord, PasswordResets, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::digest;
use crate::{SqliteStore, error, time_text};

type ResetRow = (
    Vec<u8>,
    Uuid,
    OffsetDateTime,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

fn record(row: ResetRow) -> Result<PasswordResetRecord, StoreError> {
    Ok(PasswordResetRecord {
        token_digest: digest(row.0, "password reset digest")?,
        account_id: AccountId::from_uuid(row.1),
        created_at: row.2,
        expires_at: row.3,
        used_at: row.4,
    })
}

#[async_trait]
impl PasswordResets for SqliteStore {
    async fn create_password_reset(
        &self,
        reset: &PasswordResetRecord,
        email: &OutboxRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO password_reset (token_digest, account_id, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&reset.token_digest[..])
        .bind(reset.account_id.as_uuid())
        .bind(time_text(reset.created_at))
        .bind(time_text(reset.expires_at))
        .bind(reset.used_at.map(time_text))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("password reset"))?;
        sqlx::query(
            "INSERT INTO outbox_message (message_id, practice_id, recipient_sealed, subject_sealed, \
             body_sealed, created_at, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(email.id)
        .bind(email.practice_id.as_uuid())
        .bind(&email.recipient_sealed)
        .bind(&email.subject_sealed)
        .bind(&email.body_sealed)
        .bind(time_text(email.created_at))
        .bind(email.delivered_at.map(time_text))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("outbox message"))?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn usable_password_reset(
        &self,
        token_digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<Option<PasswordResetRecord>, StoreError> {
        sqlx::query_as::<_, ResetRow>(
            "SELECT token_digest, account_id, created_at, expires_at, used_at FROM password_reset \
             WHERE token_digest = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(&token_digest[..])
        .bind(time_text(at))
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .map(record)
        .transpose()
    }

    async fn reset_password(
        &self,
        token_digest: &[u8; 32],
        password_hash: &str,
        at: OffsetDateTime,
    ) -> Result<Option<AccountId>, StoreError> {
        let mut tx = self.write().await?;
        let account: Option<Uuid> = sqlx::query_scalar(
            "UPDATE password_reset SET used_at = $1 \
             WHERE token_digest = $2 AND used_at IS NULL AND expires_at > $1 RETURNING account_id",
        )
        .bind(time_text(at))
        .bind(&token_digest[..])
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        let Some(account) = account else {
            tx.rollback().await.map_err(error::from_sqlx)?;
            return Ok(None);
        };
        sqlx::query("UPDATE account SET password_hash = $1 WHERE account_id = $2")
            .bind(password_hash)
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(Some(AccountId::from_uuid(account)))
    }

    async fn recent_password_resets(
        &self,
        account: AccountId,
        since: OffsetDateTime,
    ) -> Result<u32, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM password_reset WHERE account_id = $1 AND created_at >= $2",
        )
        .bind(account.as_uuid())
        .bind(time_text(since))
        .fetch_one(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}
