//! Questionnaires: the clinician's page for one client (assign, stop, enter from paper,
//! and the results: score, band, cutoff, flags with their citations, a progress chart
//! with its table, and reliable change), and the client's answer sheet in the portal.
//!
//! The client never sees a score, a band or a risk label. After a critical answer they
//! see a supportive message with where to get help now, on the page the answers were
//! sent from: nothing about it reaches an address.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{
    AnswerSheet, AssignForm, ClientQuestionnaires, QuestionnaireError, ResultView, instruments,
};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::{CaseId, ClientId};
use sensate_instruments::{
    CalendarDate, ChangeAssessment, Direction, INCOMPLETE, Instrument, PRORATED, ProgressChart,
    ScoreSeries, TOTAL,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::intake::AlertRow;
use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post(
            "/clinic/cases/{id}/clients/{client}/questionnaires",
            client_page,
            assign,
        )
        .post(
            "/clinic/cases/{id}/clients/{client}/questionnaires/{assignment}/stop",
            stop,
        )
        .get_and_post(
            "/clinic/cases/{id}/clients/{client}/questionnaires/paper",
            paper_page,
            paper_save,
        )
        .get(
            "/clinic/cases/{id}/clients/{client}/questionnaires/{response}/fhir",
            fhir_response,
        )
        .get_and_post(
            "/portal/questionnaires/{assignment}",
            answer_sheet,
            save_answers,
        )
}

fn ids(case: &str, client: &str) -> Result<(CaseId, ClientId), WebError> {
    Ok((
        case.parse().map_err(|_| WebError::NotFound)?,
        client.parse().map_err(|_| WebError::NotFound)?,
    ))
}

fn date(at: time::OffsetDateTime) -> String {
    at.date().to_string()
}

struct InstrumentOption {
    id: &'static str,
    name: String,
    selected: bool,
}

fn instrument_options(selected: &str) -> Result<Vec<InstrumentOption>, WebError> {
    Ok(instruments()?
        .iter()
        .map(|i| InstrumentOption {
            id: static_id(i),
            name: format!("{} ({})", i.name(), i.abbreviation()),
            selected: i.id() == selected,
        })
        .collect())
}

