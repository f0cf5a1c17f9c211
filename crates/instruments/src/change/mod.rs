//! Reliable change between two scores of one client, and what it means clinically.
//!
//! Given a baseline and a follow-up score, [`Instrument::assess_change`] says whether the
//! change is larger than measurement error and which way it goes, in the words of
//! Jacobson & Truax (1991): **recovered** (a reliable improvement that also leaves the
//! clinical side of the published cutoff), **improved**, **unchanged** or
//! **deteriorated**. "Better" follows the instrument's direction: a fall is an
//! improvement on PHQ-9 and a deterioration on FSFI.
//!
//! The method, in order of preference, and always named in the result with its sources:
//! 1. the **Jacobson-Truax reliable change index** when a reliability `r` and a baseline
//!    SD are known, published in the definition (only values clinical.md verifies) or
//!    configured by the practice ([`PracticeParameters`]): the change is reliable when
//!    `|Δ| ≥ 1.96 · SD · √(2(1 − r))`;
//! 2. a **published change threshold** in points (PHQ-9 6, GAD-7 4, PCL-5 5, IIEF
//!    erectile function 4), applied in both directions;
//! 3. otherwise **no method**: the result says so rather than guess.
//!
//! No square root is taken for the decision: both sides are squared and compared as
//! exact products of whole numbers (see `wide`), so a change exactly on the threshold
//! is reliable (`≥`, as in the JT-RCI classification) on every machine. Floats appear
//! only in the displayed index and minimum change.

mod decision;
mod parameters;
mod wide;

use serde::Serialize;
use thiserror::Error;

use crate::cutoff::Cutoff;
use crate::definition::{Direction, Instrument};
use crate::exact::Exact;

use decision::{at_least, difference, jacobson_truax_reliable};
pub use parameters::{
    Parameter, ParameterError, PracticeParameters, PublishedChange, PublishedThreshold,
    Reliability, StandardDeviation, ThresholdKind,
};

/// The Jacobson-Truax paper, cited with every index.
pub const JACOBSON_TRUAX: &str = "Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19 (clinical.md §3).";

/// The Jacobson-Truax classification of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeCategory {
    /// A reliable improvement that moved the score from the clinical side of the
    /// published cutoff to the other side.
    Recovered,
    /// A reliable improvement without that crossing.
    Improved,
    /// No reliable change either way.
    Unchanged,
    /// A reliable change for the worse.
    Deteriorated,
}

impl ChangeCategory {
    /// The category as a clinician reads it (`recovered`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeCategory::Recovered => "recovered",
            ChangeCategory::Improved => "improved",
            ChangeCategory::Unchanged => "unchanged",
            ChangeCategory::Deteriorated => "deteriorated",
        }
    }
}

/// Where the two scores lie relative to the published cutoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutoffCrossing {
    /// Clinical side at baseline, the other side at follow-up.
    LeftClinicalRange,
    /// The other side at baseline, clinical side at follow-up.
    EnteredClinicalRange,
    /// Clinical side both times.
    StayedInClinicalRange,
    /// Non-clinical side both times.
    StayedOutOfClinicalRange,
    /// No published cutoff that alone decides this score (see [`Cutoff::sole_criterion`]).
    NotAssessed,
}

/// How reliability was judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeMethod {
    /// The Jacobson-Truax reliable change index.
    JacobsonTruax {
        /// The reliability used.
        reliability: Parameter,
        /// The baseline SD used.
        sd: Parameter,
        /// `1.96 · SEdiff` in points, for display only (the decision was exact).
        minimum_reliable_change: f64,
        /// `Δ / SEdiff`, for display only.
        index: f64,
    },
    /// A published threshold in points.
    PublishedThreshold {
        /// The threshold.
        threshold: PublishedThreshold,
        /// Where it is published.
        source: String,
    },
}

/// The assessment of one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliableChange {
    /// The instrument id.
    pub instrument: String,
    /// The definition version.
    pub version: String,
    /// The score compared (`total` or a domain id).
    pub score: String,
    /// True when a higher score is better (FSFI), false when worse (PHQ-9).
    pub higher_is_better: bool,
    /// The baseline score.
    pub baseline: Exact,
    /// The follow-up score.
    pub follow_up: Exact,
    /// `follow_up − baseline`, exact.
    pub change: Exact,
    /// Whether the change is at least the method's threshold.
    pub reliable: bool,
    /// The Jacobson-Truax category.
    pub category: ChangeCategory,
    /// Where the scores lie relative to the cutoff.
    pub crossing: CutoffCrossing,
    /// The published cutoff on this score, if there is one.
    pub cutoff: Option<Cutoff>,
    /// How reliability was judged, with the numbers used.
    pub method: ChangeMethod,
    /// The method in words, for a label (`Jacobson-Truax reliable change index`).
    pub method_label: String,
    /// The sources, in one line, for a footnote.
    pub citation: String,
    /// Caveats a clinician should read with this result.
    pub notes: Vec<String>,
}

