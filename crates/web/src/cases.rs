//! The clinician's caseload and cases: opening a case (individual, couple or group)
//! with its clients' records, one case's page, closing, reopening and transferring.
//!
//! Text search goes in a POST body, never the address: a client's name must not end up
//! in browser history, proxy logs or a shared link. Kind and status filters say nothing
//! about anyone, so they are plain query parameters.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{
    CaseloadQuery, ConsentStatus, IntakeMilestoneKind, InviteError, OpenCase, OpenCaseError,
};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::cases::{CaseKind, CaseStatus, SecretsPolicy};
use sensate_domain::client::{ClientForm, ClientProblems};
use sensate_domain::intake::SafetyConcern;
use sensate_domain::{AccountId, CaseId, ClientId};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/clinic", caseload)
        .post("/clinic/search", search)
        .get_and_post("/clinic/cases/new", new_case, open_case)
        .get("/clinic/cases/{id}", case_page)
        .post("/clinic/cases/{id}/close", close_case)
        .post("/clinic/cases/{id}/reopen", reopen_case)
        .post("/clinic/cases/{id}/transfer", transfer_case)
        .post(
            "/clinic/cases/{id}/clients/{client}/invite",
            invite_to_portal,
        )
}

fn date(at: OffsetDateTime) -> String {
    at.date().to_string()
}

struct CaseRow {
    id: String,
    names: String,
    kind: &'static str,
    status: &'static str,
    opened: String,
}

/// An open safety alert about one of the clinician's clients.
struct AlertLine {
    href: String,
    link: &'static str,
    name: String,
    what: &'static str,
}

struct FilterOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "clinic.html")]
pub(crate) struct CaseloadPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    alerts: Vec<AlertLine>,
    rows: Vec<CaseRow>,
    text: String,
    kinds: Vec<FilterOption>,
    statuses: Vec<FilterOption>,
    filtered: bool,
    total: usize,
    first: usize,
    last: usize,
    previous: Option<usize>,
    next: Option<usize>,
    kind_code: String,
    status_code: String,
    pub(crate) form_name: String,
    pub(crate) form_email: String,
    pub(crate) name_error: Option<String>,
    pub(crate) email_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    #[serde(default)]
    text: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    invited: Option<String>,
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    transferred: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

/// How many cases a caseload page lists.
pub(crate) const PAGE_SIZE: usize = 50;

fn parse_status(code: &str) -> Option<CaseStatus> {
    match code {
        "open" => Some(CaseStatus::Open),
        "closed" => Some(CaseStatus::Closed),
        _ => None,
    }
}

