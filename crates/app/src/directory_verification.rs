//! The verifier's work: credentials waiting to be checked, profiles held by
//! moderation, and suspending a profile at once when a concern calls for it.
//!
//! Verifiers are platform staff in no practice; they see profiles and credentials
//! (public by design, or submitted for checking) and reports, never a clinical record.

use sensate_audit::Actor;
use sensate_directory::moderation;
use sensate_domain::accounts::Role;
use sensate_store::{CredentialRecord, ProfileRecord, ProfileStatus};
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::directory_profiles::DirectoryError;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

/// A credential waiting for a verifier, with whose it is.
#[derive(Debug)]
pub struct QueuedCredential {
    /// The credential.
    pub credential: CredentialRecord,
    /// The therapist's name.
    pub therapist: String,
}

/// A profile held by moderation, with its text split for highlighting.
#[derive(Debug)]
pub struct HeldProfile {
    /// The profile.
    pub profile: ProfileRecord,
    /// Each screened field: (label, segments of (text, marked)).
    pub fields: Vec<(String, Vec<(String, bool)>)>,
    /// Each hit: "field: “phrase” — reason".
    pub reasons: Vec<String>,
}

/// What a verifier does to a profile's standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Hide it at once.
    Suspend,
    /// Show it again (from suspended or held).
    Reinstate,
}

impl App {
    /// Credentials waiting for a verifier, oldest first.
    pub async fn credential_queue(&self, by: &SignedIn) -> Result<Vec<QueuedCredential>, AppError> {
        if by.role != Role::Verifier {
            return Ok(Vec::new());
        }
        let mut queue = Vec::new();
        for credential in self.store.submitted_credentials().await? {
            let therapist = self
                .store
                .profile(credential.profile_id)
                .await?
                .map_or_else(String::new, |p| p.display_name);
            queue.push(QueuedCredential {
                credential,
                therapist,
            });
        }
        Ok(queue)
    }

    /// Profiles held by moderation, with the matching phrases marked.
    pub async fn held_profiles(&self, by: &SignedIn) -> Result<Vec<HeldProfile>, AppError> {
        if by.role != Role::Verifier {
            return Ok(Vec::new());
        }
        let mut held = Vec::new();
        for profile in self.store.profiles_with_status(ProfileStatus::Held).await? {
            let texts = [
                ("Name", profile.display_name.clone()),
                ("About me", profile.about.clone()),
                ("A first session with me", profile.first_session.clone()),
                ("Insurance", profile.insurance.join(", ")),
            ];
            let fields: Vec<(&str, &str)> = texts.iter().map(|(l, t)| (*l, t.as_str())).collect();
            let screening =
                moderation::screen(&fields).map_err(|e| AppError::Task(e.to_string()))?;
            let marked = texts
                .iter()
                .filter(|(label, _)| screening.hits_in(label).next().is_some())
                .map(|(label, text)| {
                    (
                        (*label).to_owned(),
                        screening
                            .highlighted(label, text)
                            .into_iter()
                            .map(|segment| (segment.text.to_owned(), segment.marked))
                            .collect(),
                    )
                })
                .collect();
            held.push(HeldProfile {
                reasons: profile.held_for.lines().map(str::to_owned).collect(),
                fields: marked,
                profile,
            });
        }
        Ok(held)
    }

    /// Suspends or reinstates a profile.
    pub async fn set_profile_standing(
        &self,
        by: &SignedIn,
        profile: Uuid,
        standing: Standing,
        context: &AuditContext,
    ) -> Result<(), DirectoryError> {
        if by.role != Role::Verifier {
            return Err(DirectoryError::NotAllowed);
        }
        let Some(mut record) = self.store.profile(profile).await? else {
            return Err(DirectoryError::NotAllowed);
        };
        record.status = match (standing, record.status) {
            (Standing::Suspend, _) => ProfileStatus::Suspended,
            (Standing::Reinstate, ProfileStatus::Suspended | ProfileStatus::Held) => {
                ProfileStatus::Published
            }
            (Standing::Reinstate, other) => other,
        };
        if standing == Standing::Reinstate {
            record.held_for.clear();
        }
        record.updated_at = self.clock.now();
        self.store_profile(record, Actor::User(by.account_id.as_uuid()), context)
            .await?;
        Ok(())
    }
}