/// The catalogue lives for the whole process, so its ids are `'static`.
fn static_id(instrument: &'static Instrument) -> &'static str {
    instrument.id()
}

fn schedule_text(a: &sensate_app::AssignmentView) -> String {
    let days = a.open_days;
    let when = match (a.before_sessions, a.every_weeks) {
        (true, _) => format!("Before each session, opening {days} days ahead"),
        (false, None) => format!("Once, open for {days} days"),
        (false, Some(1)) => format!("Every week, each open for {days} days"),
        (false, Some(weeks)) => format!("Every {weeks} weeks, each open for {days} days"),
    };
    match a.reminder_days {
        None => format!("{when}; no reminder"),
        Some(1) => format!("{when}; reminder 1 day before it closes"),
        Some(n) => format!("{when}; reminder {n} days before it closes"),
    }
}

struct AssignmentRow {
    id: String,
    name: &'static str,
    schedule: String,
    started: String,
    ended: Option<String>,
}

struct ResultRow {
    id: String,
    date: String,
    total: String,
    band: String,
    positive: &'static str,
    flags: Vec<String>,
    domains: Vec<(String, String)>,
    from_paper: bool,
}

struct InstrumentResults {
    name: String,
    recall: &'static str,
    direction: &'static str,
    cutoff: Option<String>,
    bands_citation: Option<&'static str>,
    citations: Vec<String>,
    summaries_only: bool,
    chart: Option<String>,
    table: Vec<(String, String, String)>,
    change: Option<String>,
    rows: Vec<ResultRow>,
    /// Both partners of a couple on one chart, when both answered this instrument.
    dyad: Option<Dyad>,
}

/// The dyadic view: both partners' totals over time on one chart, with its table.
struct Dyad {
    chart: String,
    table: Vec<(String, String, String, String)>,
}

/// One person's dated totals on an instrument, for a chart.
fn totals(results: &[&ResultView]) -> Vec<(CalendarDate, sensate_instruments::Exact)> {
    results
        .iter()
        .filter_map(|r| {
            let date = CalendarDate::parse(&r.completed_at.date().to_string()).ok()?;
            Some((date, r.score.total?))
        })
        .collect()
}

fn dyad(
    instrument: &'static Instrument,
    mine: &[&ResultView],
    names: (&str, &str),
    partner: &ClientQuestionnaires,
) -> Option<Dyad> {
    let theirs: Vec<&ResultView> = partner
        .results
        .iter()
        .filter(|r| r.instrument.id() == instrument.id())
        .collect();
    if theirs.is_empty() {
        return None;
    }
    let chart = ProgressChart::new(
        &format!("dyad-{}", instrument.id()),
        vec![
            ScoreSeries {
                person: names.0.to_owned(),
                instrument,
                score: TOTAL.into(),
                points: totals(mine),
            },
            ScoreSeries {
                person: names.1.to_owned(),
                instrument,
                score: TOTAL.into(),
                points: totals(&theirs),
            },
        ],
    )
    .ok()?;
    Some(Dyad {
        table: chart
            .rows()
            .into_iter()
            .map(|row| {
                (
                    row.date.to_string(),
                    row.person,
                    row.score.to_string(),
                    row.band.unwrap_or_default(),
                )
            })
            .collect(),
        chart: chart.svg(),
    })
}

/// Domains of different instruments that ask about the same part of sexual function,
/// so partners who answered different instruments (FSFI and IIEF-15) can be seen side
/// by side. The chart draws each on its own panel with its own scale: the pairing says
/// "look at these together", never "these numbers compare".
/// An instrument id and one of its domains.
type DomainOf = (&'static str, &'static str);

const COMPARABLE_DOMAINS: &[(DomainOf, DomainOf)] = &[
    (("fsfi", "desire"), ("iief15", "sexual_desire")),
    (("fsfi", "orgasm"), ("iief15", "orgasmic_function")),
    (("fsfi", "satisfaction"), ("iief15", "overall_satisfaction")),
];

/// One person's dated scores on one domain.
fn domain_points(
    results: &[ResultView],
    instrument: &str,
    domain: &str,
) -> Vec<(CalendarDate, sensate_instruments::Exact)> {
    results
        .iter()
        .filter(|r| r.instrument.id() == instrument)
        .filter_map(|r| {
            let date = CalendarDate::parse(&r.completed_at.date().to_string()).ok()?;
            Some((date, r.score.domain(domain)?))
        })
        .collect()
}

/// The partners' comparable domains across different instruments, each pair on one
/// chart of two stacked panels.
fn cross_dyads(
    data: &ClientQuestionnaires,
    names: (&str, &str),
    partner: &ClientQuestionnaires,
) -> Vec<CrossDyad> {
    let catalogue = match instruments() {
        Ok(catalogue) => catalogue,
        Err(_) => return Vec::new(),
    };
    let mut dyads = Vec::new();
    for &(first, second) in COMPARABLE_DOMAINS {
        // Either partner may have answered either side of the pair.
        for (mine, theirs) in [(first, second), (second, first)] {
            let my_points = domain_points(&data.results, mine.0, mine.1);
            let their_points = domain_points(&partner.results, theirs.0, theirs.1);
            if my_points.is_empty() || their_points.is_empty() {
                continue;
            }
            let (Some(my_instrument), Some(their_instrument)) =
                (catalogue.get(mine.0), catalogue.get(theirs.0))
            else {
                continue;
            };
            let Ok(chart) = ProgressChart::new(
                &format!("pair-{}-{}", mine.1, theirs.1).replace('_', "-"),
                vec![
                    ScoreSeries {
                        person: names.0.to_owned(),
                        instrument: my_instrument,
                        score: mine.1.into(),
                        points: my_points,
                    },
                    ScoreSeries {
                        person: names.1.to_owned(),
                        instrument: their_instrument,
                        score: theirs.1.into(),
                        points: their_points,
                    },
                ],
            ) else {
                continue;
            };
            let rows = chart.rows();
            dyads.push(CrossDyad {
                title: format!(
                    "{} and {}",
                    rows.iter()
                        .find(|r| r.person == names.0)
                        .map_or_else(String::new, |r| r.measure.clone()),
                    rows.iter()
                        .find(|r| r.person == names.1)
                        .map_or_else(String::new, |r| r.measure.clone()),
                ),
                dyad: Dyad {
                    table: rows
                        .into_iter()
                        .map(|row| {
                            (
                                row.date.to_string(),
                                format!("{} ({})", row.person, row.measure),
                                row.score.to_string(),
                                row.band.unwrap_or_default(),
                            )
                        })
                        .collect(),
                    chart: chart.svg(),
                },
            });
        }
    }
    dyads
}

/// A pair of comparable domains from different instruments, one partner each.
struct CrossDyad {
    title: String,
    dyad: Dyad,
}

#[derive(Template)]
#[template(path = "questionnaires_clinic.html")]
struct ClientPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    problems: Vec<String>,
    case_id: String,
    client_id: String,
    name: String,
    options: Vec<InstrumentOption>,
    assignments: Vec<AssignmentRow>,
    results: Vec<InstrumentResults>,
    /// Partners who answered different instruments, side by side.
    cross_dyads: Vec<CrossDyad>,
    alerts: Vec<AlertRow>,
    alert_problem: Option<String>,
    alerts_back: &'static str,
}

