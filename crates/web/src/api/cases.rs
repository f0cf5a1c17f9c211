//! Cases and their clients: the caseload (paged, filtered, searched by POST so no name
//! is ever in an address), one case, one client, opening, closing and reopening.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sensate_app::{CaseView, CaseloadQuery, ClientView, ConsentStatus, OpenCase, OpenCaseError};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_domain::cases::{CaseKind, CaseStatus, SecretsPolicy};
use sensate_domain::client::{ClientForm, ClientProblems};
use sensate_domain::{CaseId, ClientId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{FieldProblem, Problem};
use super::json::JsonBody;
use super::{ApiError, ApiMember, timestamp};
use crate::AppState;
use crate::cases::PAGE_SIZE;
use crate::routes::Routes;

pub(super) fn router() -> Routes {
    Routes::new()
        .get_and_post("/api/cases", list_cases, open_case)
        .post("/api/cases/search", search_cases)
        .get("/api/cases/{id}", get_case)
        .post("/api/cases/{id}/close", close_case)
        .post("/api/cases/{id}/reopen", reopen_case)
        .get("/api/cases/{id}/clients/{client}", get_client)
}

/// A case id from the address; anything else is simply not found.
pub(super) fn case_id(raw: &str) -> Result<CaseId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

fn status_code(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => "open",
        CaseStatus::Closed => "closed",
    }
}

fn parse_status(raw: &str) -> Option<CaseStatus> {
    match raw {
        "open" => Some(CaseStatus::Open),
        "closed" => Some(CaseStatus::Closed),
        _ => None,
    }
}

fn secret(text: &SecretString) -> String {
    text.expose_secret().to_owned()
}

/// One line of the caseload.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseSummary {
    id: String,
    /// `individual`, `couple` or `group`.
    kind: &'static str,
    /// `open` or `closed`.
    status: &'static str,
    /// The clients' names, in the case's order.
    clients: Vec<String>,
    /// When care began (RFC 3339).
    opened_at: String,
}

/// One page of the caseload, newest case first.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseList {
    cases: Vec<CaseSummary>,
    /// Cases matching, over every page.
    total: usize,
    /// This page (from 1; a page past the last shows the last).
    page: usize,
    /// How many pages there are (at least 1).
    pages: usize,
}

/// Filters for the caseload; both say nothing about anyone, so they may be in the
/// address.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CaseFilters {
    /// Only `individual`, `couple` or `group` cases.
    kind: Option<String>,
    /// Only `open` or `closed` cases.
    status: Option<String>,
    /// The page, from 1 (50 cases a page).
    #[param(value_type = Option<u32>)]
    page: Option<String>,
}

/// A search of the caseload. Text is found in clients' names, pronouns, email
/// addresses and phone numbers, over the opened records in memory.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseSearch {
    /// Words to find; every word must match some client of the case.
    #[serde(default)]
    text: String,
    /// Only `individual`, `couple` or `group` cases.
    kind: Option<String>,
    /// Only `open` or `closed` cases.
    status: Option<String>,
    /// The page, from 1.
    page: Option<usize>,
}

async fn caseload(
    state: &AppState,
    member: &ApiMember,
    text: String,
    kind: Option<&str>,
    status: Option<&str>,
    page: Option<usize>,
) -> Result<CaseList, ApiError> {
    let member = member.clinician()?;
    let mut problems = Vec::new();
    let kind = match kind {
        None => None,
        Some(code) => {
            let kind = CaseKind::parse(code);
            if kind.is_none() {
                problems.push(FieldProblem::new(
                    "kind",
                    "Choose individual, couple or group.",
                ));
            }
            kind
        }
    };
    let status = match status {
        None => None,
        Some(code) => {
            let status = parse_status(code);
            if status.is_none() {
                problems.push(FieldProblem::new("status", "Choose open or closed."));
            }
            status
        }
    };
    if page == Some(0) {
        problems.push(FieldProblem::new("page", "Pages are counted from 1."));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let query = CaseloadQuery { text, kind, status };
    let found = state
        .app
        .caseload_page(
            &member.signed_in,
            &query,
            page.unwrap_or(1),
            PAGE_SIZE,
            &member.audit,
        )
        .await?;
    let total = found.total;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = found.page;
    let cases = found
        .lines
        .into_iter()
        .map(|line| CaseSummary {
            id: line.id.to_string(),
            kind: line.kind.code(),
            status: status_code(line.status),
            clients: line.names.iter().map(secret).collect(),
            opened_at: timestamp(line.opened_at),
        })
        .collect();
    Ok(CaseList {
        cases,
        total,
        page,
        pages,
    })
}

/// The signed-in clinician's caseload, newest case first, 50 a page.
#[utoipa::path(
    get,
    path = "/api/cases",
    tag = "cases",
    params(CaseFilters),
    responses(
        (status = 200, description = "One page of the caseload", body = CaseList),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not a clinician of a practice", body = Problem),
        (status = 422, description = "A filter is not one of its choices", body = Problem),
    )
)]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    member: ApiMember,
    Query(filters): Query<CaseFilters>,
) -> Result<Json<CaseList>, ApiError> {
    // Read by hand, so a page that is not a number gets the JSON error shape.
    let page = match filters.page.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
            ApiError::Invalid(vec![FieldProblem::new("page", "Pages are counted from 1.")])
        })?),
    };
    caseload(
        &state,
        &member,
        String::new(),
        filters.kind.as_deref(),
        filters.status.as_deref(),
        page,
    )
    .await
    .map(Json)
}

