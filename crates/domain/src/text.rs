//! Rules shared by every short piece of text a person types: names, titles, labels.
//!
//! One place decides what "a sensible line of text" is, so every form gives the same
//! answer and the same message.

use thiserror::Error;

/// Why a line of text was refused. Messages speak to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    /// Nothing but spaces, or nothing at all.
    #[error("{field} cannot be empty")]
    Empty {
        /// The field's name as the form shows it.
        field: &'static str,
    },
    /// Longer than the field allows.
    #[error("{field} can be at most {max} characters (this one has {actual})")]
    TooLong {
        /// The field's name as the form shows it.
        field: &'static str,
        /// The most characters allowed.
        max: usize,
        /// How many characters were given.
        actual: usize,
    },
    /// Contains a control character such as a line break or a tab.
    #[error("{field} cannot contain line breaks or other control characters")]
    ControlCharacter {
        /// The field's name as the form shows it.
        field: &'static str,
    },
}

/// Trims a single line of text and checks it is non-empty, within `max` characters and
/// free of control characters.
pub fn single_line(raw: &str, field: &'static str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty { field });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter { field });
    }
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(TextError::TooLong { field, max, actual });
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_spaces_are_trimmed() {
        assert_eq!(single_line("  Harbour  ", "Name", 10).unwrap(), "Harbour");
    }

    #[test]
    fn blank_text_is_refused_as_empty() {
        assert_eq!(
            single_line("   ", "Name", 10),
            Err(TextError::Empty { field: "Name" })
        );
    }

    #[test]
    fn a_line_break_is_refused() {
        assert_eq!(
            single_line("a\nb", "Name", 10),
            Err(TextError::ControlCharacter { field: "Name" })
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(single_line("éééé", "Name", 4).is_ok());
        assert_eq!(
            single_line("ééééé", "Name", 4),
            Err(TextError::TooLong {
                field: "Name",
                max: 4,
                actual: 5
            })
        );
    }
}
