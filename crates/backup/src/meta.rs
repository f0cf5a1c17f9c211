//! What a backup says about itself: when it was made, by which Sensate, of which kind of database,
//! and how long the snapshot inside is.
//!
//! These travel in the header in the clear (the length is visible from the file's size anyway), so
//! they can be shown before the key file is at hand, and they are authenticated with everything
//! else. The text fields are short printable ASCII, checked on the way in and on the way out: a
//! header is read before it is authenticated, and its text may end up on an operator's terminal, so
//! it must not be able to carry control characters.

use std::fmt;

use time::OffsetDateTime;

use crate::error::BackupError;
use crate::stream::MAX_PLAINTEXT_LEN;

/// The most bytes a backend name may take in the header.
pub(crate) const BACKEND_NAME_MAX_LEN: usize = 8;
/// The most bytes the producer may take in the header.
pub(crate) const PRODUCER_MAX_LEN: usize = 32;

/// The kind of database a backup holds, which decides how it is restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// An SQLite database file (the snapshot `VACUUM INTO` writes).
    Sqlite,
}

impl Backend {
    /// The name recorded in the header (`"sqlite"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
        }
    }

    /// The backend with this recorded name, if this version of Sensate knows it.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "sqlite" => Some(Self::Sqlite),
            _ => None,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The description of a backup, written into its header and returned when it is restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupMeta {
    created_at: OffsetDateTime,
    backend: Backend,
    producer: String,
    plaintext_len: u64,
}

impl BackupMeta {
    /// Describes a new backup:
    ///
    /// - `created_at`, when the snapshot was taken; kept in UTC to the microsecond (finer parts are
    ///   dropped, so that the value read back equals the value returned here);
    /// - `backend`, the kind of database;
    /// - `producer`, what wrote it, such as `"sensate 0.1.0"`: 1 to 32 printable ASCII characters;
    /// - `plaintext_len`, the snapshot's exact length in bytes. [`crate::write_backup`] refuses a
    ///   snapshot of any other length ([`BackupError::SnapshotChanged`]); at most 256 TiB.
    pub fn new(
        created_at: OffsetDateTime,
        backend: Backend,
        producer: &str,
        plaintext_len: u64,
    ) -> Result<Self, BackupError> {
        let invalid = |reason| BackupError::InvalidMeta { reason };
        let micros = i64::try_from(created_at.unix_timestamp_nanos().div_euclid(1000))
            .map_err(|_| invalid("the creation time is out of range"))?;
        let created_at = created_at_from_micros(micros)
            .ok_or_else(|| invalid("the creation time is out of range"))?;
        if !is_label(producer, PRODUCER_MAX_LEN) {
            return Err(invalid(
                "the producer must be 1 to 32 printable ASCII characters",
            ));
        }
        if plaintext_len > MAX_PLAINTEXT_LEN {
            return Err(invalid(
                "the database is larger than a backup can hold (256 TiB)",
            ));
        }
        Ok(Self {
            created_at,
            backend,
            producer: producer.to_owned(),
            plaintext_len,
        })
    }

    /// A description read from a header whose fields were already checked.
    pub(crate) fn from_header(
        created_at: OffsetDateTime,
        backend: Backend,
        producer: String,
        plaintext_len: u64,
    ) -> Self {
        Self {
            created_at,
            backend,
            producer,
            plaintext_len,
        }
    }

    /// When the snapshot was taken, in UTC, to the microsecond.
    #[must_use]
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }

    /// The kind of database the backup holds.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What wrote the backup, such as `"sensate 0.1.0"`.
    #[must_use]
    pub fn producer(&self) -> &str {
        &self.producer
    }

    /// The snapshot's length in bytes.
    #[must_use]
    pub fn plaintext_len(&self) -> u64 {
        self.plaintext_len
    }

    /// The creation time as whole microseconds since 1970-01-01T00:00:00Z, as the header stores it.
    pub(crate) fn created_at_micros(&self) -> i64 {
        // `new` and the header parser only accept times whose microseconds fit in an i64.
        i64::try_from(self.created_at.unix_timestamp_nanos() / 1000).unwrap_or_default()
    }
}

/// The time `micros` microseconds after 1970-01-01T00:00:00Z, if the `time` crate can hold it.
pub(crate) fn created_at_from_micros(micros: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).ok()
}

/// Whether `text` may be a header's text field: 1 to `max_len` printable ASCII characters.
pub(crate) fn is_label(text: &str, max_len: usize) -> bool {
    (1..=max_len).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_graphic() || byte == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_creation_time_is_kept_in_utc_to_the_microsecond() {
        let taken = datetime!(2026-05-01 12:00:00.123_456_789 +02:00);
        let meta = BackupMeta::new(taken, Backend::Sqlite, "sensate 0.1.0", 0).unwrap();
        assert_eq!(
            meta.created_at(),
            datetime!(2026-05-01 10:00:00.123_456 UTC)
        );
        assert_eq!(meta.created_at().offset(), time::UtcOffset::UTC);
        assert_eq!(
            created_at_from_micros(meta.created_at_micros()),
            Some(meta.created_at())
        );
    }

    #[test]
    fn times_before_1970_round_down_to_the_microsecond() {
        let taken = datetime!(1969-12-31 23:59:59.999_999_5 UTC);
        let meta = BackupMeta::new(taken, Backend::Sqlite, "sensate", 0).unwrap();
        assert_eq!(
            meta.created_at(),
            datetime!(1969-12-31 23:59:59.999_999 UTC)
        );
        assert_eq!(meta.created_at_micros(), -1);
    }

    #[test]
    fn a_producer_must_be_short_printable_ascii() {
        let now = OffsetDateTime::UNIX_EPOCH;
        for producer in [
            "",
            "sensate\n",
            "sensate \u{1b}[31m",
            "sensaté",
            &"x".repeat(33),
        ] {
            assert!(
                matches!(
                    BackupMeta::new(now, Backend::Sqlite, producer, 0),
                    Err(BackupError::InvalidMeta { .. })
                ),
                "{producer:?}"
            );
        }
        assert!(BackupMeta::new(now, Backend::Sqlite, &"x".repeat(32), 0).is_ok());
    }

    #[test]
    fn a_snapshot_larger_than_a_backup_can_hold_is_refused_up_front() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert!(BackupMeta::new(now, Backend::Sqlite, "sensate", MAX_PLAINTEXT_LEN).is_ok());
        assert!(matches!(
            BackupMeta::new(now, Backend::Sqlite, "sensate", MAX_PLAINTEXT_LEN + 1),
            Err(BackupError::InvalidMeta { .. })
        ));
    }

    #[test]
    fn backend_names_read_back_as_the_same_backend() {
        assert_eq!(
            Backend::from_name(Backend::Sqlite.name()),
            Some(Backend::Sqlite)
        );
        assert_eq!(Backend::from_name("postgres"), None);
    }
}
