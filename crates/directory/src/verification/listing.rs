//! Whether a profile can be found in search, and whether a therapist can see a client by
//! video in a given place.
//!
//! Search needs at least one verified licence that is current today, a profile that is not
//! suspended, and no moderation hold. The reasons a profile is hidden are returned, not
//! just a yes/no, so the therapist's own page can say what to do next.

use serde::Serialize;
use time::Date;

use super::credential::Credential;

/// The profile's standing apart from its credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProfileStanding {
    /// Suspended by the verifier (for instance while a reported concern is looked into).
    pub suspended: bool,
    /// Held because red-flag screening matched and the verifier has not yet cleared it.
    pub held_by_moderation: bool,
}

/// Why a profile is not in search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum HiddenBecause {
    /// No licence has been verified yet (certifications alone do not count).
    NoVerifiedLicence,
    /// Every verified licence is past its valid-until date.
    LicenceExpired,
    /// The profile is suspended.
    Suspended,
    /// The profile is held for the verifier by red-flag screening.
    HeldByModeration,
}

/// Whether a profile appears in search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Searchability {
    /// It appears.
    Listed,
    /// It does not, for these reasons (at least one), in a fixed order.
    Hidden(Vec<HiddenBecause>),
}

impl Searchability {
    /// Whether it appears.
    pub fn is_listed(&self) -> bool {
        matches!(self, Self::Listed)
    }
}

/// Whether a profile with these credentials and this standing appears in search on `today`.
pub fn searchability(
    standing: ProfileStanding,
    credentials: &[Credential],
    today: Date,
) -> Searchability {
    let mut reasons = Vec::new();
    let mut verified_licences = credentials
        .iter()
        .filter(|c| c.licence().is_some() && c.verification().is_some());
    if !verified_licences
        .clone()
        .any(|licence| licence.is_current_on(today))
    {
        reasons.push(if verified_licences.next().is_some() {
            HiddenBecause::LicenceExpired
        } else {
            HiddenBecause::NoVerifiedLicence
        });
    }
    if standing.suspended {
        reasons.push(HiddenBecause::Suspended);
    }
    if standing.held_by_moderation {
        reasons.push(HiddenBecause::HeldByModeration);
    }
    if reasons.is_empty() {
        Searchability::Listed
    } else {
        Searchability::Hidden(reasons)
    }
}

