//! A completed response as FHIR R4: a `QuestionnaireResponse`, one `Observation` per
//! score, in a `collection` Bundle.
//!
//! The response names the Questionnaire the client answered: the practice's imported one
//! (its url, version and linkIds, and its answer codings) when wording was imported,
//! else Sensate's own ([`super::questionnaire_template`]). Unanswered items are left out,
//! as FHIR expects. Each score that could be computed becomes an Observation (category
//! `survey`, status `final`) derived from the response, coded with LOINC where the
//! definition verifies a code and with Sensate's score code system otherwise; a score
//! that is always whole is a `valueInteger`, any other a `valueQuantity` in `{score}`.
//! The band and the cutoff decision become `interpretation`; prorating and flags become
//! a `note`. No name or other identifying data is written: the subject is an opaque id.

use serde_json::{Map, Value, json};
use thiserror::Error;

use super::import::{AnswerValue, ImportedWording};
use super::{ANSWER_VALUE_SYSTEM, FhirDateTime, LOINC, SCORE_CODE_SYSTEM, canonical_url};
use crate::definition::{Instrument, ScoreRef};
use crate::engine::PRORATED;
use crate::exact::Exact;
use crate::score::Score;
use crate::validate::score_is_whole;
use crate::values::{ItemValue, ScoreError};

/// Everything one export needs.
#[derive(Debug, Clone, Copy)]
pub struct ResponseExport<'a> {
    /// The instrument answered.
    pub instrument: &'a Instrument,
    /// The coded answers in item order, `None` where unanswered.
    pub values: &'a [ItemValue],
    /// The stored score of those answers.
    pub score: &'a Score,
    /// The id to give the QuestionnaireResponse (FHIR id: letters, digits, `-`, `.`,
    /// at most 64); Observation ids are derived from it (`<id>-total`).
    pub response_id: &'a str,
    /// The client's opaque id (a FHIR id too), written as `Patient/<id>`; never a name.
    pub subject: &'a str,
    /// When the response was completed.
    pub authored: &'a FhirDateTime,
    /// The practice's imported wording, if the client answered that form.
    pub wording: Option<&'a ImportedWording>,
    /// The server's FHIR base URL (`https://practice.example/fhir`), for each entry's
    /// `fullUrl`; without it entries have none and references resolve by type and id.
    pub base_url: Option<&'a str>,
}

/// Why a response cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// An id that FHIR does not allow.
    #[error("{what} `{value}` is not a FHIR id (1-64 letters, digits, '-' or '.'){extra}")]
    InvalidId {
        /// Which id.
        what: &'static str,
        /// The value given.
        value: String,
        /// More detail, if any.
        extra: String,
    },
    /// The base URL is not an absolute http(s) URL.
    #[error("base URL `{0}` is not an absolute http(s) URL")]
    InvalidBaseUrl(String),
    /// The answers are not valid for the instrument.
    #[error(transparent)]
    Values(#[from] ScoreError),
    /// The score or wording belongs to another instrument.
    #[error("{0}")]
    Mismatch(String),
}

