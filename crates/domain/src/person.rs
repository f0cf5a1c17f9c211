//! A person's name as they give it.

use std::fmt;

use crate::text::{TextError, single_line};

/// The name a person is known by in Sensate, as they typed it. No structure is
/// imposed (given and family names differ across cultures); it is one line.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// The most characters a name may have.
    pub const MAX_CHARS: usize = 120;

    /// Parses a name typed by a person: one line, 1 to 120 characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        single_line(raw, "Name", Self::MAX_CHARS).map(Self)
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name identifies a client, so it never appears in debug output or logs.
impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_kept_as_typed() {
        assert_eq!(
            PersonName::parse("  Aroha Ngata ").unwrap().as_str(),
            "Aroha Ngata"
        );
    }

    #[test]
    fn a_blank_name_is_refused() {
        assert!(PersonName::parse(" ").is_err());
    }

    #[test]
    fn debug_output_never_shows_the_name() {
        let name = PersonName::parse("Aroha Ngata").unwrap();
        assert!(!format!("{name:?}").contains("Aroha"));
    }
}
