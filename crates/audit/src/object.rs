//! What kind of record was touched, as a short code ("client", "session_note").
//!
//! The kinds of record belong to the domain, which grows, so this is an open set of codes
//! rather than a closed list; but a code cannot hold free text (no spaces, no capitals, at
//! most 40 characters), so a caller cannot put a client's name or a note's words here by
//! mistake. The record itself is named by its uuid, in the event's object id.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::InvalidField;
use crate::vocabulary::is_code;

/// The longest object type code, in bytes.
pub const OBJECT_TYPE_MAX_LEN: usize = 40;

/// The kind of record an audit row is about: 1 to 40 characters of `a-z`, `0-9`, `_` or
/// `.`, starting with a letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectType(Cow<'static, str>);

impl ObjectType {
    /// An object type written in the source, for a `const` beside the domain type it names:
    ///
    /// ```
    /// use sensate_audit::ObjectType;
    /// const SESSION_NOTE: ObjectType = ObjectType::from_static("session_note");
    /// assert_eq!(SESSION_NOTE.as_str(), "session_note");
    /// ```
    ///
    /// # Panics
    /// If `code` is not a valid code. In a `const` item that panic is a compile error, so
    /// use it there.
    pub const fn from_static(code: &'static str) -> Self {
        assert!(
            is_code(code, OBJECT_TYPE_MAX_LEN),
            "an object type is 1 to 40 characters of a-z, 0-9, '_' or '.', starting with a letter"
        );
        Self(Cow::Borrowed(code))
    }

    /// Parses an object type read back from storage (or built at run time).
    ///
    /// # Errors
    /// [`InvalidField::ObjectType`] if `code` is not a valid code. The error does not repeat
    /// the value, which might be the very text this type keeps out.
    pub fn parse(code: &str) -> Result<Self, InvalidField> {
        if is_code(code, OBJECT_TYPE_MAX_LEN) {
            Ok(Self(Cow::Owned(code.to_owned())))
        } else {
            Err(InvalidField::ObjectType)
        }
    }

    /// The code, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ObjectType {
    type Err = InvalidField;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Self::parse(code)
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_type_made_in_the_source_equals_the_same_one_read_back() {
        const CLIENT: ObjectType = ObjectType::from_static("client");
        assert_eq!(ObjectType::parse("client"), Ok(CLIENT));
    }

    #[test]
    fn free_text_cannot_be_an_object_type() {
        for text in ["Painful intercourse", "note: partner unaware", "", "Client"] {
            assert_eq!(ObjectType::parse(text), Err(InvalidField::ObjectType));
        }
    }
}
