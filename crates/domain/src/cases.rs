//! Cases: the unit of care that links clients to their clinician.
//!
//! A couple case links two client records; it never merges them (security notes §5.1).
//! Each partner keeps their own record, portal and consents; the case holds what is
//! shared. How individual confidences are handled is the case's **secrets policy**,
//! chosen by the clinician at the start and agreed to by each partner (AAMFT 2.2).
//! The software never shares anything because of the policy: moving an item from one
//! partner to the case is always a deliberate act of the clinician.

use std::fmt;

use thiserror::Error;

/// Who the case is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseKind {
    /// One client.
    Individual,
    /// Two partners, each with their own record.
    Couple,
    /// Several clients seen together.
    Group,
}

impl CaseKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [CaseKind; 3] = [CaseKind::Individual, CaseKind::Couple, CaseKind::Group];

    /// The most clients a group case may hold; a larger group is better run as
    /// several cases.
    pub const MAX_GROUP: usize = 12;

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Individual => "individual",
            CaseKind::Couple => "couple",
            CaseKind::Group => "group",
        }
    }

    /// Reads a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// How the clinician's screens name it.
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Individual => "Individual",
            CaseKind::Couple => "Couple",
            CaseKind::Group => "Group",
        }
    }

    /// Checks how many clients a case of this kind holds.
    pub fn check_size(self, clients: usize) -> Result<(), CaseError> {
        let fits = match self {
            CaseKind::Individual => clients == 1,
            CaseKind::Couple => clients == 2,
            CaseKind::Group => (2..=Self::MAX_GROUP).contains(&clients),
        };
        if fits {
            Ok(())
        } else {
            Err(CaseError::WrongSize {
                kind: self,
                clients,
            })
        }
    }
}

/// How a couple case handles what one partner tells the clinician alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretsPolicy {
    /// The couple is the client: what one partner says alone may be brought into joint
    /// sessions at the clinician's judgement.
    NoSecrets,
    /// Individual confidences stay private unless the clinician judges one central to
    /// the couple's work; then the partner is helped to tell it themself.
    LimitedSecrets,
    /// The clinician keeps each partner's individual confidences.
    Accommodation,
}

impl SecretsPolicy {
    /// Every policy, in the order a form offers them.
    pub const ALL: [SecretsPolicy; 3] = [
        SecretsPolicy::NoSecrets,
        SecretsPolicy::LimitedSecrets,
        SecretsPolicy::Accommodation,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SecretsPolicy::NoSecrets => "no_secrets",
            SecretsPolicy::LimitedSecrets => "limited_secrets",
            SecretsPolicy::Accommodation => "accommodation",
        }
    }

    /// Reads a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|policy| policy.code() == code)
    }

    /// Its short name.
    pub fn label(self) -> &'static str {
        match self {
            SecretsPolicy::NoSecrets => "No secrets",
            SecretsPolicy::LimitedSecrets => "Limited secrets",
            SecretsPolicy::Accommodation => "Keeping confidences",
        }
    }

    /// What it means, in plain words for both partners.
    pub fn explanation(self) -> &'static str {
        match self {
            SecretsPolicy::NoSecrets => {
                "Your therapist works with you as a couple. Something one of you says \
                 to the therapist alone may be brought into your joint sessions when \
                 the therapist thinks it matters for your work together."
            }
            SecretsPolicy::LimitedSecrets => {
                "What you tell your therapist alone usually stays private. If it is \
                 central to your work as a couple, your therapist will help you find a \
                 way to tell your partner yourself, rather than telling them."
            }
            SecretsPolicy::Accommodation => {
                "What you tell your therapist alone stays between the two of you. Your \
                 therapist will not pass it on to your partner without your written \
                 permission."
            }
        }
    }
}

impl fmt::Display for SecretsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether a case is in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// Care is going on.
    Open,
    /// Care has ended; the record is kept and can be reopened.
    Closed,
}

impl CaseStatus {
    /// How the clinician's screens name it.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Open => "Open",
            CaseStatus::Closed => "Closed",
        }
    }
}

/// Why a case could not be opened as asked.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CaseError {
    /// The wrong number of clients for the kind of case.
    #[error("{}", wrong_size_message(*kind, *clients))]
    WrongSize {
        /// The kind asked for.
        kind: CaseKind,
        /// How many clients were given.
        clients: usize,
    },
    /// A couple case needs a secrets policy before it starts.
    #[error("choose how individual confidences will be handled before starting a couple case")]
    SecretsPolicyMissing,
    /// Only couple cases have a secrets policy.
    #[error("a secrets policy applies only to couple cases")]
    SecretsPolicyNotApplicable,
    /// The same client was named twice.
    #[error("the same client is named twice")]
    DuplicateClient,
}

fn wrong_size_message(kind: CaseKind, clients: usize) -> String {
    match kind {
        CaseKind::Individual => format!("an individual case has one client, not {clients}"),
        CaseKind::Couple => format!("a couple case has two clients, not {clients}"),
        CaseKind::Group => format!(
            "a group case has between 2 and {} clients, not {clients}",
            CaseKind::MAX_GROUP
        ),
    }
}

/// Checks the secrets policy against the kind of case: required for a couple,
/// meaningless for anything else.
pub fn check_secrets_policy(
    kind: CaseKind,
    policy: Option<SecretsPolicy>,
) -> Result<(), CaseError> {
    match (kind, policy) {
        (CaseKind::Couple, None) => Err(CaseError::SecretsPolicyMissing),
        (CaseKind::Couple, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(CaseError::SecretsPolicyNotApplicable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_couple_case_has_exactly_two_clients() {
        assert!(CaseKind::Couple.check_size(2).is_ok());
        for wrong in [0, 1, 3] {
            let err = CaseKind::Couple.check_size(wrong).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("a couple case has two clients, not {wrong}")
            );
        }
    }

    #[test]
    fn an_individual_case_has_one_client_and_a_group_two_to_twelve() {
        assert!(CaseKind::Individual.check_size(1).is_ok());
        assert!(CaseKind::Individual.check_size(2).is_err());
        assert!(CaseKind::Group.check_size(1).is_err());
        assert!(CaseKind::Group.check_size(2).is_ok());
        assert!(CaseKind::Group.check_size(12).is_ok());
        assert!(CaseKind::Group.check_size(13).is_err());
    }

    #[test]
    fn a_couple_case_cannot_start_without_a_secrets_policy() {
        assert_eq!(
            check_secrets_policy(CaseKind::Couple, None),
            Err(CaseError::SecretsPolicyMissing)
        );
        assert!(check_secrets_policy(CaseKind::Couple, Some(SecretsPolicy::NoSecrets)).is_ok());
        assert_eq!(
            check_secrets_policy(CaseKind::Individual, Some(SecretsPolicy::Accommodation)),
            Err(CaseError::SecretsPolicyNotApplicable)
        );
        assert!(check_secrets_policy(CaseKind::Group, None).is_ok());
    }

    #[test]
    fn codes_survive_a_round_trip() {
        for kind in CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.code()), Some(kind));
        }
        for policy in SecretsPolicy::ALL {
            assert_eq!(SecretsPolicy::parse(policy.code()), Some(policy));
        }
        assert_eq!(SecretsPolicy::parse("tell everyone"), None);
    }
}
