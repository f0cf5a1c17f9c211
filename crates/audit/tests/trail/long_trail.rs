//! A trail of realistic length verifies, streamed rather than held in memory.

use sensate_audit::{AuditChain, AuditRecord, ChainPosition};

use crate::support::{at, chain, event};

/// Rows made one at a time, as a database cursor would hand them over.
fn stream_of_rows(chain: &AuditChain, n: u64) -> impl Iterator<Item = AuditRecord> + '_ {
    (0..n).scan(ChainPosition::GENESIS, move |after, i| {
        let row = chain.append(*after, event(i), at(i)).unwrap();
        *after = row.position();
        Some(row)
    })
}

#[test]
fn an_untampered_trail_of_ten_thousand_rows_verifies() {
    let chain = chain();
    let last = stream_of_rows(&chain, 10_000).last().unwrap();
    let head = chain.seal(last.position());

    let verified = chain
        .verify(stream_of_rows(&chain, 10_000), Some(&head))
        .unwrap();

    assert_eq!((verified.count, verified.last_seq), (10_000, 10_000));
    assert_eq!(verified.last_hash, last.hash);
}
