//! PCL-5: the clinical.md §8.6 vector, the cutoff on both sides, the DSM-5 rule on and
//! off, and no bands ever.

use crate::{join, repeat, score, spread};
use sensate_instruments::Exact;

#[test]
fn pcl5_all_items_at_2_total_40_meets_the_dsm5_rule_and_the_cutoff() {
    let score = score("pcl5", &repeat(2, 20));
    assert_eq!(score.total, Some(Exact::from_int(40)));
    assert_eq!(score.domain("intrusion"), Some(Exact::from_int(10)));
    assert_eq!(score.domain("avoidance"), Some(Exact::from_int(4)));
    assert_eq!(score.domain("cognition_mood"), Some(Exact::from_int(14)));
    assert_eq!(
        score.domain("arousal_reactivity"),
        Some(Exact::from_int(12))
    );
    assert_eq!(score.positive, Some(true));
    assert_eq!(score.flags, ["dsm5_rule_met"]);
}

#[test]
fn pcl5_has_no_severity_band_at_any_total() {
    for value in 0..=4 {
        assert_eq!(score("pcl5", &repeat(value, 20)).band, None);
    }
}

#[test]
fn pcl5_total_of_33_is_positive() {
    let score = score("pcl5", &join(&spread(33, 20, 4)));
    assert_eq!(score.total, Some(Exact::from_int(33)));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn pcl5_total_of_32_is_negative() {
    let score = score("pcl5", &join(&spread(32, 20, 4)));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn pcl5_dsm5_rule_is_met_with_exactly_the_minimum_in_each_cluster() {
    // B: item 1; C: item 6; D: items 8 and 9; E: items 15 and 16.
    let mut values = [0_u8; 20];
    for item in [1, 6, 8, 9, 15, 16] {
        values[item - 1] = 2;
    }
    let score = score("pcl5", &join(&values));
    assert_eq!(score.total, Some(Exact::from_int(12)));
    assert_eq!(score.positive, Some(false));
    assert_eq!(score.flags, ["dsm5_rule_met"]);
}

#[test]
fn pcl5_dsm5_rule_is_not_met_with_one_cognition_and_mood_item_short() {
    let mut values = [1_u8; 20];
    for item in [1, 6, 8, 15, 16] {
        values[item - 1] = 4;
    }
    let score = score("pcl5", &join(&values));
    assert!(!score.has_flag("dsm5_rule_met"));
}

#[test]
fn pcl5_items_at_1_are_not_endorsed_for_the_dsm5_rule() {
    let score = score("pcl5", &repeat(1, 20));
    assert_eq!(score.total, Some(Exact::from_int(20)));
    assert!(score.flags.is_empty());
}
