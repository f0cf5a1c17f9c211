//! The `[[change]]` and `[fhir]` tables of definition files: what the built-ins hold (only
//! values clinical.md or a cited guide verifies), and how a broken table is refused.

use sensate_instruments::{Catalogue, Exact, change::ThresholdKind};

use crate::{catalogue, dec, instrument};

const BASE: &str = r#"
id = "demo"
version = "1.0.0"
name = "Demonstration scale"
abbreviation = "DEMO"
measures = "Nothing; a test fixture"
population = "Tests"
recall = "Past week"
direction = "higher_is_worse"
citations = ["A test fixture."]

[licence]
status = "free"
note = "A fixture."

[scales.frequency]
min = 0
max = 3
meaning = "0 to 3"

[[items]]
id = "demo_1"
label = "First"
scale = "frequency"

[[items]]
id = "demo_2"
label = "Second"
scale = "frequency"

[scoring]
total = "items"

[missing]
rule = "complete"
source = "ours"
note = "A fixture."
"#;

fn load(extra: &str) -> Result<Catalogue, String> {
    let text = format!("{BASE}\n{extra}");
    Catalogue::from_sources([("demo.toml", text.as_str())]).map_err(|error| error.to_string())
}

#[test]
fn published_change_data_is_exactly_what_clinical_md_verifies() {
    let threshold = |id: &str, score: &str| {
        instrument(id)
            .published_change(score)
            .and_then(|entry| entry.threshold())
            .map(|threshold| (threshold.points, threshold.kind))
    };
    assert_eq!(
        threshold("phq9", "total"),
        Some((dec("6"), ThresholdKind::ReliableChange))
    );
    assert_eq!(
        threshold("gad7", "total"),
        Some((dec("4"), ThresholdKind::ReliableChange))
    );
    assert_eq!(
        threshold("pcl5", "total"),
        Some((dec("5"), ThresholdKind::ReliableChange))
    );
    assert_eq!(
        threshold("iief15", "erectile_function"),
        Some((dec("4"), ThresholdKind::MinimalImportantDifference))
    );
    let asex = instrument("asex").published_change("total").unwrap();
    assert_eq!(
        (asex.reliability(), asex.sd(), asex.threshold()),
        (Some(dec("0.801")), None, None)
    );
    let with_change: Vec<&str> = catalogue()
        .iter()
        .filter(|i| {
            i.score_names()
                .any(|score| i.published_change(score).is_some())
        })
        .map(|i| i.id())
        .collect();
    assert_eq!(with_change, ["phq9", "gad7", "pcl5", "iief15", "asex"]);
    for instrument in catalogue() {
        for score in instrument.score_names() {
            if let Some(entry) = instrument.published_change(score) {
                assert!(
                    entry.citation().contains("clinical.md §"),
                    "{} {score}",
                    instrument.id()
                );
            }
        }
    }
}

#[test]
fn loinc_codes_are_present_only_where_verified() {
    let codes = |id: &str| {
        let codes = instrument(id).fhir_codes();
        (codes.questionnaire(), codes.total(), codes.item(0))
    };
    assert_eq!(
        codes("phq9"),
        (Some("44249-1"), Some("44261-6"), Some("44250-9"))
    );
    assert_eq!(instrument("phq9").fhir_codes().item(8), Some("44260-8"));
    assert_eq!(
        instrument("phq9").fhir_codes().unscored_items(),
        ["69722-7"]
    );
    assert_eq!(
        codes("gad7"),
        (Some("69737-5"), Some("70274-6"), Some("69725-0"))
    );
    assert_eq!(
        codes("phq2"),
        (Some("55757-9"), Some("55758-7"), Some("44250-9"))
    );
    assert_eq!(codes("gad2"), (None, None, Some("69725-0")));
    for id in ["pcl5", "csi4", "csi16", "fsfi", "iief15", "iief5", "asex"] {
        assert_eq!(codes(id), (None, None, None), "{id}");
    }
    let answers = instrument("gad7").fhir_codes().answers(6).unwrap();
    assert_eq!(
        (answers.list(), answers.codes()[0].as_str()),
        ("LL358-3", "LA6568-5")
    );
}

