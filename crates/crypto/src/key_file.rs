//! The key file: the key ring on disk, outside the database and its backups.
//!
//! A stolen database file or backup must reveal nothing, so the keys that unwrap the practices' data
//! keys live in a separate file at a path the binary chooses (for example `DATA_DIR/keys/sensate.key`).
//! This module is everything about that file:
//!
//! - **Permissions.** Created with mode 0600 from the start (and its directory 0700 if we create it);
//!   loading refuses a file that group or others may read or write, or a directory they may write,
//!   with a message that says which `chmod` fixes it (fail closed, explain clearly).
//! - **Atomic writes.** A change is written to a temporary 0600 file in the same directory, flushed,
//!   renamed over the key file, and the directory flushed. A crash leaves either the old file or the
//!   new one, never a mixture.
//! - **One writer at a time.** Changes take an exclusive lock on a sibling `<name>.lock` file, then
//!   re-read the file, so two `rotate-key` runs cannot each add a key and lose the other's.
//! - **A running server follows changes.** [`KeyFile`] keeps the ring it last read; when it meets a
//!   wrapped key naming a KEK it does not hold, it re-reads the file once before giving up, and it
//!   re-reads before wrapping a new key, so it never wraps under a KEK a rotation is retiring.
//!
//! The text format is in [`format`].

use std::collections::BTreeSet;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use uuid::Uuid;
use zeroize::Zeroizing;

use crate::data_key::DataKey;
use crate::envelope::WrappedKey;
use crate::error::CryptoError;
use crate::file_key::{FileKey, WrappedFileKey};
use crate::kek::KekId;
use crate::key_ring::KeyRing;

mod format;

/// Larger than any real key file (a few hundred keys); refusing more avoids reading a wrong file.
const MAX_LEN: u64 = 64 * 1024;
/// Permission bits that must be clear on the key file: any access by group or others.
const FILE_FORBIDDEN_BITS: u32 = 0o077;
/// Permission bits that must be clear on its directory: writing by group or others.
const DIR_FORBIDDEN_BITS: u32 = 0o022;

/// The key file at one path, and the key ring this process last read from it.
///
/// Cheap to share: put it in an `Arc` in the application state. Its methods do blocking file I/O on
/// a file of a few hundred bytes, and only at start-up, on an unknown KEK id, when a practice is
/// created, and during rotation.
#[derive(Debug)]
pub struct KeyFile {
    path: PathBuf,
    ring: RwLock<Arc<KeyRing>>,
}

impl KeyFile {
    /// Opens the key file at `path`, creating it with one fresh KEK if it does not exist (and its
    /// directory, mode 0700, if that does not exist either). This is what a new installation calls
    /// at start-up.
    ///
    /// Only call it for a new installation: on a database that already holds wrapped keys, a missing
    /// key file is a lost key file, and a fresh one will not open anything (see `docs/encryption.md`).
    pub fn open_or_create(path: impl Into<PathBuf>) -> Result<Self, CryptoError> {
        let path = path.into();
        // An existing file is only read, so it may sit in a read-only place (a systemd credential).
        if path
            .try_exists()
            .map_err(io_error("look for the key file", &path))?
        {
            return Self::open(path);
        }
        let dir = parent_dir(&path)?;
        if !dir.exists() {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(io_error("create the key directory", &dir))?;
        }
        check_dir(&dir)?;
        let _lock = lock(&path)?;
        // Another process may have created it while we waited for the lock.
        if !path.exists() {
            let ring = KeyRing::generate()?;
            write_atomically(&path, format::render(&ring).as_bytes())?;
        }
        Self::open(path)
    }

    /// Opens an existing key file; never creates one. For commands that must not make a new key by
    /// accident (`rotate-key`, `restore`, `migrate`).
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, CryptoError> {
        let path = path.into();
        let ring = read(&path)?;
        Ok(Self {
            path,
            ring: RwLock::new(Arc::new(ring)),
        })
    }

