//! Sensate's web layer: the routers of the four faces (public site, clinician app,
//! client portal, practice admin), the middleware every response passes through, and
//! the one mapping from errors to responses.
//!
//! Only this crate knows axum. Pages are server-rendered askama templates that work
//! without JavaScript; styles are first-party and embedded in the binary. Each area has
//! its own module with one `router()`, merged here.

mod admin;
mod api;
mod assets;
mod audit_page;
mod care_settings;
mod cases;
mod clinic;
mod consent;
mod directory;
mod error;
mod exports;
mod formulation;
mod health;
mod instruments_admin;
mod intake;
mod layers;
mod messages;
mod page;
mod passwords;
mod people;
mod plans;
mod portal;
mod public;
mod questionnaires;
mod routes;
mod session;
mod sign_in;
mod therapy_sessions;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use sensate_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::WebError;
pub use routes::RouteInfo;

/// The largest request body accepted at all: a credential form with its document. The
/// session guard holds every other form and JSON body to 256 KiB.
const BODY_LIMIT_BYTES: usize = 3 * 1024 * 1024;
/// A request that takes longer than this is answered with 408 and abandoned.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the web layer needs to know about how it is being served.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// True when clients reach Sensate over HTTPS: Sensate terminates TLS itself, or a
    /// trusted proxy in front does. Turns on HSTS.
    pub served_over_tls: bool,
    /// The address people reach Sensate at, for links in emails (never taken from a
    /// request's Host header, which a sender controls).
    pub public_url: String,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            served_over_tls: false,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    app: App,
    settings: Arc<WebSettings>,
}

impl AppState {
    /// Wraps the application and the settings for the router.
    pub fn new(app: App, settings: WebSettings) -> Self {
        Self {
            app,
            settings: Arc::new(settings),
        }
    }

    /// The store, through the application.
    pub(crate) fn store(&self) -> &dyn sensate_store::Store {
        self.app.store()
    }
}

fn all_routes() -> routes::Routes {
    routes::Routes::new()
        .merge(public::router())
        .merge(api::router())
        .merge(clinic::router())
        .merge(cases::router())
        .merge(consent::router())
        .merge(intake::router())
        .merge(formulation::router())
        .merge(plans::router())
        .merge(therapy_sessions::router())
        .merge(messages::router())
        .merge(exports::router())
        .merge(questionnaires::router())
        .merge(portal::router())
        .merge(admin::router())
        .merge(instruments_admin::router())
        .merge(care_settings::router())
        .merge(directory::router())
        .merge(sign_in::router())
        .merge(people::router())
        .merge(audit_page::router())
        .merge(passwords::router())
        .merge(health::router())
        .merge(assets::router())
}

/// Every route the application answers, in registration order (for the
/// authorisation matrix test).
pub fn route_table() -> Vec<RouteInfo> {
    all_routes().table
}

/// The JSON API's OpenAPI document, as served at `/api/openapi.json` (pretty-printed,
/// for the snapshot test and for reading).
pub fn openapi_document() -> String {
    api::openapi::spec()
        .to_pretty_json()
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}

/// The whole web application.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    all_routes()
        .router
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::guard,
        ))
        .with_state(state)
        // Layers wrap what comes before them: the last added runs first.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(move |req, next| {
            layers::security_headers(settings.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(layers::request_context))
}