/// Searches the caseload. The words go in the body, so they never reach an address,
/// a log or a browser's history.
#[utoipa::path(
    post,
    path = "/api/cases/search",
    tag = "cases",
    request_body = CaseSearch,
    responses(
        (status = 200, description = "One page of matching cases", body = CaseList),
        (status = 400, description = "The body is not a search", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not a clinician of a practice", body = Problem),
        (status = 422, description = "A filter is not one of its choices", body = Problem),
    )
)]
pub(crate) async fn search_cases(
    State(state): State<AppState>,
    member: ApiMember,
    JsonBody(search): JsonBody<CaseSearch>,
) -> Result<Json<CaseList>, ApiError> {
    caseload(
        &state,
        &member,
        search.text,
        search.kind.as_deref(),
        search.status.as_deref(),
        search.page,
    )
    .await
    .map(Json)
}

/// A client's details as the clinician types them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientIn {
    /// Name (required).
    name: String,
    /// Pronouns.
    #[serde(default)]
    pronouns: String,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default)]
    date_of_birth: String,
    /// Email address.
    #[serde(default)]
    email: String,
    /// Phone number.
    #[serde(default)]
    phone: String,
}

/// A new case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewCase {
    /// `individual` (one client), `couple` (two) or `group` (two or more).
    kind: String,
    /// For a couple: `no_secrets`, `limited_secrets` or `accommodation`.
    #[serde(default)]
    secrets_policy: String,
    /// The clients, in the order they should be listed.
    clients: Vec<ClientIn>,
}

/// The new case's id (its page, `GET /api/cases/{id}`, lists its clients' ids).
#[derive(Serialize, ToSchema)]
pub(crate) struct Opened {
    id: String,
}

fn client_problems(index: usize, problems: &ClientProblems) -> Vec<FieldProblem> {
    let field = |name: &str| format!("clients[{index}].{name}");
    let mut out = Vec::new();
    if let Some(error) = &problems.name {
        out.push(FieldProblem::new(field("name"), error));
    }
    if let Some(error) = &problems.pronouns {
        out.push(FieldProblem::new(field("pronouns"), error));
    }
    if let Some(error) = &problems.date_of_birth {
        out.push(FieldProblem::new(field("date_of_birth"), error));
    }
    if let Some(error) = &problems.email {
        out.push(FieldProblem::new(field("email"), error));
    }
    if let Some(error) = &problems.phone {
        out.push(FieldProblem::new(field("phone"), error));
    }
    out
}

/// Opens a case with its clients' records, in the signed-in clinician's care.
#[utoipa::path(
    post,
    path = "/api/cases",
    tag = "cases",
    request_body = NewCase,
    responses(
        (status = 201, description = "Opened", body = Opened),
        (status = 400, description = "The body is not a case", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not a clinician of a practice", body = Problem),
        (status = 422, description = "Fields need attention; nothing was stored", body = Problem),
    )
)]
pub(crate) async fn open_case(
    State(state): State<AppState>,
    member: ApiMember,
    JsonBody(new): JsonBody<NewCase>,
) -> Result<(StatusCode, Json<Opened>), ApiError> {
    let member = member.clinician()?;
    let form = OpenCase {
        kind: new.kind,
        secrets_policy: new.secrets_policy,
        clients: new
            .clients
            .into_iter()
            .map(|client| ClientForm {
                name: client.name,
                pronouns: client.pronouns,
                date_of_birth: client.date_of_birth,
                email: client.email,
                phone: client.phone,
            })
            .collect(),
    };
    match state
        .app
        .open_case(&member.signed_in, &form, &member.audit)
        .await
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(Opened { id: id.to_string() }))),
        Err(OpenCaseError::Invalid { case, clients }) => {
            // A problem with the case as a whole (its kind, size or secrets policy);
            // the message names which.
            let mut problems: Vec<FieldProblem> = case
                .into_iter()
                .map(|message| FieldProblem::new("case", message))
                .collect();
            for (index, client) in clients.iter().enumerate() {
                problems.extend(client_problems(index, client));
            }
            Err(ApiError::Invalid(problems))
        }
        Err(OpenCaseError::NotAllowed) => Err(ApiError::NotFound),
        Err(OpenCaseError::App(error)) => Err(error.into()),
    }
}

/// Where a client stands with the practice's consent document.
#[derive(Serialize, ToSchema)]
pub(crate) struct ConsentOut {
    /// `signed` (the current version), `signed_earlier` (a newer one waits) or
    /// `not_signed`.
    status: &'static str,
    /// The version signed, if any.
    version: Option<i64>,
    /// When the current version was signed (RFC 3339).
    signed_at: Option<String>,
}

