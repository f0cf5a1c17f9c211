//! Sensate's backup file: a database snapshot, encrypted and authenticated, that only the key file
//! from when it was made can open.
//!
//! `sensate backup` takes a consistent snapshot of the database (for SQLite, `VACUUM INTO` a
//! temporary file) and hands it to [`write_backup`]; `sensate restore` hands the backup to
//! [`read_backup`], which writes the snapshot to a temporary file that the binary checks (integrity,
//! audit chain) before moving it into place. This crate is only the file format and its reader and
//! writer: it knows nothing of SQLite, paths or the command line.
//!
//! The shape, and why (the bytes are in `docs/backup.md`):
//!
//! - A backup is never a plain database file. Each backup has its own random **file key**, stored in
//!   the header wrapped by the key file's active KEK ([`sensate_crypto::WrappedFileKey`]), so a
//!   backup is useless without the key file, keeps opening after a rotation as long as the key file
//!   still holds that KEK, and never needs the key file itself inside it.
//! - The body is the **STREAM** construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over
//!   XChaCha20-Poly1305 in 64 KiB chunks: each chunk's nonce holds its position and whether it is the
//!   last, so a chunk that is changed, dropped, repeated, moved or cut off is found, and so is a
//!   missing end. Memory stays at one chunk whatever the database's size.
//! - The whole **header is authenticated** twice over: it is the context the file key is wrapped
//!   with, and the associated data of every chunk. A SHA-256 checksum at its end (not a security
//!   measure) only lets a reader tell a damaged header from a wrong key file.
//! - Failures are **told apart** for the operator ([`BackupError`]): not a backup, cut off
//!   (truncated), changed or damaged (altered), made under a key the key file lacks, or another
//!   installation's key file.
//!
//! ```
//! use sensate_backup::{Backend, BackupMeta, read_backup, read_header, write_backup};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let key_file = sensate_crypto::KeyFile::open_or_create(dir.path().join("sensate.key"))?;
//! let snapshot = b"SQLite format 3\0...".as_slice();
//! let meta = BackupMeta::new(
//!     time::OffsetDateTime::now_utc(),
//!     Backend::Sqlite,
//!     "sensate 0.1.0",
//!     snapshot.len() as u64,
//! )?;
//!
//! let mut backup = Vec::new();
//! write_backup(snapshot, &mut backup, &key_file, &meta, |_written| {})?;
//! assert_eq!(read_header(backup.as_slice())?.meta(), &meta);
//!
//! let mut restored = Vec::new();
//! read_backup(backup.as_slice(), &mut restored, &key_file, |_read| {})?;
//! assert_eq!(restored, snapshot);
//! # Ok(()) }
//! ```

mod error;
mod header;
mod meta;
mod read;
mod stream;
mod write;

pub use error::BackupError;
pub use header::{BackupHeader, read_header};
pub use meta::{Backend, BackupMeta};
pub use read::read_backup;
pub use write::{BackupSummary, write_backup};
