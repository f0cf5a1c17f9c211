//! The rules a new password must meet (OWASP ASVS 2.1): at least 12 characters and at
//! most 128, anything else allowed, no composition rules — but not a password that is
//! known to be common, a common word padded with digits or symbols, a run such as
//! `123456789012`, a short pattern repeated, or the person's own email address.
//!
//! The common list is `content/passwords/common-passwords.txt` (see its README for the
//! source and licence), embedded in the binary: checking it needs no network.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use zeroize::Zeroizing;

use super::EmailAddress;

const COMMON: &str = include_str!("../../../../content/passwords/common-passwords.txt");

static COMMON_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COMMON.lines().filter(|l| !l.is_empty()).collect());

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// The most characters a password may have.
pub const MAX_CHARS: usize = 128;

/// Why a new password was refused. Messages speak to the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than 12 characters.
    #[error(
        "Use at least 12 characters (this has {0}). A few unrelated words make a strong, memorable password."
    )]
    TooShort(usize),
    /// More than 128 characters.
    #[error("Use at most 128 characters (this has {0}).")]
    TooLong(usize),
    /// On the list of common passwords, or a common word with digits or symbols added.
    #[error(
        "This password is too common: it appears on lists attackers try first. Choose something less predictable."
    )]
    Common,
    /// A run of keys or letters, or a short pattern repeated.
    #[error(
        "This password is a simple pattern (a run of characters or a repeated group). Choose something less predictable."
    )]
    Pattern,
    /// Contains the person's own email address.
    #[error("Your password should not contain your email address.")]
    ContainsEmail,
}

/// A password that meets the rules, held in memory that is wiped when dropped.
pub struct NewPassword(Zeroizing<String>);

impl NewPassword {
    /// Checks a new password for the person with this email address (if known).
    pub fn parse(raw: &str, email: Option<&EmailAddress>) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort(chars));
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong(chars));
        }
        let lower = Zeroizing::new(raw.to_lowercase());
        if is_common(&lower) {
            return Err(PasswordError::Common);
        }
        if is_pattern(&lower) {
            return Err(PasswordError::Pattern);
        }
        if let Some(email) = email {
            let local = email.local_part();
            if local.chars().count() >= 4 && lower.contains(local) {
                return Err(PasswordError::ContainsEmail);
            }
        }
        Ok(Self(Zeroizing::new(raw.to_owned())))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// On the list, or a listed word padded with digits and punctuation at either end.
fn is_common(lower: &str) -> bool {
    if COMMON_SET.contains(lower) {
        return true;
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    core.chars().count() >= 4 && COMMON_SET.contains(core)
}

/// Sequences people walk along: digits, the alphabet, keyboard rows.
const SEQUENCES: [&str; 5] = [
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
];

/// A run along a sequence, forwards or backwards and wrapping round (`123456789012`,
/// `abcdefghijkl`, `poiuytrewqpo`), or a group of at most four characters repeated
/// (`abcabcabcabc`).
fn is_pattern(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let run = SEQUENCES.iter().any(|sequence| {
        let laps = chars.len() / sequence.len() + 2;
        let forwards = sequence.repeat(laps);
        let backwards: String = forwards.chars().rev().collect();
        forwards.contains(lower) || backwards.contains(lower)
    });
    let repeated = (1..=4).any(|period| {
        chars.len().is_multiple_of(period)
            && chars.chunks(period).all(|chunk| chunk == &chars[..period])
    });
    run || repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str) -> Result<NewPassword, PasswordError> {
        NewPassword::parse(raw, None)
    }

    #[test]
    fn twelve_characters_is_the_minimum() {
        assert_eq!(check("tulip-kettle").map(drop), Ok(()));
        assert_eq!(
            check("tulip-kettl").map(drop),
            Err(PasswordError::TooShort(11))
        );
    }

    #[test]
    fn length_counts_characters_so_accents_are_not_penalised() {
        assert!(check("çà-été-fée-où").is_ok());
    }

    #[test]
    fn more_than_128_characters_is_refused() {
        let long = "river stone ".repeat(11);
        assert_eq!(check(&long).map(drop), Err(PasswordError::TooLong(132)));
        assert!(check(&long[..128]).is_ok());
    }

    #[test]
    fn a_listed_password_is_refused_whatever_its_case() {
        assert_eq!(check("QWERTY123456").map(drop), Err(PasswordError::Common));
        assert_eq!(check("1qaz2wsx3edc").map(drop), Err(PasswordError::Common));
    }

    #[test]
    fn a_common_word_padded_with_digits_or_symbols_is_refused() {
        assert_eq!(check("password2024!").map(drop), Err(PasswordError::Common));
        assert_eq!(
            check("!!!sunshine!!!").map(drop),
            Err(PasswordError::Common)
        );
    }

    #[test]
    fn runs_and_repeats_are_refused() {
        for raw in [
            "123456789012",
            "abcdefghijklm",
            "zyxwvutsrqpo",
            "qwertyuiopqw",
            "aaaaaaaaaaaa",
            "abababababab",
            "xyz1xyz1xyz1",
        ] {
            assert_eq!(check(raw).map(drop), Err(PasswordError::Pattern), "{raw}");
        }
    }

    #[test]
    fn a_password_containing_the_email_address_is_refused() {
        let email = EmailAddress::parse("morgan@example.org").unwrap();
        assert_eq!(
            NewPassword::parse("Morgan-garden-gate", Some(&email)).map(drop),
            Err(PasswordError::ContainsEmail)
        );
        assert!(NewPassword::parse("lantern-orchard-sky", Some(&email)).is_ok());
    }

    #[test]
    fn passphrases_without_composition_rules_are_welcome() {
        for raw in [
            "correct horse battery staple",
            "my cat naps in the sun",
            "Lighthouse!Tea#42x",
        ] {
            assert!(check(raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = check("lantern-orchard-sky").unwrap();
        assert!(!format!("{password:?}").contains("lantern"));
    }
}
