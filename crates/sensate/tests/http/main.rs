//! Integration tests through the real router, each against a fresh database, on SQLite
//! and (when `SENSATE_TEST_DATABASE_URL` is set) on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support code fails the test by panicking"
)]

mod support;

mod access_matrix;
mod api;
mod cases;
mod confidentiality;
mod consent;
mod demo_people;
mod directory;
mod exports;
mod formulation;
mod headers;
mod health;
mod intake;
mod messages;
mod pages;
mod plans;
mod questionnaire_care;
mod questionnaires;
mod sign_in;
mod therapy_sessions;
