//! The backup file through its public surface: what round-trips, what is refused and how it is
//! reported. One test binary, one module per concern.

mod format_v1;
mod keys;
mod round_trip;
#[expect(
    clippy::unwrap_used,
    reason = "test support code fails the test by panicking"
)]
mod support;
mod tampering;
