//! Naming one score of an instrument: `total`, or a domain id (`erectile_function`).
//!
//! Change statistics, cutoffs, charts and FHIR observations all work on one score at a
//! time and take its name as text from the caller (the web app, the CLI), so the lookup
//! and the words used for a score in messages live here once.

use crate::definition::{Instrument, ScoreRef};
use crate::exact::Exact;

/// The name of the total score.
pub const TOTAL: &str = "total";

impl Instrument {
    /// The score called `name` (`total` or a domain id), if the instrument has it.
    pub(crate) fn score_ref(&self, name: &str) -> Option<ScoreRef> {
        if name == TOTAL {
            return Some(ScoreRef::Total);
        }
        self.domains
            .iter()
            .position(|domain| domain.id == name)
            .map(ScoreRef::Domain)
    }

    /// The names of every score, total first: what a caller may pass as a score name.
    pub fn score_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(TOTAL).chain(self.domains.iter().map(|domain| domain.id.as_str()))
    }

    /// The lowest and highest value of the score called `name`, if it exists.
    pub fn score_range(&self, name: &str) -> Option<(Exact, Exact)> {
        self.score_ref(name).map(|score| self.range_of(score))
    }

    pub(crate) fn range_of(&self, score: ScoreRef) -> (Exact, Exact) {
        match score {
            ScoreRef::Total => self.total_range,
            ScoreRef::Domain(index) => self.domains[index].range,
        }
    }

    /// The id of a score (`total` or the domain id).
    pub(crate) fn score_id(&self, score: ScoreRef) -> &str {
        match score {
            ScoreRef::Total => TOTAL,
            ScoreRef::Domain(index) => &self.domains[index].id,
        }
    }

    /// How a score is named for people: `PHQ-9 total`, `IIEF-15 erectile function`.
    pub(crate) fn score_title(&self, score: ScoreRef) -> String {
        match score {
            ScoreRef::Total => format!("{} total", self.abbreviation),
            ScoreRef::Domain(index) => format!(
                "{} {}",
                self.abbreviation,
                self.domains[index].name.to_lowercase()
            ),
        }
    }

    /// A list of the score names, for messages (`total, desire, arousal`).
    pub(crate) fn score_names_text(&self) -> String {
        self.score_names().collect::<Vec<_>>().join(", ")
    }
}
