//! Fresh PostgreSQL databases for tests: one new database per test.
//!
//! Tests run against PostgreSQL when `SENSATE_TEST_DATABASE_URL` names a server on which
//! the user may create databases (CI sets it); otherwise each test prints a notice and
//! passes without running. Each test gets `sensate_t_<random>`, dropped when the test
//! ends — even when it panics — from a helper thread, because `Drop` cannot await.

use std::ops::Deref;

use sensate_store::{DatabaseUrl, PostgresUrl, Schema};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::PostgresStore;

/// The environment variable naming the server tests may use.
pub const TEST_DATABASE_URL: &str = "SENSATE_TEST_DATABASE_URL";

/// A migrated, empty PostgreSQL database that is dropped with this value.
pub struct TestDatabase {
    store: PostgresStore,
    url: PostgresUrl,
    admin: String,
    name: String,
}

impl TestDatabase {
    /// A new database, or `None` (with a notice) when no test server is configured.
    #[expect(
        clippy::expect_used,
        reason = "a test that cannot make its database cannot run"
    )]
    pub async fn fresh() -> Option<Self> {
        let Ok(admin) = std::env::var(TEST_DATABASE_URL) else {
            eprintln!(
                "note: {TEST_DATABASE_URL} is not set; skipping the PostgreSQL run of this test"
            );
            return None;
        };
        let name = format!("sensate_t_{}", Uuid::now_v7().simple());
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create a test database");
        conn.close().await.ok();

        let mut url = url::Url::parse(&admin).expect("test URL parses");
        url.set_path(&name);
        let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(url.as_str()).expect("test URL") else {
            panic!("{TEST_DATABASE_URL} must be a postgres:// URL");
        };
        let store = PostgresStore::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate PostgreSQL");
        Some(Self {
            store,
            url,
            admin,
            name,
        })
    }

    /// The URL of this test's database.
    pub fn url(&self) -> &PostgresUrl {
        &self.url
    }

    /// The store, by value, for handing to an application under test.
    pub fn store(&self) -> PostgresStore {
        self.store.clone()
    }
}

impl Deref for TestDatabase {
    type Target = PostgresStore;

    fn deref(&self) -> &PostgresStore {
        &self.store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("note: could not drop the test database {}", self.name);
        }
    }
}
