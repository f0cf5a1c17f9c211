//! The canonical bytes a row and a head are hashed over.
//!
//! One byte string per row, the same on every machine and in every version that keeps
//! [`ROW_FORMAT`]: fields in a fixed order, integers big-endian at fixed width, text as a
//! 4-byte big-endian length then the bytes, an optional value as one byte (0 absent, 1
//! present) then the value. Codes are hashed as their text, not as enum positions, so
//! reordering a Rust enum cannot change a hash. No two different rows encode alike, so no
//! edit can keep a row's hash.
//!
//! Row (after the 32-byte previous hash, which comes first in the MAC input):
//!
//! | field | bytes |
//! |---|---|
//! | format tag `sensate.audit.row.v1` | text |
//! | seq | u64 |
//! | recorded at, microseconds since 1970 UTC | i64 |
//! | actor kind code | text |
//! | actor user id | optional 16-byte uuid |
//! | practice id | optional 16-byte uuid |
//! | action code | text |
//! | object type code | text |
//! | object id | optional 16-byte uuid |
//! | outcome code | text |
//! | request id | optional text |
//!
//! Head: format tag `sensate.audit.head.v1` (text), seq (u64), hash (32 bytes) — 65 bytes.
//! A row's MAC input is longer than 65 bytes, so a head seal can never be passed off as a
//! row hash or the reverse.
//!
//! A change to any of this is a new format (a new tag, `v2`), and stored rows must say which
//! format they were written in; `docs/audit.md` describes how.

use uuid::Uuid;

use crate::{AuditEvent, ChainPosition, RecordedAt};

/// The tag at the start of every row encoding: the format's name and version.
pub const ROW_FORMAT: &str = "sensate.audit.row.v1";

/// The tag at the start of every head encoding.
pub const HEAD_FORMAT: &str = "sensate.audit.head.v1";

/// The canonical bytes of a row: what its hash covers, after the previous hash.
pub fn canonical_row(seq: u64, recorded_at: &RecordedAt, event: &AuditEvent) -> Vec<u8> {
    let mut out = Canonical(Vec::with_capacity(256));
    out.text(ROW_FORMAT);
    out.u64(seq);
    out.i64(recorded_at.unix_micros());
    out.text(event.actor.kind().code());
    out.optional_uuid(event.actor.user_id());
    out.optional_uuid(event.practice_id);
    out.text(event.action.code());
    out.text(event.object_type.as_str());
    out.optional_uuid(event.object_id);
    out.text(event.outcome.code());
    out.optional_text(event.request_id.as_ref().map(|id| id.as_str()));
    out.0
}

/// The canonical bytes of a head: what its seal covers.
pub fn canonical_head(position: ChainPosition) -> Vec<u8> {
    let mut out = Canonical(Vec::with_capacity(65));
    out.text(HEAD_FORMAT);
    out.u64(position.seq);
    out.0.extend_from_slice(position.hash.as_bytes());
    out.0
}

struct Canonical(Vec<u8>);

impl Canonical {
    fn u64(&mut self, value: u64) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }

    fn i64(&mut self, value: i64) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }

    fn text(&mut self, text: &str) {
        // Every text encoded here is a format tag, a code (at most 40 bytes) or a request id
        // (at most 64 bytes), so the length always fits in a u32; saturating would only
        // matter for a 4 GiB string, which no type in this crate can hold.
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn optional_text(&mut self, text: Option<&str>) {
        match text {
            None => self.0.push(0),
            Some(text) => {
                self.0.push(1);
                self.text(text);
            }
        }
    }

    fn optional_uuid(&mut self, id: Option<Uuid>) {
        match id {
            None => self.0.push(0),
            Some(id) => {
                self.0.push(1);
                self.0.extend_from_slice(id.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::{Action, Actor, ChainHash, ObjectType, Outcome};

    fn smallest_event() -> AuditEvent {
        AuditEvent::new(
            Actor::System,
            Action::Read,
            ObjectType::from_static("x"),
            Outcome::Denied,
        )
    }

    #[test]
    fn a_row_encodes_its_fields_in_the_documented_layout() {
        let at = RecordedAt::new(datetime!(1970-01-01 00:00:00.000001 UTC)).unwrap();
        let bytes = canonical_row(7, &at, &smallest_event());
        let mut expected = Vec::new();
        expected.extend_from_slice(&[0, 0, 0, 20]);
        expected.extend_from_slice(b"sensate.audit.row.v1");
        expected.extend_from_slice(&7u64.to_be_bytes());
        expected.extend_from_slice(&1i64.to_be_bytes());
        expected.extend_from_slice(&[0, 0, 0, 6]);
        expected.extend_from_slice(b"system");
        expected.extend_from_slice(&[0, 0]); // no user id, no practice
        expected.extend_from_slice(&[0, 0, 0, 4]);
        expected.extend_from_slice(b"read");
        expected.extend_from_slice(&[0, 0, 0, 1]);
        expected.extend_from_slice(b"x");
        expected.push(0); // no object id
        expected.extend_from_slice(&[0, 0, 0, 6]);
        expected.extend_from_slice(b"denied");
        expected.push(0); // no request id
        assert_eq!(bytes, expected);
    }

    #[test]
    fn the_shortest_row_input_is_longer_than_any_head_input() {
        let at = RecordedAt::from_unix_micros(0).unwrap();
        let shortest_row_input = 32 + canonical_row(1, &at, &smallest_event()).len();
        let head_input = canonical_head(ChainPosition {
            seq: u64::MAX,
            hash: ChainHash::GENESIS,
        });
        assert_eq!(head_input.len(), 65);
        assert!(shortest_row_input > head_input.len());
    }

    #[test]
    fn moving_a_value_between_neighbouring_fields_changes_the_encoding() {
        let at = RecordedAt::from_unix_micros(0).unwrap();
        let id = Uuid::from_u128(42);
        let in_practice = smallest_event().in_practice(id);
        let about_object = smallest_event().about(id);
        assert_ne!(
            canonical_row(1, &at, &in_practice),
            canonical_row(1, &at, &about_object)
        );
    }
}
