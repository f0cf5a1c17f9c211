//! Key-encryption keys (KEKs): the keys kept outside the database, in the key file.
//!
//! A KEK never encrypts clinical data itself; it only wraps the per-practice data keys (see
//! [`crate::envelope`]). That is what makes rotation cheap: replacing a KEK re-wraps one small key per
//! practice instead of re-encrypting every field. Each KEK has a small numeric id, recorded in every
//! key it wraps, so that several KEKs can coexist in the ring while a rotation is under way.

use std::fmt;

use crate::xchacha::{KEY_LEN, SecretKey};
use secrecy::ExposeSecret;

/// The id of a key-encryption key: a small number, starting at 1, that grows by one with each
/// rotation and is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KekId(u32);

impl KekId {
    /// The id of the first KEK in a new key file.
    pub const FIRST: Self = Self(1);

    /// A KEK id from its number, as stored beside a wrapped key or printed by a command.
    #[must_use]
    pub const fn new(id: u32) -> Self {
        Self(id)
    }

    /// The id as a number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The id the next KEK will get, or `None` once every id has been used.
    pub(crate) fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }
}

impl fmt::Display for KekId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One key-encryption key: its id, when it was made, and the secret key itself.
///
/// The key bytes never leave this crate and are wiped when the value is dropped; `Debug` shows only
/// the id and creation time.
#[derive(Debug)]
pub struct KeyEncryptionKey {
    id: KekId,
    created: String,
    key: SecretKey,
}

impl KeyEncryptionKey {
    /// `created` is a UTC timestamp in the key file's form (`2026-05-01T10:00:00Z`).
    pub(crate) fn new(id: KekId, created: String, key: SecretKey) -> Self {
        Self { id, created, key }
    }

    /// This key's id.
    #[must_use]
    pub fn id(&self) -> KekId {
        self.id
    }

    /// When this key was made, as a UTC timestamp such as `2026-05-01T10:00:00Z`.
    #[must_use]
    pub fn created(&self) -> &str {
        &self.created
    }

    pub(crate) fn secret(&self) -> &[u8; KEY_LEN] {
        self.key.expose_secret()
    }
}
