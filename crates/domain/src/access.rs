//! The access policy: the one place that decides whether a person may see or change
//! something, from who they are and how they relate to it.
//!
//! Every route asks [`decide`] before touching data, and the web layer answers a
//! refusal exactly as it answers a record that does not exist (same status, same body),
//! so a refusal never confirms that something exists. The authorisation matrix test
//! walks every route with every kind of actor against these rules.
//!
//! Relationships that matter (security notes §2, §5): own practice or another; the
//! clinician of a client or another clinician of the same practice; the client
//! themself; the other partner in a couple case; deactivated staff.

use crate::accounts::Role;
use crate::{AccountId, ClientId, PracticeId};

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Their account.
    pub account: AccountId,
    /// Their role.
    pub role: Role,
    /// Their practice (`None` for a directory verifier).
    pub practice: Option<PracticeId>,
    /// The client record a client's account belongs to (`None` for staff, and for a
    /// client account not yet linked to a record).
    pub client: Option<ClientId>,
    /// False once deactivated: a deactivated person may do nothing at all.
    pub active: bool,
}

/// Who may see a clinical item in a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Every client in the case and their clinicians (shared in joint sessions).
    Case,
    /// One client and their clinicians; never the other partner.
    Individual(ClientId),
    /// The clinicians only (process notes, safety concerns).
    CliniciansOnly,
}

/// What is being asked for.
#[derive(Clone, Copy, Debug)]
pub enum Resource<'a> {
    /// Running a practice: its people, invitations, outbox, audit trail.
    PracticeAdministration {
        /// Which practice.
        practice: PracticeId,
    },
    /// The clinician app of a practice (its caseload pages).
    ClinicianApp {
        /// Which practice.
        practice: PracticeId,
    },
    /// The client portal of one client.
    Portal {
        /// Whose portal.
        client: AccountId,
    },
    /// A client's record as a whole (their file, their details).
    ClientRecord {
        /// The client's practice.
        practice: PracticeId,
        /// The client.
        client: ClientId,
        /// The clinicians caring for the client.
        clinicians: &'a [AccountId],
    },
    /// One clinical item of a case: an intake answer, a note, a message, a result.
    ClinicalItem {
        /// The case's practice.
        practice: PracticeId,
        /// The clients in the case (one, or both partners of a couple).
        clients: &'a [ClientId],
        /// The case's clinicians.
        clinicians: &'a [AccountId],
        /// Who may see it.
        visibility: Visibility,
    },
    /// The directory's credential reviews.
    CredentialReview,
}

/// Reading, or changing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Seeing it.
    Read,
    /// Creating, changing or removing it.
    Write,
}

/// The policy's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Refuse, exactly as if the thing did not exist.
    Deny,
}

impl Decision {
    /// True for [`Decision::Allow`].
    pub fn allowed(self) -> bool {
        self == Decision::Allow
    }

    fn from_bool(allowed: bool) -> Self {
        if allowed {
            Decision::Allow
        } else {
            Decision::Deny
        }
    }
}

