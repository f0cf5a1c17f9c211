//! The body of a backup: the STREAM construction over XChaCha20-Poly1305, in 64 KiB chunks.
//!
//! STREAM (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its
//! Nonce-Reuse Misuse-Resistance", CRYPTO 2015) turns one AEAD into a stream cipher that a reader
//! can check chunk by chunk with constant memory. Chunk *i* is sealed with the nonce
//!
//! ```text
//! nonce prefix (19) | i (u32, big-endian) | 1 if this is the last chunk, else 0 (1)
//! ```
//!
//! — the "STREAM BE32" layout of the RustCrypto `aead` crate's old `stream` module, which `aead` 0.6
//! no longer ships. Because the position is in the nonce, a chunk moved, repeated or dropped fails
//! to open; because the last flag is, so does a stream cut at a chunk boundary, and bytes appended
//! after the real last chunk cannot pass as more chunks. Every chunk also carries the whole header as
//! associated data, binding the body to it.
//!
//! Every chunk but the last holds exactly 64 KiB of plaintext; the last holds the rest, from 0 bytes
//! (only for an empty snapshot) to 64 KiB. The header records the plaintext length, so the chunks'
//! sizes are known before the first is read.

use std::io::{self, Read};

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use sensate_crypto::FileKey;
use sensate_crypto::secrecy::ExposeSecret;

use crate::error::BackupError;

/// Plaintext bytes in every chunk but the last.
pub(crate) const CHUNK_LEN: usize = 64 * 1024;
/// Length of the Poly1305 tag after each chunk.
pub(crate) const TAG_LEN: usize = 16;
/// Length of the random prefix of every chunk's nonce.
pub(crate) const NONCE_PREFIX_LEN: usize = 19;
/// A 32-bit chunk counter allows 2^32 chunks.
const MAX_CHUNKS: u64 = 1 << 32;
/// The longest snapshot a backup can hold: 2^32 chunks of 64 KiB, 256 TiB.
pub(crate) const MAX_PLAINTEXT_LEN: u64 = MAX_CHUNKS * CHUNK_LEN as u64;

/// One chunk's place in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Its position, from 0.
    pub(crate) index: u32,
    /// Its plaintext length (the ciphertext is [`TAG_LEN`] longer).
    pub(crate) len: usize,
    /// Whether it is the last.
    pub(crate) last: bool,
}

/// How a snapshot of a given length is cut into chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chunks {
    plaintext_len: u64,
    last_index: u32,
}

impl Chunks {
    /// The chunks of a snapshot of `plaintext_len` bytes; `None` above [`MAX_PLAINTEXT_LEN`].
    pub(crate) fn new(plaintext_len: u64) -> Option<Self> {
        let count = plaintext_len.div_ceil(CHUNK_LEN as u64).max(1);
        let last_index = u32::try_from(count - 1).ok()?;
        Some(Self {
            plaintext_len,
            last_index,
        })
    }

    /// Every chunk, in order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Chunk> {
        let last_len = self.plaintext_len - u64::from(self.last_index) * CHUNK_LEN as u64;
        (0..=self.last_index).map(move |index| {
            let last = index == self.last_index;
            Chunk {
                index,
                // At most CHUNK_LEN, so it fits.
                len: if last { last_len as usize } else { CHUNK_LEN },
                last,
            }
        })
    }

    /// The body's length in bytes: the plaintext and one tag per chunk.
    pub(crate) fn ciphertext_len(self) -> u64 {
        self.plaintext_len + (u64::from(self.last_index) + 1) * TAG_LEN as u64
    }
}

/// The chunk cipher of one backup: its file key, nonce prefix and header.
pub(crate) struct Stream<'h> {
    cipher: XChaCha20Poly1305,
    nonce_prefix: [u8; NONCE_PREFIX_LEN],
    header: &'h [u8],
}

