//! Accounts and their recovery codes on PostgreSQL.
//!
//! Changes that must sign people out (a new password, a new second factor, a
//! deactivation) end the sessions in the same transaction, so no session outlives the
//! change. The TOTP replay guard and spending a recovery code are each one conditional
//! `UPDATE`, so two requests racing with the same code cannot both succeed.

use async_trait::async_trait;
use sensate_domain::accounts::{Role, UnknownRole};
use sensate_domain::{AccountId, ClientId, Practice, PracticeId};
use sensate_store::{AccountRecord, Accounts, StoreError, TotpEnrolment};
use sqlx::{AssertSqlSafe, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::sessions::end_sessions_except;
use crate::{PostgresStore, error};

/// An account's columns, qualified by the alias `a` so a join can select them too.
pub(crate) const ACCOUNT_COLUMNS: &str = "a.account_id, a.practice_id, a.role, a.email_lookup, \
     a.email_sealed, a.name_sealed, a.password_hash, a.totp_sealed, a.totp_last_step, \
     a.deactivated_at, a.created_at, a.client_id";

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    account_id: Uuid,
    practice_id: Option<Uuid>,
    role: String,
    email_lookup: Vec<u8>,
    email_sealed: Vec<u8>,
    name_sealed: Vec<u8>,
    password_hash: String,
    totp_sealed: Option<Vec<u8>>,
    totp_last_step: Option<i64>,
    deactivated_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    client_id: Option<Uuid>,
}

impl AccountRow {
    pub(crate) fn into_record(self) -> Result<AccountRecord, StoreError> {
        Ok(AccountRecord {
            id: AccountId::from_uuid(self.account_id),
            practice_id: self.practice_id.map(PracticeId::from_uuid),
            role: self
                .role
                .parse::<Role>()
                .map_err(|e: UnknownRole| StoreError::Corrupt {
                    what: "account role",
                    reason: e.to_string(),
                })?,
            email_lookup: digest(self.email_lookup, "account email lookup")?,
            email_sealed: self.email_sealed,
            name_sealed: self.name_sealed,
            password_hash: self.password_hash,
            totp_sealed: self.totp_sealed,
            totp_last_step: self.totp_last_step,
            deactivated_at: self.deactivated_at,
            created_at: self.created_at,
            client_id: self.client_id.map(ClientId::from_uuid),
        })
    }
}

/// A stored 32-byte digest.
pub(crate) fn digest(bytes: Vec<u8>, what: &'static str) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(bytes).map_err(|bytes| StoreError::Corrupt {
        what,
        reason: format!("{} bytes where 32 were expected", bytes.len()),
    })
}

/// Inserts an account; an address already in use is a conflict over `"account"`.
pub(crate) async fn insert_account(
    executor: impl PgExecutor<'_>,
    account: &AccountRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account (account_id, practice_id, role, email_lookup, email_sealed, name_sealed, \
         password_hash, totp_sealed, totp_last_step, deactivated_at, created_at, client_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(account.id.as_uuid())
    .bind(account.practice_id.map(|p| p.as_uuid()))
    .bind(account.role.code())
    .bind(&account.email_lookup[..])
    .bind(&account.email_sealed)
    .bind(&account.name_sealed)
    .bind(&account.password_hash)
    .bind(&account.totp_sealed)
    .bind(account.totp_last_step)
    .bind(account.deactivated_at)
    .bind(account.created_at)
    .bind(account.client_id.map(|c| c.as_uuid()))
    .execute(executor)
    .await
    .map(drop)
    .map_err(error::conflict_or("account"))
}

impl PostgresStore {
    /// The one account matching `condition` on `$1`, a condition from this module.
    async fn account_where<'q, T>(
        &self,
        condition: &'static str,
        value: T,
    ) -> Result<Option<AccountRecord>, StoreError>
    where
        T: 'q + sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send,
    {
        sqlx::query_as::<_, AccountRow>(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a WHERE {condition}"
        )))
        .bind(value)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?
        .map(AccountRow::into_record)
        .transpose()
    }
}

#[async_trait]
impl Accounts for PostgresStore {
    async fn set_up_practice(
        &self,
        practice: &Practice,
        wrapped_key: &[u8],
        owner: &AccountRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        // SHARE ROW EXCLUSIVE conflicts with itself and with every insert, so a second
        // setup waits here for the first to commit and then counts its owner. A plain
        // count would not do: two setups could both count zero and both insert.
        sqlx::query("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM account")
            .fetch_one(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        if accounts > 0 {
            tx.rollback().await.map_err(error::from_sqlx)?;
            return Err(StoreError::Conflict { what: "setup" });
        }
        crate::practices::insert_practice(&mut tx, practice, wrapped_key).await?;
        insert_account(&mut *tx, owner).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError> {
        insert_account(&self.pool, account).await
    }

    async fn account(&self, id: AccountId) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("a.account_id = $1", id.as_uuid()).await
    }

    async fn account_by_email(
        &self,
        email_lookup: &[u8; 32],
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("a.email_lookup = $1", &email_lookup[..])
            .await
    }

    async fn account_for_client(
        &self,
        client: ClientId,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("a.client_id = $1", client.as_uuid())
            .await
    }

    async fn count_accounts(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM account")
            .fetch_one(&self.pool)
            .await
            .map_err(error::from_sqlx)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn practice_accounts(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.practice_id = $1 \
             ORDER BY a.created_at, a.account_id"
        )))
        .bind(practice.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?
        .into_iter()
        .map(AccountRow::into_record)
        .collect()
    }

    async fn rehash_password(&self, id: AccountId, password_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE account SET password_hash = $1 WHERE account_id = $2")
            .bind(password_hash)
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    async fn change_password(
        &self,
        id: AccountId,
        password_hash: &str,
        keep: Option<&[u8; 32]>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query("UPDATE account SET password_hash = $1 WHERE account_id = $2")
            .bind(password_hash)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        end_sessions_except(&mut tx, id, keep).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn enrol_totp(
        &self,
        id: AccountId,
        enrolment: &TotpEnrolment,
        keep: Option<&[u8; 32]>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        // The confirming code's step is taken at once, so it cannot be replayed.
        sqlx::query(
            "UPDATE account SET totp_sealed = $1, totp_last_step = $2 WHERE account_id = $3",
        )
        .bind(&enrolment.totp_sealed)
        .bind(enrolment.confirmed_step)
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        sqlx::query("DELETE FROM recovery_code WHERE account_id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        sqlx::query(
            "INSERT INTO recovery_code (account_id, digest) SELECT $1, unnest($2::BYTEA[])",
        )
        .bind(id.as_uuid())
        .bind(&enrolment.recovery_digests[..])
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        end_sessions_except(&mut tx, id, keep).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn claim_totp_step(&self, id: AccountId, step: i64) -> Result<bool, StoreError> {
        let claimed = sqlx::query(
            "UPDATE account SET totp_last_step = $2 \
             WHERE account_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(id.as_uuid())
        .bind(step)
        .execute(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn use_recovery_code(
        &self,
        id: AccountId,
        digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let used = sqlx::query(
            "UPDATE recovery_code SET used_at = $3 \
             WHERE account_id = $1 AND digest = $2 AND used_at IS NULL",
        )
        .bind(id.as_uuid())
        .bind(&digest[..])
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(used.rows_affected() == 1)
    }

    async fn unused_recovery_codes(&self, id: AccountId) -> Result<u32, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM recovery_code WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    async fn deactivate_account(
        &self,
        id: AccountId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query("UPDATE account SET deactivated_at = $1 WHERE account_id = $2")
            .bind(at)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        end_sessions_except(&mut tx, id, None).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }
}
