//! Wrapped data keys: the installation's and each practice's.
//!
//! The store only ever sees keys wrapped by the key file (see docs/encryption.md); it
//! cannot open anything it holds.

use async_trait::async_trait;
use sensate_domain::PracticeId;
use time::OffsetDateTime;

use crate::StoreError;

/// Whose data key a wrapped key is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyOwner {
    /// The installation's own key (lookup digests, the audit chain, verifiers' details).
    Installation,
    /// One practice's key.
    Practice(PracticeId),
}

/// One stored wrapped key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKeyRow {
    /// Whose key it is.
    pub owner: KeyOwner,
    /// The wrapped key's bytes, as `sensate-crypto` wrote them.
    pub wrapped: Vec<u8>,
}

/// Reading and re-wrapping data keys.
#[async_trait]
pub trait Keys {
    /// The installation's wrapped key, if one has been made.
    async fn installation_key(&self) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `wrapped` as the installation's key unless one is already stored, and
    /// returns the stored one: when two processes start at once, both end up with the
    /// first one's key.
    async fn create_installation_key(
        &self,
        wrapped: &[u8],
        at: OffsetDateTime,
    ) -> Result<Vec<u8>, StoreError>;

    /// A practice's wrapped key, or `None` for an unknown practice.
    async fn practice_key(&self, practice: PracticeId) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every wrapped key, the installation's first.
    async fn wrapped_keys(&self) -> Result<Vec<WrappedKeyRow>, StoreError>;

    /// Replaces wrapped keys in one transaction: each row whose stored bytes are still
    /// `previous` gets `replacement`. Returns how many were replaced; a row changed in
    /// the meantime is left alone (the caller reads again and retries).
    async fn rewrap_keys(&self, changes: &[Rewrap]) -> Result<usize, StoreError>;
}

/// One key to re-wrap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrap {
    /// Whose key.
    pub owner: KeyOwner,
    /// The bytes read before re-wrapping.
    pub previous: Vec<u8>,
    /// The same data key wrapped under the new key-encryption key.
    pub replacement: Vec<u8>,
}
