//! Appending: numbering, linking and sealing, as the storage layer will use them.

use sensate_audit::{AppendError, AuditChain, ChainHash, ChainPosition};

use crate::support::{KEY, at, chain, event, trail_of};

#[test]
fn the_first_row_is_number_one_and_follows_the_all_zero_hash() {
    let row = chain()
        .append(ChainPosition::GENESIS, event(0), at(0))
        .unwrap();
    assert_eq!(row.seq, 1);
    assert_eq!(row.prev_hash, ChainHash::GENESIS);
    assert_ne!(row.hash, ChainHash::GENESIS);
}

#[test]
fn each_row_has_the_next_number_and_follows_the_one_before() {
    let trail = trail_of(20);
    for (before, row) in trail.rows.iter().zip(&trail.rows[1..]) {
        assert_eq!(row.seq, before.seq + 1);
        assert_eq!(row.prev_hash, before.hash);
    }
}

#[test]
fn the_head_after_an_append_opens_to_that_rows_position() {
    let chain = chain();
    let row = chain
        .append(ChainPosition::GENESIS, event(1), at(1))
        .unwrap();
    let head = chain.seal(row.position());
    assert_eq!(chain.open_head(&head), Ok(row.position()));
}

#[test]
fn the_same_event_at_the_same_place_always_gets_the_same_hash() {
    let first = chain()
        .append(ChainPosition::GENESIS, event(3), at(3))
        .unwrap();
    let again = AuditChain::new(&KEY)
        .append(ChainPosition::GENESIS, event(3), at(3))
        .unwrap();
    assert_eq!(first, again);
}

#[test]
fn the_same_event_under_another_key_gets_another_hash() {
    let ours = chain()
        .append(ChainPosition::GENESIS, event(3), at(3))
        .unwrap();
    let theirs = AuditChain::new(&[1; 32])
        .append(ChainPosition::GENESIS, event(3), at(3))
        .unwrap();
    assert_ne!(ours.hash, theirs.hash);
}

#[test]
fn nothing_is_appended_after_the_largest_sequence_a_database_column_holds() {
    let last = ChainPosition {
        seq: i64::MAX as u64,
        hash: ChainHash::GENESIS,
    };
    assert_eq!(
        chain().append(last, event(0), at(0)),
        Err(AppendError::TrailFull)
    );
    let before_last = ChainPosition {
        seq: last.seq - 1,
        ..last
    };
    assert_eq!(
        chain().append(before_last, event(0), at(0)).unwrap().seq,
        last.seq
    );
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let shown = format!("{:?}", chain());
    assert_eq!(shown, "AuditChain { key: <redacted> }");
}
