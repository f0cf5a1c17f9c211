//! The two errors of this crate that are not chain breaks.
//!
//! [`InvalidField`] is raised when a value cannot become part of an audit row: when a caller
//! builds an event, or when the storage layer reads a stored row back (a stored value that
//! fails here was altered, and the storage layer reports it through
//! [`Verifier::unreadable`](crate::Verifier::unreadable)). Messages state the rule and never
//! repeat the rejected value, which might be the very clinical text the rule keeps out.
//! [`AppendError`] is raised by [`AuditChain::append`](crate::AuditChain::append).
//! Tampering found by verification is a [`ChainBreak`](crate::ChainBreak).

/// A value that cannot be part of an audit row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidField {
    /// An object type that is not a code.
    #[error(
        "an object type must be 1 to 40 characters of a-z, 0-9, '_' or '.', starting with a letter"
    )]
    ObjectType,
    /// A request id with another character, or of the wrong length.
    #[error("a request id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'")]
    RequestId,
    /// A code that is not in its closed list (the argument names the list).
    #[error("unknown {0} code")]
    UnknownCode(&'static str),
    /// A user actor without a user id, or an anonymous or system actor with one.
    #[error("a user actor needs a user id, and an anonymous or system actor has none")]
    Actor,
    /// A time with a part finer than a microsecond.
    #[error("audit times are kept to the microsecond, and this one has a finer part")]
    SubMicrosecondTime,
    /// A time too far from 1970 to keep.
    #[error("the time is outside the range an audit row can hold")]
    TimeOutOfRange,
    /// A sequence number below 1 or above `i64::MAX` (the largest a database column holds).
    #[error("a sequence number must be between 1 and 9223372036854775807")]
    Sequence,
    /// A hash or seal that is not 32 bytes long.
    #[error("a chain hash or head seal is 32 bytes long")]
    HashLength,
}

/// Why an event could not be appended to the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError {
    /// The head is at the largest sequence number a database column holds (`i64::MAX`), a
    /// limit a trail does not reach at a million rows a second for 290,000 years.
    #[error("the audit trail has used its last sequence number")]
    TrailFull,
}
