//! Practice administration: the installation's practices and the state of its database.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use sensate_domain::Practice;
use sensate_store::{Migration, Store};

use sensate_domain::access::{Intent, Resource};

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().get("/admin", overview)
}

#[derive(Template)]
#[template(path = "admin.html")]
struct OverviewPage {
    chrome: Chrome,
    practices: Vec<PracticeRow>,
    backend: &'static str,
    migrations: Vec<Migration>,
    pending: usize,
}

struct PracticeRow {
    name: String,
    created: String,
    is_demo: bool,
}

impl From<Practice> for PracticeRow {
    fn from(practice: Practice) -> Self {
        Self {
            name: practice.display_name.to_string(),
            created: practice.created_at.date().to_string(),
            is_demo: practice.is_demo,
        }
    }
}

async fn overview(State(state): State<AppState>, member: Member) -> Result<Html<String>, WebError> {
    let practice = member.practice()?;
    member.may(Intent::Read, &Resource::PracticeAdministration { practice })?;
    let store: &dyn Store = state.store();
    let practices: Vec<Practice> = store.practice(practice).await?.into_iter().collect();
    let status = store.schema_status().await?;
    Ok(Html(
        OverviewPage {
            chrome: Chrome::member(Section::Admin, &member),
            practices: practices.into_iter().map(PracticeRow::from).collect(),
            backend: store.backend().name(),
            pending: status.pending(),
            migrations: status.migrations,
        }
        .render()?,
    ))
}