#[test]
fn cutoffs_are_read_from_the_positive_rule() {
    let fsfi = instrument("fsfi").cutoff("total").unwrap();
    assert_eq!(
        (fsfi.value, fsfi.rule_text(), fsfi.sole_criterion),
        (dec("26.55"), "≤ 26.55".into(), true)
    );
    assert!(fsfi.is_positive(dec("26.5")) && !fsfi.is_positive(dec("26.6")));
    let csi16 = instrument("csi16").cutoff("total").unwrap();
    assert!(csi16.is_positive(Exact::from_int(51)) && !csi16.is_positive(Exact::from_int(52)));
    assert!(!instrument("asex").cutoff("total").unwrap().sole_criterion);
    assert!(instrument("iief15").cutoff("total").is_none());
    assert_eq!(
        instrument("iief15")
            .cutoff("erectile_function")
            .unwrap()
            .rule_text(),
        "≤ 25"
    );
}

#[test]
fn a_well_formed_change_and_fhir_table_loads() {
    let catalogue = load(
        r#"
[[change]]
score = "total"
threshold = "2.5"
kind = "reliable_change"
reliability = "0.9"
sd = "3"
citation = "Fixture."

[fhir]
citation = "Fixture."
questionnaire = "44249-1"
items = ["44250-9", "44255-8"]

[fhir.answers.frequency]
list = "LL358-3"
codes = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
"#,
    )
    .unwrap();
    assert!(
        catalogue
            .get("demo")
            .unwrap()
            .published_change("total")
            .is_some()
    );
}

#[test]
fn broken_change_tables_are_refused_naming_the_field() {
    let cases = [
        (
            "score = \"nope\"\nthreshold = 2\nkind = \"reliable_change\"",
            "change[0].score",
        ),
        ("score = \"total\"\nthreshold = 2", "change[0].kind"),
        (
            "score = \"total\"\nthreshold = 0\nkind = \"reliable_change\"",
            "change[0].threshold",
        ),
        (
            "score = \"total\"\nthreshold = 2\nkind = \"guess\"",
            "change[0].kind",
        ),
        (
            "score = \"total\"\nreliability = \"1\"",
            "change[0].reliability",
        ),
        ("score = \"total\"\nreliability = 0.8", "found the float"),
        ("score = \"total\"\nsd = \"0\"", "change[0].sd"),
        (
            "score = \"total\"",
            "needs a threshold, a reliability or an sd",
        ),
    ];
    for (body, expected) in cases {
        let error = load(&format!("[[change]]\n{body}\ncitation = \"Fixture.\"")).unwrap_err();
        assert!(error.contains(expected), "{body}: {error}");
    }
    let twice = "[[change]]\nscore = \"total\"\nsd = \"2\"\ncitation = \"C.\"\n".repeat(2);
    assert!(
        load(&twice)
            .unwrap_err()
            .contains("already has a [[change]] entry")
    );
}

#[test]
fn broken_fhir_tables_are_refused_naming_the_field() {
    let cases = [
        (
            "questionnaire = \"44249-2\"",
            "fhir.questionnaire",
            "check digit",
        ),
        (
            "items = [\"44250-9\"]",
            "fhir.items",
            "give one per item (2) or none",
        ),
        (
            "items = [\"44250-9\", \"44250-9\"]",
            "fhir.items[1]",
            "listed twice",
        ),
        (
            "[fhir.answers.other]\nlist = \"LL358-3\"\ncodes = []",
            "fhir.answers.other",
            "no scale",
        ),
        (
            "[fhir.answers.frequency]\nlist = \"LL358-3\"\ncodes = [\"LA6568-5\"]",
            "fhir.answers.frequency.codes",
            "the scale has 4 values",
        ),
        (
            "[fhir.answers.frequency]\nlist = \"358-3\"\ncodes = []",
            "fhir.answers.frequency.list",
            "not a LOINC code",
        ),
    ];
    for (body, field, reason) in cases {
        let error = load(&format!("[fhir]\ncitation = \"Fixture.\"\n{body}")).unwrap_err();
        assert!(
            error.contains(field) && error.contains(reason),
            "{body}: {error}"
        );
    }
}
