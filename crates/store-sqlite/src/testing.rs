//! Fresh SQLite databases for tests: one temporary directory per test.

use std::ops::Deref;

use sensate_store::Schema;

use crate::SqliteStore;

/// A migrated, empty SQLite database that disappears with this value.
pub struct TestDatabase {
    store: SqliteStore,
    dir: tempfile::TempDir,
}

impl TestDatabase {
    /// A new database in its own temporary directory. Always available; returns
    /// `Option` to match backends that may be missing.
    #[expect(
        clippy::expect_used,
        reason = "a test that cannot make its database cannot run"
    )]
    pub async fn fresh() -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(&dir.path().join("sensate.db"))
            .await
            .expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        Some(Self { store, dir })
    }

    /// The directory holding the database (a stand-in data directory).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The store, by value, for handing to an application under test.
    pub fn store(&self) -> SqliteStore {
        self.store.clone()
    }
}

impl Deref for TestDatabase {
    type Target = SqliteStore;

    fn deref(&self) -> &SqliteStore {
        &self.store
    }
}
