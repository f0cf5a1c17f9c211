//! One typed `Settings`, resolved from flags, the environment and a TOML file, and
//! checked before anything starts.
//!
//! Precedence is flag, then environment variable, then config file, then default. Each
//! value is parsed where it is read, so an error names exactly where the bad value came
//! from (`--listen`, `SENSATE_LISTEN` or the file's `listen` key). An unsafe combination
//! refuses to start with a message saying how to fix it; the process exits with code 2.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use sensate_store::DatabaseUrl;
use serde::Deserialize;
use thiserror::Error;

/// The default listening address: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The default data directory, relative to where Sensate is started.
pub const DEFAULT_DATA_DIR: &str = "./sensate-data";

/// A setting that is missing, malformed or unsafe. Shown to the operator as it is.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// The certificate and key Sensate terminates TLS with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
}

/// Everything the server needs to know to start, validated.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where the web application listens.
    pub listen: SocketAddr,
    /// The private directory holding the SQLite database (and, later, keys and backups).
    pub data_dir: PathBuf,
    /// Where the data lives.
    pub database: DatabaseUrl,
    /// The key file that wraps every data key; never inside a backup.
    pub key_file: PathBuf,
    /// Where people reach Sensate (`https://sensate.example.org`), for links in emails.
    pub public_url: Option<String>,
    /// Development mail transport: write each outgoing email as a file here.
    pub mail_dir: Option<PathBuf>,
    /// Where Prometheus metrics are served; loopback only. None: no metrics.
    pub metrics_listen: Option<SocketAddr>,
    /// When set, Sensate serves HTTPS itself.
    pub tls: Option<TlsFiles>,
    /// The TLS-terminating proxies in front of Sensate, when there are any.
    pub trusted_proxies: Vec<IpAddr>,
    /// How logs are written.
    pub log_format: LogFormat,
}

impl Settings {
    /// The address people reach Sensate at, for links in emails: the configured
    /// `public_url`, or this server's own address.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => {
                let scheme = if self.served_over_tls() {
                    "https"
                } else {
                    "http"
                };
                format!("{scheme}://{}", self.listen)
            }
        }
    }

    /// True when people reach Sensate over HTTPS (directly or through a proxy).
    pub fn served_over_tls(&self) -> bool {
        self.tls.is_some() || !self.trusted_proxies.is_empty()
    }
}

