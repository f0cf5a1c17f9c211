//! The built-in definitions: they all load, they are all embedded, and what they declare
//! matches clinical.md (ranges, directions, value sets, citations).

use std::path::Path;

use crate::{catalogue, dec, instrument};
use sensate_instruments::{Catalogue, DefinitionError, Direction, Exact};

const IDS: [&str; 11] = [
    "phq9", "phq2", "gad7", "gad2", "pcl5", "csi4", "csi16", "fsfi", "iief15", "iief5", "asex",
];

#[test]
fn every_built_in_definition_loads() {
    let catalogue = Catalogue::builtin();
    assert!(catalogue.is_ok(), "{:?}", catalogue.err());
}

#[test]
fn the_built_in_ids_are_exactly_the_agreed_ones() {
    assert_eq!(catalogue().ids().collect::<Vec<_>>(), IDS);
}

#[test]
fn every_file_in_content_instruments_is_embedded() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/instruments");
    let mut files: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let mut embedded: Vec<String> = IDS.iter().map(|id| format!("{id}.toml")).collect();
    embedded.sort();
    assert_eq!(files, embedded);
}

#[test]
fn score_ranges_match_the_published_ones() {
    let expected = [
        ("phq9", "0", "27"),
        ("phq2", "0", "6"),
        ("gad7", "0", "21"),
        ("gad2", "0", "6"),
        ("pcl5", "0", "80"),
        ("csi4", "0", "21"),
        ("csi16", "0", "81"),
        ("fsfi", "2", "36"),
        ("iief15", "5", "75"),
        ("iief5", "1", "25"),
        ("asex", "5", "30"),
    ];
    for (id, low, high) in expected {
        assert_eq!(instrument(id).total_range(), (dec(low), dec(high)), "{id}");
    }
}

#[test]
fn fsfi_domain_ranges_match_the_published_ones() {
    let expected = [
        ("desire", "1.2"),
        ("arousal", "0"),
        ("lubrication", "0"),
        ("orgasm", "0"),
        ("satisfaction", "0.8"),
        ("pain", "0"),
    ];
    let fsfi = instrument("fsfi");
    for (domain, (id, low)) in fsfi.domains().iter().zip(expected) {
        assert_eq!(domain.id(), id);
        assert_eq!(domain.range(), (dec(low), dec("6")), "{id}");
    }
}

#[test]
fn fsfi_factors_are_0_6_0_3_0_3_0_4_0_4_0_4_with_lubrication_at_0_3() {
    let factors: Vec<Exact> = instrument("fsfi")
        .domains()
        .iter()
        .map(|d| d.factor())
        .collect();
    let expected: Vec<Exact> = ["0.6", "0.3", "0.3", "0.4", "0.4", "0.4"]
        .into_iter()
        .map(dec)
        .collect();
    assert_eq!(factors, expected);
}

#[test]
fn iief15_domain_ranges_match_the_published_ones() {
    let expected = [
        ("erectile_function", 1, 30),
        ("orgasmic_function", 0, 10),
        ("sexual_desire", 2, 10),
        ("intercourse_satisfaction", 0, 15),
        ("overall_satisfaction", 2, 10),
    ];
    for (domain, (id, low, high)) in instrument("iief15").domains().iter().zip(expected) {
        assert_eq!(domain.id(), id);
        assert_eq!(
            domain.range(),
            (Exact::from_int(low), Exact::from_int(high)),
            "{id}"
        );
    }
}

#[test]
fn directions_follow_clinical_md() {
    for id in IDS {
        let expected = match id {
            "fsfi" | "iief15" | "iief5" | "csi4" | "csi16" => Direction::HigherIsBetter,
            _ => Direction::HigherIsWorse,
        };
        assert_eq!(instrument(id).direction(), expected, "{id}");
    }
}

#[test]
fn every_band_and_cutoff_carries_a_citation() {
    for instrument in catalogue() {
        if let Some(banding) = instrument.banding() {
            assert!(!banding.citation().is_empty(), "{}", instrument.id());
        }
        if let Some((meaning, citation)) = instrument.positive_rule() {
            assert!(
                !meaning.is_empty() && !citation.is_empty(),
                "{}",
                instrument.id()
            );
        }
        for flag in instrument.flags() {
            assert!(!flag.citation().is_empty(), "{}", flag.id());
        }
    }
}

#[test]
fn bands_exist_only_where_clinical_md_verifies_them() {
    let banded: Vec<&str> = catalogue()
        .iter()
        .filter(|instrument| instrument.banding().is_some())
        .map(|instrument| instrument.id())
        .collect();
    assert_eq!(banded, ["phq9", "gad7", "csi16", "iief15", "iief5"]);
}

#[test]
fn every_missing_data_rule_is_documented_and_marked_as_ours() {
    for instrument in catalogue() {
        let rule = instrument.missing_data_rule();
        assert!(rule.is_our_choice(), "{}", instrument.id());
        assert!(
            rule.note().starts_with("The authors"),
            "{}",
            instrument.id()
        );
    }
}

#[test]
fn phq9_item_9_is_the_only_critical_item() {
    let critical: Vec<&str> = catalogue()
        .iter()
        .flat_map(|instrument| instrument.items())
        .filter(|item| item.is_critical())
        .map(|item| item.id())
        .collect();
    assert_eq!(critical, ["phq9_9"]);
    let flag = &instrument("phq9").flags()[0];
    assert_eq!(flag.unanswered_id(), Some("suicidal_ideation_unanswered"));
}

#[test]
fn item_labels_are_short_topics() {
    for instrument in catalogue() {
        for item in instrument.items() {
            assert!(item.label().chars().count() <= 80, "{}", item.id());
            assert!(
                !item.label().ends_with('?'),
                "{} reads like a question",
                item.id()
            );
        }
    }
}

#[test]
fn a_second_definition_with_the_same_id_is_refused() {
    let text = include_str!("../../../../content/instruments/gad2.toml");
    let error = Catalogue::from_sources([
        ("content/instruments/gad2.toml", text),
        ("elsewhere/gad2.toml", text),
    ])
    .unwrap_err();
    assert_eq!(
        error,
        DefinitionError::DuplicateId {
            file: "elsewhere/gad2.toml".into(),
            id: "gad2".into(),
            first: "content/instruments/gad2.toml".into(),
        }
    );
}
