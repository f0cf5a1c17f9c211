//! Time-based one-time passwords, RFC 6238: HMAC-SHA-1, six digits, a 30-second step.
//!
//! Those are the settings every authenticator app supports (several ignore the `algorithm`,
//! `digits` and `period` parameters of an `otpauth://` URI and use these regardless), so they are
//! fixed, not configurable. SHA-1's collision weakness does not affect HMAC-SHA-1 used as a PRF.
//!
//! A code is accepted for the current step and one step either side (RFC 6238 §5.2 allows for
//! clock drift and the time to type). Within that window one code would otherwise work for up to
//! 90 seconds, so [`verify`] returns the step it matched; the caller stores it and passes it back
//! next time, and a code for that step or an earlier one is [`TotpRejection::Replayed`] (RFC 6238
//! §5.2: "the verifier MUST NOT accept the second attempt of the same OTP").
//!
//! This is our own forty lines over `hmac` and `sha1` rather than `totp-rs`: the replay guard
//! needs the matched step, which `totp-rs`'s checks do not return, and the rest of `totp-rs` (its
//! URL, QR and `SystemTime` features) is what this crate does differently or leaves to the
//! caller. The RFC's own test vectors pin the result (see the tests).

use std::fmt;

use ctutils::CtEq;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::AuthError;
use crate::base32;

/// Digits in a code.
pub const DIGITS: usize = 6;
/// Seconds in a time step.
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of the current one.
const SKEW_STEPS: u64 = 1;

/// A TOTP shared secret: 20 random bytes (160 bits, RFC 4226's recommended length), wiped from
/// memory when dropped and never shown by `Debug`.
///
/// Stored sealed (see `sensate-crypto`), together with the last step a code was accepted for.
pub struct TotpSecret(Zeroizing<[u8; TotpSecret::LEN]>);

impl TotpSecret {
    /// The length of a secret in bytes.
    pub const LEN: usize = 20;

    /// A new random secret, for enrolling an authenticator.
    ///
    /// # Errors
    ///
    /// [`AuthError::Randomness`] if the system's random number generator fails.
    pub fn generate() -> Result<Self, AuthError> {
        let mut bytes = Zeroizing::new([0u8; Self::LEN]);
        getrandom::fill(bytes.as_mut_slice()).map_err(AuthError::Randomness)?;
        Ok(Self(bytes))
    }

    /// A secret from its bytes, once unsealed from storage.
    ///
    /// # Errors
    ///
    /// [`AuthError::TotpSecretLength`] unless there are exactly [`TotpSecret::LEN`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AuthError> {
        if bytes.len() != Self::LEN {
            return Err(AuthError::TotpSecretLength {
                expected: Self::LEN,
                actual: bytes.len(),
            });
        }
        let mut secret = Zeroizing::new([0u8; Self::LEN]);
        secret.copy_from_slice(bytes);
        Ok(Self(secret))
    }

    /// The secret's bytes, to seal for storage.
    pub fn expose_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The secret in base32 in groups of four (`GEZD GNBV …`), for typing into an authenticator
    /// app that cannot scan the QR code. Apps ignore the spaces.
    pub fn base32(&self) -> String {
        let plain = Zeroizing::new(base32::encode(base32::RFC4648, self.expose_bytes()));
        let mut grouped = String::with_capacity(plain.len() + plain.len() / 4);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                grouped.push(' ');
            }
            grouped.push(c);
        }
        grouped
    }

    /// The `otpauth://totp/` URI an authenticator app reads from the enrolment QR code (the
    /// "Key Uri Format" of Google Authenticator, which the other apps follow).
    ///
    /// `issuer` names the service (the practice's name, say) and `account_label` the person (their
    /// email address); both are percent-encoded, so any text is safe. The issuer appears both as
    /// the label's prefix and as the `issuer` parameter, as the format recommends.
    pub fn otpauth_uri(&self, issuer: &str, account_label: &str) -> String {
        let secret = Zeroizing::new(base32::encode(base32::RFC4648, self.expose_bytes()));
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{label}?secret={secret}&issuer={issuer}\
             &algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            label = percent_encode(account_label),
            secret = secret.as_str(),
        )
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

/// Why a code was not accepted. Messages speak to the person signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpRejection {
    /// Not six digits (spaces aside).
    #[error("Enter the 6-digit code from your authenticator app.")]
    Malformed,
    /// Six digits, but not the code for now or the step either side.
    #[error("That code is not right, or has expired. Enter the code your app shows now.")]
    Wrong,
    /// The code for a step already used: someone may have seen it. Log it (ASVS 2.8).
    #[error("That code has already been used. Wait for your app to show a new one.")]
    Replayed,
}