/// A client's record.
#[derive(Serialize, ToSchema)]
pub(crate) struct ClientOut {
    id: String,
    name: String,
    pronouns: Option<String>,
    /// `YYYY-MM-DD`.
    date_of_birth: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    /// True once the client has a portal account.
    has_portal: bool,
    consent: ConsentOut,
    /// In a couple case: when this partner agreed to its secrets policy (RFC 3339).
    secrets_policy_agreed_at: Option<String>,
}

fn client_out(client: &ClientView) -> ClientOut {
    let consent = match client.consent {
        ConsentStatus::Signed { version, at } => ConsentOut {
            status: "signed",
            version: Some(version),
            signed_at: Some(timestamp(at)),
        },
        ConsentStatus::SignedEarlier { version } => ConsentOut {
            status: "signed_earlier",
            version: Some(version),
            signed_at: None,
        },
        ConsentStatus::NotSigned => ConsentOut {
            status: "not_signed",
            version: None,
            signed_at: None,
        },
    };
    ClientOut {
        id: client.id.to_string(),
        name: secret(&client.name),
        pronouns: client.pronouns.as_ref().map(secret),
        date_of_birth: client.date_of_birth.as_ref().map(secret),
        email: client.email.as_ref().map(secret),
        phone: client.phone.as_ref().map(secret),
        has_portal: client.has_portal,
        consent,
        secrets_policy_agreed_at: client.policy_agreed_at.map(timestamp),
    }
}

/// A case, for its clinician.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseOut {
    id: String,
    /// `individual`, `couple` or `group`.
    kind: &'static str,
    /// For a couple: `no_secrets`, `limited_secrets` or `accommodation`.
    secrets_policy: Option<&'static str>,
    /// `open` or `closed`.
    status: &'static str,
    /// The responsible clinician's account id.
    clinician_id: String,
    /// Their name.
    clinician: String,
    /// When care began (RFC 3339).
    opened_at: String,
    /// When the case was closed (RFC 3339).
    closed_at: Option<String>,
    /// The clients, in order.
    clients: Vec<ClientOut>,
}

async fn case_view(state: &AppState, member: &ApiMember, id: &str) -> Result<CaseView, ApiError> {
    let id = case_id(id)?;
    let member = member.clinician()?;
    state
        .app
        .case_view(&member.signed_in, id, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)
}

/// One case with its clients' records.
#[utoipa::path(
    get,
    path = "/api/cases/{id}",
    tag = "cases",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The case", body = CaseOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<CaseOut>, ApiError> {
    let case = case_view(&state, &member, &id).await?;
    Ok(Json(CaseOut {
        id: case.id.to_string(),
        kind: case.kind.code(),
        secrets_policy: case.secrets_policy.map(SecretsPolicy::code),
        status: status_code(case.status),
        clinician_id: case.clinician_id.to_string(),
        clinician: secret(&case.clinician_name),
        opened_at: timestamp(case.opened_at),
        closed_at: case.closed_at.map(timestamp),
        clients: case.clients.iter().map(client_out).collect(),
    }))
}

/// One client's record, within their case.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/clients/{client}",
    tag = "cases",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("client" = String, Path, description = "The client's id"),
    ),
    responses(
        (status = 200, description = "The client's record", body = ClientOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such client in a case in your care", body = Problem),
    )
)]
pub(crate) async fn get_client(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, client)): Path<(String, String)>,
) -> Result<Json<ClientOut>, ApiError> {
    let client: ClientId = client.parse().map_err(|_| ApiError::NotFound)?;
    let case = case_view(&state, &member, &id).await?;
    case.clients
        .iter()
        .find(|c| c.id == client)
        .map(|c| Json(client_out(c)))
        .ok_or(ApiError::NotFound)
}

/// Where a case stands after closing or reopening.
#[derive(Serialize, ToSchema)]
pub(crate) struct CaseStatusOut {
    /// `open` or `closed`.
    status: &'static str,
    /// False when it already was so.
    changed: bool,
}

async fn set_open(
    state: &AppState,
    member: &ApiMember,
    id: &str,
    close: bool,
) -> Result<Json<CaseStatusOut>, ApiError> {
    let id = case_id(id)?;
    let member = member.clinician()?;
    let changed = state
        .app
        .set_case_open(&member.signed_in, id, close, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(CaseStatusOut {
        status: if close { "closed" } else { "open" },
        changed,
    }))
}

/// Closes a case (care has ended); its records stay.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/close",
    tag = "cases",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "Closed (or already closed)", body = CaseStatusOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn close_case(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<CaseStatusOut>, ApiError> {
    set_open(&state, &member, &id, true).await
}

/// Reopens a closed case.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/reopen",
    tag = "cases",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "Open (or already open)", body = CaseStatusOut),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn reopen_case(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<CaseStatusOut>, ApiError> {
    set_open(&state, &member, &id, false).await
}
