//! The `sensate` binary's library: the command line, the one typed [`Settings`], and
//! the commands that open the database and serve the web application.
//!
//! Errors here are `anyhow` (this is the binary); the one exception is
//! [`settings::ConfigError`], whose messages are shown to the operator as they are and
//! end the process with exit code 2.

pub mod backup;
pub mod bench_directory;
pub mod cli;
pub mod database;
pub mod demo;
pub mod demo_directory;
pub mod demo_history;
pub mod instruments;
pub mod keys;
pub mod score;
pub mod server;
pub mod settings;
pub mod synthetic_directory;
pub mod telemetry;

pub use settings::Settings;
