//! The database itself: which backend, its migrations, and whether it answers.

use async_trait::async_trait;

use crate::StoreError;

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The name an operator would use.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// One migration the binary knows about, and whether this database has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// Its version (a UTC timestamp such as 20261122000000).
    pub version: i64,
    /// Its description, from the file name.
    pub description: String,
    /// True when this database has applied it.
    pub applied: bool,
}

/// The state of the database schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Every migration the binary carries, oldest first.
    pub migrations: Vec<Migration>,
}

impl SchemaStatus {
    /// The status of the migrations a binary carries (`known`: version and
    /// description, oldest first), given the versions a database has applied.
    pub fn of<'a>(known: impl IntoIterator<Item = (i64, &'a str)>, applied: &[i64]) -> Self {
        Self {
            migrations: known
                .into_iter()
                .map(|(version, description)| Migration {
                    version,
                    description: description.to_owned(),
                    applied: applied.contains(&version),
                })
                .collect(),
        }
    }

    /// How many of the binary's migrations are not yet applied.
    pub fn pending(&self) -> usize {
        self.migrations.iter().filter(|m| !m.applied).count()
    }
}

/// The database as a whole.
#[async_trait]
pub trait Schema {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Applies every migration not yet applied. Safe to run again, and safe for several
    /// processes at once (PostgreSQL takes an advisory lock; SQLite a write lock).
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Which migrations this binary carries and which are applied.
    async fn schema_status(&self) -> Result<SchemaStatus, StoreError>;

    /// Answers when the database answers a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Closes every connection, waiting for work in flight.
    async fn close(&self);
}
