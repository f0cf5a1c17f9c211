//! Invitations, the practice's outbox, and who cares for which client.

use async_trait::async_trait;
use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{AccountRecord, StoreError};

/// An invitation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationRecord {
    /// Its id.
    pub id: Uuid,
    /// SHA-256 of the link's token.
    pub token_digest: [u8; 32],
    /// The practice the invitee joins.
    pub practice_id: PracticeId,
    /// Clinician or client.
    pub role: Role,
    /// Keyed digest of the invitee's normalised address.
    pub email_lookup: [u8; 32],
    /// The invitee's sealed address.
    pub email_sealed: Vec<u8>,
    /// The invitee's sealed name.
    pub name_sealed: Vec<u8>,
    /// Who sent it (for a client: their clinician).
    pub invited_by: AccountId,
    /// When it was sent.
    pub created_at: OffsetDateTime,
    /// When the link stops working.
    pub expires_at: OffsetDateTime,
    /// When it was used.
    pub accepted_at: Option<OffsetDateTime>,
    /// When it was withdrawn.
    pub revoked_at: Option<OffsetDateTime>,
    /// For a client invited to the portal from their record, that record: the new
    /// account belongs to it.
    pub client_id: Option<ClientId>,
}

/// One email in the outbox, sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRecord {
    /// Its id.
    pub id: Uuid,
    /// The sending practice.
    pub practice_id: PracticeId,
    /// Sealed recipient address.
    pub recipient_sealed: Vec<u8>,
    /// Sealed subject.
    pub subject_sealed: Vec<u8>,
    /// Sealed body.
    pub body_sealed: Vec<u8>,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// When a transport took it.
    pub delivered_at: Option<OffsetDateTime>,
}

/// What happened to an attempt to accept an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acceptance {
    /// The account was created from the invitation.
    Accepted,
    /// The link was already used, withdrawn or expired, or never existed.
    Unusable,
    /// The address is in use by another account.
    EmailInUse,
}

/// Storing invitations and the outbox.
#[async_trait]
pub trait Invitations {
    /// Stores an invitation and the email that carries its link, in one transaction.
    async fn create_invitation(
        &self,
        invitation: &InvitationRecord,
        email: &OutboxRecord,
    ) -> Result<(), StoreError>;

    /// The invitation whose link has this token digest.
    async fn invitation(
        &self,
        token_digest: &[u8; 32],
    ) -> Result<Option<InvitationRecord>, StoreError>;

    /// Uses the invitation: in one transaction, marks it accepted (only if still unused,
    /// not withdrawn and not expired at `at`), creates `account`, and for a client
    /// records the inviting clinician as their clinician.
    async fn accept_invitation(
        &self,
        token_digest: &[u8; 32],
        account: &AccountRecord,
        at: OffsetDateTime,
    ) -> Result<Acceptance, StoreError>;

    /// Withdraws an invitation of this practice that has not been used.
    async fn revoke_invitation(
        &self,
        practice: PracticeId,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// A practice's invitations, newest first.
    async fn practice_invitations(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<InvitationRecord>, StoreError>;

    /// A practice's outbox, newest first, at most `limit` messages.
    async fn outbox(
        &self,
        practice: PracticeId,
        limit: u32,
    ) -> Result<Vec<OutboxRecord>, StoreError>;

    /// Records that a transport took a message.
    async fn mark_delivered(&self, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError>;

    /// The clinicians caring for a client.
    async fn clinicians_of(&self, client: AccountId) -> Result<Vec<AccountId>, StoreError>;
}
