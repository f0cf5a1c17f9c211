//! The public site's home page. (The directory is `directory/`.)
//!
//! Nothing here needs an account, and nothing here records who is reading.

use askama::Template;
use axum::response::Html;

use crate::WebError;
use crate::page::{Chrome, Section};
use crate::routes::Routes;

pub(crate) fn router() -> Routes {
    Routes::new().get("/", home)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

async fn home() -> Result<Html<String>, WebError> {
    Ok(Html(
        HomePage {
            chrome: Chrome::at(Section::Home),
        }
        .render()?,
    ))
}
