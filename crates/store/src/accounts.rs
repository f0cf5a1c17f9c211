//! Accounts: everyone who signs in, with their sealed details and credentials.
//!
//! The store holds what the application layer hands it: sealed bytes, digests and a
//! PHC password string. It never sees an email address or a name in plain text.

use async_trait::async_trait;
use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, ClientId, Practice, PracticeId};
use time::OffsetDateTime;

use crate::StoreError;

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    /// Its id.
    pub id: AccountId,
    /// The practice it belongs to; `None` only for a directory verifier.
    pub practice_id: Option<PracticeId>,
    /// What the person does.
    pub role: Role,
    /// Keyed digest of the normalised email address (unique in the installation).
    pub email_lookup: [u8; 32],
    /// The sealed email address.
    pub email_sealed: Vec<u8>,
    /// The sealed display name.
    pub name_sealed: Vec<u8>,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// The sealed TOTP secret, once enrolled.
    pub totp_sealed: Option<Vec<u8>>,
    /// The last TOTP time step accepted.
    pub totp_last_step: Option<i64>,
    /// When the account was deactivated; such an account cannot sign in.
    pub deactivated_at: Option<OffsetDateTime>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// For a client's portal account, the client record it belongs to.
    pub client_id: Option<ClientId>,
}

impl AccountRecord {
    /// True while the person may sign in.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// A second factor being enrolled (or replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpEnrolment {
    /// The sealed TOTP secret.
    pub totp_sealed: Vec<u8>,
    /// The step of the code that confirmed it (so it cannot be used again).
    pub confirmed_step: i64,
    /// SHA-256 digests of the ten new recovery codes; earlier codes stop working.
    pub recovery_digests: Vec<[u8; 32]>,
}

/// Storing and reading accounts.
#[async_trait]
pub trait Accounts {
    /// First-run setup: creates the practice, its wrapped key and its owner in one
    /// transaction, but only while the installation has no account at all; otherwise
    /// [`StoreError::Conflict`] over `"setup"` and nothing is written.
    async fn set_up_practice(
        &self,
        practice: &Practice,
        wrapped_key: &[u8],
        owner: &AccountRecord,
    ) -> Result<(), StoreError>;

    /// Stores a new account. An address already in use is a conflict over `"account"`.
    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError>;

    /// One account by id.
    async fn account(&self, id: AccountId) -> Result<Option<AccountRecord>, StoreError>;

    /// The account whose address has this lookup digest.
    async fn account_by_email(
        &self,
        email_lookup: &[u8; 32],
    ) -> Result<Option<AccountRecord>, StoreError>;

    /// The portal account that belongs to a client's record, if they have one.
    async fn account_for_client(
        &self,
        client: ClientId,
    ) -> Result<Option<AccountRecord>, StoreError>;

    /// How many accounts the installation has (setup is offered at zero).
    async fn count_accounts(&self) -> Result<u64, StoreError>;

    /// A practice's accounts, oldest first.
    async fn practice_accounts(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<AccountRecord>, StoreError>;

    /// Replaces the password hash without ending sessions (an upgrade of the hash's
    /// parameters at sign-in).
    async fn rehash_password(&self, id: AccountId, password_hash: &str) -> Result<(), StoreError>;

    /// Sets a new password and ends every session of the account except `keep` (the
    /// session that made the change, if any), in one transaction.
    async fn change_password(
        &self,
        id: AccountId,
        password_hash: &str,
        keep: Option<&[u8; 32]>,
    ) -> Result<(), StoreError>;

    /// Enrols (or replaces) the second factor, replaces the recovery codes and ends
    /// every session of the account except `keep`, in one transaction.
    async fn enrol_totp(
        &self,
        id: AccountId,
        enrolment: &TotpEnrolment,
        keep: Option<&[u8; 32]>,
    ) -> Result<(), StoreError>;

    /// Records that the TOTP code of `step` was used, only if no code of that step or a
    /// later one was used before. False means a replay: refuse the code.
    async fn claim_totp_step(&self, id: AccountId, step: i64) -> Result<bool, StoreError>;

    /// Uses up one recovery code. False when no unused code has this digest.
    async fn use_recovery_code(
        &self,
        id: AccountId,
        digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// How many recovery codes are left.
    async fn unused_recovery_codes(&self, id: AccountId) -> Result<u32, StoreError>;

    /// Deactivates the account and ends all its sessions in one transaction.
    async fn deactivate_account(&self, id: AccountId, at: OffsetDateTime)
    -> Result<(), StoreError>;
}
