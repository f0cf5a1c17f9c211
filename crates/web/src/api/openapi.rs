//! The OpenAPI 3.1 document of the JSON API, built from the handlers' annotations.
//!
//! A test checks that every `/api` route is in it and every path in it is a route, and
//! compares it with the snapshot in `crates/web/openapi.json`, so a change to the API
//! shows as a reviewable diff.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{cases, messages, plans, sessions};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sensate",
        description = "The clinician's cases, clients, treatment plans, sessions, notes and \
            messages, and a client's own plan and messages. Every request uses the web session (sign in with the \
            second factor first); POST and PUT also carry the session's anti-forgery \
            token, from GET /api/session, in the X-CSRF-Token header. Every read and \
            write is audited, and an item someone may not see answers 404 exactly like \
            one that does not exist.",
    ),
    paths(
        super::session,
        cases::list_cases,
        cases::search_cases,
        cases::open_case,
        cases::get_case,
        cases::close_case,
        cases::reopen_case,
        cases::get_client,
        plans::case_plan,
        plans::save_plan,
        plans::my_plan,
        plans::acknowledge,
        sessions::list_sessions,
        sessions::record_session,
        sessions::get_session,
        sessions::save_note,
        sessions::add_addendum,
        sessions::get_process_note,
        sessions::save_process_note,
        messages::case_messages,
        messages::clinician_send,
        messages::clinician_share,
        messages::my_messages,
        messages::client_send,
        messages::client_share,
    ),
    modifiers(&SessionCookie),
    security(("session" = [], "csrf" = [])),
    tags(
        (name = "session", description = "Who is signed in"),
        (name = "cases", description = "The caseload, cases and clients' records"),
        (name = "plans", description = "Treatment plans and their revisions"),
        (name = "sessions", description = "Sessions, progress notes, addenda and process notes"),
        (name = "messages", description = "Messages within a case, to everyone or privately"),
        (name = "portal", description = "A client's own view"),
    )
)]
pub(crate) struct ApiDoc;

/// Describes the session cookie and the anti-forgery header.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // utoipa fills in the crate's licence, and Sensate's crates name none.
        openapi.info.license = None;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::COOKIE_NAME,
                "The session cookie set by signing in at /sign-in.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's anti-forgery token (from GET /api/session); needed on POST and PUT.",
            ))),
        );
    }
}

/// The document itself.
pub(crate) fn spec() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Serves the OpenAPI document (public: it describes the API, not anyone's data).
pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(spec())
}
