//! The PostgreSQL backend: how a deployment grows past one machine.
//!
//! Several stateless `sensate` processes share one PostgreSQL server, so everything a
//! second process would need lives here, not in one process's memory. Traffic to a
//! server on another machine is always TLS with the certificate verified: a URL that
//! names a remote host without `sslmode` is upgraded to `verify-full`, and one that asks
//! for less is refused (the binary refuses it before getting here, with a message saying
//! how to fix it; this is the second check).

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
mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
mod therapy_sessions;
mod throttle;
mod wordings;

use std::str::FromStr;
use std::time::Duration;

use sensate_store::{PostgresUrl, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};

/// Connections per process; several processes share the server's limit.
const MAX_CONNECTIONS: u32 = 10;
/// How long a request waits for a free connection before the database counts as down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sensate's storage on a PostgreSQL server.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the server `url` names.
    pub async fn connect(url: &PostgresUrl) -> Result<Self, StoreError> {
        let options = connect_options(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(error::from_sqlx)?;
        Ok(Self { pool })
    }
}

/// Why a PostgreSQL URL is unsafe to use, if it is: a remote host reached without a
/// verified TLS connection.
pub fn transport_problem(url: &PostgresUrl) -> Option<String> {
    if url.is_local() {
        return None;
    }
    match url.ssl_mode() {
        None => None,
        Some(mode) if mode.verifies_certificate() => None,
        Some(_) => Some(format!(
            "the PostgreSQL server {} is on another machine, and sslmode in the database URL does not verify its certificate; \
             use sslmode=verify-full (add sslrootcert=/path/to/ca.pem if its certificate is from a private authority)",
            url.host_for_display()
        )),
    }
}

fn connect_options(url: &PostgresUrl) -> Result<PgConnectOptions, StoreError> {
    if let Some(problem) = transport_problem(url) {
        return Err(StoreError::Unavailable(problem));
    }
    let options = PgConnectOptions::from_str(url.expose())
        .map_err(|e| StoreError::Unavailable(format!("the PostgreSQL URL is not usable: {e}")))?
        .application_name("sensate");
    Ok(if !url.is_local() && url.ssl_mode().is_none() {
        options.ssl_mode(PgSslMode::VerifyFull)
    } else {
        options
    })
}

mod error {
    //! Turning driver errors into the storage layer's few kinds.

    use sensate_store::StoreError;

    pub(crate) fn from_sqlx(error: sqlx::Error) -> StoreError {
        match error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(error.to_string()),
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
mod tests {
    use sensate_store::DatabaseUrl;

    use super::*;

    fn pg(raw: &str) -> PostgresUrl {
        match DatabaseUrl::parse(raw).unwrap() {
            DatabaseUrl::Postgres(pg) => pg,
            DatabaseUrl::Sqlite(_) => panic!("not PostgreSQL"),
        }
    }

    #[test]
    fn a_remote_server_without_verified_tls_is_refused() {
        for mode in ["disable", "allow", "prefer", "require"] {
            let url = pg(&format!("postgres://u@db.example.org/s?sslmode={mode}"));
            let problem = transport_problem(&url).expect("refused");
            assert!(problem.contains("sslmode=verify-full"), "{problem}");
        }
    }

    #[test]
    fn a_remote_server_with_verified_tls_is_accepted() {
        for mode in ["verify-ca", "verify-full"] {
            let url = pg(&format!("postgres://u@db.example.org/s?sslmode={mode}"));
            assert_eq!(transport_problem(&url), None);
        }
    }

    #[test]
    fn a_remote_server_without_sslmode_is_upgraded_to_verify_full() {
        let url = pg("postgres://u@db.example.org/s");
        assert_eq!(transport_problem(&url), None);
        let options = connect_options(&url).unwrap();
        assert!(matches!(options.get_ssl_mode(), PgSslMode::VerifyFull));
    }

    #[test]
    fn a_local_server_may_go_without_tls() {
        let url = pg("postgres://u@127.0.0.1/s?sslmode=disable");
        assert_eq!(transport_problem(&url), None);
    }
}