fn flag_text(instrument: &Instrument, id: &str) -> String {
    if id == INCOMPLETE {
        return "incomplete: too many questions were left unanswered to score".into();
    }
    if id == PRORATED {
        return "prorated: some unanswered questions were filled in by the missing-data rule"
            .into();
    }
    instrument
        .flags()
        .iter()
        .find(|f| f.id() == id)
        .map_or_else(
            || id.to_owned(),
            |f| format!("{}: {} ({})", f.id(), f.meaning(), f.citation()),
        )
}

fn results_of(
    data: &ClientQuestionnaires,
    partner: Option<(&str, &str, &ClientQuestionnaires)>,
) -> Vec<InstrumentResults> {
    let mut order: Vec<&'static Instrument> = Vec::new();
    for result in &data.results {
        if !order.iter().any(|i| i.id() == result.instrument.id()) {
            order.push(result.instrument);
        }
    }
    order
        .into_iter()
        .map(|instrument| {
            let mine: Vec<&ResultView> = data
                .results
                .iter()
                .filter(|r| r.instrument.id() == instrument.id())
                .collect();
            let mut results = instrument_results(
                instrument,
                &mine,
                &data.worded,
                data.parameters_for(instrument.id(), TOTAL),
            );
            results.dyad =
                partner.and_then(|(me, them, theirs)| dyad(instrument, &mine, (me, them), theirs));
            results
        })
        .collect()
}

