//! Which database to use, parsed strictly from what the operator wrote.
//!
//! A typo such as `postgress://` must never fall through to "a file path" and silently
//! create an empty SQLite database beside the real one (vaultwarden's lesson), so
//! anything that looks like a URL with an unknown scheme is refused with the accepted
//! forms named.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use thiserror::Error;
use url::Url;

/// The accepted forms, for error messages.
const ACCEPTED: &str = "use postgres://USER@HOST/DATABASE, sqlite:PATH, or a plain file path";

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(PostgresUrl),
}

/// Why a database URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DatabaseUrlError {
    /// Nothing was given.
    #[error("the database URL is empty; {ACCEPTED}")]
    Empty,
    /// A scheme Sensate does not know, such as a typo.
    #[error("the database URL scheme `{scheme}:` is not one Sensate knows; {ACCEPTED}")]
    UnknownScheme {
        /// The scheme as written.
        scheme: String,
    },
    /// `sqlite::memory:` and friends: everything would vanish at exit.
    #[error(
        "an in-memory SQLite database would lose every record when Sensate stops; give a file path"
    )]
    InMemory,
    /// SQLite URL options are not supported; Sensate sets its own.
    #[error(
        "SQLite URL options (`?{0}`) are not supported: Sensate sets journal, sync and locking itself; give just the path"
    )]
    SqliteOptions(String),
    /// A PostgreSQL URL that does not parse.
    #[error("the PostgreSQL URL is malformed ({0}); {ACCEPTED}")]
    MalformedPostgres(String),
    /// A PostgreSQL URL without a database name.
    #[error(
        "the PostgreSQL URL names no database; add one after the host, e.g. postgres://sensate@db.example/sensate"
    )]
    NoDatabaseName,
    /// An `sslmode` value PostgreSQL does not know.
    #[error(
        "sslmode `{0}` is not a PostgreSQL sslmode; use verify-full (or disable, allow, prefer, require, verify-ca)"
    )]
    UnknownSslMode(String),
}

impl DatabaseUrl {
    /// Parses a database URL or SQLite path.
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        let Some((scheme, rest)) = split_scheme(raw) else {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => PostgresUrl::parse(raw).map(DatabaseUrl::Postgres),
            "sqlite" => parse_sqlite(rest),
            _ => Err(DatabaseUrlError::UnknownScheme {
                scheme: scheme.to_owned(),
            }),
        }
    }

    /// The default: `sensate.db` inside the data directory.
    pub fn default_in(data_dir: &Path) -> Self {
        DatabaseUrl::Sqlite(data_dir.join("sensate.db"))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DatabaseUrl::Postgres(pg) => pg.fmt(f),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Splits `scheme:rest` when the text starts with something shaped like a URL scheme.
///
/// A scheme is a letter followed by letters, digits, `+`, `-` or `.`, then `:`. A
/// one-letter scheme is not treated as one, so a Windows drive (`C:\data`) stays a path.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    let colon = raw.find(':')?;
    let scheme = &raw[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let shaped = first.is_ascii_alphabetic()
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    shaped.then(|| (scheme, &raw[colon + 1..]))
}

fn parse_sqlite(rest: &str) -> Result<DatabaseUrl, DatabaseUrlError> {
    // `sqlite://relative`, `sqlite:///absolute` and `sqlite:path` all name a file.
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.starts_with(':') || path.contains("mode=memory") {
        return Err(DatabaseUrlError::InMemory);
    }
    if let Some((_, query)) = path.split_once('?') {
        return Err(DatabaseUrlError::SqliteOptions(query.to_owned()));
    }
    if path.is_empty() {
        return Err(DatabaseUrlError::Empty);
    }
    Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
}

/// How a PostgreSQL connection uses TLS (the libpq `sslmode` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// TLS only if the server insists.
    Allow,
    /// TLS if the server offers it, unverified.
    Prefer,
    /// TLS always, certificate unverified.
    Require,
    /// TLS with the certificate chain verified.
    VerifyCa,
    /// TLS with the chain and the host name verified.
    VerifyFull,
}

impl SslMode {
    fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        Ok(match raw {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => return Err(DatabaseUrlError::UnknownSslMode(other.to_owned())),
        })
    }

    /// True when the server's certificate is checked, so a machine in the middle cannot
    /// read the traffic.
    pub fn verifies_certificate(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

/// A parsed PostgreSQL URL. Its password never appears in `Display` or `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl {
    url: Url,
    ssl_mode: Option<SslMode>,
}

