//! People: setting up a practice with its owner, and reading a person's details.
//!
//! Names and addresses are sealed under the practice's data key (a verifier's under the
//! installation's), bound to the `account` row and column, before they are stored.

use std::sync::Arc;

use sensate_audit::{Action, Actor, Outcome};
use sensate_auth::password;
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::accounts::{EmailAddress, EmailError, NewPassword, PasswordError, Role};
use sensate_domain::text::TextError;
use sensate_domain::{AccountId, ClientId, PersonName, Practice, PracticeId, PracticeName};
use sensate_store::{AccountRecord, StoreError};

use crate::audit_log::{ACCOUNT, AuditContext, Event, PRACTICE};
use crate::sign_in::{NewSession, SessionStage, SignedIn};
use crate::{App, AppError};

pub(crate) const ACCOUNT_TABLE: &str = "account";
const EMAIL_COLUMN: &str = "email_sealed";
const NAME_COLUMN: &str = "name_sealed";

/// What the first-run setup page asks for.
#[derive(Clone, Debug)]
pub struct SetUpPractice {
    /// The practice's name as its clients will see it.
    pub practice_name: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's email address.
    pub email: String,
    /// The owner's new password.
    pub password: SecretString,
}

/// Why setup refused the form: each field's problem, or setup already done.
#[derive(Debug, thiserror::Error)]
pub enum SetUpError {
    /// One or more fields are not acceptable; nothing was stored.
    #[error("some fields need attention")]
    Invalid {
        /// The practice name's problem.
        practice_name: Option<TextError>,
        /// The owner's name's problem.
        owner_name: Option<TextError>,
        /// The address's problem.
        email: Option<EmailError>,
        /// The password's problem.
        password: Option<PasswordError>,
    },
    /// The installation already has accounts; setup runs only once.
    #[error("this Sensate is already set up")]
    AlreadySetUp,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// A person, with their details opened.
#[derive(Debug)]
pub struct Person {
    /// Their account id.
    pub id: AccountId,
    /// Their practice (`None` for a directory verifier).
    pub practice_id: Option<PracticeId>,
    /// Their role.
    pub role: Role,
    /// Their name.
    pub name: SecretString,
    /// Their email address.
    pub email: SecretString,
    /// False once deactivated.
    pub active: bool,
    /// True once a second factor is enrolled.
    pub has_second_factor: bool,
}

/// The sealed parts of a new account.
pub(crate) struct NewAccount<'a> {
    pub(crate) id: AccountId,
    pub(crate) practice: Option<PracticeId>,
    pub(crate) role: Role,
    pub(crate) email: &'a EmailAddress,
    pub(crate) name: &'a PersonName,
    pub(crate) password_hash: String,
}

impl App {
    /// True until the first practice and its owner exist (the setup page shows then).
    pub async fn needs_setup(&self) -> Result<bool, AppError> {
        Ok(self.store.count_accounts().await? == 0)
    }

