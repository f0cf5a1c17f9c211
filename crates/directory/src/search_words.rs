//! The words directory search reads, folded the same way for a profile and for a query.
//!
//! Both databases index the folded text the app writes, so SQLite's FTS5 and
//! PostgreSQL's `tsvector` see identical words, whatever accents, case or punctuation a
//! therapist or a seeker used. The folding is the moderation screen's (one way of
//! reading words in this crate), keeping letters and digits only.

use crate::moderation::words::words;

/// The folded words of `text`: lower case, simple accents removed, letters and digits
/// only, in order.
pub fn search_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .map(|word| {
            word.text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_and_a_query_fold_to_the_same_words() {
        assert_eq!(
            search_words("Vaginismus — Pain-free SEX, São Paulo; <b>ÉMILE</b>"),
            [
                "vaginismus",
                "pain",
                "free",
                "sex",
                "sao",
                "paulo",
                "b",
                "emile",
                "b"
            ]
        );
        assert!(search_words("\"*():&|!'").is_empty());
    }
}
