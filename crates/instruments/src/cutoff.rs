//! The published cutoff of one score, read from the instrument's `positive` rule.
//!
//! Charts draw it and change statistics need it (a client has *recovered* when a reliable
//! improvement takes the score from the clinical side of the cutoff to the other side).
//! It is not a second copy of the number: it is found in the `positive` rule, so a
//! corrected cutoff in a definition file moves the line and the recovery test together.
//! "Positive" is always the clinical side (depression, dysfunction, distress, ED).
//!
//! A rule may say more than one score comparison (ASEX: total >= 19, *or* an item at 5,
//! *or* three items at 4). Then the score's cutoff is still found and drawn, but it is not
//! the *sole* criterion: falling below it does not by itself mean the rule is no longer
//! met, so change statistics do not call such a crossing a recovery.

use serde::Serialize;

use crate::definition::{Comparison, Condition, Instrument};
use crate::exact::Exact;

/// Which side of the cutoff is the clinical (positive) side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutoffSide {
    /// Positive when the score is at least the value (PHQ-9 >= 10).
    AtLeast,
    /// Positive when the score is at most the value (FSFI <= 26.55).
    AtMost,
    /// Positive when the score is below the value (CSI-16 < 51.5).
    Below,
    /// Positive when the score is above the value.
    Above,
}

/// A published cutoff on one score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cutoff {
    /// The score it reads (`total` or a domain id).
    pub score: String,
    /// Which side is positive.
    pub side: CutoffSide,
    /// The published value, exact (`26.55`).
    pub value: Exact,
    /// What being on the positive side means, from the definition.
    pub meaning: String,
    /// Where the cutoff is published.
    pub citation: String,
    /// True when this comparison alone decides `positive`; false when the rule has other
    /// conditions (ASEX), so leaving the positive side of this line is not enough.
    pub sole_criterion: bool,
}

impl Cutoff {
    /// Whether a score lies on the positive (clinical) side, compared exactly.
    pub fn is_positive(&self, score: Exact) -> bool {
        match self.side {
            CutoffSide::AtLeast => score >= self.value,
            CutoffSide::AtMost => score <= self.value,
            CutoffSide::Below => score < self.value,
            CutoffSide::Above => score > self.value,
        }
    }

    /// The rule in symbols, for labels: `≥ 10`, `≤ 26.55`, `< 51.5`.
    pub fn rule_text(&self) -> String {
        let symbol = match self.side {
            CutoffSide::AtLeast => "≥",
            CutoffSide::AtMost => "≤",
            CutoffSide::Below => "<",
            CutoffSide::Above => ">",
        };
        format!("{symbol} {}", self.value)
    }
}

impl Instrument {
    /// The published cutoff on the score called `name`, if the `positive` rule compares
    /// that score with a value.
    pub fn cutoff(&self, name: &str) -> Option<Cutoff> {
        let score = self.score_ref(name)?;
        let rule = self.positive.as_ref()?;
        let compares = |condition: &Condition| match condition {
            Condition::Compare {
                score: compared,
                comparison,
                threshold,
            } if *compared == score => Some((*comparison, *threshold)),
            _ => None,
        };
        let (comparison, value) = rule.conditions.iter().find_map(compares)?;
        let sole_criterion = rule.conditions.len() == 1;
        let side = match comparison {
            Comparison::AtLeast => CutoffSide::AtLeast,
            Comparison::AtMost => CutoffSide::AtMost,
            Comparison::Below => CutoffSide::Below,
            Comparison::Above => CutoffSide::Above,
        };
        Some(Cutoff {
            score: name.to_owned(),
            side,
            value,
            meaning: rule.meaning.clone(),
            citation: rule.citation.clone(),
            sole_criterion,
        })
    }
}