    /// First-run setup: creates the practice, its data key and its owner, and signs the
    /// owner in (a second factor is due before anything else).
    pub async fn set_up(
        &self,
        form: SetUpPractice,
        context: &AuditContext,
    ) -> Result<NewSession, SetUpError> {
        let practice_name = PracticeName::parse(&form.practice_name);
        let owner_name = PersonName::parse(&form.owner_name);
        let email = EmailAddress::parse(&form.email);
        let password = match &email {
            Ok(email) => NewPassword::parse(form.password.expose_secret(), Some(email)),
            Err(_) => NewPassword::parse(form.password.expose_secret(), None),
        };
        let (Ok(practice_name), Ok(owner_name), Ok(email), Ok(password)) =
            (&practice_name, &owner_name, &email, &password)
        else {
            return Err(SetUpError::Invalid {
                practice_name: practice_name.err(),
                owner_name: owner_name.err(),
                email: email.err(),
                password: password.err(),
            });
        };
        if !self.needs_setup().await? {
            return Err(SetUpError::AlreadySetUp);
        }
        let practice = Practice::new(practice_name.clone(), false);
        let (key, wrapped) = self
            .vault
            .new_practice_key(practice.id)
            .map_err(AppError::from)?;
        let hash = self.hash_password(password.expose()).await?;
        let owner = self.seal_account(
            &key,
            NewAccount {
                id: AccountId::new(),
                practice: Some(practice.id),
                role: Role::Owner,
                email,
                name: owner_name,
                password_hash: hash,
            },
        )?;
        match self
            .store
            .set_up_practice(&practice, wrapped.as_bytes(), &owner)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => return Err(SetUpError::AlreadySetUp),
            Err(error) => return Err(AppError::from(error).into()),
        }
        self.vault.remember_practice_key(practice.id, key);
        let actor = Actor::User(owner.id.as_uuid());
        for (object_type, object_id) in [
            (PRACTICE, practice.id.as_uuid()),
            (ACCOUNT, owner.id.as_uuid()),
        ] {
            self.audit(
                context,
                Event {
                    actor,
                    practice: Some(practice.id.as_uuid()),
                    action: Action::Create,
                    object_type,
                    object_id: Some(object_id),
                    outcome: Outcome::Allowed,
                },
            )
            .await?;
        }
        Ok(self
            .begin_session(&owner, SessionStage::EnrolmentDue, context)
            .await?)
    }

    /// Seals a new account's details under `key`.
    pub(crate) fn seal_account(
        &self,
        key: &DataKey,
        account: NewAccount<'_>,
    ) -> Result<AccountRecord, AppError> {
        let row = account.id.as_uuid();
        Ok(AccountRecord {
            id: account.id,
            practice_id: account.practice,
            role: account.role,
            email_lookup: self.vault.email_lookup(account.email.as_str()),
            email_sealed: key
                .seal_str(
                    account.email.as_str(),
                    &Binding::new(ACCOUNT_TABLE, EMAIL_COLUMN, row),
                )?
                .into_bytes(),
            name_sealed: key
                .seal_str(
                    account.name.as_str(),
                    &Binding::new(ACCOUNT_TABLE, NAME_COLUMN, row),
                )?
                .into_bytes(),
            password_hash: account.password_hash,
            totp_sealed: None,
            totp_last_step: None,
            deactivated_at: None,
            created_at: self.clock.now(),
            client_id: None,
        })
    }

    /// The key an account's details are sealed under.
    pub(crate) async fn account_key(
        &self,
        account: &AccountRecord,
    ) -> Result<Arc<DataKey>, AppError> {
        match account.practice_id {
            Some(practice) => Ok(self.vault.practice_key(self.store(), practice).await?),
            None => Ok(self.vault.installation_arc()),
        }
    }

    /// A person's details, opened.
    pub async fn person(&self, id: AccountId) -> Result<Option<Person>, AppError> {
        let Some(account) = self.store.account(id).await? else {
            return Ok(None);
        };
        self.open_person(&account).await.map(Some)
    }

    pub(crate) async fn open_person(&self, account: &AccountRecord) -> Result<Person, AppError> {
        let key = self.account_key(account).await?;
        let row = account.id.as_uuid();
        let open = |bytes: &[u8], column: &'static str| -> Result<SecretString, AppError> {
            Ok(key.open_str(
                &Sealed::from_bytes(bytes.to_vec())?,
                &Binding::new(ACCOUNT_TABLE, column, row),
            )?)
        };
        Ok(Person {
            id: account.id,
            practice_id: account.practice_id,
            role: account.role,
            name: open(&account.name_sealed, NAME_COLUMN)?,
            email: open(&account.email_sealed, EMAIL_COLUMN)?,
            active: account.is_active(),
            has_second_factor: account.totp_sealed.is_some(),
        })
    }

    /// Hashes a password off the async threads (Argon2id takes tens of milliseconds).
    pub(crate) async fn hash_password(&self, password: &str) -> Result<String, AppError> {
        let password = SecretString::from(password);
        tokio::task::spawn_blocking(move || password::hash_password(password.expose_secret()))
            .await
            .map_err(|error| AppError::Task(error.to_string()))?
            .map(|hash| hash.as_str().to_owned())
            .map_err(|error| AppError::Task(error.to_string()))
    }
}

