//! The four guides for people choosing a sex therapist, written by us from the facts in
//! the background articles (sources per section in `templates/guidance/SOURCES.md`).

use askama::Template;
use axum::extract::Path;
use axum::response::Html;

use crate::WebError;
use crate::page::{Chrome, Section};

#[derive(Template)]
#[template(path = "guidance/what_it_is.html")]
struct WhatItIs {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "guidance/first_session.html")]
struct FirstSession {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "guidance/choosing.html")]
struct Choosing {
    chrome: Chrome,
}

#[derive(Template)]
#[template(path = "guidance/red_flags.html")]
struct RedFlags {
    chrome: Chrome,
}

pub(super) async fn page(Path(page): Path<String>) -> Result<Html<String>, WebError> {
    let chrome = Chrome::at(Section::Directory);
    let html = match page.as_str() {
        "what-sex-therapy-is" => WhatItIs { chrome }.render()?,
        "first-session" => FirstSession { chrome }.render()?,
        "choosing" => Choosing { chrome }.render()?,
        "red-flags" => RedFlags { chrome }.render()?,
        _ => return Err(WebError::NotFound),
    };
    Ok(Html(html))
}
