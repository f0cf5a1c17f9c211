//! A structural check of the FHIR R4 rules the export relies on. Not a full validator:
//! it checks, for the elements Sensate writes, the required elements and cardinalities,
//! the status value sets, value[x] choices, reference, id, dateTime and instant formats,
//! and the JSON rules (no nulls, no empty strings, arrays or objects; numbers as numbers).

use std::collections::HashSet;

use serde_json::{Map, Value};

/// Every rule broken by a Bundle, as `path: problem`; empty when it conforms.
pub fn problems(bundle: &Value) -> Vec<String> {
    let mut out = Vec::new();
    json_rules(bundle, "Bundle", &mut out);
    let Some(bundle) = bundle.as_object() else {
        return vec!["Bundle: not an object".into()];
    };
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        out.push("Bundle.resourceType must be Bundle".into());
    }
    match bundle.get("type").and_then(Value::as_str) {
        Some(
            "document"
            | "message"
            | "transaction"
            | "transaction-response"
            | "batch"
            | "batch-response"
            | "history"
            | "searchset"
            | "collection",
        ) => {}
        other => out.push(format!(
            "Bundle.type {other:?} is not in the BundleType value set"
        )),
    }
    let entries = bundle
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut full_urls = HashSet::new();
    let mut present = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("Bundle.entry[{index}]");
        if let Some(url) = entry.get("fullUrl") {
            let url = url.as_str().unwrap_or_default();
            if !(url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("urn:uuid:"))
            {
                out.push(format!("{path}.fullUrl {url:?} is not absolute"));
            }
            if !full_urls.insert(url.to_owned()) {
                out.push(format!("{path}.fullUrl {url:?} is repeated"));
            }
        }
        let Some(resource) = entry.get("resource").and_then(Value::as_object) else {
            out.push(format!("{path}.resource is missing"));
            continue;
        };
        let kind = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let id = resource
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !is_id(id) {
            out.push(format!("{path}: id {id:?} is not a FHIR id"));
        }
        if let Some(url) = entry.get("fullUrl").and_then(Value::as_str)
            && !url.ends_with(&format!("/{kind}/{id}"))
        {
            out.push(format!("{path}.fullUrl does not end with {kind}/{id}"));
        }
        present.insert(format!("{kind}/{id}"));
        match kind {
            "QuestionnaireResponse" => questionnaire_response(resource, &path, &mut out),
            "Observation" => observation(resource, &path, &mut out),
            other => out.push(format!("{path}: unexpected resourceType {other:?}")),
        }
    }
    for entry in &entries {
        for reference in entry["resource"]["derivedFrom"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let target = reference["reference"].as_str().unwrap_or_default();
            if !present.contains(target) {
                out.push(format!("derivedFrom {target:?} is not in the Bundle"));
            }
        }
    }
    out
}

fn questionnaire_response(resource: &Map<String, Value>, path: &str, out: &mut Vec<String>) {
    match resource.get("status").and_then(Value::as_str) {
        Some("in-progress" | "completed" | "amended" | "entered-in-error" | "stopped") => {}
        other => out.push(format!(
            "{path}: QuestionnaireResponse.status {other:?} not allowed"
        )),
    }
    let questionnaire = resource
        .get("questionnaire")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = questionnaire.split('|').next().unwrap_or_default();
    if !url.starts_with("https://") && !url.starts_with("http://")
        || questionnaire.matches('|').count() > 1
    {
        out.push(format!(
            "{path}: questionnaire {questionnaire:?} is not a canonical URL"
        ));
    }
    subject(resource, path, out);
    if !is_date_time(
        resource
            .get("authored")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    ) {
        out.push(format!("{path}: authored is not a FHIR dateTime"));
    }
    let mut link_ids = HashSet::new();
    for (index, item) in resource
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let item_path = format!("{path}.item[{index}]");
        let link_id = item
            .get("linkId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if link_id.is_empty() {
            out.push(format!("{item_path}: linkId is required"));
        }
        if !link_ids.insert(link_id.to_owned()) {
            out.push(format!("{item_path}: linkId {link_id:?} repeated"));
        }
        let answers = item.get("answer").and_then(Value::as_array);
        if answers.is_some() && item.get("item").is_some() {
            out.push(format!("{item_path}: qrs-1, both answer and item"));
        }
        for (a, answer) in answers.into_iter().flatten().enumerate() {
            let answer_path = format!("{item_path}.answer[{a}]");
            let values = value_keys(answer.as_object());
            if values.len() != 1 {
                out.push(format!(
                    "{answer_path}: needs exactly one value[x], has {values:?}"
                ));
            }
            if let Some(coding) = answer.get("valueCoding") {
                coding_rules(coding, &answer_path, out);
            }
            if let Some(integer) = answer.get("valueInteger") {
                integer_rules(integer, &answer_path, out);
            }
        }
    }
}

