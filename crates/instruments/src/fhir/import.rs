//! Importing a practice's licensed wording: a FHIR R4 `Questionnaire` bound to a
//! built-in instrument, or refused with the first difference.
//!
//! Steps: parse (size limit, JSON, `resourceType`, element types with their JSON path);
//! choose the instrument (an explicit id, else Sensate's canonical URL or the LOINC panel
//! code in `Questionnaire.code`); collect the scored questions; then check them item by
//! item against the definition (see `binding`). Success is an [`ImportedWording`] that
//! the app stores and shows to clients instead of our short labels.
//!
//! How Questionnaire items map to our items: **by order**. Groups are entered, their
//! text and `display` items are kept as text shown before the next question; questions
//! with answer options are the scored items, in document order, and the n-th is our n-th
//! item. Questions without answer options (a calculated total) and published unscored
//! items the definition lists (PHQ-9's difficulty question) are skipped and reported.
//! Each bound item records its linkId, which the export then uses.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::questionnaire::{Questionnaire, QuestionnaireItem};
use super::{LOINC, binding, canonical_url};
use crate::catalogue::Catalogue;
use crate::definition::Instrument;

/// The largest Questionnaire accepted, in bytes (a long instrument with translations is
/// well under 1 MiB).
pub const MAX_QUESTIONNAIRE_BYTES: usize = 2 * 1024 * 1024;

/// Wording imported for one instrument, ready to store and show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedWording {
    /// The instrument it is bound to (`phq9`).
    pub instrument: String,
    /// The definition version it was checked against.
    pub instrument_version: String,
    /// `Questionnaire.url`, if given.
    pub questionnaire_url: Option<String>,
    /// `Questionnaire.version`, if given.
    pub questionnaire_version: Option<String>,
    /// `title`, else `name`.
    pub title: Option<String>,
    /// The language of the wording (`Questionnaire.language`), if given.
    pub language: Option<String>,
    /// The rights statement, to show with the form.
    pub copyright: Option<String>,
    /// One entry per instrument item, in item order.
    pub items: Vec<ImportedItem>,
    /// Display text after the last question.
    pub closing_text: Vec<String>,
    /// Questions that were not bound, and why.
    pub skipped: Vec<SkippedItem>,
}

/// The wording of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedItem {
    /// Our item id (`phq9_9`).
    pub item_id: String,
    /// The Questionnaire's linkId.
    pub link_id: String,
    /// Its printed prefix (`9.`), if any.
    pub prefix: Option<String>,
    /// The question text.
    pub text: String,
    /// Instructions and headings shown before this question.
    pub before: Vec<String>,
    /// The answers as the Questionnaire lists them (display order kept).
    pub answers: Vec<ImportedAnswer>,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedAnswer {
    /// The coded value it records, or `None` for "declined" (stored as unanswered).
    pub value: Option<u8>,
    /// The text shown for it, if the Questionnaire gives one.
    pub display: Option<String>,
    /// The answer as it must be written back into a QuestionnaireResponse.
    pub answer: AnswerValue,
}

/// An answer option's value as written in the Questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerValue {
    /// `valueCoding`.
    Coding {
        /// The code system.
        system: Option<String>,
        /// The code.
        code: String,
        /// Its display text.
        display: Option<String>,
    },
    /// `valueInteger`.
    Integer {
        /// The integer.
        value: i64,
    },
}

/// A Questionnaire question that was not bound to an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedItem {
    /// Its linkId.
    pub link_id: String,
    /// Why it was skipped.
    pub reason: String,
}

impl ImportedWording {
    /// The wording of our item `item_id`.
    pub fn item(&self, item_id: &str) -> Option<&ImportedItem> {
        self.items.iter().find(|item| item.item_id == item_id)
    }
}

impl ImportedItem {
    /// The display text of the answer that records `value`.
    pub fn answer_display(&self, value: u8) -> Option<&str> {
        self.answers
            .iter()
            .find(|answer| answer.value == Some(value))
            .and_then(|answer| answer.display.as_deref())
    }
}

