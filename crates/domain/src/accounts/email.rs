//! Email addresses, as people type them.
//!
//! Deliberately permissive (real addresses are varied) but never ambiguous: one `@`,
//! something on each side, a dot in the domain, no spaces or control characters, at
//! most 254 characters. The whole address is lowercased so the same person always has
//! the same lookup key; mail systems treat the local part case-insensitively in practice.

use std::fmt;

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was typed.
    #[error("Enter an email address")]
    Empty,
    /// Not shaped like name@example.org.
    #[error("Enter an email address like name@example.org")]
    Malformed,
    /// Longer than any deliverable address.
    #[error("An email address can be at most 254 characters")]
    TooLong,
}

/// A normalised email address.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Trims, lowercases and checks an address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let address = raw.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !address
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
        if !well_formed {
            return Err(EmailError::Malformed);
        }
        Ok(Self(address))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, for checks such as "the password contains your address".
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address identifies a person, so it is never printed in debug output (logs).
impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lowercased() {
        let email = EmailAddress::parse("  Ana.Lima@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "ana.lima@example.org");
        assert_eq!(email.local_part(), "ana.lima");
    }

    #[test]
    fn plus_addressing_and_subdomains_are_accepted() {
        assert!(EmailAddress::parse("sam+therapy@mail.clinic.example.co.uk").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "no-at-sign",
            "@example.org",
            "a@b",
            "a@@b.org",
            "a@.org",
            "a@org.",
            "a@b..org",
            "a b@c.org",
            "a@b\n.org",
            "<a@b.org>",
        ] {
            assert!(EmailAddress::parse(raw).is_err(), "{raw:?}");
        }
        assert_eq!(EmailAddress::parse("  "), Err(EmailError::Empty));
    }

    #[test]
    fn an_address_over_254_characters_is_refused() {
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn debug_output_never_shows_the_address() {
        let email = EmailAddress::parse("private@example.org").unwrap();
        assert!(!format!("{email:?}").contains("private"));
    }
}
