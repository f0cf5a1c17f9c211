//! PHQ-9, PHQ-2, GAD-7 and GAD-2: vectors from clinical.md §8.5, every band edge on both
//! sides, each cutoff on both sides, and each flag on and off.

use crate::{join, repeat, score, spread};
use sensate_instruments::Exact;

/// A PHQ-9 response with the given total and item 9 at 0 (until the total needs it).
fn phq9_total(total: u32) -> String {
    let mut values = spread(total.min(24), 8, 3);
    values.push(u8::try_from(total.saturating_sub(24)).unwrap_or(0));
    join(&values)
}

#[test]
fn phq9_all_items_at_1_total_9_mild_with_the_self_harm_flag() {
    let score = score("phq9", "1,1,1,1,1,1,1,1,1");
    assert_eq!(score.total, Some(Exact::from_int(9)));
    assert_eq!(score.band.as_deref(), Some("mild"));
    assert_eq!(score.positive, Some(false));
    assert!(score.has_flag("suicidal_ideation"));
}

#[test]
fn phq9_items_1_to_8_at_3_and_item_9_at_0_is_24_severe_without_the_self_harm_flag() {
    let score = score("phq9", "3,3,3,3,3,3,3,3,0");
    assert_eq!(score.total, Some(Exact::from_int(24)));
    assert_eq!(score.band.as_deref(), Some("severe"));
    assert!(!score.has_flag("suicidal_ideation"));
}

#[test]
fn phq9_totals_on_each_side_of_every_band_edge_get_the_published_band() {
    let expected = [
        (0, "none/minimal"),
        (4, "none/minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ];
    for (total, band) in expected {
        let score = score("phq9", &phq9_total(total));
        assert_eq!(score.total, Some(Exact::from_int(i64::from(total))));
        assert_eq!(score.band.as_deref(), Some(band), "total {total}");
    }
}

#[test]
fn phq9_total_of_10_is_moderate_and_positive() {
    let score = score("phq9", &phq9_total(10));
    assert_eq!(score.band.as_deref(), Some("moderate"));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn phq9_total_of_9_is_mild_and_negative() {
    let score = score("phq9", &phq9_total(9));
    assert_eq!(score.band.as_deref(), Some("mild"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn phq9_item_9_at_1_raises_the_self_harm_flag_even_with_a_total_of_1() {
    let score = score("phq9", "0,0,0,0,0,0,0,0,1");
    assert_eq!(score.band.as_deref(), Some("none/minimal"));
    assert_eq!(score.positive, Some(false));
    assert_eq!(score.flags, ["suicidal_ideation"]);
}

#[test]
fn phq9_item_9_at_0_raises_no_flag_even_with_a_severe_total() {
    let score = score("phq9", "3,3,3,3,3,3,3,3,0");
    assert!(!score.has_flag("suicidal_ideation"));
}

#[test]
fn phq9_one_core_symptom_and_five_symptoms_is_a_major_depressive_syndrome() {
    let score = score("phq9", "2,0,2,2,2,2,0,0,0");
    assert!(score.has_flag("major_depressive_syndrome"));
}

#[test]
fn phq9_item_9_counts_as_a_symptom_from_1() {
    let score = score("phq9", "2,0,2,2,2,0,0,0,1");
    assert!(score.has_flag("major_depressive_syndrome"));
    assert!(score.has_flag("suicidal_ideation"));
}

#[test]
fn phq9_four_symptoms_are_not_a_major_depressive_syndrome() {
    let score = score("phq9", "2,0,2,2,2,1,1,1,0");
    assert!(!score.has_flag("major_depressive_syndrome"));
}

#[test]
fn phq9_many_symptoms_without_a_core_symptom_are_not_a_major_depressive_syndrome() {
    let score = score("phq9", "1,1,3,3,3,3,3,3,0");
    assert_eq!(score.total, Some(Exact::from_int(20)));
    assert!(!score.has_flag("major_depressive_syndrome"));
}

#[test]
fn phq9_a_core_item_at_1_does_not_count_as_a_symptom() {
    let score = score("phq9", "1,0,2,2,2,2,2,2,0");
    assert!(!score.has_flag("major_depressive_syndrome"));
}

#[test]
fn phq2_total_of_3_is_positive_and_has_no_band() {
    let score = score("phq2", "2,1");
    assert_eq!(score.total, Some(Exact::from_int(3)));
    assert_eq!(score.positive, Some(true));
    assert_eq!(score.band, None);
}

#[test]
fn phq2_total_of_2_is_negative() {
    assert_eq!(score("phq2", "1,1").positive, Some(false));
}

#[test]
fn gad7_totals_on_each_side_of_every_band_edge_get_the_published_band() {
    let expected = [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ];
    for (total, band) in expected {
        let score = score("gad7", &join(&spread(total, 7, 3)));
        assert_eq!(score.total, Some(Exact::from_int(i64::from(total))));
        assert_eq!(score.band.as_deref(), Some(band), "total {total}");
    }
}

#[test]
fn gad7_total_of_10_is_moderate_and_positive() {
    let score = score("gad7", &join(&spread(10, 7, 3)));
    assert_eq!(score.band.as_deref(), Some("moderate"));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn gad7_total_of_9_is_mild_and_negative() {
    let score = score("gad7", &join(&spread(9, 7, 3)));
    assert_eq!(score.band.as_deref(), Some("mild"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn gad2_total_of_3_is_positive_and_has_no_band() {
    let score = score("gad2", "3,0");
    assert_eq!(score.positive, Some(true));
    assert_eq!(score.band, None);
}

#[test]
fn gad2_total_of_2_is_negative() {
    assert_eq!(score("gad2", "1,1").positive, Some(false));
}

#[test]
fn gad2_shows_no_band_even_at_its_maximum() {
    let score = score("gad2", &repeat(3, 2));
    assert_eq!(score.total, Some(Exact::from_int(6)));
    assert_eq!(score.band, None);
    assert!(score.flags.is_empty());
}
