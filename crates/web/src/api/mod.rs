//! The JSON API: cases, clients, treatment plans, sessions, notes and messages, for
//! clinicians' own tools and scripts, and a client's own plan and messages.
//!
//! It is the pages' twin, not a back door: every handler calls the same application
//! function the page does, so the access policy, the sealing and the audit rows are the
//! same. A refused or missing item answers 404 exactly like the pages.
//!
//! It uses the web session (the `__Host-sensate` cookie, after signing in with the
//! second factor). A state-changing request must also carry the session's anti-forgery
//! token in the `X-CSRF-Token` header; `GET /api/session` hands it out. Errors are JSON
//! with a stable `error` code and a plain-words `message` that never repeats what was
//! sent (a field's value can be clinical).
//!
//! The OpenAPI document is built from the handlers' annotations ([`openapi`]) and served
//! at `/api/openapi.json`; a test keeps the route table and the document in step and
//! snapshots the document.

mod cases;
mod error;
mod json;
mod messages;
pub(crate) mod openapi;
mod plans;
mod sessions;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sensate_app::SessionStage;
use serde::Serialize;
use utoipa::ToSchema;

pub(crate) use error::ApiError;

use crate::routes::Routes;
use crate::session::{Member, Visitor};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/api/openapi.json", openapi::document)
        .get("/api/session", session)
        .merge(cases::router())
        .merge(plans::router())
        .merge(sessions::router())
        .merge(messages::router())
}

/// A fully signed-in person calling the API; anyone else gets 401 (not a redirect to a
/// sign-in page a script cannot use).
pub(crate) struct ApiMember(pub(crate) Member);

impl<S: Send + Sync> FromRequestParts<S> for ApiMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.signed_in {
            Some(signed_in) if signed_in.stage == SessionStage::Full => Ok(ApiMember(Member {
                signed_in,
                audit: visitor.audit,
            })),
            _ => Err(ApiError::SignInRequired),
        }
    }
}

impl ApiMember {
    /// The clinician app's door: every clinical API route asks first.
    pub(crate) fn clinician(&self) -> Result<&Member, ApiError> {
        self.0.in_clinician_app()?;
        Ok(&self.0)
    }
}

/// Who is signed in, and the token their state-changing requests carry.
#[derive(Serialize, ToSchema)]
pub(crate) struct SessionOut {
    /// The account's id.
    account_id: String,
    /// `owner`, `clinician`, `client` or `verifier`.
    role: &'static str,
    /// The practice's id (none for a directory verifier).
    practice_id: Option<String>,
    /// Send this as the `X-CSRF-Token` header with every POST and PUT.
    csrf_token: String,
}

/// Who is signed in, and the anti-forgery token for this session.
#[utoipa::path(
    get,
    path = "/api/session",
    tag = "session",
    responses(
        (status = 200, description = "Signed in", body = SessionOut),
        (status = 401, description = "Not signed in", body = error::Problem),
    )
)]
pub(crate) async fn session(member: ApiMember) -> Json<SessionOut> {
    let signed_in = &member.0.signed_in;
    Json(SessionOut {
        account_id: signed_in.account_id.to_string(),
        role: signed_in.role.code(),
        practice_id: signed_in.practice_id.map(|id| id.to_string()),
        csrf_token: signed_in.csrf_token().to_owned(),
    })
}

/// A timestamp as RFC 3339 (UTC), the API's one format for times.
pub(crate) fn timestamp(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
