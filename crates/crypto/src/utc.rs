//! UTC timestamps for the key file's "created" column.
//!
//! The key file records when each key was made, so that a person reading it can tell old keys from
//! new. That needs one conversion (seconds since 1970 to a calendar date) and one shape check; a date
//! crate would be a dependency for a dozen lines, so the conversion is written here, after Howard
//! Hinnant's public-domain `civil_from_days` algorithm, and tested against known dates.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now() -> String {
    // A clock set before 1970 is reported as 1970: the timestamp is informational only.
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    format_unix_seconds(seconds)
}

/// Seconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn format_unix_seconds(seconds: u64) -> String {
    let days = seconds / 86_400;
    let of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The proleptic Gregorian date `days` days after 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Whether `text` has the shape `YYYY-MM-DDTHH:MM:SSZ` (digits where digits belong).
pub(crate) fn is_timestamp(text: &str) -> bool {
    const SHAPE: &[u8; 20] = b"dddd-dd-ddTdd:dd:ddZ";
    text.len() == SHAPE.len()
        && text
            .bytes()
            .zip(SHAPE)
            .all(|(byte, &expected)| match expected {
                b'd' => byte.is_ascii_digit(),
                other => byte == other,
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_format_as_their_calendar_dates() {
        assert_eq!(format_unix_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix_seconds(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix_seconds(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_unix_seconds(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    #[test]
    fn now_has_the_timestamp_shape() {
        assert!(is_timestamp(&now()));
    }

    #[test]
    fn only_the_timestamp_shape_is_accepted() {
        assert!(is_timestamp("2026-05-01T10:00:00Z"));
        assert!(!is_timestamp("2026-05-01 10:00:00Z"));
        assert!(!is_timestamp("2026-05-01T10:00:00"));
        assert!(!is_timestamp("2026-5-01T10:00:00Z0"));
    }
}
