//! Logs and metrics.
//!
//! Logs go to standard error (standard output is for command results such as
//! `sensate score`), as text or JSON, filtered by `RUST_LOG` (default `info`). No log
//! line carries a request body, a form field or a query string: the web layer only
//! ever logs method, route template, status, duration and request id.
//!
//! Metrics are recorded through the `metrics` facade; a Prometheus recorder is
//! installed only when a metrics listener is configured, and served on that loopback
//! listener alone.

use std::io::IsTerminal;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::settings::LogFormat;

/// Starts logging. Safe to call once per process; later calls are ignored.
pub fn init_logging(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    let _already_set = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Buckets for request latency, in seconds: fine-grained where pages should be.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// Installs the Prometheus recorder for this process and returns its handle.
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets(LATENCY_BUCKETS)?
        .install_recorder()?;
    Ok(handle)
}
