//! Importing licensed wording as a FHIR R4 Questionnaire. Fixtures are written here with
//! placeholder wording ("Item 1 text"); no questionnaire's real wording is reproduced.

use proptest::prelude::*;
use sensate_instruments::fhir::{
    AnswerValue, ImportError, MAX_QUESTIONNAIRE_BYTES, ORDINAL_VALUE, import_questionnaire,
    questionnaire_template,
};
use serde_json::{Value, json};

use crate::{catalogue, instrument};

const PHQ9_ITEMS: [&str; 9] = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
];
const ANSWERS: [&str; 4] = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"];

/// A PHQ-9 Questionnaire shaped like the ones in FHIR implementation guides: LOINC panel
/// and item codes, linkIds equal to the codes, ordinalValue on each option, an
/// instruction, the unscored tenth question and a calculated total.
fn phq9() -> Value {
    let mut items = vec![json!({
        "linkId": "instructions", "type": "display", "text": "Instruction text"
    })];
    for (index, code) in PHQ9_ITEMS.iter().enumerate() {
        let options: Vec<Value> = ANSWERS
            .iter()
            .enumerate()
            .map(|(value, answer)| json!({
                "valueCoding": { "system": "http://loinc.org", "code": answer, "display": format!("Answer {value}") },
                "extension": [{ "url": ORDINAL_VALUE, "valueDecimal": value }],
            }))
            .collect();
        items.push(json!({
            "linkId": code,
            "code": [{ "system": "http://loinc.org", "code": code }],
            "prefix": format!("{}.", index + 1),
            "text": format!("Item {} text", index + 1),
            "type": "choice",
            "answerOption": options,
        }));
    }
    items.push(json!({
        "linkId": "69722-7", "type": "choice", "text": "Item 10 text",
        "code": [{ "system": "http://loinc.org", "code": "69722-7" }],
        "answerOption": [{ "valueCoding": { "system": "http://loinc.org", "code": "LA6572-7" } }],
    }));
    items.push(json!({
        "linkId": "total", "type": "integer", "text": "Total", "readOnly": true,
        "code": [{ "system": "http://loinc.org", "code": "44261-6" }],
    }));
    json!({
        "resourceType": "Questionnaire",
        "url": "https://practice.example/Questionnaire/phq9",
        "version": "2024",
        "title": "Depression questionnaire",
        "status": "active",
        "language": "en",
        "copyright": "Copyright text",
        "code": [{ "system": "http://loinc.org", "code": "44249-1" }],
        "item": items,
    })
}

fn import(
    questionnaire: &Value,
    id: Option<&str>,
) -> Result<sensate_instruments::fhir::ImportedWording, ImportError> {
    import_questionnaire(catalogue(), &questionnaire.to_string(), id)
}

fn refused(questionnaire: &Value, id: Option<&str>) -> String {
    import(questionnaire, id).unwrap_err().to_string()
}

/// The scored question with linkId `link_id`.
fn question<'a>(questionnaire: &'a mut Value, link_id: &str) -> &'a mut Value {
    questionnaire["item"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|item| item["linkId"] == link_id)
        .unwrap()
}

#[test]
fn a_valid_phq9_questionnaire_binds_by_its_loinc_code() {
    let wording = import(&phq9(), None).unwrap();
    assert_eq!(wording.instrument, "phq9");
    assert_eq!(wording.instrument_version, instrument("phq9").version());
    assert_eq!(wording.title.as_deref(), Some("Depression questionnaire"));
    assert_eq!(wording.copyright.as_deref(), Some("Copyright text"));
    assert_eq!(wording.items.len(), 9);
    let first = &wording.items[0];
    assert_eq!(
        (first.item_id.as_str(), first.link_id.as_str()),
        ("phq9_1", "44250-9")
    );
    assert_eq!(first.text, "Item 1 text");
    assert_eq!(first.before, ["Instruction text"]);
    assert_eq!(
        wording.item("phq9_9").unwrap().answer_display(3),
        Some("Answer 3")
    );
    let skipped: Vec<&str> = wording.skipped.iter().map(|s| s.link_id.as_str()).collect();
    assert_eq!(skipped, ["69722-7", "total"]);
    assert!(wording.skipped[0].reason.contains("not scored"));
}

