//! Reading item values: text like `"1,2,,3"` becomes checked coded values, or an error
//! that names the item and what it allows.
//!
//! Values are the *coded* values in item order, never display positions (clinical.md
//! §0.2), and an empty field is an unanswered item. The same field parser serves the
//! comma-separated argument of the CLI and every cell of a CSV batch, so both refuse the
//! same things with the same words; it works on bytes and allocates only for an error.

use thiserror::Error;

use crate::definition::{Instrument, Item};

/// One item's value: `Some(coded value)`, or `None` when it was left unanswered.
pub type ItemValue = Option<u8>;

/// Input that cannot be scored. Each message names the item by id and 1-based position
/// and says what is allowed; the CLI exits with code 2 on any of these.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScoreError {
    /// No instrument has this id.
    #[error("unknown instrument `{id}`; the instruments are: {known}")]
    UnknownInstrument {
        /// The id asked for.
        id: String,
        /// The known ids, comma-separated.
        known: String,
    },
    /// More or fewer values than the instrument has items.
    #[error("{instrument} has {expected} items, but {found} values were given")]
    WrongItemCount {
        /// The instrument id.
        instrument: String,
        /// How many items it has.
        expected: usize,
        /// How many values were given.
        found: usize,
    },
    /// A value that is not a whole number.
    #[error(
        "item {item} (position {position}): `{found}` is not a number; allowed: {allowed}, or empty if unanswered"
    )]
    NotANumber {
        /// The item id.
        item: String,
        /// Its 1-based position.
        position: usize,
        /// The text given.
        found: String,
        /// The allowed values, such as `0-3`.
        allowed: String,
    },
    /// A number outside the item's coded values.
    #[error("item {item} (position {position}): {found} is out of range; allowed: {allowed}")]
    OutOfRange {
        /// The item id.
        item: String,
        /// Its 1-based position.
        position: usize,
        /// The number given, as written.
        found: String,
        /// The allowed values, such as `0-3`.
        allowed: String,
    },
    /// A 0 for an item that has no 0 (FSFI items 1, 2, 15, 16; IIEF-5 item 1).
    #[error("item {item} (position {position}) has no 0; allowed: {allowed}")]
    NoZero {
        /// The item id.
        item: String,
        /// Its 1-based position.
        position: usize,
        /// The allowed values, such as `1-5`.
        allowed: String,
    },
}

impl Instrument {
    /// Parses comma-separated coded values in item order; an empty field is an
    /// unanswered item (`"1,2,,3"`). Spaces around a value are ignored.
    pub fn parse_values(&self, text: &str) -> Result<Vec<ItemValue>, ScoreError> {
        let found = text.split(',').count();
        if found != self.items.len() {
            return Err(self.wrong_count(found));
        }
        text.split(',')
            .zip(&self.items)
            .map(|(field, item)| parse_field(item, field.as_bytes()))
            .collect()
    }

    /// Checks values already held as numbers: the count, and each value against its item.
    pub(crate) fn check_values(&self, values: &[ItemValue]) -> Result<(), ScoreError> {
        if values.len() != self.items.len() {
            return Err(self.wrong_count(values.len()));
        }
        for (value, item) in values.iter().zip(&self.items) {
            if let Some(value) = *value {
                check_value(item, u64::from(value), || value.to_string())?;
            }
        }
        Ok(())
    }

    pub(crate) fn wrong_count(&self, found: usize) -> ScoreError {
        ScoreError::WrongItemCount {
            instrument: self.id.clone(),
            expected: self.items.len(),
            found,
        }
    }
}

/// Parses one field: blank is unanswered, otherwise a whole number within the item's
/// coded values.
pub(crate) fn parse_field(item: &Item, field: &[u8]) -> Result<ItemValue, ScoreError> {
    let text = field.trim_ascii();
    if text.is_empty() {
        return Ok(None);
    }
    let found = || String::from_utf8_lossy(text).into_owned();
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) if !rest.is_empty() => (true, rest),
        _ => (false, text),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(ScoreError::NotANumber {
            item: item.id.clone(),
            position: item.position,
            found: found(),
            allowed: item.allowed(),
        });
    }
    if negative {
        return Err(out_of_range(item, found()));
    }
    // Saturating: any number too long to hold is simply out of range.
    let value = digits.iter().fold(0_u64, |acc, digit| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    });
    check_value(item, value, found).map(Some)
}

/// Checks a number against the item's coded values and narrows it to a byte.
fn check_value(item: &Item, value: u64, found: impl Fn() -> String) -> Result<u8, ScoreError> {
    if value == 0 && item.min > 0 {
        return Err(ScoreError::NoZero {
            item: item.id.clone(),
            position: item.position,
            allowed: item.allowed(),
        });
    }
    match u8::try_from(value) {
        Ok(byte) if (item.min..=item.max).contains(&byte) => Ok(byte),
        _ => Err(out_of_range(item, found())),
    }
}

fn out_of_range(item: &Item, found: String) -> ScoreError {
    ScoreError::OutOfRange {
        item: item.id.clone(),
        position: item.position,
        found,
        allowed: item.allowed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(min: u8, max: u8) -> Item {
        Item {
            id: "demo_2".into(),
            position: 2,
            label: "Demo".into(),
            min,
            max,
            scale_meaning: "Demo".into(),
            zero_means: None,
            critical: false,
            form_labels: Vec::new(),
        }
    }

    #[test]
    fn a_blank_or_space_only_field_is_unanswered() {
        assert_eq!(parse_field(&item(0, 3), b""), Ok(None));
        assert_eq!(parse_field(&item(0, 3), b"  "), Ok(None));
    }

    #[test]
    fn a_field_with_surrounding_spaces_is_read() {
        assert_eq!(parse_field(&item(0, 3), b" 3 "), Ok(Some(3)));
    }

    #[test]
    fn leading_zeros_do_not_change_a_value() {
        assert_eq!(parse_field(&item(0, 3), b"03"), Ok(Some(3)));
    }

    #[test]
    fn the_edges_of_the_value_set_are_accepted_and_one_beyond_is_not() {
        let item = item(1, 5);
        assert_eq!(parse_field(&item, b"1"), Ok(Some(1)));
        assert_eq!(parse_field(&item, b"5"), Ok(Some(5)));
        assert!(matches!(
            parse_field(&item, b"6"),
            Err(ScoreError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_field(&item, b"0"),
            Err(ScoreError::NoZero { .. })
        ));
    }

    #[test]
    fn a_value_past_a_byte_is_out_of_range_not_truncated() {
        assert!(matches!(
            parse_field(&item(0, 3), b"259"),
            Err(ScoreError::OutOfRange { .. })
        ));
    }

    #[test]
    fn signs_and_symbols_are_refused() {
        for text in [&b"+1"[..], b"1e0", b"0x1", b"1 2", b"-", b"\xff"] {
            assert!(
                matches!(
                    parse_field(&item(0, 3), text),
                    Err(ScoreError::NotANumber { .. })
                ),
                "{text:?}"
            );
        }
    }
}
