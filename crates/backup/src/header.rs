//! The backup's header: what the file is, what it holds, and its file key, wrapped.
//!
//! Version 1 is 204 bytes at fixed offsets (byte by byte in `docs/backup.md`):
//!
//! ```text
//! magic "SENSATE-BACKUP\0" (15) | format version = 1 (1) | header length = 204 (u32)
//! | created at, µs since 1970 UTC (i64) | plaintext length (u64)
//! | backend, NUL-padded (8) | producer, NUL-padded (32) | STREAM nonce prefix (19)
//! | wrapped file key (77) | SHA-256 of all the bytes before it (32)
//! ```
//!
//! Fixed offsets mean no damaged length field can make the reader take body bytes for header bytes,
//! so a file cut inside the header is surely cut off. The file key is wrapped with every field before
//! it as context, and every chunk has the whole header as associated data, so no field can change
//! unnoticed once the key file is at hand. The checksum adds no security (anyone can recompute it):
//! it lets [`read_header`] report accidental damage as damage, where a failed unwrap could only say
//! "wrong key file or changed".
//!
//! Two things stay the same in every future version, so a reader can tell a newer format from a
//! damaged version byte: the first 20 bytes (magic, version, header length up to 64 KiB) and the
//! SHA-256 of the rest of the header in its last 32 bytes.

use std::fmt;
use std::io::Read;

use sensate_crypto::{CryptoError, FileKey, KekId, KeyFile, WrappedFileKey};
use sha2::{Digest, Sha256};

use crate::error::{BackupError, io_error};
use crate::meta::{
    BACKEND_NAME_MAX_LEN, Backend, BackupMeta, PRODUCER_MAX_LEN, created_at_from_micros, is_label,
};
use crate::stream::{Chunks, NONCE_PREFIX_LEN, read_full};

/// Every backup starts with these bytes.
const MAGIC: &[u8; 15] = b"SENSATE-BACKUP\0";
/// The format version this crate writes and reads.
const FORMAT_V1: u8 = 1;
/// Magic, version and header length: the part every version shares.
const PREAMBLE_LEN: usize = MAGIC.len() + 1 + 4;
/// Where the wrapped file key starts; everything before it is the key's wrapping context.
const WRAPPED_KEY_AT: usize =
    PREAMBLE_LEN + 8 + 8 + BACKEND_NAME_MAX_LEN + PRODUCER_MAX_LEN + NONCE_PREFIX_LEN;
/// Where the checksum starts.
const CHECKSUM_AT: usize = WRAPPED_KEY_AT + WrappedFileKey::LEN;
const CHECKSUM_LEN: usize = 32;
/// The length of a version-1 header.
const HEADER_LEN: usize = CHECKSUM_AT + CHECKSUM_LEN;
/// The longest header any version may have, so that a damaged length never makes a reader
/// allocate much.
const MAX_HEADER_LEN: usize = 64 * 1024;
/// What the file key is wrapped for, so that it can never unwrap as any other kind of key.
const KEY_PURPOSE: &str = "sensate/backup-file-key";

// The layout in `docs/backup.md`; changing any of these is a new format version.
const _: () = assert!(WRAPPED_KEY_AT == 95);
const _: () = assert!(CHECKSUM_AT == 172);
const _: () = assert!(HEADER_LEN == 204);

/// A backup's header, read (and checked against its checksum) but not yet authenticated.
///
/// [`read_header`] gives one without the key file, to show what a backup is before restoring it.
/// Nothing in it is authenticated until [`crate::read_backup`] has opened the backup: someone who
/// changed the file on purpose could have made it say anything.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupHeader {
    bytes: [u8; HEADER_LEN],
    meta: BackupMeta,
    nonce_prefix: [u8; NONCE_PREFIX_LEN],
    wrapped_key: WrappedFileKey,
    chunks: Chunks,
}

impl BackupHeader {
    /// The backup's description.
    #[must_use]
    pub fn meta(&self) -> &BackupMeta {
        &self.meta
    }

    /// The key-encryption key the backup was made under: the key file must still hold it.
    #[must_use]
    pub fn kek_id(&self) -> KekId {
        self.wrapped_key.kek_id()
    }

    /// The backup's format version.
    #[must_use]
    pub fn format_version(&self) -> u8 {
        FORMAT_V1
    }

    /// The length the whole backup file has, header and body, if nothing was cut off or added.
    #[must_use]
    pub fn backup_len(&self) -> u64 {
        HEADER_LEN as u64 + self.chunks.ciphertext_len()
    }

