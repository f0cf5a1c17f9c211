//! The 32-byte values the chain is made of: a row's hash, and the head's seal.
//!
//! Both are HMAC-SHA256 outputs under the audit key. They are separate types because they
//! mean different things and must never be swapped: a hash links a row to the one before
//! it, a seal vouches for the head. Both are stored as 32-byte blobs and shown as lowercase
//! hex.

use std::fmt;

use crate::InvalidField;

macro_rules! thirty_two_bytes {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name([u8; 32]);

        impl $name {
            /// Wraps 32 bytes.
            pub const fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }

            /// Reads the value back from a stored blob.
            ///
            /// # Errors
            /// [`InvalidField::HashLength`] unless `bytes` is exactly 32 bytes long.
            pub fn from_slice(bytes: &[u8]) -> Result<Self, InvalidField> {
                <[u8; 32]>::try_from(bytes)
                    .map(Self)
                    .map_err(|_| InvalidField::HashLength)
            }

            /// The bytes, for storage.
            pub const fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }
        }

        impl fmt::Display for $name {
            /// Lowercase hex, 64 characters.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }
    };
}

thirty_two_bytes!(
    /// A row's hash: `HMAC-SHA256(key, previous hash || canonical row)`.
    ChainHash
);

thirty_two_bytes!(
    /// The head's seal: `HMAC-SHA256(key, canonical head)`, so the head cannot be moved
    /// (rolled back to hide a truncated tail) without the key.
    HeadSeal
);

impl ChainHash {
    /// The "previous hash" of row 1: 32 zero bytes.
    pub const GENESIS: Self = Self([0; 32]);
}

/// Where a chain ends: the last row's sequence number and hash, or [`ChainPosition::GENESIS`]
/// for a chain with no rows. The next row is appended after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChainPosition {
    /// The last row's sequence number; 0 before the first row.
    pub seq: u64,
    /// The last row's hash; [`ChainHash::GENESIS`] before the first row.
    pub hash: ChainHash,
}

impl ChainPosition {
    /// The position of a chain with no rows: sequence 0 and the all-zero hash.
    pub const GENESIS: Self = Self {
        seq: 0,
        hash: ChainHash::GENESIS,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_shows_as_lowercase_hex() {
        let mut bytes = [0; 32];
        bytes[0] = 0xab;
        bytes[31] = 0x01;
        let shown = ChainHash::from_bytes(bytes).to_string();
        assert_eq!(shown.len(), 64);
        assert!(shown.starts_with("ab00") && shown.ends_with("0001"));
    }

    #[test]
    fn a_stored_hash_of_the_wrong_length_is_refused() {
        assert_eq!(
            ChainHash::from_slice(&[0; 31]),
            Err(InvalidField::HashLength)
        );
        assert_eq!(
            HeadSeal::from_slice(&[0; 33]),
            Err(InvalidField::HashLength)
        );
        assert_eq!(ChainHash::from_slice(&[0; 32]), Ok(ChainHash::GENESIS));
    }
}
