//! Case messages on SQLite.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{Audited, MessageReader, MessageRecord, Messages, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

#[derive(sqlx::FromRow)]
struct Row {
    message_id: Uuid,
    practice_id: Uuid,
    case_id: Uuid,
    private_to: Option<Uuid>,
    author_id: Uuid,
    body_sealed: Vec<u8>,
    sent_at: OffsetDateTime,
    shared_at: Option<OffsetDateTime>,
}

impl From<Row> for MessageRecord {
    fn from(row: Row) -> Self {
        MessageRecord {
            id: row.message_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            case_id: CaseId::from_uuid(row.case_id),
            private_to: row.private_to.map(ClientId::from_uuid),
            author_id: AccountId::from_uuid(row.author_id),
            body_sealed: row.body_sealed,
            sent_at: row.sent_at,
            shared_at: row.shared_at,
        }
    }
}

#[async_trait]
impl Messages for SqliteStore {
    async fn send_message(
        &self,
        message: &MessageRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO case_message (message_id, practice_id, case_id, private_to, author_id, \
             body_sealed, sent_at, shared_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(message.id)
        .bind(message.practice_id.as_uuid())
        .bind(message.case_id.as_uuid())
        .bind(message.private_to.map(|client| client.as_uuid()))
        .bind(message.author_id.as_uuid())
        .bind(&message.body_sealed)
        .bind(time_text(message.sent_at))
        .bind(message.shared_at.map(time_text))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn case_messages(
        &self,
        case: CaseId,
        reader: MessageReader,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let rows: Vec<Row> = match reader {
            MessageReader::Clinician => {
                sqlx::query_as(
                    "SELECT message_id, practice_id, case_id, private_to, author_id, \
                     body_sealed, sent_at, shared_at FROM case_message WHERE case_id = $1 \
                     ORDER BY sent_at, message_id",
                )
                .bind(case.as_uuid())
                .fetch_all(&self.reader)
                .await
            }
            MessageReader::Client(client) => {
                sqlx::query_as(
                    "SELECT message_id, practice_id, case_id, private_to, author_id, \
                     body_sealed, sent_at, shared_at FROM case_message WHERE case_id = $1 \
                     AND (private_to IS NULL OR private_to = $2) ORDER BY sent_at, message_id",
                )
                .bind(case.as_uuid())
                .bind(client.as_uuid())
                .fetch_all(&self.reader)
                .await
            }
        }
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(MessageRecord::from).collect())
    }

    async fn share_message(
        &self,
        case: CaseId,
        message: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE case_message SET private_to = NULL, shared_at = $1 \
             WHERE message_id = $2 AND case_id = $3 AND private_to IS NOT NULL",
        )
        .bind(time_text(at))
        .bind(message)
        .bind(case.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }

    async fn mark_messages_read(
        &self,
        account: AccountId,
        case: CaseId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO case_message_read (account_id, case_id, read_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, case_id) DO UPDATE SET read_at = excluded.read_at \
             WHERE excluded.read_at > case_message_read.read_at",
        )
        .bind(account.as_uuid())
        .bind(case.as_uuid())
        .bind(time_text(at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn messages_read_at(
        &self,
        account: AccountId,
        case: CaseId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let row: Option<(OffsetDateTime,)> = sqlx::query_as(
            "SELECT read_at FROM case_message_read WHERE account_id = $1 AND case_id = $2",
        )
        .bind(account.as_uuid())
        .bind(case.as_uuid())
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(|(at,)| at))
    }
}