impl PostgresUrl {
    fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let url =
            Url::parse(raw).map_err(|e| DatabaseUrlError::MalformedPostgres(e.to_string()))?;
        if url.path().trim_start_matches('/').is_empty() {
            return Err(DatabaseUrlError::NoDatabaseName);
        }
        let ssl_mode = url
            .query_pairs()
            .find(|(key, _)| key == "sslmode")
            .map(|(_, value)| SslMode::parse(&value))
            .transpose()?;
        Ok(Self { url, ssl_mode })
    }

    /// The full URL, password included, for the driver only.
    pub fn expose(&self) -> &str {
        self.url.as_str()
    }

    /// The `sslmode` the operator wrote, if any.
    pub fn ssl_mode(&self) -> Option<SslMode> {
        self.ssl_mode
    }

    /// True when the server is on this machine: a loopback address, `localhost`, or a
    /// Unix socket (no host, or a `host=/path` parameter).
    pub fn is_local(&self) -> bool {
        if let Some((_, socket_dir)) = self.url.query_pairs().find(|(key, _)| key == "host") {
            return socket_dir.starts_with('/');
        }
        match self.url.host() {
            None => true,
            // `postgres:` is not a scheme the URL standard knows, so even an IP address
            // arrives here as an opaque "domain".
            Some(url::Host::Domain(name)) => {
                name.eq_ignore_ascii_case("localhost")
                    || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
            }
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        }
    }

    /// The host as written, for messages.
    pub fn host_for_display(&self) -> String {
        self.url.host_str().unwrap_or("(local socket)").to_owned()
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.url.clone();
        if shown.password().is_some() {
            // Setting a password only fails for URLs that cannot have one, and this one has one.
            let _ = shown.set_password(Some("********"));
        }
        f.write_str(shown.as_str())
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(raw: &str) -> PostgresUrl {
        match DatabaseUrl::parse(raw).unwrap() {
            DatabaseUrl::Postgres(pg) => pg,
            other => panic!("expected PostgreSQL, got {other}"),
        }
    }

    #[test]
    fn a_plain_path_is_an_sqlite_file() {
        assert_eq!(
            DatabaseUrl::parse("./data/sensate.db").unwrap(),
            DatabaseUrl::Sqlite("./data/sensate.db".into())
        );
    }

    #[test]
    fn sqlite_urls_name_a_file_in_each_spelling() {
        for (raw, path) in [
            ("sqlite:data/s.db", "data/s.db"),
            ("sqlite://data/s.db", "data/s.db"),
            ("sqlite:///var/lib/s.db", "/var/lib/s.db"),
            ("SQLITE:s.db", "s.db"),
        ] {
            assert_eq!(
                DatabaseUrl::parse(raw).unwrap(),
                DatabaseUrl::Sqlite(path.into()),
                "{raw}"
            );
        }
    }

    #[test]
    fn a_misspelt_scheme_is_refused_with_the_accepted_forms() {
        let err = DatabaseUrl::parse("postgress://db/sensate").unwrap_err();
        assert_eq!(
            err,
            DatabaseUrlError::UnknownScheme {
                scheme: "postgress".into()
            }
        );
        let message = err.to_string();
        assert!(message.contains("postgress"), "{message}");
        assert!(message.contains("postgres://"), "{message}");
        assert!(message.contains("sqlite:"), "{message}");
    }

    #[test]
    fn other_schemes_are_refused() {
        for raw in ["mysql://db/x", "http://x/y", "file:x.db"] {
            assert!(
                matches!(
                    DatabaseUrl::parse(raw),
                    Err(DatabaseUrlError::UnknownScheme { .. })
                ),
                "{raw}"
            );
        }
    }

    #[test]
    fn in_memory_sqlite_is_refused() {
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:"),
            Err(DatabaseUrlError::InMemory)
        );
    }

    #[test]
    fn sqlite_options_are_refused() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite:x.db?mode=rwc"),
            Err(DatabaseUrlError::SqliteOptions(_))
        ));
    }

    #[test]
    fn empty_is_refused() {
        assert_eq!(DatabaseUrl::parse("  "), Err(DatabaseUrlError::Empty));
        assert_eq!(DatabaseUrl::parse("sqlite:"), Err(DatabaseUrlError::Empty));
    }

    #[test]
    fn both_postgres_spellings_are_accepted() {
        assert!(!pg("postgres://u@h/db").is_local());
        assert!(pg("postgresql://u@localhost/db").is_local());
    }

    #[test]
    fn a_postgres_url_needs_a_database_name() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h"),
            Err(DatabaseUrlError::NoDatabaseName)
        );
    }

    #[test]
    fn loopback_and_sockets_count_as_local() {
        assert!(pg("postgres://u@127.0.0.1:5432/db").is_local());
        assert!(pg("postgres://u@[::1]/db").is_local());
        assert!(pg("postgres:///db").is_local());
        assert!(pg("postgres://u@x/db?host=/run/postgresql").is_local());
        assert!(!pg("postgres://u@10.0.0.5/db").is_local());
        assert!(!pg("postgres://u@db.example.org/db").is_local());
    }

    #[test]
    fn sslmode_is_read_and_checked() {
        assert_eq!(
            pg("postgres://u@h/db?sslmode=verify-full").ssl_mode(),
            Some(SslMode::VerifyFull)
        );
        assert_eq!(pg("postgres://u@h/db").ssl_mode(), None);
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db?sslmode=yes"),
            Err(DatabaseUrlError::UnknownSslMode("yes".into()))
        );
    }

    #[test]
    fn the_password_never_shows() {
        let url = DatabaseUrl::parse("postgres://sensate:hunter2secret@db/x").unwrap();
        assert!(!url.to_string().contains("hunter2secret"));
        assert!(!format!("{url:?}").contains("hunter2secret"));
    }
}
