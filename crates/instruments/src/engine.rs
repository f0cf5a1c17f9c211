//! The one scoring engine: it reads a validated [`Instrument`] and a response and
//! computes domains, total, band, `positive` and flags. No instrument has code of its own.
//!
//! The steps, in order:
//! 1. each domain is its items' sum times its factor; with unanswered items it is scored
//!    only if the missing-data rule prorates and enough items are answered, as the mean of
//!    the answered items times the item count, rounded if the rule says so, and kept
//!    within the domain's range (PROscorer's FSFI floor);
//! 2. the total is the sum of all items, or of the domains; a prorated total works the
//!    same way over items or over domains;
//! 3. the band is looked up on its score; `positive` and each flag are rules
//!    (see [`crate::criteria`]);
//! 4. `incomplete` is raised when the total cannot be scored, `prorated` when a reported
//!    score was estimated from a partial response, and `<flag>_unanswered` when a
//!    critical flag is left undecided by unanswered items.
//!
//! [`Outcome`] holds the result with borrowed names, and is reused row after row by the
//! CSV batch so that scoring a row allocates nothing.

use crate::criteria::{self, Scores};
use crate::definition::{Domain, Instrument, TotalRule};
use crate::exact::Exact;
use crate::score::{DomainScore, Score};
use crate::values::{ItemValue, ScoreError};

/// Flag raised when the missing-data rule cannot score the total.
pub const INCOMPLETE: &str = "incomplete";
/// Flag raised when a reported score was prorated from a partial response.
pub const PRORATED: &str = "prorated";

/// A scored response whose names borrow from the instrument; reusable between rows.
#[derive(Debug, Default)]
pub(crate) struct Outcome<'a> {
    pub total: Option<Exact>,
    pub domains: Vec<Option<Exact>>,
    pub band: Option<&'a str>,
    pub positive: Option<bool>,
    pub flags: Vec<&'a str>,
}

impl Instrument {
    /// Scores one response: coded values in item order, `None` for an unanswered item.
    ///
    /// Fails only on invalid input (wrong count, a value the item does not allow). A
    /// response the missing-data rule cannot score is not an error: it gives a `Score`
    /// with `total: None` and the flag `incomplete`.
    pub fn score(&self, values: &[ItemValue]) -> Result<Score, ScoreError> {
        let mut outcome = Outcome::default();
        self.check_values(values)?;
        self.evaluate(values, &mut outcome);
        Ok(Score {
            instrument: self.id.clone(),
            version: self.version.clone(),
            total: outcome.total,
            domains: self
                .domains
                .iter()
                .zip(&outcome.domains)
                .map(|(domain, score)| DomainScore {
                    id: domain.id.clone(),
                    score: *score,
                })
                .collect(),
            band: outcome.band.map(str::to_owned),
            positive: outcome.positive,
            flags: outcome
                .flags
                .iter()
                .map(|flag| (*flag).to_owned())
                .collect(),
        })
    }

