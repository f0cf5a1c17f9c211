//! Screening a profile's text against the red-flag rules: which phrases matched, in which
//! field, under which rule, and where exactly in the text the therapist wrote.
//!
//! A hit carries the byte range of the phrase in the original text (never in the folded
//! copy), so the web layer can wrap it in `<mark>` without re-searching; ranges always fall
//! on char boundaries because every word keeps the range of the characters it was made
//! from. Within one rule, overlapping matches merge into one hit; different rules may hit
//! the same words, and the verifier sees each reason.

use std::ops::Range;

use serde::Serialize;

use super::highlight::{Segment, highlight};
use super::phrase::Phrase;
use super::rules::{Negation, RedFlagCategory, RedFlagRule, RedFlagRules};
use super::words::{Pause, Word, words};

/// One matched phrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RedFlagHit {
    /// The profile field it is in, as the caller named it.
    pub field: String,
    /// The rule's id.
    pub rule: String,
    /// The rule's category.
    pub category: RedFlagCategory,
    /// Why it holds the profile, for the verifier.
    pub reason: String,
    /// Where the phrase is in the field's original text (char boundaries).
    pub range: Range<usize>,
    /// The phrase as the therapist wrote it.
    pub phrase: String,
}

/// The outcome of screening a profile: its hits, by field then position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Screening {
    hits: Vec<RedFlagHit>,
}

impl Screening {
    /// No rule matched: the profile can be saved as it is.
    pub fn is_clear(&self) -> bool {
        self.hits.is_empty()
    }

    /// Some rule matched: the profile waits for the verifier.
    pub fn holds_for_verifier(&self) -> bool {
        !self.is_clear()
    }

    /// Every hit.
    pub fn hits(&self) -> &[RedFlagHit] {
        &self.hits
    }

    /// The hits in one field.
    pub fn hits_in<'s>(&'s self, field: &'s str) -> impl Iterator<Item = &'s RedFlagHit> + 's {
        self.hits.iter().filter(move |hit| hit.field == field)
    }

    /// A field's text split into plain and highlighted pieces, for a template.
    pub fn highlighted<'t>(&self, field: &str, text: &'t str) -> Vec<Segment<'t>> {
        highlight(text, self.hits_in(field).map(|hit| hit.range.clone()))
    }
}

impl RedFlagRules {
    /// Screens each `(field name, text)` pair against every rule.
    pub fn screen(&self, fields: &[(&str, &str)]) -> Screening {
        let mut hits = Vec::new();
        for (field, text) in fields {
            let text_words = words(text);
            let mut field_hits: Vec<RedFlagHit> = self
                .rules
                .iter()
                .flat_map(|rule| {
                    self.matches(rule, &text_words).into_iter().map(|span| {
                        let range =
                            text_words[span.start].range.start..text_words[span.end - 1].range.end;
                        RedFlagHit {
                            field: (*field).to_owned(),
                            rule: rule.id().to_owned(),
                            category: rule.category(),
                            reason: rule.reason().to_owned(),
                            phrase: text[range.clone()].to_owned(),
                            range,
                        }
                    })
                })
                .collect();
            field_hits.sort_by_key(|hit| hit.range.start);
            hits.extend(field_hits);
        }
        Screening { hits }
    }

    /// One rule's matches in one text, as word ranges: excepted and negated matches
    /// dropped, overlapping ones merged.
    fn matches(&self, rule: &RedFlagRule, text: &[Word]) -> Vec<Range<usize>> {
        let excepted: Vec<Range<usize>> =
            rule.unless.iter().flat_map(|p| p.find_all(text)).collect();
        let mut spans: Vec<Range<usize>> = rule
            .patterns
            .iter()
            .flat_map(|p| p.find_all(text))
            .filter(|span| {
                !excepted
                    .iter()
                    .any(|e| e.start <= span.start && span.end <= e.end)
            })
            .filter(|span| !self.negation.negates(text, span))
            .collect();
        spans.sort_by_key(|span| (span.start, span.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        merged
    }
}

impl Negation {
    /// Whether the words around `span` turn it into its opposite.
    fn negates(&self, text: &[Word], span: &Range<usize>) -> bool {
        self.negated_before(text, span.start) || self.negated_after(text, span.end)
    }

    /// A negating phrase ends at most `within_words` words before `start`, in the same
    /// clause; words in `carried_across` ("or") are not counted.
    fn negated_before(&self, text: &[Word], start: usize) -> bool {
        let mut counted = 0;
        let mut end = start; // the negating phrase would end just before `end`
        while end > 0 && counted < self.within_words {
            if text[end].pause_before != Pause::None {
                return false;
            }
            let negated = self.before.iter().any(|negator| {
                end.checked_sub(negator.len()).is_some_and(|at| {
                    negator.matches_at(text, at)
                        && !self.not_negations.iter().any(|n| n.matches_at(text, at))
                })
            });
            if negated {
                return true;
            }
            end -= 1;
            if !self.carried_across.contains(&text[end].text) {
                counted += 1;
            }
        }
        false
    }

    /// A negating phrase starts right after `end`, with no break between.
    fn negated_after(&self, text: &[Word], end: usize) -> bool {
        text.get(end)
            .is_some_and(|next| next.pause_before == Pause::None)
            && self
                .after
                .iter()
                .any(|phrase: &Phrase| phrase.matches_at(text, end))
    }
}
