//! The parts of a FHIR R4 `Questionnaire` that binding needs, as serde structs.
//!
//! Only these elements are read; everything else in the resource (narrative, extensions
//! for rendering, translations, `enableWhen`) is ignored, so a rich Questionnaire from an
//! implementation guide still imports. Unknown elements are therefore allowed, unlike in
//! definition files. Element names follow the R4 JSON (camelCase).

use serde::Deserialize;

/// A Questionnaire resource.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Questionnaire {
    // `resourceType` is checked before these are read.
    pub url: Option<String>,
    pub version: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub language: Option<String>,
    pub copyright: Option<String>,
    #[serde(default)]
    pub code: Vec<Coding>,
    #[serde(default)]
    pub item: Vec<QuestionnaireItem>,
}

/// One item: a group, a display text or a question, possibly with children.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QuestionnaireItem {
    pub link_id: Option<String>,
    #[serde(default)]
    pub code: Vec<Coding>,
    pub prefix: Option<String>,
    pub text: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub repeats: Option<bool>,
    #[serde(default)]
    pub answer_option: Vec<AnswerOption>,
    pub answer_value_set: Option<String>,
    #[serde(default)]
    pub item: Vec<QuestionnaireItem>,
}

/// One permitted answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AnswerOption {
    pub value_coding: Option<Coding>,
    pub value_integer: Option<i64>,
    pub value_string: Option<String>,
    pub value_date: Option<String>,
    pub value_time: Option<String>,
    pub value_reference: Option<serde_json::Value>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

/// A code from a code system.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Coding {
    pub system: Option<String>,
    pub code: Option<String>,
    pub display: Option<String>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

/// An extension; only numeric values are read (the ordinal value of an answer).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Extension {
    pub url: Option<String>,
    pub value_decimal: Option<serde_json::Number>,
    pub value_integer: Option<i64>,
}
