//! Each instrument's missing-data rule: what is prorated, what is refused, and how flags
//! behave when unanswered items leave them open.

use crate::{dec, repeat, score};
use sensate_instruments::Exact;

#[test]
fn phq9_with_8_of_9_answered_is_prorated_to_9_items() {
    // 8 points over 8 answered items, times 9/8: exactly 9.
    let score = score("phq9", "1,1,1,1,1,1,1,1,");
    assert_eq!(score.total, Some(Exact::from_int(9)));
    assert_eq!(score.band.as_deref(), Some("mild"));
    assert!(score.has_flag("prorated"));
}

#[test]
fn phq9_prorated_half_points_round_up() {
    // 4 points over 8 answered items, times 9/8 = 4.5, rounds to 5: mild, not minimal.
    let score = score("phq9", "1,1,1,1,0,0,0,0,");
    assert_eq!(score.total, Some(Exact::from_int(5)));
    assert_eq!(score.band.as_deref(), Some("mild"));
}

#[test]
fn phq9_with_7_of_9_answered_is_still_scored() {
    let score = score("phq9", "3,3,3,3,3,3,3,,");
    assert_eq!(score.total, Some(Exact::from_int(27)));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn phq9_with_6_of_9_answered_is_incomplete() {
    let score = score("phq9", "3,3,3,3,3,,,,0");
    assert_eq!(score.total, None);
    assert_eq!(score.band, None);
    assert_eq!(score.positive, None);
    assert!(score.has_flag("incomplete"));
    assert!(!score.has_flag("prorated"));
}

#[test]
fn phq9_unanswered_item_9_raises_its_own_flag_so_the_gap_is_seen() {
    let score = score("phq9", "0,0,0,0,0,0,0,0,");
    assert!(!score.has_flag("suicidal_ideation"));
    assert!(score.has_flag("suicidal_ideation_unanswered"));
}

#[test]
fn phq9_item_9_answered_raises_the_self_harm_flag_whatever_else_is_missing() {
    let score = score("phq9", ",,,,,,,,2");
    assert_eq!(score.total, None);
    assert_eq!(score.flags, ["suicidal_ideation", "incomplete"]);
}

#[test]
fn phq9_syndrome_already_settled_by_the_answered_items_is_flagged_despite_gaps() {
    let score = score("phq9", "2,2,2,2,2,,,,0");
    assert!(score.has_flag("major_depressive_syndrome"));
}

#[test]
fn phq9_syndrome_that_gaps_leave_open_is_not_flagged() {
    let score = score("phq9", "2,2,2,2,0,,,,0");
    assert!(!score.has_flag("major_depressive_syndrome"));
}

#[test]
fn gad7_with_6_of_7_answered_is_prorated_and_with_5_is_incomplete() {
    let six = score("gad7", "2,2,2,2,2,2,");
    assert_eq!(six.total, Some(Exact::from_int(14)));
    assert!(six.has_flag("prorated"));
    let five = score("gad7", "2,2,2,2,2,,");
    assert_eq!(five.total, None);
    assert!(five.has_flag("incomplete"));
}

#[test]
fn pcl5_with_16_of_20_answered_is_prorated_but_incomplete_clusters_are_not() {
    // Items 1-16 at 2, items 17-20 unanswered: 32 * 20/16 = 40.
    let score = score("pcl5", &format!("{},,,,", repeat(2, 16)));
    assert_eq!(score.total, Some(Exact::from_int(40)));
    assert_eq!(score.domain("intrusion"), Some(Exact::from_int(10)));
    assert_eq!(score.domain("arousal_reactivity"), None);
    assert!(score.has_flag("prorated"));
}

#[test]
fn pcl5_with_15_of_20_answered_is_incomplete() {
    let score = score("pcl5", &format!("{},,,,,", repeat(2, 15)));
    assert_eq!(score.total, None);
    assert!(score.has_flag("incomplete"));
}

#[test]
fn phq2_gad2_csi_iief_and_asex_require_every_item() {
    for (id, values) in [
        ("phq2", "3,"),
        ("gad2", ",3"),
        ("csi4", "6,5,5,"),
        ("iief5", "5,5,5,5,"),
        ("iief15", &format!("{},", repeat(5, 14))),
        ("asex", "1,1,1,1,"),
    ] {
        let score = score(id, values);
        assert_eq!(score.total, None, "{id}");
        assert!(score.has_flag("incomplete"), "{id}");
    }
}

#[test]
fn fsfi_domain_with_half_its_items_answered_is_prorated() {
    // Arousal items 3 and 4 unanswered; 5 and 6 at 4: 8 * 4/2 * 0.3 = 4.8.
    let score = score("fsfi", "5,5,,,4,4,5,5,5,5,5,5,5,5,5,5,5,5,5");
    assert_eq!(score.domain("arousal"), Some(dec("4.8")));
    assert_eq!(score.total, Some(dec("34.8")));
    assert!(score.has_flag("prorated"));
}

#[test]
fn fsfi_desire_needs_only_one_of_its_two_items() {
    let score = score("fsfi", &format!("3,,{}", repeat(5, 17)));
    assert_eq!(score.domain("desire"), Some(dec("3.6")));
}

#[test]
fn fsfi_domain_with_fewer_than_half_its_items_is_not_scored_but_the_total_is_prorated() {
    // Pain has only item 19 answered; the other five domains are at 4.8, so 24 * 6/5.
    let score = score("fsfi", &format!("{},,,4", repeat(4, 16)));
    assert_eq!(score.domain("pain"), None);
    assert_eq!(score.total, Some(dec("28.8")));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn fsfi_prorated_total_can_fall_between_tenths_and_is_compared_exactly() {
    // Pain unscored; domains 6, 6, 6, 6, 0.8 sum to 24.8, times 6/5 = 29.76.
    let score = score("fsfi", "5,5,5,5,5,5,5,5,5,5,5,5,5,0,1,1,,,5");
    assert_eq!(score.domain("satisfaction"), Some(dec("0.8")));
    assert_eq!(score.total, Some(dec("29.76")));
}

#[test]
fn fsfi_satisfaction_prorated_below_its_floor_is_kept_at_0_8() {
    // Item 14 at 0, item 15 unanswered, item 16 at 1: 1 * 3/2 * 0.4 = 0.6, floor 0.8.
    let score = score("fsfi", &format!("{},0,,1,5,5,5", repeat(5, 13)));
    assert_eq!(score.domain("satisfaction"), Some(dec("0.8")));
}

#[test]
fn fsfi_with_two_domains_unscored_is_incomplete() {
    let score = score("fsfi", &format!(",,{},,,5", repeat(5, 14)));
    assert_eq!(score.domain("desire"), None);
    assert_eq!(score.domain("pain"), None);
    assert_eq!(score.total, None);
    assert_eq!(score.positive, None);
    assert!(score.has_flag("incomplete"));
}

#[test]
fn fsfi_unanswered_zero_capable_items_count_towards_low_sexual_activity() {
    // Items 3-10 unanswered: arousal and lubrication are unscored, so the total is too.
    let score = score("fsfi", &format!("5,5,{}{}", ",".repeat(8), repeat(5, 9)));
    assert!(score.has_flag("low_sexual_activity"));
}

#[test]
fn iief15_erectile_function_band_needs_only_its_own_items() {
    // Item 14 (overall satisfaction) unanswered; erectile function is complete.
    let score = score("iief15", &format!("{},,5", repeat(5, 13)));
    assert_eq!(score.total, None);
    assert_eq!(score.domain("overall_satisfaction"), None);
    assert_eq!(score.domain("erectile_function"), Some(Exact::from_int(30)));
    assert_eq!(score.band.as_deref(), Some("no ed"));
    assert_eq!(score.positive, Some(false));
    assert_eq!(score.flags, ["incomplete"]);
}

#[test]
fn asex_item_at_5_settles_positive_even_with_an_item_unanswered() {
    let score = score("asex", "5,1,1,1,");
    assert_eq!(score.total, None);
    assert_eq!(score.positive, Some(true));
}

#[test]
fn asex_positive_is_undecided_when_the_unanswered_item_could_tip_it() {
    assert_eq!(score("asex", "1,1,1,1,").positive, None);
}

#[test]
fn nothing_answered_is_incomplete_and_nothing_else() {
    let score = score("gad7", ",,,,,,");
    assert_eq!(score.total, None);
    assert_eq!(score.flags, ["incomplete"]);
}
