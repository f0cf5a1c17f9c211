//! Filling the directory in one go: for the demo seed and the directory benchmark,
//! never for a request.
//!
//! Each imported therapist is a real clinician account of a practice (so every rule
//! that reads accounts holds), sealed like any other, but with no password anyone
//! could type: nobody signs in as a generated therapist. The profile and its
//! credentials then go through the same code as a clinician's own save and a
//! verifier's decisions, so what the directory shows is exactly what the product would
//! have made of them.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_domain::PersonName;
use sensate_domain::accounts::{EmailAddress, Role};
use sensate_domain::{AccountId, PracticeId};
use sensate_store::CredentialRecord;
use time::Date;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::directory_profiles::{CredentialForm, DirectoryError, ProfileForm, ProfileSaved};
use crate::people::NewAccount;
use crate::{App, AppError};

/// No Argon2id hash has this shape, so no password ever matches it.
const NO_PASSWORD: &str = "!generated: no password signs in to this account";

/// A credential to import, with the verifier's finding.
#[derive(Clone, Debug)]
pub struct ImportedCredential {
    /// As the clinician would submit it.
    pub form: CredentialForm,
    /// Verified until this day, saying what was checked; `None` leaves it waiting.
    pub verified: Option<(Date, String)>,
}

/// One therapist to import.
#[derive(Clone, Debug)]
pub struct ImportedTherapist {
    /// Their name (also the account's).
    pub name: String,
    /// An address unique in the installation.
    pub email: String,
    /// The profile.
    pub profile: ProfileForm,
    /// Its credentials.
    pub credentials: Vec<ImportedCredential>,
}

impl App {
    /// Imports one therapist into `practice`; the profile's id and how its save went.
    pub async fn import_therapist(
        &self,
        practice: PracticeId,
        verifier: AccountId,
        therapist: &ImportedTherapist,
    ) -> Result<(Uuid, ProfileSaved), DirectoryError> {
        let invalid = |e: &dyn std::fmt::Display| {
            DirectoryError::Invalid(vec![("name".into(), e.to_string())])
        };
        let email = EmailAddress::parse(&therapist.email).map_err(|e| invalid(&e))?;
        let name = PersonName::parse(&therapist.name).map_err(|e| invalid(&e))?;
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        let account = self.seal_account(
            &key,
            NewAccount {
                id: AccountId::new(),
                practice: Some(practice),
                role: Role::Clinician,
                email: &email,
                name: &name,
                password_hash: NO_PASSWORD.into(),
            },
        )?;
        self.store.create_account(&account).await?;
        let Some(clinician) = self.acting_as(account.id).await? else {
            return Err(DirectoryError::NotAllowed);
        };
        let context = AuditContext::default();
        // Credentials first, so the profile's first save already lists it.
        let saved = self
            .save_my_profile(
                &clinician,
                &ProfileForm {
                    publish: false,
                    ..therapist.profile.clone()
                },
                &context,
            )
            .await?;
        debug_assert_eq!(saved, ProfileSaved::Draft);
        let profile = self
            .store
            .profile_of(account.id)
            .await?
            .ok_or(DirectoryError::NotAllowed)?;
        for credential in &therapist.credentials {
            let id = self
                .submit_credential(&clinician, &credential.form, &context)
                .await?;
            if let Some((until, checked)) = &credential.verified {
                let submitted: Option<CredentialRecord> = self.store.credential(id).await?;
                if let Some(record) = submitted {
                    let decided = CredentialRecord {
                        status: "verified".into(),
                        verified_by: Some(verifier),
                        decided_on: Some(self.clock.now().date()),
                        verified_until: Some(*until),
                        checked: checked.clone(),
                        ..record
                    };
                    let event = self.event_about(
                        Actor::User(verifier.as_uuid()),
                        practice,
                        Action::Update,
                        ObjectType::from_static("directory_credential"),
                        decided.id,
                        &context,
                    );
                    self.store
                        .save_credential(&decided, None, self.audited(vec![event]))
                        .await?;
                }
            }
        }
        let saved = self
            .save_my_profile(&clinician, &therapist.profile, &context)
            .await?;
        Ok((profile.id, saved))
    }
}
