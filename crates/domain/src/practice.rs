//! The practice: the tenant that owns clinicians, clients and their records.
//!
//! A practice's display name is what clients see on every page, email and calendar
//! entry, which is why it is chosen by the practice and never says "sex therapy" unless
//! the practice decides so (discreet by default).

use std::fmt;

use time::OffsetDateTime;

use crate::clock;
use crate::ids::PracticeId;
use crate::text::{TextError, single_line};

/// The name a practice shows to its clients, e.g. "Harbour Street Counselling".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PracticeName(String);

impl PracticeName {
    /// The most characters a practice name may have.
    pub const MAX_CHARS: usize = 120;

    /// Parses a name typed by a person: one line, 1 to 120 characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        single_line(raw, "Practice name", Self::MAX_CHARS).map(Self)
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PracticeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A practice as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Practice {
    /// Its id.
    pub id: PracticeId,
    /// The name its clients see.
    pub display_name: PracticeName,
    /// True for the fictional practice `sensate demo` seeds; such a practice holds no
    /// real person's data and may be wiped and seeded again.
    pub is_demo: bool,
    /// When it was created, in UTC.
    pub created_at: OffsetDateTime,
}

impl Practice {
    /// A new practice created now.
    pub fn new(display_name: PracticeName, is_demo: bool) -> Self {
        Self {
            id: PracticeId::new(),
            display_name,
            is_demo,
            created_at: clock::now(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_practice_name_is_one_trimmed_line() {
        let name = PracticeName::parse("  Harbour Street Counselling ").unwrap();
        assert_eq!(name.as_str(), "Harbour Street Counselling");
    }

    #[test]
    fn a_practice_name_over_120_characters_is_refused() {
        let long = "a".repeat(121);
        assert!(PracticeName::parse(&long).is_err());
        assert!(PracticeName::parse(&long[..120]).is_ok());
    }
}