impl ReliableChange {
    /// One sentence for the clinician: category, change and method.
    pub fn summary(&self) -> String {
        let direction = if self.change > Exact::ZERO {
            format!("a rise of {} points", self.change)
        } else if self.change < Exact::ZERO {
            format!(
                "a fall of {} points",
                Exact::reduced(-self.change.numerator(), self.change.denominator())
            )
        } else {
            "no change".to_owned()
        };
        let category = self.category.as_str();
        let mut first = category.chars();
        let category = first
            .next()
            .map(|c| c.to_uppercase().chain(first).collect::<String>())
            .unwrap_or_default();
        format!(
            "{category}: {direction}, from {} to {} ({}).",
            self.baseline, self.follow_up, self.method_label
        )
    }
}

/// The outcome of asking for a change assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per request, returned and read once; boxing would only add noise"
)]
pub enum ChangeAssessment {
    /// A method applied.
    Assessed(ReliableChange),
    /// No method is available for this score; the message says why and what the
    /// practice can configure.
    NoMethod {
        /// Why, in a sentence that starts "no reliable-change method".
        message: String,
    },
}

/// A change request that cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChangeError {
    /// The instrument has no score by this name.
    #[error("{instrument} has no score `{score}`; its scores are: {known}")]
    UnknownScore {
        /// The instrument id.
        instrument: String,
        /// The name asked for.
        score: String,
        /// The score names it has.
        known: String,
    },
    /// A score outside the instrument's range cannot have come from it.
    #[error("{instrument} {score}: the {which} score {value} lies outside the range {low}-{high}")]
    OutOfRange {
        /// The instrument id.
        instrument: String,
        /// The score name.
        score: String,
        /// `baseline` or `follow-up`.
        which: &'static str,
        /// The value given.
        value: Exact,
        /// The lowest possible score.
        low: Exact,
        /// The highest possible score.
        high: Exact,
    },
    /// The two scores' fractions are too fine to subtract exactly (never the case for
    /// scores this crate produces).
    #[error(
        "{instrument} {score}: the change between {baseline} and {follow_up} cannot be held exactly"
    )]
    TooFine {
        /// The instrument id.
        instrument: String,
        /// The score name.
        score: String,
        /// The baseline.
        baseline: Exact,
        /// The follow-up.
        follow_up: Exact,
    },
}

impl Instrument {
    /// The published change data for the score called `name`, if the definition has any.
    pub fn published_change(&self, name: &str) -> Option<&PublishedChange> {
        self.change.iter().find(|entry| entry.score_name == name)
    }

    /// Judges the change from `baseline` to `follow_up` on the score called `score`
    /// (`total` or a domain id), with the practice's parameters if it configured any.
    pub fn assess_change(
        &self,
        score: &str,
        baseline: Exact,
        follow_up: Exact,
        practice: Option<&PracticeParameters>,
    ) -> Result<ChangeAssessment, ChangeError> {
        let score_ref = self
            .score_ref(score)
            .ok_or_else(|| ChangeError::UnknownScore {
                instrument: self.id.clone(),
                score: score.to_owned(),
                known: self.score_names_text(),
            })?;
        let (low, high) = self.range_of(score_ref);
        for (which, value) in [("baseline", baseline), ("follow-up", follow_up)] {
            if value < low || value > high {
                return Err(ChangeError::OutOfRange {
                    instrument: self.id.clone(),
                    score: score.to_owned(),
                    which,
                    value,
                    low,
                    high,
                });
            }
        }
        let Some((change_num, change_den)) = difference(baseline, follow_up) else {
            return Err(ChangeError::TooFine {
                instrument: self.id.clone(),
                score: score.to_owned(),
                baseline,
                follow_up,
            });
        };
        let change = Exact::reduced(change_num, change_den);
        let published = self.published_change(score);
        let Some((method, reliable)) = choose_method(published, practice, change) else {
            return Ok(ChangeAssessment::NoMethod {
                message: self.no_method_message(score_ref, published),
            });
        };
        let improving = match self.direction {
            Direction::HigherIsBetter => change > Exact::ZERO,
            Direction::HigherIsWorse => change < Exact::ZERO,
        };
        let cutoff = self.cutoff(score);
        let crossing = match &cutoff {
            Some(cutoff) if cutoff.sole_criterion => {
                match (cutoff.is_positive(baseline), cutoff.is_positive(follow_up)) {
                    (true, false) => CutoffCrossing::LeftClinicalRange,
                    (false, true) => CutoffCrossing::EnteredClinicalRange,
                    (true, true) => CutoffCrossing::StayedInClinicalRange,
                    (false, false) => CutoffCrossing::StayedOutOfClinicalRange,
                }
            }
            _ => CutoffCrossing::NotAssessed,
        };
        let category = if !reliable || change == Exact::ZERO {
            ChangeCategory::Unchanged
        } else if !improving {
            ChangeCategory::Deteriorated
        } else if crossing == CutoffCrossing::LeftClinicalRange {
            ChangeCategory::Recovered
        } else {
            ChangeCategory::Improved
        };
        let mut notes = Vec::new();
        if let Some(note) = published.and_then(|entry| entry.note.clone()) {
            notes.push(note);
        }
        if let Some(cutoff) = cutoff.as_ref().filter(|cutoff| !cutoff.sole_criterion) {
            notes.push(format!(
                "The cutoff {} is one of several conditions of the published rule, so \
                 leaving it is not counted as recovery.",
                cutoff.rule_text()
            ));
        }
        let (method_label, citation) = describe(&method);
        Ok(ChangeAssessment::Assessed(ReliableChange {
            instrument: self.id.clone(),
            version: self.version.clone(),
            score: score.to_owned(),
            higher_is_better: self.direction == Direction::HigherIsBetter,
            baseline,
            follow_up,
            change,
            reliable,
            category,
            crossing,
            cutoff,
            method,
            method_label,
            citation,
            notes,
        }))
    }