fn instrument_results(
    instrument: &'static Instrument,
    results: &[&ResultView],
    worded: &[String],
    parameters: Option<&sensate_instruments::PracticeParameters>,
) -> InstrumentResults {
    let cutoff = instrument.cutoff(TOTAL).map(|c| {
        format!(
            "{} {} — {} ({})",
            match c.side {
                sensate_instruments::CutoffSide::AtLeast => "at or above",
                sensate_instruments::CutoffSide::AtMost => "at or below",
                sensate_instruments::CutoffSide::Below => "below",
                sensate_instruments::CutoffSide::Above => "above",
            },
            c.value,
            c.meaning,
            c.citation
        )
    });
    let points = totals(results);
    let chart = ProgressChart::new(
        &format!("chart-{}", instrument.id()),
        vec![ScoreSeries {
            person: "This client".into(),
            instrument,
            score: TOTAL.into(),
            points: points.clone(),
        }],
    )
    .ok();
    let table = chart
        .as_ref()
        .map(|c| {
            c.rows()
                .into_iter()
                .map(|row| {
                    (
                        row.date.to_string(),
                        row.score.to_string(),
                        row.band.unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let change = match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => {
            match instrument.assess_change(TOTAL, first.1, last.1, parameters) {
                Ok(ChangeAssessment::Assessed(change)) => Some(format!(
                    "From the first to the latest: {} Source: {}",
                    change.summary(),
                    change.citation
                )),
                Ok(ChangeAssessment::NoMethod { message }) => Some(message),
                Err(error) => Some(error.to_string()),
            }
        }
        _ => None,
    };
    InstrumentResults {
        name: format!("{} ({})", instrument.name(), instrument.abbreviation()),
        recall: instrument.recall(),
        direction: match instrument.direction() {
            Direction::HigherIsBetter => "Higher scores are better.",
            Direction::HigherIsWorse => "Higher scores are worse.",
        },
        cutoff,
        bands_citation: instrument.banding().map(|b| b.citation()),
        citations: instrument.citations().to_vec(),
        summaries_only: !worded.iter().any(|w| w == instrument.id()),
        chart: chart.map(|c| c.svg()),
        table,
        change,
        dyad: None,
        rows: results
            .iter()
            .rev()
            .map(|r| ResultRow {
                id: r.id.to_string(),
                date: date(r.completed_at),
                total: r
                    .score
                    .total
                    .map_or_else(|| "not scored".into(), |t| t.to_string()),
                band: r.score.band.clone().unwrap_or_default(),
                positive: match r.score.positive {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "cannot say",
                },
                flags: r
                    .score
                    .flags
                    .iter()
                    .map(|f| flag_text(instrument, f))
                    .collect(),
                domains: r
                    .score
                    .domains
                    .iter()
                    .map(|d| {
                        let name = instrument
                            .domains()
                            .iter()
                            .find(|x| x.id() == d.id)
                            .map_or_else(|| d.id.clone(), |x| x.name().to_owned());
                        (
                            name,
                            d.score
                                .map_or_else(|| "not scored".into(), |s| s.to_string()),
                        )
                    })
                    .collect(),
                from_paper: r.from_paper,
            })
            .collect(),
    }
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    assigned: Option<String>,
    #[serde(default)]
    stopped: Option<String>,
    #[serde(default)]
    entered: Option<String>,
    #[serde(default)]
    seen: Option<String>,
}

async fn render_client_page(
    state: &AppState,
    member: &Member,
    case: CaseId,
    client: ClientId,
    notice: Option<&'static str>,
    problems: Vec<String>,
    selected: &str,
) -> Result<ClientPage, WebError> {
    let data = state
        .app
        .client_questionnaires(&member.signed_in, case, client, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let view = state
        .app
        .case_view(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let name = view
        .clients
        .iter()
        .find(|c| c.id == client)
        .map(|c| c.name.expose_secret().to_owned())
        .ok_or(WebError::NotFound)?;
    // A couple's dyadic view: the partner's results beside this client's.
    let partner = match (view.kind, view.clients.iter().find(|c| c.id != client)) {
        (sensate_domain::cases::CaseKind::Couple, Some(partner)) => state
            .app
            .client_questionnaires(&member.signed_in, case, partner.id, &member.audit)
            .await?
            .map(|data| (partner.name.expose_secret().to_owned(), data)),
        _ => None,
    };
    let results = results_of(
        &data,
        partner
            .as_ref()
            .map(|(them, theirs)| (name.as_str(), them.as_str(), theirs)),
    );
    let cross_dyads = partner.as_ref().map_or_else(Vec::new, |(them, theirs)| {
        cross_dyads(&data, (name.as_str(), them.as_str()), theirs)
    });
    Ok(ClientPage {
        chrome: Chrome::member(Section::Clinic, member),
        notice,
        problems,
        case_id: case.to_string(),
        client_id: client.to_string(),
        name,
        options: instrument_options(selected)?,
        assignments: data
            .assignments
            .iter()
            .rev()
            .map(|a| AssignmentRow {
                id: a.id.to_string(),
                name: a.instrument.name(),
                schedule: schedule_text(a),
                started: date(a.starts_at),
                ended: a.ended_at.map(date),
            })
            .collect(),
        results,
        cross_dyads,
        alerts: data.alerts.iter().map(AlertRow::of).collect(),
        alert_problem: None,
        alerts_back: "questionnaires",
    })
}

/// One completed response as a FHIR R4 Bundle (QuestionnaireResponse and Observations),
/// downloaded. The client is named by their opaque id, never their name.
async fn fhir_response(
    State(state): State<AppState>,
    member: Member,
    Path((case, client, response)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    let response: Uuid = response.parse().map_err(|_| WebError::NotFound)?;
    let bundle = state
        .app
        .response_as_fhir(&member.signed_in, case, client, response, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let body = serde_json::to_vec_pretty(&bundle)
        .map_err(|error| WebError::Internal(format!("FHIR export: {error}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/fhir+json".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"sensate-response-{}.json\"",
                    state.app.now().date()
                ),
            ),
        ],
        body,
    )
        .into_response())
}

/// The questionnaires page again, when marking an alert as seen was refused.
pub(crate) async fn alert_refused(
    state: &AppState,
    member: &Member,
    case: CaseId,
    client: ClientId,
    problem: String,
) -> Result<Response, WebError> {
    let mut page = render_client_page(state, member, case, client, None, Vec::new(), "").await?;
    page.alert_problem = Some(problem);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn client_page(
    State(state): State<AppState>,
    member: Member,
    Path((case, client)): Path<(String, String)>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    let notice = if notice.assigned.is_some() {
        Some("The questionnaire is assigned. It is waiting in the client's portal.")
    } else if notice.stopped.is_some() {
        Some("The questionnaire is stopped. Answers already given are kept.")
    } else if notice.entered.is_some() {
        Some("The answers from paper are saved and scored.")
    } else if notice.seen.is_some() {
        Some("The alert is marked as seen, with what you did.")
    } else {
        None
    };
    let page = render_client_page(&state, &member, case, client, notice, Vec::new(), "").await?;
    Ok(Html(page.render()?))
}

#[derive(Deserialize, Default)]
struct AssignFields {
    #[serde(default)]
    instrument: String,
    #[serde(default)]
    schedule: String,
    #[serde(default)]
    every_weeks: String,
    #[serde(default)]
    open_days: String,
    #[serde(default)]
    reminder_days: String,
}

fn refused(error: QuestionnaireError) -> Result<Vec<String>, WebError> {
    match error {
        QuestionnaireError::Invalid(problems) => {
            Ok(problems.into_iter().map(|(_, message)| message).collect())
        }
        QuestionnaireError::NotAllowed => Err(WebError::NotFound),
        QuestionnaireError::App(error) => Err(error.into()),
        other => Ok(vec![capitalised(&other.to_string())]),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

async fn assign(
    State(state): State<AppState>,
    member: Member,
    Path((case, client)): Path<(String, String)>,
    Form(fields): Form<AssignFields>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    let form = AssignForm {
        instrument: fields.instrument.clone(),
        schedule: fields.schedule,
        every_weeks: fields.every_weeks,
        open_days: fields.open_days,
        reminder_days: fields.reminder_days,
    };
    match state
        .app
        .assign_questionnaire(&member.signed_in, case, client, &form, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/questionnaires?assigned"
        ))
        .into_response()),
        Err(error) => {
            let problems = refused(error)?;
            let page = render_client_page(
                &state,
                &member,
                case,
                client,
                None,
                problems,
                &fields.instrument,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

async fn stop(
    State(state): State<AppState>,
    member: Member,
    Path((case, client, assignment)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    let assignment: Uuid = assignment.parse().map_err(|_| WebError::NotFound)?;
    match state
        .app
        .end_questionnaire(&member.signed_in, case, client, assignment, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/questionnaires?stopped"
        ))
        .into_response()),
        Err(QuestionnaireError::App(error)) => Err(error.into()),
        Err(_) => Err(WebError::NotFound),
    }
}

struct OptionField {
    value: u8,
    label: String,
    checked: bool,
}

struct ItemField {
    id: String,
    position: usize,
    text: String,
    before: Vec<String>,
    hint: String,
    options: Vec<OptionField>,
    problem: Option<String>,
}

fn item_fields(
    instrument: &Instrument,
    wording: Option<&sensate_instruments::fhir::ImportedWording>,
    answers: &[Option<u8>],
    problems: &[(String, String)],
) -> Vec<ItemField> {
    instrument
        .items()
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let worded = wording.and_then(|w| w.items.iter().find(|i| i.item_id == item.id()));
            ItemField {
                id: item.id().to_owned(),
                position: item.position(),
                text: worded.map_or_else(|| item.label().to_owned(), |w| w.text.clone()),
                before: worded.map(|w| w.before.clone()).unwrap_or_default(),
                hint: if worded.is_some() {
                    String::new()
                } else {
                    item.scale_meaning().to_owned()
                },
                options: (item.min()..=item.max())
                    .map(|value| OptionField {
                        value,
                        label: worded
                            .and_then(|w| w.answers.iter().find(|a| a.value == Some(value)))
                            .and_then(|a| a.display.clone())
                            .unwrap_or_else(|| match (value, item.zero_means()) {
                                (0, Some(zero)) => format!("0 ({zero})"),
                                _ => value.to_string(),
                            }),
                        checked: answers.get(index).copied().flatten() == Some(value),
                    })
                    .collect(),
                problem: problems
                    .iter()
                    .find(|(id, _)| id == item.id())
                    .map(|(_, message)| message.clone()),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "questionnaire_answer.html")]
struct AnswerPage {
    chrome: Chrome,
    action: String,
    back_href: String,
    name: &'static str,
    recall: &'static str,
    closes: String,
    copyright: Option<String>,
    summaries_only: bool,
    items: Vec<ItemField>,
    problems: usize,
    notice: Option<&'static str>,
    autosave: &'static str,
    stepper: &'static str,
    /// False for a clinician entering paper answers (no autosave, no stepper).
    for_client: bool,
    instrument_field: Option<&'static str>,
}

fn answer_page(
    member: &Member,
    sheet: &AnswerSheet,
    answers: &[Option<u8>],
    problems: &[(String, String)],
    notice: Option<&'static str>,
) -> AnswerPage {
    AnswerPage {
        chrome: Chrome::member(Section::Portal, member),
        action: format!("/portal/questionnaires/{}", sheet.assignment),
        back_href: "/portal".into(),
        name: sheet.instrument.name(),
        recall: sheet.instrument.recall(),
        closes: date(sheet.closes_at),
        copyright: sheet.wording.as_ref().and_then(|w| w.copyright.clone()),
        summaries_only: sheet.wording.is_none(),
        items: item_fields(sheet.instrument, sheet.wording.as_ref(), answers, problems),
        problems: problems.len(),
        notice,
        autosave: crate::assets::autosave_path(),
        stepper: crate::assets::stepper_path(),
        for_client: true,
        instrument_field: None,
    }
}

#[derive(Deserialize, Default)]
struct SheetNotice {
    #[serde(default)]
    saved: Option<String>,
}

async fn answer_sheet(
    State(state): State<AppState>,
    member: Member,
    Path(assignment): Path<String>,
    Query(notice): Query<SheetNotice>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let assignment: Uuid = assignment.parse().map_err(|_| WebError::NotFound)?;
    match state
        .app
        .my_answer_sheet(&member.signed_in, assignment, &member.audit)
        .await
    {
        Ok(Some(sheet)) => {
            let notice = notice.saved.is_some().then_some(
                "Your answers are saved. Come back to finish at any time before it closes.",
            );
            Ok(
                Html(answer_page(&member, &sheet, &sheet.answers, &[], notice).render()?)
                    .into_response(),
            )
        }
        Ok(None) | Err(QuestionnaireError::NotAllowed) => Err(WebError::NotFound),
        Err(QuestionnaireError::App(error)) => Err(error.into()),
        Err(other) => Ok(closed_page(&member, &other)?.into_response()),
    }
}

#[derive(Template)]
#[template(path = "questionnaire_done.html")]
struct DonePage {
    chrome: Chrome,
    title: &'static str,
    message: String,
    /// The practice's crisis resources, line by line, after a critical answer.
    support: Option<Vec<String>>,
}

fn closed_page(member: &Member, why: &QuestionnaireError) -> Result<Html<String>, WebError> {
    Ok(Html(
        DonePage {
            chrome: Chrome::member(Section::Portal, member),
            title: "Nothing to answer here just now",
            message: match why {
                QuestionnaireError::AlreadyCompleted => {
                    "You have already sent your answers to this questionnaire. Thank you.".into()
                }
                _ => "This questionnaire is not open at the moment. When your therapist asks for it again, it will be on your portal.".into(),
            },
            support: None,
        }
        .render()?,
    ))
}

async fn save_answers(
    State(state): State<AppState>,
    member: Member,
    Path(assignment): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let assignment: Uuid = assignment.parse().map_err(|_| WebError::NotFound)?;
    let send = fields.iter().any(|(k, v)| k == "action" && v == "send");
    match state
        .app
        .save_my_answers(&member.signed_in, assignment, &fields, send, &member.audit)
        .await
    {
        Ok(saved) if !saved.completed => {
            Ok(Redirect::to(&format!("/portal/questionnaires/{assignment}?saved")).into_response())
        }
        Ok(saved) => {
            // Where to get help now, in the practice's words: shown after a critical
            // answer, plainly, and never saying why.
            let support = match (saved.alerted, member.signed_in.practice_id) {
                (true, Some(_)) => Some(crate::intake::crisis_lines(&state, &member).await?),
                _ => None,
            };
            Ok(Html(
            DonePage {
                chrome: Chrome::member(Section::Portal, &member),
                title: "Thank you",
                message:
                    "Your answers are sent to your therapist, who will go through them with you."
                        .into(),
                support,
            }
            .render()?,
        )
        .into_response())
        }
        Err(QuestionnaireError::Invalid(problems)) => {
            let sheet = state
                .app
                .my_answer_sheet(&member.signed_in, assignment, &member.audit)
                .await
                .map_err(|_| WebError::NotFound)?
                .ok_or(WebError::NotFound)?;
            // What was chosen comes back, so nothing has to be answered twice.
            let answers: Vec<Option<u8>> = sheet
                .instrument
                .items()
                .iter()
                .map(|item| {
                    fields
                        .iter()
                        .rev()
                        .find(|(k, _)| k == item.id())
                        .and_then(|(_, v)| v.parse().ok())
                })
                .collect();
            let page = answer_page(&member, &sheet, &answers, &problems, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(QuestionnaireError::NotAllowed) => Err(WebError::NotFound),
        Err(QuestionnaireError::App(error)) => Err(error.into()),
        Err(other) => Ok(closed_page(&member, &other)?.into_response()),
    }
}

#[derive(Deserialize, Default)]
struct PaperChoice {
    #[serde(default)]
    instrument: String,
}

fn paper_page_for(
    member: &Member,
    case: CaseId,
    client: ClientId,
    instrument: &'static Instrument,
    answers: &[Option<u8>],
    problems: &[(String, String)],
) -> AnswerPage {
    AnswerPage {
        chrome: Chrome::member(Section::Clinic, member),
        action: format!("/clinic/cases/{case}/clients/{client}/questionnaires/paper"),
        back_href: format!("/clinic/cases/{case}/clients/{client}/questionnaires"),
        name: instrument.name(),
        recall: instrument.recall(),
        closes: String::new(),
        copyright: None,
        summaries_only: true,
        items: item_fields(instrument, None, answers, problems),
        problems: problems.len(),
        notice: Some(
            "Enter the answers as the client marked them on paper. Leave a question blank if they left it blank.",
        ),
        autosave: crate::assets::autosave_path(),
        stepper: crate::assets::stepper_path(),
        for_client: false,
        instrument_field: Some(static_id(instrument)),
    }
}

async fn paper_page(
    State(state): State<AppState>,
    member: Member,
    Path((case, client)): Path<(String, String)>,
    Query(choice): Query<PaperChoice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    // Reading the client's questionnaires checks the case and records the visit.
    state
        .app
        .client_questionnaires(&member.signed_in, case, client, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let instrument = instruments()?
        .get(&choice.instrument)
        .ok_or(WebError::NotFound)?;
    let blank = vec![None; instrument.items().len()];
    Ok(Html(
        paper_page_for(&member, case, client, instrument, &blank, &[]).render()?,
    ))
}

async fn paper_save(
    State(state): State<AppState>,
    member: Member,
    Path((case, client)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&case, &client)?;
    let chosen = fields
        .iter()
        .find(|(k, _)| k == "instrument")
        .map_or("", |(_, v)| v.as_str())
        .to_owned();
    match state
        .app
        .enter_from_paper(
            &member.signed_in,
            case,
            client,
            &chosen,
            &fields,
            &member.audit,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/questionnaires?entered"
        ))
        .into_response()),
        Err(QuestionnaireError::Invalid(problems)) => {
            let instrument = instruments()?.get(&chosen).ok_or(WebError::NotFound)?;
            let answers: Vec<Option<u8>> = instrument
                .items()
                .iter()
                .map(|item| {
                    fields
                        .iter()
                        .find(|(k, _)| k == item.id())
                        .and_then(|(_, v)| v.parse().ok())
                })
                .collect();
            let page = paper_page_for(&member, case, client, instrument, &answers, &problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(QuestionnaireError::App(error)) => Err(error.into()),
        Err(_) => Err(WebError::NotFound),
    }
}
