//! Restoring a backup: check the header, unwrap the file key, open the chunks in order.

use std::io::{Read, Write};

use sensate_crypto::KeyFile;
use sensate_crypto::zeroize::Zeroizing;

use crate::error::{BackupError, io_error};
use crate::header::read_header;
use crate::meta::BackupMeta;
use crate::stream::{CHUNK_LEN, Stream, TAG_LEN, at_end, read_full};

/// Reads the backup in `input`, checks every byte of it, and writes the snapshot inside to `out`.
/// Returns the backup's description, now authenticated.
///
/// **`out` may receive plaintext before the backup is found to be bad.** Chunks are written as soon
/// as each is authenticated, so that memory use stays at one chunk; a later chunk can still turn out
/// altered or missing, and then `out` holds the first part of a snapshot that must not be used. So
/// write to a temporary file (mode 0600, in the target's directory), delete it on any error, and move
/// it into place only after `Ok` and the database's own checks. `out` is flushed but not synced.
///
/// `progress` is called after each 64 KiB chunk with the number of snapshot bytes written so far;
/// [`crate::BackupHeader::meta`] gives the total beforehand.
///
/// Errors, in the order reading meets them: those of [`read_header`];
/// [`BackupError::MissingKey`] or [`BackupError::WrongKey`] if the key file cannot unwrap the file
/// key; [`BackupError::Altered`] for a chunk that fails authentication or bytes after the last
/// chunk; [`BackupError::Truncated`] if the file ends before the last chunk does.
pub fn read_backup(
    mut input: impl Read,
    mut out: impl Write,
    key_file: &KeyFile,
    mut progress: impl FnMut(u64),
) -> Result<BackupMeta, BackupError> {
    let read = || io_error("read the backup");
    let write = || io_error("write the restored database");

    let header = read_header(&mut input)?;
    let key = header.unwrap_key(key_file)?;
    let stream = Stream::new(&key, header.nonce_prefix(), header.as_bytes());
    let mut buffer = Zeroizing::new(vec![0u8; CHUNK_LEN + TAG_LEN]);
    let mut written = 0u64;
    for chunk in header.chunks().iter() {
        // A chunk is at most CHUNK_LEN long, so neither of these fails.
        let Some(sealed) = buffer.get_mut(..chunk.len + TAG_LEN) else {
            return Err(BackupError::Altered);
        };
        if read_full(&mut input, sealed).map_err(read())? < sealed.len() {
            return Err(BackupError::Truncated);
        }
        let Some((body, tag)) = sealed.split_last_chunk_mut::<TAG_LEN>() else {
            return Err(BackupError::Altered);
        };
        stream.open(chunk, body, tag)?;
        if chunk.last && !at_end(&mut input).map_err(read())? {
            return Err(BackupError::Altered);
        }
        out.write_all(body).map_err(write())?;
        written += chunk.len as u64;
        progress(written);
    }
    out.flush().map_err(write())?;
    Ok(header.meta().clone())
}