    fn no_method_message(
        &self,
        score: crate::definition::ScoreRef,
        published: Option<&PublishedChange>,
    ) -> String {
        let title = self.score_title(score);
        match published.and_then(|entry| entry.reliability.map(|r| (r, entry.sd))) {
            Some((r, None)) => format!(
                "no reliable-change method for {title}: its reliability ({r}) is published \
                 but no SD; the practice can configure the SD of a comparable clinical \
                 sample to use Jacobson-Truax"
            ),
            _ => format!(
                "no reliable-change method for {title}: no verified change threshold, \
                 reliability or SD is published; the practice can configure a reliability \
                 and an SD to use Jacobson-Truax"
            ),
        }
    }
}

/// Picks the method (Jacobson-Truax first, then a published threshold) and decides
/// whether `change` is reliable by it.
fn choose_method(
    published: Option<&PublishedChange>,
    practice: Option<&PracticeParameters>,
    change: Exact,
) -> Option<(ChangeMethod, bool)> {
    let practice_source = practice.map(|p| {
        let source = p.source.trim();
        if source.is_empty() {
            "configured by the practice".to_owned()
        } else {
            format!("configured by the practice: {source}")
        }
    });
    let pick = |configured: Option<Exact>, published_value: Option<Exact>| match (
        configured,
        &practice_source,
        published_value,
        published,
    ) {
        (Some(value), Some(source), _, _) => Some(Parameter {
            value,
            source: source.clone(),
            configured_by_practice: true,
        }),
        (_, _, Some(value), Some(entry)) => Some(Parameter {
            value,
            source: entry.citation.clone(),
            configured_by_practice: false,
        }),
        _ => None,
    };
    let reliability = pick(
        practice.and_then(|p| p.reliability.map(Reliability::value)),
        published.and_then(|entry| entry.reliability),
    );
    let sd = pick(
        practice.and_then(|p| p.sd.map(StandardDeviation::value)),
        published.and_then(|entry| entry.sd),
    );
    if let (Some(reliability), Some(sd)) = (reliability, sd) {
        let reliable = jacobson_truax_reliable(change, reliability.value, sd.value);
        let r = reliability.value.to_f64();
        let se_diff = sd.value.to_f64() * (2.0 * (1.0 - r)).sqrt();
        let method = ChangeMethod::JacobsonTruax {
            minimum_reliable_change: 1.96 * se_diff,
            index: change.to_f64() / se_diff,
            reliability,
            sd,
        };
        return Some((method, reliable));
    }
    let entry = published?;
    let threshold = entry.threshold?;
    let reliable = at_least(change, threshold.points);
    let method = ChangeMethod::PublishedThreshold {
        threshold,
        source: entry.citation.clone(),
    };
    Some((method, reliable))
}

/// The method's label and its citation line.
fn describe(method: &ChangeMethod) -> (String, String) {
    match method {
        ChangeMethod::JacobsonTruax {
            reliability,
            sd,
            minimum_reliable_change,
            ..
        } => (
            format!(
                "Jacobson-Truax reliable change index (reliable from {minimum_reliable_change:.2} points)"
            ),
            format!(
                "{JACOBSON_TRUAX} Reliability {}: {}. SD {}: {}.",
                reliability.value, reliability.source, sd.value, sd.source
            ),
        ),
        ChangeMethod::PublishedThreshold { threshold, source } => {
            let kind = match threshold.kind {
                ThresholdKind::ReliableChange => "published reliable-change threshold",
                ThresholdKind::MinimalImportantDifference => {
                    "published minimal important difference"
                }
            };
            (
                format!("{kind} of {} points", threshold.points),
                source.clone(),
            )
        }
    }
}
