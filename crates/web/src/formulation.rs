//! Concerns and diagnoses for one client: the clinician ticks concerns, sees what
//! Sensate suggests for them (diagnosis codes with their verified names, questionnaires,
//! homework kinds), and ticks the diagnoses they choose. Nothing suggested is saved
//! unless ticked.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{Catalogue, Formulation, FormulationError};
use sensate_domain::{CaseId, ClientId};
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().get_and_post(
        "/clinic/cases/{id}/clients/{client}/formulation",
        formulation_page,
        save,
    )
}

struct ConcernBox {
    id: String,
    name: String,
    checked: bool,
    suggests: String,
}

struct CodeBox {
    code: String,
    title: String,
    dsm5: Option<String>,
    checked: bool,
    suggested_for: Vec<String>,
}

#[derive(Template)]
#[template(path = "formulation.html")]
struct FormulationPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    error: Option<String>,
    case_id: String,
    client_id: String,
    concerns: Vec<ConcernBox>,
    codes: Vec<CodeBox>,
}

fn build(
    member: &Member,
    case: CaseId,
    client: ClientId,
    chosen: &Formulation,
    catalogue: &Catalogue,
) -> FormulationPage {
    let concerns = catalogue
        .concerns
        .iter()
        .map(|concern| {
            let homework: Vec<&str> = concern
                .homework
                .iter()
                .filter_map(|h| catalogue.homework_name(h))
                .collect();
            ConcernBox {
                id: concern.id.clone(),
                name: concern.name.clone(),
                checked: chosen.concerns.contains(&concern.id),
                suggests: format!(
                    "Questionnaires: {}. Homework: {}.",
                    if concern.questionnaires.is_empty() {
                        "none".to_owned()
                    } else {
                        concern.questionnaires.join(", ").to_uppercase()
                    },
                    homework.join(", ")
                ),
            }
        })
        .collect();
    let mut codes: Vec<CodeBox> = catalogue
        .codes
        .iter()
        .map(|code| CodeBox {
            code: code.code.clone(),
            title: code.title.clone(),
            dsm5: code.dsm5.clone(),
            checked: chosen.diagnoses.contains(&code.code),
            suggested_for: catalogue
                .concerns
                .iter()
                .filter(|c| chosen.concerns.contains(&c.id) && c.codes.contains(&code.code))
                .map(|c| c.name.clone())
                .collect(),
        })
        .collect();
    // Suggested codes first, in the catalogue's order otherwise.
    codes.sort_by_key(|c| c.suggested_for.is_empty());
    FormulationPage {
        chrome: Chrome::member(Section::Clinic, member),
        notice: None,
        error: None,
        case_id: case.to_string(),
        client_id: client.to_string(),
        concerns,
        codes,
    }
}

fn ids(id: &str, client: &str) -> Result<(CaseId, ClientId), WebError> {
    Ok((
        id.parse().map_err(|_| WebError::NotFound)?,
        client.parse().map_err(|_| WebError::NotFound)?,
    ))
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    saved: Option<String>,
}

async fn formulation_page(
    State(state): State<AppState>,
    member: Member,
    Path((id, client)): Path<(String, String)>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&id, &client)?;
    let chosen = state
        .app
        .formulation(&member.signed_in, case, client, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let catalogue = Catalogue::bundled()?;
    let mut page = build(&member, case, client, &chosen, catalogue);
    if notice.saved.is_some() {
        page.notice = Some("Saved. Suggestions for the concerns you ticked are listed first.");
    }
    Ok(Html(page.render()?))
}

async fn save(
    State(state): State<AppState>,
    member: Member,
    Path((id, client)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let (case, client) = ids(&id, &client)?;
    let pick = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (concerns, diagnoses) = (pick("concern"), pick("diagnosis"));
    match state
        .app
        .save_formulation(
            &member.signed_in,
            case,
            client,
            &concerns,
            &diagnoses,
            &member.audit,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/clinic/cases/{case}/clients/{client}/formulation?saved"
        ))
        .into_response()),
        Err(FormulationError::Unknown(what)) => {
            let chosen = Formulation {
                concerns,
                diagnoses,
                updated_at: None,
            };
            let mut page = build(&member, case, client, &chosen, Catalogue::bundled()?);
            page.error = Some(format!(
                "{what} is not one of the choices shown; nothing was saved."
            ));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(FormulationError::NotAllowed) => Err(WebError::NotFound),
        Err(FormulationError::App(error)) => Err(error.into()),
    }
}
