//! The web layer's error, and the one place errors become responses.
//!
//! Handlers return `Result<_, WebError>`. The person sees a short, plain page (or JSON
//! for API routes, later) that never includes internal details; the detail is logged
//! once, here, inside the request's span so it carries the request id — never with
//! clinical content, which is why only ids and driver messages reach this type.

use std::any::Any;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sensate_store::StoreError;

use sensate_app::AppError;

use crate::page::Chrome;

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page, or not one this person may see (the two answer identically).
    #[error("not found")]
    NotFound,
    /// The database is not answering.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else that went wrong on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(reason) => WebError::Unavailable(reason),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Store(store) => store.into(),
            AppError::Vault(sensate_app::VaultError::Store(store)) => store.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(error: askama::Error) -> Self {
        WebError::Internal(format!("template: {error}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    explanation: &'static str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, explanation) = match &self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no page at this address, or it is not one you can open. Check the address, or go back to the home page.",
            ),
            WebError::Unavailable(reason) => {
                tracing::error!(error = %reason, "storage unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sensate is not available just now",
                    "Nothing you entered has been lost. Please try again in a minute; if this keeps happening, let your practice know.",
                )
            }
            WebError::Internal(reason) => {
                tracing::error!(error = %reason, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side",
                    "Please try again. If it happens again, let your practice know the time it happened so they can look into it.",
                )
            }
        };
        error_page(status, title, explanation)
    }
}

fn error_page(status: StatusCode, title: &'static str, explanation: &'static str) -> Response {
    let page = ErrorPage {
        chrome: Chrome::plain(),
        title,
        explanation,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        // The error template has no fallible parts; if rendering still fails, a bare
        // status is better than a second error.
        Err(_) => status.into_response(),
    }
}

/// The fallback for every address no router claims.
pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
}

/// Turns a panic in a handler into a plain 500 page. The panic message is not shown
/// (it could hold anything); it is logged without its payload.
pub(crate) fn panic_response(_payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    WebError::Internal("handler panicked".into()).into_response()
}
