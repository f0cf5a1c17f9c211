//! Reading what a visitor typed into a place search: a ZIP code, or a name with optional
//! qualifiers ("Springfield, MO", "Paris, France", "Springfield, MO, US").
//!
//! Length is checked before anything else, and in bytes first, so a 10 kB paste is
//! refused without being read. A ZIP code may end the query ("Chicago, IL 60614", which is
//! how [`crate::Place::label`] writes one), so a label resolves back to its place.

use crate::error::PlaceError;
use crate::fold::fold;

/// The most characters a place query may have.
pub(crate) const MAX_QUERY_CHARS: usize = 100;

/// A query longer than this many bytes cannot be within [`MAX_QUERY_CHARS`] characters
/// (a character is at most four bytes), so it is refused before it is read.
const MAX_QUERY_BYTES: usize = MAX_QUERY_CHARS * 4;

/// A place query, read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Query {
    /// A US ZIP code, five digits.
    ZipCode(String),
    /// A name and the qualifiers after it, each folded (see [`crate::fold`]).
    Named {
        name: String,
        qualifiers: Vec<String>,
    },
}

/// Reads a query, or says why it cannot be one.
pub(crate) fn parse(raw: &str) -> Result<Query, PlaceError> {
    if raw.len() > MAX_QUERY_BYTES {
        return Err(PlaceError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PlaceError::Empty);
    }
    if trimmed.chars().count() > MAX_QUERY_CHARS {
        return Err(PlaceError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(PlaceError::unknown(trimmed));
    }
    if let Some(zip) = trailing_zip_code(trimmed) {
        return Ok(Query::ZipCode(zip.to_owned()));
    }
    if trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || b == b' ')
    {
        // Digits, but not a ZIP code: "6061", "606141".
        return Err(PlaceError::unknown(trimmed));
    }
    let mut parts = trimmed.split(',').map(fold).filter(|part| !part.is_empty());
    let Some(name) = parts.next() else {
        return Err(PlaceError::unknown(trimmed));
    };
    Ok(Query::Named {
        name,
        qualifiers: parts.collect(),
    })
}

/// The five digits of a ZIP code that ends the query, alone or after a name:
/// "60614", "60614-1234", "60614 1234", "606141234", "Chicago, IL 60614".
fn trailing_zip_code(query: &str) -> Option<&str> {
    let words: Vec<&str> = query
        .split(|ch: char| ch.is_whitespace() || ch == ',')
        .filter(|word| !word.is_empty())
        .collect();
    let is_digits =
        |word: &str, len: usize| word.len() == len && word.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [.., five, four] if is_digits(five, 5) && is_digits(four, 4) => Some(five),
        [only] if is_digits(only, 9) => only.get(..5),
        [.., last] => {
            let five =
                last.split_once('-').map_or(
                    *last,
                    |(five, four)| {
                        if is_digits(four, 4) { five } else { "" }
                    },
                );
            is_digits(five, 5).then_some(five)
        }
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(code: &str) -> Result<Query, PlaceError> {
        Ok(Query::ZipCode(code.to_owned()))
    }

    #[test]
    fn zip_codes_are_read_in_every_common_spelling() {
        assert_eq!(parse("60614"), zip("60614"));
        assert_eq!(parse(" 60614-1234 "), zip("60614"));
        assert_eq!(parse("60614 1234"), zip("60614"));
        assert_eq!(parse("606141234"), zip("60614"));
        assert_eq!(parse("Chicago, IL 60614"), zip("60614"));
    }

    #[test]
    fn names_keep_their_qualifiers_in_order() {
        assert_eq!(
            parse("Springfield ,  mo, US,"),
            Ok(Query::Named {
                name: "springfield".into(),
                qualifiers: vec!["mo".into(), "us".into()],
            })
        );
    }

    #[test]
    fn digits_that_are_not_a_zip_code_are_unknown() {
        assert!(matches!(parse("6061"), Err(PlaceError::Unknown { .. })));
        assert!(matches!(parse("60614-12"), Err(PlaceError::Unknown { .. })));
    }

    #[test]
    fn a_huge_query_is_refused_by_its_length_alone() {
        assert_eq!(
            parse(&"x".repeat(MAX_QUERY_BYTES + 1)),
            Err(PlaceError::TooLong {
                max: MAX_QUERY_CHARS
            })
        );
        assert_eq!(
            parse(&"é".repeat(MAX_QUERY_CHARS + 1)),
            Err(PlaceError::TooLong {
                max: MAX_QUERY_CHARS
            })
        );
    }

    #[test]
    fn only_commas_is_unknown_not_empty() {
        assert!(matches!(parse(" , ,"), Err(PlaceError::Unknown { .. })));
    }
}
