//! Recording to the audit trail from the application layer.
//!
//! One row per event, no content: who, what, which record, how it ended, when, which
//! request. If the row cannot be written the operation fails with it, so nothing
//! clinical happens unrecorded.

use sensate_audit::{Action, Actor, AuditEvent, ObjectType, Outcome, RequestId};
use sensate_domain::PracticeId;
use sensate_store::Audited;
use uuid::Uuid;

use crate::{App, AppError};

/// Object types recorded by sign-in and administration.
pub(crate) const ACCOUNT: ObjectType = ObjectType::from_static("account");
pub(crate) const PRACTICE: ObjectType = ObjectType::from_static("practice");
pub(crate) const SECOND_FACTOR: ObjectType = ObjectType::from_static("second_factor");

/// What the web layer knows about the request an event happens in.
#[derive(Clone, Debug, Default)]
pub struct AuditContext {
    /// The request id (already on every response and log line).
    pub request_id: Option<String>,
}

impl AuditContext {
    pub(crate) fn request(&self) -> Option<RequestId> {
        // A request id we made ourselves always parses; one we cannot use is left out
        // rather than failing the operation.
        self.request_id
            .as_deref()
            .and_then(|id| RequestId::parse(id).ok())
    }
}

/// One event to record.
pub(crate) struct Event {
    pub(crate) actor: Actor,
    pub(crate) practice: Option<Uuid>,
    pub(crate) action: Action,
    pub(crate) object_type: ObjectType,
    pub(crate) object_id: Option<Uuid>,
    pub(crate) outcome: Outcome,
}

impl App {
    /// A row about one record of a practice, allowed, in this request. (Set `outcome`
    /// on it for a refusal.)
    pub(crate) fn event_about(
        &self,
        actor: Actor,
        practice: PracticeId,
        action: Action,
        object_type: ObjectType,
        object: Uuid,
        context: &AuditContext,
    ) -> AuditEvent {
        let event = AuditEvent::new(actor, action, object_type, Outcome::Allowed)
            .in_practice(practice.as_uuid())
            .about(object);
        match context.request() {
            Some(request) => event.in_request(request),
            None => event,
        }
    }

    /// Records one row now: for a read, before the data is returned.
    pub(crate) async fn record_event(&self, event: AuditEvent) -> Result<(), AppError> {
        self.store
            .record(self.vault.audit_chain(), event, self.clock.now())
            .await
            .map(drop)
            .map_err(|error| AppError::Audit(error.to_string()))
    }

    /// Rows a write hands to the store, to commit in the write's own transaction.
    pub(crate) fn audited(&self, events: Vec<AuditEvent>) -> Audited<'_> {
        Audited {
            chain: self.vault.audit_chain(),
            events,
            at: self.clock.now(),
        }
    }

    /// Appends one row to the audit trail.
    pub(crate) async fn audit(&self, context: &AuditContext, event: Event) -> Result<(), AppError> {
        let mut row = AuditEvent::new(event.actor, event.action, event.object_type, event.outcome);
        if let Some(practice) = event.practice {
            row = row.in_practice(practice);
        }
        if let Some(object) = event.object_id {
            row = row.about(object);
        }
        if let Some(request) = context.request() {
            row = row.in_request(request);
        }
        self.record_event(row).await
    }
}
