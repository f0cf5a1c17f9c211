//! A phrase from the rule file, compiled to the words it matches, with simple inflection
//! lists instead of a regular-expression engine.
//!
//! A pattern is words separated by spaces; a word may list alternatives with `|`:
//! `"i|we will|can touch|massage you"` matches "I will touch you" and "we can massage
//! you". That covers inflections ("touch|touches|touching") without the `regex` crate
//! and keeps every pattern readable by the clinician who reviews the file. Patterns go
//! through the same folding as profile text, so "hands-on" in a pattern is the two words
//! "hands on", and matches "Hands On" and "hands‑on" alike.

use std::ops::Range;

use super::words::{Pause, Word, words};

/// A compiled pattern: one set of accepted words per position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Phrase {
    slots: Vec<Vec<String>>,
}

impl Phrase {
    /// Compiles a pattern, or says why it cannot be one.
    pub(crate) fn compile(pattern: &str) -> Result<Phrase, String> {
        let mut slots = Vec::new();
        for token in pattern.split_whitespace() {
            if token.contains('|') {
                let mut alternatives = Vec::new();
                for alternative in token.split('|') {
                    match words(alternative).as_slice() {
                        [one] => alternatives.push(one.text.clone()),
                        _ => {
                            return Err(format!(
                                "pattern {pattern:?}: each alternative in {token:?} must be exactly one word"
                            ));
                        }
                    }
                }
                slots.push(alternatives);
            } else {
                slots.extend(words(token).into_iter().map(|word| vec![word.text]));
            }
        }
        if slots.is_empty() {
            return Err(format!("pattern {pattern:?} has no words"));
        }
        Ok(Phrase { slots })
    }

    /// How many words it matches.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether it matches the words starting at `at`, with no break inside the phrase.
    pub(crate) fn matches_at(&self, text: &[Word], at: usize) -> bool {
        let Some(candidate) = text.get(at..at + self.len()) else {
            return false;
        };
        candidate
            .iter()
            .zip(&self.slots)
            .enumerate()
            .all(|(i, (word, accepted))| {
                (i == 0 || word.pause_before == Pause::None) && accepted.contains(&word.text)
            })
    }

    /// Every place it matches, as word index ranges, in order.
    pub(crate) fn find_all<'a>(
        &'a self,
        text: &'a [Word],
    ) -> impl Iterator<Item = Range<usize>> + 'a {
        (0..text.len())
            .filter(|&at| self.matches_at(text, at))
            .map(|at| at..at + self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pattern: &str, text: &str) -> Vec<String> {
        let phrase = Phrase::compile(pattern).unwrap();
        let list = words(text);
        phrase
            .find_all(&list)
            .map(|r| text[list[r.start].range.start..list[r.end - 1].range.end].to_owned())
            .collect()
    }

    #[test]
    fn a_phrase_matches_whole_words_only() {
        assert_eq!(
            found("bodywork", "Bodywork, not homebodywork"),
            ["Bodywork"]
        );
    }

    #[test]
    fn alternatives_cover_inflections() {
        assert_eq!(
            found(
                "i|we will|can touch|massage you",
                "I will touch you. We can massage you."
            ),
            ["I will touch you", "We can massage you"]
        );
    }

    #[test]
    fn a_hyphenated_pattern_matches_spaced_and_hyphenated_text() {
        assert_eq!(
            found("hands-on", "hands on, HANDS-ON, hands\u{2011}on"),
            ["hands on", "HANDS-ON", "hands\u{2011}on"]
        );
    }

    #[test]
    fn a_phrase_does_not_span_a_comma_or_a_full_stop() {
        assert!(found("intimate massage", "intimate. Massage").is_empty());
        assert!(found("intimate massage", "intimate, massage").is_empty());
    }

    #[test]
    fn malformed_patterns_are_refused() {
        assert!(Phrase::compile("").is_err());
        assert!(Phrase::compile("  -- ").is_err());
        assert!(Phrase::compile("touch|hands-on").is_err());
        assert!(Phrase::compile("touch||you").is_err());
    }
}
