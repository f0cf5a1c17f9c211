//! Each way of tampering with a trail, once, with the report an operator would read.

use sensate_audit::{ChainBreak, ChainHash, ChainPosition, InvalidField};

use crate::support::{Field, OTHER_KEY, Trail, chain, edit, forged_row, trail_of, trail_under};

#[test]
fn an_untampered_trail_verifies() {
    let verified = trail_of(25).verify().unwrap();
    assert_eq!((verified.count, verified.last_seq), (25, 25));
    assert_eq!(verified.last_hash, trail_of(25).rows[24].hash);
}

#[test]
fn a_new_trail_with_only_its_genesis_head_verifies_as_empty() {
    let verified = trail_of(0).verify().unwrap();
    assert_eq!(
        (verified.count, verified.last_hash),
        (0, ChainHash::GENESIS)
    );
}

#[test]
fn a_trail_with_neither_rows_nor_head_verifies_as_empty() {
    let fresh = Trail {
        rows: vec![],
        head: None,
    };
    assert_eq!(fresh.verify().unwrap().count, 0);
}

#[test]
fn editing_any_field_of_a_row_is_reported_as_that_row_altered() {
    for field in Field::ALL {
        let mut trail = trail_of(6);
        edit(&mut trail.rows[2], field, 1);
        assert_eq!(
            trail.verify(),
            Err(ChainBreak::Altered { row: 3 }),
            "{field:?}"
        );
    }
}

#[test]
fn an_altered_row_is_reported_in_words_an_operator_can_act_on() {
    let mut trail = trail_of(1_600);
    edit(&mut trail.rows[1_531], Field::Outcome, 1);
    let found = trail.verify().unwrap_err();
    assert_eq!(found.first_bad_row(), Some(1_532));
    assert!(
        found
            .to_string()
            .starts_with("audit row 1532 was altered after it was written"),
        "{found}"
    );
}

#[test]
fn deleting_a_row_is_reported_as_that_row_missing() {
    let mut trail = trail_of(8);
    trail.rows.remove(4);
    let found = trail.verify().unwrap_err();
    assert_eq!(found, ChainBreak::Missing { first: 5, last: 5 });
    assert_eq!(
        found.to_string(),
        "audit row 5 is missing: it was deleted (or moved later in the trail)"
    );
}

#[test]
fn deleting_several_rows_in_a_run_names_the_whole_run() {
    let mut trail = trail_of(8);
    trail.rows.drain(2..5);
    assert_eq!(
        trail.verify(),
        Err(ChainBreak::Missing { first: 3, last: 5 })
    );
}

#[test]
fn deleting_the_last_row_is_reported_as_a_cut_tail() {
    let mut trail = trail_of(8);
    trail.rows.pop();
    let found = trail.verify().unwrap_err();
    assert_eq!(
        found,
        ChainBreak::Truncated {
            last_seq: 7,
            head_seq: 8
        }
    );
    assert_eq!(found.first_bad_row(), Some(8));
}

#[test]
fn inserting_a_forged_row_is_reported_where_it_sits() {
    let mut trail = trail_of(8);
    let forged = forged_row(4, &trail.rows[2].position());
    trail.rows.insert(3, forged);
    let found = trail.verify().unwrap_err();
    assert_eq!(found, ChainBreak::Inserted { row: 4 });
    assert_eq!(
        found.to_string(),
        "a row that Sensate did not write was inserted into the audit trail at row 4"
    );
}

#[test]
fn a_forged_row_after_the_last_is_reported_as_inserted() {
    let mut trail = trail_of(8);
    let forged = forged_row(9, &trail.rows[7].position());
    trail.rows.push(forged);
    assert_eq!(trail.verify(), Err(ChainBreak::Inserted { row: 9 }));
}

#[test]
fn a_forged_first_row_is_reported_as_inserted() {
    let mut trail = trail_of(3);
    trail.rows.insert(0, forged_row(1, &ChainPosition::GENESIS));
    assert_eq!(trail.verify(), Err(ChainBreak::Inserted { row: 1 }));
}

#[test]
fn inserting_a_copy_of_an_earlier_row_is_reported_as_a_duplicate() {
    let mut trail = trail_of(8);
    let copy = trail.rows[1].clone();
    trail.rows.insert(5, copy);
    let found = trail.verify().unwrap_err();
    assert_eq!(found, ChainBreak::Duplicated { row: 6, seq: 2 });
    assert_eq!(
        found.to_string(),
        "audit row 2 appears a second time, at row 6: a copy was inserted"
    );
}

#[test]
fn swapping_two_rows_is_reported_as_reordered_at_the_first() {
    let mut trail = trail_of(8);
    trail.rows.swap(2, 6);
    let found = trail.verify().unwrap_err();
    assert_eq!(found, ChainBreak::Reordered { row: 3, found: 7 });
    assert_eq!(
        found.to_string(),
        "audit rows were reordered: row 7 is stored where row 3 should be"
    );
}

#[test]
fn swapping_neighbouring_rows_is_reported_as_reordered() {
    let mut trail = trail_of(8);
    trail.rows.swap(3, 4);
    assert_eq!(
        trail.verify(),
        Err(ChainBreak::Reordered { row: 4, found: 5 })
    );
}

