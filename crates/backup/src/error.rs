//! The one error type of this crate, worded for the person taking or restoring a backup.
//!
//! Each message says what happened and what to do. The crate never sees the file's path, so the
//! binary puts it in front ("cannot restore from /backups/monday.sbk: the backup ends early…").
//! No message carries key bytes or database content: only key ids, versions and lengths.
//!
//! Reading goes front to back and reports the first problem it meets, so the failures are told apart
//! as precisely as the format allows (see `docs/backup.md`): a file that ends before its header says
//! it should, with every chunk before the end intact, is [`BackupError::Truncated`]; a damaged header,
//! a chunk that fails authentication (changed, moved, repeated, dropped from the middle) or bytes
//! after the last chunk is [`BackupError::Altered`]; a key file without the backup's KEK is
//! [`BackupError::MissingKey`]; one whose KEK of that id is another key is [`BackupError::WrongKey`].

use std::io;

use sensate_crypto::{CryptoError, KekId};

/// What went wrong while writing or reading a backup.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The file holds no bytes at all.
    #[error(
        "the file is empty, so it holds no backup (was it cut off while being copied?); \
         use another copy"
    )]
    Empty,

    /// The file does not start with a Sensate backup's signature.
    #[error(
        "the file is not a Sensate backup; check that the path names a file made by `sensate backup`"
    )]
    NotABackup,

    /// The backup is in a format version this version of Sensate cannot read (it was written by a
    /// newer Sensate).
    #[error(
        "the backup is in format version {version}, which this version of Sensate cannot read; \
         restore it with the Sensate release that made it, or a newer one"
    )]
    UnsupportedVersion {
        /// The format version the backup names.
        version: u8,
    },

    /// The backup holds a kind of database this version of Sensate cannot restore.
    #[error(
        "the backup holds a `{name}` database, which this version of Sensate cannot restore; \
         restore it with the Sensate release that made it, or a newer one"
    )]
    UnsupportedBackend {
        /// The database kind the backup names (printable ASCII, at most 8 characters).
        name: String,
    },

    /// The backup ends before its last chunk: the file was cut off.
    #[error(
        "the backup ends early: it was cut off while being written or copied; use another copy"
    )]
    Truncated,

    /// Some part of the backup is not what was written: changed, damaged, added to, reordered.
    #[error("the backup has been changed or damaged since it was written; use another copy")]
    Altered,

    /// The key file does not hold the key-encryption key the backup was made under (it was retired
    /// by a rotation, or this is another installation's key file).
    #[error(
        "the key file does not hold key {kek_id}, which this backup was made under; restore with \
         the key file from when the backup was made"
    )]
    MissingKey {
        /// The KEK the backup needs.
        kek_id: KekId,
    },

    /// The key file holds a key with the backup's KEK id, but it is another key.
    #[error(
        "the key file holds a key {kek_id}, but not the key {kek_id} this backup was made under: \
         the key file belongs to another installation (or the backup's header was deliberately \
         changed); restore with the key file from when the backup was made"
    )]
    WrongKey {
        /// The KEK id the backup names.
        kek_id: KekId,
    },

    /// The description given for a new backup cannot be written into its header.
    #[error("cannot describe the backup: {reason}")]
    InvalidMeta {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The snapshot given to [`crate::write_backup`] was shorter or longer than its description
    /// said. No complete backup was written.
    #[error(
        "the database snapshot did not hold exactly the {declared} bytes it was said to (it \
         changed while being read); take the backup again"
    )]
    SnapshotChanged {
        /// The length in the backup's description.
        declared: u64,
    },

    /// The key file could not be read, or another failure of the key layer (`sensate-crypto`),
    /// reported in its own words.
    #[error(transparent)]
    KeyFile(CryptoError),

    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(getrandom::Error),

    /// Reading or writing one of the streams failed.
    #[error("could not {action}: {source}")]
    Io {
        /// What we were doing, e.g. "read the backup".
        action: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
}

/// Turns an I/O error into [`BackupError::Io`] saying what was being done.
pub(crate) fn io_error(action: &'static str) -> impl FnOnce(io::Error) -> BackupError {
    move |source| BackupError::Io { action, source }
}
