//! Exporting completed responses as FHIR R4, checked against the R4 rules in `fhir_rules`
//! for every built-in instrument.

use sensate_instruments::fhir::{
    ExportError, FhirDateTime, ResponseExport, SCORE_CODE_SYSTEM, export_response,
    import_questionnaire, questionnaire_template,
};
use sensate_instruments::{Instrument, Score};
use serde_json::{Value, json};

use crate::{catalogue, fhir_rules, instrument};

fn authored() -> FhirDateTime {
    FhirDateTime::parse("2024-05-01T09:30:00+02:00").unwrap()
}

fn export(instrument: &Instrument, values: &[Option<u8>], base_url: Option<&str>) -> Value {
    let score = instrument.score(values).unwrap();
    let authored = authored();
    export_response(&ResponseExport {
        instrument,
        values,
        score: &score,
        response_id: "0190f3c2-7a1b-7cde-8f00-1234567890ab",
        subject: "c-42",
        authored: &authored,
        wording: None,
        base_url,
    })
    .unwrap()
}

fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["resource"])
        .filter(|resource| resource["resourceType"] == kind)
        .collect()
}

fn observation<'a>(bundle: &'a Value, code: &str) -> &'a Value {
    resources(bundle, "Observation")
        .into_iter()
        .find(|o| o["code"]["coding"][0]["code"] == code)
        .unwrap_or_else(|| panic!("no observation {code}"))
}

#[test]
fn every_instrument_exports_a_bundle_that_follows_the_r4_rules() {
    for instrument in catalogue() {
        let items = instrument.items();
        let lowest: Vec<Option<u8>> = items.iter().map(|item| Some(item.min())).collect();
        let highest: Vec<Option<u8>> = items.iter().map(|item| Some(item.max())).collect();
        let mut partial = highest.clone();
        partial[0] = None;
        for (values, base) in [
            (&lowest, None),
            (&highest, Some("https://practice.example/fhir/")),
            (&partial, None),
        ] {
            let bundle = export(instrument, values, base);
            let problems = fhir_rules::problems(&bundle);
            assert!(problems.is_empty(), "{}: {problems:#?}", instrument.id());
        }
        let template = questionnaire_template(instrument);
        let wording = import_questionnaire(catalogue(), &template.to_string(), None).unwrap();
        let score = instrument.score(&highest).unwrap();
        let authored = authored();
        let bundle = export_response(&ResponseExport {
            instrument,
            values: &highest,
            score: &score,
            response_id: "r1",
            subject: "c-42",
            authored: &authored,
            wording: Some(&wording),
            base_url: Some("https://practice.example/fhir"),
        })
        .unwrap();
        assert!(
            fhir_rules::problems(&bundle).is_empty(),
            "{} with wording",
            instrument.id()
        );
    }
}

#[test]
fn a_phq9_response_uses_loinc_codes_and_carries_band_cutoff_and_flags() {
    let bundle = export(instrument("phq9"), &[Some(1); 9], None);
    let response = resources(&bundle, "QuestionnaireResponse")[0];
    assert_eq!(response["status"], "completed");
    assert_eq!(
        response["questionnaire"],
        format!(
            "https://sensate.invalid/fhir/Questionnaire/phq9|{}",
            instrument("phq9").version()
        )
    );
    assert_eq!(response["subject"]["reference"], "Patient/c-42");
    assert_eq!(response["item"][8]["linkId"], "phq9_9");
    assert_eq!(
        response["item"][8]["answer"][0]["valueCoding"],
        json!({ "system": "http://loinc.org", "code": "LA6569-3" })
    );
    let total = observation(&bundle, "44261-6");
    assert_eq!(total["valueInteger"], 9);
    assert_eq!(total["status"], "final");
    assert_eq!(total["category"][0]["coding"][0]["code"], "survey");
    assert_eq!(
        total["derivedFrom"][0]["reference"],
        "QuestionnaireResponse/0190f3c2-7a1b-7cde-8f00-1234567890ab"
    );
    assert_eq!(total["interpretation"][0]["text"], "mild");
    assert_eq!(total["interpretation"][1]["coding"][0]["code"], "NEG");
    assert!(
        total["note"][0]["text"]
            .as_str()
            .unwrap()
            .contains("suicidal_ideation")
    );
    assert_eq!(resources(&bundle, "Observation").len(), 1);
    assert!(bundle["entry"][0].get("fullUrl").is_none());
}

#[test]
fn fractional_fsfi_scores_are_json_numbers_in_a_quantity_and_domains_get_sensate_codes() {
    // Raw domain sums 2, 7, 20, 14, 14, 15 give exactly 26.5 (clinical.md §0.2).
    let values = [1, 1, 1, 2, 2, 2, 5, 5, 5, 5, 4, 5, 5, 5, 4, 5, 5, 5, 5];
    let values: Vec<Option<u8>> = values.into_iter().map(Some).collect();
    let bundle = export(instrument("fsfi"), &values, None);
    let total = observation(&bundle, "fsfi.total");
    assert_eq!(total["code"]["coding"][0]["system"], SCORE_CODE_SYSTEM);
    assert_eq!(total["valueQuantity"]["value"], json!(26.5));
    assert!(total["valueQuantity"]["value"].is_f64());
    assert_eq!(total["valueQuantity"]["code"], "{score}");
    assert_eq!(total["interpretation"][0]["coding"][0]["code"], "POS");
    let desire = observation(&bundle, "fsfi.desire");
    assert_eq!(desire["valueQuantity"]["value"], json!(1.2));
    assert_eq!(desire["id"], "0190f3c2-7a1b-7cde-8f00-1234567890ab-desire");
    assert_eq!(resources(&bundle, "Observation").len(), 7);
}