    /// A header for a new backup described by `meta`, and the fresh file key it holds wrapped under
    /// the key file's newest KEK.
    pub(crate) fn create(
        meta: &BackupMeta,
        key_file: &KeyFile,
    ) -> Result<(FileKey, Self), BackupError> {
        let chunks = Chunks::new(meta.plaintext_len()).ok_or(BackupError::InvalidMeta {
            reason: "the database is larger than a backup can hold (256 TiB)",
        })?;
        let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
        getrandom::fill(&mut nonce_prefix).map_err(BackupError::Randomness)?;

        let mut bytes = [0u8; HEADER_LEN];
        let mut fields = Fields::new(bytes.as_mut_slice());
        fields.put(MAGIC);
        fields.put(&[FORMAT_V1]);
        fields.put(&(HEADER_LEN as u32).to_be_bytes());
        fields.put(&meta.created_at_micros().to_be_bytes());
        fields.put(&meta.plaintext_len().to_be_bytes());
        fields.put(&padded::<BACKEND_NAME_MAX_LEN>(meta.backend().name()));
        fields.put(&padded::<PRODUCER_MAX_LEN>(meta.producer()));
        fields.put(&nonce_prefix);

        let key = FileKey::generate().map_err(BackupError::KeyFile)?;
        let (context, rest) = bytes.split_at_mut(WRAPPED_KEY_AT);
        let wrapped_key = key_file
            .wrap_file_key(&key, KEY_PURPOSE, context)
            .map_err(BackupError::KeyFile)?;
        let (wrapped, _) = rest.split_at_mut(WrappedFileKey::LEN);
        wrapped.copy_from_slice(wrapped_key.as_bytes());
        let (summed, checksum) = bytes.split_at_mut(CHECKSUM_AT);
        checksum.copy_from_slice(&checksum_of(summed));

        let header = Self {
            bytes,
            meta: meta.clone(),
            nonce_prefix,
            wrapped_key,
            chunks,
        };
        Ok((key, header))
    }

    /// Unwraps the file key with the key file; this authenticates every header field.
    pub(crate) fn unwrap_key(&self, key_file: &KeyFile) -> Result<FileKey, BackupError> {
        let kek_id = self.kek_id();
        let context = self.bytes.get(..WRAPPED_KEY_AT).unwrap_or_default();
        match key_file.unwrap_file_key(&self.wrapped_key, KEY_PURPOSE, context) {
            Ok(key) => Ok(key),
            Err(CryptoError::UnknownKek { .. }) => Err(BackupError::MissingKey { kek_id }),
            Err(CryptoError::FileKeyUnwrapFailed) => Err(BackupError::WrongKey { kek_id }),
            Err(other) => Err(BackupError::KeyFile(other)),
        }
    }

    /// The header's bytes: written first, and the associated data of every chunk.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn nonce_prefix(&self) -> [u8; NONCE_PREFIX_LEN] {
        self.nonce_prefix
    }

    pub(crate) fn chunks(&self) -> Chunks {
        self.chunks
    }
}

impl fmt::Debug for BackupHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupHeader")
            .field("meta", &self.meta)
            .field("kek_id", &self.kek_id())
            .finish_non_exhaustive()
    }
}

/// Reads a backup's header, to show what it holds before restoring it. Needs no key file, and
/// leaves `input` just after the header.
///
/// Fails with [`BackupError::Empty`], [`BackupError::NotABackup`], [`BackupError::Truncated`] (the
/// file ends inside the header), [`BackupError::Altered`] (the header is damaged),
/// [`BackupError::UnsupportedVersion`] or [`BackupError::UnsupportedBackend`]. See [`BackupHeader`]
/// for what a header that reads can still not be trusted with.
pub fn read_header(mut input: impl Read) -> Result<BackupHeader, BackupError> {
    let read = || io_error("read the backup");
    let mut bytes = [0u8; HEADER_LEN];
    let (preamble, rest) = bytes.split_at_mut(PREAMBLE_LEN);
    let got = read_full(&mut input, preamble).map_err(read())?;
    if got == 0 {
        return Err(BackupError::Empty);
    }
    let seen = got.min(MAGIC.len());
    if preamble.get(..seen) != MAGIC.get(..seen) {
        return Err(BackupError::NotABackup);
    }
    if got < PREAMBLE_LEN {
        return Err(BackupError::Truncated);
    }
    let mut fields = Fields::new(&*preamble);
    let _magic = fields.take::<15>();
    let [version] = fields.take::<1>();
    let header_len = u32::from_be_bytes(fields.take::<4>());
    if version != FORMAT_V1 {
        return Err(newer_or_damaged(version, header_len, preamble, input));
    }
    if header_len != HEADER_LEN as u32 {
        return Err(BackupError::Altered);
    }
    if read_full(&mut input, rest).map_err(read())? < rest.len() {
        return Err(BackupError::Truncated);
    }
    let (summed, checksum) = bytes.split_at(CHECKSUM_AT);
    if checksum != checksum_of(summed) {
        return Err(BackupError::Altered);
    }
    parse_v1(bytes)
}

