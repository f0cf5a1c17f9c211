//! Data keys: the per-practice keys that seal clinical fields.
//!
//! Each practice has its own random 256-bit data key, so one practice's data can be exported,
//! deleted or re-keyed without touching another's. A data key is stored only wrapped by a
//! key-encryption key (see [`crate::envelope`]); in memory it lives in a wiped-on-drop box. Each data
//! key has a version, recorded in every value it seals, so that a practice can one day move to a new
//! data key while values sealed under the old one are re-sealed; until then every practice uses
//! [`DataKeyVersion::FIRST`].

use std::fmt;

use secrecy::ExposeSecret;

use crate::error::CryptoError;
use crate::opened::Opened;
use crate::xchacha::{KEY_LEN, SecretKey, random_key};

/// Which of a practice's data keys sealed a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataKeyVersion(u32);

impl DataKeyVersion {
    /// The version of a practice's first data key.
    pub const FIRST: Self = Self(1);

    /// A version from its number, as stored beside a practice's wrapped key.
    #[must_use]
    pub const fn new(version: u32) -> Self {
        Self(version)
    }

    /// The version as a number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for DataKeyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A practice's data key, unwrapped, ready to seal and open fields.
///
/// Made by [`DataKey::generate`] when a practice is created, or by unwrapping the stored
/// [`crate::WrappedKey`]. The key bytes are wiped when it is dropped and never shown by `Debug`.
/// Sealing lives in [`crate::sealed`], lookup digests in [`crate::lookup`].
#[derive(Debug)]
pub struct DataKey {
    version: DataKeyVersion,
    key: SecretKey,
    opened: Opened,
}

impl DataKey {
    /// A fresh random data key with this version.
    pub fn generate(version: DataKeyVersion) -> Result<Self, CryptoError> {
        Ok(Self {
            version,
            key: random_key()?,
            opened: Opened::default(),
        })
    }

    pub(crate) fn from_secret(version: DataKeyVersion, key: SecretKey) -> Self {
        Self {
            version,
            key,
            opened: Opened::default(),
        }
    }

    /// The memory of values this key has opened (see the `opened` module).
    pub(crate) fn opened(&self) -> &Opened {
        &self.opened
    }

    /// This key's version.
    #[must_use]
    pub fn version(&self) -> DataKeyVersion {
        self.version
    }

    pub(crate) fn secret(&self) -> &[u8; KEY_LEN] {
        self.key.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_generated_keys_differ() {
        let first = DataKey::generate(DataKeyVersion::FIRST).unwrap();
        let second = DataKey::generate(DataKeyVersion::FIRST).unwrap();
        assert_ne!(first.secret(), second.secret());
    }

    #[test]
    fn debug_output_shows_the_version_but_never_the_key_bytes() {
        let key = DataKey::generate(DataKeyVersion::new(7)).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.contains("DataKeyVersion(7)"), "{shown}");
        assert!(shown.contains("REDACTED"), "{shown}");
        assert!(!shown.contains(&format!("{:?}", &key.secret()[..8])));
    }
}
