//! Rows as database columns: the one mapping both storage backends use.
//!
//! The storage layer reads a row into [`AuditColumns`] (plain values, as SQL gives them) and
//! turns it into an [`AuditRecord`] here, so SQLite and PostgreSQL parse a stored row the
//! same way. A stored value Sensate would never write (an unknown code, a negative sequence
//! number, a 31-byte hash) makes the row unreadable; pass the error to
//! [`Verifier::unreadable`](crate::Verifier::unreadable), since it means the row was altered.
//! Sequence numbers are `i64` because that is what both databases hold (`BIGINT`, SQLite's
//! `INTEGER`); the chain never goes past `i64::MAX`.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    Actor, AuditEvent, AuditRecord, ChainHash, HeadSeal, InvalidField, ObjectType, RecordedAt,
    RequestId, SealedHead,
};

/// An audit row's columns, in the order of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditColumns {
    /// `seq`: 1, 2, 3… with no gaps; the primary key.
    pub seq: i64,
    /// `recorded_at`: UTC, whole microseconds.
    pub recorded_at: OffsetDateTime,
    /// `actor_kind`: an [`ActorKind`](crate::ActorKind) code.
    pub actor_kind: String,
    /// `actor_id`: the user id when the actor is a user.
    pub actor_id: Option<Uuid>,
    /// `practice_id`.
    pub practice_id: Option<Uuid>,
    /// `action`: an [`Action`](crate::Action) code.
    pub action: String,
    /// `object_type`: an [`ObjectType`] code.
    pub object_type: String,
    /// `object_id`.
    pub object_id: Option<Uuid>,
    /// `outcome`: an [`Outcome`](crate::Outcome) code.
    pub outcome: String,
    /// `request_id`.
    pub request_id: Option<String>,
    /// `prev_hash`: 32 bytes.
    pub prev_hash: Vec<u8>,
    /// `hash`: 32 bytes.
    pub hash: Vec<u8>,
}

impl TryFrom<&AuditRecord> for AuditColumns {
    type Error = InvalidField;

    /// The columns to write for a record.
    ///
    /// # Errors
    /// [`InvalidField::Sequence`] if the sequence number is above `i64::MAX`, which a record
    /// made by [`AuditChain::append`](crate::AuditChain::append) never is.
    fn try_from(record: &AuditRecord) -> Result<Self, Self::Error> {
        let event = &record.event;
        Ok(Self {
            seq: i64::try_from(record.seq).map_err(|_| InvalidField::Sequence)?,
            recorded_at: record.recorded_at.as_datetime(),
            actor_kind: event.actor.kind().code().to_owned(),
            actor_id: event.actor.user_id(),
            practice_id: event.practice_id,
            action: event.action.code().to_owned(),
            object_type: event.object_type.as_str().to_owned(),
            object_id: event.object_id,
            outcome: event.outcome.code().to_owned(),
            request_id: event.request_id.as_ref().map(|id| id.as_str().to_owned()),
            prev_hash: record.prev_hash.as_bytes().to_vec(),
            hash: record.hash.as_bytes().to_vec(),
        })
    }
}

impl TryFrom<AuditColumns> for AuditRecord {
    type Error = InvalidField;

    /// The record a stored row holds.
    ///
    /// # Errors
    /// The first column whose value Sensate would never have written.
    fn try_from(columns: AuditColumns) -> Result<Self, Self::Error> {
        let actor = Actor::from_parts(columns.actor_kind.parse()?, columns.actor_id)?;
        Ok(Self {
            seq: stored_seq(columns.seq)
                .filter(|&seq| seq >= 1)
                .ok_or(InvalidField::Sequence)?,
            recorded_at: RecordedAt::new(columns.recorded_at)?,
            event: AuditEvent {
                actor,
                practice_id: columns.practice_id,
                action: columns.action.parse()?,
                object_type: ObjectType::parse(&columns.object_type)?,
                object_id: columns.object_id,
                outcome: columns.outcome.parse()?,
                request_id: columns
                    .request_id
                    .as_deref()
                    .map(RequestId::parse)
                    .transpose()?,
            },
            prev_hash: ChainHash::from_slice(&columns.prev_hash)?,
            hash: ChainHash::from_slice(&columns.hash)?,
        })
    }
}

