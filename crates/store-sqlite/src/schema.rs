//! Migrations and health for the SQLite backend.

use async_trait::async_trait;
use sensate_store::{Backend, Schema, SchemaStatus, StoreError};
use sqlx::migrate::Migrator;

use crate::{SqliteStore, error};

/// The migrations in `migrations/`, embedded in the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[async_trait]
impl Schema for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.writer)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        // The first migration may have created the WAL files.
        crate::owner_only(&self.path);
        Ok(())
    }

    async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let has_table: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
        )
        .fetch_one(&self.reader)
        .await
        .map_err(error::from_sqlx)?;
        let applied: Vec<i64> = if has_table {
            sqlx::query_scalar(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
            )
            .fetch_all(&self.reader)
            .await
            .map_err(error::from_sqlx)?
        } else {
            Vec::new()
        };
        Ok(status_of(&MIGRATOR, &applied))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.reader)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// Which of the binary's migrations this database has applied.
fn status_of(migrator: &Migrator, applied: &[i64]) -> SchemaStatus {
    SchemaStatus::of(
        migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .map(|m| (m.version, m.description.as_ref())),
        applied,
    )
}
