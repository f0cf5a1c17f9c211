//! Contract scenarios for the audit trail.

use std::sync::Arc;

use sensate_audit::{
    Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome, RequestId, VerifiedChain,
};
use time::Duration;
use uuid::Uuid;

use crate::{AuditQuery, Store};

const NOTE: ObjectType = ObjectType::from_static("session_note");

fn chain() -> AuditChain {
    AuditChain::new(&[7; 32])
}

fn event(actor: Uuid, practice: Uuid, action: Action, object: Uuid) -> AuditEvent {
    AuditEvent::new(Actor::User(actor), action, NOTE, Outcome::Allowed)
        .in_practice(practice)
        .about(object)
        .in_request(RequestId::parse("req-1").expect("valid"))
}

fn verified(result: Result<VerifiedChain, sensate_audit::ChainBreak>) -> VerifiedChain {
    result.unwrap_or_else(|broken| panic!("the trail should verify: {broken}"))
}

/// A fresh installation's trail holds nothing and verifies; starting twice is harmless.
pub async fn a_new_audit_trail_is_empty_and_verifies(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    store.start_audit_trail(&chain).await.expect("start again");
    let result = store.verify_audit_trail(&chain).await.expect("verify");
    assert_eq!(verified(result).count, 0);
}

/// Rows chain in order, verify, and can be filtered for the owner's audit page.
pub async fn recorded_events_chain_verify_and_filter(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let (practice, other_practice) = (Uuid::now_v7(), Uuid::now_v7());
    let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
    let (note_a, note_b) = (Uuid::now_v7(), Uuid::now_v7());
    let start = sensate_domain::clock::now();
    let script = [
        (alice, practice, Action::Create, note_a),
        (alice, practice, Action::Read, note_a),
        (bob, practice, Action::Read, note_b),
        (bob, other_practice, Action::Update, note_b),
    ];
    for (i, (actor, in_practice, action, object)) in script.into_iter().enumerate() {
        let at = start + Duration::seconds(i64::try_from(i).expect("small"));
        let row = store
            .record(&chain, event(actor, in_practice, action, object), at)
            .await
            .expect("record");
        assert_eq!(row.seq, u64::try_from(i + 1).expect("small"));
    }
    let result = store.verify_audit_trail(&chain).await.expect("verify");
    assert_eq!(verified(result).count, 4);

    let in_practice = |extra: fn(&mut AuditQuery)| {
        let mut query = AuditQuery {
            practice_id: Some(practice),
            limit: 50,
            ..AuditQuery::default()
        };
        extra(&mut query);
        query
    };
    let seqs =
        |rows: Vec<sensate_audit::AuditRecord>| rows.iter().map(|r| r.seq).collect::<Vec<_>>();
    let all = store.audit_events(&in_practice(|_| {})).await.expect("all");
    assert_eq!(seqs(all), vec![3, 2, 1], "newest first, own practice only");

    let mut by_bob = in_practice(|_| {});
    by_bob.actor_id = Some(bob);
    assert_eq!(seqs(store.audit_events(&by_bob).await.unwrap()), vec![3]);

    let mut about_a = in_practice(|_| {});
    about_a.object_id = Some(note_a);
    assert_eq!(
        seqs(store.audit_events(&about_a).await.unwrap()),
        vec![2, 1]
    );

    let mut reads = in_practice(|_| {});
    reads.action = Some("read".into());
    assert_eq!(seqs(store.audit_events(&reads).await.unwrap()), vec![3, 2]);

    let mut window = in_practice(|_| {});
    window.from = Some(start + Duration::seconds(1));
    window.until = Some(start + Duration::seconds(2));
    assert_eq!(seqs(store.audit_events(&window).await.unwrap()), vec![2]);

    let mut page = in_practice(|_| {});
    page.limit = 1;
    page.before_seq = Some(3);
    assert_eq!(seqs(store.audit_events(&page).await.unwrap()), vec![2]);
}

/// Many requests at once still make one unbroken chain (appends serialise on the head).
pub async fn concurrent_appends_never_fork_the_chain(store: &dyn Store) {
    let chain = Arc::new(chain());
    store.start_audit_trail(&chain).await.expect("start");
    let practice = Uuid::now_v7();
    let appends = (0..24).map(|_| {
        let chain = chain.clone();
        async move {
            store
                .record(
                    &chain,
                    event(Uuid::now_v7(), practice, Action::Read, Uuid::now_v7()),
                    sensate_domain::clock::now(),
                )
                .await
                .expect("record")
        }
    });
    let rows = futures_join_all(appends).await;
    let mut seqs: Vec<u64> = rows.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=24).collect::<Vec<_>>());
    let result = store.verify_audit_trail(&chain).await.expect("verify");
    assert_eq!(verified(result).count, 24);
}

/// Polls every future to completion concurrently (the store crate has no futures crate).
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for future in futures {
        set.push(Box::pin(future));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, future) in outputs.iter_mut().zip(set.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(output) => *slot = Some(output),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
