//! The session cookie, who a request comes from, and protection against forged forms.
//!
//! The cookie is `__Host-sensate`: `Secure`, `HttpOnly`, `SameSite=Lax`, `Path=/` and no
//! `Domain`, so no other site or subdomain can set or read it, and script cannot touch
//! it. It holds a random token; the database holds only the token's digest.
//!
//! Every state-changing request passes [`guard`]: a cross-site request (by the
//! browser's `Sec-Fetch-Site`, or an `Origin` that is not ours) is refused, and a
//! request carrying a session must also carry that session's anti-forgery token: in the
//! form field `csrf`, or for the JSON API in the `X-CSRF-Token` header. Forms before
//! sign-in (setup, sign-in) have no session to bind a token to; for them the origin
//! check is the protection.

use std::net::{IpAddr, SocketAddr};

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sensate_app::{AuditContext, SessionStage, SignedIn};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_domain::access::{Intent, Resource, decide};

use crate::layers::RequestTag;
use crate::{AppState, WebError};

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "__Host-sensate";
/// The largest form the guard reads to find its token (the body limit is larger, but
/// no form that needs a token is).
const FORM_LIMIT: usize = 256 * 1024;
/// A credential form carries its licence document as a `data:` URL (2 MB, base64).
const EVIDENCE_FORM_LIMIT: usize = 3 * 1024 * 1024;
const EVIDENCE_FORM: &str = "/clinic/directory/credentials";

/// The request's session, resolved once by [`guard`] and kept in the extensions.
#[derive(Clone)]
pub(crate) struct Visitor {
    pub(crate) signed_in: Option<SignedIn>,
    pub(crate) ip: Option<IpAddr>,
    pub(crate) audit: AuditContext,
}

/// The cookie that starts (or replaces) a session.
pub(crate) fn session_cookie(token: &SecretString) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={}; Path=/; Secure; HttpOnly; SameSite=Lax",
        token.expose_secret()
    ))
    .unwrap_or_else(|_| ended_cookie())
}

