//! `GET /healthz`: for load balancers and service managers.
//!
//! 200 when the database answers a trivial query within two seconds, 503 otherwise.
//! The body says which, and nothing else about the installation.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;
use crate::routes::Routes;

const PING_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) fn router() -> Routes {
    Routes::new().get("/healthz", healthz)
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(PING_TIMEOUT, state.store().ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database not answering");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
