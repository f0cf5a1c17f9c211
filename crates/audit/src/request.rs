//! The id of the HTTP request (or job run) that caused an audit row, so an operator can join
//! the trail to the logs of the same request.
//!
//! Request ids may come from a reverse proxy's header, so the type admits the usual shapes
//! (UUIDs, hex, `host:123`) and nothing longer than 64 characters or containing spaces, which
//! keeps sentences out of the trail.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::InvalidField;

/// The longest request id, in bytes.
pub const REQUEST_ID_MAX_LEN: usize = 64;

/// A request id: 1 to 64 characters of `A-Z`, `a-z`, `0-9`, `.`, `_`, `:` or `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(String);

impl RequestId {
    /// Parses a request id.
    ///
    /// # Errors
    /// [`InvalidField::RequestId`] if `id` is empty, too long or has another character. The
    /// error does not repeat the value.
    pub fn parse(id: &str) -> Result<Self, InvalidField> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-');
        if !id.is_empty() && id.len() <= REQUEST_ID_MAX_LEN && id.bytes().all(allowed) {
            Ok(Self(id.to_owned()))
        } else {
            Err(InvalidField::RequestId)
        }
    }

    /// The id, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Uuid> for RequestId {
    /// A request id made by Sensate itself (the web layer gives each request a UUIDv7).
    fn from(id: Uuid) -> Self {
        Self(id.hyphenated().to_string())
    }
}

impl FromStr for RequestId {
    type Err = InvalidField;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Self::parse(id)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_request_id_shapes_are_accepted() {
        let from_uuid = RequestId::from(Uuid::now_v7());
        assert_eq!(RequestId::parse(from_uuid.as_str()), Ok(from_uuid));
        assert!(RequestId::parse("4f1c2a9be0d94c1e8a7b6c5d4e3f2a1b").is_ok());
        assert!(RequestId::parse("web-2:000123").is_ok());
    }

    #[test]
    fn a_sentence_cannot_be_a_request_id() {
        for text in [
            "",
            "client said she is afraid",
            "a\tb",
            "é",
            &"x".repeat(65),
        ] {
            assert_eq!(RequestId::parse(text), Err(InvalidField::RequestId));
        }
    }
}