/// Checks a code typed by the person at time `now`.
///
/// Spaces (any whitespace) are ignored, so `123 456` is fine. `last_used_step` is the step
/// returned by the last successful call for this secret, or `None` if there was none; on success
/// the step this code belongs to is returned, to be stored as the next `last_used_step`.
///
/// Every candidate step is computed and compared in constant time whatever matched, so the time
/// taken says nothing about the secret.
///
/// # Errors
///
/// [`TotpRejection::Malformed`] unless the code is six digits; [`TotpRejection::Replayed`] when it
/// is the code for a step at or before `last_used_step`; otherwise [`TotpRejection::Wrong`] when
/// it is not the code for the current step or one either side.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now: OffsetDateTime,
    last_used_step: Option<u64>,
) -> Result<u64, TotpRejection> {
    let presented = parse_code(code).ok_or(TotpRejection::Malformed)?;
    let current = step_at(now);
    let mut fresh = None;
    let mut replayed = false;
    for step in current.saturating_sub(SKEW_STEPS)..=current.saturating_add(SKEW_STEPS) {
        let matches = hotp(secret, step).ct_eq(&presented).to_bool();
        let used = last_used_step.is_some_and(|last| step <= last);
        if matches && used {
            replayed = true;
        } else if matches && fresh.is_none() {
            fresh = Some(step);
        }
    }
    match (fresh, replayed) {
        (Some(step), _) => Ok(step),
        (None, true) => Err(TotpRejection::Replayed),
        (None, false) => Err(TotpRejection::Wrong),
    }
}

/// The code for `now`, as an authenticator app would show it (six digits, leading zeros kept).
///
/// For tests, the demo and browser tests, which need a valid code; the server only verifies.
pub fn code_at(secret: &TotpSecret, now: OffsetDateTime) -> String {
    format!("{:0width$}", hotp(secret, step_at(now)), width = DIGITS)
}

/// The RFC 6238 time step: whole 30-second periods since the Unix epoch (times before it count
/// as step 0; no authenticator app produces them).
fn step_at(now: OffsetDateTime) -> u64 {
    u64::try_from(now.unix_timestamp()).unwrap_or(0) / STEP_SECONDS
}

/// Six digits, ignoring whitespace, as a number.
fn parse_code(code: &str) -> Option<u32> {
    let mut value = 0;
    let mut digits = 0;
    for c in code.chars().filter(|c| !c.is_whitespace()) {
        // `to_digit` takes ASCII digits only, not other scripts' digits.
        value = value * 10 + c.to_digit(10)?;
        digits += 1;
        if digits > DIGITS {
            return None;
        }
    }
    (digits == DIGITS).then_some(value)
}

