//! File keys: a fresh random key for one file kept outside the database, such as a backup.
//!
//! A database backup must be encrypted with a key that is not itself in the backup, and must still
//! open after the key-encryption keys rotate. So each such file gets its own random 256-bit
//! [`FileKey`], and the file stores it only wrapped by the active KEK ([`WrappedFileKey`]), exactly as
//! the database stores a practice's data key (see [`crate::envelope`]). Whoever holds the key file
//! from when the file was written can open it; nobody else can.
//!
//! Unlike a data key, a file key is handed to its caller as bytes (through
//! [`secrecy::ExposeSecret`]): the file's own format (for a backup, a chunked stream) decides how it
//! encrypts with it, and that format lives in its own crate.
//!
//! Wrapping binds two things in the associated data besides the KEK id:
//!
//! - a **purpose**, the caller's constant name for what the key is for (`"sensate/backup-file-key"`),
//!   so that a key wrapped for one kind of file never unwraps as another;
//! - a **context**, bytes the caller chooses, typically every header field of the file written
//!   before the wrapped key, so that no header field can be changed without the key failing to
//!   unwrap.
//!
//! Format (77 bytes):
//!
//! ```text
//! format (1) = 1 | kek id (4, big-endian) | nonce (24) | key (32) | tag (16)
//! ```

use std::fmt;

use secrecy::ExposeSecret;

use crate::error::CryptoError;
use crate::kek::KekId;
use crate::key_ring::KeyRing;
use crate::xchacha::{self, KEY_LEN, NONCE_LEN, SecretKey, TAG_LEN, random_key};

const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 1 + 4;
/// Separates wrapped file keys from wrapped data keys and sealed fields, whatever the purpose.
const DOMAIN: &[u8] = b"sensate/wrapped-file-key";

/// A random 256-bit key for one file, unwrapped. Wiped from memory when dropped; `Debug` never
/// shows it. Read the bytes with [`ExposeSecret::expose_secret`], only to key a cipher.
pub struct FileKey {
    key: SecretKey,
}

impl FileKey {
    /// A fresh random file key.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self { key: random_key()? })
    }
}

impl ExposeSecret<[u8; KEY_LEN]> for FileKey {
    fn expose_secret(&self) -> &[u8; KEY_LEN] {
        self.key.expose_secret()
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey([REDACTED])")
    }
}

/// A file key as stored in its file: encrypted by a key-encryption key. Holds no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedFileKey {
    bytes: [u8; WrappedFileKey::LEN],
    kek_id: KekId,
}

impl WrappedFileKey {
    /// The length of every wrapped file key, in bytes.
    pub const LEN: usize = HEADER_LEN + NONCE_LEN + KEY_LEN + TAG_LEN;

    /// Reads a wrapped file key back from the bytes written by [`WrappedFileKey::as_bytes`], checking
    /// its format (not yet its authenticity: that happens on unwrapping). Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let malformed = |reason| CryptoError::MalformedFileKey { reason };
        let Ok(bytes) = <[u8; Self::LEN]>::try_from(bytes) else {
            return Err(malformed("it has the wrong length"));
        };
        let [format, k0, k1, k2, k3, ..] = bytes;
        if format != FORMAT_V1 {
            return Err(malformed("it is in an unknown format version"));
        }
        Ok(Self {
            kek_id: KekId::new(u32::from_be_bytes([k0, k1, k2, k3])),
            bytes,
        })
    }

    /// The bytes to store.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; Self::LEN] {
        &self.bytes
    }

    /// The id of the key-encryption key that wrapped this key: the one the key file must still hold
    /// for the file to open.
    #[must_use]
    pub fn kek_id(&self) -> KekId {
        self.kek_id
    }
}

impl fmt::Debug for WrappedFileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedFileKey")
            .field("kek_id", &self.kek_id)
            .finish_non_exhaustive()
    }
}

fn associated_data(purpose: &'static str, kek_id: KekId, context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(80 + purpose.len() + context.len());
    xchacha::push_field(&mut aad, DOMAIN);
    xchacha::push_field(&mut aad, &[FORMAT_V1]);
    xchacha::push_field(&mut aad, purpose.as_bytes());
    xchacha::push_field(&mut aad, &kek_id.get().to_be_bytes());
    xchacha::push_field(&mut aad, context);
    aad
}

impl KeyRing {
    /// Wraps a file key under the active KEK, bound to `purpose` (a constant naming what the key is
    /// for) and `context` (bytes that must be given again, unchanged, to unwrap it).
    pub fn wrap_file_key(
        &self,
        key: &FileKey,
        purpose: &'static str,
        context: &[u8],
    ) -> Result<WrappedFileKey, CryptoError> {
        let kek = self.active()?;
        let kek_id = kek.id();
        let mut bytes = Vec::with_capacity(WrappedFileKey::LEN);
        bytes.push(FORMAT_V1);
        bytes.extend_from_slice(&kek_id.get().to_be_bytes());
        let aad = associated_data(purpose, kek_id, context);
        xchacha::seal_into(kek.secret(), &aad, key.expose_secret(), &mut bytes)?;
        WrappedFileKey::from_bytes(&bytes)
    }

    /// Unwraps a file key with whichever KEK in the ring wrapped it, given the same `purpose` and
    /// `context` it was wrapped with.
    ///
    /// Fails with [`CryptoError::UnknownKek`] if that KEK is not in this ring, and with
    /// [`CryptoError::FileKeyUnwrapFailed`] if the ring's KEK with that id is a different key (the key
    /// file of another installation), or the purpose, context or wrapped key differ from when it was
    /// wrapped. Which of those it was cannot be told apart, by design.
    pub fn unwrap_file_key(
        &self,
        wrapped: &WrappedFileKey,
        purpose: &'static str,
        context: &[u8],
    ) -> Result<FileKey, CryptoError> {
        let kek = self
            .get(wrapped.kek_id)
            .ok_or(CryptoError::UnknownKek { id: wrapped.kek_id })?;
        let aad = associated_data(purpose, wrapped.kek_id, context);
        let body = wrapped.bytes.get(HEADER_LEN..).unwrap_or_default();
        let plain = xchacha::open_body(kek.secret(), &aad, body)
            .map_err(|_| CryptoError::FileKeyUnwrapFailed)?;
        let Ok(secret) = <&[u8; KEY_LEN]>::try_from(plain.as_slice()) else {
            return Err(CryptoError::FileKeyUnwrapFailed);
        };
        let mut key = SecretKey::init_with_mut(|_| {});
        secrecy::ExposeSecretMut::expose_secret_mut(&mut key).copy_from_slice(secret);
        Ok(FileKey { key })
    }
}

#[cfg(test)]
mod tests;
