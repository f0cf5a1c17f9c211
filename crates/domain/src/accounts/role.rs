//! What a person may do is decided by their role and their relationship to the thing
//! they ask for (the access policy); this is the role half.

use std::fmt;
use std::str::FromStr;

/// A person's role in an installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Runs a practice: its people, keys, backups and audit trail. Also a clinician.
    Owner,
    /// A therapist in a practice, with a caseload.
    Clinician,
    /// A client (or one partner of a couple), using the portal.
    Client,
    /// Platform staff who check therapists' credentials for the directory and handle
    /// reported concerns. Belongs to no practice and sees no clinical record.
    Verifier,
}

impl Role {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Clinician => "clinician",
            Role::Client => "client",
            Role::Verifier => "verifier",
        }
    }

    /// Staff must use a second factor; clients may choose to.
    pub fn requires_two_factor(self) -> bool {
        !matches!(self, Role::Client)
    }

    /// How long a session may sit unused: 15 minutes for staff, 30 for clients
    /// (OWASP ASVS 3.3.2 allows 30 at most).
    pub fn idle_timeout_minutes(self) -> i64 {
        match self {
            Role::Client => 30,
            Role::Owner | Role::Clinician | Role::Verifier => 15,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A stored role code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Ok(match code {
            "owner" => Role::Owner,
            "clinician" => Role::Clinician,
            "client" => Role::Client,
            "verifier" => Role::Verifier,
            other => return Err(UnknownRole(other.to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_survives_its_stored_code() {
        for role in [Role::Owner, Role::Clinician, Role::Client, Role::Verifier] {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn staff_need_a_second_factor_and_clients_may_choose() {
        assert!(Role::Owner.requires_two_factor());
        assert!(Role::Clinician.requires_two_factor());
        assert!(Role::Verifier.requires_two_factor());
        assert!(!Role::Client.requires_two_factor());
    }

    #[test]
    fn staff_sessions_idle_out_sooner_than_clients() {
        assert_eq!(Role::Clinician.idle_timeout_minutes(), 15);
        assert_eq!(Role::Client.idle_timeout_minutes(), 30);
    }
}
