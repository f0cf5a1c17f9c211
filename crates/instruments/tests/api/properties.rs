//! Properties that must hold for every built-in instrument and every response.

use proptest::prelude::*;

use crate::catalogue;
use sensate_instruments::{Direction, Exact, Instrument, ItemValue, Score};

/// Any built-in instrument with a complete, valid response.
fn complete_response() -> impl Strategy<Value = (&'static Instrument, Vec<ItemValue>)> {
    let count = catalogue().iter().count();
    (0..count).prop_flat_map(|index| {
        let instrument = catalogue().iter().nth(index).unwrap();
        let values: Vec<_> = instrument
            .items()
            .iter()
            .map(|item| (item.min()..=item.max()).prop_map(Some))
            .collect();
        (Just(instrument), values)
    })
}

/// Any built-in instrument with a valid response that may leave items unanswered.
fn partial_response() -> impl Strategy<Value = (&'static Instrument, Vec<ItemValue>)> {
    let count = catalogue().iter().count();
    (0..count).prop_flat_map(|index| {
        let instrument = catalogue().iter().nth(index).unwrap();
        let values: Vec<_> = instrument
            .items()
            .iter()
            .map(|item| proptest::option::weighted(0.85, item.min()..=item.max()))
            .collect();
        (Just(instrument), values)
    })
}

/// A complete response, and the same response with one item raised (or kept).
fn response_with_one_item_raised()
-> impl Strategy<Value = (&'static Instrument, Vec<ItemValue>, Vec<ItemValue>)> {
    complete_response()
        .prop_flat_map(|(instrument, values)| {
            let count = values.len();
            (Just(instrument), Just(values), 0..count)
        })
        .prop_flat_map(|(instrument, values, index)| {
            let item = &instrument.items()[index];
            let current = values[index].unwrap_or(item.min());
            (
                Just(instrument),
                Just(values),
                Just(index),
                current..=item.max(),
            )
        })
        .prop_map(|(instrument, values, index, raised)| {
            let mut higher = values.clone();
            higher[index] = Some(raised);
            (instrument, values, higher)
        })
}

fn band_rank(instrument: &Instrument, score: &Score) -> Option<usize> {
    let bands = instrument.banding()?.bands();
    let name = score.band.as_deref()?;
    bands.iter().position(|band| band.name() == name)
}

fn within(value: Exact, (low, high): (Exact, Exact)) -> bool {
    low <= value && value <= high
}

proptest! {
    #[test]
    fn complete_responses_have_a_total_and_domains_within_their_ranges(
        (instrument, values) in complete_response()
    ) {
        let score = instrument.score(&values).unwrap();
        let total = score.total.unwrap();
        prop_assert!(within(total, instrument.total_range()), "{}: {total}", instrument.id());
        for (domain, scored) in instrument.domains().iter().zip(&score.domains) {
            prop_assert!(within(scored.score.unwrap(), domain.range()), "{}", domain.id());
        }
        prop_assert!(!score.has_flag("incomplete") && !score.has_flag("prorated"));
    }

    #[test]
    fn partial_responses_score_without_error_and_stay_within_range(
        (instrument, values) in partial_response()
    ) {
        let score = instrument.score(&values).unwrap();
        if let Some(total) = score.total {
            prop_assert!(within(total, instrument.total_range()), "{}: {total}", instrument.id());
        } else {
            prop_assert!(score.has_flag("incomplete"));
        }
        for (domain, scored) in instrument.domains().iter().zip(&score.domains) {
            if let Some(value) = scored.score {
                prop_assert!(within(value, domain.range()), "{}: {value}", domain.id());
            }
        }
    }

    #[test]
    fn raising_one_item_never_lowers_the_total_or_any_domain(
        (instrument, lower, higher) in response_with_one_item_raised()
    ) {
        let before = instrument.score(&lower).unwrap();
        let after = instrument.score(&higher).unwrap();
        prop_assert!(after.total >= before.total, "{}", instrument.id());
        for (b, a) in before.domains.iter().zip(&after.domains) {
            prop_assert!(a.score >= b.score, "{}", a.id);
        }
    }

    #[test]
    fn raising_one_item_never_moves_the_band_down(
        (instrument, lower, higher) in response_with_one_item_raised()
    ) {
        let before = instrument.score(&lower).unwrap();
        let after = instrument.score(&higher).unwrap();
        prop_assert!(band_rank(instrument, &after) >= band_rank(instrument, &before));
    }

    #[test]
    fn raising_one_item_moves_positive_only_in_the_instruments_direction(
        (instrument, lower, higher) in response_with_one_item_raised()
    ) {
        let before = instrument.score(&lower).unwrap().positive;
        let after = instrument.score(&higher).unwrap().positive;
        match instrument.direction() {
            // More symptoms can only turn a screen on.
            Direction::HigherIsWorse => prop_assert!(!(before == Some(true) && after == Some(false))),
            // Better function can only turn a dysfunction cutoff off.
            Direction::HigherIsBetter => prop_assert!(!(before == Some(false) && after == Some(true))),
        }
    }

    #[test]
    fn values_written_as_text_parse_back_to_the_same_values(
        (instrument, values) in partial_response()
    ) {
        let text = values
            .iter()
            .map(|value| value.map(|v| v.to_string()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(",");
        prop_assert_eq!(instrument.parse_values(&text).unwrap(), values);
    }

    #[test]
    fn fsfi_total_is_exactly_the_tenths_formula(
        values in proptest::collection::vec(0_u8..=5, 19)
    ) {
        let mut values = values;
        for position in [1, 2, 15, 16] {
            values[position - 1] = values[position - 1].max(1);
        }
        let fsfi = catalogue().get("fsfi").unwrap();
        let response: Vec<ItemValue> = values.iter().copied().map(Some).collect();
        let score = fsfi.score(&response).unwrap();
        let sum = |items: &[usize]| items.iter().map(|&i| i64::from(values[i - 1])).sum::<i64>();
        let tenths = 6 * sum(&[1, 2]) + 3 * sum(&[3, 4, 5, 6]) + 3 * sum(&[7, 8, 9, 10])
            + 4 * sum(&[11, 12, 13]) + 4 * sum(&[14, 15, 16]) + 4 * sum(&[17, 18, 19]);
        let expected = Exact::parse_decimal(&format!("{}.{}", tenths / 10, tenths % 10)).unwrap();
        prop_assert_eq!(score.total, Some(expected));
        prop_assert_eq!(score.positive, Some(tenths <= 265));
    }
}
