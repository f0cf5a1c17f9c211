//! Browser tests: the real server on 127.0.0.1:0 driven by headless Chromium through
//! chromedriver (Debian's `chromium` and `chromium-driver`; nothing is downloaded).
//!
//! Without Chromium each test prints a notice and passes without running, unless
//! `SENSATE_REQUIRE_BROWSER=1` (CI sets it), in which case a missing browser fails.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support code fails the test by panicking"
)]

mod support;

mod cases;
mod directory;
mod journey;
mod questionnaires;
mod shell;
