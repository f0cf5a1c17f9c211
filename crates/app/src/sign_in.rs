//! Signing in and out: password, second factor, enrolment, and the sessions they make.
//!
//! A session moves through stages. After the password, a person with a second factor
//! must give a code ([`SessionStage::CodeDue`]); staff without one must enrol first
//! ([`SessionStage::EnrolmentDue`]); only then is the session [`SessionStage::Full`].
//! Each step up gets a new session id (the old row is replaced), so an id planted
//! before sign-in is worthless after it.

use std::net::IpAddr;

use sensate_audit::{Action, Actor, Outcome};
use sensate_auth::password::{self, PasswordHash, Verification};
use sensate_auth::recovery::{RecoveryCodes, recovery_digest};
use sensate_auth::token::{OpaqueToken, csrf_matches, csrf_token, token_digest};
use sensate_auth::totp::{self, TotpRejection, TotpSecret};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, Sealed};
use sensate_domain::accounts::{EmailAddress, Role, SessionState, session_state};
use sensate_domain::{AccountId, ClientId, PracticeId};
use sensate_store::{AccountRecord, SessionRecord, TotpEnrolment};

use crate::audit_log::{ACCOUNT, AuditContext, Event, SECOND_FACTOR};
use crate::people::ACCOUNT_TABLE;
use crate::throttle::Throttled;
use crate::{App, AppError};

pub(crate) const TOTP_COLUMN: &str = "totp_sealed";

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; a code from the authenticator is due.
    CodeDue,
    /// The password was right; this person must enrol a second factor first.
    EnrolmentDue,
    /// Fully signed in.
    Full,
}

/// A session just begun: the token goes in the cookie, never anywhere else.
#[derive(Debug)]
pub struct NewSession {
    /// The cookie's value.
    pub token: SecretString,
    /// What the person must do next.
    pub stage: SessionStage,
    /// Who signed in.
    pub account_id: AccountId,
    /// Their role.
    pub role: Role,
}

/// A request's signed-in person, resolved from the session cookie.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// Their account.
    pub account_id: AccountId,
    /// Their practice (`None` for a verifier).
    pub practice_id: Option<PracticeId>,
    /// Their role.
    pub role: Role,
    /// For a client, the client record their account belongs to.
    pub client_id: Option<ClientId>,
    /// Where the session stands.
    pub stage: SessionStage,
    /// True when a second factor is enrolled.
    pub has_second_factor: bool,
    token_digest: [u8; 32],
    csrf: String,
}

impl SignedIn {
    /// Who this is, for the access policy. A session exists only for an active
    /// account (deactivation ends every session), so the actor is active.
    pub fn actor(&self) -> sensate_domain::access::Actor {
        sensate_domain::access::Actor {
            account: self.account_id,
            role: self.role,
            practice: self.practice_id,
            client: self.client_id,
            active: true,
        }
    }

    /// The anti-forgery token every form of this session carries.
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }

    /// The session's token digest (for replacing or ending it).
    pub fn session_digest(&self) -> &[u8; 32] {
        &self.token_digest
    }
}

/// Why a sign-in was refused.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown address, wrong password or deactivated account: one answer for all, so
    /// the page never tells who has an account.
    #[error("that email address and password do not match an account")]
    Refused,
    /// Too many recent failures.
    #[error("too many attempts")]
    Throttled(Throttled),
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// Why a code was refused.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// Not a code of the right shape.
    #[error("enter the 6-digit code from your authenticator app, or a recovery code")]
    Malformed,
    /// The wrong code, or one already used.
    #[error("that code is not right, or it has already been used; wait for the next one")]
    Wrong,
    /// Too many recent failures.
    #[error("too many attempts")]
    Throttled(Throttled),
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// A second factor being set up: show the secret, then confirm with a code.
#[derive(Debug)]
pub struct Enrolment {
    /// The secret for the form's hidden field (hex); the confirmation sends it back.
    pub secret: String,
    /// The secret in grouped base32, for typing into an app that cannot scan.
    pub display_key: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code, as SVG.
    pub qr_svg: String,
}