/// Builds the Bundle for one completed response.
pub fn export_response(export: &ResponseExport<'_>) -> Result<Value, ExportError> {
    let instrument = export.instrument;
    check_id("response id", export.response_id, "")?;
    check_id("subject", export.subject, "")?;
    let base = match export.base_url {
        Some(url) => {
            let url = url.trim_end_matches('/');
            let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
            if !scheme_ok || url.contains(char::is_whitespace) || url.ends_with(':') {
                return Err(ExportError::InvalidBaseUrl(url.to_owned()));
            }
            Some(url)
        }
        None => None,
    };
    instrument.check_values(export.values)?;
    if export.score.instrument != instrument.id() {
        return Err(ExportError::Mismatch(format!(
            "the score is for {}, not {}",
            export.score.instrument,
            instrument.id()
        )));
    }
    if let Some(wording) = export.wording
        && (wording.instrument != instrument.id()
            || wording.items.len() != instrument.items().len())
    {
        return Err(ExportError::Mismatch(format!(
            "the imported wording is for {}, not {}",
            wording.instrument,
            instrument.id()
        )));
    }
    let subject = json!({ "reference": format!("Patient/{}", export.subject) });
    let response_reference = format!("QuestionnaireResponse/{}", export.response_id);
    let mut entries = vec![questionnaire_response(export, &subject)];
    let mut scores: Vec<(ScoreRef, Exact)> = Vec::new();
    if let Some(total) = export.score.total {
        scores.push((ScoreRef::Total, total));
    }
    for (index, domain) in instrument.domains().iter().enumerate() {
        if let Some(value) = export.score.domain(domain.id()) {
            scores.push((ScoreRef::Domain(index), value));
        }
    }
    for (score, value) in scores {
        let id = format!(
            "{}-{}",
            export.response_id,
            instrument.score_id(score).replace('_', "-")
        );
        check_id("observation id", &id, " (use a shorter response id)")?;
        entries.push(observation(
            export,
            score,
            value,
            &id,
            &subject,
            &response_reference,
        ));
    }
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|resource| {
            let mut entry = Map::new();
            if let Some(base) = base {
                let kind = resource["resourceType"].as_str().unwrap_or_default();
                let id = resource["id"].as_str().unwrap_or_default();
                entry.insert("fullUrl".into(), json!(format!("{base}/{kind}/{id}")));
            }
            entry.insert("resource".into(), resource);
            Value::Object(entry)
        })
        .collect();
    Ok(json!({ "resourceType": "Bundle", "type": "collection", "entry": entries }))
}

fn questionnaire_response(export: &ResponseExport<'_>, subject: &Value) -> Value {
    let instrument = export.instrument;
    let questionnaire = match export.wording.and_then(|w| w.questionnaire_url.clone()) {
        Some(url) => match export
            .wording
            .and_then(|w| w.questionnaire_version.as_deref())
        {
            Some(version) => format!("{url}|{version}"),
            None => url,
        },
        None => format!("{}|{}", canonical_url(instrument), instrument.version()),
    };
    let items: Vec<Value> = instrument
        .items()
        .iter()
        .enumerate()
        .zip(export.values)
        .filter_map(|((index, item), value)| {
            let value = (*value)?;
            let imported = export.wording.map(|wording| &wording.items[index]);
            let link_id = imported.map_or(item.id(), |imported| imported.link_id.as_str());
            let answer = imported
                .and_then(|imported| imported.answers.iter().find(|a| a.value == Some(value)))
                .map(|answer| answer_json(&answer.answer))
                .unwrap_or_else(|| default_answer(instrument, index, value));
            Some(json!({ "linkId": link_id, "answer": [answer] }))
        })
        .collect();
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "id": export.response_id,
        "questionnaire": questionnaire,
        "status": "completed",
        "subject": subject,
        "authored": export.authored.as_str(),
    });
    if !items.is_empty() {
        response["item"] = Value::Array(items);
    }
    response
}

/// The answer as the imported Questionnaire lists it.
fn answer_json(answer: &AnswerValue) -> Value {
    match answer {
        AnswerValue::Integer { value } => json!({ "valueInteger": value }),
        AnswerValue::Coding {
            system,
            code,
            display,
        } => {
            let mut coding = Map::new();
            if let Some(system) = system {
                coding.insert("system".into(), json!(system));
            }
            coding.insert("code".into(), json!(code));
            if let Some(display) = display {
                coding.insert("display".into(), json!(display));
            }
            json!({ "valueCoding": coding })
        }
    }
}

/// The answer as Sensate's own Questionnaire lists it: the verified LOINC answer code,
/// else the value in Sensate's answer-value code system.
pub(super) fn default_answer(instrument: &Instrument, index: usize, value: u8) -> Value {
    match instrument.answer_code(index, value) {
        Some(code) => json!({ "valueCoding": { "system": LOINC, "code": code } }),
        None => json!({
            "valueCoding": { "system": ANSWER_VALUE_SYSTEM, "code": value.to_string() }
        }),
    }
}

