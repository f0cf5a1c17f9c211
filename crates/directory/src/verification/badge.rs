//! The badge a credential shows on a public profile, with a statement of exactly what was
//! checked and when.
//!
//! Dates are written out in full ("3 March 2026") because a public page read in several
//! countries must not leave "03/04/2026" to be guessed at.

use time::Date;

use super::credential::{Credential, CredentialKind, Verification};

/// What a credential shows on the public profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Badge {
    /// Verified and valid today.
    Current {
        /// E.g. "Licence checked against the Illinois licensing board's records on
        /// 3 March 2026; valid until 31 December 2027."
        statement: String,
    },
    /// Verified, but the valid-until date has passed.
    Expired {
        /// E.g. "Licence checked against ... on 3 March 2026; it was valid until
        /// 31 December 2027 and has expired."
        statement: String,
    },
    /// Submitted or rejected: nothing is shown, not even the claim.
    NotShown,
}

impl Credential {
    /// The badge on `today`.
    pub fn badge_on(&self, today: Date) -> Badge {
        let Some(verification) = self.verification() else {
            return Badge::NotShown;
        };
        let checked = checked_statement(&self.kind, verification);
        if self.is_current_on(today) {
            Badge::Current {
                statement: format!("{checked}; valid until {}.", long_date(verification.until)),
            }
        } else {
            Badge::Expired {
                statement: format!(
                    "{checked}; it was valid until {} and has expired.",
                    long_date(verification.until)
                ),
            }
        }
    }
}

fn checked_statement(kind: &CredentialKind, verification: &Verification) -> String {
    let what = match kind {
        CredentialKind::Licence(_) => "Licence",
        CredentialKind::Certification(_) => "Certification",
    };
    format!(
        "{what} checked against {} on {}",
        verification.checked.trim(),
        long_date(verification.on)
    )
}

/// "3 March 2026".
fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::verification::{Certification, CredentialStatus, Licence};

    fn illinois_licence(status: CredentialStatus) -> Credential {
        Credential {
            kind: CredentialKind::Licence(Licence {
                licence_type: "lcsw".into(),
                number: "149.012345".into(),
                jurisdiction: "US-IL".into(),
                expires: date!(2027 - 12 - 31),
            }),
            status,
        }
    }

    fn verified_until(until: Date) -> CredentialStatus {
        CredentialStatus::Verified(Verification {
            by: "verifier-7".into(),
            on: date!(2026 - 03 - 03),
            until,
            checked: "the Illinois licensing board's records".into(),
        })
    }

    #[test]
    fn a_verified_licence_says_what_was_checked_and_when() {
        let licence = illinois_licence(verified_until(date!(2027 - 12 - 31)));
        assert_eq!(
            licence.badge_on(date!(2026 - 06 - 01)),
            Badge::Current {
                statement: "Licence checked against the Illinois licensing board's records on 3 March 2026; \
                            valid until 31 December 2027."
                    .into()
            }
        );
    }

    #[test]
    fn the_badge_shows_on_the_day_before_and_the_day_of_expiry_and_not_the_day_after() {
        let licence = illinois_licence(verified_until(date!(2027 - 12 - 31)));
        assert!(matches!(
            licence.badge_on(date!(2027 - 12 - 30)),
            Badge::Current { .. }
        ));
        assert!(matches!(
            licence.badge_on(date!(2027 - 12 - 31)),
            Badge::Current { .. }
        ));
        assert_eq!(
            licence.badge_on(date!(2028 - 01 - 01)),
            Badge::Expired {
                statement: "Licence checked against the Illinois licensing board's records on 3 March 2026; \
                            it was valid until 31 December 2027 and has expired."
                    .into()
            }
        );
    }

    #[test]
    fn a_submitted_or_rejected_licence_shows_nothing() {
        assert_eq!(
            illinois_licence(CredentialStatus::Submitted).badge_on(date!(2026 - 06 - 01)),
            Badge::NotShown
        );
        let rejected = CredentialStatus::Rejected {
            reason: "No such licence number".into(),
        };
        assert_eq!(
            illinois_licence(rejected).badge_on(date!(2026 - 06 - 01)),
            Badge::NotShown
        );
    }

    #[test]
    fn a_certification_is_never_shown_unless_verified() {
        let claimed = Credential {
            kind: CredentialKind::Certification(Certification {
                certification: "aasect_certified_sex_therapist".into(),
            }),
            status: CredentialStatus::Submitted,
        };
        assert_eq!(claimed.badge_on(date!(2026 - 06 - 01)), Badge::NotShown);

        let verified = Credential {
            status: CredentialStatus::Verified(Verification {
                by: "verifier-7".into(),
                on: date!(2026 - 01 - 09),
                until: date!(2028 - 09 - 30),
                checked: "AASECT's register of certified members".into(),
            }),
            ..claimed
        };
        assert_eq!(
            verified.badge_on(date!(2026 - 06 - 01)),
            Badge::Current {
                statement: "Certification checked against AASECT's register of certified members on 9 January 2026; \
                            valid until 30 September 2028."
                    .into()
            }
        );
    }
}
