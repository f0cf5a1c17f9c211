//! Contract scenarios for case messages.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::couple;
use crate::{Audited, MessageReader, MessageRecord, Store};

const MESSAGE: ObjectType = ObjectType::from_static("message");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn row(chain: &AuditChain) -> Audited<'_> {
    Audited {
        chain,
        events: vec![AuditEvent::new(
            Actor::System,
            Action::Create,
            MESSAGE,
            Outcome::Allowed,
        )],
        at: now(),
    }
}

/// A partner reads the case's messages and their own private ones, never the other
/// partner's; the clinician reads all; a private message shared with the case is then
/// everyone's, once; read marks only move forwards.
pub async fn a_private_message_reaches_only_its_partner_until_shared(store: &dyn Store) {
    let (practice, clinician, case, [a, b]) = couple(store, 1).await;
    let chain = AuditChain::new(&[11; 32]);
    let (a_client, b_client) = (case.clients[0], case.clients[1]);
    let start = now();
    let message = |private_to, author, offset: i64, text: u8| MessageRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        private_to,
        author_id: author,
        body_sealed: vec![text; 24],
        sent_at: start + Duration::minutes(offset),
        shared_at: None,
    };
    let to_both = message(None, clinician, 0, 1);
    let from_a = message(Some(a_client), a.id, 1, 2);
    let to_b = message(Some(b_client), clinician, 2, 3);
    for sent in [&to_both, &from_a, &to_b] {
        store.send_message(sent, row(&chain)).await.expect("send");
    }

    let everything = store
        .case_messages(case.id, MessageReader::Clinician)
        .await
        .expect("read");
    assert_eq!(
        everything,
        vec![to_both.clone(), from_a.clone(), to_b.clone()]
    );
    let for_a = store
        .case_messages(case.id, MessageReader::Client(a_client))
        .await
        .expect("read");
    assert_eq!(for_a, vec![to_both.clone(), from_a.clone()]);
    let for_b = store
        .case_messages(case.id, MessageReader::Client(b_client))
        .await
        .expect("read");
    assert_eq!(for_b, vec![to_both.clone(), to_b.clone()]);

    let shared_at = start + Duration::minutes(10);
    assert!(
        store
            .share_message(case.id, from_a.id, shared_at, row(&chain))
            .await
            .expect("share")
    );
    assert!(
        !store
            .share_message(case.id, from_a.id, shared_at, row(&chain))
            .await
            .expect("share again"),
        "already the case's"
    );
    assert!(
        !store
            .share_message(case.id, to_both.id, shared_at, row(&chain))
            .await
            .expect("share a case message"),
        "a case message is not private"
    );
    assert!(
        !store
            .share_message(case.id, Uuid::now_v7(), shared_at, row(&chain))
            .await
            .expect("share nothing")
    );
    let for_b = store
        .case_messages(case.id, MessageReader::Client(b_client))
        .await
        .expect("read");
    assert_eq!(for_b.len(), 3);
    assert_eq!(for_b[1].id, from_a.id);
    assert_eq!(for_b[1].private_to, None);
    assert_eq!(for_b[1].shared_at, Some(shared_at));

    assert_eq!(
        store.messages_read_at(b.id, case.id).await.expect("read"),
        None
    );
    store
        .mark_messages_read(b.id, case.id, start + Duration::minutes(5))
        .await
        .expect("mark");
    store
        .mark_messages_read(b.id, case.id, start + Duration::minutes(1))
        .await
        .expect("mark earlier");
    assert_eq!(
        store.messages_read_at(b.id, case.id).await.expect("read"),
        Some(start + Duration::minutes(5)),
        "never backwards"
    );
    assert_eq!(
        store.messages_read_at(a.id, case.id).await.expect("read"),
        None
    );
}
