//! Sensate's domain: the types and rules of a sex-therapy practice, as plain Rust.
//!
//! Nothing here does I/O. Raw input becomes a domain type at the edge (`parse`), or a
//! clear error; code further in never re-checks it. The storage layer and the web layer
//! both depend on this crate, never the other way round.

pub mod access;
pub mod accounts;
pub mod cases;
pub mod client;
pub mod clock;
pub mod consent;
pub mod ids;
pub mod intake;
mod person;
pub mod plan;
pub mod practice;
pub mod text;
pub mod therapy_session;

pub use ids::{AccountId, CaseId, ClientId, PracticeId};
pub use person::PersonName;
pub use practice::{Practice, PracticeName};
