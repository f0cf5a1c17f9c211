//! The chain: appending events and sealing the head under the audit key.
//!
//! `hash = HMAC-SHA256(key, prev_hash || canonical_row)`, where row 1's `prev_hash` is 32
//! zero bytes. A plain hash would let anyone who can write to the database edit a row and
//! recompute every hash after it; with a MAC they also need the key, which lives in the key
//! file outside the database and its backups. The head's seal is `HMAC-SHA256(key,
//! canonical_head)` under the same key.

use std::borrow::Borrow;
use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::encoding::{canonical_head, canonical_row};
use crate::{
    AppendError, AuditEvent, AuditRecord, ChainBreak, ChainHash, ChainPosition, HeadSeal,
    RecordedAt, SealedHead, VerifiedChain, Verifier,
};

/// The largest sequence number: the largest value of a signed 64-bit database column.
const LAST_SEQ: u64 = i64::MAX.unsigned_abs();

/// The audit chain under one key: appends rows, seals the head, verifies a trail.
///
/// Holds the key (as a keyed HMAC state) and nothing else, so one value serves every request.
#[derive(Clone)]
pub struct AuditChain {
    keyed: Hmac<Sha256>,
}

impl AuditChain {
    /// The chain under the given 32-byte audit key.
    ///
    /// The key must come from the key file outside the database (derived for this one
    /// purpose, not shared with data sealing), and must stay the same for the life of the
    /// trail: rows written under one key do not verify under another.
    pub fn new(key: &[u8; 32]) -> Self {
        #[expect(
            clippy::expect_used,
            reason = "HMAC takes a key of any length (RFC 2104 hashes or pads it), so \
                      `new_from_slice` cannot fail; hmac's own `KeyInit::new` relies on the same"
        )]
        let keyed = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
        Self { keyed }
    }

    /// Appends an event after `after` (the last row's position, or [`ChainPosition::GENESIS`]
    /// for the first row), recorded at `at`.
    ///
    /// The storage layer must read `after` from the head under a lock and write the returned
    /// record and [`seal`](Self::seal)`(record.position())` in the same transaction, or two
    /// writers could fork the chain (see `docs/audit.md`).
    ///
    /// # Errors
    /// [`AppendError::TrailFull`] if `after.seq` is already the largest sequence number.
    pub fn append(
        &self,
        after: ChainPosition,
        event: AuditEvent,
        at: RecordedAt,
    ) -> Result<AuditRecord, AppendError> {
        let seq = after
            .seq
            .checked_add(1)
            .filter(|&seq| seq <= LAST_SEQ)
            .ok_or(AppendError::TrailFull)?;
        let hash = self.row_hash(after.hash, seq, &at, &event);
        Ok(AuditRecord {
            seq,
            recorded_at: at,
            event,
            prev_hash: after.hash,
            hash,
        })
    }

    /// Seals a head at `position`, for the head row.
    pub fn seal(&self, position: ChainPosition) -> SealedHead {
        let seal = self
            .keyed
            .clone()
            .chain_update(canonical_head(position))
            .finalize()
            .into_bytes();
        SealedHead {
            seq: position.seq,
            hash: position.hash,
            seal: HeadSeal::from_bytes(seal.into()),
        }
    }

    /// The position a stored head vouches for, if its seal is good. Read the head this way
    /// before appending, so a tampered head is refused rather than extended.
    ///
    /// # Errors
    /// [`ChainBreak::HeadForged`] if the seal does not match (the head was altered, or the key
    /// is not the one the trail was written with).
    pub fn open_head(&self, head: &SealedHead) -> Result<ChainPosition, ChainBreak> {
        if self.head_is_authentic(head) {
            Ok(head.position())
        } else {
            Err(ChainBreak::HeadForged)
        }
    }

    /// A verifier for a trail whose stored head is `head` (`None` if there is no head row),
    /// to be fed the rows one at a time; see [`Verifier`].
    pub fn verifier(&self, head: Option<SealedHead>) -> Verifier<'_> {
        Verifier::new(self, head)
    }

    /// Verifies a whole trail: `records` in stored order (read them `ORDER BY seq`), and the
    /// stored head. Streams: memory does not grow with the trail.
    ///
    /// # Errors
    /// The first [`ChainBreak`] found, naming the first bad row where there is one.
    pub fn verify<I>(
        &self,
        records: I,
        head: Option<&SealedHead>,
    ) -> Result<VerifiedChain, ChainBreak>
    where
        I: IntoIterator,
        I::Item: Borrow<AuditRecord>,
    {
        let mut verifier = self.verifier(head.copied());
        for record in records {
            verifier.check(record.borrow())?;
        }
        verifier.finish()
    }

    /// Whether a record's hash is the one its contents and previous hash give under this key.
    pub(crate) fn is_authentic(&self, record: &AuditRecord) -> bool {
        self.row_mac(
            record.prev_hash,
            record.seq,
            &record.recorded_at,
            &record.event,
        )
        .verify_slice(record.hash.as_bytes())
        .is_ok()
    }

    /// Whether a head's seal is the one its position gives under this key.
    pub(crate) fn head_is_authentic(&self, head: &SealedHead) -> bool {
        self.keyed
            .clone()
            .chain_update(canonical_head(head.position()))
            .verify_slice(head.seal.as_bytes())
            .is_ok()
    }

    fn row_hash(
        &self,
        prev: ChainHash,
        seq: u64,
        at: &RecordedAt,
        event: &AuditEvent,
    ) -> ChainHash {
        let hash = self.row_mac(prev, seq, at, event).finalize().into_bytes();
        ChainHash::from_bytes(hash.into())
    }

    fn row_mac(
        &self,
        prev: ChainHash,
        seq: u64,
        at: &RecordedAt,
        event: &AuditEvent,
    ) -> Hmac<Sha256> {
        self.keyed
            .clone()
            .chain_update(prev.as_bytes())
            .chain_update(canonical_row(seq, at, event))
    }
}

impl fmt::Debug for AuditChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditChain { key: <redacted> }")
    }
}
