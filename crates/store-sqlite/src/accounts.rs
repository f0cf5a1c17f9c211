//! Accounts, recovery codes and sessions on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, ClientId, Practice, PracticeId};
use sensate_store::{AccountRecord, Accounts, SessionRecord, Sessions, StoreError, TotpEnrolment};
use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::time_text;
use crate::{SqliteStore, error};

// Every `AssertSqlSafe` below wraps SQL assembled from this module's constants only;
// values always go in as bind parameters.
use sqlx::AssertSqlSafe;

const ACCOUNT_COLUMNS: &str = "a.account_id, a.practice_id, a.role, a.email_lookup, a.email_sealed, \
     a.name_sealed, a.password_hash, a.totp_sealed, a.totp_last_step, a.deactivated_at, a.created_at, a.client_id";

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
                .parse()
                .map_err(
                    |e: sensate_domain::accounts::UnknownRole| StoreError::Corrupt {
                        what: "account role",
                        reason: e.to_string(),
                    },
                )?,
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

pub(crate) async fn insert_account_in(
    tx: &mut Transaction<'static, Sqlite>,
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
    .bind(account.deactivated_at.map(time_text))
    .bind(time_text(account.created_at))
    .bind(account.client_id.map(|c| c.as_uuid()))
    .execute(&mut **tx)
    .await
    .map_err(error::conflict_or("account"))?;
    Ok(())
}

/// Ends every session of `account` except `keep`.
async fn end_sessions_except(
    tx: &mut Transaction<'static, Sqlite>,
    account: AccountId,
    keep: Option<&[u8; 32]>,
) -> Result<(), StoreError> {
    let keep: Vec<u8> = keep.map(|k| k.to_vec()).unwrap_or_default();
    sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_digest <> $2")
        .bind(account.as_uuid())
        .bind(keep)
        .execute(&mut **tx)
        .await
        .map_err(error::from_sqlx)?;
    Ok(())
}

impl SqliteStore {
    async fn account_where(
        &self,
        condition: &str,
        bind: Vec<u8>,
    ) -> Result<Option<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a WHERE {condition}"
        )))
        .bind(bind)
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .map(AccountRow::into_record)
        .transpose()
    }
}

#[async_trait]
impl Accounts for SqliteStore {
    async fn set_up_practice(
        &self,
        practice: &Practice,
        wrapped_key: &[u8],
        owner: &AccountRecord,
    ) -> Result<(), StoreError> {
        // BEGIN IMMEDIATE holds the write lock, so two setups cannot both see zero.
        let mut tx = self.write().await?;
        let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM account")
            .fetch_one(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        if accounts > 0 {
            return Err(StoreError::Conflict { what: "setup" });
        }
        crate::practices::insert_practice(&mut tx, practice, wrapped_key).await?;
        insert_account_in(&mut tx, owner).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_account_in(&mut tx, account).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn account(&self, id: AccountId) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("a.account_id = $1", id.as_uuid().as_bytes().to_vec())
            .await
    }

    async fn account_by_email(
        &self,
        email_lookup: &[u8; 32],
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("a.email_lookup = $1", email_lookup.to_vec())
            .await
    }

    async fn account_for_client(
        &self,
        client: ClientId,
    ) -> Result<Option<AccountRecord>, StoreError> {
        // UUIDs are stored as their 16 bytes on SQLite.
        self.account_where("a.client_id = $1", client.as_uuid().as_bytes().to_vec())
            .await
    }

    async fn count_accounts(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM account")
            .fetch_one(&self.reader)
            .await
            .map_err(error::from_sqlx)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn practice_accounts(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.practice_id = $1 ORDER BY a.created_at, a.account_id"
        )))
        .bind(practice.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .into_iter()
        .map(AccountRow::into_record)
        .collect()
    }

