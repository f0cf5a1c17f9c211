//! Questionnaire assignments and responses on PostgreSQL.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{
    AssignmentRecord, Audited, IntakeAlertRecord, NoticeRecord, OutboxRecord, Questionnaires,
    ResponseRecord, ResponseSave, StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::{PostgresStore, error};

/// The assignment columns, for `concat!` into each query that reads them.
macro_rules! select_assignments {
    () => {
        "SELECT assignment_id, practice_id, case_id, client_id, instrument_sealed, \
         every_weeks, before_sessions, reminder_days, starts_at, open_days, assigned_by, \
         assigned_at, ended_at FROM questionnaire_assignment "
    };
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    assignment_id: Uuid,
    practice_id: Uuid,
    case_id: Uuid,
    client_id: Uuid,
    instrument_sealed: Vec<u8>,
    every_weeks: Option<i64>,
    before_sessions: bool,
    reminder_days: Option<i64>,
    starts_at: OffsetDateTime,
    open_days: i64,
    assigned_by: Uuid,
    assigned_at: OffsetDateTime,
    ended_at: Option<OffsetDateTime>,
}

impl From<AssignmentRow> for AssignmentRecord {
    fn from(row: AssignmentRow) -> Self {
        AssignmentRecord {
            id: row.assignment_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            case_id: CaseId::from_uuid(row.case_id),
            client_id: ClientId::from_uuid(row.client_id),
            instrument_sealed: row.instrument_sealed,
            every_weeks: row.every_weeks,
            before_sessions: row.before_sessions,
            reminder_days: row.reminder_days,
            starts_at: row.starts_at,
            open_days: row.open_days,
            assigned_by: AccountId::from_uuid(row.assigned_by),
            assigned_at: row.assigned_at,
            ended_at: row.ended_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    response_id: Uuid,
    practice_id: Uuid,
    case_id: Uuid,
    client_id: Uuid,
    assignment_id: Option<Uuid>,
    round: i64,
    instrument_sealed: Vec<u8>,
    answers_sealed: Vec<u8>,
    score_sealed: Option<Vec<u8>>,
    entered_by: Uuid,
    updated_at: OffsetDateTime,
    completed_at: Option<OffsetDateTime>,
}

impl From<ResponseRow> for ResponseRecord {
    fn from(row: ResponseRow) -> Self {
        ResponseRecord {
            id: row.response_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            case_id: CaseId::from_uuid(row.case_id),
            client_id: ClientId::from_uuid(row.client_id),
            assignment_id: row.assignment_id,
            round: row.round,
            instrument_sealed: row.instrument_sealed,
            answers_sealed: row.answers_sealed,
            score_sealed: row.score_sealed,
            entered_by: AccountId::from_uuid(row.entered_by),
            updated_at: row.updated_at,
            completed_at: row.completed_at,
        }
    }
}

#[async_trait]
impl Questionnaires for PostgresStore {
    async fn assign(
        &self,
        assignment: &AssignmentRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query(
            "INSERT INTO questionnaire_assignment (assignment_id, practice_id, case_id, \
             client_id, instrument_sealed, every_weeks, before_sessions, reminder_days, starts_at, \
             open_days, assigned_by, assigned_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(assignment.id)
        .bind(assignment.practice_id.as_uuid())
        .bind(assignment.case_id.as_uuid())
        .bind(assignment.client_id.as_uuid())
        .bind(&assignment.instrument_sealed)
        .bind(assignment.every_weeks)
        .bind(assignment.before_sessions)
        .bind(assignment.reminder_days)
        .bind(assignment.starts_at)
        .bind(assignment.open_days)
        .bind(assignment.assigned_by.as_uuid())
        .bind(assignment.assigned_at)
        .bind(assignment.ended_at)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn end_assignment(
        &self,
        assignment: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let changed = sqlx::query(
            "UPDATE questionnaire_assignment SET ended_at = $1 \
             WHERE assignment_id = $2 AND ended_at IS NULL",
        )
        .bind(at)
        .bind(assignment)
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

    async fn client_assignments(
        &self,
        client: ClientId,
    ) -> Result<Vec<AssignmentRecord>, StoreError> {
        let rows: Vec<AssignmentRow> = sqlx::query_as(concat!(
            select_assignments!(),
            "WHERE client_id = $1 ORDER BY assigned_at, assignment_id"
        ))
        .bind(client.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(AssignmentRecord::from).collect())
    }

    async fn save_response(
        &self,
        response: &ResponseRecord,
        alerts: &[IntakeAlertRecord],
        audit: Audited<'_>,
    ) -> Result<ResponseSave, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let stored = sqlx::query(
            "INSERT INTO questionnaire_response (response_id, practice_id, case_id, client_id, \
             assignment_id, round, instrument_sealed, answers_sealed, score_sealed, \
             entered_by, updated_at, completed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (response_id) DO UPDATE SET answers_sealed = excluded.answers_sealed, \
             score_sealed = excluded.score_sealed, entered_by = excluded.entered_by, \
             updated_at = excluded.updated_at, completed_at = excluded.completed_at \
             WHERE questionnaire_response.completed_at IS NULL",
        )
        .bind(response.id)
        .bind(response.practice_id.as_uuid())
        .bind(response.case_id.as_uuid())
        .bind(response.client_id.as_uuid())
        .bind(response.assignment_id)
        .bind(response.round)
        .bind(&response.instrument_sealed)
        .bind(&response.answers_sealed)
        .bind(response.score_sealed.as_ref())
        .bind(response.entered_by.as_uuid())
        .bind(response.updated_at)
        .bind(response.completed_at)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        if stored == 0 {
            // The row exists and is completed: its answers stand.
            return Ok(ResponseSave::AlreadyCompleted);
        }
        for alert in alerts {
            sqlx::query(
                "INSERT INTO intake_alert (alert_id, practice_id, client_id, concern_sealed, \
                 raised_at, acknowledged_at, acknowledged_by, action_sealed) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(alert.id)
            .bind(alert.practice_id.as_uuid())
            .bind(alert.client_id.as_uuid())
            .bind(&alert.concern_sealed)
            .bind(alert.raised_at)
            .bind(alert.acknowledged_at)
            .bind(alert.acknowledged_by.map(|a| a.as_uuid()))
            .bind(alert.action_sealed.as_ref())
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(ResponseSave::Saved)
    }

    async fn running_assignments(&self) -> Result<Vec<AssignmentRecord>, StoreError> {
        let rows: Vec<AssignmentRow> = sqlx::query_as(concat!(
            select_assignments!(),
            "WHERE ended_at IS NULL ORDER BY assigned_at, assignment_id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(AssignmentRecord::from).collect())
    }

    async fn record_notice(
        &self,
        notice: &NoticeRecord,
        message: &OutboxRecord,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        // The message row comes first (the notice refers to it); if the notice turns out
        // to be sent already, dropping the transaction takes the message back out.
        sqlx::query(
            "INSERT INTO outbox_message (message_id, practice_id, recipient_sealed, \
             subject_sealed, body_sealed, created_at, delivered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(message.id)
        .bind(message.practice_id.as_uuid())
        .bind(&message.recipient_sealed)
        .bind(&message.subject_sealed)
        .bind(&message.body_sealed)
        .bind(message.created_at)
        .bind(message.delivered_at)
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("outbox message"))?;
        let stored = sqlx::query(
            "INSERT INTO questionnaire_notice (assignment_id, round, kind, message_id, sent_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assignment_id, round, kind) DO NOTHING",
        )
        .bind(notice.assignment_id)
        .bind(notice.round)
        .bind(notice.kind.code())
        .bind(notice.message_id)
        .bind(notice.sent_at)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?
        .rows_affected();
        if stored == 0 {
            return Ok(false);
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(true)
    }

    async fn response(&self, id: Uuid) -> Result<Option<ResponseRecord>, StoreError> {
        let row: Option<ResponseRow> = sqlx::query_as(
            "SELECT response_id, practice_id, case_id, client_id, assignment_id, round, \
             instrument_sealed, answers_sealed, score_sealed, entered_by, updated_at, \
             completed_at FROM questionnaire_response WHERE response_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(ResponseRecord::from))
    }

    async fn client_responses(&self, client: ClientId) -> Result<Vec<ResponseRecord>, StoreError> {
        let rows: Vec<ResponseRow> = sqlx::query_as(
            "SELECT response_id, practice_id, case_id, client_id, assignment_id, round, \
             instrument_sealed, answers_sealed, score_sealed, entered_by, updated_at, \
             completed_at FROM questionnaire_response WHERE client_id = $1 \
             ORDER BY updated_at, response_id",
        )
        .bind(client.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(ResponseRecord::from).collect())
    }
}
