//! Inviting people: owners invite clinicians, clinicians invite their clients, by a
//! single-use link that works for 48 hours; and the practice's outbox.
//!
//! The email goes into the outbox first (sealed), then to the transport, if one is set
//! up. Nothing in it says what kind of practice this is: the subject and body name only
//! the practice's chosen display name (discreet by default, ARCHITECTURE principle 9).

use sensate_audit::{Action, Actor, ObjectType, Outcome};
use sensate_auth::token::{OpaqueToken, token_digest};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::accounts::{EmailAddress, EmailError, NewPassword, PasswordError, Role};
use sensate_domain::text::TextError;
use sensate_domain::{AccountId, ClientId, PersonName};
use sensate_store::{Acceptance, InvitationRecord, OutboxRecord};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit_log::{ACCOUNT, AuditContext, Event};
use crate::people::NewAccount;
use crate::sign_in::{NewSession, SessionStage, SignedIn};
use crate::{App, AppError};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::hours(48);

const INVITATION: ObjectType = ObjectType::from_static("invitation");
const OUTBOX: &str = "outbox_message";
const INVITATION_TABLE: &str = "invitation";

/// Someone to invite.
#[derive(Clone, Debug)]
pub struct Invite {
    /// Clinician or client.
    pub role: Role,
    /// Their name.
    pub name: String,
    /// Their address.
    pub email: String,
    /// For a client invited from their record: that record (see
    /// [`App::invite_to_portal`](crate::App::invite_to_portal)).
    pub client: Option<ClientId>,
}

/// Why an invitation was not sent.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// A field needs attention.
    #[error("some fields need attention")]
    Invalid {
        /// The name's problem.
        name: Option<TextError>,
        /// The address's problem.
        email: Option<EmailError>,
    },
    /// This person may not invite that role.
    #[error("you cannot invite someone in that role")]
    NotAllowed,
    /// The address already has an account.
    #[error("that email address already has an account")]
    EmailInUse,
    /// The client already has their own portal account.
    #[error("this client already has access to the portal")]
    AlreadyInPortal,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// An invitation, opened for its link's page.
#[derive(Debug)]
pub struct InvitationView {
    /// The practice's display name.
    pub practice_name: String,
    /// The role offered.
    pub role: Role,
    /// The invitee's name.
    pub name: SecretString,
    /// The invitee's address.
    pub email: SecretString,
}

/// Why an invitation could not be accepted.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// Used, withdrawn, expired or never existed: one answer for all.
    #[error("this invitation link has expired or has already been used")]
    Unusable,
    /// The chosen password is not acceptable.
    #[error("{0}")]
    Password(PasswordError),
    /// The address got an account meanwhile.
    #[error("that email address already has an account; sign in instead")]
    EmailInUse,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// One email in the outbox, opened for the owner's outbox page.
#[derive(Debug)]
pub struct OutboxMessage {
    /// Its recipient.
    pub to: SecretString,
    /// Its subject.
    pub subject: SecretString,
    /// Its body.
    pub body: SecretString,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// When a transport took it, if one has.
    pub delivered_at: Option<OffsetDateTime>,
}

/// Who may invite whom: owners invite clinicians and clients, clinicians invite clients.
pub fn may_invite(inviter: Role, invitee: Role) -> bool {
    matches!(
        (inviter, invitee),
        (Role::Owner, Role::Clinician | Role::Client) | (Role::Clinician, Role::Client)
    )
}

fn seal(
    key: &DataKey,
    text: &str,
    table: &'static str,
    column: &'static str,
    row: Uuid,
) -> Result<Vec<u8>, AppError> {
    Ok(key
        .seal_str(text, &Binding::new(table, column, row))?
        .into_bytes())
}

fn open(
    key: &DataKey,
    bytes: &[u8],
    table: &'static str,
    column: &'static str,
    row: Uuid,
) -> Result<SecretString, AppError> {
    Ok(key.open_str(
        &Sealed::from_bytes(bytes.to_vec())?,
        &Binding::new(table, column, row),
    )?)
}

