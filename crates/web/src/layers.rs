//! Middleware every response passes through.
//!
//! - [`request_context`] gives each request an id (returned as `X-Request-Id` and
//!   carried by every log line of that request), records Prometheus metrics labelled by
//!   route *template* (never the raw path, whose ids and typos would make labels
//!   unbounded), and logs one line per request at debug level. It never logs query
//!   strings, headers or bodies: a search or a form can hold clinical words.
//! - [`security_headers`] sets the headers that keep pages from loading anything from
//!   elsewhere, being framed, or leaking their address, and marks every response not
//!   explicitly public as `no-store`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use uuid::Uuid;

use crate::WebSettings;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// No inline script or style, nothing from any other origin, no framing, forms post only
/// to us, and no `<base>` rewriting.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The request's id, for handlers to put in audit rows.
#[derive(Clone, Debug)]
pub(crate) struct RequestTag(pub(crate) String);

/// Request id, metrics and a debug log line for every request.
pub(crate) async fn request_context(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = Uuid::now_v7().simple().to_string();
    request.extensions_mut().insert(RequestTag(id.clone()));
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let span = tracing::info_span!("request", request_id = %id);

    let mut response = next.run(request).instrument(span.clone()).await;

    let status = response.status();
    let elapsed = started.elapsed();
    metrics::counter!(
        "http_requests_total",
        "method" => method.to_string(),
        "route" => route.clone(),
        "status" => status.as_u16().to_string(),
    )
    .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route.clone())
        .record(elapsed.as_secs_f64());
    span.in_scope(|| {
        let duration_ms = elapsed.as_secs_f64() * 1000.0;
        if status.is_server_error() {
            tracing::warn!(%method, %route, status = status.as_u16(), duration_ms, "request failed");
        } else {
            tracing::debug!(%method, %route, status = status.as_u16(), duration_ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// The security headers of every response.
pub(crate) async fn security_headers(
    settings: Arc<WebSettings>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if settings.served_over_tls {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    // Only responses that say they are public (embedded assets) may be cached; any
    // page could one day carry something private, so the default is to keep nothing.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
