//! Encryption at rest for Sensate: a stolen database file or backup must reveal nothing.
//!
//! Sensitive fields are sealed before they reach storage, with keys the database never holds:
//!
//! - A **key file** ([`KeyFile`]) outside the database holds one or more **key-encryption keys**
//!   (KEKs, [`KeyEncryptionKey`]) in a [`KeyRing`]; the newest is active.
//! - Each practice has a random **data key** ([`DataKey`]), stored in the database only **wrapped**
//!   by the active KEK ([`WrappedKey`]), bound to the practice's id ([`envelope`]).
//! - Each field is **sealed** with its practice's data key ([`Sealed`]), bound to its table, column,
//!   row and data key version ([`Binding`]), so it cannot be moved to another row unnoticed.
//! - Fields found by equality (a client's email) also get a keyed **lookup digest** ([`LookupKey`]).
//! - A file kept outside the database (a backup) is encrypted with its own random **file key**
//!   ([`FileKey`]), stored in the file wrapped by the active KEK ([`WrappedFileKey`]).
//! - **Rotation** adds a KEK, re-wraps every practice's data key, then retires the old KEK; see
//!   `docs/encryption.md` for the sequence and why a crash at any step loses nothing.
//!
//! Everything uses XChaCha20-Poly1305 with random 192-bit nonces. Key material and
//! opened plaintext live in wiped-on-drop buffers ([`secrecy`], [`zeroize`]) and never appear in
//! `Debug` output or error messages.
//!
//! ```
//! use sensate_crypto::{Binding, DataKey, DataKeyVersion, KeyRing};
//! use secrecy::ExposeSecret;
//! # fn main() -> Result<(), sensate_crypto::CryptoError> {
//! let ring = KeyRing::generate()?; // a server uses KeyFile::open_or_create(path) instead
//! let practice = uuid::Uuid::now_v7();
//!
//! // When the practice is created: store `wrapped.as_bytes()`.
//! let data_key = DataKey::generate(DataKeyVersion::FIRST)?;
//! let wrapped = ring.wrap(&data_key, practice)?;
//!
//! // Later: unwrap it, seal a field, open it again.
//! let data_key = ring.unwrap(&wrapped, practice)?;
//! let client = uuid::Uuid::now_v7();
//! let name = Binding::new("clients", "display_name", client);
//! let sealed = data_key.seal_str("Ana", &name)?;
//! assert_eq!(data_key.open_str(&sealed, &name)?.expose_secret(), "Ana");
//! # Ok(())
//! # }
//! ```

#[cfg(not(unix))]
compile_error!(
    "sensate-crypto protects the key file with Unix file permissions; other platforms are not supported"
);

mod data_key;
pub mod envelope;
mod error;
mod file_key;
mod kek;
mod key_file;
mod key_ring;
pub mod lookup;
mod opened;
pub mod sealed;
mod utc;
mod xchacha;

pub use data_key::{DataKey, DataKeyVersion};
pub use envelope::WrappedKey;
pub use error::CryptoError;
pub use file_key::{FileKey, WrappedFileKey};
pub use kek::{KekId, KeyEncryptionKey};
pub use key_file::KeyFile;
pub use key_ring::KeyRing;
pub use lookup::LookupKey;
pub use sealed::{Binding, Sealed};

/// Re-exported so that callers read opened text with the same `ExposeSecret` trait this crate uses.
pub use secrecy;
/// Re-exported for [`zeroize::Zeroizing`], the type opened plaintext comes back in.
pub use zeroize;