fn observation(
    export: &ResponseExport<'_>,
    score: ScoreRef,
    value: Exact,
    id: &str,
    subject: &Value,
    response_reference: &str,
) -> Value {
    let instrument = export.instrument;
    let title = format!("{} score", instrument.score_title(score));
    let name = instrument.score_id(score);
    let coding = match (score, instrument.fhir_codes().total()) {
        (ScoreRef::Total, Some(code)) => json!({ "system": LOINC, "code": code, "display": title }),
        _ => json!({
            "system": SCORE_CODE_SYSTEM,
            "code": format!("{}.{name}", instrument.id()),
            "display": title,
        }),
    };
    let mut observation = json!({
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "category": [{ "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }] }],
        "code": { "coding": [coding], "text": title },
        "subject": subject,
        "effectiveDateTime": export.authored.as_str(),
        "issued": export.authored.as_str(),
        "method": { "text": format!(
            "Scored by Sensate with the {} definition version {}",
            instrument.id(),
            export.score.version
        ) },
        "derivedFrom": [{ "reference": response_reference }],
    });
    if score_is_whole(instrument, score) && value.is_integer() {
        observation["valueInteger"] = json!(value.numerator());
    } else {
        observation["valueQuantity"] = json!({
            "value": decimal(value),
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        });
    }
    let interpretation = interpretation(export, name);
    if !interpretation.is_empty() {
        observation["interpretation"] = Value::Array(interpretation);
    }
    if score == ScoreRef::Total {
        let notes = notes(export.score);
        if !notes.is_empty() {
            observation["note"] = Value::Array(notes);
        }
    }
    observation
}

/// An exact score as a JSON number (FHIR decimals are JSON numbers, never strings).
fn decimal(value: Exact) -> Value {
    if value.is_integer() {
        return json!(value.numerator());
    }
    serde_json::Number::from_f64(value.to_f64()).map_or(Value::Null, Value::Number)
}

/// The band, and the cutoff decision, on the Observation of the score they read.
fn interpretation(export: &ResponseExport<'_>, name: &str) -> Vec<Value> {
    let instrument = export.instrument;
    let mut out = Vec::new();
    if let (Some(band), Some(banding)) = (&export.score.band, instrument.banding())
        && banding.score_name() == name
    {
        out.push(json!({ "text": band }));
    }
    let positive_on = instrument
        .score_names()
        .find(|candidate| instrument.cutoff(candidate).is_some())
        .unwrap_or(crate::score_ref::TOTAL);
    if let (Some(positive), Some((meaning, _))) =
        (export.score.positive, instrument.positive_rule())
        && positive_on == name
    {
        let (code, display) = if positive {
            ("POS", "Positive")
        } else {
            ("NEG", "Negative")
        };
        let text = if positive {
            meaning.to_owned()
        } else {
            format!("Not: {meaning}")
        };
        out.push(json!({
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                "code": code,
                "display": display,
            }],
            "text": text,
        }));
    }
    out
}

fn notes(score: &Score) -> Vec<Value> {
    let mut notes = Vec::new();
    if score.has_flag(PRORATED) {
        notes.push(json!({
            "text": "Estimated from a partly answered response by the instrument's missing-data rule (prorated)."
        }));
    }
    let flags: Vec<&str> = score
        .flags
        .iter()
        .map(String::as_str)
        .filter(|flag| *flag != PRORATED)
        .collect();
    if !flags.is_empty() {
        notes.push(json!({ "text": format!("Flags raised: {}.", flags.join(", ")) }));
    }
    notes
}

/// A FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
fn check_id(what: &'static str, value: &str, extra: &str) -> Result<(), ExportError> {
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(())
    } else {
        Err(ExportError::InvalidId {
            what,
            value: value.to_owned(),
            extra: extra.to_owned(),
        })
    }
}
