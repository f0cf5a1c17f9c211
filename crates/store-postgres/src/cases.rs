//! Clients and cases on PostgreSQL.

use std::collections::HashMap;

use async_trait::async_trait;
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{Audited, CaseRecord, Cases, ClientRecord, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::append;
use crate::{PostgresStore, error};

// Every `AssertSqlSafe` below wraps SQL assembled from this module's constants only;
// values always go in as bind parameters.
use sqlx::AssertSqlSafe;

const CLIENT_COLUMNS: &str = "client_id, practice_id, name_sealed, pronouns_sealed, \
     date_of_birth_sealed, email_sealed, phone_sealed, created_at";

const CASE_COLUMNS: &str =
    "c.case_id, c.practice_id, c.kind, c.secrets_policy, c.clinician_id, c.opened_at, c.closed_at";

#[derive(sqlx::FromRow)]
struct ClientRow {
    client_id: Uuid,
    practice_id: Uuid,
    name_sealed: Vec<u8>,
    pronouns_sealed: Option<Vec<u8>>,
    date_of_birth_sealed: Option<Vec<u8>>,
    email_sealed: Option<Vec<u8>>,
    phone_sealed: Option<Vec<u8>>,
    created_at: OffsetDateTime,
}

impl From<ClientRow> for ClientRecord {
    fn from(row: ClientRow) -> Self {
        ClientRecord {
            id: ClientId::from_uuid(row.client_id),
            practice_id: PracticeId::from_uuid(row.practice_id),
            name_sealed: row.name_sealed,
            pronouns_sealed: row.pronouns_sealed,
            date_of_birth_sealed: row.date_of_birth_sealed,
            email_sealed: row.email_sealed,
            phone_sealed: row.phone_sealed,
            created_at: row.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    case_id: Uuid,
    practice_id: Uuid,
    kind: String,
    secrets_policy: Option<String>,
    clinician_id: Uuid,
    opened_at: OffsetDateTime,
    closed_at: Option<OffsetDateTime>,
}

fn corrupt(what: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what,
        reason: format!("unknown code {value:?}"),
    }
}

#[derive(sqlx::FromRow)]
struct CaseloadRow {
    #[sqlx(flatten)]
    case: CaseRow,
    client_id: Uuid,
    client_practice_id: Uuid,
    name_sealed: Vec<u8>,
    pronouns_sealed: Option<Vec<u8>>,
    date_of_birth_sealed: Option<Vec<u8>>,
    email_sealed: Option<Vec<u8>>,
    phone_sealed: Option<Vec<u8>>,
    client_created_at: OffsetDateTime,
}

impl CaseRow {
    fn into_record(self, clients: Vec<ClientId>) -> Result<CaseRecord, StoreError> {
        Ok(CaseRecord {
            id: CaseId::from_uuid(self.case_id),
            practice_id: PracticeId::from_uuid(self.practice_id),
            kind: CaseKind::parse(&self.kind).ok_or_else(|| corrupt("case kind", &self.kind))?,
            secrets_policy: self
                .secrets_policy
                .map(|code| {
                    SecretsPolicy::parse(&code).ok_or_else(|| corrupt("secrets policy", &code))
                })
                .transpose()?,
            clinician_id: AccountId::from_uuid(self.clinician_id),
            clients,
            opened_at: self.opened_at,
            closed_at: self.closed_at,
        })
    }
}

impl PostgresStore {
    /// Reads cases (by a condition on `c`, with one bind) and their clients, joined in
    /// memory: two queries however many cases there are.
    async fn cases_where(
        &self,
        condition: &'static str,
        bind: Uuid,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let rows: Vec<CaseRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM client_case c WHERE {condition} ORDER BY c.opened_at, c.case_id"
        )))
        .bind(bind)
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let members: Vec<(Uuid, Uuid)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT m.case_id, m.client_id FROM case_client m JOIN client_case c ON c.case_id = m.case_id \
             WHERE {condition} ORDER BY m.case_id, m.position"
        )))
        .bind(bind)
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        let mut by_case: HashMap<Uuid, Vec<ClientId>> = HashMap::new();
        for (case, client) in members {
            by_case
                .entry(case)
                .or_default()
                .push(ClientId::from_uuid(client));
        }
        rows.into_iter()
            .map(|row| {
                let clients = by_case.remove(&row.case_id).unwrap_or_default();
                row.into_record(clients)
            })
            .collect()
    }
}

