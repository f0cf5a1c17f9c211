//! Therapy sessions and notes on SQLite.

use std::collections::HashMap;

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{
    Audited, NoteSave, NoteTextRecord, ProgressNoteRecord, StoreError, TherapySessionRecord,
    TherapySessions,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::time_text;
use crate::{SqliteStore, error};

// Every `AssertSqlSafe` below wraps SQL assembled from this module's constants only;
// values always go in as bind parameters.
use sqlx::AssertSqlSafe;

const SESSION_COLUMNS: &str = "s.session_id, s.practice_id, s.case_id, s.starts_at, s.minutes, \
     s.modality, s.session_type, s.cpt_code, s.recorded_by";

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: Uuid,
    practice_id: Uuid,
    case_id: Uuid,
    starts_at: OffsetDateTime,
    minutes: i64,
    modality: String,
    session_type: String,
    cpt_code: Option<String>,
    recorded_by: Uuid,
}

impl SessionRow {
    fn into_record(self, attendees: Vec<ClientId>) -> TherapySessionRecord {
        TherapySessionRecord {
            id: self.session_id,
            practice_id: PracticeId::from_uuid(self.practice_id),
            case_id: CaseId::from_uuid(self.case_id),
            starts_at: self.starts_at,
            minutes: self.minutes,
            modality: self.modality,
            session_type: self.session_type,
            cpt_code: self.cpt_code,
            attendees,
            recorded_by: AccountId::from_uuid(self.recorded_by),
        }
    }
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    session_id: Uuid,
    template: String,
    body_sealed: Vec<u8>,
    written_by: Uuid,
    updated_at: OffsetDateTime,
    signed_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct TextRow {
    id: Uuid,
    session_id: Uuid,
    body_sealed: Vec<u8>,
    written_by: Uuid,
    written_at: OffsetDateTime,
}

impl From<TextRow> for NoteTextRecord {
    fn from(row: TextRow) -> Self {
        NoteTextRecord {
            id: row.id,
            session_id: row.session_id,
            body_sealed: row.body_sealed,
            written_by: AccountId::from_uuid(row.written_by),
            written_at: row.written_at,
        }
    }
}

impl SqliteStore {
    async fn sessions_where(
        &self,
        condition: &'static str,
        bind: Uuid,
    ) -> Result<Vec<TherapySessionRecord>, StoreError> {
        let rows: Vec<SessionRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {SESSION_COLUMNS} FROM therapy_session s WHERE {condition} \
             ORDER BY s.starts_at, s.session_id"
        )))
        .bind(bind)
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let attendees: Vec<(Uuid, Uuid)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT a.session_id, a.client_id FROM session_attendee a \
             JOIN therapy_session s ON s.session_id = a.session_id WHERE {condition} \
             ORDER BY a.session_id, a.client_id"
        )))
        .bind(bind)
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        let mut by_session: HashMap<Uuid, Vec<ClientId>> = HashMap::new();
        for (session, client) in attendees {
            by_session
                .entry(session)
                .or_default()
                .push(ClientId::from_uuid(client));
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let attendees = by_session.remove(&row.session_id).unwrap_or_default();
                row.into_record(attendees)
            })
            .collect())
    }
}