#[test]
fn a_changed_value_set_is_refused_naming_the_item_and_option() {
    let mut questionnaire = phq9();
    question(&mut questionnaire, "44260-8")["answerOption"][3]["extension"][0]["valueDecimal"] =
        json!(4);
    assert_eq!(
        refused(&questionnaire, None),
        "does not match phq9: item 9 (linkId '44260-8'): answer option 4 has code LA6571-9, \
         which phq9 codes as 3, but ordinal value 4"
    );
    let mut integers = questionnaire_template(instrument("csi4"));
    integers["item"][2]["answerOption"][5]["extension"][0]["valueDecimal"] = json!(6);
    assert_eq!(
        refused(&integers, None),
        "does not match csi4: item 2 (linkId 'csi4_2'): answer option 6 has ordinal value 6, \
         but csi4 item csi4_2 codes 0-5"
    );
}

#[test]
fn a_missing_item_is_refused() {
    let mut questionnaire = phq9();
    questionnaire["item"]
        .as_array_mut()
        .unwrap()
        .retain(|item| item["linkId"] != "44251-7");
    let message = refused(&questionnaire, None);
    assert!(
        message.starts_with("does not match phq9: item 5 (linkId '44258-2'): LOINC code 44258-2 is phq9 item 6 (phq9_6), but item 5 (phq9_5) is 44251-7"),
        "{message}"
    );
    let mut uncoded = questionnaire_template(instrument("fsfi"));
    uncoded["item"].as_array_mut().unwrap().pop();
    assert_eq!(
        refused(&uncoded, None),
        "does not match fsfi: the Questionnaire has 18 scored questions and fsfi has 19: item 19 \
         (fsfi_19, \"How low the discomfort or pain during or after penetration was\") is missing"
    );
}

#[test]
fn an_extra_question_is_refused() {
    let mut questionnaire = questionnaire_template(instrument("phq2"));
    let extra = questionnaire["item"][1].clone();
    let mut extra = extra;
    extra["linkId"] = json!("extra");
    extra["code"] = json!([]);
    questionnaire["item"].as_array_mut().unwrap().push(extra);
    assert!(
        refused(&questionnaire, None)
            .contains("item 3 (linkId 'extra') is one more than the 2 scored items of phq2")
    );
}

#[test]
fn items_in_another_order_are_refused_by_their_codes() {
    let mut questionnaire = phq9();
    questionnaire["item"].as_array_mut().unwrap().swap(1, 2);
    assert!(refused(&questionnaire, None).starts_with(
        "does not match phq9: item 1 (linkId '44255-8'): LOINC code 44255-8 is phq9 item 2 (phq9_2)"
    ));
}

