//! Password reset links.

use async_trait::async_trait;
use sensate_domain::AccountId;
use time::OffsetDateTime;

use crate::{OutboxRecord, StoreError};

/// A reset link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordResetRecord {
    /// SHA-256 of the link's token.
    pub token_digest: [u8; 32],
    /// Whose password.
    pub account_id: AccountId,
    /// When it was sent.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When it was used.
    pub used_at: Option<OffsetDateTime>,
}

/// Storing password reset links.
#[async_trait]
pub trait PasswordResets {
    /// Stores a reset link and the email carrying it, in one transaction.
    async fn create_password_reset(
        &self,
        reset: &PasswordResetRecord,
        email: &OutboxRecord,
    ) -> Result<(), StoreError>;

    /// The reset link with this digest, if it can still be used at `at`.
    async fn usable_password_reset(
        &self,
        token_digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<Option<PasswordResetRecord>, StoreError>;

    /// Uses the link: in one transaction marks it used (only if unused and unexpired
    /// at `at`), sets the new password hash and ends every session of the account.
    /// Returns the account, or `None` when the link could not be used.
    async fn reset_password(
        &self,
        token_digest: &[u8; 32],
        password_hash: &str,
        at: OffsetDateTime,
    ) -> Result<Option<AccountId>, StoreError>;

    /// How many reset links were sent for the account since `since` (to refuse a
    /// flood of emails).
    async fn recent_password_resets(
        &self,
        account: AccountId,
        since: OffsetDateTime,
    ) -> Result<u32, StoreError>;
}
