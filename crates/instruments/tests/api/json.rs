//! The one JSON shape of a score, which the CLI prints and the web app stores.

use crate::{repeat, score};

#[test]
fn a_score_serialises_to_exactly_one_json_object_in_the_agreed_shape() {
    let json = serde_json::to_string(&score("phq9", "1,1,1,1,1,1,1,1,1")).unwrap();
    assert_eq!(
        json,
        r#"{"instrument":"phq9","version":"1.0.0","total":9,"domains":{},"band":"mild","positive":false,"flags":["suicidal_ideation"]}"#
    );
}

#[test]
fn fsfi_domains_serialise_in_order_as_shortest_decimals() {
    let json =
        serde_json::to_string(&score("fsfi", "3,3,4,3,3,3,3,3,3,3,2,2,2,3,3,2,3,3,3")).unwrap();
    assert_eq!(
        json,
        r#"{"instrument":"fsfi","version":"1.0.0","total":20.3,"domains":{"desire":3.6,"arousal":3.9,"lubrication":3.6,"orgasm":2.4,"satisfaction":3.2,"pain":3.6},"band":null,"positive":true,"flags":[]}"#
    );
}

#[test]
fn whole_fsfi_scores_serialise_as_integers() {
    let json = serde_json::to_string(&score("fsfi", &repeat(5, 19))).unwrap();
    assert!(json.contains(r#""total":36,"#), "{json}");
    assert!(json.contains(r#""desire":6,"#), "{json}");
}

#[test]
fn an_incomplete_response_has_a_null_total_and_the_incomplete_flag() {
    let json = serde_json::to_string(&score("csi4", "6,5,5,")).unwrap();
    assert_eq!(
        json,
        r#"{"instrument":"csi4","version":"1.0.0","total":null,"domains":{},"band":null,"positive":null,"flags":["incomplete"]}"#
    );
}

#[test]
fn an_unscored_domain_serialises_as_null() {
    let json = serde_json::to_string(&score("pcl5", &format!("{},,,,", repeat(2, 16)))).unwrap();
    assert!(json.contains(r#""arousal_reactivity":null"#), "{json}");
    assert!(
        json.contains(r#""flags":["dsm5_rule_met","prorated"]"#),
        "{json}"
    );
}