/// HOTP (RFC 4226 §5.3) for one counter value, reduced to [`DIGITS`] digits.
fn hotp(secret: &TotpSecret, counter: u64) -> u32 {
    // HMAC zero-pads a short key to the hash's 64-byte block; padding it here gives the same
    // key and lets the infallible fixed-size constructor be used.
    let mut block = Zeroizing::new([0u8; 64]);
    block[..TotpSecret::LEN].copy_from_slice(secret.expose_bytes());
    let mut mac = <Hmac<Sha1> as KeyInit>::new((&*block).into());
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation: the low nibble of the last byte picks four bytes (offset ≤ 15, so the
    // last index read is at most 18 of 0..20).
    let offset = usize::from(digest[19] & 0x0f);
    let chunk = [
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ];
    (u32::from_be_bytes(chunk) & 0x7fff_ffff) % 1_000_000
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so an issuer or label can
/// hold `:`, `?`, `&`, `/`, spaces or any Unicode without breaking the URI.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 seed of RFC 6238 Appendix B.
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    #[test]
    fn codes_match_the_rfc_6238_sha1_test_vectors() {
        // Appendix B's eight-digit values; six digits are their last six (both are the same
        // number modulo a power of ten).
        for (unix, eight_digits) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(
                code_at(&rfc_secret(), at(unix)),
                eight_digits[2..],
                "{unix}"
            );
        }
    }

    #[test]
    fn the_current_code_is_accepted_and_its_step_returned() {
        let now = at(1_111_111_109);
        assert_eq!(
            verify(&rfc_secret(), "081804", now, None),
            Ok(1_111_111_109 / 30)
        );
    }

    #[test]
    fn spaces_in_the_code_are_ignored() {
        let now = at(1_111_111_109);
        assert!(verify(&rfc_secret(), " 081 804 ", now, None).is_ok());
    }

    #[test]
    fn the_codes_one_step_either_side_are_accepted_but_not_two() {
        let secret = rfc_secret();
        let now = at(1_234_567_890);
        for (offset, accepted) in [(-60, false), (-30, true), (30, true), (60, false)] {
            let code = code_at(&secret, at(1_234_567_890 + offset));
            let expected_step = (1_234_567_890 + offset) as u64 / 30;
            let outcome = verify(&secret, &code, now, None);
            if accepted {
                assert_eq!(outcome, Ok(expected_step), "{offset}");
            } else {
                assert_eq!(outcome, Err(TotpRejection::Wrong), "{offset}");
            }
        }
    }

    #[test]
    fn a_wrong_code_is_wrong() {
        let now = at(1_111_111_109);
        assert_eq!(
            verify(&rfc_secret(), "081805", now, None),
            Err(TotpRejection::Wrong)
        );
    }

    #[test]
    fn anything_but_six_digits_is_malformed() {
        let now = at(1_111_111_109);
        for code in [
            "",
            "08180",
            "0818040",
            "08180a",
            "081-804",
            "٠٨١٨٠٤",
            "+81804",
        ] {
            assert_eq!(
                verify(&rfc_secret(), code, now, None),
                Err(TotpRejection::Malformed),
                "{code}"
            );
        }
    }

    #[test]
    fn a_code_cannot_be_used_twice() {
        let secret = rfc_secret();
        let now = at(1_111_111_109);
        let step = verify(&secret, "081804", now, None).unwrap();
        assert_eq!(
            verify(&secret, "081804", at(1_111_111_119), Some(step)),
            Err(TotpRejection::Replayed)
        );
    }

    #[test]
    fn an_earlier_step_is_refused_after_a_later_one_was_used() {
        let secret = rfc_secret();
        let now = at(1_111_111_109);
        let next = code_at(&secret, at(1_111_111_109 + 30));
        let previous = code_at(&secret, at(1_111_111_109 - 30));
        let step = verify(&secret, &next, now, None).unwrap();
        assert_eq!(
            verify(&secret, &previous, now, Some(step)),
            Err(TotpRejection::Replayed)
        );
        assert_eq!(
            verify(&secret, "081804", now, Some(step)),
            Err(TotpRejection::Replayed)
        );
    }

    #[test]
    fn the_next_code_is_accepted_after_one_was_used() {
        let secret = rfc_secret();
        let step = verify(&secret, "081804", at(1_111_111_109), None).unwrap();
        let later = at(1_111_111_109 + 30);
        assert_eq!(
            verify(&secret, &code_at(&secret, later), later, Some(step)),
            Ok(step + 1)
        );
    }

    #[test]
    fn generated_secrets_are_twenty_random_bytes() {
        let first = TotpSecret::generate().unwrap();
        let second = TotpSecret::generate().unwrap();
        assert_eq!(first.expose_bytes().len(), 20);
        assert_ne!(first.expose_bytes(), second.expose_bytes());
    }

    #[test]
    fn a_secret_of_the_wrong_length_is_refused() {
        for len in [0, 16, 19, 21, 32] {
            assert!(
                matches!(
                    TotpSecret::from_bytes(&vec![7; len]),
                    Err(AuthError::TotpSecretLength {
                        expected: 20,
                        actual
                    }) if actual == len
                ),
                "{len}"
            );
        }
    }

    #[test]
    fn the_base32_secret_is_grouped_in_fours() {
        assert_eq!(
            rfc_secret().base32(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
    }

    #[test]
    fn the_otpauth_uri_names_issuer_and_account_and_encodes_them() {
        let uri = rfc_secret().otpauth_uri("Bright Path: Therapy", "ana+1@example.org");
        assert_eq!(
            uri,
            "otpauth://totp/Bright%20Path%3A%20Therapy:ana%2B1%40example.org\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bright%20Path%3A%20Therapy\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn unicode_and_uri_syntax_in_labels_are_percent_encoded() {
        let uri = rfc_secret().otpauth_uri("Zoë & co", "a/b?c#d");
        assert!(uri.starts_with("otpauth://totp/Zo%C3%AB%20%26%20co:a%2Fb%3Fc%23d?secret="));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let debug = format!("{:?}", rfc_secret());
        assert_eq!(debug, "TotpSecret(…)");
    }
}
