//! When an audit row was recorded: a UTC instant in whole microseconds.
//!
//! The caller supplies the time (the domain's clock already truncates to microseconds), so
//! this crate stays free of I/O and tests can fix it. Microseconds are what PostgreSQL's
//! `timestamptz` keeps, so the value hashed into the chain is exactly the value read back
//! from either backend; a finer time is refused rather than silently rounded, because a
//! rounded copy would no longer match its hash.

use time::OffsetDateTime;

use crate::InvalidField;

/// The UTC instant an audit row was recorded, to the microsecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordedAt {
    micros: i64,
    utc: OffsetDateTime,
}

impl RecordedAt {
    /// Takes an instant, in any offset, and keeps it as UTC.
    ///
    /// # Errors
    /// [`InvalidField::SubMicrosecondTime`] if it has a part finer than a microsecond;
    /// [`InvalidField::TimeOutOfRange`] if it is too far from 1970 to count in an `i64` of
    /// microseconds (only possible with `time`'s large-dates feature).
    pub fn new(at: OffsetDateTime) -> Result<Self, InvalidField> {
        if !at.nanosecond().is_multiple_of(1_000) {
            return Err(InvalidField::SubMicrosecondTime);
        }
        let micros = i64::try_from(at.unix_timestamp_nanos() / 1_000)
            .map_err(|_| InvalidField::TimeOutOfRange)?;
        Ok(Self {
            micros,
            utc: at.to_offset(time::UtcOffset::UTC),
        })
    }

    /// Reads an instant back from microseconds since 1970-01-01T00:00:00Z.
    ///
    /// # Errors
    /// [`InvalidField::TimeOutOfRange`] if it is outside the years `time` can represent.
    pub fn from_unix_micros(micros: i64) -> Result<Self, InvalidField> {
        let utc = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
            .map_err(|_| InvalidField::TimeOutOfRange)?;
        Ok(Self { micros, utc })
    }

    /// The instant, in UTC, for storage and display.
    pub fn as_datetime(&self) -> OffsetDateTime {
        self.utc
    }

    /// Microseconds since 1970-01-01T00:00:00Z: the form hashed into the chain.
    pub fn unix_micros(&self) -> i64 {
        self.micros
    }
}

impl TryFrom<OffsetDateTime> for RecordedAt {
    type Error = InvalidField;

    fn try_from(at: OffsetDateTime) -> Result<Self, Self::Error> {
        Self::new(at)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_time_in_another_offset_is_kept_as_the_same_instant_in_utc() {
        let local = RecordedAt::new(datetime!(2026-03-01 10:00:00.123456 +01:00)).unwrap();
        let utc = RecordedAt::new(datetime!(2026-03-01 09:00:00.123456 UTC)).unwrap();
        assert_eq!(local, utc);
        assert_eq!(local.as_datetime().offset(), time::UtcOffset::UTC);
    }

    #[test]
    fn a_time_with_nanoseconds_is_refused_rather_than_rounded() {
        let at = datetime!(2026-03-01 09:00:00.123456789 UTC);
        assert_eq!(RecordedAt::new(at), Err(InvalidField::SubMicrosecondTime));
    }

    #[test]
    fn a_time_survives_a_round_trip_through_its_microseconds() {
        let at = RecordedAt::new(datetime!(1969-12-31 23:59:59.999999 UTC)).unwrap();
        assert_eq!(at.unix_micros(), -1);
        assert_eq!(RecordedAt::from_unix_micros(at.unix_micros()), Ok(at));
    }
}
