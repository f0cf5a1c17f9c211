//! The one way the program reads the time.
//!
//! Timestamps are made in Rust rather than by the database (`now()`), so both backends
//! store the same value.

use time::OffsetDateTime;

/// The current UTC time, truncated to whole microseconds.
///
/// PostgreSQL's `timestamptz` keeps microseconds at most, so a value made here reads
/// back from either backend exactly as it was written.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_have_no_sub_microsecond_part() {
        assert_eq!(super::now().nanosecond() % 1_000, 0);
    }
}