    /// Where the key file is.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key ring as this process last read it.
    #[must_use]
    pub fn ring(&self) -> Arc<KeyRing> {
        // A poisoned lock only means another thread panicked while replacing the `Arc`, which is a
        // single store: the ring inside is whole either way.
        Arc::clone(&self.ring.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Reads the key file again and keeps the result. Returns the new ring.
    pub fn reload(&self) -> Result<Arc<KeyRing>, CryptoError> {
        let ring = Arc::new(read(&self.path)?);
        self.keep(Arc::clone(&ring));
        Ok(ring)
    }

    /// Unwraps a practice's stored data key, re-reading the key file once if the key was wrapped by a
    /// KEK this process has not seen yet (another process rotated the keys since it started).
    pub fn unwrap(&self, wrapped: &WrappedKey, practice: Uuid) -> Result<DataKey, CryptoError> {
        match self.ring().unwrap(wrapped, practice) {
            Err(CryptoError::UnknownKek { .. }) => self.reload()?.unwrap(wrapped, practice),
            result => result,
        }
    }

    /// Wraps a new practice's data key under the newest KEK in the key file, re-reading the file
    /// first so that a running server never wraps under a KEK that a rotation is about to retire.
    pub fn wrap(&self, key: &DataKey, practice: Uuid) -> Result<WrappedKey, CryptoError> {
        self.reload()?.wrap(key, practice)
    }

    /// Wraps a file key (for a backup) under the newest KEK in the key file, re-reading the file first
    /// for the same reason as [`KeyFile::wrap`]. See [`KeyRing::wrap_file_key`] for `purpose` and
    /// `context`.
    pub fn wrap_file_key(
        &self,
        key: &FileKey,
        purpose: &'static str,
        context: &[u8],
    ) -> Result<WrappedFileKey, CryptoError> {
        self.reload()?.wrap_file_key(key, purpose, context)
    }

    /// Unwraps a file key, re-reading the key file once if it was wrapped by a KEK this process has
    /// not seen yet. See [`KeyRing::unwrap_file_key`] for the errors.
    pub fn unwrap_file_key(
        &self,
        wrapped: &WrappedFileKey,
        purpose: &'static str,
        context: &[u8],
    ) -> Result<FileKey, CryptoError> {
        match self.ring().unwrap_file_key(wrapped, purpose, context) {
            Err(CryptoError::UnknownKek { .. }) => {
                self.reload()?.unwrap_file_key(wrapped, purpose, context)
            }
            result => result,
        }
    }

    /// Step 1 of a rotation: adds a fresh KEK to the key file and makes it active. Older KEKs stay,
    /// so everything wrapped under them still unwraps. Returns the new KEK's id.
    pub fn rotate(&self) -> Result<KekId, CryptoError> {
        let _lock = lock(&self.path)?;
        let mut ring = read(&self.path)?;
        let id = ring.add_kek()?;
        write_atomically(&self.path, format::render(&ring).as_bytes())?;
        self.keep(Arc::new(ring));
        Ok(id)
    }

    /// Step 3 of a rotation: removes from the key file every KEK that is not active and not in
    /// `still_referenced` (the KEK ids of every wrapped key in the database, read after re-wrapping).
    /// Returns the ids removed. The active KEK is never removed.
    pub fn retire_unreferenced(
        &self,
        still_referenced: impl IntoIterator<Item = KekId>,
    ) -> Result<Vec<KekId>, CryptoError> {
        let still_referenced: BTreeSet<KekId> = still_referenced.into_iter().collect();
        let _lock = lock(&self.path)?;
        let mut ring = read(&self.path)?;
        let retired = ring.retire_except(&still_referenced);
        if !retired.is_empty() {
            write_atomically(&self.path, format::render(&ring).as_bytes())?;
        }
        self.keep(Arc::new(ring));
        Ok(retired)
    }

    fn keep(&self, ring: Arc<KeyRing>) {
        *self.ring.write().unwrap_or_else(PoisonError::into_inner) = ring;
    }
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> Result<PathBuf, CryptoError> {
    if path.file_name().is_none() {
        return Err(CryptoError::InvalidPath {
            path: path.to_path_buf(),
        });
    }
    Ok(match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    })
}

/// A file beside `path` whose name is `path`'s with `prefix` and `suffix` added.
fn sibling(path: &Path, prefix: &str, suffix: &str) -> Result<PathBuf, CryptoError> {
    let dir = parent_dir(path)?;
    let mut name = std::ffi::OsString::from(prefix);
    name.push(path.file_name().unwrap_or_default());
    name.push(suffix);
    Ok(dir.join(name))
}

fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> CryptoError + 'a {
    move |source| CryptoError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a key directory that group or others may write to (they could replace the key file).
fn check_dir(dir: &Path) -> Result<(), CryptoError> {
    let mode = fs::metadata(dir)
        .map_err(io_error("read the key directory's permissions", dir))?
        .permissions()
        .mode();
    if mode & DIR_FORBIDDEN_BITS != 0 {
        return Err(CryptoError::KeyDirTooOpen {
            path: dir.to_path_buf(),
            mode: mode & 0o7777,
        });
    }
    Ok(())
}

/// Reads and parses the key file, refusing it if other users could read or replace it.
fn read(path: &Path) -> Result<KeyRing, CryptoError> {
    check_dir(&parent_dir(path)?)?;
    let mut file = File::open(path).map_err(io_error("open the key file", path))?;
    // Checked on the open file, so the file checked is the file read.
    let metadata = file
        .metadata()
        .map_err(io_error("read the key file's permissions", path))?;
    if !metadata.is_file() {
        return Err(CryptoError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let mode = metadata.permissions().mode();
    if mode & FILE_FORBIDDEN_BITS != 0 {
        return Err(CryptoError::KeyFileTooOpen {
            path: path.to_path_buf(),
            mode: mode & 0o7777,
        });
    }
    if metadata.len() > MAX_LEN {
        return Err(CryptoError::KeyFileMalformed {
            path: path.to_path_buf(),
            line: 0,
            reason: "it is far larger than a key file",
        });
    }
    // Room for the whole file up front, so the buffer holding keys is never reallocated.
    let capacity = usize::try_from(metadata.len()).unwrap_or(0) + 1;
    let mut text = Zeroizing::new(String::with_capacity(capacity));
    (&mut file)
        .take(MAX_LEN)
        .read_to_string(&mut text)
        .map_err(io_error("read the key file", path))?;
    format::parse(path, &text)
}

/// Takes the exclusive lock that serialises changes to the key file; released when dropped.
fn lock(path: &Path) -> Result<File, CryptoError> {
    let lock_path = sibling(path, "", ".lock")?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(io_error("open the key file's lock", &lock_path))?;
    file.lock()
        .map_err(io_error("lock the key file's lock", &lock_path))?;
    Ok(file)
}

/// Replaces the file at `path` with `contents`, so that a crash at any moment leaves either the old
/// file or the new one. The caller holds the lock.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), CryptoError> {
    let dir = parent_dir(path)?;
    let temp = sibling(path, ".", ".tmp")?;
    // A temporary file left by a crash holds keys too; it is replaced, not reused.
    match fs::remove_file(&temp) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(io_error("remove a stale temporary key file", &temp)(error));
        }
        _ => {}
    }
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
            .map_err(io_error("create a temporary key file", &temp))?;
        file.write_all(contents)
            .map_err(io_error("write the temporary key file", &temp))?;
        file.sync_all()
            .map_err(io_error("flush the temporary key file", &temp))?;
        fs::rename(&temp, path).map_err(io_error("replace the key file", path))
    })();
    if written.is_err() {
        // Best effort: the error that matters is the one being returned.
        let _ = fs::remove_file(&temp);
    }
    written?;
    File::open(&dir)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error("flush the key directory", &dir))
}

#[cfg(test)]
mod tests;
