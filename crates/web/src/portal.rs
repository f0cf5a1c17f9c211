//! The client portal: what is waiting for a client, and what to expect from therapy.

use askama::Template;
use axum::response::Html;

use sensate_domain::access::{Intent, Resource};

use crate::WebError;
use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;

pub(crate) fn router() -> Routes {
    Routes::new().get("/portal", waiting)
}

#[derive(Template)]
#[template(path = "portal.html")]
struct WaitingPage {
    chrome: Chrome,
}

async fn waiting(member: Member) -> Result<Html<String>, WebError> {
    member.may(
        Intent::Read,
        &Resource::Portal {
            client: member.signed_in.account_id,
        },
    )?;
    Ok(Html(
        WaitingPage {
            chrome: Chrome::member(Section::Portal, &member),
        }
        .render()?,
    ))
}
