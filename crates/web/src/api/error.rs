//! The API's errors: a status, a stable code, a plain message, and for bad input the
//! problem with each field. Internal detail is logged (inside the request's span), never
//! sent; no message repeats a value that was sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sensate_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::WebError;

/// What went wrong with one field.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub(crate) struct FieldProblem {
    /// The field, as named in the request (`clients[1].email`, say).
    pub(crate) field: String,
    /// What is wrong, in plain words.
    pub(crate) message: String,
}

impl FieldProblem {
    pub(crate) fn new(field: impl Into<String>, message: impl ToString) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// An error answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct Problem {
    /// A stable code: `sign_in_required`, `forbidden` (no anti-forgery token, or sent
    /// from another site), `not_found`, `bad_request`, `unsupported_media_type`,
    /// `too_large`, `invalid`, `conflict`, `unavailable` or `internal`.
    error: &'static str,
    /// What happened, in plain words.
    message: String,
    /// For `invalid`: each field that needs attention.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<FieldProblem>,
}

/// Why an API request was not answered.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// No full session.
    SignInRequired,
    /// No such item, or not one this person may see (the two answer identically).
    NotFound,
    /// The body could not be read as the request this address takes.
    BadRequest(String),
    /// The body is not JSON.
    UnsupportedMediaType,
    /// Fields need attention; nothing was changed.
    Invalid(Vec<FieldProblem>),
    /// The item changed meanwhile, or is locked.
    Conflict(String),
    /// Anything else, from the page layer's error.
    Web(WebError),
}

impl From<WebError> for ApiError {
    fn from(error: WebError) -> Self {
        match error {
            WebError::NotFound => ApiError::NotFound,
            other => ApiError::Web(other),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        WebError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, message, problems) = match self {
            ApiError::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                "sign_in_required",
                "Sign in (with your second factor) first; the API uses the same session as the pages.".to_owned(),
                Vec::new(),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing at this address, or it is not yours to open.".to_owned(),
                Vec::new(),
            ),
            ApiError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, "bad_request", message, Vec::new())
            }
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON, with the header Content-Type: application/json.".to_owned(),
                Vec::new(),
            ),
            ApiError::Invalid(problems) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Some fields need attention; nothing was saved.".to_owned(),
                problems,
            ),
            ApiError::Conflict(message) => (StatusCode::CONFLICT, "conflict", message, Vec::new()),
            ApiError::Web(WebError::NotFound) => (
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing at this address, or it is not yours to open.".to_owned(),
                Vec::new(),
            ),
            ApiError::Web(WebError::Unavailable(reason)) => {
                tracing::error!(error = %reason, "storage unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Sensate is not available just now. Nothing was lost; try again in a minute."
                        .to_owned(),
                    Vec::new(),
                )
            }
            ApiError::Web(WebError::Internal(reason)) => {
                tracing::error!(error = %reason, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side. Try again; if it happens again, tell your practice the time.".to_owned(),
                    Vec::new(),
                )
            }
        };
        (
            status,
            Json(Problem {
                error,
                message,
                problems,
            }),
        )
            .into_response()
    }
}
