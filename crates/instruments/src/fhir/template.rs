//! Sensate's own FHIR Questionnaire for an instrument: our labels, our item ids, the
//! coded values as answer options.
//!
//! It is what a QuestionnaireResponse without imported wording refers to, and it is the
//! template a practice fills in: replace each item's `text` (our short label) and each
//! option's `display` with the licensed wording, keep the rest, and import it back; its
//! canonical URL binds it to the instrument. Answer options carry the `ordinalValue`
//! extension, so any FHIR tool can score them too.

use serde_json::{Value, json};

use super::export::default_answer;
use super::{LOINC, ORDINAL_VALUE, canonical_url};
use crate::definition::Instrument;

/// The Questionnaire for `instrument`, with our labels as placeholder text.
pub fn questionnaire_template(instrument: &Instrument) -> Value {
    let codes = instrument.fhir_codes();
    let items: Vec<Value> = instrument
        .items()
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let options: Vec<Value> = (item.min()..=item.max())
                .map(|value| {
                    let mut option = default_answer(instrument, index, value);
                    if let Some(zero) = item.zero_means().filter(|_| value == 0) {
                        option["valueCoding"]["display"] = json!(format!("0: {zero}"));
                    } else {
                        option["valueCoding"]["display"] = json!(value.to_string());
                    }
                    option["extension"] = json!([{ "url": ORDINAL_VALUE, "valueDecimal": value }]);
                    option
                })
                .collect();
            let mut question = json!({
                "linkId": item.id(),
                "prefix": format!("{}.", item.position()),
                "text": item.label(),
                "type": "choice",
                "answerOption": options,
            });
            if let Some(code) = codes.item(index) {
                question["code"] = json!([{ "system": LOINC, "code": code }]);
            }
            question
        })
        .collect();
    let mut questionnaire = json!({
        "resourceType": "Questionnaire",
        "url": canonical_url(instrument),
        "version": instrument.version(),
        "name": format!("Sensate{}", pascal_case(instrument.id())),
        "title": format!(
            "{} (Sensate's topic labels: replace them with the licensed wording)",
            instrument.abbreviation()
        ),
        "status": "draft",
        "description": format!("{}. Recall: {}.", instrument.measures(), instrument.recall()),
        "item": [{
            "linkId": "instructions",
            "type": "display",
            "text": format!("Recall period: {}.", instrument.recall()),
        }],
    });
    if let Some(panel) = codes.questionnaire() {
        questionnaire["code"] = json!([{ "system": LOINC, "code": panel }]);
    }
    if let Some(array) = questionnaire["item"].as_array_mut() {
        array.extend(items);
    }
    questionnaire
}

/// `iief15` becomes `Iief15`, `csi_16` `Csi16`: a FHIR `name` is letters and digits.
fn pascal_case(id: &str) -> String {
    id.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
