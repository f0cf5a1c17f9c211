//! People who use Sensate and how they prove who they are: roles, email addresses and
//! the rules a new password must meet.
//!
//! These are rules only. Hashing, sessions and second factors live where their
//! dependencies do (the application layer); the web layer turns a refused value into a
//! message beside the field.

mod email;
mod password;
mod role;
mod session_rules;
mod throttle;

pub use email::{EmailAddress, EmailError};
pub use password::{NewPassword, PasswordError};
pub use role::{Role, UnknownRole};
pub use session_rules::{ABSOLUTE_LIFETIME, SessionState, TOUCH_INTERVAL, session_state};
pub use throttle::{FREE_FAILURES, MAX_WAIT, WINDOW, wait_after};
