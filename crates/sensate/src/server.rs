//! Serving: bind the listeners, migrate, serve until SIGINT or SIGTERM, then let
//! requests in flight finish.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::routing::get;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use metrics_exporter_prometheus::PrometheusHandle;
use sensate_app::App;
use sensate_store::Store;
use sensate_web::{AppState, WebSettings};

use crate::settings::Settings;
use crate::telemetry;

/// How long requests in flight may take to finish after a shutdown signal.
const GRACE: Duration = Duration::from_secs(20);

/// A bind failure the operator can act on, said in one line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BindError(pub String);

/// Binds a listening socket, turning the common failures into one plain line.
pub fn bind(addr: SocketAddr, what: &str, flag: &str) -> Result<TcpListener, BindError> {
    let listener = TcpListener::bind(addr).map_err(|e| {
        BindError(match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "{addr} is already in use by another program; stop it, or give Sensate's {what} another address with {flag}"
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "not allowed to listen on {addr} (ports below 1024 need privileges); choose another with {flag}"
            ),
            std::io::ErrorKind::AddrNotAvailable => format!(
                "{addr} is not an address of this machine; choose another with {flag}"
            ),
            _ => format!("cannot listen on {addr}: {e}"),
        })
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| BindError(format!("cannot listen on {addr}: {e}")))?;
    Ok(listener)
}

/// The application for these settings over this store.
pub fn app(app: App, settings: &Settings) -> Router {
    sensate_web::router(AppState::new(
        app,
        WebSettings {
            served_over_tls: settings.served_over_tls(),
            public_url: settings.public_url(),
        },
    ))
}

/// How often the server looks for questionnaire notices to send. Rounds open and close
/// on the day, so a few minutes' delay is invisible to a client.
const NOTICES_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Sends questionnaire notices and reminders for as long as the server runs. A failed
/// run is logged (without content) and tried again next time: each notice is stored
/// once, so nothing is sent twice.
async fn send_notices(application: App, link_base: String) {
    let mut every = tokio::time::interval(NOTICES_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match application.send_questionnaire_notices(&link_base).await {
            Ok(sent) if sent.opened + sent.reminders > 0 => {
                tracing::info!(
                    opened = sent.opened,
                    reminders = sent.reminders,
                    "questionnaire notices sent"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "questionnaire notices: this run failed"),
        }
    }
}

/// Serves the web application (and metrics, when configured) until a shutdown signal.
/// `on_ready` runs once the listener is bound and the database migrated.
pub async fn serve(
    settings: &Settings,
    application: App,
    store: Arc<dyn Store>,
    listener: TcpListener,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    if let Some(metrics_addr) = settings.metrics_listen {
        let metrics_listener = bind(metrics_addr, "metrics", "--metrics-listen")?;
        let handle = telemetry::install_metrics()?;
        tokio::spawn(serve_metrics(metrics_listener, handle));
        tracing::info!(address = %metrics_addr, "metrics listening");
    }

    let local = listener.local_addr()?;
    let handle: Handle<SocketAddr> = Handle::new();
    tokio::spawn(shutdown_on_signal(handle.clone()));
    tokio::spawn(send_notices(application.clone(), settings.public_url()));
    // The directory's search index, built now so the first searches are fast (the
    // database answers them until it is ready).
    application.build_search_index_soon();
    let app = app(application, settings).into_make_service_with_connect_info::<SocketAddr>();

    on_ready(local);
    match &settings.tls {
        Some(tls) => {
            let config = RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                .await
                .with_context(|| {
                    format!(
                        "loading the TLS certificate {} and key {}",
                        tls.cert.display(),
                        tls.key.display()
                    )
                })?;
            axum_server::from_tcp_rustls(listener, config)?
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            axum_server::from_tcp(listener)?
                .handle(handle)
                .serve(app)
                .await?;
        }
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn serve_metrics(listener: TcpListener, handle: PrometheusHandle) {
    let router = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move { handle.render() }
        }),
    );
    let served = match axum_server::from_tcp(listener) {
        Ok(server) => server.serve(router.into_make_service()).await,
        Err(e) => Err(e),
    };
    if let Err(error) = served {
        tracing::error!(%error, "the metrics listener stopped");
    }
}

async fn shutdown_on_signal(handle: Handle<SocketAddr>) {
    wait_for_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    handle.graceful_shutdown(Some(GRACE));
}

async fn wait_for_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
