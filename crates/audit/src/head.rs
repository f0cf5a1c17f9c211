//! The head: a separate, sealed note of where the chain ends, against truncation.
//!
//! Deleting the last rows of a hash chain leaves a shorter chain that still verifies. So
//! the storage layer keeps a single head row, updated in the same transaction as every
//! append, holding the last sequence number and hash with a seal (a MAC under the audit
//! key). Verification compares the last row with the head: a truncated tail leaves the head
//! ahead of the rows, and moving the head back needs the key.
//!
//! What the head cannot catch: someone who saved an old copy of both the rows and the head
//! can put both back together, and they match. Only a copy of the head kept elsewhere (an
//! exported checkpoint) catches that; see `docs/audit.md`.

use crate::{ChainHash, ChainPosition, HeadSeal};

/// The stored head row: where the chain ends, sealed under the audit key.
///
/// Made by [`AuditChain::seal`](crate::AuditChain::seal), checked by
/// [`AuditChain::open_head`](crate::AuditChain::open_head) and by verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SealedHead {
    /// The last row's sequence number (0 for a chain with no rows).
    pub seq: u64,
    /// The last row's hash ([`ChainHash::GENESIS`] for a chain with no rows).
    pub hash: ChainHash,
    /// `HMAC-SHA256(key, canonical head)`.
    pub seal: HeadSeal,
}

impl SealedHead {
    /// The position the head claims, whether or not its seal is good.
    pub fn position(&self) -> ChainPosition {
        ChainPosition {
            seq: self.seq,
            hash: self.hash,
        }
    }
}