fn observation(resource: &Map<String, Value>, path: &str, out: &mut Vec<String>) {
    match resource.get("status").and_then(Value::as_str) {
        Some(
            "registered" | "preliminary" | "final" | "amended" | "corrected" | "cancelled"
            | "entered-in-error" | "unknown",
        ) => {}
        other => out.push(format!("{path}: Observation.status {other:?} not allowed")),
    }
    let code = resource.get("code");
    let has_code =
        code.is_some_and(|code| code.get("coding").is_some() || code.get("text").is_some());
    if !has_code {
        out.push(format!("{path}: Observation.code is required"));
    }
    for coding in code
        .and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        coding_rules(coding, &format!("{path}.code"), out);
    }
    for category in resource
        .get("category")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for coding in category["coding"].as_array().into_iter().flatten() {
            coding_rules(coding, &format!("{path}.category"), out);
        }
    }
    subject(resource, path, out);
    let values = value_keys(Some(resource));
    if values.len() > 1 {
        out.push(format!("{path}: more than one value[x]: {values:?}"));
    }
    if !values.is_empty() && resource.contains_key("dataAbsentReason") {
        out.push(format!("{path}: obs-6, value and dataAbsentReason"));
    }
    for key in &values {
        if !matches!(
            key.as_str(),
            "valueQuantity" | "valueInteger" | "valueCodeableConcept" | "valueString"
        ) {
            out.push(format!("{path}: {key} is not an Observation value type"));
        }
    }
    if let Some(integer) = resource.get("valueInteger") {
        integer_rules(integer, path, out);
    }
    if let Some(quantity) = resource.get("valueQuantity") {
        if !quantity.get("value").is_some_and(Value::is_number) {
            out.push(format!("{path}: valueQuantity.value must be a JSON number"));
        }
        if quantity.get("code").is_some() && quantity.get("system").is_none() {
            out.push(format!("{path}: qty-3, a code needs a system"));
        }
    }
    if !is_date_time(
        resource
            .get("effectiveDateTime")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    ) {
        out.push(format!("{path}: effectiveDateTime is not a FHIR dateTime"));
    }
    if let Some(issued) = resource.get("issued")
        && !is_instant(issued.as_str().unwrap_or_default())
    {
        out.push(format!("{path}: issued is not a FHIR instant"));
    }
    for reference in resource
        .get("derivedFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !is_reference(reference["reference"].as_str().unwrap_or_default()) {
            out.push(format!("{path}: derivedFrom is not a relative reference"));
        }
    }
    for interpretation in resource
        .get("interpretation")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if interpretation.get("coding").is_none() && interpretation.get("text").is_none() {
            out.push(format!(
                "{path}: interpretation has neither coding nor text"
            ));
        }
        for coding in interpretation["coding"].as_array().into_iter().flatten() {
            coding_rules(coding, &format!("{path}.interpretation"), out);
        }
    }
}

fn subject(resource: &Map<String, Value>, path: &str, out: &mut Vec<String>) {
    let reference = resource
        .get("subject")
        .and_then(|s| s.get("reference"))
        .and_then(Value::as_str);
    if !reference.is_some_and(|r| r.starts_with("Patient/") && is_reference(r)) {
        out.push(format!("{path}: subject must reference a Patient"));
    }
}

fn coding_rules(coding: &Value, path: &str, out: &mut Vec<String>) {
    let system = coding
        .get("system")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !system.starts_with("http://") && !system.starts_with("https://") {
        out.push(format!(
            "{path}: coding system {system:?} is not an absolute URI"
        ));
    }
    if coding
        .get("code")
        .and_then(Value::as_str)
        .is_none_or(|code| code.trim() != code || code.is_empty())
    {
        out.push(format!(
            "{path}: coding needs a code without surrounding spaces"
        ));
    }
}

fn integer_rules(value: &Value, path: &str, out: &mut Vec<String>) {
    if value.as_i64().is_none_or(|v| i32::try_from(v).is_err()) {
        out.push(format!(
            "{path}: valueInteger must be a 32-bit JSON integer"
        ));
    }
}

fn value_keys(object: Option<&Map<String, Value>>) -> Vec<String> {
    object
        .into_iter()
        .flat_map(|map| map.keys())
        .filter(|key| {
            key.starts_with("value") && key.len() > 5 && key[5..].starts_with(char::is_uppercase)
        })
        .cloned()
        .collect()
}

/// FHIR JSON: no null, no empty string, array or object anywhere.
fn json_rules(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(format!("{path}: null")),
        Value::String(text) if text.trim().is_empty() => out.push(format!("{path}: empty string")),
        Value::Array(items) if items.is_empty() => out.push(format!("{path}: empty array")),
        Value::Object(map) if map.is_empty() => out.push(format!("{path}: empty object")),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                json_rules(item, &format!("{path}[{index}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                json_rules(item, &format!("{path}.{key}"), out);
            }
        }
        _ => {}
    }
}

fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn is_reference(reference: &str) -> bool {
    reference.split_once('/').is_some_and(|(kind, id)| {
        kind.starts_with(|c: char| c.is_ascii_uppercase())
            && kind.bytes().all(|b| b.is_ascii_alphabetic())
            && is_id(id)
    })
}

/// A full dateTime with seconds and zone (what the export writes) or a bare date.
fn is_date_time(text: &str) -> bool {
    is_instant(text)
        || (text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-')
}

fn is_instant(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && bytes[16] == b':';
    let zone = text.ends_with('Z') || {
        let tail = &bytes[bytes.len().saturating_sub(6)..];
        tail.len() == 6 && matches!(tail[0], b'+' | b'-') && tail[3] == b':'
    };
    shape && zone
}
