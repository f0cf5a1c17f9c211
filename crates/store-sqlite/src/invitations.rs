//! Invitations, the outbox and care relationships on SQLite.

use async_trait::async_trait;
use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, ClientId, PracticeId};
use sensate_store::{
    Acceptance, AccountRecord, InvitationRecord, Invitations, OutboxRecord, StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{digest, insert_account_in};
use crate::time_text;
use crate::{SqliteStore, error};

const INVITATION_COLUMNS: &str = "invitation_id, token_digest, practice_id, role, email_lookup, \
     email_sealed, name_sealed, invited_by, created_at, expires_at, accepted_at, revoked_at, client_id";

#[derive(sqlx::FromRow)]
struct InvitationRow {
    invitation_id: Uuid,
    token_digest: Vec<u8>,
    practice_id: Uuid,
    role: String,
    email_lookup: Vec<u8>,
    email_sealed: Vec<u8>,
    name_sealed: Vec<u8>,
    invited_by: Uuid,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    accepted_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
    client_id: Option<Uuid>,
}

impl InvitationRow {
    fn into_record(self) -> Result<InvitationRecord, StoreError> {
        Ok(InvitationRecord {
            id: self.invitation_id,
            token_digest: digest(self.token_digest, "invitation token digest")?,
            practice_id: PracticeId::from_uuid(self.practice_id),
            role: self.role.parse::<Role>().map_err(|e| StoreError::Corrupt {
                what: "invitation role",
                reason: e.to_string(),
            })?,
            email_lookup: digest(self.email_lookup, "invitation email lookup")?,
            email_sealed: self.email_sealed,
            name_sealed: self.name_sealed,
            invited_by: AccountId::from_uuid(self.invited_by),
            created_at: self.created_at,
            expires_at: self.expires_at,
            accepted_at: self.accepted_at,
            revoked_at: self.revoked_at,
            client_id: self.client_id.map(ClientId::from_uuid),
        })
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    message_id: Uuid,
    practice_id: Uuid,
    recipient_sealed: Vec<u8>,
    subject_sealed: Vec<u8>,
    body_sealed: Vec<u8>,
    created_at: OffsetDateTime,
    delivered_at: Option<OffsetDateTime>,
}

impl From<OutboxRow> for OutboxRecord {
    fn from(row: OutboxRow) -> Self {
        OutboxRecord {
            id: row.message_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            recipient_sealed: row.recipient_sealed,
            subject_sealed: row.subject_sealed,
            body_sealed: row.body_sealed,
            created_at: row.created_at,
            delivered_at: row.delivered_at,
        }
    }
}

#[async_trait]
impl Invitations for SqliteStore {
    async fn create_invitation(
        &self,
        invitation: &InvitationRecord,
        email: &OutboxRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO invitation (invitation_id, token_digest, practice_id, role, email_lookup, \
             email_sealed, name_sealed, invited_by, created_at, expires_at, accepted_at, revoked_at, \
             client_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(invitation.id)
        .bind(&invitation.token_digest[..])
        .bind(invitation.practice_id.as_uuid())
        .bind(invitation.role.code())
        .bind(&invitation.email_lookup[..])
        .bind(&invitation.email_sealed)
        .bind(&invitation.name_sealed)
        .bind(invitation.invited_by.as_uuid())
        .bind(time_text(invitation.created_at))
        .bind(time_text(invitation.expires_at))
        .bind(invitation.accepted_at.map(time_text))
        .bind(invitation.revoked_at.map(time_text))
        .bind(invitation.client_id.map(|c| c.as_uuid()))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("invitation"))?;
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

    async fn invitation(
        &self,
        token_digest: &[u8; 32],
    ) -> Result<Option<InvitationRecord>, StoreError> {
        sqlx::query_as::<_, InvitationRow>(AssertSqlSafe(format!(
            "SELECT {INVITATION_COLUMNS} FROM invitation WHERE token_digest = $1"
        )))
        .bind(&token_digest[..])
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .map(InvitationRow::into_record)
        .transpose()
    }

    async fn accept_invitation(
        &self,
        token_digest: &[u8; 32],
        account: &AccountRecord,
        at: OffsetDateTime,
    ) -> Result<Acceptance, StoreError> {
        let mut tx = self.write().await?;
        let invited_by: Option<(Uuid, String)> = sqlx::query_as(
            "UPDATE invitation SET accepted_at = $1 \
             WHERE token_digest = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
             RETURNING invited_by, role",
        )
        .bind(time_text(at))
        .bind(&token_digest[..])
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        let Some((invited_by, role)) = invited_by else {
            tx.rollback().await.map_err(error::from_sqlx)?;
            return Ok(Acceptance::Unusable);
        };
        match insert_account_in(&mut tx, account).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                tx.rollback().await.map_err(error::from_sqlx)?;
                return Ok(Acceptance::EmailInUse);
            }
            Err(other) => return Err(other),
        }
        if role == Role::Client.code() {
            sqlx::query(
                "INSERT INTO client_clinician (client_id, clinician_id, since) VALUES ($1, $2, $3)",
            )
            .bind(account.id.as_uuid())
            .bind(invited_by)
            .bind(time_text(at))
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(Acceptance::Accepted)
    }

    async fn revoke_invitation(
        &self,
        practice: PracticeId,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let result = sqlx::query(
            "UPDATE invitation SET revoked_at = $1 \
             WHERE invitation_id = $2 AND practice_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(time_text(at))
        .bind(id)
        .bind(practice.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(result.rows_affected() == 1)
    }

    async fn practice_invitations(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<InvitationRecord>, StoreError> {
        sqlx::query_as::<_, InvitationRow>(AssertSqlSafe(format!(
            "SELECT {INVITATION_COLUMNS} FROM invitation WHERE practice_id = $1 \
             ORDER BY created_at DESC, invitation_id DESC"
        )))
        .bind(practice.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .into_iter()
        .map(InvitationRow::into_record)
        .collect()
    }

    async fn outbox(
        &self,
        practice: PracticeId,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        Ok(sqlx::query_as::<_, OutboxRow>(
            "SELECT message_id, practice_id, recipient_sealed, subject_sealed, body_sealed, \
             created_at, delivered_at FROM outbox_message WHERE practice_id = $1 \
             ORDER BY created_at DESC, message_id DESC LIMIT $2",
        )
        .bind(practice.as_uuid())
        .bind(i64::from(limit.min(500)))
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?
        .into_iter()
        .map(OutboxRecord::from)
        .collect())
    }

    async fn mark_delivered(&self, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE outbox_message SET delivered_at = $1 WHERE message_id = $2")
            .bind(time_text(at))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn clinicians_of(&self, client: AccountId) -> Result<Vec<AccountId>, StoreError> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT clinician_id FROM client_clinician WHERE client_id = $1 ORDER BY since, clinician_id",
        )
        .bind(client.as_uuid())
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(ids.into_iter().map(AccountId::from_uuid).collect())
    }
}

// SQL assembled above uses only this module's constants; values are bound.
use sqlx::AssertSqlSafe;
