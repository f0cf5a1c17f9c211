//! Recovery codes: ten single-use codes shown once at TOTP enrolment, for the day the phone is
//! lost.
//!
//! Each code is 80 random bits written as 16 characters of lower-case Crockford base32 in groups
//! of four (`7hq2-mx4k-0c9r-vt3e`): no `i`, `l`, `o` or `u`, so nothing is misread, and reading one
//! back forgives case, spaces, dashes and the look-alikes Crockford maps (`o` → `0`, `i`/`l` → `1`).
//!
//! Only a SHA-256 digest of each code is stored. A plain hash is enough here, unlike passwords:
//! 80 random bits cannot be guessed offline from the digest (2^80 SHA-256 evaluations is far
//! beyond anyone), so a slow, salted hash would add cost without adding safety. The caller
//! deletes (or marks used) a digest when its code is used, which makes each code single-use.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::AuthError;
use crate::base32;

/// How many codes a person is given.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Random bytes in a code (80 bits).
const CODE_BYTES: usize = 10;
/// Base32 characters in a code, dashes aside.
const CODE_CHARS: usize = 16;

/// A fresh set of recovery codes: the codes to show once, and the digests to store.
///
/// `Debug` shows neither list's contents.
pub struct RecoveryCodes {
    /// The codes, as `xxxx-xxxx-xxxx-xxxx`: show them to the person once, never store or log them.
    pub codes: Vec<String>,
    /// SHA-256 of each code, in the same order: store these (replacing any earlier set).
    pub digests: Vec<[u8; 32]>,
}

impl RecoveryCodes {
    /// [`RECOVERY_CODE_COUNT`] new random codes and their digests.
    ///
    /// # Errors
    ///
    /// [`AuthError::Randomness`] if the system's random number generator fails.
    pub fn generate() -> Result<Self, AuthError> {
        let mut codes = Vec::with_capacity(RECOVERY_CODE_COUNT);
        let mut digests = Vec::with_capacity(RECOVERY_CODE_COUNT);
        for _ in 0..RECOVERY_CODE_COUNT {
            let mut bytes = [0u8; CODE_BYTES];
            getrandom::fill(&mut bytes).map_err(AuthError::Randomness)?;
            let plain = base32::encode(base32::CROCKFORD_LOWER, &bytes);
            digests.push(Sha256::digest(plain.as_bytes()).into());
            codes.push(group(&plain));
        }
        Ok(Self { codes, digests })
    }
}

impl fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecoveryCodes({} codes, …)", self.codes.len())
    }
}

/// The digest to look up for a code a person typed, or `None` when it cannot be a recovery code
/// (so junk never reaches the database).
///
/// Case, spaces (any whitespace) and dashes are ignored, and `o`, `i` and `l` read as `0`, `1` and `1`.
pub fn recovery_digest(input: &str) -> Option<[u8; 32]> {
    let mut canonical = String::with_capacity(CODE_CHARS);
    for c in input.chars() {
        let c = match c.to_ascii_lowercase() {
            '-' => continue,
            c if c.is_whitespace() => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c => {
                // Non-ASCII characters fail the conversion and so are refused too.
                let byte = u8::try_from(c).ok()?;
                if !base32::CROCKFORD_LOWER.contains(&byte) {
                    return None;
                }
                c
            }
        };
        if canonical.len() == CODE_CHARS {
            return None;
        }
        canonical.push(c);
    }
    (canonical.len() == CODE_CHARS).then(|| Sha256::digest(canonical.as_bytes()).into())
}

/// `xxxxxxxxxxxxxxxx` as `xxxx-xxxx-xxxx-xxxx`.
fn group(plain: &str) -> String {
    let mut grouped = String::with_capacity(plain.len() + plain.len() / 4);
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            grouped.push('-');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ten_codes_are_shown_with_a_digest_each() {
        let set = RecoveryCodes::generate().unwrap();
        assert_eq!(set.codes.len(), 10);
        assert_eq!(set.digests.len(), 10);
        for (code, digest) in set.codes.iter().zip(&set.digests) {
            assert_eq!(recovery_digest(code), Some(*digest), "{code}");
        }
    }

    #[test]
    fn codes_are_four_groups_of_four_unambiguous_characters() {
        let set = RecoveryCodes::generate().unwrap();
        for code in &set.codes {
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 4, "{code}");
            for group in groups {
                assert_eq!(group.len(), 4, "{code}");
                assert!(
                    group
                        .bytes()
                        .all(|b| b"0123456789abcdefghjkmnpqrstvwxyz".contains(&b)),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_within_and_across_sets() {
        let mut seen = HashSet::new();
        for _ in 0..20 {
            let set = RecoveryCodes::generate().unwrap();
            for code in set.codes {
                assert!(seen.insert(code));
            }
        }
        assert_eq!(seen.len(), 200);
    }

    #[test]
    fn typing_forgives_case_spaces_dashes_and_look_alikes() {
        let canonical = recovery_digest("7hq2-mx4k-0c9r-vt1e");
        assert!(canonical.is_some());
        for typed in [
            "7hq2mx4k0c9rvt1e",
            "7HQ2-MX4K-0C9R-VT1E",
            " 7hq2 mx4k 0c9r vt1e ",
            "7hq2--mx4k-oc9r-vtle",
            "7hq2-mx4k-Oc9r-vtIe",
        ] {
            assert_eq!(recovery_digest(typed), canonical, "{typed}");
        }
    }

    #[test]
    fn a_different_code_has_a_different_digest() {
        assert_ne!(
            recovery_digest("7hq2-mx4k-0c9r-vt1e"),
            recovery_digest("7hq2-mx4k-0c9r-vt1f")
        );
    }

    #[test]
    fn malformed_input_has_no_digest() {
        for typed in [
            "",
            "7hq2-mx4k-0c9r-vt1",
            "7hq2-mx4k-0c9r-vt1ee",
            "7hq2-mx4k-0c9r-vt1u",
            "7hq2-mx4k-0c9r-vt1!",
            "7hq2-mx4k-0c9r-vt1é",
            "7hq2_mx4k_0c9r_vt1e",
            "----------------",
        ] {
            assert_eq!(recovery_digest(typed), None, "{typed}");
        }
    }

    #[test]
    fn debug_output_never_shows_a_code() {
        let set = RecoveryCodes::generate().unwrap();
        let debug = format!("{set:?}");
        assert!(set.codes.iter().all(|code| !debug.contains(code.as_str())));
    }
}
