//! Who did it: a signed-in user (by id, never by name), nobody signed in, or Sensate itself.
//!
//! Stored as two columns, a kind code and an optional user id; [`Actor::from_parts`] reads
//! them back and refuses combinations Sensate never writes (a user without an id, a system
//! actor with one).

use std::fmt;

use uuid::Uuid;

use crate::InvalidField;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// The kind of an [`Actor`], as stored in its own column.
    pub enum ActorKind ("actor kind") {
        /// A signed-in person: clinician, staff member, owner, operator or client.
        User = "user",
        /// Nobody signed in: a sign-in attempt for an unknown account, a public page.
        Anonymous = "anonymous",
        /// Sensate itself: a scheduled job such as retention, backup or key rotation.
        System = "system",
    }
}

/// Who did what an audit row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A signed-in person, by user id.
    User(Uuid),
    /// Nobody signed in.
    Anonymous,
    /// Sensate itself, acting on a schedule or at start-up.
    System,
}

impl Actor {
    /// The kind of actor, for the kind column.
    pub fn kind(&self) -> ActorKind {
        match self {
            Self::User(_) => ActorKind::User,
            Self::Anonymous => ActorKind::Anonymous,
            Self::System => ActorKind::System,
        }
    }

    /// The user id, for the actor id column; `None` unless the actor is a user.
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Self::User(id) => Some(*id),
            Self::Anonymous | Self::System => None,
        }
    }

    /// Reads an actor back from its two stored columns.
    ///
    /// # Errors
    /// [`InvalidField::Actor`] when a user has no id, or an anonymous or system actor has one.
    pub fn from_parts(kind: ActorKind, user_id: Option<Uuid>) -> Result<Self, InvalidField> {
        match (kind, user_id) {
            (ActorKind::User, Some(id)) => Ok(Self::User(id)),
            (ActorKind::Anonymous, None) => Ok(Self::Anonymous),
            (ActorKind::System, None) => Ok(Self::System),
            _ => Err(InvalidField::Actor),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(id) => write!(f, "user {id}"),
            Self::Anonymous | Self::System => f.write_str(self.kind().code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_kind_codes_already_released_never_change() {
        let codes: Vec<&str> = ActorKind::ALL.iter().map(|kind| kind.code()).collect();
        assert_eq!(codes, ["user", "anonymous", "system"]);
    }

    #[test]
    fn an_actor_survives_a_round_trip_through_its_columns() {
        for actor in [Actor::User(Uuid::now_v7()), Actor::Anonymous, Actor::System] {
            assert_eq!(Actor::from_parts(actor.kind(), actor.user_id()), Ok(actor));
        }
    }

    #[test]
    fn a_user_without_an_id_or_a_system_with_one_is_refused() {
        assert_eq!(
            Actor::from_parts(ActorKind::User, None),
            Err(InvalidField::Actor)
        );
        assert_eq!(
            Actor::from_parts(ActorKind::System, Some(Uuid::nil())),
            Err(InvalidField::Actor)
        );
    }
}