/// Why a Questionnaire was refused. Every message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// Larger than [`MAX_QUESTIONNAIRE_BYTES`].
    #[error("the file is {bytes} bytes; a Questionnaire may be at most {max} bytes")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Not JSON at all.
    #[error("the file is not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but not a FHIR resource.
    #[error("the file is JSON but not a FHIR resource: it has no \"resourceType\"")]
    NotAResource,
    /// Another kind of resource.
    #[error("the file is a FHIR {0}, not a Questionnaire")]
    WrongResourceType(String),
    /// An element of the wrong JSON type.
    #[error("{path}: {message}")]
    Malformed {
        /// The JSON path of the element (`item[2].answerOption[0].valueInteger`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Valid JSON that breaks an R4 rule the import relies on.
    #[error("not a valid FHIR R4 Questionnaire: {0}")]
    Invalid(String),
    /// `--instrument` named no built-in instrument.
    #[error("unknown instrument `{id}`; the instruments are: {known}")]
    UnknownInstrument {
        /// The id given.
        id: String,
        /// The known ids.
        known: String,
    },
    /// Nothing says which instrument this is.
    #[error(
        "cannot tell which instrument this Questionnaire is: its url ({url}) and LOINC codes \
         ({codes}) match none; name it explicitly (sensate instruments import FILE \
         --instrument ID)"
    )]
    NoMatch {
        /// `Questionnaire.url`, or `none`.
        url: String,
        /// Its LOINC codes, or `none`.
        codes: String,
    },
    /// Its url and codes point at different instruments.
    #[error("the Questionnaire's url and codes point at different instruments: {0}")]
    Ambiguous(String),
    /// `--instrument` disagrees with what the Questionnaire says it is.
    #[error("the Questionnaire says it is {declared} ({why}), not {requested}")]
    WrongInstrument {
        /// The id asked for.
        requested: String,
        /// The instrument its url or code names.
        declared: String,
        /// Which url or code says so.
        why: String,
    },
    /// It does not match the instrument's scoring; the message names the first difference.
    #[error("does not match {instrument}: {difference}")]
    Mismatch {
        /// The instrument id.
        instrument: String,
        /// The first difference, naming the item and linkId.
        difference: String,
    },
}

/// Parses `json` as a FHIR R4 Questionnaire and binds it to a built-in instrument: the
/// one named by `instrument`, or else the one its url or LOINC code names.
pub fn import_questionnaire(
    catalogue: &Catalogue,
    json: &str,
    instrument: Option<&str>,
) -> Result<ImportedWording, ImportError> {
    let questionnaire = parse(json)?;
    match questionnaire.status.as_deref() {
        Some("draft" | "active" | "retired" | "unknown") => {}
        Some(other) => {
            return Err(ImportError::Invalid(format!(
                "status `{other}` is not draft, active, retired or unknown"
            )));
        }
        None => return Err(ImportError::Invalid("status is required".into())),
    }
    let instrument = choose_instrument(catalogue, &questionnaire, instrument)?;
    let mut collected = Collected::default();
    collect(
        instrument,
        &questionnaire.item,
        "item",
        &mut collected,
        &mut HashSet::new(),
    )?;
    let items = binding::bind(instrument, &collected.questions)?;
    Ok(ImportedWording {
        instrument: instrument.id().to_owned(),
        instrument_version: instrument.version().to_owned(),
        questionnaire_url: questionnaire.url,
        questionnaire_version: questionnaire.version,
        title: questionnaire.title.or(questionnaire.name),
        language: questionnaire.language,
        copyright: questionnaire.copyright,
        items,
        closing_text: collected.pending,
        skipped: collected.skipped,
    })
}

fn parse(json: &str) -> Result<Questionnaire, ImportError> {
    if json.len() > MAX_QUESTIONNAIRE_BYTES {
        return Err(ImportError::TooLarge {
            bytes: json.len(),
            max: MAX_QUESTIONNAIRE_BYTES,
        });
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|error| ImportError::NotJson(error.to_string()))?;
    match value
        .get("resourceType")
        .and_then(serde_json::Value::as_str)
    {
        Some("Questionnaire") => {}
        Some(other) => return Err(ImportError::WrongResourceType(other.to_owned())),
        None => return Err(ImportError::NotAResource),
    }
    serde_path_to_error::deserialize(value).map_err(|error| ImportError::Malformed {
        path: error.path().to_string(),
        message: error.inner().to_string(),
    })
}

