//! Why a place or a radius was refused.
//!
//! One enum for the crate, as for every layer. Messages speak to the visitor who typed
//! the query. The only one that repeats what they typed, [`PlaceError::Unknown`], carries
//! a cleaned copy of at most [`SHOWN_CHARS`] characters (no control or bidirectional
//! formatting characters), made once when the error is built. It is the visitor's own
//! location search: show it back to them (templates escape it), but do not log it.

use thiserror::Error;

/// How many characters of an unknown query an error message repeats.
pub(crate) const SHOWN_CHARS: usize = 40;

/// Why a place query or a radius was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlaceError {
    /// Nothing but spaces, or nothing at all.
    #[error("enter a ZIP code or a city")]
    Empty,
    /// Longer than any place name; refused without being read.
    #[error("a place can be at most {max} characters")]
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Five digits, but no such ZIP code in the gazetteer.
    #[error("ZIP code {zip_code} was not found")]
    UnknownZipCode {
        /// The five digits looked up.
        zip_code: String,
    },
    /// No place by that name (with those qualifiers).
    #[error(
        "no place called \u{201c}{shown}\u{201d} was found; try a 5-digit ZIP code, \
         \u{201c}City, ST\u{201d} or \u{201c}City, Country\u{201d}"
    )]
    Unknown {
        /// The query as the message repeats it: without control characters, and cut to 40
        /// characters and an ellipsis.
        shown: String,
    },
    /// The radius is not a number ("abc", "NaN", empty).
    #[error("the radius must be a number, such as 10 or 25")]
    RadiusNotANumber,
    /// The radius is zero or negative.
    #[error("the radius must be more than zero")]
    RadiusNotPositive,
    /// The radius is wider than a directory search may be.
    #[error("the radius can be at most {max_km} km ({max_miles} miles)")]
    RadiusTooLarge {
        /// The widest radius in kilometres.
        max_km: u32,
        /// The same, in whole miles.
        max_miles: u32,
    },
    /// The radius unit is neither kilometres nor miles.
    #[error("the radius unit must be km or miles")]
    UnknownUnit,
}

impl PlaceError {
    /// An [`PlaceError::Unknown`] that repeats a safe, short copy of `query`.
    pub(crate) fn unknown(query: &str) -> PlaceError {
        PlaceError::Unknown {
            shown: shown(query),
        }
    }
}

/// A copy of `query` fit to repeat in a message: control and bidirectional formatting
/// characters become spaces, runs of spaces become one, and it is cut to [`SHOWN_CHARS`].
fn shown(query: &str) -> String {
    let separates = |ch: char| ch.is_whitespace() || ch.is_control() || is_invisible_formatting(ch);
    let mut out = String::new();
    let mut count = 0;
    for word in query.split(separates).filter(|word| !word.is_empty()) {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for ch in word.chars() {
            if count >= SHOWN_CHARS {
                out.truncate(out.trim_end().len());
                out.push('\u{2026}');
                return out;
            }
            out.push(ch);
            count += 1;
        }
    }
    out
}

/// Zero-width and bidirectional formatting characters, which could make a repeated query
/// read differently from what was typed.
fn is_invisible_formatting(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_query_loses_control_characters_and_extra_spaces() {
        assert_eq!(shown("  Spring\u{0}field\n\t MO "), "Spring field MO");
    }

    #[test]
    fn a_shown_query_is_cut_to_forty_characters_with_an_ellipsis() {
        let long = "a".repeat(100);
        let cut = shown(&long);
        assert_eq!(cut.chars().count(), SHOWN_CHARS + 1);
        assert!(cut.ends_with('\u{2026}'));
        assert_eq!(shown(&"b".repeat(SHOWN_CHARS)), "b".repeat(SHOWN_CHARS));
    }

    #[test]
    fn a_shown_query_drops_bidirectional_overrides() {
        assert_eq!(shown("evil\u{202E}txt.exe"), "evil txt.exe");
    }
}
