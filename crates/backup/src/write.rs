//! Writing a backup: the header, then the snapshot sealed chunk by chunk.

use std::io::{Read, Write};

use sensate_crypto::zeroize::Zeroizing;
use sensate_crypto::{KekId, KeyFile};

use crate::error::{BackupError, io_error};
use crate::header::BackupHeader;
use crate::meta::BackupMeta;
use crate::stream::{CHUNK_LEN, Stream, at_end, read_full};

/// What [`write_backup`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupSummary {
    /// The key-encryption key the backup was made under: keep a key file holding it for as long as
    /// the backup is kept.
    pub kek_id: KekId,
    /// The snapshot's length in bytes.
    pub plaintext_len: u64,
    /// The backup's length in bytes, header included.
    pub backup_len: u64,
}

/// Writes a backup of the snapshot read from `plaintext` to `out`, under a fresh file key wrapped by
/// the key file's newest KEK (the key file is re-read first, so a rotation that just happened is
/// followed).
///
/// `meta` describes the snapshot, including its exact length: a snapshot that turns out shorter or
/// longer fails with [`BackupError::SnapshotChanged`] before the last chunk is written, so a failed
/// write never leaves a file that restores. `progress` is called after each 64 KiB chunk with the
/// number of snapshot bytes written so far (and once with 0 for an empty snapshot).
///
/// Memory use is one chunk, whatever the snapshot's size. `out` is flushed but not synced: the caller
/// syncs the file, and on any error removes it, as it is not a whole backup.
pub fn write_backup(
    mut plaintext: impl Read,
    mut out: impl Write,
    key_file: &KeyFile,
    meta: &BackupMeta,
    mut progress: impl FnMut(u64),
) -> Result<BackupSummary, BackupError> {
    let write = || io_error("write the backup");
    let read = || io_error("read the database snapshot");
    let changed = || BackupError::SnapshotChanged {
        declared: meta.plaintext_len(),
    };

    let (key, header) = BackupHeader::create(meta, key_file)?;
    out.write_all(header.as_bytes()).map_err(write())?;
    let stream = Stream::new(&key, header.nonce_prefix(), header.as_bytes());
    let mut buffer = Zeroizing::new(vec![0u8; CHUNK_LEN]);
    let mut written = 0u64;
    for chunk in header.chunks().iter() {
        // A chunk is at most CHUNK_LEN long, so this never fails.
        let Some(body) = buffer.get_mut(..chunk.len) else {
            return Err(changed());
        };
        if read_full(&mut plaintext, body).map_err(read())? < chunk.len {
            return Err(changed());
        }
        if chunk.last && !at_end(&mut plaintext).map_err(read())? {
            return Err(changed());
        }
        let tag = stream.seal(chunk, body);
        out.write_all(body).map_err(write())?;
        out.write_all(&tag).map_err(write())?;
        written += chunk.len as u64;
        progress(written);
    }
    out.flush().map_err(write())?;
    Ok(BackupSummary {
        kek_id: header.kek_id(),
        plaintext_len: meta.plaintext_len(),
        backup_len: header.backup_len(),
    })
}
