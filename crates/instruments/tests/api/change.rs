//! Reliable change: each method, each category, both directions, and the exact edge.

use proptest::prelude::*;
use sensate_instruments::{
    ChangeAssessment, ChangeCategory, ChangeError, ChangeMethod, CutoffCrossing,
    PracticeParameters, Reliability, ReliableChange, StandardDeviation,
};

use crate::{dec, instrument};

fn practice(r: Option<&str>, sd: Option<&str>) -> PracticeParameters {
    PracticeParameters {
        reliability: r.map(|r| Reliability::parse(r).unwrap()),
        sd: sd.map(|sd| StandardDeviation::parse(sd).unwrap()),
        source: "test sample".into(),
    }
}

fn assess(
    id: &str,
    score: &str,
    from: &str,
    to: &str,
    practice: Option<&PracticeParameters>,
) -> ChangeAssessment {
    instrument(id)
        .assess_change(score, dec(from), dec(to), practice)
        .unwrap()
}

fn assessed(
    id: &str,
    score: &str,
    from: &str,
    to: &str,
    practice: Option<&PracticeParameters>,
) -> ReliableChange {
    match assess(id, score, from, to, practice) {
        ChangeAssessment::Assessed(change) => change,
        ChangeAssessment::NoMethod { message } => panic!("no method: {message}"),
    }
}

fn category(id: &str, score: &str, from: &str, to: &str) -> ChangeCategory {
    assessed(id, score, from, to, None).category
}

#[test]
fn phq9_falling_six_points_across_the_cutoff_is_recovery() {
    let change = assessed("phq9", "total", "15", "9", None);
    assert_eq!(change.category, ChangeCategory::Recovered);
    assert_eq!(change.crossing, CutoffCrossing::LeftClinicalRange);
    assert_eq!(change.change, dec("-6"));
    assert!(
        change
            .method_label
            .contains("reliable-change threshold of 6 points")
    );
    assert!(change.citation.contains("IAPT"));
    assert_eq!(
        change.summary(),
        "Recovered: a fall of 6 points, from 15 to 9 (published reliable-change threshold of 6 points)."
    );
}

#[test]
fn phq9_falling_five_points_is_unchanged_even_across_the_cutoff() {
    let change = assessed("phq9", "total", "14", "9", None);
    assert_eq!(change.category, ChangeCategory::Unchanged);
    assert!(!change.reliable);
    assert_eq!(change.crossing, CutoffCrossing::LeftClinicalRange);
}

#[test]
fn phq9_falling_six_points_but_staying_above_the_cutoff_is_improvement() {
    assert_eq!(
        category("phq9", "total", "20", "14"),
        ChangeCategory::Improved
    );
}

#[test]
fn phq9_falling_six_points_below_the_cutoff_all_along_is_improvement_not_recovery() {
    let change = assessed("phq9", "total", "9", "3", None);
    assert_eq!(change.category, ChangeCategory::Improved);
    assert_eq!(change.crossing, CutoffCrossing::StayedOutOfClinicalRange);
}

#[test]
fn phq9_rising_six_points_is_deterioration_and_rising_five_is_not() {
    let change = assessed("phq9", "total", "4", "10", None);
    assert_eq!(change.category, ChangeCategory::Deteriorated);
    assert_eq!(change.crossing, CutoffCrossing::EnteredClinicalRange);
    assert_eq!(
        category("phq9", "total", "4", "9"),
        ChangeCategory::Unchanged
    );
    assert!(change.notes[0].contains("same 6 points to a rise"));
}

#[test]
fn no_change_at_all_is_unchanged() {
    let change = assessed("phq9", "total", "10", "10", None);
    assert_eq!(change.category, ChangeCategory::Unchanged);
    assert_eq!(
        change.summary(),
        "Unchanged: no change, from 10 to 10 (published reliable-change threshold of 6 points)."
    );
}

#[test]
fn gad7_uses_four_points_both_ways() {
    assert_eq!(
        category("gad7", "total", "12", "8"),
        ChangeCategory::Recovered
    );
    assert_eq!(
        category("gad7", "total", "12", "9"),
        ChangeCategory::Unchanged
    );
    assert_eq!(
        category("gad7", "total", "3", "7"),
        ChangeCategory::Deteriorated
    );
}

#[test]
fn pcl5_uses_five_points_and_its_cutoff_of_33() {
    assert_eq!(
        category("pcl5", "total", "40", "35"),
        ChangeCategory::Improved
    );
    assert_eq!(
        category("pcl5", "total", "35", "30"),
        ChangeCategory::Recovered
    );
    assert_eq!(
        category("pcl5", "total", "35", "31"),
        ChangeCategory::Unchanged
    );
}

