//! The embedded SQLite backend: Sensate's default, one file in the data directory.
//!
//! Durability and safety settings, each chosen on purpose:
//! - **WAL** so readers never block the writer and a process crash loses no committed
//!   transaction;
//! - **`synchronous=FULL`** so a committed transaction also survives power loss
//!   (NORMAL would only survive a process crash);
//! - **foreign keys on**, and **`secure_delete`** so deleted rows are overwritten rather
//!   than left readable in free pages;
//! - a **busy timeout**, and every write transaction begun with **`BEGIN IMMEDIATE`**
//!   so a transaction that reads and then writes waits for the lock instead of failing
//!   with `SQLITE_BUSY` half-way;
//! - a **writer pool of one connection** (SQLite has one writer at a time anyway, and
//!   queueing in the pool is fairer than retrying on the lock) beside a small pool of
//!   read-only connections.

mod accounts;
mod audit;
mod care_settings;
mod cases;
mod consents;
mod directory;
mod directory_inbox;
mod formulations;
mod intakes;
mod invitations;
mod keys;
mod messages;
mod plans;
mod practices;
mod questionnaires;
mod resets;
mod schema;
mod snapshot;
#[cfg(feature = "testing")]
pub mod testing;
mod therapy_sessions;
mod throttle;
mod wordings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sensate_store::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

/// How long a connection waits for another's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Read-only connections: enough for both cores with room for slow requests.
const READERS: u32 = 4;

/// Sensate's storage on an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path`. The file and its WAL
    /// companions are made readable by the owner only.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("secure_delete", "ON");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(error::from_sqlx)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .min_connections(0)
            .connect_with(base.read_only(true))
            .await
            .map_err(error::from_sqlx)?;
        owner_only(path);
        Ok(Self {
            reader,
            writer,
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Begins a write transaction that holds the write lock from its first statement.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(error::from_sqlx)
    }
}

/// Restricts the database file and its WAL companions to their owner.
///
/// The data directory is already private (the binary refuses to start otherwise); this
/// is the second lock on the same door, for a file copied out of it.
fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut files = vec![path.to_owned()];
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
        for file in files {
            if file.exists()
                && let Err(error) =
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            {
                tracing::warn!(file = %file.display(), %error, "could not restrict database file permissions");
            }
        }
    }
}

/// A time as SQLite stores it: RFC 3339 in UTC with exactly six fractional digits.
///
/// SQLite compares these as text, so every value must have the same width: sqlx's own
/// encoding drops trailing zeros (`…27.4624Z` beside `…27.462405Z`), and `Z` sorts after
/// the digits, so ORDER BY and range comparisons went wrong by a few microseconds. Every
/// time bound in this backend goes through here; reading back is sqlx's RFC 3339 parse.
pub(crate) fn time_text(at: time::OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.microsecond()
    )
}

mod error {
    //! Turning driver errors into the storage layer's few kinds.

    use sensate_store::StoreError;

    pub(crate) fn from_sqlx(error: sqlx::Error) -> StoreError {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(error.to_string())
            }
            other => StoreError::Backend(other.to_string()),
        }
    }

    /// Like [`from_sqlx`], but a unique-key violation is a conflict over `what`.
    pub(crate) fn conflict_or(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { what },
            _ => from_sqlx(error),
        }
    }
}

#[cfg(test)]
mod time_tests {
    use time::macros::datetime;

    #[test]
    fn stored_times_have_one_width_and_sort_as_text() {
        let earlier = datetime!(2026-11-22 08:50:27.4624 UTC);
        let later = datetime!(2026-11-22 08:50:27.462405 UTC);
        assert_eq!(super::time_text(earlier), "2026-11-22T08:50:27.462400Z");
        assert!(super::time_text(earlier) < super::time_text(later));
        let whole = datetime!(2026-11-22 09:00:00 +02:00);
        assert_eq!(super::time_text(whole), "2026-11-22T07:00:00.000000Z");
    }
}