/// A person to add directly (the demo seed and tests; invitations will use it too).
#[derive(Debug)]
pub struct NewPerson<'a> {
    /// A fixed id, or `None` for a new one.
    pub id: Option<AccountId>,
    /// Their practice; `None` only for a directory verifier.
    pub practice: Option<PracticeId>,
    /// Their role.
    pub role: Role,
    /// Their name.
    pub name: &'a str,
    /// Their email address.
    pub email: &'a str,
    /// Their password (checked like any new password).
    pub password: &'a str,
    /// A second factor already enrolled: the TOTP secret's bytes and recovery codes.
    pub second_factor: Option<(&'a [u8], &'a [&'a str])>,
    /// For a client, the client record this account belongs to.
    pub client: Option<ClientId>,
}

/// Why a person could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddPersonError {
    /// A field is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The address is already in use.
    #[error("that email address already has an account")]
    EmailInUse,
    /// Something else failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// Creates a practice with its own data key.
    pub async fn create_practice(&self, practice: &Practice) -> Result<(), AppError> {
        let (key, wrapped) = self.vault.new_practice_key(practice.id)?;
        self.store
            .create_practice(practice, wrapped.as_bytes())
            .await?;
        self.vault.remember_practice_key(practice.id, key);
        Ok(())
    }

    /// Adds a person to a practice, sealed like any other.
    pub async fn add_person(&self, person: NewPerson<'_>) -> Result<AccountId, AddPersonError> {
        let invalid = |e: &dyn std::fmt::Display| AddPersonError::Invalid(e.to_string());
        let email = EmailAddress::parse(person.email).map_err(|e| invalid(&e))?;
        let name = PersonName::parse(person.name).map_err(|e| invalid(&e))?;
        let password =
            NewPassword::parse(person.password, Some(&email)).map_err(|e| invalid(&e))?;
        if person.practice.is_none() != (person.role == Role::Verifier) {
            return Err(AddPersonError::Invalid(
                "a directory verifier belongs to no practice, and everyone else to one".into(),
            ));
        }
        let key = match person.practice {
            Some(practice) => self
                .vault
                .practice_key(self.store(), practice)
                .await
                .map_err(AppError::from)?,
            None => self.vault.installation_arc(),
        };
        let hash = self.hash_password(password.expose()).await?;
        let mut record = self.seal_account(
            &key,
            NewAccount {
                id: person.id.unwrap_or_default(),
                practice: person.practice,
                role: person.role,
                email: &email,
                name: &name,
                password_hash: hash,
            },
        )?;
        if person.client.is_some() && person.role != Role::Client {
            return Err(AddPersonError::Invalid(
                "only a client's account belongs to a client record".into(),
            ));
        }
        record.client_id = person.client;
        let recovery = match person.second_factor {
            Some((secret, codes)) => {
                record.totp_sealed = Some(
                    key.seal(
                        secret,
                        &Binding::new(
                            ACCOUNT_TABLE,
                            crate::sign_in::TOTP_COLUMN,
                            record.id.as_uuid(),
                        ),
                    )
                    .map_err(AppError::from)?
                    .into_bytes(),
                );
                Some(
                    codes
                        .iter()
                        .map(|code| {
                            sensate_auth::recovery::recovery_digest(code).ok_or_else(|| {
                                AddPersonError::Invalid("a recovery code is malformed".into())
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
            None => None,
        };
        match self.store.create_account(&record).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => return Err(AddPersonError::EmailInUse),
            Err(error) => return Err(AppError::from(error).into()),
        }
        if let (Some(digests), Some(sealed)) = (recovery, record.totp_sealed.clone()) {
            self.store
                .enrol_totp(
                    record.id,
                    &sensate_store::TotpEnrolment {
                        totp_sealed: sealed,
                        confirmed_step: 0,
                        recovery_digests: digests,
                    },
                    None,
                )
                .await
                .map_err(AppError::from)?;
        }
        Ok(record.id)
    }
}

impl App {
    /// Everyone in the owner's practice, opened, oldest first.
    pub async fn practice_people(&self, owner: &SignedIn) -> Result<Vec<Person>, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Ok(Vec::new());
        };
        let mut people = Vec::new();
        for account in self.store.practice_accounts(practice).await? {
            people.push(self.open_person(&account).await?);
        }
        Ok(people)
    }

    /// Deactivates a clinician of the owner's practice: every session of theirs ends
    /// at once and they cannot sign in again. False when there is no such clinician
    /// (another practice's, an owner, a client, or already deactivated).
    pub async fn deactivate_clinician(
        &self,
        owner: &SignedIn,
        clinician: AccountId,
        context: &AuditContext,
    ) -> Result<bool, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Ok(false);
        };
        let Some(account) = self.store.account(clinician).await? else {
            return Ok(false);
        };
        if account.practice_id != Some(practice)
            || account.role != Role::Clinician
            || !account.is_active()
        {
            return Ok(false);
        }
        self.store
            .deactivate_account(clinician, self.clock.now())
            .await?;
        self.audit(
            context,
            Event {
                actor: Actor::User(owner.account_id.as_uuid()),
                practice: Some(practice.as_uuid()),
                action: Action::AccessRevoked,
                object_type: ACCOUNT,
                object_id: Some(clinician.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await?;
        Ok(true)
    }
}
