//! The audit trail on PostgreSQL (docs/audit.md, "What the storage layer should do").

use async_trait::async_trait;
use sensate_audit::{
    AuditChain, AuditColumns, AuditEvent, AuditRecord, ChainBreak, ChainPosition, HeadColumns,
    RecordedAt, SealedHead, VerifiedChain,
};
use sensate_store::{AuditQuery, AuditTrail, StoreError};
use sqlx::{Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PostgresStore, error};

// Every `AssertSqlSafe` below wraps SQL assembled from this module's constants only;
// values always go in as bind parameters.
use sqlx::AssertSqlSafe;

/// The most rows one page of the owner's audit view asks for.
const MAX_PAGE: u32 = 500;

const EVENT_COLUMNS: &str = "seq, recorded_at, actor_kind, actor_id, practice_id, action, \
     object_type, object_id, outcome, request_id, prev_hash, hash";

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    recorded_at: OffsetDateTime,
    actor_kind: String,
    actor_id: Option<Uuid>,
    practice_id: Option<Uuid>,
    action: String,
    object_type: String,
    object_id: Option<Uuid>,
    outcome: String,
    request_id: Option<String>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl From<EventRow> for AuditColumns {
    fn from(row: EventRow) -> Self {
        AuditColumns {
            seq: row.seq,
            recorded_at: row.recorded_at,
            actor_kind: row.actor_kind,
            actor_id: row.actor_id,
            practice_id: row.practice_id,
            action: row.action,
            object_type: row.object_type,
            object_id: row.object_id,
            outcome: row.outcome,
            request_id: row.request_id,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

fn corrupt(what: &'static str) -> impl Fn(String) -> StoreError {
    move |reason| StoreError::Corrupt { what, reason }
}

fn head_from(row: (i64, Vec<u8>, Vec<u8>)) -> Result<SealedHead, StoreError> {
    SealedHead::try_from(HeadColumns {
        seq: row.0,
        hash: row.1,
        seal: row.2,
    })
    .map_err(|e| corrupt("audit head")(e.to_string()))
}

#[async_trait]
impl AuditTrail for PostgresStore {
    async fn start_audit_trail(&self, chain: &AuditChain) -> Result<(), StoreError> {
        let head = HeadColumns::try_from(&chain.seal(ChainPosition::GENESIS))
            .map_err(|e| corrupt("audit head")(e.to_string()))?;
        // Rows without a head are `HeadMissing`, for an operator: no head is made for them.
        sqlx::query(
            "INSERT INTO audit_head (id, seq, hash, seal) \
             SELECT 1, $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM audit_event) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(head.seq)
        .bind(head.hash)
        .bind(head.seal)
        .execute(&self.pool)
        .await
        .map(drop)
        .map_err(error::from_sqlx)
    }

    async fn record(
        &self,
        chain: &AuditChain,
        event: AuditEvent,
        at: OffsetDateTime,
    ) -> Result<AuditRecord, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let record = append(&mut tx, chain, event, at).await?;
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(record)
    }

    async fn verify_audit_trail(
        &self,
        chain: &AuditChain,
    ) -> Result<Result<VerifiedChain, ChainBreak>, StoreError> {
        use futures_util::TryStreamExt;

        // One snapshot: rows appended while the trail is read cannot make the head look
        // ahead of the rows.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(error::from_sqlx)?;
        let head: Option<(i64, Vec<u8>, Vec<u8>)> =
            sqlx::query_as("SELECT seq, hash, seal FROM audit_head WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::from_sqlx)?;
        // A head Sensate could not have written (a short seal, a negative number) was
        // edited, which is what `HeadForged` reports.
        let head = match head.map(head_from).transpose() {
            Ok(head) => head,
            Err(_) => return Ok(Err(ChainBreak::HeadForged)),
        };
        let mut verifier = chain.verifier(head);
        {
            let mut rows = sqlx::query_as::<_, EventRow>(AssertSqlSafe(format!(
                "SELECT {EVENT_COLUMNS} FROM audit_event ORDER BY seq"
            )))
            .fetch(&mut *tx);
            while let Some(row) = rows.try_next().await.map_err(error::from_sqlx)? {
                let checked = match AuditRecord::try_from(AuditColumns::from(row)) {
                    Ok(record) => verifier.check(&record),
                    Err(unreadable) => Err(verifier.unreadable(unreadable)),
                };
                if let Err(broken) = checked {
                    return Ok(Err(broken));
                }
            }
        }
        tx.commit().await.map_err(error::from_sqlx)?;
        Ok(verifier.finish())
    }

    async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT {EVENT_COLUMNS} FROM audit_event WHERE 1 = 1"
        ));
        if let Some(practice) = query.practice_id {
            sql.push(" AND practice_id = ").push_bind(practice);
        }
        if let Some(actor) = query.actor_id {
            sql.push(" AND actor_id = ").push_bind(actor);
        }
        if let Some(object) = query.object_id {
            sql.push(" AND object_id = ").push_bind(object);
        }
        if let Some(action) = &query.action {
            sql.push(" AND action = ").push_bind(action.clone());
        }
        if let Some(from) = query.from {
            sql.push(" AND recorded_at >= ").push_bind(from);
        }
        if let Some(until) = query.until {
            sql.push(" AND recorded_at < ").push_bind(until);
        }
        if let Some(before) = query.before_seq {
            sql.push(" AND seq < ").push_bind(before);
        }
        sql.push(" ORDER BY seq DESC LIMIT ")
            .push_bind(i64::from(query.limit.min(MAX_PAGE)));
        sql.build_query_as::<EventRow>()
            .fetch_all(&self.pool)
            .await
            .map_err(error::from_sqlx)?
            .into_iter()
            .map(|row| {
                AuditRecord::try_from(AuditColumns::from(row))
                    .map_err(|e| corrupt("audit row")(e.to_string()))
            })
            .collect()
    }
}

/// Appends one row at `at` and moves the head, inside the caller's transaction: a write
/// of clinical data calls this in its own transaction, so the write and its audit row
/// commit together or not at all (docs/audit.md, "Appending"). The caller must hold the
/// head's lock as `record` does: the SELECT … FOR UPDATE below takes it.
pub(crate) async fn append(
    conn: &mut sqlx::PgConnection,
    chain: &AuditChain,
    event: AuditEvent,
    at: OffsetDateTime,
) -> Result<AuditRecord, StoreError> {
    let at = RecordedAt::new(at).map_err(|e| corrupt("audit time")(e.to_string()))?;
    let head: Option<(i64, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT seq, hash, seal FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_optional(&mut *conn)
            .await
            .map_err(error::from_sqlx)?;
    let head = head_from(head.ok_or_else(|| corrupt("audit trail")("it has no head row".into()))?)?;
    let after = chain
        .open_head(&head)
        .map_err(|broken| corrupt("audit head")(broken.to_string()))?;
    let record = chain
        .append(after, event, at)
        .map_err(|e| corrupt("audit row")(e.to_string()))?;
    let row = AuditColumns::try_from(&record).map_err(|e| corrupt("audit row")(e.to_string()))?;
    sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO audit_event ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(row.seq)
        .bind(row.recorded_at)
        .bind(row.actor_kind)
        .bind(row.actor_id)
        .bind(row.practice_id)
        .bind(row.action)
        .bind(row.object_type)
        .bind(row.object_id)
        .bind(row.outcome)
        .bind(row.request_id)
        .bind(row.prev_hash)
        .bind(row.hash)
        .execute(&mut *conn)
        .await
        .map_err(error::from_sqlx)?;
    let new_head = HeadColumns::try_from(&chain.seal(record.position()))
        .map_err(|e| corrupt("audit head")(e.to_string()))?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, seal = $3 WHERE id = 1")
        .bind(new_head.seq)
        .bind(new_head.hash)
        .bind(new_head.seal)
        .execute(&mut *conn)
        .await
        .map_err(error::from_sqlx)?;
    Ok(record)
}
