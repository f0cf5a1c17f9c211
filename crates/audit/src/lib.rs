//! Sensate's audit trail: the rows, the hash chain that links them, and its verifier.
//!
//! Every read, write, export, sign-in and failed sign-in involving clinical data leaves
//! exactly one row saying who did what to which record, how it ended, when, and in which
//! request — as ids and codes only, never clinical content (the types leave no room for
//! it). Rows are chained with HMAC-SHA256 under a key kept outside the database, and a
//! sealed head records where the chain ends, so an edited, deleted, inserted or reordered
//! row, or a cut tail, is found by `sensate audit verify`, which names the first bad row.
//!
//! Pure logic: the storage layer persists [`AuditRecord`]s and the [`SealedHead`], and the
//! binary feeds them back to [`AuditChain::verify`]. `docs/audit.md` is the design, with
//! the columns and locking the storage layer needs.
//!
//! ```
//! use sensate_audit::*;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let chain = AuditChain::new(&[7; 32]);
//! let head = chain.seal(ChainPosition::GENESIS);
//!
//! let after = chain.open_head(&head)?;
//! let event = AuditEvent::new(Actor::System, Action::Export, ObjectType::parse("backup")?, Outcome::Allowed);
//! let at = RecordedAt::from_unix_micros(1_767_225_600_000_000)?;
//! let row = chain.append(after, event, at)?;
//! let head = chain.seal(row.position());
//!
//! assert_eq!(chain.verify([&row], Some(&head))?.count, 1);
//! # Ok(()) }
//! ```

mod action;
mod actor;
mod chain;
mod chain_break;
mod columns;
pub mod encoding;
mod error;
mod event;
mod hash;
mod head;
mod object;
mod outcome;
mod record;
mod recorded_at;
mod request;
mod verify;
mod vocabulary;

pub use action::Action;
pub use actor::{Actor, ActorKind};
pub use chain::AuditChain;
pub use chain_break::ChainBreak;
pub use columns::{AuditColumns, HeadColumns};
pub use error::{AppendError, InvalidField};
pub use event::AuditEvent;
pub use hash::{ChainHash, ChainPosition, HeadSeal};
pub use head::SealedHead;
pub use object::{OBJECT_TYPE_MAX_LEN, ObjectType};
pub use outcome::Outcome;
pub use record::AuditRecord;
pub use recorded_at::RecordedAt;
pub use request::{REQUEST_ID_MAX_LEN, RequestId};
pub use verify::{VerifiedChain, Verifier};
