//! What verification found wrong, in words an operator can act on.
//!
//! Each variant names the first bad row (its sequence number, which is also its position in
//! a trail read `ORDER BY seq`, since every row before it verified) and what happened there.
//! The wording says what can be known and no more: a row that fails its hash "was altered",
//! because an edit and a forgery look alike without the key.

use std::fmt;

use crate::InvalidField;

/// The first thing wrong with an audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainBreak {
    /// The row at `row` no longer matches its hash: a field, its hash or its link to the
    /// previous row was changed (or it was replaced by a row written without the key).
    Altered {
        /// The first bad row.
        row: u64,
    },
    /// A row written without the key sits at `row`, and the genuine row `row` (or the head)
    /// follows it.
    Inserted {
        /// Where the inserted row sits.
        row: u64,
    },
    /// Rows `first` to `last` are not where they should be: deleted, or moved later.
    Missing {
        /// The first missing row.
        first: u64,
        /// The last missing row.
        last: u64,
    },
    /// Row `found` is stored where row `row` should be, and lower rows follow it.
    Reordered {
        /// The position where the order first breaks.
        row: u64,
        /// The row found there.
        found: u64,
    },
    /// A second copy of row `seq` sits at position `row`.
    Duplicated {
        /// Where the copy sits.
        row: u64,
        /// The row it copies.
        seq: u64,
    },
    /// Row `row` is genuine but does not follow row `row - 1`: two writers appended after the
    /// same row (a fork), or rows of another trail under the same key were mixed in.
    Forked {
        /// The first row that does not follow its predecessor.
        row: u64,
    },
    /// Neither row 1 nor the head matches the key: almost certainly the wrong key.
    WrongKey,
    /// Row `row` could not be read back into a record: a stored value breaks the rules
    /// Sensate writes by, so it was altered.
    Unreadable {
        /// The row that could not be read.
        row: u64,
        /// Which rule the stored value breaks.
        reason: InvalidField,
    },
    /// The trail ends at `last_seq` but the head says it reached `head_seq`: the tail was cut.
    Truncated {
        /// The last row present.
        last_seq: u64,
        /// The last row according to the head.
        head_seq: u64,
    },
    /// The head says the trail ends at `head_seq`, but genuine rows go on to `last_seq`: the
    /// head was put back to an older copy.
    HeadBehind {
        /// The last row according to the head.
        head_seq: u64,
        /// The last row present.
        last_seq: u64,
    },
    /// The head is genuine and at the last row's number, but records a different hash: the
    /// head belongs to a fork or to another trail under the same key.
    HeadMismatch {
        /// The last row.
        row: u64,
    },
    /// The head's seal does not match: the head was altered (perhaps rolled back), or the key
    /// is not the one the trail was written with.
    HeadForged,
    /// There are rows but no head, so a cut tail could not be noticed.
    HeadMissing {
        /// The last row present.
        last_seq: u64,
    },
}

impl ChainBreak {
    /// The sequence number of the first bad row, when the break is in the rows rather than in
    /// the head alone. For a cut tail it is the first row cut; for an old head, the first row
    /// the head does not cover.
    pub fn first_bad_row(&self) -> Option<u64> {
        match *self {
            Self::Altered { row }
            | Self::Inserted { row }
            | Self::Reordered { row, .. }
            | Self::Duplicated { row, .. }
            | Self::Forked { row }
            | Self::Unreadable { row, .. } => Some(row),
            Self::HeadMismatch { row } => Some(row).filter(|&row| row > 0),
            Self::Missing { first, .. } => Some(first),
            Self::WrongKey => Some(1),
            Self::Truncated { last_seq, .. } => Some(last_seq.saturating_add(1)),
            Self::HeadBehind { head_seq, .. } => Some(head_seq.saturating_add(1)),
            Self::HeadForged | Self::HeadMissing { .. } => None,
        }
    }
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Altered { row } => write!(
                f,
                "audit row {row} was altered after it was written: its contents no longer match its hash"
            ),
            Self::Inserted { row } => write!(
                f,
                "a row that Sensate did not write was inserted into the audit trail at row {row}"
            ),
            Self::Missing { first, last } if first == last => write!(
                f,
                "audit row {first} is missing: it was deleted (or moved later in the trail)"
            ),
            Self::Missing { first, last } => write!(
                f,
                "audit rows {first} to {last} are missing: they were deleted (or moved later in the trail)"
            ),
            Self::Reordered { row, found } => write!(
                f,
                "audit rows were reordered: row {found} is stored where row {row} should be"
            ),
            Self::Duplicated { row, seq } => write!(
                f,
                "audit row {seq} appears a second time, at row {row}: a copy was inserted"
            ),
            Self::Forked { row } => write!(
                f,
                "audit row {row} does not follow row {}: the trail forked (two writers appended at once) or rows from another trail were mixed in",
                row.saturating_sub(1)
            ),
            Self::WrongKey => f.write_str(
                "neither audit row 1 nor the audit head matches the audit key: the key is not the one this trail was written with (or both were altered)",
            ),
            Self::Unreadable { row, reason } => write!(
                f,
                "audit row {row} cannot be read ({reason}): it was altered after it was written"
            ),
            Self::Truncated { last_seq: 0, head_seq } => write!(
                f,
                "the audit trail is empty but its head says it reached row {head_seq}: every row was deleted"
            ),
            Self::Truncated { last_seq, head_seq } => write!(
                f,
                "the audit trail ends at row {last_seq} but its head says it reached row {head_seq}: rows {} to {head_seq} were deleted",
                last_seq.saturating_add(1)
            ),
            Self::HeadBehind { head_seq, last_seq } => write!(
                f,
                "the audit head says the trail ends at row {head_seq}, but rows go on to {last_seq}: the head was rolled back to an older copy"
            ),
            Self::HeadMismatch { row } => write!(
                f,
                "audit row {row} is not the row the audit head records: the head belongs to a fork or to another trail"
            ),
            Self::HeadForged => f.write_str(
                "the audit head does not match the audit key: it was altered (perhaps rolled back), or the key is not the one this trail was written with",
            ),
            Self::HeadMissing { last_seq } => write!(
                f,
                "the audit head is missing although the trail holds {last_seq} rows: it was deleted, so a deleted tail could not be noticed"
            ),
        }
    }
}

impl std::error::Error for ChainBreak {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unreadable { reason, .. } => Some(reason),
            _ => None,
        }
    }
}
