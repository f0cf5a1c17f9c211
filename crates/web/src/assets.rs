//! Static assets, embedded in the binary and served with content-hashed names.
//!
//! A name that changes whenever the content changes can be cached for a year
//! (`immutable`), so pages cost one request after the first visit. Everything is
//! first-party: no fonts, scripts or styles come from anywhere else.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::WebError;
use crate::routes::Routes;

const STYLESHEET: &str = include_str!("../assets/sensate.css");
const ICON: &str = include_str!("../assets/icon.svg");
const AUTOSAVE: &str = include_str!("../assets/autosave.js");
const STEPPER: &str = include_str!("../assets/stepper.js");
const FILE_FIELD: &str = include_str!("../assets/file-field.js");

/// The address each asset is served at, with its content hash in the name.
static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/sensate-{:016x}.css", fnv1a(STYLESHEET.as_bytes())));
static ICON_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/icon-{:016x}.svg", fnv1a(ICON.as_bytes())));

static AUTOSAVE_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/autosave-{:016x}.js", fnv1a(AUTOSAVE.as_bytes())));

static STEPPER_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/stepper-{:016x}.js", fnv1a(STEPPER.as_bytes())));

static FILE_FIELD_PATH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "/assets/file-field-{:016x}.js",
        fnv1a(FILE_FIELD.as_bytes())
    )
});

/// The script that fills a form's text field from a chosen file.
pub(crate) fn file_field_path() -> &'static str {
    &FILE_FIELD_PATH
}

/// The script that shows a questionnaire one question at a time on a phone.
pub(crate) fn stepper_path() -> &'static str {
    &STEPPER_PATH
}

/// The script that saves a form as the person types (`data-autosave`).
pub(crate) fn autosave_path() -> &'static str {
    &AUTOSAVE_PATH
}

pub(crate) fn stylesheet_path() -> &'static str {
    &STYLESHEET_PATH
}

pub(crate) fn icon_path() -> &'static str {
    &ICON_PATH
}

pub(crate) fn router() -> Routes {
    Routes::new().get("/assets/{file}", asset)
}

async fn asset(Path(file): Path<String>) -> Result<Response, WebError> {
    let requested = format!("/assets/{file}");
    let (body, content_type) = if requested == *STYLESHEET_PATH {
        (STYLESHEET, "text/css; charset=utf-8")
    } else if requested == *ICON_PATH {
        (ICON, "image/svg+xml")
    } else if requested == *AUTOSAVE_PATH {
        (AUTOSAVE, "text/javascript; charset=utf-8")
    } else if requested == *STEPPER_PATH {
        (STEPPER, "text/javascript; charset=utf-8")
    } else if requested == *FILE_FIELD_PATH {
        (FILE_FIELD, "text/javascript; charset=utf-8")
    } else {
        return Err(WebError::NotFound);
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response())
}

/// FNV-1a: a tiny, stable hash; enough to tell one version of a file from another
/// (this is a cache key, not a security check).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_names_carry_their_content_hash() {
        assert!(stylesheet_path().starts_with("/assets/sensate-"));
        assert!(stylesheet_path().ends_with(".css"));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
