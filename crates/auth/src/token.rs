//! Opaque bearer tokens (session cookies, invitation links, password-reset links) and the CSRF
//! token derived from a session token.
//!
//! A token is 256 random bits sent as 43 characters of unpadded base64url, safe in a cookie or a
//! URL path. The database keeps only the SHA-256 of the token's bytes and looks rows up by it, so
//! a stolen database or backup holds no token anyone can present: not a session to ride, not an
//! invitation to accept, not a password reset to complete. A plain hash is enough (unlike
//! passwords) because 256 random bits cannot be guessed back from their digest. [`token_digest`]
//! refuses anything that is not exactly a token's shape, so junk never reaches a query.
//!
//! The CSRF token is HMAC-SHA-256 keyed with the session token over a fixed label: a
//! synchronizer token with nothing extra to store, which changes whenever the session token
//! does (at sign-in and on rotation), and which cannot be turned back into the session token by
//! someone who reads it from a page. It complements `SameSite` cookies, as the OWASP CSRF
//! Prevention Cheat Sheet advises; [`csrf_matches`] compares in constant time.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::AuthError;

/// Random bytes in a token (256 bits).
const TOKEN_BYTES: usize = 32;
/// Characters in a token or CSRF token: 32 bytes in unpadded base64url.
const TOKEN_CHARS: usize = 43;
/// What a CSRF token is the MAC of; the version lets the derivation change later.
const CSRF_LABEL: &[u8] = b"sensate/csrf/v1";

/// A new bearer token: the token to hand out, and the digest to store.
///
/// `Debug` shows neither.
pub struct OpaqueToken {
    /// 43 characters of unpadded base64url: set it as the cookie or put it in the link, never
    /// store or log it.
    pub token: String,
    /// SHA-256 of the token's bytes: store this, and find the row again with [`token_digest`].
    pub digest: [u8; 32],
}

impl OpaqueToken {
    /// A new random token and its digest.
    ///
    /// # Errors
    ///
    /// [`AuthError::Randomness`] if the system's random number generator fails.
    pub fn generate() -> Result<Self, AuthError> {
        let mut bytes = zeroize::Zeroizing::new([0u8; TOKEN_BYTES]);
        getrandom::fill(bytes.as_mut_slice()).map_err(AuthError::Randomness)?;
        Ok(Self {
            token: URL_SAFE_NO_PAD.encode(bytes.as_slice()),
            digest: Sha256::digest(bytes.as_slice()).into(),
        })
    }
}

impl fmt::Debug for OpaqueToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OpaqueToken(…)")
    }
}

/// The digest to look up for a token someone presented, or `None` unless it is exactly 43
/// characters of canonical unpadded base64url (so junk never reaches the database).
pub fn token_digest(presented: &str) -> Option<[u8; 32]> {
    let bytes = decode_43(presented)?;
    Some(Sha256::digest(bytes).into())
}

/// The CSRF token for a session: put it in every form of that session's pages.
pub fn csrf_token(session_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(csrf_mac(session_token).finalize().into_bytes())
}

/// Whether a form's CSRF token is the one for this session, compared in constant time.
pub fn csrf_matches(session_token: &str, presented: &str) -> bool {
    decode_43(presented).is_some_and(|tag| csrf_mac(session_token).verify_slice(&tag).is_ok())
}

/// The MAC whose output is the session's CSRF token.
fn csrf_mac(session_token: &str) -> Hmac<Sha256> {
    #[expect(
        clippy::expect_used,
        reason = "HMAC takes a key of any length (RFC 2104 hashes or pads it), so \
                  `new_from_slice` cannot fail; hmac's own `KeyInit::new` relies on the same"
    )]
    let mut mac = Hmac::<Sha256>::new_from_slice(session_token.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(CSRF_LABEL);
    mac
}

/// The 32 bytes behind 43 characters of canonical unpadded base64url. The length is checked
/// first so a huge input is never decoded; the engine refuses padding, other alphabets and a
/// last character with stray low bits, so each token has exactly one accepted spelling.
fn decode_43(text: &str) -> Option<[u8; TOKEN_BYTES]> {
    if text.len() != TOKEN_CHARS {
        return None;
    }
    URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_43_base64url_characters_and_its_digest_is_found_again() {
        let issued = OpaqueToken::generate().unwrap();
        assert_eq!(issued.token.len(), 43);
        assert!(
            issued
                .token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(token_digest(&issued.token), Some(issued.digest));
    }

    #[test]
    fn the_stored_digest_is_not_the_token() {
        let issued = OpaqueToken::generate().unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(&issued.token).unwrap();
        assert_ne!(issued.digest.as_slice(), bytes.as_slice());
    }

    #[test]
    fn tokens_are_unique() {
        let first = OpaqueToken::generate().unwrap();
        let second = OpaqueToken::generate().unwrap();
        assert_ne!(first.token, second.token);
        assert_ne!(first.digest, second.digest);
    }

    #[test]
    fn anything_not_shaped_like_a_token_has_no_digest() {
        let issued = OpaqueToken::generate().unwrap();
        let token = issued.token.as_str();
        let cases = [
            String::new(),
            token[..42].to_owned(),
            format!("{token}A"),
            format!("{token}="),
            format!("{}+", &token[..42]),
            format!("{}/", &token[..42]),
            format!("{} ", &token[..42]),
            format!("{}é", &token[..41]),
            "x".repeat(10_000),
        ];
        for case in cases {
            assert_eq!(token_digest(&case), None, "{case}");
        }
    }

    #[test]
    fn a_non_canonical_last_character_is_refused() {
        // 32 zero bytes end in "A"; "B" sets one of the two stray low bits.
        let zeros = URL_SAFE_NO_PAD.encode([0u8; 32]);
        assert!(token_digest(&zeros).is_some());
        let stray = format!("{}B", &zeros[..42]);
        assert_eq!(token_digest(&stray), None);
    }

    #[test]
    fn the_csrf_token_is_fixed_per_session_and_differs_between_sessions() {
        let session = OpaqueToken::generate().unwrap().token;
        let other = OpaqueToken::generate().unwrap().token;
        let csrf = csrf_token(&session);
        assert_eq!(csrf.len(), 43);
        assert_eq!(csrf, csrf_token(&session));
        assert_ne!(csrf, csrf_token(&other));
        assert_ne!(csrf, session);
    }

    #[test]
    fn the_csrf_token_is_hmac_sha256_of_the_label_under_the_session_token() {
        // Computed with OpenSSL: printf 'sensate/csrf/v1' | openssl dgst -sha256
        // -hmac session-token -binary | basenc --base64url | tr -d =
        assert_eq!(
            csrf_token("session-token"),
            "fz8ynBN06yjUZnPQtONYqYCN12nlu4-F1mPUQ47qbF4"
        );
    }

    #[test]
    fn only_the_sessions_own_csrf_token_matches() {
        let session = OpaqueToken::generate().unwrap().token;
        let other = OpaqueToken::generate().unwrap().token;
        let csrf = csrf_token(&session);
        assert!(csrf_matches(&session, &csrf));
        assert!(!csrf_matches(&other, &csrf));
        assert!(!csrf_matches(&session, &csrf_token(&other)));
        assert!(!csrf_matches(&session, ""));
        assert!(!csrf_matches(&session, &csrf[..42]));
        assert!(!csrf_matches(&session, &session));
    }
}