/// Whether the therapist holds a verified licence, current on `today`, in `jurisdiction`
/// (ISO 3166-2 code), the place the client is in during the session.
///
/// This is the plain rule: a therapist sees a client where the therapist is licensed.
/// Interstate compacts (PSYPACT for psychologists, the Counseling Compact) and temporary
/// practice allowances widen it; they are not modelled here, so this errs towards fewer
/// matches, never towards unlicensed practice.
pub fn licensed_for_video_in(credentials: &[Credential], jurisdiction: &str, today: Date) -> bool {
    credentials.iter().any(|c| {
        c.licence().is_some_and(|l| l.jurisdiction == jurisdiction) && c.is_current_on(today)
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::verification::{
        Certification, CredentialKind, CredentialStatus, Licence, Verification,
    };

    const UNTIL: Date = date!(2027 - 12 - 31);

    fn licence_in(jurisdiction: &str, status: CredentialStatus) -> Credential {
        Credential {
            kind: CredentialKind::Licence(Licence {
                licence_type: "lmft".into(),
                number: "LMF 12345".into(),
                jurisdiction: jurisdiction.into(),
                expires: UNTIL,
            }),
            status,
        }
    }

    fn verified() -> CredentialStatus {
        CredentialStatus::Verified(Verification {
            by: "verifier-2".into(),
            on: date!(2026 - 02 - 10),
            until: UNTIL,
            checked: "the California Board of Behavioral Sciences' licence lookup".into(),
        })
    }

    fn good_standing() -> ProfileStanding {
        ProfileStanding::default()
    }

    #[test]
    fn a_current_verified_licence_lists_a_profile_in_good_standing() {
        let credentials = [licence_in("US-CA", verified())];
        assert!(searchability(good_standing(), &credentials, date!(2026 - 06 - 01)).is_listed());
    }

    #[test]
    fn listing_ends_the_day_after_the_licence_is_valid_until() {
        let credentials = [licence_in("US-CA", verified())];
        assert!(searchability(good_standing(), &credentials, date!(2027 - 12 - 30)).is_listed());
        assert!(searchability(good_standing(), &credentials, date!(2027 - 12 - 31)).is_listed());
        assert_eq!(
            searchability(good_standing(), &credentials, date!(2028 - 01 - 01)),
            Searchability::Hidden(vec![HiddenBecause::LicenceExpired])
        );
    }

    #[test]
    fn one_current_licence_is_enough_when_another_has_expired() {
        let expired = CredentialStatus::Verified(Verification {
            by: "verifier-2".into(),
            on: date!(2024 - 01 - 01),
            until: date!(2025 - 01 - 01),
            checked: "the Oregon board's records".into(),
        });
        let credentials = [
            licence_in("US-OR", expired),
            licence_in("US-CA", verified()),
        ];
        assert!(searchability(good_standing(), &credentials, date!(2026 - 06 - 01)).is_listed());
    }

    #[test]
    fn submitted_or_rejected_licences_do_not_list_a_profile() {
        let credentials = [
            licence_in("US-CA", CredentialStatus::Submitted),
            licence_in(
                "US-NV",
                CredentialStatus::Rejected {
                    reason: "Lapsed".into(),
                },
            ),
        ];
        assert_eq!(
            searchability(good_standing(), &credentials, date!(2026 - 06 - 01)),
            Searchability::Hidden(vec![HiddenBecause::NoVerifiedLicence])
        );
    }

    #[test]
    fn a_verified_certification_alone_does_not_list_a_profile() {
        let certified = Credential {
            kind: CredentialKind::Certification(Certification {
                certification: "aasect_certified_sex_therapist".into(),
            }),
            status: verified(),
        };
        assert_eq!(
            searchability(good_standing(), &[certified], date!(2026 - 06 - 01)),
            Searchability::Hidden(vec![HiddenBecause::NoVerifiedLicence])
        );
    }

    #[test]
    fn suspension_and_a_moderation_hold_each_hide_a_profile_and_every_reason_is_given() {
        let credentials = [licence_in("US-CA", verified())];
        let standing = ProfileStanding {
            suspended: true,
            held_by_moderation: true,
        };
        assert_eq!(
            searchability(standing, &credentials, date!(2026 - 06 - 01)),
            Searchability::Hidden(vec![
                HiddenBecause::Suspended,
                HiddenBecause::HeldByModeration
            ])
        );
        let held = ProfileStanding {
            held_by_moderation: true,
            ..good_standing()
        };
        assert!(!searchability(held, &credentials, date!(2026 - 06 - 01)).is_listed());
        assert_eq!(
            searchability(held, &[], date!(2026 - 06 - 01)),
            Searchability::Hidden(vec![
                HiddenBecause::NoVerifiedLicence,
                HiddenBecause::HeldByModeration
            ])
        );
    }

    #[test]
    fn video_sessions_follow_a_current_verified_licence_in_the_clients_jurisdiction() {
        let credentials = [
            licence_in("US-CA", verified()),
            licence_in("US-NV", CredentialStatus::Submitted),
        ];
        assert!(licensed_for_video_in(
            &credentials,
            "US-CA",
            date!(2027 - 12 - 31)
        ));
        assert!(!licensed_for_video_in(
            &credentials,
            "US-CA",
            date!(2028 - 01 - 01)
        ));
        assert!(!licensed_for_video_in(
            &credentials,
            "US-NV",
            date!(2026 - 06 - 01)
        ));
        assert!(!licensed_for_video_in(
            &credentials,
            "US-OR",
            date!(2026 - 06 - 01)
        ));
    }
}