    /// Scores values that have already been checked against this instrument.
    pub(crate) fn evaluate<'a>(&'a self, values: &[ItemValue], out: &mut Outcome<'a>) {
        let mut estimated = false;
        out.domains.clear();
        for domain in &self.domains {
            let (sum, answered) = sum_answered(values, domain.items.iter().copied());
            let score = self.domain_score(domain, sum, answered);
            estimated |= score.is_some() && answered < domain.items.len();
            out.domains.push(score);
        }
        let (sum, present, all, min_present) = match self.total {
            TotalRule::ItemSum => {
                let (sum, answered) = sum_answered(values, 0..self.items.len());
                let all = self.items.len();
                (
                    Exact::from_int(sum),
                    answered,
                    all,
                    self.missing.min_answered,
                )
            }
            TotalRule::DomainSum => {
                let scored = out.domains.iter().flatten();
                let sum = scored.clone().fold(Exact::ZERO, |s, d| s.add(*d));
                let all = self.domains.len();
                (sum, scored.count(), all, self.missing.min_domains)
            }
        };
        out.total = self
            .prorate(sum, (present, all), min_present)
            .map(|total| total.clamp(self.total_range.0, self.total_range.1));
        estimated |= out.total.is_some() && present < all;
        let scores = Scores {
            total: out.total,
            domains: &out.domains,
        };
        out.band = self.banding.as_ref().and_then(|banding| {
            let value = scores.get(banding.score)?;
            banding
                .bands
                .iter()
                .find(|band| band.min <= value && value <= band.max)
                .map(|band| band.name.as_str())
        });
        out.positive = self
            .positive
            .as_ref()
            .and_then(|rule| criteria::evaluate(rule, values, &scores));
        out.flags.clear();
        for flag in &self.flags {
            match criteria::evaluate(&flag.rule, values, &scores) {
                Some(true) => out.flags.push(&flag.id),
                None if flag.critical => out.flags.push(&flag.unanswered_id),
                _ => {}
            }
        }
        if out.total.is_none() {
            out.flags.push(INCOMPLETE);
        }
        if estimated {
            out.flags.push(PRORATED);
        }
    }

    /// A domain's score: complete, prorated, or `None` when too few items are answered.
    /// A prorated score is kept within the domain's range (PROscorer's FSFI floor).
    fn domain_score(&self, domain: &Domain, sum: i64, answered: usize) -> Option<Exact> {
        let counts = (answered, domain.items.len());
        let raw = self.prorate(Exact::from_int(sum), counts, domain.min_answered)?;
        Some(raw.mul(domain.factor).clamp(domain.range.0, domain.range.1))
    }

    /// `sum` over `present` of `all` parts (items or domains): as is when all are
    /// present; scaled up to all parts (and rounded, if the rule rounds) when the rule
    /// prorates and at least `min_present` are present; otherwise `None`.
    fn prorate(
        &self,
        sum: Exact,
        (present, all): (usize, usize),
        min_present: usize,
    ) -> Option<Exact> {
        if present == all {
            return Some(sum);
        }
        if !self.missing.prorate || present < min_present || present == 0 {
            return None;
        }
        // Counts are at most 200 (checked at load), so they fit an i64.
        let scaled = sum.scale(all as i64, present as i64);
        Some(if self.missing.round_whole {
            scaled.round_half_up()
        } else {
            scaled
        })
    }
}

/// The sum of the answered values among `indices`, and how many were answered.
fn sum_answered(values: &[ItemValue], indices: impl IntoIterator<Item = usize>) -> (i64, usize) {
    indices
        .into_iter()
        .filter_map(|index| values.get(index).copied().flatten())
        .fold((0, 0), |(sum, answered), value| {
            (sum + i64::from(value), answered + 1)
        })
}

#[cfg(test)]
mod tests {
    use crate::Catalogue;
    use crate::exact::Exact;

    #[test]
    fn an_outcome_reused_for_a_second_response_keeps_nothing_of_the_first() {
        let catalogue = Catalogue::builtin().unwrap();
        let phq9 = catalogue.get("phq9").unwrap();
        let mut outcome = super::Outcome::default();
        phq9.evaluate(&[None; 9], &mut outcome);
        assert_eq!(
            outcome.flags,
            ["suicidal_ideation_unanswered", "incomplete"]
        );
        phq9.evaluate(&[Some(0); 9], &mut outcome);
        assert_eq!(outcome.total, Some(Exact::ZERO));
        assert!(outcome.flags.is_empty());
        assert_eq!(outcome.band, Some("none/minimal"));
    }

    #[test]
    fn a_prorated_domain_total_is_kept_within_the_total_range() {
        // Desire unscored and satisfaction at its floor: the mean of the other five
        // domains times six would fall below the FSFI minimum of 2.0.
        let catalogue = Catalogue::builtin().unwrap();
        let fsfi = catalogue.get("fsfi").unwrap();
        let mut values = [Some(0); 19];
        values[0] = None;
        values[1] = None;
        values[14] = Some(1);
        values[15] = Some(1);
        let mut outcome = super::Outcome::default();
        fsfi.evaluate(&values, &mut outcome);
        assert_eq!(outcome.total, Some(Exact::from_int(2)));
    }
}