#[async_trait]
impl Cases for PostgresStore {
    async fn open_case(
        &self,
        new_clients: &[ClientRecord],
        case: &CaseRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        for client in new_clients {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO client ({CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            )))
            .bind(client.id.as_uuid())
            .bind(client.practice_id.as_uuid())
            .bind(&client.name_sealed)
            .bind(&client.pronouns_sealed)
            .bind(&client.date_of_birth_sealed)
            .bind(&client.email_sealed)
            .bind(&client.phone_sealed)
            .bind(client.created_at)
            .execute(&mut *tx)
            .await
            .map_err(error::conflict_or("client"))?;
        }
        sqlx::query(
            "INSERT INTO client_case (case_id, practice_id, kind, secrets_policy, clinician_id, opened_at, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case.id.as_uuid())
        .bind(case.practice_id.as_uuid())
        .bind(case.kind.code())
        .bind(case.secrets_policy.map(SecretsPolicy::code))
        .bind(case.clinician_id.as_uuid())
        .bind(case.opened_at)
        .bind(case.closed_at)
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("case"))?;
        for (position, client) in case.clients.iter().enumerate() {
            let position =
                i64::try_from(position).map_err(|e| StoreError::Backend(e.to_string()))?;
            sqlx::query(
                "INSERT INTO case_client (case_id, client_id, position) VALUES ($1, $2, $3)",
            )
            .bind(case.id.as_uuid())
            .bind(client.as_uuid())
            .bind(position)
            .execute(&mut *tx)
            .await
            .map_err(error::conflict_or("case client"))?;
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn client(&self, id: ClientId) -> Result<Option<ClientRecord>, StoreError> {
        let row: Option<ClientRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM client WHERE client_id = $1"
        )))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(row.map(ClientRecord::from))
    }

    async fn practice_clients(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<ClientRecord>, StoreError> {
        let rows: Vec<ClientRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM client WHERE practice_id = $1 ORDER BY created_at, client_id"
        )))
        .bind(practice.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(ClientRecord::from).collect())
    }

    async fn case(&self, id: CaseId) -> Result<Option<CaseRecord>, StoreError> {
        Ok(self
            .cases_where("c.case_id = $1", id.as_uuid())
            .await?
            .pop())
    }

    async fn practice_cases(&self, practice: PracticeId) -> Result<Vec<CaseRecord>, StoreError> {
        self.cases_where("c.practice_id = $1", practice.as_uuid())
            .await
    }

    async fn clinician_cases(&self, clinician: AccountId) -> Result<Vec<CaseRecord>, StoreError> {
        self.cases_where("c.clinician_id = $1", clinician.as_uuid())
            .await
    }

    async fn caseload(
        &self,
        clinician: AccountId,
    ) -> Result<Vec<(CaseRecord, Vec<ClientRecord>)>, StoreError> {
        let rows: Vec<CaseloadRow> = sqlx::query_as(
            "SELECT c.case_id, c.practice_id, c.kind, c.secrets_policy, c.clinician_id, \
             c.opened_at, c.closed_at, cl.client_id, cl.practice_id AS client_practice_id, \
             cl.name_sealed, cl.pronouns_sealed, cl.date_of_birth_sealed, cl.email_sealed, \
             cl.phone_sealed, cl.created_at AS client_created_at \
             FROM client_case c JOIN case_client m ON m.case_id = c.case_id \
             JOIN client cl ON cl.client_id = m.client_id \
             WHERE c.clinician_id = $1 ORDER BY c.opened_at, c.case_id, m.position",
        )
        .bind(clinician.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        let mut caseload: Vec<(CaseRecord, Vec<ClientRecord>)> = Vec::new();
        for row in rows {
            let client = ClientRecord {
                id: ClientId::from_uuid(row.client_id),
                practice_id: PracticeId::from_uuid(row.client_practice_id),
                name_sealed: row.name_sealed,
                pronouns_sealed: row.pronouns_sealed,
                date_of_birth_sealed: row.date_of_birth_sealed,
                email_sealed: row.email_sealed,
                phone_sealed: row.phone_sealed,
                created_at: row.client_created_at,
            };
            match caseload.last_mut() {
                Some((case, clients)) if case.id.as_uuid() == row.case.case_id => {
                    case.clients.push(client.id);
                    clients.push(client);
                }
                _ => {
                    let case = row.case.into_record(vec![client.id])?;
                    caseload.push((case, vec![client]));
                }
            }
        }
        Ok(caseload)
    }

    async fn client_cases(&self, client: ClientId) -> Result<Vec<CaseRecord>, StoreError> {
        self.cases_where(
            "c.case_id IN (SELECT case_id FROM case_client WHERE client_id = $1)",
            client.as_uuid(),
        )
        .await
    }

    async fn set_case_closed(
        &self,
        case: CaseId,
        closed_at: Option<OffsetDateTime>,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let changed = sqlx::query("UPDATE client_case SET closed_at = $1 WHERE case_id = $2")
            .bind(closed_at)
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

    async fn transfer_case(
        &self,
        case: CaseId,
        clinician: AccountId,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        let changed = sqlx::query("UPDATE client_case SET clinician_id = $1 WHERE case_id = $2")
            .bind(clinician.as_uuid())
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
}
