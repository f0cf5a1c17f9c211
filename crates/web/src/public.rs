//! The public site: what Sensate is, what sex therapy is and is not, and the directory.
//!
//! Nothing here needs an account, and nothing here records who is reading.

use askama::Template;
use axum::response::Html;

use crate::WebError;
use crate::page::{Chrome, Section};
use crate::routes::Routes;

pub(crate) fn router() -> Routes {
    Routes::new().get("/", home).get("/directory", directory)
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

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    chrome: Chrome,
}

async fn directory() -> Result<Html<String>, WebError> {
    Ok(Html(
        DirectoryPage {
            chrome: Chrome::at(Section::Directory),
        }
        .render()?,
    ))
}
