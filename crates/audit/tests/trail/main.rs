//! The audit trail through its public surface: appending, verifying, and every way of
//! tampering with a trail that verification must catch.

#![expect(
    clippy::unwrap_used,
    reason = "test support code fails the test by panicking"
)]

mod appending;
mod golden;
mod long_trail;
mod random_tampering;
mod support;
mod tampering;
