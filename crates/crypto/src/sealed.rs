//! Sealed fields: one encrypted value in one column of one row.
//!
//! Every sensitive value (a name, an intake answer, a note) is sealed with the practice's data key
//! before it reaches storage. The associated data binds the value to its table, column, row id and
//! data key version, so someone who can write to the database cannot move a sealed value to another
//! row or column (for example, swap two clients' notes) without it failing to open.
//!
//! Format (at least 45 bytes):
//!
//! ```text
//! format (1) = 1 | data key version (4, big-endian) | nonce (24) | ciphertext (n) | tag (16)
//! ```
//!
//! The header is also in the associated data, so it cannot be changed unnoticed. Opening checks the
//! format first and never panics on any input: a value is either opened or refused.

use std::fmt;

use secrecy::SecretString;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::data_key::{DataKey, DataKeyVersion};
use crate::error::CryptoError;
use crate::xchacha::{self, NONCE_LEN, TAG_LEN};

const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 1 + 4;
const MIN_LEN: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;
/// Separates field associated data from every other use of a key in this crate.
const DOMAIN: &[u8] = b"sensate/sealed-field";

/// Where a sealed value lives: its table, column and row. Sealing and opening must name the same
/// place.
///
/// Table and column names are `'static` because they are the code's own names for its schema
/// (constants), never user input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    table: &'static str,
    column: &'static str,
    row: Uuid,
}

impl Binding {
    /// The value in `column` of the row with id `row` in `table`.
    #[must_use]
    pub const fn new(table: &'static str, column: &'static str, row: Uuid) -> Self {
        Self { table, column, row }
    }

    /// The table name.
    #[must_use]
    pub const fn table(&self) -> &'static str {
        self.table
    }

    /// The column name.
    #[must_use]
    pub const fn column(&self) -> &'static str {
        self.column
    }

    /// The row id.
    #[must_use]
    pub const fn row(&self) -> Uuid {
        self.row
    }

    fn associated_data(&self, version: DataKeyVersion) -> Vec<u8> {
        let mut aad = Vec::with_capacity(96 + self.table.len() + self.column.len());
        xchacha::push_field(&mut aad, DOMAIN);
        xchacha::push_field(&mut aad, &[FORMAT_V1]);
        xchacha::push_field(&mut aad, self.table.as_bytes());
        xchacha::push_field(&mut aad, self.column.as_bytes());
        xchacha::push_field(&mut aad, self.row.as_bytes());
        xchacha::push_field(&mut aad, &version.get().to_be_bytes());
        aad
    }
}

/// A sealed value as stored in the database. Holds only ciphertext; `Debug` shows its key version
/// and length.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    bytes: Vec<u8>,
    version: DataKeyVersion,
}

impl Sealed {
    /// Reads a sealed value back from the bytes stored by [`Sealed::as_bytes`], checking its format
    /// (not yet its authenticity: that happens on opening). Never panics.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, CryptoError> {
        let bytes = bytes.into();
        let malformed = |reason| CryptoError::MalformedSealed { reason };
        if bytes.len() < MIN_LEN {
            return Err(malformed("it is too short"));
        }
        let Some(&[format, v0, v1, v2, v3]) = bytes.first_chunk::<HEADER_LEN>() else {
            return Err(malformed("it is too short"));
        };
        if format != FORMAT_V1 {
            return Err(malformed("it is in an unknown format version"));
        }
        let version = DataKeyVersion::new(u32::from_be_bytes([v0, v1, v2, v3]));
        Ok(Self { bytes, version })
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

    /// The version of the data key that sealed this value, to pick the key that opens it.
    #[must_use]
    pub fn key_version(&self) -> DataKeyVersion {
        self.version
    }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("key_version", &self.version)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl DataKey {
    /// Seals `plaintext` for the place `binding` names, with a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8], binding: &Binding) -> Result<Sealed, CryptoError> {
        let version = self.version();
        let mut bytes = Vec::with_capacity(MIN_LEN + plaintext.len());
        bytes.push(FORMAT_V1);
        bytes.extend_from_slice(&version.get().to_be_bytes());
        xchacha::seal_into(
            self.secret(),
            &binding.associated_data(version),
            plaintext,
            &mut bytes,
        )?;
        Ok(Sealed { bytes, version })
    }

    /// Opens a value sealed for the place `binding` names. The plaintext is wiped from memory when
    /// the returned buffer is dropped.
    ///
    /// Fails with [`CryptoError::KeyVersionMismatch`] if the value was sealed under another version
    /// of the data key, and with [`CryptoError::OpenFailed`] if it was sealed with another key, for
    /// another place, or altered.
    pub fn open(
        &self,
        sealed: &Sealed,
        binding: &Binding,
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        if sealed.version != self.version() {
            return Err(CryptoError::KeyVersionMismatch {
                sealed: sealed.version,
                given: self.version(),
            });
        }
        let place = (binding.table, binding.column, binding.row);
        if let Some(plaintext) = self.opened().get(place, &sealed.bytes) {
            return Ok(plaintext);
        }
        let body = sealed.bytes.get(HEADER_LEN..).unwrap_or_default();
        let plaintext = xchacha::open_body(
            self.secret(),
            &binding.associated_data(sealed.version),
            body,
        )
        .map_err(|_| CryptoError::OpenFailed)?;
        self.opened().remember(place, &sealed.bytes, &plaintext);
        Ok(plaintext)
    }

    /// Seals text; see [`DataKey::seal`].
    pub fn seal_str(&self, plaintext: &str, binding: &Binding) -> Result<Sealed, CryptoError> {
        self.seal(plaintext.as_bytes(), binding)
    }

    /// Opens a value sealed by [`DataKey::seal_str`]. The text comes back as a [`SecretString`]:
    /// redacted in `Debug`, wiped on drop, read with `expose_secret()`.
    pub fn open_str(
        &self,
        sealed: &Sealed,
        binding: &Binding,
    ) -> Result<SecretString, CryptoError> {
        let plaintext = self.open(sealed, binding)?;
        let text = std::str::from_utf8(&plaintext).map_err(|_| CryptoError::NotText)?;
        Ok(SecretString::from(text))
    }

    /// Seals an optional value: `None` stays `None` (a missing value is stored as SQL `NULL`, which
    /// reveals only that it is missing).
    pub fn seal_opt_str(
        &self,
        plaintext: Option<&str>,
        binding: &Binding,
    ) -> Result<Option<Sealed>, CryptoError> {
        plaintext
            .map(|text| self.seal_str(text, binding))
            .transpose()
    }

    /// Opens an optional value sealed by [`DataKey::seal_opt_str`].
    pub fn open_opt_str(
        &self,
        sealed: Option<&Sealed>,
        binding: &Binding,
    ) -> Result<Option<SecretString>, CryptoError> {
        sealed
            .map(|sealed| self.open_str(sealed, binding))
            .transpose()
    }
}

#[cfg(test)]
mod tests;
