//! The one error type of this crate.
//!
//! Every message is written for the person running Sensate: it says what is wrong and, where they can
//! fix it, how. No message ever carries key material, plaintext or a line of the key file — only
//! paths, key ids, versions and line numbers — so any of them may be logged. Failures that an attacker
//! could learn from (which part of a sealed value was wrong) are deliberately reported as one
//! variant, [`CryptoError::OpenFailed`].

use std::io;
use std::path::PathBuf;

use crate::data_key::DataKeyVersion;
use crate::kek::KekId;

/// What went wrong while loading keys, wrapping a data key or opening a sealed value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// A file-system operation on the key file, its directory or its lock failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What we were doing, e.g. "read the key file".
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },

    /// The key file path has no file name (e.g. `/` or `..`).
    #[error("the key file path {} does not name a file", path.display())]
    InvalidPath {
        /// The path as given.
        path: PathBuf,
    },

    /// The key file can be read or changed by users other than its owner.
    #[error(
        "the key file {path} has mode {mode:04o}, so other users can read or change it; \
         run `chmod 600 {path}` and start again",
        path = path.display()
    )]
    KeyFileTooOpen {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// The directory holding the key file can be written by users other than its owner, who could
    /// then replace the key file.
    #[error(
        "the directory {path} holding the key file has mode {mode:04o}, so other users can replace \
         the key file; run `chmod go-w {path}` and start again",
        path = path.display()
    )]
    KeyDirTooOpen {
        /// The directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// The key file path exists but is not a regular file.
    #[error("the key file {} is not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },

    /// The key file does not follow the key file format. The offending line is never quoted: it may
    /// hold a key.
    #[error("the key file {} is not valid (line {line}): {reason}", path.display())]
    KeyFileMalformed {
        /// The key file.
        path: PathBuf,
        /// The 1-based line number, or 0 for the file as a whole.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A wrapped data key or file key names a key-encryption key that is not in the key ring.
    #[error(
        "a key is wrapped by key-encryption key {id}, which is not in the key file; \
         restore the key file that holds key {id}"
    )]
    UnknownKek {
        /// The missing KEK's id.
        id: KekId,
    },

    /// A stored wrapped data key is not in the wrapped-key format.
    #[error("a stored wrapped data key is malformed: {reason}")]
    MalformedWrappedKey {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A wrapped data key failed authentication: wrong key file, wrong practice, or tampered with.
    #[error(
        "a wrapped data key failed authentication (wrong key file, another practice's key, or tampered with)"
    )]
    UnwrapFailed,

    /// A wrapped file key (for example, in a backup's header) is not in the wrapped-file-key format.
    #[error("a wrapped file key is malformed: {reason}")]
    MalformedFileKey {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A wrapped file key failed authentication: the key file's KEK with that id is another key
    /// (another installation's key file), or the key or what it was bound to was changed.
    #[error(
        "a wrapped file key failed authentication (another installation's key file, or the file \
         holding it was changed)"
    )]
    FileKeyUnwrapFailed,

    /// A stored sealed value is not in the sealed-value format.
    #[error("a stored sealed value is malformed: {reason}")]
    MalformedSealed {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A sealed value was sealed under a different version of the practice's data key.
    #[error("a sealed value needs data key version {sealed}, but version {given} was given")]
    KeyVersionMismatch {
        /// The version recorded in the sealed value.
        sealed: DataKeyVersion,
        /// The version of the key that was offered.
        given: DataKeyVersion,
    },

    /// A sealed value failed authentication: wrong key, sealed for another row, column or table, or
    /// tampered with. Which of these is deliberately not said.
    #[error(
        "a sealed value failed authentication (wrong key, another row, column or table, or tampered with)"
    )]
    OpenFailed,

    /// A value is too large to seal (XChaCha20-Poly1305 takes at most 256 GiB).
    #[error("a value is too large to seal")]
    TooLarge,

    /// A sealed value opened, but it was expected to hold text and does not hold UTF-8.
    #[error("a sealed value opened but does not hold UTF-8 text")]
    NotText,

    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(getrandom::Error),

    /// Every key-encryption key id has been used (after four billion rotations).
    #[error("no key-encryption key ids are left in the key file")]
    KekIdsExhausted,
}
