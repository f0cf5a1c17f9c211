//! Reading a JSON body, with errors that say where the body went wrong but never echo
//! what it held (serde's own messages quote the offending value).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::ApiError;

/// A request body parsed from JSON.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::BadRequest("The body could not be read.".into()))?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|error| ApiError::BadRequest(describe(&error)))
    }
}

/// What is wrong with the body, without quoting it.
pub(crate) fn describe(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let place = format!("line {}, column {}", error.line(), error.column());
    match error.classify() {
        Category::Syntax | Category::Eof => {
            format!("The body is not valid JSON (the problem is at {place}).")
        }
        Category::Io => "The body could not be read.".into(),
        Category::Data => {
            let text = error.to_string();
            // "missing field `x`" and "unknown field `x`, expected one of …" name only
            // our own field names; every other data error may quote the value sent.
            if let Some(rest) = text.strip_prefix("missing field ") {
                let field = rest.split(' ').next().unwrap_or_default();
                format!("The field {field} is missing (at {place}).")
            } else if let Some(rest) = text.strip_prefix("unknown field ") {
                let field = rest.split(',').next().unwrap_or_default();
                format!("There is no field {field} here (at {place}).")
            } else {
                format!(
                    "A field has the wrong type of value (at {place}); see the OpenAPI document at /api/openapi.json."
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Example {
        name: String,
        minutes: u32,
    }

    fn message(body: &str) -> String {
        describe(&serde_json::from_str::<Example>(body).unwrap_err())
    }

    #[test]
    fn messages_name_the_field_but_never_the_value() {
        assert!(message(r#"{"name": "x"}"#).contains("`minutes` is missing"));
        assert!(
            message(r#"{"name": "x", "minutes": 1, "secret": "Kept private"}"#)
                .contains("no field `secret`")
        );
        let wrong = message(r#"{"name": "Kept private", "minutes": "Kept private too"}"#);
        assert!(wrong.contains("wrong type"), "{wrong}");
        assert!(!wrong.contains("Kept private"), "{wrong}");
        let broken = message(r#"{"name": "Kept private"#);
        assert!(broken.contains("not valid JSON"), "{broken}");
        assert!(!broken.contains("Kept"), "{broken}");
    }
}