impl App {
    /// Sends an invitation: stores it with its email in the outbox, then hands the
    /// email to the transport. `link_base` is the public address, e.g.
    /// `https://sensate.example.org`.
    pub async fn invite(
        &self,
        by: &SignedIn,
        invite: Invite,
        link_base: &str,
        context: &AuditContext,
    ) -> Result<(), InviteError> {
        let Some(practice_id) = by.practice_id else {
            return Err(InviteError::NotAllowed);
        };
        if !may_invite(by.role, invite.role) {
            return Err(InviteError::NotAllowed);
        }
        let name = PersonName::parse(&invite.name);
        let email = EmailAddress::parse(&invite.email);
        let (Ok(name), Ok(email)) = (&name, &email) else {
            return Err(InviteError::Invalid {
                name: name.err(),
                email: email.err(),
            });
        };
        let email_lookup = self.vault.email_lookup(email.as_str());
        if self
            .store
            .account_by_email(&email_lookup)
            .await
            .map_err(AppError::from)?
            .is_some()
        {
            return Err(InviteError::EmailInUse);
        }
        let key = self
            .vault
            .practice_key(self.store(), practice_id)
            .await
            .map_err(AppError::from)?;
        let practice = self
            .store
            .practice(practice_id)
            .await
            .map_err(AppError::from)?
            .ok_or(InviteError::NotAllowed)?;
        let inviter = self
            .person(by.account_id)
            .await?
            .ok_or(InviteError::NotAllowed)?;
        let OpaqueToken { token, digest } =
            OpaqueToken::generate().map_err(|error| AppError::Task(error.to_string()))?;
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let link = format!("{}/invitations/{token}", link_base.trim_end_matches('/'));
        let subject = format!("Your invitation from {}", practice.display_name);
        let body = format!(
            "Hello {name},\n\n\
             {inviter} has invited you to {practice}'s private and secure space, where you can \
             sign in to {what}.\n\n\
             To accept, open this link within 48 hours and choose a password:\n\n{link}\n\n\
             The link works once. If you were not expecting this invitation, you can ignore \
             this email and nothing will happen.\n",
            name = name.as_str(),
            inviter = inviter.name.expose_secret(),
            practice = practice.display_name,
            what = match invite.role {
                Role::Client =>
                    "fill in forms, see what your therapist has shared with you and keep in touch",
                _ => "work with your clients",
            },
        );
        let message_id = Uuid::now_v7();
        let invitation = InvitationRecord {
            id,
            token_digest: digest,
            practice_id,
            role: invite.role,
            email_lookup,
            email_sealed: seal(&key, email.as_str(), INVITATION_TABLE, "email_sealed", id)?,
            name_sealed: seal(&key, name.as_str(), INVITATION_TABLE, "name_sealed", id)?,
            invited_by: by.account_id,
            created_at: now,
            expires_at: now + INVITATION_LIFETIME,
            accepted_at: None,
            revoked_at: None,
            client_id: invite.client,
        };
        let message = OutboxRecord {
            id: message_id,
            practice_id,
            recipient_sealed: seal(&key, email.as_str(), OUTBOX, "recipient_sealed", message_id)?,
            subject_sealed: seal(&key, &subject, OUTBOX, "subject_sealed", message_id)?,
            body_sealed: seal(&key, &body, OUTBOX, "body_sealed", message_id)?,
            created_at: now,
            delivered_at: None,
        };
        self.store
            .create_invitation(&invitation, &message)
            .await
            .map_err(AppError::from)?;
        self.audit(
            context,
            Event {
                actor: Actor::User(by.account_id.as_uuid()),
                practice: Some(practice_id.as_uuid()),
                action: Action::Create,
                object_type: INVITATION,
                object_id: Some(id),
                outcome: Outcome::Allowed,
            },
        )
        .await?;
        self.deliver(message_id, email.as_str(), &subject, &body)
            .await;
        Ok(())
    }

    /// Hands a message to the transport and records that it went. A failed delivery
    /// leaves the message in the outbox, unmarked, and is logged without its content.
    pub(crate) async fn deliver(&self, id: Uuid, to: &str, subject: &str, body: &str) {
        let Some(mailer) = &self.mailer else { return };
        match mailer.deliver(id, to, subject, body) {
            Ok(()) => {
                if let Err(error) = self.store.mark_delivered(id, self.clock.now()).await {
                    tracing::warn!(message_id = %id, %error, "could not record a delivery");
                }
            }
            Err(error) => {
                tracing::warn!(message_id = %id, %error, "mail delivery failed; the message stays in the outbox")
            }
        }
    }

