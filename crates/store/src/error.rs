//! The storage layer's error.
//!
//! Backends translate their driver's errors into these few kinds, which are the only
//! ones the web layer needs to tell apart. Messages never carry stored values: the
//! sealed fields would be ciphertext anyway, and everything else is an id.

use thiserror::Error;

/// What went wrong in storage.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database did not answer (down, unreachable, pool exhausted, timed out).
    #[error("the database is not answering: {0}")]
    Unavailable(String),
    /// A row with the same key already exists.
    #[error("{what} already exists")]
    Conflict {
        /// What kind of thing collided, e.g. "practice".
        what: &'static str,
    },
    /// A stored value could not be turned back into a domain value.
    #[error("stored {what} could not be read back: {reason}")]
    Corrupt {
        /// Which kind of value.
        what: &'static str,
        /// Why it did not parse.
        reason: String,
    },
    /// Applying migrations failed; the database is left as it was.
    #[error("migrating the database failed: {0}")]
    Migration(String),
    /// Any other error from the database driver.
    #[error("database error: {0}")]
    Backend(String),
}