fn choose_instrument<'c>(
    catalogue: &'c Catalogue,
    questionnaire: &Questionnaire,
    requested: Option<&str>,
) -> Result<&'c Instrument, ImportError> {
    let url = questionnaire
        .url
        .as_deref()
        .map(|url| url.split('|').next().unwrap_or(url));
    let loinc_codes: Vec<&str> = questionnaire
        .code
        .iter()
        .filter(|coding| coding.system.as_deref() == Some(LOINC))
        .filter_map(|coding| coding.code.as_deref())
        .collect();
    let mut declared: Vec<(&Instrument, String)> = Vec::new();
    for candidate in catalogue {
        if url == Some(canonical_url(candidate).as_str()) {
            declared.push((candidate, format!("url {}", canonical_url(candidate))));
        } else if let Some(code) = candidate
            .fhir_codes()
            .questionnaire()
            .filter(|code| loinc_codes.contains(code))
        {
            declared.push((candidate, format!("LOINC code {code}")));
        }
    }
    if let Some(id) = requested {
        let chosen = catalogue
            .get(id)
            .ok_or_else(|| ImportError::UnknownInstrument {
                id: id.to_owned(),
                known: catalogue.ids().collect::<Vec<_>>().join(", "),
            })?;
        return match declared.iter().find(|(other, _)| other.id() != id) {
            Some((other, why)) => Err(ImportError::WrongInstrument {
                requested: id.to_owned(),
                declared: other.id().to_owned(),
                why: why.clone(),
            }),
            None => Ok(chosen),
        };
    }
    match declared.as_slice() {
        [(only, _)] => Ok(only),
        [] => Err(ImportError::NoMatch {
            url: url.unwrap_or("none").to_owned(),
            codes: if loinc_codes.is_empty() {
                "none".to_owned()
            } else {
                loinc_codes.join(", ")
            },
        }),
        several => Err(ImportError::Ambiguous(
            several
                .iter()
                .map(|(instrument, why)| format!("{} by {why}", instrument.id()))
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

/// A question that will be bound to an item, with the text shown before it.
pub(super) struct Question<'q> {
    pub item: &'q QuestionnaireItem,
    pub link_id: &'q str,
    pub before: Vec<String>,
}

#[derive(Default)]
struct Collected<'q> {
    questions: Vec<Question<'q>>,
    skipped: Vec<SkippedItem>,
    pending: Vec<String>,
}

/// Walks the item tree in document order (depth is bounded by the JSON parser's nesting
/// limit, so the recursion is too).
fn collect<'q>(
    instrument: &Instrument,
    items: &'q [QuestionnaireItem],
    path: &str,
    out: &mut Collected<'q>,
    link_ids: &mut HashSet<&'q str>,
) -> Result<(), ImportError> {
    for (index, item) in items.iter().enumerate() {
        let here = format!("{path}[{index}]");
        let link_id = item
            .link_id
            .as_deref()
            .filter(|link_id| !link_id.trim().is_empty())
            .ok_or_else(|| ImportError::Invalid(format!("{here} has no linkId")))?;
        if !link_ids.insert(link_id) {
            return Err(ImportError::Invalid(format!(
                "{here}: linkId '{link_id}' is used twice"
            )));
        }
        let kind = item.kind.as_deref().ok_or_else(|| {
            ImportError::Invalid(format!("{here} (linkId '{link_id}') has no type"))
        })?;
        match kind {
            "group" | "display" => out.pending.extend(item.text.clone()),
            _ if is_unscored_published_item(instrument, item) => out.skipped.push(SkippedItem {
                link_id: link_id.to_owned(),
                reason: format!(
                    "a published {} question that is not scored",
                    instrument.abbreviation()
                ),
            }),
            _ if item.answer_option.is_empty() && item.answer_value_set.is_none() => {
                out.skipped.push(SkippedItem {
                    link_id: link_id.to_owned(),
                    reason: format!(
                        "a {kind} question without answer options (such as a calculated score)"
                    ),
                });
            }
            _ => out.questions.push(Question {
                item,
                link_id,
                before: std::mem::take(&mut out.pending),
            }),
        }
        collect(
            instrument,
            &item.item,
            &format!("{here}.item"),
            out,
            link_ids,
        )?;
    }
    Ok(())
}

fn is_unscored_published_item(instrument: &Instrument, item: &QuestionnaireItem) -> bool {
    let unscored = instrument.fhir_codes().unscored_items();
    item.code.iter().any(|coding| {
        coding.system.as_deref() == Some(LOINC)
            && coding
                .code
                .as_ref()
                .is_some_and(|code| unscored.contains(code))
    })
}
