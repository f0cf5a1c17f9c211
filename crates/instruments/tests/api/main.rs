//! Integration tests of the public API, in one test binary with one module per area.
//!
//! Vectors come from shared/reference/clinical.md §8 and from the published rules there,
//! boundaries first: every band edge and cutoff is tested on both sides.
#![expect(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod batch;
mod change;
mod chart;
mod couples;
mod definitions;
mod depression_anxiety;
mod fhir_export;
mod fhir_import;
mod fhir_rules;
mod interop_definitions;
mod invalid_input;
mod json;
mod missing_data;
mod properties;
mod sexual_function;
mod trauma;

use std::sync::OnceLock;

use sensate_instruments::{Catalogue, Exact, Instrument, Score};

/// The built-in catalogue, loaded once for the whole test binary.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().unwrap())
}

/// A built-in instrument by id.
pub fn instrument(id: &str) -> &'static Instrument {
    catalogue().instrument(id).unwrap()
}

/// Scores comma-separated values with a built-in instrument, as the CLI will.
pub fn score(id: &str, values: &str) -> Score {
    let instrument = instrument(id);
    instrument
        .score(&instrument.parse_values(values).unwrap())
        .unwrap()
}

/// An exact decimal.
pub fn dec(text: &str) -> Exact {
    Exact::parse_decimal(text).unwrap()
}

/// `value` repeated `count` times, comma-separated.
pub fn repeat(value: u8, count: usize) -> String {
    vec![value.to_string(); count].join(",")
}

/// Joins values with commas.
pub fn join(values: &[u8]) -> String {
    values
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Spreads `total` over `count` items of at most `max` each, filling from the first.
pub fn spread(total: u32, count: usize, max: u8) -> Vec<u8> {
    let mut left = total;
    (0..count)
        .map(|_| {
            let value = left.min(u32::from(max));
            left -= value;
            u8::try_from(value).unwrap()
        })
        .collect()
}
