//! Changing a password, and resetting a forgotten one by an emailed link.
//!
//! Either way every session of the person ends (a stolen session dies with the old
//! password). A change made while signed in starts a fresh session for the person who
//! made it; a reset signs them out everywhere and they sign in again, code included.

use sensate_audit::{Action, Actor, ObjectType, Outcome};
use sensate_auth::password::{self, PasswordHash, Verification};
use sensate_auth::token::{OpaqueToken, token_digest};
use sensate_crypto::Binding;
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_domain::accounts::{EmailAddress, NewPassword, PasswordError};
use sensate_store::{OutboxRecord, PasswordResetRecord};
use time::Duration;
use uuid::Uuid;

use crate::audit_log::{AuditContext, Event};
use crate::sign_in::{NewSession, SessionStage, SignedIn};
use crate::{App, AppError};

/// How long a reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(1);
/// At most this many reset emails per account per hour.
const RESETS_PER_HOUR: u32 = 3;
const PASSWORD: ObjectType = ObjectType::from_static("password");
const OUTBOX: &str = "outbox_message";

/// Why a password change was refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    /// The current password was wrong.
    #[error("your current password is not right")]
    WrongCurrent,
    /// The new password is not acceptable.
    #[error("{0}")]
    Rejected(PasswordError),
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// Why a reset was refused.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// Used, expired or unknown link.
    #[error("this reset link has expired or has already been used")]
    Unusable,
    /// The new password is not acceptable.
    #[error("{0}")]
    Rejected(PasswordError),
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// Changes a signed-in person's password after checking the current one; ends every
    /// session and returns a new one for this browser.
    pub async fn change_password(
        &self,
        signed_in: &SignedIn,
        current: SecretString,
        new: SecretString,
        context: &AuditContext,
    ) -> Result<NewSession, PasswordChangeError> {
        let account = self
            .store
            .account(signed_in.account_id)
            .await
            .map_err(AppError::from)?
            .ok_or(PasswordChangeError::WrongCurrent)?;
        let person = self.open_person(&account).await?;
        let email = EmailAddress::parse(person.email.expose_secret()).ok();
        let new = NewPassword::parse(new.expose_secret(), email.as_ref())
            .map_err(PasswordChangeError::Rejected)?;
        let stored = PasswordHash::parse(&account.password_hash).ok();
        let verification = tokio::task::spawn_blocking(move || match stored {
            Some(hash) => password::verify_password(current.expose_secret(), &hash),
            None => Verification::Invalid,
        })
        .await
        .map_err(|error| AppError::Task(error.to_string()))?;
        if !verification.is_valid() {
            return Err(PasswordChangeError::WrongCurrent);
        }
        let hash = self.hash_password(new.expose()).await?;
        self.store
            .change_password(account.id, &hash, None)
            .await
            .map_err(AppError::from)?;
        self.audit(context, self.password_event(&account, Outcome::Allowed))
            .await?;
        Ok(self
            .begin_session(&account, SessionStage::Full, context)
            .await?)
    }

    fn password_event(&self, account: &sensate_store::AccountRecord, outcome: Outcome) -> Event {
        Event {
            actor: Actor::User(account.id.as_uuid()),
            practice: account.practice_id.map(|p| p.as_uuid()),
            action: Action::Update,
            object_type: PASSWORD,
            object_id: Some(account.id.as_uuid()),
            outcome,
        }
    }

    /// Emails a reset link to the address if it belongs to an active account of a
    /// practice. The caller always shows the same answer, so the page never tells
    /// whether an address has an account.
    pub async fn request_password_reset(
        &self,
        email: &str,
        link_base: &str,
        context: &AuditContext,
    ) -> Result<(), AppError> {
        let Ok(email) = EmailAddress::parse(email) else {
            return Ok(());
        };
        let Some(account) = self
            .store
            .account_by_email(&self.vault.email_lookup(email.as_str()))
            .await?
            .filter(|account| account.is_active())
        else {
            return Ok(());
        };
        // A directory verifier has no practice outbox; platform staff reset by the operator.
        let Some(practice_id) = account.practice_id else {
            return Ok(());
        };
        let now = self.clock.now();
        if self
            .store
            .recent_password_resets(account.id, now - Duration::hours(1))
            .await?
            >= RESETS_PER_HOUR
        {
            return Ok(());
        }
        let key = self.vault.practice_key(self.store(), practice_id).await?;
        let practice = self.store.practice(practice_id).await?;
        let practice_name = practice
            .map(|p| p.display_name.to_string())
            .unwrap_or_default();
        let OpaqueToken { token, digest } =
            OpaqueToken::generate().map_err(|error| AppError::Task(error.to_string()))?;
        let link = format!("{}/password-reset/{token}", link_base.trim_end_matches('/'));
        let subject = format!("Choose a new password for {practice_name}");
        let body = format!(
            "Someone asked to choose a new password for your account at {practice_name}.\n\n\
             If it was you, open this link within an hour:\n\n{link}\n\n\
             The link works once. If it was not you, ignore this email: your password stays \
             as it is.\n"
        );
        let id = Uuid::now_v7();
        let seal = |text: &str, column: &'static str| -> Result<Vec<u8>, AppError> {
            Ok(key
                .seal_str(text, &Binding::new(OUTBOX, column, id))?
                .into_bytes())
        };
        let message = OutboxRecord {
            id,
            practice_id,
            recipient_sealed: seal(email.as_str(), "recipient_sealed")?,
            subject_sealed: seal(&subject, "subject_sealed")?,
            body_sealed: seal(&body, "body_sealed")?,
            created_at: now,
            delivered_at: None,
        };
        self.store
            .create_password_reset(
                &PasswordResetRecord {
                    token_digest: digest,
                    account_id: account.id,
                    created_at: now,
                    expires_at: now + RESET_LIFETIME,
                    used_at: None,
                },
                &message,
            )
            .await?;
        self.audit(
            context,
            Event {
                actor: Actor::Anonymous,
                practice: Some(practice_id.as_uuid()),
                action: Action::Create,
                object_type: ObjectType::from_static("password_reset"),
                object_id: Some(account.id.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await?;
        self.deliver(id, email.as_str(), &subject, &body).await;
        Ok(())
    }

    /// True while a reset link can be used.
    pub async fn reset_link_is_usable(&self, token: &str) -> Result<bool, AppError> {
        let Some(digest) = token_digest(token) else {
            return Ok(false);
        };
        Ok(self
            .store
            .usable_password_reset(&digest, self.clock.now())
            .await?
            .is_some())
    }

    /// Sets a new password through a reset link and ends every session.
    pub async fn reset_password(
        &self,
        token: &str,
        new: SecretString,
        context: &AuditContext,
    ) -> Result<(), ResetError> {
        let digest = token_digest(token).ok_or(ResetError::Unusable)?;
        let reset = self
            .store
            .usable_password_reset(&digest, self.clock.now())
            .await
            .map_err(AppError::from)?
            .ok_or(ResetError::Unusable)?;
        let account = self
            .store
            .account(reset.account_id)
            .await
            .map_err(AppError::from)?
            .ok_or(ResetError::Unusable)?;
        let person = self.open_person(&account).await?;
        let email = EmailAddress::parse(person.email.expose_secret()).ok();
        let new = NewPassword::parse(new.expose_secret(), email.as_ref())
            .map_err(ResetError::Rejected)?;
        let hash = self.hash_password(new.expose()).await?;
        if self
            .store
            .reset_password(&digest, &hash, self.clock.now())
            .await
            .map_err(AppError::from)?
            .is_none()
        {
            return Err(ResetError::Unusable);
        }
        self.audit(context, self.password_event(&account, Outcome::Allowed))
            .await?;
        Ok(())
    }
}