#[test]
fn cutting_the_tail_is_reported_at_the_first_row_cut() {
    let mut trail = trail_of(10);
    trail.rows.truncate(6);
    let found = trail.verify().unwrap_err();
    assert_eq!(
        found,
        ChainBreak::Truncated {
            last_seq: 6,
            head_seq: 10
        }
    );
    assert_eq!(found.first_bad_row(), Some(7));
    assert_eq!(
        found.to_string(),
        "the audit trail ends at row 6 but its head says it reached row 10: rows 7 to 10 were deleted"
    );
}

#[test]
fn deleting_every_row_is_reported_against_the_head() {
    let mut trail = trail_of(10);
    trail.rows.clear();
    let found = trail.verify().unwrap_err();
    assert_eq!(
        found,
        ChainBreak::Truncated {
            last_seq: 0,
            head_seq: 10
        }
    );
    assert_eq!(found.first_bad_row(), Some(1));
}

#[test]
fn rolling_the_head_back_without_the_key_is_reported_as_forged() {
    let mut trail = trail_of(10);
    trail.rows.truncate(6);
    let head = trail.head.as_mut().unwrap();
    head.seq = 6;
    head.hash = trail.rows[5].hash;
    let found = trail.verify().unwrap_err();
    assert_eq!(found, ChainBreak::HeadForged);
    assert_eq!(found.first_bad_row(), None);
}

#[test]
fn putting_back_an_older_head_is_reported_at_the_first_row_it_does_not_cover() {
    let mut trail = trail_of(10);
    trail.head = Some(chain().seal(trail.rows[5].position()));
    let found = trail.verify().unwrap_err();
    assert_eq!(
        found,
        ChainBreak::HeadBehind {
            head_seq: 6,
            last_seq: 10
        }
    );
    assert_eq!(found.first_bad_row(), Some(7));
}

#[test]
fn rows_without_a_head_are_reported_as_a_missing_head() {
    let mut trail = trail_of(3);
    trail.head = None;
    assert_eq!(trail.verify(), Err(ChainBreak::HeadMissing { last_seq: 3 }));
}

#[test]
fn verifying_with_another_key_is_reported_as_the_wrong_key() {
    let found = trail_of(5).verify_with(&OTHER_KEY).unwrap_err();
    assert_eq!(found, ChainBreak::WrongKey);
    assert_eq!(found.first_bad_row(), Some(1));
    assert_eq!(
        trail_of(0).verify_with(&OTHER_KEY),
        Err(ChainBreak::HeadForged)
    );
}

#[test]
fn rows_of_another_trail_under_the_same_key_are_reported_as_a_fork() {
    let mut trail = trail_of(6);
    let other = trail_under(&chain(), 6, 500);
    trail.rows.truncate(3);
    trail.rows.extend(other.rows[3..].iter().cloned());
    trail.head = other.head;
    assert_eq!(trail.verify(), Err(ChainBreak::Forked { row: 4 }));
}

#[test]
fn a_head_from_another_trail_under_the_same_key_is_reported_as_a_mismatch() {
    let mut trail = trail_of(6);
    trail.head = trail_under(&chain(), 6, 500).head;
    assert_eq!(trail.verify(), Err(ChainBreak::HeadMismatch { row: 6 }));
}

#[test]
fn a_row_that_cannot_be_read_is_reported_at_its_place() {
    let trail = trail_of(5);
    let chain = chain();
    let mut verifier = chain.verifier(trail.head);
    for row in &trail.rows[..2] {
        verifier.check(row).unwrap();
    }
    let found = verifier.unreadable(InvalidField::UnknownCode("action"));
    assert_eq!(
        found.to_string(),
        "audit row 3 cannot be read (unknown action code): it was altered after it was written"
    );
    assert_eq!(verifier.finish(), Err(found));
}

#[test]
fn after_a_break_the_verifier_keeps_reporting_the_first_one() {
    let mut trail = trail_of(6);
    edit(&mut trail.rows[1], Field::Hash, 3);
    edit(&mut trail.rows[4], Field::Action, 1);
    let chain = chain();
    let mut verifier = chain.verifier(trail.head);
    let reports: Vec<_> = trail
        .rows
        .iter()
        .filter_map(|row| verifier.check(row).err())
        .collect();
    assert!(
        reports
            .iter()
            .all(|found| *found == ChainBreak::Altered { row: 2 })
    );
    assert_eq!(verifier.finish(), Err(ChainBreak::Altered { row: 2 }));
}

#[test]
fn a_tampered_head_is_refused_before_anything_is_appended_after_it() {
    let mut head = trail_of(4).head.unwrap();
    head.seq = 2;
    assert_eq!(chain().open_head(&head), Err(ChainBreak::HeadForged));
}

/// The residual risk `docs/audit.md` describes: the head catches a cut tail, but not an
/// older copy of the rows and the head put back together. Only a checkpoint kept outside
/// the database (the last hash, printed by `sensate audit verify`) catches that.
#[test]
fn rows_and_head_rolled_back_together_verify_and_only_a_checkpoint_catches_it() {
    let earlier = trail_of(6);
    let later = trail_of(10);
    let checkpoint = later.verify().unwrap();
    let rolled_back = earlier.verify().unwrap();
    assert_ne!(rolled_back.last_seq, checkpoint.last_seq);
    assert_eq!(rolled_back.last_hash, later.rows[5].hash);
}
