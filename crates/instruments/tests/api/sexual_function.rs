//! FSFI, IIEF-15, IIEF-5 and ASEX: the clinical.md §8.1-8.3 vectors, every band edge and
//! cutoff on both sides, and each flag on and off. FSFI arithmetic is checked exactly.

use crate::{dec, instrument, join, repeat, score, spread};
use sensate_instruments::Exact;

const FSFI_DOMAINS: [&str; 6] = [
    "desire",
    "arousal",
    "lubrication",
    "orgasm",
    "satisfaction",
    "pain",
];

fn assert_fsfi(values: &str, domains: [&str; 6], total: &str, positive: bool) {
    let score = score("fsfi", values);
    for (id, expected) in FSFI_DOMAINS.iter().zip(domains) {
        assert_eq!(score.domain(id), Some(dec(expected)), "{id} of {values}");
    }
    assert_eq!(score.total, Some(dec(total)), "total of {values}");
    assert_eq!(score.positive, Some(positive), "positive of {values}");
    assert_eq!(score.band, None, "the FSFI has no published bands");
}

#[test]
fn fsfi_v1_all_items_at_5_is_36_and_negative() {
    let six = ["6.0"; 6];
    assert_fsfi(&repeat(5, 19), six, "36", false);
    assert!(score("fsfi", &repeat(5, 19)).flags.is_empty());
}

#[test]
fn fsfi_v2_all_items_at_1_is_7_2_and_positive() {
    assert_fsfi(&repeat(1, 19), ["1.2"; 6], "7.2", true);
}

#[test]
fn fsfi_v5_mixed_vector_is_20_3_and_positive() {
    assert_fsfi(
        "3,3,4,3,3,3,3,3,3,3,2,2,2,3,3,2,3,3,3",
        ["3.6", "3.9", "3.6", "2.4", "3.2", "3.6"],
        "20.3",
        true,
    );
}

#[test]
fn fsfi_v6_all_items_at_4_is_28_8_and_negative() {
    assert_fsfi(&repeat(4, 19), ["4.8"; 6], "28.8", false);
}

/// Raw domain sums 2, 7, 20, 14, 14, 15: exactly 26.5, where naive floats give
/// 26.500000000000004.
const FSFI_26_5: &str = "1,1,1,2,2,2,5,5,5,5,5,5,4,4,5,5,5,5,5";
/// Raw domain sums 2, 6, 20, 14, 15, 15: exactly 26.6.
const FSFI_26_6: &str = "1,1,1,1,2,2,5,5,5,5,5,5,4,5,5,5,5,5,5";

#[test]
fn fsfi_total_of_exactly_26_5_is_positive() {
    assert_fsfi(
        FSFI_26_5,
        ["1.2", "2.1", "6", "5.6", "5.6", "6"],
        "26.5",
        true,
    );
}

#[test]
fn fsfi_total_of_exactly_26_6_is_negative() {
    assert_fsfi(
        FSFI_26_6,
        ["1.2", "1.8", "6", "5.6", "6", "6"],
        "26.6",
        false,
    );
}