    async fn rehash_password(&self, id: AccountId, password_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE account SET password_hash = $1 WHERE account_id = $2")
            .bind(password_hash)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn change_password(
        &self,
        id: AccountId,
        password_hash: &str,
        keep: Option<&[u8; 32]>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
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
        let mut tx = self.write().await?;
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
        for digest in &enrolment.recovery_digests {
            sqlx::query("INSERT INTO recovery_code (account_id, digest) VALUES ($1, $2)")
                .bind(id.as_uuid())
                .bind(&digest[..])
                .execute(&mut *tx)
                .await
                .map_err(error::from_sqlx)?;
        }
        end_sessions_except(&mut tx, id, keep).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn claim_totp_step(&self, id: AccountId, step: i64) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let result = sqlx::query(
            "UPDATE account SET totp_last_step = $1 \
             WHERE account_id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(result.rows_affected() == 1)
    }

    async fn use_recovery_code(
        &self,
        id: AccountId,
        digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let result = sqlx::query(
            "UPDATE recovery_code SET used_at = $1 \
             WHERE account_id = $2 AND digest = $3 AND used_at IS NULL",
        )
        .bind(time_text(at))
        .bind(id.as_uuid())
        .bind(&digest[..])
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(result.rows_affected() == 1)
    }

    async fn unused_recovery_codes(&self, id: AccountId) -> Result<u32, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM recovery_code WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(u32::try_from(count).unwrap_or(0))
    }

    async fn deactivate_account(
        &self,
        id: AccountId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE account SET deactivated_at = $1 WHERE account_id = $2")
            .bind(time_text(at))
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        end_sessions_except(&mut tx, id, None).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }
}

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

#[async_trait]
impl Sessions for SqliteStore {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_session(&mut tx, session).await?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn session(
        &self,
        token_digest: &[u8; 32],
    ) -> Result<Option<(SessionRecord, AccountRecord)>, StoreError> {
        let row = sqlx::query_as::<_, SessionRow>(AssertSqlSafe(format!(
            "SELECT s.token_digest, s.account_id AS session_account_id, \
             s.created_at AS session_created_at, s.last_seen_at, s.second_factor_at, {ACCOUNT_COLUMNS} \
             FROM session s JOIN account a ON a.account_id = s.account_id \
             WHERE s.token_digest = $1"
        )))
        .bind(&token_digest[..])
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        let Some(row) = row else { return Ok(None) };
        let session = SessionRecord {
            token_digest: digest(row.token_digest, "session token digest")?,
            account_id: AccountId::from_uuid(row.session_account_id),
            created_at: row.session_created_at,
            last_seen_at: row.last_seen_at,
            second_factor_at: row.second_factor_at,
        };
        Ok(Some((session, row.account.into_record()?)))
    }

    async fn touch_session(
        &self,
        token_digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_digest = $2")
            .bind(time_text(at))
            .bind(&token_digest[..])
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn replace_session(
        &self,
        old: &[u8; 32],
        new: &SessionRecord,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM session WHERE token_digest = $1")
            .bind(&old[..])
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        if deleted.rows_affected() != 1 {
            tx.rollback().await.map_err(error::from_sqlx)?;
            return Ok(false);
        }
        insert_session(&mut tx, new).await?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }

    async fn end_session(&self, token_digest: &[u8; 32]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM session WHERE token_digest = $1")
            .bind(&token_digest[..])
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn end_sessions_of(&self, account: AccountId) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let result = sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(account.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(result.rows_affected())
    }

    async fn end_sessions_begun_before(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let result = sqlx::query("DELETE FROM session WHERE created_at < $1")
            .bind(time_text(cutoff))
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(result.rows_affected())
    }
}

async fn insert_session(
    tx: &mut Transaction<'static, Sqlite>,
    session: &SessionRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO session (token_digest, account_id, created_at, last_seen_at, second_factor_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&session.token_digest[..])
    .bind(session.account_id.as_uuid())
    .bind(time_text(session.created_at))
    .bind(time_text(session.last_seen_at))
    .bind(session.second_factor_at.map(time_text))
    .execute(&mut **tx)
    .await
    .map_err(error::conflict_or("session"))?;
    Ok(())
}
