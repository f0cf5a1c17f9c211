//! Opening the store a [`DatabaseUrl`] names: the one place that picks a backend.

use std::sync::Arc;

use anyhow::Context;
use sensate_store::{DatabaseUrl, Store};
use sensate_store_postgres::PostgresStore;
use sensate_store_sqlite::SqliteStore;

/// Opens the database and applies any migrations not yet applied.
pub async fn open_and_migrate(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    let store = open(url).await?;
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {url}"))?;
    Ok(store)
}

/// Opens the database without migrating it.
pub async fn open(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(
            SqliteStore::open(path)
                .await
                .with_context(|| format!("opening the SQLite database {}", path.display()))?,
        ),
        DatabaseUrl::Postgres(pg) => Arc::new(
            PostgresStore::connect(pg)
                .await
                .with_context(|| format!("connecting to PostgreSQL at {pg}"))?,
        ),
    })
}