    /// The invitation behind a link, if it can still be used.
    pub async fn open_invitation(&self, token: &str) -> Result<Option<InvitationView>, AppError> {
        let Some(digest) = token_digest(token) else {
            return Ok(None);
        };
        let Some(invitation) = self.store.invitation(&digest).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if invitation.accepted_at.is_some()
            || invitation.revoked_at.is_some()
            || invitation.expires_at <= now
        {
            return Ok(None);
        }
        let key = self
            .vault
            .practice_key(self.store(), invitation.practice_id)
            .await?;
        let practice = self.store.practice(invitation.practice_id).await?;
        Ok(Some(InvitationView {
            practice_name: practice
                .map(|p| p.display_name.to_string())
                .unwrap_or_default(),
            role: invitation.role,
            name: open(
                &key,
                &invitation.name_sealed,
                INVITATION_TABLE,
                "name_sealed",
                invitation.id,
            )?,
            email: open(
                &key,
                &invitation.email_sealed,
                INVITATION_TABLE,
                "email_sealed",
                invitation.id,
            )?,
        }))
    }

    /// Accepts an invitation with a new password: creates the account and signs the
    /// person in (staff must enrol a second factor next).
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: SecretString,
        context: &AuditContext,
    ) -> Result<NewSession, AcceptError> {
        let digest = token_digest(token).ok_or(AcceptError::Unusable)?;
        let invitation = self
            .store
            .invitation(&digest)
            .await
            .map_err(AppError::from)?
            .ok_or(AcceptError::Unusable)?;
        let key = self
            .vault
            .practice_key(self.store(), invitation.practice_id)
            .await
            .map_err(AppError::from)?;
        let email = open(
            &key,
            &invitation.email_sealed,
            INVITATION_TABLE,
            "email_sealed",
            invitation.id,
        )?;
        let name = open(
            &key,
            &invitation.name_sealed,
            INVITATION_TABLE,
            "name_sealed",
            invitation.id,
        )?;
        let email =
            EmailAddress::parse(email.expose_secret()).map_err(|_| AcceptError::Unusable)?;
        let name = PersonName::parse(name.expose_secret()).map_err(|_| AcceptError::Unusable)?;
        let password = NewPassword::parse(password.expose_secret(), Some(&email))
            .map_err(AcceptError::Password)?;
        let hash = self.hash_password(password.expose()).await?;
        let mut account = self.seal_account(
            &key,
            NewAccount {
                id: AccountId::new(),
                practice: Some(invitation.practice_id),
                role: invitation.role,
                email: &email,
                name: &name,
                password_hash: hash,
            },
        )?;
        account.client_id = invitation.client_id;
        match self
            .store
            .accept_invitation(&digest, &account, self.clock.now())
            .await
            .map_err(AppError::from)?
        {
            Acceptance::Accepted => {}
            Acceptance::Unusable => return Err(AcceptError::Unusable),
            Acceptance::EmailInUse => return Err(AcceptError::EmailInUse),
        }
        self.audit(
            context,
            Event {
                actor: Actor::User(account.id.as_uuid()),
                practice: Some(invitation.practice_id.as_uuid()),
                action: Action::Create,
                object_type: ACCOUNT,
                object_id: Some(account.id.as_uuid()),
                outcome: Outcome::Allowed,
            },
        )
        .await?;
        let stage = if account.role.requires_two_factor() {
            SessionStage::EnrolmentDue
        } else {
            SessionStage::Full
        };
        Ok(self.begin_session(&account, stage, context).await?)
    }

    /// The practice's outbox, opened for its owner.
    pub async fn outbox(&self, owner: &SignedIn) -> Result<Vec<OutboxMessage>, AppError> {
        let Some(practice) = owner.practice_id.filter(|_| owner.role == Role::Owner) else {
            return Ok(Vec::new());
        };
        let key = self.vault.practice_key(self.store(), practice).await?;
        self.store
            .outbox(practice, 100)
            .await?
            .into_iter()
            .map(|message| {
                Ok(OutboxMessage {
                    to: open(
                        &key,
                        &message.recipient_sealed,
                        OUTBOX,
                        "recipient_sealed",
                        message.id,
                    )?,
                    subject: open(
                        &key,
                        &message.subject_sealed,
                        OUTBOX,
                        "subject_sealed",
                        message.id,
                    )?,
                    body: open(
                        &key,
                        &message.body_sealed,
                        OUTBOX,
                        "body_sealed",
                        message.id,
                    )?,
                    created_at: message.created_at,
                    delivered_at: message.delivered_at,
                })
            })
            .collect()
    }
}
