//! Typed identifiers.
//!
//! Every id is a UUIDv7 made in Rust (not by the database), so both storage backends
//! behave alike and ids sort by creation time. A distinct type per kind of object means
//! a client id can never be passed where a practice id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id, unique and ordered by creation time.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an id read back from storage.
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID, for storage.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// Identifies a practice: the tenant that owns its clinicians, clients and records.
    PracticeId
);

typed_id!(
    /// Identifies an account: one person who signs in (owner, clinician, client or
    /// directory verifier).
    AccountId
);

typed_id!(
    /// Identifies a client's record: the person in care, whether or not they have a
    /// portal account (many clients never sign in).
    ClientId
);

typed_id!(
    /// Identifies a case: the unit of care that links one client (individual), two
    /// (couple) or several (group) to their clinician.
    CaseId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_survives_a_round_trip_through_its_text_form() {
        let id = PracticeId::new();
        let parsed: PracticeId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
    }

    #[test]
    fn ids_made_later_sort_later() {
        let first = PracticeId::new();
        let second = PracticeId::new();
        assert!(first < second);
    }
}