impl<'h> Stream<'h> {
    pub(crate) fn new(
        key: &FileKey,
        nonce_prefix: [u8; NONCE_PREFIX_LEN],
        header: &'h [u8],
    ) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.expose_secret().into()),
            nonce_prefix,
            header,
        }
    }

    fn nonce(&self, chunk: Chunk) -> [u8; 24] {
        let mut nonce = [0u8; 24];
        let (prefix, rest) = nonce.split_at_mut(NONCE_PREFIX_LEN);
        prefix.copy_from_slice(&self.nonce_prefix);
        let (counter, flag) = rest.split_at_mut(4);
        counter.copy_from_slice(&chunk.index.to_be_bytes());
        flag.fill(u8::from(chunk.last));
        nonce
    }

    /// Encrypts `chunk`'s plaintext in place and returns its tag.
    #[expect(
        clippy::expect_used,
        reason = "XChaCha20-Poly1305 refuses only messages over 256 GiB; a chunk is at most 64 KiB"
    )]
    pub(crate) fn seal(&self, chunk: Chunk, plaintext: &mut [u8]) -> [u8; TAG_LEN] {
        self.cipher
            .encrypt_inout_detached((&self.nonce(chunk)).into(), self.header, plaintext.into())
            .expect("a chunk is far below the cipher's length limit")
            .into()
    }

    /// Decrypts `chunk`'s ciphertext in place if it and `tag` are what [`Stream::seal`] made for this
    /// position, header and key; otherwise the backup was altered.
    pub(crate) fn open(
        &self,
        chunk: Chunk,
        ciphertext: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), BackupError> {
        self.cipher
            .decrypt_inout_detached(
                (&self.nonce(chunk)).into(),
                self.header,
                ciphertext.into(),
                tag.into(),
            )
            .map_err(|_| BackupError::Altered)
    }
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read. Unlike
/// `read_exact`, it says how far it got, which tells a cut-off file from a short read.
pub(crate) fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match input.read(rest) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// Whether the input has nothing left.
pub(crate) fn at_end(input: &mut impl Read) -> io::Result<bool> {
    Ok(read_full(input, &mut [0u8; 1])? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(plaintext_len: u64) -> Vec<(u32, usize, bool)> {
        Chunks::new(plaintext_len)
            .unwrap()
            .iter()
            .map(|chunk| (chunk.index, chunk.len, chunk.last))
            .collect()
    }

    #[test]
    fn an_empty_snapshot_is_one_empty_last_chunk() {
        assert_eq!(layout(0), vec![(0, 0, true)]);
        assert_eq!(Chunks::new(0).unwrap().ciphertext_len(), 16);
    }

    #[test]
    fn a_snapshot_of_exactly_one_chunk_is_one_full_last_chunk() {
        assert_eq!(layout(65_536), vec![(0, 65_536, true)]);
    }

    #[test]
    fn one_byte_more_than_a_chunk_makes_a_last_chunk_of_one_byte() {
        assert_eq!(layout(65_537), vec![(0, 65_536, false), (1, 1, true)]);
        assert_eq!(Chunks::new(65_537).unwrap().ciphertext_len(), 65_537 + 32);
    }

    #[test]
    fn the_largest_snapshot_uses_every_counter_value_and_no_more() {
        let chunks = Chunks::new(MAX_PLAINTEXT_LEN).unwrap();
        assert_eq!(chunks.last_index, u32::MAX);
        assert_eq!(chunks.ciphertext_len(), MAX_PLAINTEXT_LEN + (1 << 32) * 16);
        assert!(Chunks::new(MAX_PLAINTEXT_LEN + 1).is_none());
    }

    #[test]
    fn a_nonce_is_the_prefix_the_counter_and_the_last_flag() {
        let key = FileKey::generate().unwrap();
        let stream = Stream::new(&key, [0xAA; NONCE_PREFIX_LEN], b"header");
        let nonce = stream.nonce(Chunk {
            index: 0x0102_0304,
            len: 0,
            last: true,
        });
        let mut expected = [0xAA; 24];
        expected[19..].copy_from_slice(&[1, 2, 3, 4, 1]);
        assert_eq!(nonce, expected);
    }

    #[test]
    fn a_chunk_opens_only_at_its_own_position_with_its_own_last_flag() {
        let key = FileKey::generate().unwrap();
        let stream = Stream::new(&key, [7; NONCE_PREFIX_LEN], b"header");
        let sealed_as = Chunk {
            index: 3,
            len: 5,
            last: false,
        };
        let mut body = *b"hello";
        let tag = stream.seal(sealed_as, &mut body);
        for opened_as in [
            Chunk {
                index: 4,
                ..sealed_as
            },
            Chunk {
                last: true,
                ..sealed_as
            },
        ] {
            let mut copy = body;
            assert!(stream.open(opened_as, &mut copy, &tag).is_err());
        }
        stream.open(sealed_as, &mut body, &tag).unwrap();
        assert_eq!(&body, b"hello");
    }

    #[test]
    fn reading_stops_at_the_end_of_the_input_and_says_how_far_it_got() {
        let mut input: &[u8] = b"abc";
        let mut buf = [0u8; 5];
        assert_eq!(read_full(&mut input, &mut buf).unwrap(), 3);
        assert!(at_end(&mut input).unwrap());
    }
}
