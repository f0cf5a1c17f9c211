//! Each kind of invalid input is refused with an error naming the item (id and position)
//! and what is allowed.

use crate::{catalogue, instrument, repeat};
use sensate_instruments::ScoreError;

fn parse_error(id: &str, values: &str) -> ScoreError {
    instrument(id).parse_values(values).unwrap_err()
}

#[test]
fn a_value_above_the_items_range_is_out_of_range_and_names_the_item() {
    let error = parse_error("phq9", "0,0,4,0,0,0,0,0,0");
    assert_eq!(
        error,
        ScoreError::OutOfRange {
            item: "phq9_3".into(),
            position: 3,
            found: "4".into(),
            allowed: "0-3".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "item phq9_3 (position 3): 4 is out of range; allowed: 0-3"
    );
}

#[test]
fn a_zero_where_the_item_has_no_zero_is_refused_as_such() {
    let error = parse_error("fsfi", &format!("0,{}", repeat(5, 18)));
    assert_eq!(
        error,
        ScoreError::NoZero {
            item: "fsfi_1".into(),
            position: 1,
            allowed: "1-5".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "item fsfi_1 (position 1) has no 0; allowed: 1-5"
    );
}

#[test]
fn fsfi_items_15_and_16_have_no_zero_either() {
    let error = parse_error("fsfi", &format!("{},0,5,5,5,5", repeat(5, 14)));
    assert!(
        matches!(error, ScoreError::NoZero { position: 15, .. }),
        "{error}"
    );
}

#[test]
fn fsfi_values_above_5_are_out_of_range() {
    let error = parse_error("fsfi", &format!("{},6", repeat(5, 18)));
    assert!(
        matches!(error, ScoreError::OutOfRange { position: 19, .. }),
        "{error}"
    );
}

#[test]
fn text_that_is_not_a_number_is_refused_and_quoted() {
    let error = parse_error("gad2", "1,two");
    assert_eq!(
        error.to_string(),
        "item gad2_2 (position 2): `two` is not a number; allowed: 0-3, or empty if unanswered"
    );
}

#[test]
fn a_decimal_value_is_not_a_coded_value() {
    let error = parse_error("gad2", "1.5,1");
    assert!(
        matches!(error, ScoreError::NotANumber { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn a_negative_value_is_out_of_range() {
    let error = parse_error("gad2", "-1,1");
    assert!(
        matches!(error, ScoreError::OutOfRange { ref found, .. } if found == "-1"),
        "{error}"
    );
}

#[test]
fn a_huge_number_is_out_of_range_not_a_crash() {
    let error = parse_error("gad2", "99999999999999999999999999,1");
    assert!(
        matches!(error, ScoreError::OutOfRange { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn too_few_values_are_the_wrong_item_count() {
    let error = parse_error("phq9", "1,1,1,1,1,1,1,1");
    assert_eq!(
        error,
        ScoreError::WrongItemCount {
            instrument: "phq9".into(),
            expected: 9,
            found: 8,
        }
    );
    assert_eq!(
        error.to_string(),
        "phq9 has 9 items, but 8 values were given"
    );
}

#[test]
fn a_trailing_comma_is_one_value_too_many() {
    let error = parse_error("gad2", "1,1,");
    assert!(
        matches!(error, ScoreError::WrongItemCount { found: 3, .. }),
        "{error}"
    );
}

#[test]
fn an_unknown_instrument_is_refused_with_the_list_of_known_ones() {
    let error = catalogue().instrument("phq10").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("unknown instrument `phq10`"),
        "{message}"
    );
    assert!(message.contains("phq9, phq2, gad7"), "{message}");
}

#[test]
fn score_checks_values_given_as_numbers_too() {
    let phq9 = instrument("phq9");
    let error = phq9.score(&[Some(9); 9]).unwrap_err();
    assert!(
        matches!(error, ScoreError::OutOfRange { position: 1, .. }),
        "{error}"
    );
    let error = phq9.score(&[Some(1); 3]).unwrap_err();
    assert!(
        matches!(error, ScoreError::WrongItemCount { found: 3, .. }),
        "{error}"
    );
}

#[test]
fn spaces_around_values_are_ignored() {
    let values = instrument("gad2").parse_values(" 1 , 2").unwrap();
    assert_eq!(values, [Some(1), Some(2)]);
}

#[test]
fn an_empty_field_is_an_unanswered_item_not_an_error() {
    let values = instrument("gad2").parse_values("1,").unwrap();
    assert_eq!(values, [Some(1), None]);
}
