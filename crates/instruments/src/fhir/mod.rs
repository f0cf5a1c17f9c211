//! FHIR R4 interop: importing a practice's licensed questionnaire wording, and exporting
//! completed responses with their scores.
//!
//! Sensate ships no copyrighted question text: each item carries a short label in our own
//! words. A practice that holds the validated wording imports it as a FHIR R4
//! `Questionnaire` ([`import_questionnaire`]); it is bound to a built-in instrument only
//! if it matches the scoring item by item, so what a client reads and what the engine
//! scores cannot drift apart. A completed response leaves as a `QuestionnaireResponse`
//! with an `Observation` per score ([`export_response`]), in a `collection` Bundle.
//!
//! Codes: LOINC where clinical.md or a cited FHIR implementation guide verifies them (the
//! `[fhir]` table of a definition, read into [`FhirCodes`]); otherwise Sensate's own
//! canonical URLs and code system under [`SENSATE_FHIR_BASE`], documented in
//! `docs/instruments.md`. The JSON is built by hand with `serde_json` for just the
//! elements used, rather than with a full FHIR model crate: the set is small, and each
//! element's R4 rule is checked by a test.

mod binding;
mod datetime;
mod export;
mod import;
mod questionnaire;
mod template;

use serde::Serialize;

use crate::definition::Instrument;

pub use datetime::{DateTimeError, FhirDateTime};
pub use export::{ExportError, ResponseExport, export_response};
pub use import::{
    AnswerValue, ImportError, ImportedAnswer, ImportedItem, ImportedWording,
    MAX_QUESTIONNAIRE_BYTES, SkippedItem, import_questionnaire,
};
pub use template::questionnaire_template;

/// The base of Sensate's own FHIR identifiers. `.invalid` never resolves (RFC 2606): these
/// are names, not addresses, until the project publishes its definitions somewhere.
pub const SENSATE_FHIR_BASE: &str = "https://sensate.invalid/fhir";
/// Sensate's code system for scores that have no verified LOINC code (`fsfi.desire`).
pub const SCORE_CODE_SYSTEM: &str = "https://sensate.invalid/fhir/CodeSystem/instrument-score";
/// The LOINC system URI.
pub const LOINC: &str = "http://loinc.org";
/// The R4 extension that gives an answer option its numeric score.
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
/// The R5 name of the same idea, accepted too (some R4 tools already write it).
pub const ITEM_WEIGHT: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";
/// Sensate's code system for an answer by its coded value (`3`), where no LOINC answer
/// code is verified; the code is the value itself.
pub const ANSWER_VALUE_SYSTEM: &str = "https://sensate.invalid/fhir/CodeSystem/answer-value";
/// Answer options from this system ("asked, declined") record an unanswered item.
pub const DATA_ABSENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

/// The canonical URL of Sensate's Questionnaire for an instrument (without version).
pub fn canonical_url(instrument: &Instrument) -> String {
    format!("{SENSATE_FHIR_BASE}/Questionnaire/{}", instrument.id())
}

/// Verified codes for one instrument, from its `[fhir]` table; empty where nothing is
/// verified (FSFI, IIEF, CSI, ASEX, PCL-5 have no LOINC panel in clinical.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FhirCodes {
    pub(crate) citation: Option<String>,
    pub(crate) questionnaire: Option<String>,
    pub(crate) total: Option<String>,
    pub(crate) items: Vec<String>,
    pub(crate) unscored_items: Vec<String>,
    pub(crate) answers: Vec<Option<AnswerList>>,
}

/// A LOINC answer list: its id and one answer code per coded value, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerList {
    pub(crate) list: String,
    pub(crate) codes: Vec<String>,
}

impl AnswerList {
    /// The list id (`LL358-3`).
    pub fn list(&self) -> &str {
        &self.list
    }

    /// The answer codes, lowest coded value first.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }
}

impl FhirCodes {
    /// Where the codes were verified.
    pub fn citation(&self) -> Option<&str> {
        self.citation.as_deref()
    }

    /// The LOINC code of the questionnaire as a whole (the panel: PHQ-9 `44249-1`).
    pub fn questionnaire(&self) -> Option<&str> {
        self.questionnaire.as_deref()
    }

    /// The LOINC code of the total score (PHQ-9 `44261-6`).
    pub fn total(&self) -> Option<&str> {
        self.total.as_deref()
    }

    /// The LOINC code of the item at `index` (0-based), if verified.
    pub fn item(&self, index: usize) -> Option<&str> {
        self.items.get(index).map(String::as_str)
    }

    /// LOINC codes of published items that are not scored (PHQ-9's difficulty question):
    /// an imported Questionnaire may contain them; they are skipped.
    pub fn unscored_items(&self) -> &[String] {
        &self.unscored_items
    }

    /// The answer list of the item at `index`, if verified.
    pub fn answers(&self, index: usize) -> Option<&AnswerList> {
        self.answers.get(index).and_then(Option::as_ref)
    }
}

impl Instrument {
    /// The verified FHIR and LOINC codes of this instrument.
    pub fn fhir_codes(&self) -> &FhirCodes {
        &self.fhir
    }

    /// The LOINC answer code for `value` on the item at `index`, if verified.
    pub(crate) fn answer_code(&self, index: usize, value: u8) -> Option<&str> {
        let item = self.items.get(index)?;
        let offset = usize::from(value.checked_sub(item.min)?);
        self.fhir
            .answers(index)?
            .codes
            .get(offset)
            .map(String::as_str)
    }
}
