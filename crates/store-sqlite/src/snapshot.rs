//! What `sensate backup` and `sensate restore` need from the SQLite file: a consistent copy
//! taken while the server runs, and SQLite's own check of a restored copy.
//!
//! The copy is `VACUUM INTO`, rather than copying the file or using the online-backup API:
//! it runs inside one read transaction, so under WAL it sees one snapshot and never blocks
//! the server's writer; it writes a single, compact file with no `-wal` beside it (so there
//! is nothing to forget to copy); and it works on a read-only connection, so the backup
//! never needs the write lock. A file copy would tear under concurrent writes, and the
//! online-backup API restarts whenever another connection writes.

use std::path::Path;

use sensate_store::StoreError;

use crate::{SqliteStore, error};

impl SqliteStore {
    /// Writes a consistent copy of the whole database, as of one moment, to `path`, while
    /// other connections (a running server) go on reading and writing.
    ///
    /// `path` must not exist: it is created here, readable by its owner only (0600), before
    /// SQLite fills it. Its folder must exist; the caller chooses a private one, because the
    /// copy holds everything the database holds. The copy is fsynced as the database is
    /// (`synchronous=FULL`). On an error, the caller removes whatever is at `path`.
    ///
    /// A path that is not UTF-8, or holds a NUL byte, is refused: SQLite takes the name as
    /// text. The name is bound as a parameter, never spliced into SQL, and made absolute
    /// first, so SQLite cannot read it as a `file:` URI.
    pub async fn snapshot_to(&self, path: &Path) -> Result<(), StoreError> {
        let refuse = |reason: &str| {
            StoreError::Backend(format!(
                "cannot write a snapshot to {}: {reason}",
                path.display()
            ))
        };
        let absolute = std::path::absolute(path).map_err(|e| refuse(&e.to_string()))?;
        let Some(name) = absolute.to_str() else {
            return Err(refuse("the path is not valid UTF-8"));
        };
        if name.contains('\0') {
            return Err(refuse("the path holds a NUL byte"));
        }
        create_private_file(&absolute).map_err(|e| refuse(&e.to_string()))?;
        // VACUUM INTO refuses a file with any content, but accepts the empty one made above,
        // which keeps its mode. It runs outside any transaction, as it must.
        sqlx::query("VACUUM INTO ?")
            .bind(name)
            .execute(&self.reader)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    /// Runs SQLite's full consistency check (`PRAGMA integrity_check`) and its foreign-key
    /// check, and fails with the first problem each reports: for a restored copy, before it
    /// replaces anything.
    pub async fn check_integrity(&self) -> Result<(), StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "database file",
            reason,
        };
        let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.reader)
            .await
            .map_err(error::from_sqlx)?;
        match problems.first() {
            Some(first) if problems.len() == 1 && first == "ok" => {}
            Some(first) => {
                return Err(corrupt(format!(
                    "SQLite's integrity check failed ({} problem(s); the first: {first})",
                    problems.len()
                )));
            }
            None => return Err(corrupt("SQLite's integrity check gave no answer".into())),
        }
        // Each row names a table and a rowid whose foreign key points nowhere.
        let orphans: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
                .fetch_all(&self.reader)
                .await
                .map_err(error::from_sqlx)?;
        match orphans.first() {
            None => Ok(()),
            Some((table, rowid)) => Err(corrupt(format!(
                "{} row(s) point at rows that do not exist; the first is in table {table}{}",
                orphans.len(),
                rowid.map(|id| format!(", rowid {id}")).unwrap_or_default()
            ))),
        }
    }
}

/// Creates an empty file only its owner may read or write; fails if anything is there.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}