/// Reads the fields of a version-1 header whose checksum matched. A field no writer could have made
/// means the header was changed on purpose (with the checksum recomputed).
fn parse_v1(bytes: [u8; HEADER_LEN]) -> Result<BackupHeader, BackupError> {
    let mut fields = Fields::new(&bytes);
    let _preamble = fields.take::<PREAMBLE_LEN>();
    let created_at = created_at_from_micros(i64::from_be_bytes(fields.take::<8>()))
        .ok_or(BackupError::Altered)?;
    let plaintext_len = u64::from_be_bytes(fields.take::<8>());
    let chunks = Chunks::new(plaintext_len).ok_or(BackupError::Altered)?;
    let backend_name = unpadded(&fields.take::<BACKEND_NAME_MAX_LEN>())?;
    let backend = Backend::from_name(&backend_name)
        .ok_or(BackupError::UnsupportedBackend { name: backend_name })?;
    let producer = unpadded(&fields.take::<PRODUCER_MAX_LEN>())?;
    let nonce_prefix = fields.take::<NONCE_PREFIX_LEN>();
    let wrapped_key = WrappedFileKey::from_bytes(&fields.take::<{ WrappedFileKey::LEN }>())
        .map_err(|_| BackupError::Altered)?;
    Ok(BackupHeader {
        bytes,
        meta: BackupMeta::from_header(created_at, backend, producer, plaintext_len),
        nonce_prefix,
        wrapped_key,
        chunks,
    })
}

/// The error for a header naming a version other than 1: [`BackupError::UnsupportedVersion`] if the
/// header is whole and matches its checksum (it was written by a newer Sensate), else the version
/// byte itself is most likely damaged.
fn newer_or_damaged(
    version: u8,
    header_len: u32,
    preamble: &[u8],
    mut input: impl Read,
) -> BackupError {
    let Some(rest_len) = usize::try_from(header_len)
        .ok()
        .filter(|len| (PREAMBLE_LEN + CHECKSUM_LEN..=MAX_HEADER_LEN).contains(len))
        .map(|len| len - PREAMBLE_LEN)
    else {
        return BackupError::Altered;
    };
    let mut rest = vec![0u8; rest_len];
    match read_full(&mut input, &mut rest) {
        Err(error) => return io_error("read the backup")(error),
        Ok(got) if got < rest_len => return BackupError::Truncated,
        Ok(_) => {}
    }
    let Some((summed_rest, checksum)) = rest.split_last_chunk::<CHECKSUM_LEN>() else {
        return BackupError::Altered;
    };
    let mut hasher = Sha256::new();
    hasher.update(preamble);
    hasher.update(summed_rest);
    if hasher.finalize().as_slice() == checksum {
        BackupError::UnsupportedVersion { version }
    } else {
        BackupError::Altered
    }
}

fn checksum_of(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    Sha256::digest(bytes).into()
}

/// `text` followed by NUL bytes up to `N` bytes. `text` was checked to fit.
fn padded<const N: usize>(text: &str) -> [u8; N] {
    let mut field = [0u8; N];
    for (slot, byte) in field.iter_mut().zip(text.bytes()) {
        *slot = byte;
    }
    field
}

/// The text in a NUL-padded field; [`BackupError::Altered`] unless it is 1 or more printable ASCII
/// characters followed only by NULs.
fn unpadded(field: &[u8]) -> Result<String, BackupError> {
    let len = field
        .iter()
        .position(|&byte| byte == 0)
        .unwrap_or(field.len());
    let (text, padding) = field.split_at(len);
    let text = std::str::from_utf8(text).map_err(|_| BackupError::Altered)?;
    if padding.iter().any(|&byte| byte != 0) || !is_label(text, field.len()) {
        return Err(BackupError::Altered);
    }
    Ok(text.to_owned())
}

/// Fixed-size fields written to or read from a buffer in order.
struct Fields<B> {
    buf: B,
    at: usize,
}

impl<B> Fields<B> {
    fn new(buf: B) -> Self {
        Self { buf, at: 0 }
    }
}

impl Fields<&mut [u8]> {
    /// Writes the next field. The header layout's lengths add up to the buffer's, so every field
    /// fits (a unit test writes a whole header).
    fn put(&mut self, field: &[u8]) {
        if let Some(slot) = self.buf.get_mut(self.at..self.at + field.len()) {
            slot.copy_from_slice(field);
        }
        self.at += field.len();
    }
}

impl<B: AsRef<[u8]>> Fields<B> {
    /// Reads the next `N` bytes. The callers' lengths add up to the buffer's, so every field is
    /// there; a missing one would read as zeros and fail the checks after it.
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut field = [0u8; N];
        if let Some(bytes) = self.buf.as_ref().get(self.at..self.at + N) {
            field.copy_from_slice(bytes);
        }
        self.at += N;
        field
    }
}

#[cfg(test)]
mod tests;