#[test]
fn fsfi_total_prints_26_5_not_a_float_artefact() {
    let json = serde_json::to_string(&score("fsfi", FSFI_26_5)).unwrap();
    assert!(json.contains(r#""total":26.5,"#), "{json}");
}

#[test]
fn fsfi_eight_zero_answers_raise_the_low_sexual_activity_flag() {
    // Items 3-10 at 0 (no sexual activity), the rest at 5.
    let values = "5,5,0,0,0,0,0,0,0,0,5,5,5,5,5,5,5,5,5";
    assert_eq!(score("fsfi", values).flags, ["low_sexual_activity"]);
}

#[test]
fn fsfi_seven_zero_answers_do_not_raise_the_low_sexual_activity_flag() {
    let values = "5,5,0,0,0,0,0,0,0,5,5,5,5,5,5,5,5,5,5";
    assert!(score("fsfi", values).flags.is_empty());
}

#[test]
fn fsfi_zero_is_allowed_on_every_item_except_1_2_15_and_16() {
    let fsfi = instrument("fsfi");
    let without_zero: Vec<usize> = fsfi
        .items()
        .iter()
        .filter(|item| !item.allows_zero())
        .map(|item| item.position())
        .collect();
    assert_eq!(without_zero, [1, 2, 15, 16]);
}

/// An IIEF-15 response whose erectile-function domain (items 1-5 and 15) totals `ef`,
/// with every other item at 5.
fn iief15_with_erectile_function(ef: u32) -> String {
    let mut values = [5_u8; 15];
    // Item 15 has no 0, so it takes at least 1.
    let item15 = ef.clamp(1, 5);
    values[14] = u8::try_from(item15).unwrap();
    for (slot, value) in spread(ef - item15, 5, 5).into_iter().enumerate() {
        values[slot] = value;
    }
    join(&values)
}

#[test]
fn iief15_all_items_at_5_scores_every_domain_at_its_maximum_with_no_ed() {
    let score = score("iief15", &repeat(5, 15));
    assert_eq!(score.domain("erectile_function"), Some(Exact::from_int(30)));
    assert_eq!(score.domain("orgasmic_function"), Some(Exact::from_int(10)));
    assert_eq!(score.domain("sexual_desire"), Some(Exact::from_int(10)));
    assert_eq!(
        score.domain("intercourse_satisfaction"),
        Some(Exact::from_int(15))
    );
    assert_eq!(
        score.domain("overall_satisfaction"),
        Some(Exact::from_int(10))
    );
    assert_eq!(score.total, Some(Exact::from_int(75)));
    assert_eq!(score.band.as_deref(), Some("no ed"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn iief15_erectile_function_on_each_side_of_every_band_edge_gets_the_published_band() {
    let expected = [
        (1, "severe"),
        (10, "severe"),
        (11, "moderate"),
        (16, "moderate"),
        (17, "mild to moderate"),
        (21, "mild to moderate"),
        (22, "mild"),
        (25, "mild"),
        (26, "no ed"),
        (30, "no ed"),
    ];
    for (ef, band) in expected {
        let score = score("iief15", &iief15_with_erectile_function(ef));
        assert_eq!(
            score.domain("erectile_function"),
            Some(Exact::from_int(i64::from(ef)))
        );
        assert_eq!(score.band.as_deref(), Some(band), "erectile function {ef}");
    }
}

#[test]
fn iief15_erectile_function_of_25_is_positive() {
    let score = score("iief15", &iief15_with_erectile_function(25));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn iief15_erectile_function_of_26_is_negative() {
    let score = score("iief15", &iief15_with_erectile_function(26));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn iief5_all_items_at_5_is_25_with_no_ed() {
    let score = score("iief5", &repeat(5, 5));
    assert_eq!(score.total, Some(Exact::from_int(25)));
    assert_eq!(score.band.as_deref(), Some("no ed"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn iief5_all_items_at_3_is_15_mild_to_moderate() {
    let score = score("iief5", &repeat(3, 5));
    assert_eq!(score.total, Some(Exact::from_int(15)));
    assert_eq!(score.band.as_deref(), Some("mild to moderate"));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn iief5_totals_on_each_side_of_every_band_edge_get_the_published_band() {
    let expected: [(u32, &str); 10] = [
        (5, "severe"),
        (7, "severe"),
        (8, "moderate"),
        (11, "moderate"),
        (12, "mild to moderate"),
        (16, "mild to moderate"),
        (17, "mild"),
        (21, "mild"),
        (22, "no ed"),
        (25, "no ed"),
    ];
    for (total, band) in expected {
        // Item 1 has no 0; the other four carry up to 20.
        let first = total.saturating_sub(20).max(1);
        let mut values = vec![u8::try_from(first).unwrap()];
        values.extend(spread(total - first, 4, 5));
        let score = score("iief5", &join(&values));
        assert_eq!(score.total, Some(Exact::from_int(i64::from(total))));
        assert_eq!(score.band.as_deref(), Some(band), "total {total}");
    }
}

#[test]
fn iief5_total_of_21_is_positive_and_22_is_negative() {
    assert_eq!(score("iief5", "5,5,5,5,1").positive, Some(true));
    assert_eq!(score("iief5", "5,5,5,5,2").positive, Some(false));
}

#[test]
fn iief5_total_below_the_published_severe_band_gets_no_band_but_is_positive() {
    let score = score("iief5", "1,0,0,0,3");
    assert_eq!(score.total, Some(Exact::from_int(4)));
    assert_eq!(score.band, None);
    assert_eq!(score.positive, Some(true));
}

#[test]
fn asex_all_items_at_3_is_15_and_negative() {
    let score = score("asex", "3,3,3,3,3");
    assert_eq!(score.total, Some(Exact::from_int(15)));
    assert_eq!(score.positive, Some(false));
    assert_eq!(score.band, None);
}

#[test]
fn asex_one_item_at_5_is_positive_whatever_the_total() {
    let score = score("asex", "5,1,1,1,1");
    assert_eq!(score.total, Some(Exact::from_int(9)));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn asex_three_items_at_4_are_positive() {
    assert_eq!(score("asex", "4,4,4,1,1").positive, Some(true));
}

#[test]
fn asex_two_items_at_4_and_a_total_below_19_are_negative() {
    let score = score("asex", "4,4,3,3,3");
    assert_eq!(score.total, Some(Exact::from_int(17)));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn asex_total_of_19_or_more_is_positive() {
    let score = score("asex", "4,4,4,4,3");
    assert_eq!(score.total, Some(Exact::from_int(19)));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn asex_has_one_id_with_male_and_female_labels_for_item_3() {
    let asex = instrument("asex");
    assert_eq!(asex.forms(), ["male", "female"]);
    let item3 = &asex.items()[2];
    assert_ne!(item3.label_for_form("male"), item3.label_for_form("female"));
    assert_eq!(
        asex.items()[0].label_for_form("female"),
        asex.items()[0].label()
    );
}