#[async_trait]
impl TherapySessions for SqliteStore {
    async fn record_session(
        &self,
        session: &TherapySessionRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO therapy_session (session_id, practice_id, case_id, starts_at, minutes, \
             modality, session_type, cpt_code, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(session.id)
        .bind(session.practice_id.as_uuid())
        .bind(session.case_id.as_uuid())
        .bind(time_text(session.starts_at))
        .bind(session.minutes)
        .bind(&session.modality)
        .bind(&session.session_type)
        .bind(&session.cpt_code)
        .bind(session.recorded_by.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("therapy session"))?;
        for client in &session.attendees {
            sqlx::query("INSERT INTO session_attendee (session_id, client_id) VALUES ($1, $2)")
                .bind(session.id)
                .bind(client.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(error::conflict_or("session attendee"))?;
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn therapy_session(&self, id: Uuid) -> Result<Option<TherapySessionRecord>, StoreError> {
        Ok(self.sessions_where("s.session_id = $1", id).await?.pop())
    }

    async fn case_sessions(&self, case: CaseId) -> Result<Vec<TherapySessionRecord>, StoreError> {
        self.sessions_where("s.case_id = $1", case.as_uuid()).await
    }

    async fn save_progress_note(
        &self,
        note: &ProgressNoteRecord,
        audit: Audited<'_>,
    ) -> Result<NoteSave, StoreError> {
        let mut tx = self.write().await?;
        let signed: Option<Option<String>> =
            sqlx::query_scalar("SELECT signed_at FROM progress_note WHERE session_id = $1")
                .bind(note.session_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::from_sqlx)?;
        match signed {
            Some(Some(_)) => return Ok(NoteSave::Locked),
            Some(None) => {
                sqlx::query(
                    "UPDATE progress_note SET template = $1, body_sealed = $2, written_by = $3, \
                     updated_at = $4 WHERE session_id = $5 AND signed_at IS NULL",
                )
                .bind(&note.template)
                .bind(&note.body_sealed)
                .bind(note.written_by.as_uuid())
                .bind(time_text(note.updated_at))
                .bind(note.session_id)
                .execute(&mut *tx)
                .await
                .map_err(error::from_sqlx)?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO progress_note (session_id, template, body_sealed, written_by, \
                     updated_at, signed_at) VALUES ($1, $2, $3, $4, $5, NULL)",
                )
                .bind(note.session_id)
                .bind(&note.template)
                .bind(&note.body_sealed)
                .bind(note.written_by.as_uuid())
                .bind(time_text(note.updated_at))
                .execute(&mut *tx)
                .await
                .map_err(error::conflict_or("progress note"))?;
            }
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(NoteSave::Saved)
    }

    async fn sign_progress_note(
        &self,
        session: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE progress_note SET signed_at = $1 WHERE session_id = $2 AND signed_at IS NULL",
        )
        .bind(time_text(at))
        .bind(session)
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

    async fn progress_note(&self, session: Uuid) -> Result<Option<ProgressNoteRecord>, StoreError> {
        let row: Option<NoteRow> = sqlx::query_as(
            "SELECT session_id, template, body_sealed, written_by, updated_at, signed_at \
             FROM progress_note WHERE session_id = $1",
        )
        .bind(session)
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(|row| ProgressNoteRecord {
            session_id: row.session_id,
            template: row.template,
            body_sealed: row.body_sealed,
            written_by: AccountId::from_uuid(row.written_by),
            updated_at: row.updated_at,
            signed_at: row.signed_at,
        }))
    }

    async fn add_addendum(
        &self,
        addendum: &NoteTextRecord,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let signed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM progress_note WHERE session_id = $1 AND signed_at IS NOT NULL",
        )
        .bind(addendum.session_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        if signed == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO note_addendum (addendum_id, session_id, body_sealed, written_by, written_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(addendum.id)
        .bind(addendum.session_id)
        .bind(&addendum.body_sealed)
        .bind(addendum.written_by.as_uuid())
        .bind(time_text(addendum.written_at))
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("note addendum"))?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }

    async fn addenda(&self, session: Uuid) -> Result<Vec<NoteTextRecord>, StoreError> {
        let rows: Vec<TextRow> = sqlx::query_as(
            "SELECT addendum_id AS id, session_id, body_sealed, written_by, written_at \
             FROM note_addendum WHERE session_id = $1 ORDER BY written_at, addendum_id",
        )
        .bind(session)
        .fetch_all(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(NoteTextRecord::from).collect())
    }

    async fn save_process_note(
        &self,
        note: &NoteTextRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO process_note (session_id, body_sealed, written_by, written_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO UPDATE SET \
             body_sealed = excluded.body_sealed, written_by = excluded.written_by, \
             written_at = excluded.written_at",
        )
        .bind(note.session_id)
        .bind(&note.body_sealed)
        .bind(note.written_by.as_uuid())
        .bind(time_text(note.written_at))
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn process_note(&self, session: Uuid) -> Result<Option<NoteTextRecord>, StoreError> {
        let row: Option<TextRow> = sqlx::query_as(
            "SELECT session_id AS id, session_id, body_sealed, written_by, written_at \
             FROM process_note WHERE session_id = $1",
        )
        .bind(session)
        .fetch_optional(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(NoteTextRecord::from))
    }
}