/// Decides one access.
pub fn decide(actor: &Actor, intent: Intent, resource: &Resource<'_>) -> Decision {
    if !actor.active {
        return Decision::Deny;
    }
    let own = |practice: &PracticeId| actor.practice.as_ref() == Some(practice);
    let staff = matches!(actor.role, Role::Owner | Role::Clinician);
    Decision::from_bool(match *resource {
        Resource::PracticeAdministration { practice } => {
            actor.role == Role::Owner && own(&practice)
        }
        Resource::ClinicianApp { practice } => staff && own(&practice),
        Resource::Portal { client } => actor.role == Role::Client && actor.account == client,
        Resource::ClientRecord {
            practice,
            client,
            clinicians,
        } => {
            own(&practice)
                && match actor.role {
                    // An owner is a clinician too, but sees clinical records only of the
                    // clients in their own care: running a practice is not a reason to read
                    // a colleague's notes.
                    Role::Owner | Role::Clinician => clinicians.contains(&actor.account),
                    // Clients see (not edit) their own record's details through the portal.
                    Role::Client => actor.client == Some(client) && intent == Intent::Read,
                    Role::Verifier => false,
                }
        }
        Resource::ClinicalItem {
            practice,
            clients,
            clinicians,
            visibility,
        } => {
            own(&practice)
                && match actor.role {
                    Role::Owner | Role::Clinician => clinicians.contains(&actor.account),
                    Role::Client => actor.client.is_some_and(|me| {
                        clients.contains(&me)
                            && match visibility {
                                Visibility::Case => true,
                                Visibility::Individual(client) => client == me,
                                Visibility::CliniciansOnly => false,
                            }
                    }),
                    Role::Verifier => false,
                }
        }
        Resource::CredentialReview => actor.role == Role::Verifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct World {
        practice: PracticeId,
        other_practice: PracticeId,
        owner: Actor,
        clinician: Actor,
        colleague: Actor,
        partner_a: Actor,
        partner_b: Actor,
        elsewhere: Actor,
        verifier: Actor,
    }

    fn actor(role: Role, practice: Option<PracticeId>) -> Actor {
        Actor {
            account: AccountId::new(),
            role,
            practice,
            client: (role == Role::Client).then(ClientId::new),
            active: true,
        }
    }

    fn client_of(actor: &Actor) -> ClientId {
        actor.client.expect("a client actor has a record")
    }

    fn world() -> World {
        let practice = PracticeId::new();
        let other_practice = PracticeId::new();
        World {
            practice,
            other_practice,
            owner: actor(Role::Owner, Some(practice)),
            clinician: actor(Role::Clinician, Some(practice)),
            colleague: actor(Role::Clinician, Some(practice)),
            partner_a: actor(Role::Client, Some(practice)),
            partner_b: actor(Role::Client, Some(practice)),
            elsewhere: actor(Role::Clinician, Some(other_practice)),
            verifier: actor(Role::Verifier, None),
        }
    }

    fn item<'a>(
        w: &World,
        clients: &'a [ClientId],
        clinicians: &'a [AccountId],
        visibility: Visibility,
    ) -> Resource<'a> {
        Resource::ClinicalItem {
            practice: w.practice,
            clients,
            clinicians,
            visibility,
        }
    }

    #[test]
    fn a_partner_never_sees_the_other_partners_individual_items() {
        let w = world();
        let clients = [client_of(&w.partner_a), client_of(&w.partner_b)];
        let clinicians = [w.clinician.account];
        let a_only = item(
            &w,
            &clients,
            &clinicians,
            Visibility::Individual(client_of(&w.partner_a)),
        );
        assert!(decide(&w.partner_a, Intent::Read, &a_only).allowed());
        assert!(!decide(&w.partner_b, Intent::Read, &a_only).allowed());
        assert!(decide(&w.clinician, Intent::Read, &a_only).allowed());
        let shared = item(&w, &clients, &clinicians, Visibility::Case);
        assert!(decide(&w.partner_b, Intent::Read, &shared).allowed());
        let private = item(&w, &clients, &clinicians, Visibility::CliniciansOnly);
        assert!(!decide(&w.partner_a, Intent::Read, &private).allowed());
        assert!(!decide(&w.partner_b, Intent::Read, &private).allowed());
        assert!(decide(&w.clinician, Intent::Write, &private).allowed());
    }

    #[test]
    fn a_client_account_not_linked_to_a_record_sees_no_clinical_item() {
        let w = world();
        let clients = [client_of(&w.partner_a)];
        let clinicians = [w.clinician.account];
        let mut unlinked = w.partner_a;
        unlinked.client = None;
        for visibility in [Visibility::Case, Visibility::Individual(clients[0])] {
            let shared = item(&w, &clients, &clinicians, visibility);
            assert!(!decide(&unlinked, Intent::Read, &shared).allowed());
        }
    }

    #[test]
    fn only_the_clients_own_clinicians_see_their_record() {
        let w = world();
        let clinicians = [w.clinician.account];
        let record = Resource::ClientRecord {
            practice: w.practice,
            client: client_of(&w.partner_a),
            clinicians: &clinicians,
        };
        assert!(decide(&w.clinician, Intent::Write, &record).allowed());
        assert!(
            !decide(&w.colleague, Intent::Read, &record).allowed(),
            "other clinician"
        );
        assert!(
            !decide(&w.owner, Intent::Read, &record).allowed(),
            "the owner is not their clinician"
        );
        assert!(
            !decide(&w.elsewhere, Intent::Read, &record).allowed(),
            "other practice"
        );
        assert!(!decide(&w.verifier, Intent::Read, &record).allowed());
        assert!(
            decide(&w.partner_a, Intent::Read, &record).allowed(),
            "the client themself"
        );
        assert!(!decide(&w.partner_a, Intent::Write, &record).allowed());
        assert!(
            !decide(&w.partner_b, Intent::Read, &record).allowed(),
            "the other partner"
        );
    }

    #[test]
    fn a_clinician_of_another_practice_is_refused_even_if_listed() {
        let w = world();
        let clinicians = [w.elsewhere.account];
        let record = Resource::ClientRecord {
            practice: w.practice,
            client: client_of(&w.partner_a),
            clinicians: &clinicians,
        };
        assert!(!decide(&w.elsewhere, Intent::Read, &record).allowed());
    }

    #[test]
    fn deactivated_staff_may_do_nothing() {
        let w = world();
        let mut former = w.clinician;
        former.active = false;
        let clinicians = [former.account];
        let record = Resource::ClientRecord {
            practice: w.practice,
            client: client_of(&w.partner_a),
            clinicians: &clinicians,
        };
        assert!(!decide(&former, Intent::Read, &record).allowed());
        assert!(
            !decide(
                &former,
                Intent::Read,
                &Resource::ClinicianApp {
                    practice: w.practice
                }
            )
            .allowed()
        );
    }

    #[test]
    fn administration_is_for_the_owner_of_that_practice_only() {
        let w = world();
        let own = Resource::PracticeAdministration {
            practice: w.practice,
        };
        let other = Resource::PracticeAdministration {
            practice: w.other_practice,
        };
        assert!(decide(&w.owner, Intent::Write, &own).allowed());
        assert!(!decide(&w.owner, Intent::Read, &other).allowed());
        for someone in [w.clinician, w.partner_a, w.verifier, w.elsewhere] {
            assert!(
                !decide(&someone, Intent::Read, &own).allowed(),
                "{someone:?}"
            );
        }
    }

    #[test]
    fn the_portal_is_the_clients_own() {
        let w = world();
        let portal = Resource::Portal {
            client: w.partner_a.account,
        };
        assert!(decide(&w.partner_a, Intent::Read, &portal).allowed());
        assert!(!decide(&w.partner_b, Intent::Read, &portal).allowed());
        assert!(!decide(&w.clinician, Intent::Read, &portal).allowed());
    }

    #[test]
    fn verifiers_review_credentials_and_nothing_clinical() {
        let w = world();
        assert!(decide(&w.verifier, Intent::Write, &Resource::CredentialReview).allowed());
        assert!(!decide(&w.owner, Intent::Read, &Resource::CredentialReview).allowed());
        assert!(
            !decide(
                &w.verifier,
                Intent::Read,
                &Resource::ClinicianApp {
                    practice: w.practice
                }
            )
            .allowed()
        );
    }
}