#[test]
fn a_missing_or_duplicated_value_and_an_option_without_a_value_are_refused() {
    let mut missing = questionnaire_template(instrument("gad2"));
    missing["item"][1]["answerOption"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert!(refused(&missing, Some("gad2")).ends_with(
        "no answer option has ordinal value 3, which gad2 item gad2_1 codes (How often in the recall period: 0 = never, up to 3 = almost daily)"
    ), "{}", refused(&missing, Some("gad2")));
    let mut twice = questionnaire_template(instrument("csi4"));
    twice["item"][1]["answerOption"][1]["extension"][0]["valueDecimal"] = json!(0);
    assert!(refused(&twice, None).ends_with("answer options 1 and 2 both have ordinal value 0"));
    let mut bare = questionnaire_template(instrument("csi4"));
    bare["item"][1]["answerOption"][0]["extension"] = json!([]);
    assert!(refused(&bare, None).contains("answer option 1 (code '0') has no ordinal value"));
}

#[test]
fn fsfi_items_without_a_zero_refuse_a_zero_option() {
    let mut questionnaire = questionnaire_template(instrument("fsfi"));
    questionnaire["item"][1]["answerOption"][0]["extension"][0]["valueDecimal"] = json!(0);
    assert!(refused(&questionnaire, None).ends_with(
        "answer option 1 has ordinal value 0, but fsfi item fsfi_1 codes 1-5 (it has no 0)"
    ));
}

#[test]
fn the_template_of_every_instrument_binds_back_once_its_wording_is_filled_in() {
    for instrument in catalogue() {
        let mut questionnaire = questionnaire_template(instrument);
        for (index, item) in questionnaire["item"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .skip(1)
            .enumerate()
        {
            item["text"] = json!(format!("Item {} text", index + 1));
        }
        let wording = import(&questionnaire, None)
            .unwrap_or_else(|error| panic!("{}: {error}", instrument.id()));
        assert_eq!(wording.instrument, instrument.id());
        assert_eq!(wording.items.len(), instrument.items().len());
        assert_eq!(
            wording.items[0].before,
            [format!("Recall period: {}.", instrument.recall())]
        );
    }
}

#[test]
fn a_questionnaire_that_names_no_instrument_needs_an_explicit_id() {
    let mut questionnaire = questionnaire_template(instrument("fsfi"));
    questionnaire.as_object_mut().unwrap().remove("url");
    let error = import(&questionnaire, None).unwrap_err();
    assert!(matches!(error, ImportError::NoMatch { .. }));
    assert!(error.to_string().contains("--instrument ID"));
    assert_eq!(
        import(&questionnaire, Some("fsfi")).unwrap().instrument,
        "fsfi"
    );
    assert!(matches!(
        import(&questionnaire, Some("nope")),
        Err(ImportError::UnknownInstrument { .. })
    ));
}

#[test]
fn an_explicit_id_that_contradicts_the_questionnaire_is_refused() {
    assert_eq!(
        refused(&phq9(), Some("gad7")),
        "the Questionnaire says it is phq9 (LOINC code 44249-1), not gad7"
    );
}

#[test]
fn loinc_answer_codes_give_the_values_when_no_ordinal_extension_is_present() {
    let mut questionnaire = phq9();
    for item in questionnaire["item"].as_array_mut().unwrap() {
        if let Some(options) = item.get_mut("answerOption").and_then(Value::as_array_mut) {
            for option in options {
                option.as_object_mut().unwrap().remove("extension");
            }
        }
    }
    let wording = import(&questionnaire, None).unwrap();
    assert_eq!(wording.items[8].answers[2].value, Some(2));
}

#[test]
fn the_verified_loinc_answer_list_may_be_referenced_instead_of_listed() {
    let mut questionnaire = phq9();
    for code in PHQ9_ITEMS {
        let item = question(&mut questionnaire, code);
        item.as_object_mut().unwrap().remove("answerOption");
        item["answerValueSet"] = json!("http://loinc.org/vs/LL358-3");
    }
    let wording = import(&questionnaire, None).unwrap();
    assert_eq!(wording.items[0].answers.len(), 4);
    assert_eq!(wording.items[0].answer_display(0), None);
    let mut unknown = phq9();
    question(&mut unknown, "44250-9")
        .as_object_mut()
        .unwrap()
        .remove("answerOption");
    question(&mut unknown, "44250-9")["answerValueSet"] = json!("http://example.org/vs/other");
    assert!(
        refused(&unknown, None)
            .contains("takes its answers from the value set 'http://example.org/vs/other'")
    );
}

#[test]
fn a_declined_option_is_accepted_and_records_no_value() {
    let mut questionnaire = phq9();
    question(&mut questionnaire, "44250-9")["answerOption"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "valueCoding": {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "asked-declined", "display": "Declined"
            }
        }));
    let wording = import(&questionnaire, None).unwrap();
    let declined = &wording.items[0].answers[4];
    assert_eq!(declined.value, None);
    assert!(
        matches!(&declined.answer, AnswerValue::Coding { code, .. } if code == "asked-declined")
    );
}

#[test]
fn questions_that_cannot_be_scored_as_one_coded_answer_are_refused() {
    let mut repeats = phq9();
    question(&mut repeats, "44250-9")["repeats"] = json!(true);
    assert!(refused(&repeats, None).contains("item 1 (linkId '44250-9'): allows several answers"));
    let mut open = phq9();
    question(&mut open, "44250-9")["type"] = json!("open-choice");
    assert!(refused(&open, None).contains("has type open-choice"));
    let mut text = phq9();
    question(&mut text, "44250-9")["answerOption"][0] = json!({ "valueString": "never" });
    assert!(refused(&text, None).contains("answer option 1 is text"));
    let mut untitled = phq9();
    question(&mut untitled, "44250-9")
        .as_object_mut()
        .unwrap()
        .remove("text");
    assert!(refused(&untitled, None).contains("has no text"));
    let mut half = phq9();
    question(&mut half, "44250-9")["answerOption"][1]["extension"][0]["valueDecimal"] = json!(1.5);
    assert!(refused(&half, None).contains(
        "answer option 2 has ordinal value 1.5, but phq9 item phq9_1 codes whole numbers 0-3"
    ));
}

