//! Each rule of the format refuses a broken definition with the file and field named.

use super::*;

/// A small valid definition that each test breaks in one place.
const VALID: &str = r#"
id = "demo"
version = "1.0.0"
name = "Demonstration scale"
abbreviation = "DEMO"
measures = "Nothing; a test fixture"
population = "Tests"
recall = "Past week"
direction = "higher_is_worse"
citations = ["A test fixture."]

[licence]
status = "free"
note = "A fixture."

[scales.frequency]
min = 0
max = 3
meaning = "0 to 3"

[[items]]
id = "demo_1"
label = "First"
scale = "frequency"

[[items]]
id = "demo_2"
label = "Second"
scale = "frequency"

[[items]]
id = "demo_3"
label = "Third"
scale = "frequency"

[[domains]]
id = "first_two"
name = "First two"
items = ["demo_1", "demo_2"]

[scoring]
total = "items"

[missing]
rule = "complete"
source = "ours"
note = "All items."

[banding]
score = "total"
citation = "A fixture."

[[banding.bands]]
name = "low"
min = 0
max = 4

[[banding.bands]]
name = "high"
min = 5
max = 9

[positive]
meaning = "High"
citation = "A fixture."

[[positive.conditions]]
score = "total"
at_least = 5
"#;

fn load(text: &str) -> Result<Instrument, DefinitionError> {
    instrument("content/instruments/demo.toml", text)
}

/// Loads `VALID` with `from` replaced by `to`, and returns the error's field and message.
fn field_error(from: &str, to: &str) -> (String, String) {
    assert!(VALID.contains(from), "fixture lacks {from:?}");
    match load(&VALID.replacen(from, to, 1)) {
        Err(DefinitionError::Invalid {
            file,
            field,
            message,
        }) => {
            assert_eq!(file, "content/instruments/demo.toml");
            (field, message)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    let instrument = load(VALID);
    assert!(instrument.is_ok(), "{instrument:?}");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let error = load("id = ").err();
    let Some(DefinitionError::Syntax { file, message }) = error else {
        panic!("expected a syntax error, got {error:?}");
    };
    assert_eq!(file, "content/instruments/demo.toml");
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn a_missing_required_key_is_named() {
    let error = load(&VALID.replacen("version = \"1.0.0\"\n", "", 1));
    let message = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("version"), "{message}");
}

#[test]
fn an_unknown_key_is_refused_rather_than_ignored() {
    let error = load(&VALID.replacen("at_least = 5", "at_leats = 5", 1));
    let message = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("at_leats"), "{message}");
}

#[test]
fn a_float_in_a_definition_is_refused_with_a_hint_to_quote_it() {
    let error = load(&VALID.replacen("at_least = 5", "at_least = 4.5", 1));
    let message = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("\"4.5\""), "{message}");
}

#[test]
fn the_id_must_match_the_file_name() {
    let (field, message) = field_error("id = \"demo\"", "id = \"other\"");
    assert_eq!(field, "id");
    assert!(message.contains("demo.toml"), "{message}");
}

#[test]
fn an_item_with_an_unknown_scale_is_named() {
    let (field, message) = field_error("scale = \"frequency\"", "scale = \"freq\"");
    assert_eq!(field, "items[0].scale");
    assert!(message.contains("freq"), "{message}");
}

#[test]
fn a_repeated_item_id_is_named() {
    let (field, _) = field_error("id = \"demo_2\"", "id = \"demo_1\"");
    assert_eq!(field, "items[1].id");
}

#[test]
fn a_domain_naming_an_unknown_item_is_named() {
    let (field, message) = field_error(
        "items = [\"demo_1\", \"demo_2\"]",
        "items = [\"demo_1\", \"demo_9\"]",
    );
    assert_eq!(field, "domains[0].items[1]");
    assert!(message.contains("demo_9"), "{message}");
}

#[test]
fn a_factor_with_too_many_decimal_places_is_refused() {
    let (field, _) = field_error(
        "items = [\"demo_1\", \"demo_2\"]",
        "items = [\"demo_1\", \"demo_2\"]\nfactor = \"0.33333\"",
    );
    assert_eq!(field, "domains[0].factor");
}

#[test]
fn bands_with_a_gap_are_refused() {
    let (field, message) = field_error("min = 5\nmax = 9", "min = 6\nmax = 9");
    assert_eq!(field, "banding.bands[1].min");
    assert!(message.contains("without gaps"), "{message}");
}

#[test]
fn a_band_beyond_the_scores_range_is_refused() {
    let (field, _) = field_error("max = 9", "max = 10");
    assert_eq!(field, "banding.bands[1]");
}

#[test]
fn a_band_name_must_be_lower_case() {
    let (field, _) = field_error("name = \"high\"", "name = \"High\"");
    assert_eq!(field, "banding.bands[1].name");
}

#[test]
fn a_condition_with_two_comparators_is_refused() {
    let (field, _) = field_error("at_least = 5", "at_least = 5\nat_most = 7");
    assert_eq!(field, "positive.conditions[0]");
}

#[test]
fn a_condition_on_an_unknown_score_is_named() {
    let (field, _) = field_error(
        "score = \"total\"\nat_least",
        "score = \"everything\"\nat_least",
    );
    assert_eq!(field, "positive.conditions[0].score");
}

#[test]
fn prorating_without_a_minimum_is_refused() {
    let (field, _) = field_error(
        "rule = \"complete\"",
        "rule = \"prorate\"\nround = \"whole\"",
    );
    assert_eq!(field, "missing");
}

#[test]
fn bands_over_a_score_that_can_be_fractional_are_refused() {
    let (field, _) = field_error(
        "rule = \"complete\"",
        "rule = \"prorate\"\nmin_answered = 2\nround = \"none\"",
    );
    assert_eq!(field, "banding.score");
}

#[test]
fn a_flag_may_not_take_a_name_the_engine_raises_itself() {
    let text = format!(
        "{VALID}\n[[flags]]\nid = \"incomplete\"\nmeaning = \"x\"\ncitation = \"x\"\n\
         [[flags.conditions]]\ncount = [{{ items = [\"demo_1\"], at_least = 1 }}]\nmin = 1\n"
    );
    let error = load(&text);
    assert!(
        matches!(&error, Err(DefinitionError::Invalid { field, .. }) if field == "flags[0].id"),
        "{error:?}"
    );
}

#[test]
fn a_count_needing_more_items_than_it_counts_is_refused() {
    let text = format!(
        "{VALID}\n[[flags]]\nid = \"many\"\nmeaning = \"x\"\ncitation = \"x\"\n\
         [[flags.conditions]]\ncount = [{{ items = [\"demo_1\"], at_least = 1 }}]\nmin = 2\n"
    );
    let error = load(&text);
    assert!(
        matches!(&error, Err(DefinitionError::Invalid { field, .. }) if field == "flags[0].conditions[0].min"),
        "{error:?}"
    );
}

#[test]
fn a_label_that_is_question_text_rather_than_a_topic_is_too_long() {
    let long = "x".repeat(121);
    let (field, _) = field_error("label = \"First\"", &format!("label = \"{long}\""));
    assert_eq!(field, "items[0].label");
}

#[test]
fn error_messages_read_as_file_then_field_then_reason() {
    let error = load(&VALID.replacen("scale = \"frequency\"", "scale = \"freq\"", 1));
    let message = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "content/instruments/demo.toml: field `items[0].scale`: no scale named `freq` in [scales]"
    );
}