/// Values given on the command line; `None` where a flag was not given.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--config`
    pub config: Option<PathBuf>,
    /// `--listen`
    pub listen: Option<String>,
    /// `--data-dir`
    pub data_dir: Option<PathBuf>,
    /// `--database-url`
    pub database_url: Option<String>,
    /// `--key-file`
    pub key_file: Option<PathBuf>,
    /// `--public-url`
    pub public_url: Option<String>,
    /// `--mail-dir`
    pub mail_dir: Option<PathBuf>,
    /// `--metrics-listen`
    pub metrics_listen: Option<String>,
    /// `--tls-cert`
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key`
    pub tls_key: Option<PathBuf>,
    /// `--trusted-proxy` (repeatable)
    pub trusted_proxies: Vec<String>,
    /// `--log-format`
    pub log_format: Option<String>,
}

/// The config file's keys; any other key is an error that names it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    key_file: Option<PathBuf>,
    public_url: Option<String>,
    mail_dir: Option<PathBuf>,
    metrics_listen: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    trusted_proxies: Option<Vec<String>>,
    log_format: Option<String>,
}

/// A value and a description of where it came from, for error messages.
struct Sourced<T> {
    value: T,
    source: String,
}

/// Picks the flag, else the environment variable, else the file's key.
fn pick<T>(
    flag: Option<T>,
    flag_name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    env_name: &str,
    file: Option<T>,
    file_key: &str,
) -> Option<Sourced<T>>
where
    T: From<String>,
{
    if let Some(value) = flag {
        return Some(Sourced {
            value,
            source: flag_name.to_owned(),
        });
    }
    if let Some(value) = env(env_name).filter(|v| !v.is_empty()) {
        return Some(Sourced {
            value: T::from(value),
            source: format!("the {env_name} environment variable"),
        });
    }
    file.map(|value| Sourced {
        value,
        source: format!("the config file's `{file_key}` key"),
    })
}

impl Settings {
    /// Resolves and validates settings from flags, the environment (looked up through
    /// `env`, so tests need not touch the process's) and the config file the flags or
    /// environment name.
    pub fn resolve(
        flags: Flags,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let config_path = flags.config.clone().or_else(|| {
            env("SENSATE_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let file = match &config_path {
            Some(path) => read_config_file(path)?,
            None => FileSettings::default(),
        };

        let listen = pick(
            flags.listen,
            "--listen",
            env,
            "SENSATE_LISTEN",
            file.listen,
            "listen",
        )
        .map(|s| parse_addr(&s))
        .transpose()?
        .unwrap_or_else(default_listen);
        let data_dir = pick(
            flags.data_dir,
            "--data-dir",
            env,
            "SENSATE_DATA_DIR",
            file.data_dir,
            "data_dir",
        )
        .map_or_else(|| PathBuf::from(DEFAULT_DATA_DIR), |s| s.value);
        let database = pick(
            flags.database_url,
            "--database-url",
            env,
            "SENSATE_DATABASE_URL",
            file.database_url,
            "database_url",
        )
        .map(|s| {
            DatabaseUrl::parse(&s.value).map_err(|e| ConfigError(format!("{}: {e}", s.source)))
        })
        .transpose()?
        .unwrap_or_else(|| DatabaseUrl::default_in(&data_dir));
        let key_file = pick(
            flags.key_file,
            "--key-file",
            env,
            "SENSATE_KEY_FILE",
            file.key_file,
            "key_file",
        )
        .map_or_else(|| default_key_file(&data_dir), |s| s.value);
        let public_url = pick(
            flags.public_url,
            "--public-url",
            env,
            "SENSATE_PUBLIC_URL",
            file.public_url,
            "public_url",
        )
        .map(|s| check_public_url(&s.value, &s.source))
        .transpose()?;
        let mail_dir = pick(
            flags.mail_dir,
            "--mail-dir",
            env,
            "SENSATE_MAIL_DIR",
            file.mail_dir,
            "mail_dir",
        )
        .map(|s| s.value);
        let metrics_listen = pick(
            flags.metrics_listen,
            "--metrics-listen",
            env,
            "SENSATE_METRICS_LISTEN",
            file.metrics_listen,
            "metrics_listen",
        )
        .map(|s| parse_addr(&s))
        .transpose()?;
        let tls_cert = pick(
            flags.tls_cert,
            "--tls-cert",
            env,
            "SENSATE_TLS_CERT",
            file.tls_cert,
            "tls_cert",
        );
        let tls_key = pick(
            flags.tls_key,
            "--tls-key",
            env,
            "SENSATE_TLS_KEY",
            file.tls_key,
            "tls_key",
        );
        let tls = match (tls_cert, tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.value,
                key: key.value,
            }),
            (None, None) => None,
            (Some(given), None) | (None, Some(given)) => {
                return Err(ConfigError(format!(
                    "TLS needs both a certificate and a key, but only one was given (from {}); \
                     give both --tls-cert and --tls-key, or neither",
                    given.source
                )));
            }
        };
        let trusted_proxies = trusted_proxies(flags.trusted_proxies, env, file.trusted_proxies)?;
        let log_format = pick(
            flags.log_format,
            "--log-format",
            env,
            "SENSATE_LOG_FORMAT",
            file.log_format,
            "log_format",
        )
        .map(|s| match s.value.as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(ConfigError(format!(
                "{}: log format `{other}` is not one Sensate writes; use `text` or `json`",
                s.source
            ))),
        })
        .transpose()?
        .unwrap_or(LogFormat::Text);

        let settings = Settings {
            listen,
            data_dir,
            database,
            key_file,
            public_url,
            mail_dir,
            metrics_listen,
            tls,
            trusted_proxies,
            log_format,
        };
        settings.check_safety()?;
        Ok(settings)
    }

    /// Refuses combinations that would expose clinical data.
    fn check_safety(&self) -> Result<(), ConfigError> {
        if !self.listen.ip().is_loopback() && self.tls.is_none() && self.trusted_proxies.is_empty()
        {
            return Err(ConfigError(format!(
                "refusing to serve plain HTTP on {listen}, which other machines can reach: \
                 clinical data would cross the network unencrypted.\n\
                 Fix it one of these ways:\n  \
                 - give a certificate and key: --tls-cert FILE --tls-key FILE\n  \
                 - if a TLS-terminating proxy forwards to Sensate, name it: --trusted-proxy ITS_IP_ADDRESS\n  \
                 - keep Sensate on this machine only: --listen 127.0.0.1:{port}",
                listen = self.listen,
                port = self.listen.port(),
            )));
        }
        if let Some(metrics) = self.metrics_listen
            && !metrics.ip().is_loopback()
        {
            return Err(ConfigError(format!(
                "refusing to serve metrics on {metrics}: metrics are for this machine only; \
                 use a loopback address such as --metrics-listen 127.0.0.1:9464"
            )));
        }
        if let DatabaseUrl::Postgres(url) = &self.database
            && let Some(problem) = sensate_store_postgres::transport_problem(url)
        {
            return Err(ConfigError(format!("refusing to connect: {problem}")));
        }
        if let Some(tls) = &self.tls {
            for (what, path) in [("certificate", &tls.cert), ("key", &tls.key)] {
                if !path.is_file() {
                    return Err(ConfigError(format!(
                        "the TLS {what} file {} does not exist or is not a file",
                        path.display()
                    )));
                }
            }
            if let Some(mode) = group_or_other_access(&tls.key) {
                return Err(ConfigError(format!(
                    "the TLS key {} can be read by other users (mode {mode:o}); run: chmod 600 {}",
                    tls.key.display(),
                    tls.key.display()
                )));
            }
        }
        Ok(())
    }
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

fn parse_addr(given: &Sourced<String>) -> Result<SocketAddr, ConfigError> {
    given.value.trim().parse().map_err(|_| {
        ConfigError(format!(
            "{}: `{}` is not an address and port such as 127.0.0.1:8080",
            given.source, given.value
        ))
    })
}

fn trusted_proxies(
    flags: Vec<String>,
    env: &dyn Fn(&str) -> Option<String>,
    file: Option<Vec<String>>,
) -> Result<Vec<IpAddr>, ConfigError> {
    let (values, source) = if !flags.is_empty() {
        (flags, "--trusted-proxy".to_owned())
    } else if let Some(list) = env("SENSATE_TRUSTED_PROXIES").filter(|v| !v.is_empty()) {
        (
            list.split(',').map(|s| s.trim().to_owned()).collect(),
            "the SENSATE_TRUSTED_PROXIES environment variable".to_owned(),
        )
    } else if let Some(list) = file {
        (list, "the config file's `trusted_proxies` key".to_owned())
    } else {
        return Ok(Vec::new());
    };
    values
        .iter()
        .map(|v| {
            v.parse::<IpAddr>().map_err(|_| {
                ConfigError(format!(
                    "{source}: `{v}` is not an IP address; name the proxy by its address, e.g. 10.0.0.2"
                ))
            })
        })
        .collect()
}

fn read_config_file(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read the config file {}: {e}",
            path.display()
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        ConfigError(
            format!(
                "the config file {} is not valid: {}",
                path.display(),
                e.message()
            ) + location(&text, e.span()).as_str(),
        )
    })
}

/// " (line N)" for a parse error's position, when it has one.
fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|range| {
        let line = text[..range.start.min(text.len())].matches('\n').count() + 1;
        format!(" (line {line})")
    })
    .unwrap_or_default()
}

/// The permission bits that let someone other than the owner in, if any are set.
pub fn group_or_other_access(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Makes sure the data directory exists and only its owner can enter it.
///
/// A new directory is created private (0700). An existing one that others can read
/// is refused rather than silently changed: the operator should know it was exposed.
pub fn prepare_data_dir(dir: &Path) -> Result<(), ConfigError> {
    if !dir.exists() {
        create_private_dir(dir).map_err(|e| {
            ConfigError(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(ConfigError(format!(
            "the data directory {} exists but is not a directory",
            dir.display()
        )));
    }
    if let Some(mode) = group_or_other_access(dir) {
        return Err(ConfigError(format!(
            "the data directory {} can be read by other users (mode {mode:o}); \
             clinical data must be private to Sensate's user. Run: chmod 700 {}",
            dir.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Creates the key file's folder, private to Sensate's user, when it is missing.
pub fn prepare_key_dir(key_file: &Path) -> Result<(), ConfigError> {
    match key_file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => create_private_dir(dir)
            .map_err(|e| {
                ConfigError(format!(
                    "cannot create the key folder {}: {e}",
                    dir.display()
                ))
            }),
        _ => Ok(()),
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests;

/// The key file's place when none is given: a private folder inside the data directory.
/// Backups never include it (see docs/encryption.md); an operator may point
/// `--key-file` at another disk instead.
pub fn default_key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("sensate.key")
}

/// A public URL must be an absolute http(s) address with no path, query or fragment,
/// since links are built by appending to it.
fn check_public_url(raw: &str, source: &str) -> Result<String, ConfigError> {
    let refuse = |why: &str| {
        ConfigError(format!(
            "{source}: `{raw}` {why}; give the address people open, such as https://sensate.example.org"
        ))
    };
    let url = url::Url::parse(raw).map_err(|_| refuse("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(refuse("is not an http or https address"));
    }
    if url.query().is_some() || url.fragment().is_some() || url.path() != "/" {
        return Err(refuse("has a path, query or fragment"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}
