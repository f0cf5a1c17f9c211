//! Server-side sessions and failed sign-in counts, shared by every process.

use async_trait::async_trait;
use sensate_domain::AccountId;
use time::OffsetDateTime;

use crate::{AccountRecord, StoreError};

/// A session as stored. The cookie holds a random token; the store holds its digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie's token.
    pub token_digest: [u8; 32],
    /// Whose session.
    pub account_id: AccountId,
    /// When it began (the absolute lifetime counts from here).
    pub created_at: OffsetDateTime,
    /// When it was last used (the idle timeout counts from here).
    pub last_seen_at: OffsetDateTime,
    /// When the second factor was passed; `None` while a code is still due.
    pub second_factor_at: Option<OffsetDateTime>,
}

/// Storing sessions.
#[async_trait]
pub trait Sessions {
    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;

    /// The session with this token digest, with its account.
    async fn session(
        &self,
        token_digest: &[u8; 32],
    ) -> Result<Option<(SessionRecord, AccountRecord)>, StoreError>;

    /// Records a use of the session.
    async fn touch_session(
        &self,
        token_digest: &[u8; 32],
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Ends `old` and stores `new` in one transaction (a new id at every privilege
    /// change, so a planted id is worthless). False when `old` no longer exists.
    async fn replace_session(
        &self,
        old: &[u8; 32],
        new: &SessionRecord,
    ) -> Result<bool, StoreError>;

    /// Ends one session.
    async fn end_session(&self, token_digest: &[u8; 32]) -> Result<(), StoreError>;

    /// Ends every session of an account; returns how many.
    async fn end_sessions_of(&self, account: AccountId) -> Result<u64, StoreError>;

    /// Deletes sessions begun before `cutoff` (past their absolute lifetime).
    async fn end_sessions_begun_before(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError>;
}

/// Recent failed sign-ins of one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    /// How many since the window began.
    pub count: u32,
    /// When the last one happened.
    pub last_at: Option<OffsetDateTime>,
}

impl Failures {
    /// No failures.
    pub const NONE: Failures = Failures {
        count: 0,
        last_at: None,
    };
}

/// Counting failed sign-ins per subject (a keyed digest of an address or an account).
#[async_trait]
pub trait SignInThrottle {
    /// The failures of `subject` since `window_start`.
    async fn failures(
        &self,
        subject: &[u8; 32],
        window_start: OffsetDateTime,
    ) -> Result<Failures, StoreError>;

    /// Counts one more failure at `at`; failures before `window_start` are forgotten
    /// first. Returns the new count.
    async fn record_failure(
        &self,
        subject: &[u8; 32],
        at: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> Result<Failures, StoreError>;

    /// Forgets the failures of `subject` (after a successful sign-in).
    async fn clear_failures(&self, subject: &[u8; 32]) -> Result<(), StoreError>;
}