#[test]
fn the_iief15_cutoff_decision_sits_on_the_erectile_function_observation() {
    let bundle = export(instrument("iief15"), &[Some(3); 15], None);
    let ef = observation(&bundle, "iief15.erectile_function");
    assert_eq!(ef["valueInteger"], 18);
    assert_eq!(ef["interpretation"][0]["text"], "mild to moderate");
    assert_eq!(ef["interpretation"][1]["coding"][0]["code"], "POS");
    assert!(
        observation(&bundle, "iief15.total")
            .get("interpretation")
            .is_none()
    );
}

#[test]
fn unanswered_items_are_left_out_and_a_prorated_total_says_so() {
    let mut values = vec![Some(2); 9];
    values[3] = None;
    let bundle = export(instrument("phq9"), &values, None);
    let response = resources(&bundle, "QuestionnaireResponse")[0];
    assert_eq!(response["item"].as_array().unwrap().len(), 8);
    assert!(
        response["item"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["linkId"] != "phq9_4")
    );
    let total = observation(&bundle, "44261-6");
    assert_eq!(total["valueInteger"], 18);
    assert!(
        total["note"][0]["text"]
            .as_str()
            .unwrap()
            .contains("prorated")
    );
}

#[test]
fn an_unscorable_response_exports_the_answers_without_observations() {
    let bundle = export(instrument("csi4"), &[Some(3), None, None, None], None);
    assert!(resources(&bundle, "Observation").is_empty());
    assert!(fhir_rules::problems(&bundle).is_empty());
}

#[test]
fn with_imported_wording_the_response_uses_the_practices_questionnaire_and_answers() {
    let mut questionnaire = questionnaire_template(instrument("gad2"));
    questionnaire["url"] = json!("https://practice.example/Questionnaire/gad2");
    questionnaire["version"] = json!("3");
    let wording =
        import_questionnaire(catalogue(), &questionnaire.to_string(), Some("gad2")).unwrap();
    let values = [Some(2), Some(0)];
    let score: Score = instrument("gad2").score(&values).unwrap();
    let authored = authored();
    let bundle = export_response(&ResponseExport {
        instrument: instrument("gad2"),
        values: &values,
        score: &score,
        response_id: "r1",
        subject: "c-42",
        authored: &authored,
        wording: Some(&wording),
        base_url: Some("https://practice.example/fhir"),
    })
    .unwrap();
    let response = &bundle["entry"][0]["resource"];
    assert_eq!(
        response["questionnaire"],
        "https://practice.example/Questionnaire/gad2|3"
    );
    assert_eq!(
        response["item"][0]["answer"][0]["valueCoding"]["code"],
        "LA6570-1"
    );
    assert_eq!(
        response["item"][0]["answer"][0]["valueCoding"]["display"],
        "2"
    );
    assert_eq!(
        bundle["entry"][0]["fullUrl"],
        "https://practice.example/fhir/QuestionnaireResponse/r1"
    );
    assert_eq!(
        bundle["entry"][1]["fullUrl"],
        "https://practice.example/fhir/Observation/r1-total"
    );
}

#[test]
fn identifying_or_invalid_input_is_refused() {
    let phq9 = instrument("phq9");
    let values = [Some(1); 9];
    let score = phq9.score(&values).unwrap();
    let authored = authored();
    let request = ResponseExport {
        instrument: phq9,
        values: &values,
        score: &score,
        response_id: "r1",
        subject: "Jane Doe",
        authored: &authored,
        wording: None,
        base_url: None,
    };
    assert!(matches!(
        export_response(&request),
        Err(ExportError::InvalidId {
            what: "subject",
            ..
        })
    ));
    let long_id = "a".repeat(62);
    let too_long = ResponseExport {
        subject: "c-42",
        response_id: &long_id,
        ..request
    };
    assert!(
        export_response(&too_long)
            .unwrap_err()
            .to_string()
            .contains("use a shorter response id")
    );
    let gad7_score = instrument("gad7").score(&[Some(1); 7]).unwrap();
    let mismatched = ResponseExport {
        subject: "c-42",
        score: &gad7_score,
        ..request
    };
    assert_eq!(
        export_response(&mismatched).unwrap_err().to_string(),
        "the score is for gad7, not phq9"
    );
    let bad_base = ResponseExport {
        subject: "c-42",
        base_url: Some("practice.example/fhir"),
        ..request
    };
    assert!(matches!(
        export_response(&bad_base),
        Err(ExportError::InvalidBaseUrl(_))
    ));
    let wrong_count = ResponseExport {
        subject: "c-42",
        values: &values[..8],
        ..request
    };
    assert!(matches!(
        export_response(&wrong_count),
        Err(ExportError::Values(_))
    ));
    assert!(FhirDateTime::parse("2024-05-01").is_err());
}

#[test]
fn the_structural_check_itself_catches_broken_resources() {
    let mut bundle = export(instrument("phq9"), &[Some(1); 9], None);
    bundle["entry"][0]["resource"]["status"] = json!("done");
    bundle["entry"][0]["resource"]["item"][0]["answer"][0]["valueInteger"] = json!(1);
    bundle["entry"][1]["resource"]["valueQuantity"] = json!({ "value": "9" });
    bundle["entry"][1]["resource"]["derivedFrom"] =
        json!([{ "reference": "QuestionnaireResponse/other" }]);
    bundle["entry"][1]["resource"]["note"] = json!([]);
    let problems = fhir_rules::problems(&bundle).join("\n");
    for expected in [
        "QuestionnaireResponse.status Some(\"done\")",
        "needs exactly one value[x]",
        "more than one value[x]",
        "valueQuantity.value must be a JSON number",
        "is not in the Bundle",
        "empty array",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in\n{problems}"
        );
    }
}
