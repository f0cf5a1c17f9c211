//! CSI-4 and CSI-16: the clinical.md §8.4 vectors and each cutoff on both sides.
//! `positive` means distress, i.e. *below* the cutoff (higher is better on the CSI).

use crate::{join, score, spread};
use sensate_instruments::Exact;

/// A CSI-16 response with the given total (item 1 takes up to 6, the others up to 5).
fn csi16_total(total: u32) -> String {
    let first = total.min(6);
    let mut values = vec![u8::try_from(first).unwrap_or(6)];
    values.extend(spread(total - first, 15, 5));
    join(&values)
}

#[test]
fn csi16_all_items_at_their_maximum_is_81_satisfied_and_not_distressed() {
    let score = score("csi16", &format!("6,{}", crate::repeat(5, 15)));
    assert_eq!(score.total, Some(Exact::from_int(81)));
    assert_eq!(score.band.as_deref(), Some("satisfied"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn csi16_all_items_at_their_minimum_is_0_dissatisfied_and_distressed() {
    let score = score("csi16", &crate::repeat(0, 16));
    assert_eq!(score.total, Some(Exact::from_int(0)));
    assert_eq!(score.band.as_deref(), Some("dissatisfied"));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn csi16_total_of_51_is_dissatisfied_and_distressed() {
    let score = score("csi16", &csi16_total(51));
    assert_eq!(score.total, Some(Exact::from_int(51)));
    assert_eq!(score.band.as_deref(), Some("dissatisfied"));
    assert_eq!(score.positive, Some(true));
}

#[test]
fn csi16_total_of_52_is_satisfied_and_not_distressed() {
    let score = score("csi16", &csi16_total(52));
    assert_eq!(score.band.as_deref(), Some("satisfied"));
    assert_eq!(score.positive, Some(false));
}

#[test]
fn csi16_with_15_of_16_items_answered_is_not_scored() {
    let score = score("csi16", &format!("6,{},", crate::repeat(5, 14)));
    assert_eq!(score.total, None);
    assert_eq!(score.band, None);
    assert_eq!(score.positive, None);
    assert_eq!(score.flags, ["incomplete"]);
}

#[test]
fn csi16_item_1_takes_6_but_the_others_stop_at_5() {
    let csi16 = crate::instrument("csi16");
    assert!(
        csi16
            .parse_values(&format!("6,{}", crate::repeat(5, 15)))
            .is_ok()
    );
    assert!(
        csi16
            .parse_values(&format!("5,6,{}", crate::repeat(5, 14)))
            .is_err()
    );
}

#[test]
fn csi4_total_of_13_is_distressed() {
    let score = score("csi4", "4,3,3,3");
    assert_eq!(score.total, Some(Exact::from_int(13)));
    assert_eq!(score.positive, Some(true));
    assert_eq!(score.band, None);
}

#[test]
fn csi4_total_of_14_is_not_distressed() {
    assert_eq!(score("csi4", "5,3,3,3").positive, Some(false));
}

#[test]
fn csi4_ranges_from_0_to_21() {
    assert_eq!(score("csi4", "0,0,0,0").total, Some(Exact::from_int(0)));
    assert_eq!(score("csi4", "6,5,5,5").total, Some(Exact::from_int(21)));
}
