//! `GET /directory`: the search form and its results. Every filter is a plain query
//! parameter, so a search is a link that can be shared, and it works without script.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sensate_app::{DirectorySearch, ResultCard, SearchResults};
use sensate_directory::Term;
use sensate_directory::concerns::ConcernsTreated;
use sensate_directory::jurisdictions::Jurisdictions;
use sensate_directory::vocabulary::Vocabulary;
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::{AppState, WebError};

/// The query string. Unknown parameters are ignored; every value is text.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SearchParams {
    q: String,
    concern: String,
    approach: String,
    competence: String,
    language: String,
    mode: String,
    state: String,
    insurance: String,
    max_fee: String,
    sliding_scale: String,
    accepting: String,
    certification: String,
    near: String,
    radius: String,
    unit: String,
    page: String,
}

impl SearchParams {
    fn search(&self) -> DirectorySearch {
        DirectorySearch {
            q: self.q.clone(),
            concern: self.concern.clone(),
            approach: self.approach.clone(),
            competence: self.competence.clone(),
            language: self.language.clone(),
            mode: self.mode.clone(),
            state: self.state.clone(),
            insurance: self.insurance.clone(),
            max_fee: self.max_fee.clone(),
            sliding_scale: self.sliding_scale.clone(),
            accepting: self.accepting.clone(),
            certification: self.certification.clone(),
            near: self.near.clone(),
            radius: self.radius.clone(),
            unit: self.unit.clone(),
            page: self.page.clone(),
        }
    }

    fn asked(&self) -> bool {
        [
            &self.q,
            &self.concern,
            &self.approach,
            &self.competence,
            &self.language,
            &self.mode,
            &self.state,
            &self.insurance,
            &self.max_fee,
            &self.sliding_scale,
            &self.accepting,
            &self.certification,
            &self.near,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// This search's link at another page.
    fn link(&self, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", &self.q),
            ("near", &self.near),
            ("radius", &self.radius),
            ("unit", &self.unit),
            ("mode", &self.mode),
            ("state", &self.state),
            ("concern", &self.concern),
            ("approach", &self.approach),
            ("competence", &self.competence),
            ("language", &self.language),
            ("certification", &self.certification),
            ("insurance", &self.insurance),
            ("max_fee", &self.max_fee),
            ("sliding_scale", &self.sliding_scale),
            ("accepting", &self.accepting),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/directory?{}", query.finish())
    }
}

/// One `<option>`.
pub(super) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<Choice> {
    items
        .map(|(value, label)| Choice {
            selected: value == selected.trim(),
            value: value.to_owned(),
            label: label.to_owned(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    chrome: Chrome,
    params: SearchParams,
    asked: bool,
    results: SearchResults,
    cards: Vec<ResultCard>,
    concerns: Vec<Choice>,
    approaches: Vec<Choice>,
    competences: Vec<Choice>,
    languages: Vec<Choice>,
    certifications: Vec<Choice>,
    states: Vec<Choice>,
    previous: Option<String>,
    next: Option<String>,
    attribution: &'static str,
}

pub(super) async fn page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, WebError> {
    let vocabulary = Vocabulary::builtin().map_err(|e| WebError::Internal(e.to_string()))?;
    let concerns = ConcernsTreated::builtin().map_err(|e| WebError::Internal(e.to_string()))?;
    let jurisdictions = Jurisdictions::builtin().map_err(|e| WebError::Internal(e.to_string()))?;
    let asked = params.asked();
    let mut results = state.app.search_directory(&params.search()).await?;
    let cards = std::mem::take(&mut results.cards);
    let previous = (results.page > 1 && results.page <= results.pages.max(1))
        .then(|| params.link(results.page - 1));
    let next = (results.page < results.pages).then(|| params.link(results.page + 1));
    let page = SearchPage {
        chrome: Chrome::at(Section::Directory),
        concerns: choices(
            concerns
                .all()
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str())),
            &params.concern,
        ),
        approaches: choices(
            vocabulary.approaches().iter().map(|a| (a.id(), a.label())),
            &params.approach,
        ),
        competences: choices(
            vocabulary
                .affirming_competences()
                .iter()
                .map(|c| (c.id(), c.label())),
            &params.competence,
        ),
        languages: choices(
            vocabulary
                .languages()
                .iter()
                .map(|l| (l.code.as_str(), l.name.as_str())),
            &params.language,
        ),
        certifications: choices(
            vocabulary
                .certifications()
                .iter()
                .map(|c| (c.id.as_str(), c.label.as_str())),
            &params.certification,
        ),
        states: choices(
            jurisdictions
                .all()
                .iter()
                .map(|j| (j.code.as_str(), j.name.as_str())),
            &params.state,
        ),
        params,
        asked,
        results,
        cards,
        previous,
        next,
        attribution: sensate_places::ATTRIBUTION,
    };
    Ok(Html(page.render()?))
}
