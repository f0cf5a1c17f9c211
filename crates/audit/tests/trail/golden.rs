//! The encoding is frozen: a fixed row under a fixed key has a fixed hash. If one of these
//! fails, the encoding changed and every stored trail would stop verifying; make a new
//! format version instead (see `docs/audit.md`).
//!
//! The expected values were computed independently of this crate, from the layout written
//! in `docs/audit.md`, with Python's `hmac` and `hashlib` (the script is in that document).

use sensate_audit::{
    Action, Actor, AuditChain, AuditEvent, ChainPosition, ObjectType, Outcome, RecordedAt,
    RequestId,
};
use time::macros::datetime;
use uuid::uuid;

fn golden_chain() -> AuditChain {
    let mut key = [0; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = i as u8;
    }
    AuditChain::new(&key)
}

fn every_field_present() -> AuditEvent {
    AuditEvent::new(
        Actor::User(uuid!("0195f3a2-7c1e-7d4b-9a10-2b3c4d5e6f70")),
        Action::Read,
        ObjectType::from_static("session_note"),
        Outcome::Allowed,
    )
    .in_practice(uuid!("0195f3a2-0000-7000-8000-000000000001"))
    .about(uuid!("0195f3a2-1111-7111-8111-111111111111"))
    .in_request(RequestId::parse("req-42").unwrap())
}

fn no_optional_field() -> AuditEvent {
    AuditEvent::new(
        Actor::Anonymous,
        Action::SignInFailed,
        ObjectType::from_static("account"),
        Outcome::Denied,
    )
}

#[test]
fn the_hashes_of_a_known_trail_never_change() {
    let chain = golden_chain();
    let first = chain
        .append(
            ChainPosition::GENESIS,
            every_field_present(),
            RecordedAt::new(datetime!(2026-01-02 03:04:05.678901 UTC)).unwrap(),
        )
        .unwrap();
    let second = chain
        .append(
            first.position(),
            no_optional_field(),
            RecordedAt::new(datetime!(2026-01-02 03:04:06 UTC)).unwrap(),
        )
        .unwrap();
    let head = chain.seal(second.position());

    assert_eq!(
        first.hash.to_string(),
        "80d2e4509b34966d6fbb089d738a594fd44b828dc6e01662cca952c87994275c"
    );
    assert_eq!(
        second.hash.to_string(),
        "fc76056d43d640d623cbc42e4f0f797f28daa1448c460d830b8826c42a55ccca"
    );
    assert_eq!(
        head.seal.to_string(),
        "f99e57435863897456ff8b1e83bcc3505c93ce0fa01730d75ed3704d9e90192c"
    );
}