/// The cookie that ends a session in the browser.
pub(crate) fn ended_cookie() -> HeaderValue {
    HeaderValue::from_static("__Host-sensate=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A response that sets the session cookie.
pub(crate) fn with_cookie(cookie: HeaderValue, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response.headers_mut().append(SET_COOKIE, cookie);
    response
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
}

/// True when the browser says the request comes from another site.
///
/// `Sec-Fetch-Site` decides when present (every current browser sends it). Otherwise an
/// `Origin` naming another host is cross-site. `Origin: null` proves nothing either way:
/// under our `Referrer-Policy: no-referrer` browsers send it even for a same-origin form
/// (Fetch standard, "append a request `Origin` header"), so it is not refused here; forms
/// of a signed-in session still need their token.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null") | None, _) => false,
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .trim_end_matches('/');
            origin_host != host
        }
        (Some(_), None) => true,
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Decodes `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |&b| b == b'=');
            let key = decode(parts.next().unwrap_or_default());
            let value = decode(parts.next().unwrap_or_default());
            (key, value)
        })
}

fn decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A refusal before any handler runs: plain words for a page, the JSON error shape
/// (`error`, `message`) for the API, whose callers read JSON.
fn refuse(api: bool, status: StatusCode, code: &'static str, message: &'static str) -> Response {
    if api {
        (
            status,
            axum::Json(serde_json::json!({ "error": code, "message": message })),
        )
            .into_response()
    } else {
        (status, message).into_response()
    }
}

/// Resolves the session and refuses forged state-changing requests.
pub(crate) async fn guard(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let token = cookie_token(&parts.headers);
    let signed_in = match &token {
        Some(token) => match state.app.session(token).await {
            Ok(found) => found,
            Err(error) => return WebError::from(error).into_response(),
        },
        None => None,
    };
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let api = parts.uri.path().starts_with("/api/");
    let body = if unsafe_method {
        if cross_site(&parts.headers) {
            return refuse(
                api,
                StatusCode::FORBIDDEN,
                "forbidden",
                if api {
                    "This request came from another site, so Sensate refused it."
                } else {
                    "This form was sent from another site, so Sensate refused it."
                },
            );
        }
        let limit = if parts.uri.path() == EVIDENCE_FORM {
            EVIDENCE_FORM_LIMIT
        } else {
            FORM_LIMIT
        };
        let Ok(bytes) = to_bytes(body, limit).await else {
            return refuse(
                api,
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                if api {
                    "That body is too large to send in one request."
                } else {
                    "That form is too large."
                },
            );
        };
        if let (Some(_), Some(token)) = (&signed_in, &token) {
            // Forms carry the token as a field; the JSON API sends it as a header.
            let presented = parts
                .headers
                .get("x-csrf-token")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
                .or_else(|| form_field(&bytes, "csrf"))
                .unwrap_or_default();
            if !state.app.csrf_matches(token, &presented) {
                return if api {
                    refuse(
                        true,
                        StatusCode::FORBIDDEN,
                        "forbidden",
                        "Send this session's anti-forgery token, from GET /api/session, in the X-CSRF-Token header.",
                    )
                } else {
                    refuse(
                        false,
                        StatusCode::FORBIDDEN,
                        "forbidden",
                        "This form has expired or was not sent from this page. Go back, reload the page and try again.",
                    )
                };
            }
        }
        Body::from(bytes)
    } else {
        body
    };
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let request_id = parts
        .extensions
        .get::<RequestTag>()
        .map(|tag| tag.0.clone());
    parts.extensions.insert(Visitor {
        signed_in,
        ip,
        audit: AuditContext { request_id },
    });
    let stale_cookie = token.is_some()
        && parts
            .extensions
            .get::<Visitor>()
            .is_some_and(|visitor| visitor.signed_in.is_none());
    let response = next.run(Request::from_parts(parts, body)).await;
    if stale_cookie {
        // An expired or ended session: clear it from the browser too.
        with_cookie(ended_cookie(), response)
    } else {
        response
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| WebError::Internal("the session guard did not run".into()))
    }
}

/// A fully signed-in person; anyone else is sent to where they stand in signing in.
pub(crate) struct Member {
    pub(crate) signed_in: SignedIn,
    pub(crate) audit: AuditContext,
}

impl<S: Send + Sync> FromRequestParts<S> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.signed_in {
            None => Err(Redirect::to("/sign-in").into_response()),
            Some(signed_in) => match signed_in.stage {
                SessionStage::CodeDue => Err(Redirect::to("/sign-in/code").into_response()),
                SessionStage::EnrolmentDue => {
                    Err(Redirect::to("/account/two-factor").into_response())
                }
                SessionStage::Full => Ok(Member {
                    signed_in,
                    audit: visitor.audit,
                }),
            },
        }
    }
}

impl Member {
    /// Asks the access policy; a refusal answers exactly like a missing page.
    pub(crate) fn may(&self, intent: Intent, resource: &Resource<'_>) -> Result<(), WebError> {
        if decide(&self.signed_in.actor(), intent, resource).allowed() {
            Ok(())
        } else {
            Err(WebError::NotFound)
        }
    }

    /// The member's practice, or not found for someone without one.
    pub(crate) fn practice(&self) -> Result<sensate_domain::PracticeId, WebError> {
        self.signed_in.practice_id.ok_or(WebError::NotFound)
    }

    /// May they use the clinician app of their practice? (Every clinic page asks first.)
    pub(crate) fn in_clinician_app(&self) -> Result<(), WebError> {
        self.may(
            Intent::Read,
            &Resource::ClinicianApp {
                practice: self.practice()?,
            },
        )
    }

    /// Is this their own portal? (Every portal page asks first.)
    pub(crate) fn in_own_portal(&self) -> Result<(), WebError> {
        self.may(
            Intent::Read,
            &Resource::Portal {
                client: self.signed_in.account_id,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_decoded() {
        let body = b"email=a%40b.example&csrf=abc-_123&name=Hel%C3%A8ne+C";
        assert_eq!(form_field(body, "csrf").as_deref(), Some("abc-_123"));
        assert_eq!(form_field(body, "email").as_deref(), Some("a@b.example"));
        assert_eq!(form_field(body, "name").as_deref(), Some("Helène C"));
        assert_eq!(form_field(b"x=%", "x").as_deref(), Some("%"));
        assert_eq!(form_field(b"x=%4", "x").as_deref(), Some("%4"));
    }

    #[test]
    fn another_origin_is_cross_site() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(!cross_site(&headers), "no origin: a non-browser client");
        headers.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(!cross_site(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(cross_site(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(
            !cross_site(&headers),
            "no-referrer makes browsers send a null origin"
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!cross_site(&headers), "fetch metadata decides when present");
    }
}