#[test]
fn iief15_erectile_function_uses_the_mcid_where_higher_is_better() {
    let change = assessed("iief15", "erectile_function", "20", "24", None);
    assert_eq!(change.category, ChangeCategory::Improved);
    assert!(change.higher_is_better);
    assert!(
        change
            .method_label
            .contains("minimal important difference of 4 points")
    );
    assert_eq!(
        category("iief15", "erectile_function", "22", "26"),
        ChangeCategory::Recovered
    );
    assert_eq!(
        category("iief15", "erectile_function", "26", "22"),
        ChangeCategory::Deteriorated
    );
    assert_eq!(
        category("iief15", "erectile_function", "20", "23"),
        ChangeCategory::Unchanged
    );
}

#[test]
fn instruments_without_verified_parameters_say_there_is_no_method() {
    for (id, score) in [
        ("fsfi", "total"),
        ("csi16", "total"),
        ("iief15", "total"),
        ("iief5", "total"),
    ] {
        let (low, _) = instrument(id).score_range(score).unwrap();
        match instrument(id).assess_change(score, low, low, None).unwrap() {
            ChangeAssessment::NoMethod { message } => {
                assert!(
                    message.starts_with("no reliable-change method for"),
                    "{message}"
                );
                assert!(message.contains("configure"), "{message}");
            }
            other => panic!("{id} {score}: {other:?}"),
        }
    }
}

#[test]
fn asex_has_a_published_reliability_and_asks_the_practice_for_an_sd() {
    let ChangeAssessment::NoMethod { message } = assess("asex", "total", "20", "10", None) else {
        panic!("ASEX has no SD");
    };
    assert!(
        message.contains("0.801") && message.contains("SD"),
        "{message}"
    );
    let with_sd = practice(None, Some("4"));
    let change = assessed("asex", "total", "20", "15", Some(&with_sd));
    let ChangeMethod::JacobsonTruax {
        reliability, sd, ..
    } = &change.method
    else {
        panic!("expected Jacobson-Truax");
    };
    assert!(!reliability.configured_by_practice && reliability.source.contains("McGahuey"));
    assert!(sd.configured_by_practice && sd.source.contains("test sample"));
    // 1.96 · 4 · √(2 · 0.199) ≈ 4.95: a fall of 5 is reliable, of 4 is not.
    assert_eq!(
        change.category,
        ChangeCategory::Improved,
        "ASEX's rule has other conditions, so no recovery"
    );
    assert_eq!(change.crossing, CutoffCrossing::NotAssessed);
    assert!(
        change
            .notes
            .iter()
            .any(|note| note.contains("one of several conditions"))
    );
    let smaller = assessed("asex", "total", "20", "16", Some(&with_sd));
    assert_eq!(smaller.category, ChangeCategory::Unchanged);
}

#[test]
fn practice_parameters_take_precedence_over_a_published_threshold() {
    // SD 5, r 0.84: minimum reliable change 1.96 · 5 · √0.32 ≈ 5.54 points.
    let parameters = practice(Some("0.84"), Some("5"));
    let change = assessed("phq9", "total", "16", "10", Some(&parameters));
    assert_eq!(change.category, ChangeCategory::Improved);
    let ChangeMethod::JacobsonTruax {
        minimum_reliable_change,
        index,
        ..
    } = change.method
    else {
        panic!("expected Jacobson-Truax");
    };
    assert!((minimum_reliable_change - 5.5437).abs() < 1e-3);
    assert!((index - (-6.0 / (5.0 * 0.32_f64.sqrt()))).abs() < 1e-9);
    assert!(change.citation.starts_with("Jacobson NS, Truax P."));
    assert_eq!(
        category_with("phq9", "16", "11", &parameters),
        ChangeCategory::Unchanged
    );
}

fn category_with(
    id: &str,
    from: &str,
    to: &str,
    parameters: &PracticeParameters,
) -> ChangeCategory {
    assessed(id, "total", from, to, Some(parameters)).category
}

#[test]
fn a_change_exactly_at_the_jacobson_truax_threshold_is_reliable_where_floats_say_it_is_not() {
    // r = 0.82 and SD = 5 give 1.96 · 5 · √0.36 = 5.88 exactly; in f64 it is 5.880000000000002.
    let float_threshold = 1.96 * 5.0 * (2.0 * (1.0 - 0.82_f64)).sqrt();
    assert!(5.88 < float_threshold, "the float threshold overshoots");
    let parameters = practice(Some("0.82"), Some("5"));
    assert_eq!(
        category_with("fsfi", "10", "15.88", &parameters),
        ChangeCategory::Improved
    );
    assert_eq!(
        category_with("fsfi", "10", "15.87", &parameters),
        ChangeCategory::Unchanged
    );
    assert_eq!(
        category_with("fsfi", "20", "14.12", &parameters),
        ChangeCategory::Deteriorated
    );
    assert_eq!(
        category_with("fsfi", "20", "14.13", &parameters),
        ChangeCategory::Unchanged
    );
}

