//! Random tampering: 1,600 trials over trails of random length, each of which verification
//! must catch and, where the trail makes it knowable, place at the right row.
//!
//! | property | trials |
//! |---|---|
//! | an edited field | 400 |
//! | a deleted row | 200 |
//! | a forged row inserted | 200 |
//! | a copy of a genuine row inserted | 150 |
//! | two rows swapped | 200 |
//! | the tail cut | 150 |
//! | the head rolled back, without and with an old sealed copy | 100 + 100 |
//! | another key | 100 |

use proptest::prelude::*;
use sensate_audit::{ChainBreak, ChainHash, ChainPosition};

use crate::support::{Field, KEY, chain, edit, forged_row, trail_of};

/// A trail length and an index into it.
fn trail_and_row(max_len: u64) -> impl Strategy<Value = (u64, usize)> {
    (1..=max_len).prop_flat_map(|n| (Just(n), 0..n as usize))
}

/// A trail length and two distinct indices, in order.
fn trail_and_two_rows(max_len: u64) -> impl Strategy<Value = (u64, usize, usize)> {
    (2..=max_len).prop_flat_map(|n| {
        (Just(n), 0..n as usize, 0..n as usize)
            .prop_filter("two different rows", |(_, i, j)| i != j)
            .prop_map(|(n, i, j)| (n, i.min(j), i.max(j)))
    })
}

/// Where the head of `rows` is, if they are all that is left.
fn position_after(rows: &[sensate_audit::AuditRecord]) -> ChainPosition {
    rows.last()
        .map_or(ChainPosition::GENESIS, |row| row.position())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_edited_field_is_found_at_the_edited_row(
        (n, i) in trail_and_row(40),
        field in proptest::sample::select(Field::ALL.to_vec()),
        nudge in 1u64..10_000,
    ) {
        let mut trail = trail_of(n);
        edit(&mut trail.rows[i], field, nudge);
        prop_assert_eq!(trail.verify(), Err(ChainBreak::Altered { row: i as u64 + 1 }));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_deleted_row_is_found_where_it_was((n, i) in trail_and_row(40)) {
        let mut trail = trail_of(n);
        trail.rows.remove(i);
        let row = i as u64 + 1;
        let expected = if row == n {
            ChainBreak::Truncated { last_seq: n - 1, head_seq: n }
        } else {
            ChainBreak::Missing { first: row, last: row }
        };
        prop_assert_eq!(trail.verify(), Err(expected));
        prop_assert_eq!(trail.first_bad_row(), Some(row));
    }

    #[test]
    fn any_forged_row_is_found_where_it_was_inserted(
        (n, p) in (0..=40u64).prop_flat_map(|n| (Just(n), 0..=n as usize)),
    ) {
        let mut trail = trail_of(n);
        let forged = forged_row(p as u64 + 1, &position_after(&trail.rows[..p]));
        trail.rows.insert(p, forged);
        prop_assert_eq!(trail.verify(), Err(ChainBreak::Inserted { row: p as u64 + 1 }));
    }

    #[test]
    fn any_two_swapped_rows_are_found_at_the_first((n, i, j) in trail_and_two_rows(40)) {
        let mut trail = trail_of(n);
        trail.rows.swap(i, j);
        prop_assert_eq!(
            trail.verify(),
            Err(ChainBreak::Reordered { row: i as u64 + 1, found: j as u64 + 1 })
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn any_copy_of_a_genuine_row_is_found_where_the_trail_first_goes_wrong(
        (n, copied, p) in (1..=40u64).prop_flat_map(|n| (Just(n), 0..n as usize, 0..=n as usize)),
    ) {
        let mut trail = trail_of(n);
        let copy = trail.rows[copied].clone();
        trail.rows.insert(p, copy);
        let (copied, p) = (copied as u64 + 1, p as u64 + 1);
        // The copy is harmless where it matches the genuine row it stands beside; the trail
        // goes wrong at the first row out of place.
        let expected = if copied < p {
            ChainBreak::Duplicated { row: p, seq: copied }
        } else if copied == p {
            ChainBreak::Duplicated { row: p + 1, seq: copied }
        } else {
            ChainBreak::Reordered { row: p, found: copied }
        };
        prop_assert_eq!(trail.verify(), Err(expected));
    }

    #[test]
    fn any_cut_tail_is_found_at_the_first_row_cut((n, k) in trail_and_row(40)) {
        let mut trail = trail_of(n);
        trail.rows.truncate(k);
        prop_assert_eq!(
            trail.verify(),
            Err(ChainBreak::Truncated { last_seq: k as u64, head_seq: n })
        );
        prop_assert_eq!(trail.first_bad_row(), Some(k as u64 + 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn any_head_rolled_back_without_the_key_is_found(
        (n, k) in trail_and_row(40),
        flip_seal_bit in proptest::option::of(0usize..256),
    ) {
        let mut trail = trail_of(n);
        trail.rows.truncate(k);
        let rolled_back = position_after(&trail.rows);
        let head = trail.head.as_mut().unwrap();
        head.seq = rolled_back.seq;
        head.hash = rolled_back.hash;
        if let Some(bit) = flip_seal_bit {
            let mut seal = *head.seal.as_bytes();
            seal[bit / 8] ^= 1 << (bit % 8);
            head.seal = sensate_audit::HeadSeal::from_bytes(seal);
        }
        prop_assert_eq!(trail.verify(), Err(ChainBreak::HeadForged));
    }

    #[test]
    fn any_older_sealed_head_put_back_is_found_at_the_first_row_it_does_not_cover(
        (n, k) in trail_and_row(40),
    ) {
        let mut trail = trail_of(n);
        trail.head = Some(chain().seal(position_after(&trail.rows[..k])));
        prop_assert_eq!(
            trail.verify(),
            Err(ChainBreak::HeadBehind { head_seq: k as u64, last_seq: n })
        );
        prop_assert_eq!(trail.first_bad_row(), Some(k as u64 + 1));
    }

    #[test]
    fn any_other_key_is_found(
        n in 0..=40u64,
        other_key in any::<[u8; 32]>().prop_filter("another key", |key| *key != KEY),
    ) {
        let trail = trail_of(n);
        let expected = if n == 0 { ChainBreak::HeadForged } else { ChainBreak::WrongKey };
        prop_assert_eq!(trail.verify_with(&other_key), Err(expected));
    }
}

#[test]
fn the_genesis_hash_is_all_zeros() {
    assert_eq!(ChainHash::GENESIS.as_bytes(), &[0; 32]);
}
