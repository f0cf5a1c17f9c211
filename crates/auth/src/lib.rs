//! Sensate's sign-in primitives: pure, synchronous functions with no I/O, no async and no
//! database, so they can be tested exhaustively and reasoned about alone.
//!
//! - [`password`]: Argon2id password hashes as PHC strings, with `needs_rehash` to upgrade old
//!   ones at sign-in, and a dummy verification for unknown accounts.
//! - [`totp`]: RFC 6238 one-time codes (SHA-1, 6 digits, 30 s) with a replay guard.
//! - [`qr`]: the enrolment QR code as a CSP-friendly SVG.
//! - [`recovery`]: ten single-use recovery codes, stored as digests.
//! - [`token`]: opaque bearer tokens (sessions, invitations, password resets), stored as
//!   digests, and the CSRF token derived from a session token.
//!
//! Password hashing and verification are slow on purpose: callers run them on
//! `tokio::task::spawn_blocking`. Everything else takes microseconds. `docs/sign-in.md` explains
//! the parameters and how the web layer uses each piece.
//!
//! ```
//! use sensate_auth::{OpaqueToken, Verification, hash_password, token_digest, verify_password};
//! # fn main() -> Result<(), sensate_auth::AuthError> {
//! // Sign-up: store `hash.as_str()`.
//! let hash = hash_password("correct horse battery staple")?;
//! // Sign-in: verify, then issue a session; store only its digest.
//! assert!(verify_password("correct horse battery staple", &hash).is_valid());
//! let session = OpaqueToken::generate()?;
//! // Each request: look the session up by the digest of the cookie's value.
//! assert_eq!(token_digest(&session.token), Some(session.digest));
//! # Ok(())
//! # }
//! ```

mod base32;
mod error;
pub mod password;
pub mod qr;
pub mod recovery;
pub mod token;
pub mod totp;

pub use error::AuthError;
pub use password::{PasswordHash, Verification, hash_password, verify_dummy, verify_password};
pub use qr::qr_svg;
pub use recovery::{RecoveryCodes, recovery_digest};
pub use token::{OpaqueToken, csrf_matches, csrf_token, token_digest};
pub use totp::{TotpRejection, TotpSecret};