pub(crate) async fn caseload_page(
    state: &AppState,
    member: &Member,
    filters: &Filters,
) -> Result<CaseloadPage, WebError> {
    let kind = CaseKind::parse(&filters.kind);
    let status = parse_status(&filters.status);
    let query = CaseloadQuery {
        text: filters.text.clone(),
        kind,
        status,
    };
    // An odd page number (text, zero, huge) shows the nearest real page.
    let asked = filters
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1);
    let found = state
        .app
        .caseload_page(&member.signed_in, &query, asked, PAGE_SIZE, &member.audit)
        .await?;
    let (total, page) = (found.total, found.page);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let rows: Vec<CaseRow> = found
        .lines
        .into_iter()
        .map(|line| CaseRow {
            id: line.id.to_string(),
            names: line
                .names
                .iter()
                .map(|name| name.expose_secret())
                .collect::<Vec<_>>()
                .join(" & "),
            kind: line.kind.label(),
            status: line.status.label(),
            opened: date(line.opened_at),
        })
        .collect();
    let alerts = state
        .app
        .my_open_alerts(&member.signed_in)
        .await?
        .into_iter()
        .map(|(case, name, alert)| AlertLine {
            // A questionnaire's alert leads to the results; the intake's to the intake.
            href: if alert.concern == SafetyConcern::QuestionnaireSelfHarm {
                format!(
                    "/clinic/cases/{case}/clients/{}/questionnaires",
                    alert.client_id
                )
            } else {
                format!("/clinic/cases/{case}/clients/{}/intake", alert.client_id)
            },
            link: if alert.concern == SafetyConcern::QuestionnaireSelfHarm {
                "Open their questionnaire results"
            } else {
                "Open their intake"
            },
            name: name.expose_secret().to_owned(),
            what: alert.concern.alert(),
        })
        .collect();
    let shown = rows.len();
    let kinds = CaseKind::ALL
        .iter()
        .map(|k| FilterOption {
            code: k.code(),
            label: k.label(),
            selected: kind == Some(*k),
        })
        .collect();
    let statuses = [("open", "Open"), ("closed", "Closed")]
        .into_iter()
        .map(|(code, label)| FilterOption {
            code,
            label,
            selected: status == parse_status(code),
        })
        .collect();
    Ok(CaseloadPage {
        chrome: Chrome::member(Section::Clinic, member),
        notice: if filters.invited.is_some() {
            Some("The invitation is on its way.")
        } else if filters.closed.is_some() {
            Some("The case is closed. Its record is kept, and you can reopen it.")
        } else if filters.transferred.is_some() {
            Some("The case now belongs to your colleague, and has left your caseload.")
        } else {
            None
        },
        alerts,
        text: filters.text.clone(),
        kinds,
        statuses,
        rows,
        filtered: kind.is_some() || status.is_some() || !filters.text.trim().is_empty(),
        first: if shown == 0 {
            0
        } else {
            (page - 1) * PAGE_SIZE + 1
        },
        last: (page - 1) * PAGE_SIZE + shown,
        total,
        previous: (page > 1).then(|| page - 1),
        next: (page < pages).then(|| page + 1),
        kind_code: kind.map_or_else(String::new, |k| k.code().to_owned()),
        status_code: filters.status.clone(),
        form_name: String::new(),
        form_email: String::new(),
        name_error: None,
        email_error: None,
    })
}

async fn caseload(
    State(state): State<AppState>,
    member: Member,
    Query(filters): Query<Filters>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    // Text never comes from the address (see the module comment).
    let filters = Filters {
        text: String::new(),
        ..filters
    };
    Ok(Html(
        caseload_page(&state, &member, &filters).await?.render()?,
    ))
}

async fn search(
    State(state): State<AppState>,
    member: Member,
    Form(filters): Form<Filters>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    Ok(Html(
        caseload_page(&state, &member, &filters).await?.render()?,
    ))
}

/// A client's fields and problems, as the form shows them.
struct ClientFields {
    index: usize,
    legend: String,
    form: ClientForm,
    problems: ClientProblems,
}

struct PolicyOption {
    code: &'static str,
    label: &'static str,
    explanation: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage {
    chrome: Chrome,
    kind: Option<CaseKind>,
    kind_code: &'static str,
    kind_label: &'static str,
    group_sizes: Vec<usize>,
    clients: Vec<ClientFields>,
    policies: Vec<PolicyOption>,
    case_error: Option<String>,
}

#[derive(Deserialize, Default)]
struct NewCaseQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    clients: Option<String>,
}

fn legend(kind: CaseKind, index: usize) -> String {
    match (kind, index) {
        (CaseKind::Individual, _) => "The client".into(),
        (CaseKind::Couple, 0) => "First partner".into(),
        (CaseKind::Couple, _) => "Second partner".into(),
        (CaseKind::Group, n) => format!("Group member {}", n + 1),
    }
}

