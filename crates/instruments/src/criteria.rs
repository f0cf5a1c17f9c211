//! Evaluating the yes/no rules of a definition (`positive`, flags) on a response.
//!
//! Rules use three-valued logic, because a response may leave items unanswered: a
//! condition is `Some(true)`, `Some(false)`, or `None` when the unanswered items could
//! tip it either way. A count condition is already true if the answered items reach its
//! minimum, and already false if even every unanswered item could not; only in between is
//! it unknown. `all` and `any` combine these the usual way (Kleene logic). So a PHQ-9 with
//! item 9 answered 2 raises the self-harm flag whatever else is missing, and one with item
//! 9 unanswered raises neither the flag nor a false all-clear.

use crate::definition::{Combine, Comparison, Condition, Rule, ScoreRef, Tally};
use crate::exact::Exact;
use crate::values::ItemValue;

/// The scores a rule may read.
pub(crate) struct Scores<'s> {
    pub total: Option<Exact>,
    pub domains: &'s [Option<Exact>],
}

impl Scores<'_> {
    pub(crate) fn get(&self, score: ScoreRef) -> Option<Exact> {
        match score {
            ScoreRef::Total => self.total,
            ScoreRef::Domain(index) => self.domains.get(index).copied().flatten(),
        }
    }
}

/// Evaluates a rule: `Some(answer)`, or `None` when unanswered items leave it open.
pub(crate) fn evaluate(rule: &Rule, values: &[ItemValue], scores: &Scores<'_>) -> Option<bool> {
    let results = rule
        .conditions
        .iter()
        .map(|condition| condition_holds(condition, values, scores));
    match rule.combine {
        Combine::All => all(results),
        Combine::Any => any(results),
    }
}

fn all(results: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut answer = Some(true);
    for result in results {
        match result {
            Some(false) => return Some(false),
            None => answer = None,
            Some(true) => {}
        }
    }
    answer
}

fn any(results: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut answer = Some(false);
    for result in results {
        match result {
            Some(true) => return Some(true),
            None => answer = None,
            Some(false) => {}
        }
    }
    answer
}

fn condition_holds(
    condition: &Condition,
    values: &[ItemValue],
    scores: &Scores<'_>,
) -> Option<bool> {
    match condition {
        Condition::Compare {
            score,
            comparison,
            threshold,
        } => {
            let value = scores.get(*score)?;
            Some(match comparison {
                Comparison::AtLeast => value >= *threshold,
                Comparison::AtMost => value <= *threshold,
                Comparison::Below => value < *threshold,
                Comparison::Above => value > *threshold,
            })
        }
        Condition::Count { tallies, min } => {
            let (counted, open) = tallies.iter().fold((0, 0), |(counted, open), tally| {
                let (c, o) = count(tally, values);
                (counted + c, open + o)
            });
            if counted >= *min {
                Some(true)
            } else if counted + open < *min {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// How many of the tally's items certainly count, and how many are unanswered and might.
fn count(tally: &Tally, values: &[ItemValue]) -> (usize, usize) {
    let mut counted = 0;
    let mut open = 0;
    for &index in &tally.items {
        match values.get(index).copied().flatten() {
            Some(value) if (tally.at_least..=tally.at_most).contains(&value) => counted += 1,
            Some(_) => {}
            None if tally.missing_counts => counted += 1,
            None => open += 1,
        }
    }
    (counted, open)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_least(items: Vec<usize>, value: u8, min: usize) -> Rule {
        Rule {
            meaning: "test".into(),
            citation: "test".into(),
            combine: Combine::All,
            conditions: vec![Condition::Count {
                tallies: vec![Tally {
                    items,
                    at_least: value,
                    at_most: u8::MAX,
                    missing_counts: false,
                }],
                min,
            }],
        }
    }

    fn no_scores() -> Scores<'static> {
        Scores {
            total: None,
            domains: &[],
        }
    }

    #[test]
    fn a_count_reached_by_answered_items_is_true_despite_gaps() {
        let rule = at_least(vec![0, 1, 2], 2, 2);
        assert_eq!(
            evaluate(&rule, &[Some(2), Some(3), None], &no_scores()),
            Some(true)
        );
    }

    #[test]
    fn a_count_that_gaps_could_still_reach_is_unknown() {
        let rule = at_least(vec![0, 1, 2], 2, 2);
        assert_eq!(
            evaluate(&rule, &[Some(2), Some(0), None], &no_scores()),
            None
        );
    }

    #[test]
    fn a_count_out_of_reach_even_with_gaps_is_false() {
        let rule = at_least(vec![0, 1, 2], 2, 3);
        assert_eq!(
            evaluate(&rule, &[Some(2), Some(0), None], &no_scores()),
            Some(false)
        );
    }

    #[test]
    fn all_is_false_as_soon_as_one_condition_is_false_even_beside_an_unknown() {
        assert_eq!(all([None, Some(false)].into_iter()), Some(false));
        assert_eq!(all([None, Some(true)].into_iter()), None);
        assert_eq!(all([Some(true), Some(true)].into_iter()), Some(true));
    }

    #[test]
    fn any_is_true_as_soon_as_one_condition_is_true_even_beside_an_unknown() {
        assert_eq!(any([None, Some(true)].into_iter()), Some(true));
        assert_eq!(any([None, Some(false)].into_iter()), None);
        assert_eq!(any([Some(false), Some(false)].into_iter()), Some(false));
    }

    #[test]
    fn a_comparison_on_a_missing_score_is_unknown() {
        let rule = Rule {
            meaning: "test".into(),
            citation: "test".into(),
            combine: Combine::All,
            conditions: vec![Condition::Compare {
                score: ScoreRef::Total,
                comparison: Comparison::AtLeast,
                threshold: Exact::from_int(10),
            }],
        };
        assert_eq!(evaluate(&rule, &[], &no_scores()), None);
    }
}
