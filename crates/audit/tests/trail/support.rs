//! Trails to tamper with, built the way the storage layer builds them.

use sensate_audit::{
    Action, Actor, AuditChain, AuditEvent, AuditRecord, ChainBreak, ChainPosition, ObjectType,
    Outcome, RecordedAt, RequestId, SealedHead, VerifiedChain,
};
use uuid::Uuid;

/// The key the trails in these tests are written under.
pub const KEY: [u8; 32] = [0x5e; 32];

/// Another key: the wrong one, or an attacker's.
pub const OTHER_KEY: [u8; 32] = [0xa7; 32];

pub fn chain() -> AuditChain {
    AuditChain::new(&KEY)
}

/// A varied event: every actor kind, with and without each optional field.
pub fn event(i: u64) -> AuditEvent {
    let actor = match i % 4 {
        0 => Actor::Anonymous,
        1 => Actor::System,
        _ => Actor::User(Uuid::from_u128(
            0x0195_0000_0000_7000_8000_0000_0000_0000 + u128::from(i % 7),
        )),
    };
    let action = Action::ALL[(i as usize) % Action::ALL.len()];
    let outcome = Outcome::ALL[(i as usize / 3) % Outcome::ALL.len()];
    let object_type = ["client", "session_note", "intake", "homework.plan"][(i as usize) % 4];
    let mut event = AuditEvent::new(
        actor,
        action,
        ObjectType::parse(object_type).unwrap(),
        outcome,
    );
    if !i.is_multiple_of(5) {
        event = event.in_practice(Uuid::from_u128(0xfeed + u128::from(i % 2)));
    }
    if !i.is_multiple_of(3) {
        event = event.about(Uuid::from_u128(0x1000 + u128::from(i)));
    }
    if i.is_multiple_of(2) {
        event = event.in_request(RequestId::from(Uuid::from_u128(0x2000 + u128::from(i))));
    }
    event
}

/// The time row `i` is recorded at: roughly a second apart, from 2026-01-01.
pub fn at(i: u64) -> RecordedAt {
    RecordedAt::from_unix_micros(1_767_225_600_000_000 + (i as i64) * 1_000_123).unwrap()
}

/// A trail as stored: its rows in stored order, and its head row (if any).
#[derive(Clone, Debug)]
pub struct Trail {
    pub rows: Vec<AuditRecord>,
    pub head: Option<SealedHead>,
}

impl Trail {
    pub fn verify(&self) -> Result<VerifiedChain, ChainBreak> {
        chain().verify(&self.rows, self.head.as_ref())
    }

    pub fn verify_with(&self, key: &[u8; 32]) -> Result<VerifiedChain, ChainBreak> {
        AuditChain::new(key).verify(&self.rows, self.head.as_ref())
    }

    /// The first bad row verification reports; panics if the trail verifies.
    pub fn first_bad_row(&self) -> Option<u64> {
        match self.verify() {
            Ok(verified) => panic!("tampering went unnoticed: {verified:?}"),
            Err(found) => found.first_bad_row(),
        }
    }
}

/// A trail of `n` rows with its sealed head, written the way the storage layer writes it.
pub fn trail_of(n: u64) -> Trail {
    trail_under(&chain(), n, 0)
}

/// A trail of `n` rows under `chain`, its events starting at `first_event` (so two trails
/// under one key can differ).
pub fn trail_under(chain: &AuditChain, n: u64, first_event: u64) -> Trail {
    let mut head = chain.seal(ChainPosition::GENESIS);
    let mut rows = Vec::new();
    for i in 0..n {
        let after = chain.open_head(&head).unwrap();
        let row = chain.append(after, event(first_event + i), at(i)).unwrap();
        head = chain.seal(row.position());
        rows.push(row);
    }
    Trail {
        rows,
        head: Some(head),
    }
}

/// A plausible forgery of row `seq`: the right number and the right previous hash, hashed
/// under a key that is not the trail's.
pub fn forged_row(seq: u64, after: &ChainPosition) -> AuditRecord {
    let forger = AuditChain::new(&OTHER_KEY);
    forger
        .append(
            ChainPosition {
                seq: seq - 1,
                hash: after.hash,
            },
            event(seq + 1_000),
            at(seq),
        )
        .unwrap()
}

/// One field of a stored row.
#[derive(Clone, Copy, Debug)]
pub enum Field {
    Seq,
    RecordedAt,
    Actor,
    Practice,
    Action,
    ObjectType,
    ObjectId,
    Outcome,
    RequestId,
    PrevHash,
    Hash,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Seq,
        Field::RecordedAt,
        Field::Actor,
        Field::Practice,
        Field::Action,
        Field::ObjectType,
        Field::ObjectId,
        Field::Outcome,
        Field::RequestId,
        Field::PrevHash,
        Field::Hash,
    ];
}

/// Changes one field of `row` to a different value; `nudge` picks which different value.
pub fn edit(row: &mut AuditRecord, field: Field, nudge: u64) {
    let nudge = nudge.max(1);
    let other_id = |id: Option<Uuid>| match id {
        Some(_) if nudge.is_multiple_of(2) => None,
        Some(id) => Some(Uuid::from_u128(id.as_u128() ^ u128::from(nudge))),
        None => Some(Uuid::from_u128(u128::from(nudge))),
    };
    let flip_bit = |bytes: &[u8; 32]| {
        let mut bytes = *bytes;
        let bit = (nudge % 256) as usize;
        bytes[bit / 8] ^= 1 << (bit % 8);
        bytes
    };
    let event = &mut row.event;
    match field {
        Field::Seq => row.seq = row.seq.wrapping_add(nudge),
        Field::RecordedAt => {
            row.recorded_at =
                RecordedAt::from_unix_micros(row.recorded_at.unix_micros() + nudge as i64).unwrap()
        }
        Field::Actor => {
            event.actor = match event.actor {
                Actor::User(id) => match other_id(Some(id)) {
                    Some(other) => Actor::User(other),
                    None => Actor::System,
                },
                Actor::Anonymous => Actor::User(Uuid::from_u128(u128::from(nudge))),
                Actor::System => Actor::Anonymous,
            }
        }
        Field::Practice => event.practice_id = other_id(event.practice_id),
        Field::Action => {
            let index = Action::ALL.iter().position(|&a| a == event.action).unwrap();
            let step = 1 + (nudge as usize) % (Action::ALL.len() - 1);
            event.action = Action::ALL[(index + step) % Action::ALL.len()];
        }
        Field::ObjectType => {
            let renamed = format!("{}x", event.object_type);
            event.object_type = ObjectType::parse(&renamed).unwrap();
        }
        Field::ObjectId => event.object_id = other_id(event.object_id),
        Field::Outcome => {
            let index = Outcome::ALL
                .iter()
                .position(|&o| o == event.outcome)
                .unwrap();
            let step = 1 + (nudge as usize) % (Outcome::ALL.len() - 1);
            event.outcome = Outcome::ALL[(index + step) % Outcome::ALL.len()];
        }
        Field::RequestId => {
            event.request_id = match &event.request_id {
                Some(_) if nudge.is_multiple_of(2) => None,
                Some(id) => Some(RequestId::parse(&format!("{id}x")).unwrap()),
                None => Some(RequestId::parse(&format!("r{nudge}")).unwrap()),
            }
        }
        Field::PrevHash => {
            row.prev_hash = sensate_audit::ChainHash::from_bytes(flip_bit(row.prev_hash.as_bytes()))
        }
        Field::Hash => {
            row.hash = sensate_audit::ChainHash::from_bytes(flip_bit(row.hash.as_bytes()))
        }
    }
}
