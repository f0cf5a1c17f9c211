//! The `sensate` binary as an operator meets it: help, exit codes, refusals of unsafe
//! configuration, and a real serve → health → metrics → graceful stop cycle.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support code fails the test by panicking"
)]

mod audit;
mod backup;
mod bench_directory;
mod canary;
mod commands;
mod instruments;
mod score;
mod serve;
mod support;
