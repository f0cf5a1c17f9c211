//! The shape of an instrument definition file, exactly as written in TOML.
//!
//! These structs only mirror the file; nothing here is trusted. `validate` turns a
//! [`DefinitionFile`] into an [`crate::Instrument`] or a [`crate::DefinitionError`] that
//! names the file and field. Unknown keys are refused, so a typo such as `at_leats` is an
//! error, not a silently ignored rule. Numbers that may be fractional (factors, cutoffs)
//! are written as integers or as decimal *strings* (`"26.55"`); a TOML float is refused,
//! because a float cannot hold most decimals exactly. `docs/instruments.md` documents the
//! format for authors.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// One definition file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionFile {
    pub id: String,
    pub version: String,
    pub name: String,
    pub abbreviation: String,
    pub measures: String,
    pub population: String,
    pub recall: String,
    pub direction: String,
    pub citations: Vec<String>,
    pub licence: LicenceFile,
    pub scales: BTreeMap<String, ScaleFile>,
    #[serde(default)]
    pub forms: Vec<String>,
    pub items: Vec<ItemFile>,
    #[serde(default)]
    pub domains: Vec<DomainFile>,
    pub scoring: ScoringFile,
    pub missing: MissingFile,
    pub banding: Option<BandingFile>,
    pub positive: Option<RuleFile>,
    #[serde(default)]
    pub flags: Vec<FlagFile>,
    /// Published change parameters (`[[change]]`), read by `crate::change`.
    #[serde(default)]
    pub change: Vec<ChangeFile>,
    /// Verified FHIR and LOINC codes (`[fhir]`), read by `crate::fhir`.
    pub fhir: Option<FhirFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LicenceFile {
    pub status: String,
    pub note: String,
}

/// A coded value set shared by items: whole numbers `min..=max`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleFile {
    pub min: i64,
    pub max: i64,
    pub meaning: String,
    pub zero_means: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemFile {
    pub id: String,
    pub label: String,
    pub scale: String,
    #[serde(default)]
    pub critical: bool,
    /// Per-form labels, for instruments with forms (ASEX male and female).
    #[serde(default)]
    pub form_labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DomainFile {
    pub id: String,
    pub name: String,
    pub items: Vec<String>,
    pub factor: Option<DecimalText>,
    pub min_answered: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoringFile {
    pub total: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MissingFile {
    pub rule: String,
    pub min_answered: Option<i64>,
    pub min_domains: Option<i64>,
    pub round: Option<String>,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BandingFile {
    pub score: String,
    pub citation: String,
    pub bands: Vec<BandFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BandFile {
    pub name: String,
    pub min: DecimalText,
    pub max: DecimalText,
}

/// A yes/no rule: `positive`, or the body of a flag.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub meaning: String,
    pub citation: String,
    pub when: Option<String>,
    pub conditions: Vec<ConditionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlagFile {
    pub id: String,
    #[serde(default)]
    pub critical: bool,
    pub meaning: String,
    pub citation: String,
    pub when: Option<String>,
    pub conditions: Vec<ConditionFile>,
}

/// Either a comparison of a score (`score` and one comparator) or a count of items
/// (`count` and `min`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionFile {
    pub score: Option<String>,
    pub at_least: Option<DecimalText>,
    pub at_most: Option<DecimalText>,
    pub below: Option<DecimalText>,
    pub above: Option<DecimalText>,
    pub count: Option<Vec<TallyFile>>,
    pub min: Option<i64>,
}

/// Items counted when their value lies in `at_least..=at_most`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TallyFile {
    pub items: Vec<String>,
    pub at_least: Option<i64>,
    pub at_most: Option<i64>,
    #[serde(default)]
    pub missing_counts: bool,
}

/// One score's published change parameters: a change threshold in points, and/or the
/// reliability and SD that the Jacobson-Truax index needs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeFile {
    pub score: String,
    pub threshold: Option<DecimalText>,
    pub kind: Option<String>,
    pub reliability: Option<DecimalText>,
    pub sd: Option<DecimalText>,
    pub citation: String,
    pub note: Option<String>,
}

/// Verified codes for FHIR: the LOINC panel, total and item codes, and answer lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FhirFile {
    pub citation: String,
    pub questionnaire: Option<String>,
    pub total: Option<String>,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub unscored_items: Vec<String>,
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerListFile>,
}

/// A LOINC answer list for one scale: its id and one answer code per coded value,
/// lowest value first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerListFile {
    pub list: String,
    pub codes: Vec<String>,
}

/// A number as written: a TOML integer, or a decimal in a string. Kept as text until
/// `validate` parses it exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = DecimalText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a decimal written as a string such as \"26.55\"")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<DecimalText, E> {
        Ok(DecimalText(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<DecimalText, E> {
        Ok(DecimalText(value.to_string()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<DecimalText, E> {
        Ok(DecimalText(value.to_owned()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<DecimalText, E> {
        Err(E::custom(format!(
            "found the float {value}; write it as the string \"{value}\" so it stays exact"
        )))
    }
}
