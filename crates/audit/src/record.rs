//! The stored row: an event, numbered, timed and linked into the chain.
//!
//! Only [`AuditChain::append`](crate::AuditChain::append) makes a record that verifies. The
//! fields are public so the storage layer can write each to its column, read it back, and
//! filter on it for the owner's view of the trail; a record built or changed by hand simply
//! fails verification.

use crate::{AuditEvent, ChainHash, ChainPosition, RecordedAt};

/// One row of the audit trail, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditRecord {
    /// Position in the trail: 1 for the first row, then one more for each row, with no gaps.
    pub seq: u64,
    /// When it was recorded (UTC, to the microsecond). Not necessarily increasing across
    /// processes whose clocks differ: `seq` is the order.
    pub recorded_at: RecordedAt,
    /// What happened.
    pub event: AuditEvent,
    /// The previous row's hash ([`ChainHash::GENESIS`] for row 1).
    pub prev_hash: ChainHash,
    /// This row's hash, over `prev_hash` and every field above.
    pub hash: ChainHash,
}

impl AuditRecord {
    /// The position of the chain once this row is its last: the next row is appended here.
    pub fn position(&self) -> ChainPosition {
        ChainPosition {
            seq: self.seq,
            hash: self.hash,
        }
    }
}