fn new_case_page(
    member: &Member,
    kind: Option<CaseKind>,
    forms: Vec<ClientForm>,
    problems: Vec<ClientProblems>,
    policy: Option<SecretsPolicy>,
    case_error: Option<String>,
) -> NewCasePage {
    let clients = match kind {
        Some(kind) => forms
            .into_iter()
            .enumerate()
            .map(|(index, form)| ClientFields {
                index,
                legend: legend(kind, index),
                problems: problems.get(index).cloned().unwrap_or_default(),
                form,
            })
            .collect(),
        None => Vec::new(),
    };
    NewCasePage {
        chrome: Chrome::member(Section::Clinic, member),
        kind,
        kind_code: kind.map_or("", CaseKind::code),
        kind_label: kind.map_or("", CaseKind::label),
        group_sizes: (2..=CaseKind::MAX_GROUP).collect(),
        clients,
        policies: SecretsPolicy::ALL
            .iter()
            .map(|p| PolicyOption {
                code: p.code(),
                label: p.label(),
                explanation: p.explanation(),
                checked: policy == Some(*p),
            })
            .collect(),
        case_error,
    }
}

async fn new_case(
    member: Member,
    Query(query): Query<NewCaseQuery>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let kind = CaseKind::parse(&query.kind);
    let size = match kind {
        Some(CaseKind::Individual) => 1,
        Some(CaseKind::Couple) => 2,
        Some(CaseKind::Group) => query
            .clients
            .as_deref()
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (2..=CaseKind::MAX_GROUP).contains(n))
            .unwrap_or(3),
        None => 0,
    };
    let forms = vec![ClientForm::default(); size];
    Ok(Html(
        new_case_page(&member, kind, forms, Vec::new(), None, None).render()?,
    ))
}