/// The head row's columns (the table holds exactly one row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadColumns {
    /// `seq`: the last row's sequence number, 0 before the first row.
    pub seq: i64,
    /// `hash`: the last row's hash, 32 bytes.
    pub hash: Vec<u8>,
    /// `seal`: 32 bytes.
    pub seal: Vec<u8>,
}

impl TryFrom<&SealedHead> for HeadColumns {
    type Error = InvalidField;

    /// The columns to write for a head.
    ///
    /// # Errors
    /// [`InvalidField::Sequence`] if the sequence number is above `i64::MAX`.
    fn try_from(head: &SealedHead) -> Result<Self, Self::Error> {
        Ok(Self {
            seq: i64::try_from(head.seq).map_err(|_| InvalidField::Sequence)?,
            hash: head.hash.as_bytes().to_vec(),
            seal: head.seal.as_bytes().to_vec(),
        })
    }
}

impl TryFrom<HeadColumns> for SealedHead {
    type Error = InvalidField;

    /// The head the stored row holds. Its seal is checked by
    /// [`AuditChain::open_head`](crate::AuditChain::open_head) and by verification, not here.
    ///
    /// # Errors
    /// A negative sequence number or a hash or seal that is not 32 bytes.
    fn try_from(columns: HeadColumns) -> Result<Self, Self::Error> {
        Ok(Self {
            seq: stored_seq(columns.seq).ok_or(InvalidField::Sequence)?,
            hash: ChainHash::from_slice(&columns.hash)?,
            seal: HeadSeal::from_slice(&columns.seal)?,
        })
    }
}

fn stored_seq(seq: i64) -> Option<u64> {
    u64::try_from(seq).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::{Action, AuditChain, ChainPosition, Outcome};

    fn stored_row() -> (AuditChain, AuditRecord) {
        let chain = AuditChain::new(&[3; 32]);
        let event = AuditEvent::new(
            Actor::User(Uuid::from_u128(9)),
            Action::Export,
            ObjectType::from_static("client"),
            Outcome::Allowed,
        )
        .in_practice(Uuid::from_u128(1))
        .about(Uuid::from_u128(2))
        .in_request(RequestId::parse("req-1").unwrap());
        let at = RecordedAt::new(datetime!(2026-05-01 12:00:00.000001 UTC)).unwrap();
        let row = chain.append(ChainPosition::GENESIS, event, at).unwrap();
        (chain, row)
    }

    #[test]
    fn a_record_survives_a_round_trip_through_its_columns() {
        let (_, row) = stored_row();
        let columns = AuditColumns::try_from(&row).unwrap();
        assert_eq!(AuditRecord::try_from(columns), Ok(row));
    }

    #[test]
    fn a_head_survives_a_round_trip_through_its_columns() {
        let (chain, row) = stored_row();
        let head = chain.seal(row.position());
        let columns = HeadColumns::try_from(&head).unwrap();
        assert_eq!(SealedHead::try_from(columns), Ok(head));
    }

    #[test]
    fn a_stored_value_sensate_never_writes_makes_the_row_unreadable() {
        let (_, row) = stored_row();
        let columns = AuditColumns::try_from(&row).unwrap();
        type Alteration = fn(&mut AuditColumns);
        let cases: [(Alteration, InvalidField); 6] = [
            (|c| c.seq = 0, InvalidField::Sequence),
            (
                |c| c.action = "peek".into(),
                InvalidField::UnknownCode("action"),
            ),
            (
                |c| c.object_type = "Client notes".into(),
                InvalidField::ObjectType,
            ),
            (|c| c.actor_id = None, InvalidField::Actor),
            (|c| c.hash.truncate(31), InvalidField::HashLength),
            (
                |c| c.recorded_at = c.recorded_at.replace_nanosecond(1).unwrap(),
                InvalidField::SubMicrosecondTime,
            ),
        ];
        for (alter, expected) in cases {
            let mut altered = columns.clone();
            alter(&mut altered);
            assert_eq!(AuditRecord::try_from(altered), Err(expected));
        }
    }
}
