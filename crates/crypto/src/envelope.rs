//! Envelope encryption: a practice's data key, wrapped by a key-encryption key for storage.
//!
//! The database stores each practice's data key only in this wrapped form; the KEK that can unwrap it
//! lives in the key file, outside the database and its backups, so a stolen database or backup holds
//! nothing that opens. The wrapped form names the KEK that wrapped it, so several KEKs can be in use
//! during a rotation, and its associated data binds the practice id: a wrapped key copied into another
//! practice's row does not unwrap.
//!
//! Format (81 bytes):
//!
//! ```text
//! format (1) = 1 | kek id (4, big-endian) | data key version (4, big-endian) | nonce (24) | key (32) | tag (16)
//! ```
//!
//! Every header byte is also in the associated data, so none of it can be changed unnoticed.

use std::fmt;

use uuid::Uuid;

use crate::data_key::{DataKey, DataKeyVersion};
use crate::error::CryptoError;
use crate::kek::KekId;
use crate::key_ring::KeyRing;
use crate::xchacha::{self, KEY_LEN, NONCE_LEN, SecretKey, TAG_LEN};

const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 1 + 4 + 4;
const WRAPPED_LEN: usize = HEADER_LEN + NONCE_LEN + KEY_LEN + TAG_LEN;
/// Separates wrapped-key associated data from every other use of a key in this crate.
const DOMAIN: &[u8] = b"sensate/wrapped-data-key";

/// A practice's data key as stored in the database: encrypted by a key-encryption key.
///
/// Holds no secret (only ciphertext), so it may be stored, copied and logged freely.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    bytes: Vec<u8>,
    kek_id: KekId,
    version: DataKeyVersion,
}

impl WrappedKey {
    /// Reads a wrapped key back from the bytes stored by [`WrappedKey::as_bytes`], checking its
    /// format (not yet its authenticity: that happens on unwrapping).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, CryptoError> {
        let bytes = bytes.into();
        let malformed = |reason| CryptoError::MalformedWrappedKey { reason };
        if bytes.len() != WRAPPED_LEN {
            return Err(malformed("it has the wrong length"));
        }
        let Some(&[format, k0, k1, k2, k3, v0, v1, v2, v3]) = bytes.first_chunk::<HEADER_LEN>()
        else {
            return Err(malformed("it has the wrong length"));
        };
        if format != FORMAT_V1 {
            return Err(malformed("it is in an unknown format version"));
        }
        Ok(Self {
            kek_id: KekId::new(u32::from_be_bytes([k0, k1, k2, k3])),
            version: DataKeyVersion::new(u32::from_be_bytes([v0, v1, v2, v3])),
            bytes,
        })
    }

    /// The bytes to store.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes to store, taking ownership.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The id of the key-encryption key that wrapped this key. A rotation collects these to learn
    /// which KEKs are still needed.
    #[must_use]
    pub fn kek_id(&self) -> KekId {
        self.kek_id
    }

    /// The version of the data key inside.
    #[must_use]
    pub fn data_key_version(&self) -> DataKeyVersion {
        self.version
    }
}

impl fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedKey")
            .field("kek_id", &self.kek_id)
            .field("data_key_version", &self.version)
            .finish_non_exhaustive()
    }
}

fn associated_data(practice: Uuid, kek_id: KekId, version: DataKeyVersion) -> Vec<u8> {
    let mut aad = Vec::with_capacity(64);
    xchacha::push_field(&mut aad, DOMAIN);
    xchacha::push_field(&mut aad, &[FORMAT_V1]);
    xchacha::push_field(&mut aad, practice.as_bytes());
    xchacha::push_field(&mut aad, &kek_id.get().to_be_bytes());
    xchacha::push_field(&mut aad, &version.get().to_be_bytes());
    aad
}

impl KeyRing {
    /// Wraps `practice`'s data key under the active KEK, for storage.
    pub fn wrap(&self, key: &DataKey, practice: Uuid) -> Result<WrappedKey, CryptoError> {
        let kek = self.active()?;
        let (kek_id, version) = (kek.id(), key.version());
        let mut bytes = Vec::with_capacity(WRAPPED_LEN);
        bytes.push(FORMAT_V1);
        bytes.extend_from_slice(&kek_id.get().to_be_bytes());
        bytes.extend_from_slice(&version.get().to_be_bytes());
        let aad = associated_data(practice, kek_id, version);
        xchacha::seal_into(kek.secret(), &aad, key.secret(), &mut bytes)?;
        Ok(WrappedKey {
            bytes,
            kek_id,
            version,
        })
    }

    /// Unwraps `practice`'s stored data key with whichever KEK in the ring wrapped it.
    ///
    /// Fails with [`CryptoError::UnknownKek`] if that KEK is not in this ring (a running server then
    /// re-reads the key file: see [`crate::KeyFile::unwrap`]), and with
    /// [`CryptoError::UnwrapFailed`] if the key was wrapped for another practice or altered.
    pub fn unwrap(&self, wrapped: &WrappedKey, practice: Uuid) -> Result<DataKey, CryptoError> {
        let kek = self
            .get(wrapped.kek_id)
            .ok_or(CryptoError::UnknownKek { id: wrapped.kek_id })?;
        let aad = associated_data(practice, wrapped.kek_id, wrapped.version);
        let body = wrapped.bytes.get(HEADER_LEN..).unwrap_or_default();
        let plain =
            xchacha::open_body(kek.secret(), &aad, body).map_err(|_| CryptoError::UnwrapFailed)?;
        let mut key = SecretKey::init_with_mut(|_| {});
        let Ok(secret) = <&[u8; KEY_LEN]>::try_from(plain.as_slice()) else {
            return Err(CryptoError::UnwrapFailed);
        };
        secrecy::ExposeSecretMut::expose_secret_mut(&mut key).copy_from_slice(secret);
        Ok(DataKey::from_secret(wrapped.version, key))
    }

    /// Unwraps a stored data key and wraps it again under the active KEK: the per-practice step of a
    /// rotation. The data key itself does not change, so no sealed field needs re-sealing.
    pub fn rewrap(&self, wrapped: &WrappedKey, practice: Uuid) -> Result<WrappedKey, CryptoError> {
        self.wrap(&self.unwrap(wrapped, practice)?, practice)
    }
}

#[cfg(test)]
mod tests;
