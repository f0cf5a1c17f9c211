//! A credential as a therapist submits it, and where the verifier's check of it stands.
//!
//! The therapist's claim (licence number, jurisdiction, expiry) and the verifier's finding
//! are kept apart: the badge is built from the finding only, so a typo or an optimistic
//! expiry in the claim can never reach the public.

use serde::Serialize;
use time::Date;

/// A licence to practise psychotherapy, as the therapist states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Licence {
    /// A licence type id from the vocabulary, e.g. `lcsw`.
    pub licence_type: String,
    /// The number the board issued.
    pub number: String,
    /// The ISO 3166-2 code of the licensing jurisdiction, e.g. `US-IL`.
    pub jurisdiction: String,
    /// The expiry date the therapist gives; the verifier records the board's own date.
    pub expires: Date,
}

/// A certification, as the therapist states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Certification {
    /// A certification id from the vocabulary, e.g. `aasect_certified_sex_therapist`.
    pub certification: String,
}

/// What is claimed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CredentialKind {
    /// A licence to practise.
    Licence(Licence),
    /// A certification.
    Certification(Certification),
}

/// What the verifier found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Who checked it (the verifier's account).
    pub by: String,
    /// The day they checked it.
    pub on: Date,
    /// The last day the record is valid, as the issuer's record says.
    pub until: Date,
    /// What they checked it against, in words that complete "checked against ...", e.g.
    /// "the Illinois licensing board's records".
    pub checked: String,
}

/// Where the check stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CredentialStatus {
    /// Waiting for the verifier.
    Submitted,
    /// Checked and found good.
    Verified(Verification),
    /// Checked and refused.
    Rejected {
        /// Why, as the therapist is told.
        reason: String,
    },
}

/// A credential on a profile: the claim and its check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// What is claimed.
    pub kind: CredentialKind,
    /// Where the check stands.
    pub status: CredentialStatus,
}

impl Credential {
    /// The verifier's finding, if it was verified.
    pub fn verification(&self) -> Option<&Verification> {
        match &self.status {
            CredentialStatus::Verified(verification) => Some(verification),
            CredentialStatus::Submitted | CredentialStatus::Rejected { .. } => None,
        }
    }

    /// Verified, and `today` is no later than the last valid day.
    pub fn is_current_on(&self, today: Date) -> bool {
        self.verification().is_some_and(|v| today <= v.until)
    }

    /// The licence, if this is one.
    pub fn licence(&self) -> Option<&Licence> {
        match &self.kind {
            CredentialKind::Licence(licence) => Some(licence),
            CredentialKind::Certification(_) => None,
        }
    }
}