#[test]
fn fsfi_recovery_needs_a_reliable_rise_past_26_55() {
    // r = 0.5 and SD = 10: reliable from exactly 19.6 points.
    let parameters = practice(Some("0.5"), Some("10"));
    let change = assessed("fsfi", "total", "10", "29.6", Some(&parameters));
    assert_eq!(change.category, ChangeCategory::Recovered);
    assert!(change.higher_is_better);
    assert_eq!(
        category_with("fsfi", "7", "26.6", &parameters),
        ChangeCategory::Recovered
    );
    assert_eq!(
        category_with("fsfi", "6.9", "26.5", &parameters),
        ChangeCategory::Improved
    );
    assert_eq!(
        category_with("fsfi", "30", "10.4", &parameters),
        ChangeCategory::Deteriorated
    );
}

#[test]
fn a_score_outside_the_range_or_an_unknown_score_is_refused() {
    let phq9 = instrument("phq9");
    assert!(matches!(
        phq9.assess_change("total", dec("28"), dec("3"), None),
        Err(ChangeError::OutOfRange {
            which: "baseline",
            ..
        })
    ));
    let error = phq9
        .assess_change("desire", dec("1"), dec("3"), None)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "phq9 has no score `desire`; its scores are: total"
    );
}

#[test]
fn impossible_practice_parameters_cannot_be_built() {
    for text in ["0", "1", "1.2", "-0.5"] {
        assert!(Reliability::parse(text).is_err(), "{text}");
    }
    assert!(StandardDeviation::parse("0").is_err());
    assert!(StandardDeviation::parse("abc").is_err());
    assert_eq!(Reliability::parse(" 0.84 ").unwrap().value(), dec("0.84"));
}

#[test]
fn the_result_serialises_with_its_method_and_category() {
    let json = serde_json::to_value(assess("phq9", "total", "15", "9", None)).unwrap();
    assert_eq!(json["outcome"], "assessed");
    assert_eq!(json["category"], "recovered");
    assert_eq!(json["method"]["kind"], "published_threshold");
    assert_eq!(json["method"]["threshold"]["points"], 6);
    assert_eq!(json["change"], -6);
}

proptest! {
    #[test]
    fn swapping_baseline_and_follow_up_swaps_improvement_and_deterioration(
        from in 0_i64..=27, to in 0_i64..=27,
    ) {
        let phq9 = instrument("phq9");
        let get = |a: i64, b: i64| match phq9.assess_change("total", dec(&a.to_string()), dec(&b.to_string()), None).unwrap() {
            ChangeAssessment::Assessed(change) => change,
            ChangeAssessment::NoMethod { .. } => unreachable!(),
        };
        let forward = get(from, to);
        let backward = get(to, from);
        prop_assert_eq!(forward.reliable, backward.reliable);
        prop_assert_eq!(forward.reliable, (to - from).abs() >= 6);
        let improved = matches!(forward.category, ChangeCategory::Improved | ChangeCategory::Recovered);
        prop_assert_eq!(improved, backward.category == ChangeCategory::Deteriorated);
    }

    #[test]
    fn the_exact_decision_agrees_with_floats_away_from_the_threshold(
        change_hundredths in -3400_i64..=3400, r_ten_thousandths in 1_i64..10_000, sd_tenths in 1_i64..200,
    ) {
        let r = r_ten_thousandths as f64 / 10_000.0;
        let sd = sd_tenths as f64 / 10.0;
        let delta = change_hundredths as f64 / 100.0;
        let threshold = 1.96 * sd * (2.0 * (1.0 - r)).sqrt();
        prop_assume!((delta.abs() - threshold).abs() > 1e-6);
        let baseline = dec("36");
        let parameters = PracticeParameters {
            reliability: Some(Reliability::parse(&format!("{r:.4}")).unwrap()),
            sd: Some(StandardDeviation::parse(&format!("{sd:.1}")).unwrap()),
            source: String::new(),
        };
        // FSFI runs 2-36: fall from 36 by |Δ| when |Δ| <= 34.
        let to = dec(&format!("{:.2}", 36.0 - delta.abs()));
        let change = match instrument("fsfi").assess_change("total", baseline, to, Some(&parameters)).unwrap() {
            ChangeAssessment::Assessed(change) => change,
            ChangeAssessment::NoMethod { .. } => unreachable!(),
        };
        prop_assert_eq!(change.reliable, delta.abs() > threshold);
    }
}
