//! Migrations and health for the PostgreSQL backend.

use async_trait::async_trait;
use sensate_store::{Backend, Schema, SchemaStatus, StoreError};
use sqlx::migrate::Migrator;

use crate::{PostgresStore, error};

/// The migrations in `migrations/`, embedded in the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[async_trait]
impl Schema for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // The migrator takes an advisory lock, so several processes starting at once
        // apply each migration exactly once.
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))
    }

    async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .map_err(error::from_sqlx)?;
        let applied: Vec<i64> = if has_table {
            sqlx::query_scalar(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(error::from_sqlx)?
        } else {
            Vec::new()
        };
        Ok(status_of(&MIGRATOR, &applied))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(error::from_sqlx)
    }

    async fn close(&self) {
        self.pool.close().await;
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
