//! The owner's audit trail page: filter by person, record, action and dates.
//!
//! Filters are plain query parameters, so a view is a link. A value that cannot be
//! understood is named beside its field and nothing is shown, rather than quietly
//! showing an unfiltered trail.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sensate_app::{AUDIT_PAGE, AuditFilter};
use sensate_audit::Action;
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::AccountId;
use sensate_domain::access::{Intent, Resource};
use serde::Deserialize;
use time::{Date, Duration, OffsetDateTime, Time};

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().get("/admin/audit", trail)
}

#[derive(Deserialize, Default)]
struct TrailQuery {
    #[serde(default)]
    person: String,
    #[serde(default)]
    record: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: String,
}

struct Line {
    seq: u64,
    when: String,
    who: String,
    action: &'static str,
    object_type: String,
    object: String,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct TrailPage {
    chrome: Chrome,
    people: Vec<(String, String)>,
    actions: Vec<String>,
    selected_person: String,
    selected_action: String,
    record: String,
    from: String,
    until: String,
    record_error: Option<String>,
    from_error: Option<String>,
    until_error: Option<String>,
    lines: Vec<Line>,
    next_page: Option<String>,
}

fn date(raw: &str) -> Result<Option<Date>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| "Enter a date as YYYY-MM-DD, for example 2026-11-22.".to_owned())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn trail(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<TrailQuery>,
) -> Result<Response, WebError> {
    let practice = member.practice()?;
    member.may(Intent::Read, &Resource::PracticeAdministration { practice })?;

    let people: Vec<(String, String)> = state
        .app
        .practice_people(&member.signed_in)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name.expose_secret().to_owned()))
        .collect();
    // Unknown people and actions are not errors a person made by typing: the form offers
    // only real ones. An edited link gets an empty result for them.
    let person = query.person.trim();
    let person_filter = if person.is_empty() {
        Ok(None)
    } else {
        person.parse::<AccountId>().map(Some)
    };
    let action = query.action.trim();
    let action_filter = if action.is_empty() {
        Ok(None)
    } else {
        action.parse::<Action>().map(Some)
    };
    let record = query.record.trim();
    let record_filter = if record.is_empty() {
        Ok(None)
    } else {
        uuid::Uuid::parse_str(record).map(Some).map_err(|_| {
            "That is not a record id: ids look like 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b."
                .to_owned()
        })
    };
    let from = date(&query.from);
    let until = date(&query.until);
    let before = query.before.trim().parse::<i64>().ok();

    let mut page = TrailPage {
        chrome: Chrome::member(Section::Admin, &member),
        people,
        actions: Action::ALL.iter().map(|a| a.code().to_owned()).collect(),
        selected_person: person.to_owned(),
        selected_action: action.to_owned(),
        record: record.to_owned(),
        from: query.from.trim().to_owned(),
        until: query.until.trim().to_owned(),
        record_error: record_filter.as_ref().err().cloned(),
        from_error: from.as_ref().err().cloned(),
        until_error: until.as_ref().err().cloned(),
        lines: Vec::new(),
        next_page: None,
    };
    let (Ok(record), Ok(from), Ok(until)) = (record_filter, from, until) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    let (Ok(person), Ok(action)) = (person_filter, action_filter) else {
        return Ok(Html(page.render()?).into_response());
    };
    let filter = AuditFilter {
        person,
        record,
        action,
        from: from.map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
        until: until.map(|d| d.with_time(Time::MIDNIGHT).assume_utc() + Duration::days(1)),
        before,
    };
    let lines = state
        .app
        .audit_trail(&member.signed_in, &filter, &member.audit)
        .await?;
    if lines.len() == AUDIT_PAGE as usize
        && let Some(last) = lines.last()
    {
        page.next_page = Some(format!(
            "/admin/audit?person={}&record={}&action={}&from={}&until={}&before={}",
            encode(&page.selected_person),
            encode(&page.record),
            encode(&page.selected_action),
            encode(&page.from),
            encode(&page.until),
            last.seq
        ));
    }
    page.lines = lines
        .into_iter()
        .map(|line| Line {
            seq: line.seq,
            when: when(line.at),
            who: line.who,
            action: line.action,
            object_type: line.object_type,
            object: line.object,
            outcome: line.outcome,
        })
        .collect();
    Ok(Html(page.render()?).into_response())
}

fn when(at: OffsetDateTime) -> String {
    at.format(time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}