/// Why an enrolment was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    /// The code did not match the new secret.
    #[error("that code does not match; check the time on your phone and try the next code")]
    Wrong,
    /// The form was tampered with or is stale.
    #[error("the setup form has expired; start again")]
    Stale,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// Checks an email address and password. Every attempt costs one Argon2id
    /// verification, whether or not the account exists.
    pub async fn sign_in(
        &self,
        email: &str,
        password: SecretString,
        ip: Option<IpAddr>,
        context: &AuditContext,
    ) -> Result<NewSession, SignInError> {
        let normalised = EmailAddress::parse(email)
            .map(|email| email.as_str().to_owned())
            .unwrap_or_else(|_| email.trim().to_lowercase());
        let subjects = self.subjects(ip, Some(&normalised));
        if let Err(throttled) = self.check_throttle(&subjects).await? {
            return Err(SignInError::Throttled(throttled));
        }
        let account = self
            .store
            .account_by_email(&self.vault.email_lookup(&normalised))
            .await
            .map_err(AppError::from)?;
        let stored = account
            .as_ref()
            .and_then(|account| PasswordHash::parse(&account.password_hash).ok());
        // One blocking task verifies and, when the stored hash uses older parameters,
        // rehashes while the password is still in hand.
        let (verification, rehashed) = tokio::task::spawn_blocking(move || match stored {
            Some(hash) => {
                let verification = password::verify_password(password.expose_secret(), &hash);
                let rehashed = match verification {
                    Verification::Valid { needs_rehash: true } => {
                        password::hash_password(password.expose_secret()).ok()
                    }
                    _ => None,
                };
                (verification, rehashed)
            }
            None => {
                password::verify_dummy(password.expose_secret());
                (Verification::Invalid, None)
            }
        })
        .await
        .map_err(|error| AppError::Task(error.to_string()))?;
        let account = match (account, verification) {
            (Some(account), Verification::Valid { .. }) if account.is_active() => {
                if let Some(hash) = rehashed {
                    self.store
                        .rehash_password(account.id, hash.as_str())
                        .await
                        .map_err(AppError::from)?;
                }
                account
            }
            (account, _) => {
                self.record_failure(&subjects).await?;
                self.audit(
                    context,
                    Event {
                        actor: Actor::Anonymous,
                        practice: account
                            .as_ref()
                            .and_then(|a| a.practice_id.map(|p| p.as_uuid())),
                        action: Action::SignInFailed,
                        object_type: ACCOUNT,
                        object_id: account.as_ref().map(|a| a.id.as_uuid()),
                        outcome: Outcome::Denied,
                    },
                )
                .await?;
                return Err(SignInError::Refused);
            }
        };
        self.clear_account_failures(&normalised).await?;
        let stage = if account.totp_sealed.is_some() {
            SessionStage::CodeDue
        } else if account.role.requires_two_factor() {
            SessionStage::EnrolmentDue
        } else {
            SessionStage::Full
        };
        if stage == SessionStage::Full {
            self.audit_sign_in(&account, context).await?;
        }
        Ok(self.begin_session(&account, stage, context).await?)
    }
}

impl App {
    /// Stores a new session for `account` at `stage` and returns its token.
    pub(crate) async fn begin_session(
        &self,
        account: &AccountRecord,
        stage: SessionStage,
        _context: &AuditContext,
    ) -> Result<NewSession, AppError> {
        let OpaqueToken { token, digest } =
            OpaqueToken::generate().map_err(|error| AppError::Task(error.to_string()))?;
        let now = self.clock.now();
        self.store
            .create_session(&SessionRecord {
                token_digest: digest,
                account_id: account.id,
                created_at: now,
                last_seen_at: now,
                second_factor_at: (stage == SessionStage::Full && account.totp_sealed.is_some())
                    .then_some(now),
            })
            .await?;
        Ok(NewSession {
            token: SecretString::from(token),
            stage,
            account_id: account.id,
            role: account.role,
        })
    }