#[test]
fn files_that_are_not_a_questionnaire_are_refused_with_clear_messages() {
    let import_text = |text: &str| {
        import_questionnaire(catalogue(), text, None)
            .unwrap_err()
            .to_string()
    };
    assert!(import_text("{ not json").starts_with("the file is not valid JSON: "));
    assert_eq!(
        import_text("[1, 2]"),
        "the file is JSON but not a FHIR resource: it has no \"resourceType\""
    );
    assert_eq!(
        import_text(r#"{"resourceType": "Patient", "name": [{"family": "X"}]}"#),
        "the file is a FHIR Patient, not a Questionnaire"
    );
    let mut wrong_type = phq9();
    question(&mut wrong_type, "44255-8")["answerOption"][0]["extension"][0]["valueDecimal"] =
        json!("0");
    let message = refused(&wrong_type, None);
    assert!(
        message
            .starts_with("item[2].answerOption[0].extension[0].valueDecimal: invalid type: string"),
        "{message}"
    );
    let mut no_status = phq9();
    no_status.as_object_mut().unwrap().remove("status");
    assert_eq!(
        refused(&no_status, None),
        "not a valid FHIR R4 Questionnaire: status is required"
    );
    let mut twice = phq9();
    question(&mut twice, "44255-8")["linkId"] = json!("44250-9");
    assert!(refused(&twice, None).contains("linkId '44250-9' is used twice"));
    let huge = " ".repeat(MAX_QUESTIONNAIRE_BYTES + 1);
    assert!(import_text(&huge).contains("may be at most"));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6_f64..1e6).prop_map(Value::from),
        "[a-zA-Z0-9 .:/|-]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("Questionnaire"),
            Just("choice"),
            Just("group"),
            Just("display"),
            Just("http://loinc.org"),
            Just(ORDINAL_VALUE),
            Just("44249-1"),
            Just("active"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let keys = prop_oneof![
            Just("resourceType"),
            Just("item"),
            Just("linkId"),
            Just("type"),
            Just("text"),
            Just("answerOption"),
            Just("valueCoding"),
            Just("valueInteger"),
            Just("extension"),
            Just("url"),
            Just("valueDecimal"),
            Just("code"),
            Just("system"),
            Just("status"),
            Just("answerValueSet"),
            Just("repeats"),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(keys.prop_map(str::to_owned), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_json_is_refused_or_bound_but_never_panics(value in any_json()) {
        let _ = import_questionnaire(catalogue(), &value.to_string(), None);
        let mut resource = value;
        if let Some(object) = resource.as_object_mut() {
            object.insert("resourceType".into(), json!("Questionnaire"));
            object.insert("status".into(), json!("active"));
        }
        let _ = import_questionnaire(catalogue(), &resource.to_string(), Some("phq9"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(text in ".{0,200}") {
        let _ = import_questionnaire(catalogue(), &text, None);
    }

    #[test]
    fn replacing_any_one_value_of_a_valid_questionnaire_never_panics(
        index in 0_usize..400, replacement in any_json(),
    ) {
        let mut questionnaire = phq9();
        let mut seen = 0;
        replace_nth(&mut questionnaire, index, &replacement, &mut seen);
        let _ = import(&questionnaire, None);
    }
}

/// Replaces the `target`-th value (in document order) with `replacement`.
fn replace_nth(value: &mut Value, target: usize, replacement: &Value, seen: &mut usize) {
    if *seen == target {
        *value = replacement.clone();
        *seen += 1;
        return;
    }
    *seen += 1;
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| replace_nth(item, target, replacement, seen)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|item| replace_nth(item, target, replacement, seen)),
        _ => {}
    }
}

#[test]
fn deeply_nested_groups_are_refused_by_the_parser_not_by_a_stack_overflow() {
    let mut text = String::from(r#"{"resourceType":"Questionnaire","status":"active","item":"#);
    for _ in 0..10_000 {
        text.push_str(r#"[{"linkId":"g","type":"group","item":"#);
    }
    let error = import_questionnaire(catalogue(), &text, None).unwrap_err();
    assert!(matches!(error, ImportError::NotJson(_)), "{error}");
}
