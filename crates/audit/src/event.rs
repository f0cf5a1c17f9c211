//! What a caller records: who did what to which record, and how it ended.
//!
//! Every field is an id or a code, so an event cannot carry clinical content: there is no
//! field a name, a note or an answer could go in. The chain adds the sequence number, the
//! time and the hashes when the event is appended (see [`AuditRecord`](crate::AuditRecord)).

use uuid::Uuid;

use crate::{Action, Actor, ObjectType, Outcome, RequestId};

/// One thing that happened to clinical data (or to a sign-in), as a caller reports it.
///
/// ```
/// use sensate_audit::{Action, Actor, AuditEvent, ObjectType, Outcome};
/// # let (clinician, practice, note) = (uuid::Uuid::nil(), uuid::Uuid::nil(), uuid::Uuid::nil());
/// const SESSION_NOTE: ObjectType = ObjectType::from_static("session_note");
/// let event = AuditEvent::new(Actor::User(clinician), Action::Read, SESSION_NOTE, Outcome::Allowed)
///     .in_practice(practice)
///     .about(note);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditEvent {
    /// Who did it.
    pub actor: Actor,
    /// The practice whose data it concerns; `None` for platform-level events (an operator
    /// signing in, say).
    pub practice_id: Option<Uuid>,
    /// What was done.
    pub action: Action,
    /// What kind of record it was done to.
    pub object_type: ObjectType,
    /// Which record, when there is one (a list or a failed sign-in may have none).
    pub object_id: Option<Uuid>,
    /// How it ended.
    pub outcome: Outcome,
    /// The request (or job run) it happened in, to find the matching log lines.
    pub request_id: Option<RequestId>,
}

impl AuditEvent {
    /// An event with no practice, object or request id; add them with the methods below.
    pub fn new(actor: Actor, action: Action, object_type: ObjectType, outcome: Outcome) -> Self {
        Self {
            actor,
            practice_id: None,
            action,
            object_type,
            object_id: None,
            outcome,
            request_id: None,
        }
    }

    /// The same event, in the given practice.
    #[must_use]
    pub fn in_practice(self, practice_id: Uuid) -> Self {
        Self {
            practice_id: Some(practice_id),
            ..self
        }
    }

    /// The same event, about the record with the given id.
    #[must_use]
    pub fn about(self, object_id: Uuid) -> Self {
        Self {
            object_id: Some(object_id),
            ..self
        }
    }

    /// The same event, in the given request.
    #[must_use]
    pub fn in_request(self, request_id: RequestId) -> Self {
        Self {
            request_id: Some(request_id),
            ..self
        }
    }
}
