//! The owner's view of the audit trail: who did what to which record, and when.
//!
//! Owners see their own practice's rows only. People are named (their names opened
//! with the practice key); records are shown by kind and id, since a row never holds
//! content.

use std::collections::HashMap;

use sensate_audit::{Action, AuditRecord};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::AccountId;
use sensate_domain::accounts::Role;
use sensate_store::AuditQuery;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::{AuditContext, Event};
use crate::sign_in::SignedIn;
use crate::{App, AppError};

/// How many rows one page shows.
pub const AUDIT_PAGE: u32 = 100;

/// What the owner filters by; every field optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Rows by this person.
    pub person: Option<AccountId>,
    /// Rows about this record (a client's id, say).
    pub record: Option<Uuid>,
    /// Rows of this action.
    pub action: Option<Action>,
    /// Rows at or after.
    pub from: Option<OffsetDateTime>,
    /// Rows before.
    pub until: Option<OffsetDateTime>,
    /// Rows older than this sequence number (the next page).
    pub before: Option<i64>,
}

/// One row, ready to show.
#[derive(Clone, Debug)]
pub struct AuditLine {
    /// Its place in the trail.
    pub seq: u64,
    /// When, UTC.
    pub at: OffsetDateTime,
    /// Who: a name, "Someone not signed in" or "Sensate".
    pub who: String,
    /// The action's code.
    pub action: &'static str,
    /// The kind of record.
    pub object_type: String,
    /// Which record, by id; a person's name when the record is a person.
    pub object: String,
    /// Allowed, denied or failed.
    pub outcome: &'static str,
}

impl App {
    /// A page of the owner's practice's audit trail, newest first. Looking at the trail
    /// is itself recorded.
    pub async fn audit_trail(
        &self,
        owner: &SignedIn,
        filter: &AuditFilter,
        context: &AuditContext,
    ) -> Result<Vec<AuditLine>, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Ok(Vec::new());
        };
        let names: HashMap<Uuid, String> = self
            .practice_people(owner)
            .await?
            .into_iter()
            .map(|person| (person.id.as_uuid(), person.name.expose_secret().to_owned()))
            .collect();
        let rows = self
            .store
            .audit_events(&AuditQuery {
                practice_id: Some(practice.as_uuid()),
                actor_id: filter.person.map(|p| p.as_uuid()),
                object_id: filter.record,
                action: filter.action.map(|a| a.code().to_owned()),
                from: filter.from,
                until: filter.until,
                before_seq: filter.before,
                limit: AUDIT_PAGE,
            })
            .await?;
        self.audit(
            context,
            Event {
                actor: sensate_audit::Actor::User(owner.account_id.as_uuid()),
                practice: Some(practice.as_uuid()),
                action: Action::List,
                object_type: AUDIT_TRAIL,
                object_id: None,
                outcome: sensate_audit::Outcome::Allowed,
            },
        )
        .await?;
        Ok(rows.into_iter().map(|row| line(row, &names)).collect())
    }
}

const AUDIT_TRAIL: sensate_audit::ObjectType =
    sensate_audit::ObjectType::from_static("audit_trail");

fn line(row: AuditRecord, names: &HashMap<Uuid, String>) -> AuditLine {
    let who = match row.event.actor {
        sensate_audit::Actor::User(id) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Account {id}")),
        sensate_audit::Actor::Anonymous => "Someone not signed in".to_owned(),
        sensate_audit::Actor::System => "Sensate".to_owned(),
    };
    let object = match row.event.object_id {
        Some(id) => names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
        None => String::new(),
    };
    AuditLine {
        seq: row.seq,
        at: row.recorded_at.as_datetime(),
        who,
        action: row.event.action.code(),
        object_type: row.event.object_type.as_str().to_owned(),
        object,
        outcome: row.event.outcome.code(),
    }
}
