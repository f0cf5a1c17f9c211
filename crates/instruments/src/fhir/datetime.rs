//! The moment a response was completed, as FHIR writes it.
//!
//! `QuestionnaireResponse.authored` is a `dateTime` and `Observation.issued` an
//! `instant`; both accept a full RFC 3339 timestamp with seconds and a zone
//! (`2024-05-01T09:30:00Z`, `2024-05-01T09:30:00.123+02:00`), which is what the app
//! stores. It is parsed once here (the date must exist, the zone must be one FHIR allows)
//! so the export never writes a timestamp a FHIR server would refuse. No date crate is
//! needed for a check this small.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

use crate::calendar::days_in;

/// A full timestamp valid as both a FHIR `dateTime` and `instant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FhirDateTime(String);

/// Why a timestamp was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "`{0}` is not a timestamp like 2024-05-01T09:30:00Z or 2024-05-01T09:30:00+02:00 \
     (seconds and a zone are required)"
)]
pub struct DateTimeError(String);

impl FhirDateTime {
    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`.
    pub fn parse(text: &str) -> Result<FhirDateTime, DateTimeError> {
        if is_valid(text.as_bytes()) {
            Ok(FhirDateTime(text.to_owned()))
        } else {
            Err(DateTimeError(text.to_owned()))
        }
    }

    /// The timestamp as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FhirDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_valid(text: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if text.len() < 20 || punctuation.iter().any(|&(at, byte)| text[at] != byte) {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (number(11..13), number(14..16), number(17..19))
    else {
        return false;
    };
    let date_ok =
        year >= 1 && (1..=12).contains(&month) && (1..=days_in(year, month)).contains(&day);
    let time_ok = hour <= 23 && minute <= 59 && second <= 60;
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return false;
        }
        rest = &fraction[digits..];
    }
    let zone_ok = match rest {
        b"Z" => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let all_digits = [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit());
            let hours = u32::from(h1.wrapping_sub(b'0')) * 10 + u32::from(h2.wrapping_sub(b'0'));
            let minutes = u32::from(m1.wrapping_sub(b'0')) * 10 + u32::from(m2.wrapping_sub(b'0'));
            all_digits && minutes <= 59 && (hours < 14 || (hours == 14 && minutes == 0))
        }
        _ => false,
    };
    date_ok && time_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_timestamps_with_a_zone_are_accepted() {
        for text in [
            "2024-05-01T09:30:00Z",
            "2024-05-01T09:30:00+02:00",
            "2024-02-29T23:59:60-14:00",
            "2024-05-01T09:30:00.123456789Z",
        ] {
            assert!(FhirDateTime::parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn dates_without_time_zone_or_that_do_not_exist_are_refused() {
        for text in [
            "2024-05-01",
            "2024-05-01T09:30:00",
            "2024-05-01T09:30Z",
            "2023-02-29T09:30:00Z",
            "2024-13-01T09:30:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T09:30:00+15:00",
            "2024-05-01t09:30:00z",
            "2024-05-01T09:30:00.Z",
            "2024-05-01T09:30:00Z ",
            "",
        ] {
            assert!(FhirDateTime::parse(text).is_err(), "{text}");
        }
    }
}