    /// Replaces the session behind `signed_in` with a new one at the full stage.
    async fn promote_session(
        &self,
        signed_in: &SignedIn,
        account: &AccountRecord,
    ) -> Result<NewSession, AppError> {
        let OpaqueToken { token, digest } =
            OpaqueToken::generate().map_err(|error| AppError::Task(error.to_string()))?;
        let now = self.clock.now();
        let record = SessionRecord {
            token_digest: digest,
            account_id: account.id,
            // The absolute lifetime counts from the password, not from the code.
            created_at: now,
            last_seen_at: now,
            second_factor_at: Some(now),
        };
        self.store
            .replace_session(&signed_in.token_digest, &record)
            .await?;
        Ok(NewSession {
            token: SecretString::from(token),
            stage: SessionStage::Full,
            account_id: account.id,
            role: account.role,
        })
    }

    async fn audit_sign_in(
        &self,
        account: &AccountRecord,
        context: &AuditContext,
    ) -> Result<(), AppError> {
        self.audit(
            context,
            Event {
                actor: Actor::User(account.id.as_uuid()),
                practice: account.practice_id.map(|p| p.as_uuid()),
                action: Action::SignIn,
                object_type: ACCOUNT,
                object_id: Some(account.id.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await
    }

    /// The person a session cookie belongs to, or `None` when the cookie is junk, the
    /// session has ended or expired, or the account is deactivated. An expired session
    /// is deleted on the spot.
    pub async fn session(&self, token: &str) -> Result<Option<SignedIn>, AppError> {
        let Some(digest) = token_digest(token) else {
            return Ok(None);
        };
        let Some((session, account)) = self.store.session(&digest).await? else {
            return Ok(None);
        };
        if !account.is_active() {
            self.store.end_session(&digest).await?;
            return Ok(None);
        }
        let now = self.clock.now();
        match session_state(account.role, session.created_at, session.last_seen_at, now) {
            SessionState::IdleExpired | SessionState::AbsoluteExpired => {
                self.store.end_session(&digest).await?;
                return Ok(None);
            }
            SessionState::Active { touch } => {
                if touch {
                    self.store.touch_session(&digest, now).await?;
                }
            }
        }
        let stage = if session.second_factor_at.is_some() {
            SessionStage::Full
        } else if account.totp_sealed.is_some() {
            SessionStage::CodeDue
        } else if account.role.requires_two_factor() {
            SessionStage::EnrolmentDue
        } else {
            SessionStage::Full
        };
        Ok(Some(SignedIn {
            account_id: account.id,
            practice_id: account.practice_id,
            role: account.role,
            client_id: account.client_id,
            stage,
            has_second_factor: account.totp_sealed.is_some(),
            token_digest: digest,
            csrf: csrf_token(token),
        }))
    }

    /// Acts as an active staff member without a session: for the demo seed and other
    /// tools that run inside the server's process, never for a request. Nothing is
    /// stored and no cookie exists, so this cannot sign anyone in. `None` for a client,
    /// a verifier, a deactivated or unknown account.
    pub async fn acting_as(&self, account: AccountId) -> Result<Option<SignedIn>, AppError> {
        let Some(record) = self.store.account(account).await? else {
            return Ok(None);
        };
        if !record.is_active() || !matches!(record.role, Role::Owner | Role::Clinician) {
            return Ok(None);
        }
        Ok(Some(SignedIn {
            account_id: record.id,
            practice_id: record.practice_id,
            role: record.role,
            client_id: None,
            stage: SessionStage::Full,
            has_second_factor: record.totp_sealed.is_some(),
            token_digest: [0; 32],
            csrf: String::new(),
        }))
    }

    /// A directory verifier, for the demo seed and tests (never from a request): the
    /// same as [`App::acting_as`] for platform staff.
    pub async fn acting_as_verifier(
        &self,
        account: AccountId,
    ) -> Result<Option<SignedIn>, AppError> {
        let Some(record) = self.store.account(account).await? else {
            return Ok(None);
        };
        if !record.is_active() || record.role != Role::Verifier {
            return Ok(None);
        }
        Ok(Some(SignedIn {
            account_id: record.id,
            practice_id: None,
            role: Role::Verifier,
            client_id: None,
            stage: SessionStage::Full,
            has_second_factor: record.totp_sealed.is_some(),
            token_digest: [0; 32],
            csrf: String::new(),
        }))
    }

    /// True when `presented` is this session's anti-forgery token.
    pub fn csrf_matches(&self, token: &str, presented: &str) -> bool {
        csrf_matches(token, presented)
    }

    /// Checks a code from the authenticator (or a recovery code) for a session whose
    /// password was right, and on success replaces it with a full session.
    pub async fn confirm_code(
        &self,
        signed_in: &SignedIn,
        code: &str,
        ip: Option<IpAddr>,
        context: &AuditContext,
    ) -> Result<NewSession, CodeError> {
        let account_key = signed_in.account_id.to_string();
        let subjects = self.subjects(ip, Some(&account_key));
        if let Err(throttled) = self.check_throttle(&subjects).await? {
            return Err(CodeError::Throttled(throttled));
        }
        let Some(account) = self
            .store
            .account(signed_in.account_id)
            .await
            .map_err(AppError::from)?
        else {
            return Err(CodeError::Wrong);
        };
        let Some(sealed) = account.totp_sealed.as_deref() else {
            return Err(CodeError::Wrong);
        };
        let secret = self.open_totp(&account, sealed).await?;
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let accepted = if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
            let last = account.totp_last_step.and_then(|s| u64::try_from(s).ok());
            match totp::verify(&secret, &compact, self.clock.now(), last) {
                Ok(step) => self
                    .store
                    .claim_totp_step(account.id, i64::try_from(step).unwrap_or(i64::MAX))
                    .await
                    .map_err(AppError::from)?,
                Err(TotpRejection::Malformed) => return Err(CodeError::Malformed),
                Err(TotpRejection::Wrong | TotpRejection::Replayed) => false,
            }
        } else if let Some(digest) = recovery_digest(code) {
            self.store
                .use_recovery_code(account.id, &digest, self.clock.now())
                .await
                .map_err(AppError::from)?
        } else {
            return Err(CodeError::Malformed);
        };
        if !accepted {
            self.record_failure(&subjects).await?;
            self.audit(
                context,
                Event {
                    actor: Actor::User(account.id.as_uuid()),
                    practice: account.practice_id.map(|p| p.as_uuid()),
                    action: Action::SignInFailed,
                    object_type: SECOND_FACTOR,
                    object_id: Some(account.id.as_uuid()),
                    outcome: Outcome::Denied,
                },
            )
            .await?;
            return Err(CodeError::Wrong);
        }
        self.clear_account_failures(&account_key).await?;
        self.audit_sign_in(&account, context).await?;
        Ok(self.promote_session(signed_in, &account).await?)
    }

    /// A fresh secret to enrol, with its QR code. Nothing is stored until the person
    /// confirms it with a code.
    pub async fn begin_enrolment(&self, signed_in: &SignedIn) -> Result<Enrolment, AppError> {
        let secret = TotpSecret::generate().map_err(|error| AppError::Task(error.to_string()))?;
        let person = self
            .person(signed_in.account_id)
            .await?
            .ok_or_else(|| AppError::Task("the account is gone".into()))?;
        let label = person.email.expose_secret().to_owned();
        self.enrolment_for(&secret, &label)
    }

    fn enrolment_for(&self, secret: &TotpSecret, label: &str) -> Result<Enrolment, AppError> {
        let uri = secret.otpauth_uri("Sensate", label);
        let qr_svg =
            sensate_auth::qr::qr_svg(&uri, "QR code to add Sensate to your authenticator app")
                .map_err(|error| AppError::Task(error.to_string()))?;
        Ok(Enrolment {
            secret: to_hex(secret.expose_bytes()),
            display_key: secret.base32(),
            uri,
            qr_svg,
        })
    }

    /// Re-shows an enrolment whose confirmation failed, with the same secret.
    pub fn resume_enrolment(&self, secret_hex: &str, label: &str) -> Option<Enrolment> {
        let secret = from_hex(secret_hex).and_then(|b| TotpSecret::from_bytes(&b).ok())?;
        self.enrolment_for(&secret, label).ok()
    }

    /// Confirms a new second factor with a code from it: stores the sealed secret and
    /// ten new recovery codes, ends every other session, and returns the codes (shown
    /// once) and a new full session.
    pub async fn confirm_enrolment(
        &self,
        signed_in: &SignedIn,
        secret_hex: &str,
        code: &str,
        context: &AuditContext,
    ) -> Result<(Vec<String>, NewSession), EnrolmentError> {
        let secret = from_hex(secret_hex)
            .and_then(|bytes| TotpSecret::from_bytes(&bytes).ok())
            .ok_or(EnrolmentError::Stale)?;
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let step = totp::verify(&secret, &compact, self.clock.now(), None)
            .map_err(|_| EnrolmentError::Wrong)?;
        let account = self
            .store
            .account(signed_in.account_id)
            .await
            .map_err(AppError::from)?
            .ok_or(EnrolmentError::Stale)?;
        let key = self.account_key(&account).await?;
        let sealed = key
            .seal(
                secret.expose_bytes(),
                &Binding::new(ACCOUNT_TABLE, TOTP_COLUMN, account.id.as_uuid()),
            )
            .map_err(AppError::from)?;
        let RecoveryCodes { codes, digests } =
            RecoveryCodes::generate().map_err(|error| AppError::Task(error.to_string()))?;
        self.store
            .enrol_totp(
                account.id,
                &TotpEnrolment {
                    totp_sealed: sealed.into_bytes(),
                    confirmed_step: i64::try_from(step).unwrap_or(i64::MAX),
                    recovery_digests: digests,
                },
                Some(&signed_in.token_digest),
            )
            .await
            .map_err(AppError::from)?;
        self.audit(
            context,
            Event {
                actor: Actor::User(account.id.as_uuid()),
                practice: account.practice_id.map(|p| p.as_uuid()),
                action: Action::Create,
                object_type: SECOND_FACTOR,
                object_id: Some(account.id.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await?;
        if signed_in.stage != SessionStage::Full {
            self.audit_sign_in(&account, context).await?;
        }
        let session = self.promote_session(signed_in, &account).await?;
        Ok((codes, session))
    }

    /// Signs out: ends this session.
    pub async fn sign_out(
        &self,
        signed_in: &SignedIn,
        context: &AuditContext,
    ) -> Result<(), AppError> {
        self.store.end_session(&signed_in.token_digest).await?;
        self.audit(
            context,
            Event {
                actor: Actor::User(signed_in.account_id.as_uuid()),
                practice: signed_in.practice_id.map(|p| p.as_uuid()),
                action: Action::SignOut,
                object_type: ACCOUNT,
                object_id: Some(signed_in.account_id.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await
    }

    async fn open_totp(
        &self,
        account: &AccountRecord,
        sealed: &[u8],
    ) -> Result<TotpSecret, AppError> {
        let key = self.account_key(account).await?;
        let bytes = key.open(
            &Sealed::from_bytes(sealed.to_vec())?,
            &Binding::new(ACCOUNT_TABLE, TOTP_COLUMN, account.id.as_uuid()),
        )?;
        TotpSecret::from_bytes(&bytes).map_err(|error| AppError::Task(error.to_string()))
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
