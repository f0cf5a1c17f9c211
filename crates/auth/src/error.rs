//! The one error type of this crate.
//!
//! These are failures of the machinery (no randomness, a stored hash that cannot be read, a text
//! too long for a QR code), not a person getting a password or code wrong: a wrong password is a
//! [`Verification::Invalid`](crate::Verification::Invalid) and a wrong code a
//! [`TotpRejection`](crate::TotpRejection), because those are ordinary outcomes a sign-in page
//! handles, not errors to log. No message ever carries a password, code, token, secret or hash, so
//! any of them may be logged.

/// What went wrong while hashing, parsing a stored hash or generating a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The operating system's random number generator failed; no secret was made.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(#[source] getrandom::Error),

    /// Argon2 refused to hash (never expected with this crate's fixed parameters).
    #[error("password hashing failed: {0}")]
    Hashing(#[source] argon2::password_hash::Error),

    /// A stored password hash is not an Argon2id PHC string this crate can verify.
    #[error(
        "the stored password hash is not an Argon2id PHC string with a version, salt, hash and \
         parameters within bounds"
    )]
    MalformedPasswordHash,

    /// A stored TOTP secret has the wrong length (the length is not secret; the bytes are).
    #[error("a TOTP secret must be {expected} bytes, not {actual}")]
    TotpSecretLength {
        /// The length this crate generates and accepts.
        expected: usize,
        /// The length given.
        actual: usize,
    },

    /// The text does not fit in the largest QR code.
    #[error("the text is too long to fit in a QR code")]
    QrTooLong,
}
