//! A key file in a private temporary directory, and backups of given bytes made with it.

use std::path::PathBuf;

use sensate_backup::{Backend, BackupError, BackupMeta, BackupSummary, read_backup, write_backup};
use sensate_crypto::KeyFile;
use tempfile::TempDir;
use time::macros::datetime;

/// The size of a chunk's plaintext, and of the header and a tag, as `docs/backup.md` gives them.
pub const CHUNK: usize = 64 * 1024;
pub const HEADER: usize = 204;
pub const TAG: usize = 16;

/// A key file where a server keeps it, in a fresh 0700 directory that is removed afterwards.
pub struct Keys {
    dir: TempDir,
    pub file: KeyFile,
}

impl Keys {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::open_or_create(dir.path().join("keys").join("sensate.key")).unwrap();
        Self { dir, file }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("keys").join("sensate.key")
    }

    /// The same key file as another process (a `sensate restore` run later) would open it.
    pub fn reopened(&self) -> KeyFile {
        KeyFile::open(self.path()).unwrap()
    }
}

pub fn meta(len: usize) -> BackupMeta {
    BackupMeta::new(
        datetime!(2026-05-01 10:00:00.000_001 UTC),
        Backend::Sqlite,
        "sensate 0.1.0",
        len as u64,
    )
    .unwrap()
}

/// `len` random bytes, like a database page nobody can guess.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

pub fn back_up_with_summary(keys: &KeyFile, snapshot: &[u8]) -> (Vec<u8>, BackupSummary) {
    let mut backup = Vec::new();
    let summary = write_backup(snapshot, &mut backup, keys, &meta(snapshot.len()), |_| {}).unwrap();
    (backup, summary)
}

pub fn back_up(keys: &KeyFile, snapshot: &[u8]) -> Vec<u8> {
    back_up_with_summary(keys, snapshot).0
}

pub fn restore(keys: &KeyFile, backup: &[u8]) -> Result<Vec<u8>, BackupError> {
    let mut restored = Vec::new();
    read_backup(backup, &mut restored, keys, |_| {})?;
    Ok(restored)
}

/// The error's variant name, for assertions that list several.
pub fn kind(error: &BackupError) -> String {
    let shown = format!("{error:?}");
    shown
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Where chunk `index` of a backup starts, counting full chunks before it.
pub fn chunk_start(index: usize) -> usize {
    HEADER + index * (CHUNK + TAG)
}