/// Reads the form's `client-N-field` entries into one form per client, in order.
fn client_forms(fields: &[(String, String)]) -> Vec<ClientForm> {
    let mut forms: Vec<ClientForm> = Vec::new();
    for (key, value) in fields {
        let Some(rest) = key.strip_prefix("client-") else {
            continue;
        };
        let Some((index, field)) = rest.split_once('-') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        if index >= CaseKind::MAX_GROUP {
            continue;
        }
        if forms.len() <= index {
            forms.resize(index + 1, ClientForm::default());
        }
        let form = &mut forms[index];
        let slot = match field {
            "name" => &mut form.name,
            "pronouns" => &mut form.pronouns,
            "date_of_birth" => &mut form.date_of_birth,
            "email" => &mut form.email,
            "phone" => &mut form.phone,
            _ => continue,
        };
        value.clone_into(slot);
    }
    forms
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

async fn open_case(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let form = OpenCase {
        kind: field(&fields, "kind").to_owned(),
        secrets_policy: field(&fields, "secrets_policy").to_owned(),
        clients: client_forms(&fields),
    };
    match state
        .app
        .open_case(&member.signed_in, &form, &member.audit)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/clinic/cases/{id}?opened")).into_response()),
        Err(OpenCaseError::Invalid { case, clients }) => {
            let kind = CaseKind::parse(&form.kind);
            let policy = SecretsPolicy::parse(&form.secrets_policy);
            let page = new_case_page(&member, kind, form.clients, clients, policy, case);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(OpenCaseError::NotAllowed) => Err(WebError::NotFound),
        Err(OpenCaseError::App(error)) => Err(error.into()),
    }
}

struct ClientCard {
    id: String,
    consent: String,
    policy_agreed: Option<String>,
    has_portal: bool,
    invite_email: String,
    invite_error: Option<String>,
    name: String,
    pronouns: Option<String>,
    date_of_birth: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

struct SessionRow {
    href: String,
    when: String,
    kind: &'static str,
    minutes: i64,
    cpt: String,
    attended: String,
    note: &'static str,
}

struct ColleagueOption {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    chrome: Chrome,
    notice: Option<&'static str>,
    id: String,
    title: String,
    kind: &'static str,
    is_couple: bool,
    policy: Option<SecretsPolicy>,
    closed: bool,
    opened: String,
    closed_on: Option<String>,
    clinician: String,
    clients: Vec<ClientCard>,
    colleagues: Vec<ColleagueOption>,
    sessions: Vec<SessionRow>,
    planned_sessions: Option<u32>,
    timeline: Vec<TimelineEntry>,
    /// Messages from the clients since the clinician last read them.
    new_messages: usize,
}

/// One dated event of the case, newest first, with who may see it.
struct TimelineEntry {
    at: time::OffsetDateTime,
    when: String,
    what: String,
    href: Option<String>,
    seen_by: String,
}

#[derive(Deserialize, Default)]
struct CaseNotice {
    #[serde(default)]
    opened: Option<String>,
    #[serde(default)]
    reopened: Option<String>,
    #[serde(default)]
    transferred: Option<String>,
    #[serde(default)]
    invited: Option<String>,
}

fn case_id(raw: &str) -> Result<CaseId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// A refused portal invitation, shown under that client's form.
struct InviteProblem {
    client: String,
    email: String,
    message: String,
}

async fn render_case(
    state: &AppState,
    member: &Member,
    id: CaseId,
    notice: Option<&'static str>,
    problem: Option<InviteProblem>,
) -> Result<CasePage, WebError> {
    let Some(case) = state
        .app
        .case_view(&member.signed_in, id, &member.audit)
        .await?
    else {
        return Err(WebError::NotFound);
    };
    let expose = |secret: &Option<sensate_crypto::secrecy::SecretString>| {
        secret.as_ref().map(|s| s.expose_secret().to_owned())
    };
    let clients: Vec<ClientCard> = case
        .clients
        .iter()
        .map(|client| {
            let id = client.id.to_string();
            let (invite_email, invite_error) = match &problem {
                Some(problem) if problem.client == id => {
                    (problem.email.clone(), Some(problem.message.clone()))
                }
                _ => (expose(&client.email).unwrap_or_default(), None),
            };
            ClientCard {
                id,
                consent: match client.consent {
                    ConsentStatus::Signed { version, at } => {
                        format!("Signed version {version} on {}", date(at))
                    }
                    ConsentStatus::SignedEarlier { version } => {
                        format!("Signed version {version}; the current version is waiting")
                    }
                    ConsentStatus::NotSigned => "Not signed yet".into(),
                },
                policy_agreed: client.policy_agreed_at.map(date),
                has_portal: client.has_portal,
                invite_email,
                invite_error,
                name: client.name.expose_secret().to_owned(),
                pronouns: expose(&client.pronouns),
                date_of_birth: expose(&client.date_of_birth),
                email: expose(&client.email),
                phone: expose(&client.phone),
            }
        })
        .collect();
    let names: std::collections::HashMap<ClientId, String> = case
        .clients
        .iter()
        .map(|c| (c.id, c.name.expose_secret().to_owned()))
        .collect();
    let session_lines = state
        .app
        .case_sessions(&member.signed_in, id, &member.audit)
        .await?;
    let everyone = if case.clients.len() > 1 {
        "The case: every client in it".to_owned()
    } else {
        "The client".to_owned()
    };
    let only = |client: ClientId| {
        names
            .get(&client)
            .map_or_else(|| "One client".to_owned(), |name| format!("{name} only"))
    };
    let mut timeline: Vec<TimelineEntry> = Vec::new();
    let entry =
        |at: OffsetDateTime, what: String, href: Option<String>, seen_by: String| TimelineEntry {
            at,
            when: format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute()),
            what,
            href,
            seen_by,
        };
    timeline.push(entry(
        case.opened_at,
        format!("{} case opened", case.kind.label()),
        None,
        "Clinicians only".into(),
    ));
    if let Some(closed) = case.closed_at {
        timeline.push(entry(
            closed,
            "Case closed".into(),
            None,
            "Clinicians only".into(),
        ));
    }
    for line in &session_lines {
        let seen_by = match line.attendees.as_slice() {
            [one] if case.clients.len() > 1 => only(*one),
            _ => everyone.clone(),
        };
        let note = match line.note_signed {
            None => "no note yet",
            Some(false) => "note in draft",
            Some(true) => "note signed",
        };
        timeline.push(entry(
            line.starts_at,
            format!("{} ({note})", line.session_type.label()),
            Some(format!("/clinic/cases/{id}/sessions/{}", line.id)),
            seen_by,
        ));
    }
    for client in &case.clients {
        if let ConsentStatus::Signed { version, at } = client.consent {
            timeline.push(entry(
                at,
                format!(
                    "{} signed consent, version {version}",
                    client.name.expose_secret()
                ),
                None,
                only(client.id),
            ));
        }
        if let Some(at) = client.policy_agreed_at {
            timeline.push(entry(
                at,
                format!(
                    "{} agreed to the secrets policy",
                    client.name.expose_secret()
                ),
                None,
                only(client.id),
            ));
        }
    }
    let new_messages = state.app.new_messages(&member.signed_in, id).await?;
    let milestones = state
        .app
        .intake_milestones(&member.signed_in, id, &member.audit)
        .await?;
    for milestone in milestones {
        let name = names
            .get(&milestone.client)
            .map_or("A client", String::as_str);
        let intake = format!("/clinic/cases/{id}/clients/{}/intake", milestone.client);
        let (what, seen_by) = match milestone.kind {
            IntakeMilestoneKind::Sent => {
                (format!("{name} sent their intake"), only(milestone.client))
            }
            IntakeMilestoneKind::ChangedInSession => (
                format!("{name}'s intake written or changed in session"),
                only(milestone.client),
            ),
            // An alert is the clinician's to act on; the client is never shown a risk label.
            IntakeMilestoneKind::AlertRaised => (
                format!("Safety alert raised about {name}"),
                "Clinicians only".to_owned(),
            ),
            IntakeMilestoneKind::AlertSeen => (
                format!("Safety alert about {name} marked as seen"),
                "Clinicians only".to_owned(),
            ),
        };
        timeline.push(entry(milestone.at, what, Some(intake), seen_by));
    }
    let sessions = session_lines
        .iter()
        .rev()
        .map(|line| SessionRow {
            href: format!("/clinic/cases/{id}/sessions/{}", line.id),
            when: format!(
                "{} {:02}:{:02}",
                line.starts_at.date(),
                line.starts_at.hour(),
                line.starts_at.minute()
            ),
            kind: line.session_type.label(),
            minutes: line.minutes,
            cpt: line.cpt_code.clone().unwrap_or_else(|| "None".into()),
            attended: line
                .attendees
                .iter()
                .filter_map(|a| names.get(a).cloned())
                .collect::<Vec<_>>()
                .join(", "),
            note: match line.note_signed {
                None => "No note yet",
                Some(false) => "Draft",
                Some(true) => "Signed",
            },
        })
        .collect();
    let plan = state
        .app
        .case_plan(&member.signed_in, id, &member.audit)
        .await?;
    let planned_sessions = plan
        .as_ref()
        .and_then(|plan| plan.revisions.last().map(|r| r.content.planned_sessions));
    for revision in plan.iter().flat_map(|plan| &plan.revisions) {
        let what = if revision.number == 1 {
            "Treatment plan written".to_owned()
        } else {
            format!("Treatment plan revised (revision {})", revision.number)
        };
        timeline.push(entry(
            revision.written_at,
            what,
            Some(format!(
                "/clinic/cases/{id}/plan?revision={}",
                revision.number
            )),
            everyone.clone(),
        ));
    }
    timeline.sort_by_key(|entry| std::cmp::Reverse(entry.at));
    let colleagues = state
        .app
        .colleagues(&member.signed_in)
        .await?
        .into_iter()
        .map(|colleague| ColleagueOption {
            id: colleague.id.to_string(),
            name: colleague.name.expose_secret().to_owned(),
        })
        .collect();
    Ok(CasePage {
        chrome: Chrome::member(Section::Clinic, member),
        notice,
        id: case.id.to_string(),
        title: clients
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(" & "),
        kind: case.kind.label(),
        is_couple: case.kind == CaseKind::Couple,
        policy: case.secrets_policy,
        closed: case.status == CaseStatus::Closed,
        opened: date(case.opened_at),
        closed_on: case.closed_at.map(date),
        clinician: case.clinician_name.expose_secret().to_owned(),
        clients,
        colleagues,
        sessions,
        planned_sessions,
        timeline,
        new_messages,
    })
}

async fn case_page(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(notice): Query<CaseNotice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let id = case_id(&id)?;
    let notice = if notice.opened.is_some() {
        Some("The case is open.")
    } else if notice.reopened.is_some() {
        Some("The case is open again.")
    } else if notice.transferred.is_some() {
        Some("The case now belongs to your colleague.")
    } else if notice.invited.is_some() {
        Some("The invitation is on its way. The link works once, for 48 hours.")
    } else {
        None
    };
    Ok(Html(
        render_case(&state, &member, id, notice, None)
            .await?
            .render()?,
    ))
}

#[derive(Deserialize)]
struct PortalInviteForm {
    #[serde(default)]
    email: String,
}

async fn invite_to_portal(
    State(state): State<AppState>,
    member: Member,
    Path((id, client)): Path<(String, String)>,
    Form(form): Form<PortalInviteForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let id = case_id(&id)?;
    let client_id: ClientId = client.parse().map_err(|_| WebError::NotFound)?;
    let message = match state
        .app
        .invite_to_portal(
            &member.signed_in,
            id,
            client_id,
            &form.email,
            &state.settings.public_url,
            &member.audit,
        )
        .await
    {
        Ok(()) => {
            return Ok(Redirect::to(&format!("/clinic/cases/{id}?invited")).into_response());
        }
        Err(InviteError::Invalid { email, .. }) => email
            .map(|e| e.to_string())
            .unwrap_or_else(|| "Check the email address.".into()),
        Err(InviteError::EmailInUse) => "That email address already has an account.".into(),
        Err(InviteError::AlreadyInPortal) => "This client already has access to the portal.".into(),
        Err(InviteError::NotAllowed) => return Err(WebError::NotFound),
        Err(InviteError::App(error)) => return Err(error.into()),
    };
    let problem = InviteProblem {
        client: client_id.to_string(),
        email: form.email,
        message,
    };
    let page = render_case(&state, &member, id, None, Some(problem)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn close_case(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    set_open(state, member, id, true).await
}

async fn reopen_case(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    set_open(state, member, id, false).await
}

async fn set_open(
    state: AppState,
    member: Member,
    id: String,
    close: bool,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let id = case_id(&id)?;
    let Some(changed) = state
        .app
        .set_case_open(&member.signed_in, id, close, &member.audit)
        .await?
    else {
        return Err(WebError::NotFound);
    };
    if !changed {
        // Already so (a second click, say): the case page shows where it stands.
        return Ok(Redirect::to(&format!("/clinic/cases/{id}")).into_response());
    }
    Ok(if close {
        Redirect::to("/clinic?closed")
    } else {
        Redirect::to(&format!("/clinic/cases/{id}?reopened"))
    }
    .into_response())
}

#[derive(Deserialize)]
struct TransferForm {
    #[serde(default)]
    to: String,
}

async fn transfer_case(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<TransferForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let id = case_id(&id)?;
    let to: AccountId = form.to.parse().map_err(|_| WebError::NotFound)?;
    if state
        .app
        .transfer_case(&member.signed_in, id, to, &member.audit)
        .await?
    {
        Ok(Redirect::to("/clinic?transferred").into_response())
    } else {
        Err(WebError::NotFound)
    }
}
