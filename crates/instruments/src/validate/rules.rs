//! Checking the parts of a definition that decide: bands, `positive` and flags.
//!
//! A band or rule that refers to a score or item that does not exist, bands that overlap
//! or leave a gap, or a condition with two comparators are all refused here, with the
//! field path, so the engine can evaluate rules without a single fallible step.

use std::collections::HashSet;

use super::{Checker, DefinitionError};
use crate::definition::{
    Band, Banding, Combine, Comparison, Condition, Flag, Instrument, Rule, ScoreRef, Tally,
    TotalRule,
};
use crate::exact::Exact;
use crate::format::{BandingFile, ConditionFile, FlagFile, RuleFile, TallyFile};

/// Flag ids the engine raises itself.
const RESERVED_FLAGS: [&str; 2] = ["incomplete", "prorated"];
/// The largest magnitude a threshold or band edge may have (see `exactness`).
const MAX_THRESHOLD: i64 = 1 << 20;

pub(super) fn banding(
    checker: &Checker<'_>,
    instrument: &Instrument,
    raw: &BandingFile,
) -> Result<Banding, DefinitionError> {
    let score = score_ref(checker, instrument, "banding.score", &raw.score)?;
    checker.text("banding.citation", &raw.citation)?;
    if !score_is_whole(instrument, score) {
        return Err(checker.error(
            "banding.score",
            "bands need a score that is always a whole number (integer factors, and \
             prorated scores rounded to whole points)",
        ));
    }
    let (low, high) = score_range(instrument, score);
    if raw.bands.is_empty() {
        return Err(checker.error("banding.bands", "needs at least one band"));
    }
    let mut bands: Vec<Band> = Vec::with_capacity(raw.bands.len());
    for (index, band) in raw.bands.iter().enumerate() {
        let field = format!("banding.bands[{index}]");
        checker.text(&format!("{field}.name"), &band.name)?;
        if band.name != band.name.to_lowercase() {
            return Err(checker.error(format!("{field}.name"), "band names are lower case"));
        }
        let min = threshold(checker, &format!("{field}.min"), &band.min.0)?;
        let max = threshold(checker, &format!("{field}.max"), &band.max.0)?;
        if !min.is_integer() || !max.is_integer() || min > max || min < low || max > high {
            return Err(checker.error(
                field,
                format!(
                    "needs whole numbers with min <= max inside the score's range {low}-{high}"
                ),
            ));
        }
        if let Some(previous) = bands.last()
            && min != previous.max.add(Exact::from_int(1))
        {
            return Err(checker.error(
                format!("{field}.min"),
                format!(
                    "must be {} + 1: bands run upwards without gaps",
                    previous.max
                ),
            ));
        }
        bands.push(Band {
            name: band.name.clone(),
            min,
            max,
        });
    }
    Ok(Banding {
        score,
        score_name: raw.score.clone(),
        citation: raw.citation.clone(),
        bands,
    })
}

pub(super) fn flags(
    checker: &Checker<'_>,
    instrument: &Instrument,
    raw: &[FlagFile],
) -> Result<Vec<Flag>, DefinitionError> {
    let mut ids: HashSet<String> = RESERVED_FLAGS.iter().map(|id| (*id).to_owned()).collect();
    raw.iter()
        .enumerate()
        .map(|(index, flag)| {
            let field = format!("flags[{index}]");
            checker.identifier(&format!("{field}.id"), &flag.id)?;
            let unanswered_id = format!("{}_unanswered", flag.id);
            if !ids.insert(flag.id.clone()) || !ids.insert(unanswered_id.clone()) {
                return Err(checker.error(
                    format!("{field}.id"),
                    format!("`{}` is reserved or already used", flag.id),
                ));
            }
            let body = RuleFile {
                meaning: flag.meaning.clone(),
                citation: flag.citation.clone(),
                when: flag.when.clone(),
                conditions: Vec::new(),
            };
            let rule = rule_parts(checker, instrument, &field, &body, &flag.conditions)?;
            Ok(Flag {
                id: flag.id.clone(),
                unanswered_id,
                critical: flag.critical,
                rule,
            })
        })
        .collect()
}

pub(super) fn rule(
    checker: &Checker<'_>,
    instrument: &Instrument,
    field: &str,
    raw: &RuleFile,
) -> Result<Rule, DefinitionError> {
    rule_parts(checker, instrument, field, raw, &raw.conditions)
}

fn rule_parts(
    checker: &Checker<'_>,
    instrument: &Instrument,
    field: &str,
    raw: &RuleFile,
    conditions: &[ConditionFile],
) -> Result<Rule, DefinitionError> {
    checker.text(&format!("{field}.meaning"), &raw.meaning)?;
    checker.text(&format!("{field}.citation"), &raw.citation)?;
    let combine = match raw.when.as_deref() {
        None | Some("all") => Combine::All,
        Some("any") => Combine::Any,
        Some(other) => {
            return Err(checker.error(
                format!("{field}.when"),
                format!("`{other}` is not `all` or `any`"),
            ));
        }
    };
    if conditions.is_empty() {
        return Err(checker.error(format!("{field}.conditions"), "needs at least one"));
    }
    let conditions = conditions
        .iter()
        .enumerate()
        .map(|(index, condition)| {
            self::condition(
                checker,
                instrument,
                &format!("{field}.conditions[{index}]"),
                condition,
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(Rule {
        meaning: raw.meaning.clone(),
        citation: raw.citation.clone(),
        combine,
        conditions,
    })
}

fn condition(
    checker: &Checker<'_>,
    instrument: &Instrument,
    field: &str,
    raw: &ConditionFile,
) -> Result<Condition, DefinitionError> {
    let comparators = [
        (Comparison::AtLeast, "at_least", &raw.at_least),
        (Comparison::AtMost, "at_most", &raw.at_most),
        (Comparison::Below, "below", &raw.below),
        (Comparison::Above, "above", &raw.above),
    ];
    let mut given = comparators.iter().filter_map(|(comparison, name, value)| {
        value.as_ref().map(|text| (*comparison, *name, text))
    });
    match (&raw.score, &raw.count, given.next(), given.next(), raw.min) {
        (Some(score), None, Some((comparison, name, text)), None, None) => Ok(Condition::Compare {
            score: score_ref(checker, instrument, &format!("{field}.score"), score)?,
            comparison,
            threshold: threshold(checker, &format!("{field}.{name}"), &text.0)?,
        }),
        (None, Some(tallies), None, None, Some(min)) => {
            if tallies.is_empty() {
                return Err(checker.error(format!("{field}.count"), "needs at least one tally"));
            }
            let tallies = tallies
                .iter()
                .enumerate()
                .map(|(index, tally)| {
                    self::tally(
                        checker,
                        instrument,
                        &format!("{field}.count[{index}]"),
                        tally,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            let counted = tallies.iter().map(|tally| tally.items.len()).sum();
            let min = checker.count_in(&format!("{field}.min"), min, counted)?;
            Ok(Condition::Count { tallies, min })
        }
        _ => Err(checker.error(
            field,
            "needs either `score` with exactly one of at_least/at_most/below/above, \
             or `count` with `min`",
        )),
    }
}

fn tally(
    checker: &Checker<'_>,
    instrument: &Instrument,
    field: &str,
    raw: &TallyFile,
) -> Result<Tally, DefinitionError> {
    if raw.items.is_empty() {
        return Err(checker.error(format!("{field}.items"), "needs at least one item"));
    }
    let items = raw
        .items
        .iter()
        .enumerate()
        .map(|(index, id)| {
            checker.item_index(&format!("{field}.items[{index}]"), &instrument.items, id)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bound = |name: &str, value: Option<i64>, default: u8| {
        value.map_or(Ok(default), |v| {
            u8::try_from(v)
                .map_err(|_| checker.error(format!("{field}.{name}"), "must be 0 to 255"))
        })
    };
    let at_least = bound("at_least", raw.at_least, 0)?;
    let at_most = bound("at_most", raw.at_most, u8::MAX)?;
    if raw.at_least.is_none() && raw.at_most.is_none() {
        return Err(checker.error(field, "needs at_least, at_most or both"));
    }
    if at_least > at_most {
        return Err(checker.error(field, "at_least is above at_most"));
    }
    Ok(Tally {
        items,
        at_least,
        at_most,
        missing_counts: raw.missing_counts,
    })
}

pub(super) fn score_ref(
    checker: &Checker<'_>,
    instrument: &Instrument,
    field: &str,
    name: &str,
) -> Result<ScoreRef, DefinitionError> {
    if name == "total" {
        return Ok(ScoreRef::Total);
    }
    instrument
        .domains
        .iter()
        .position(|domain| domain.id == name)
        .map(ScoreRef::Domain)
        .ok_or_else(|| checker.error(field, format!("`{name}` is not `total` or a domain id")))
}

pub(super) fn threshold(
    checker: &Checker<'_>,
    field: &str,
    text: &str,
) -> Result<Exact, DefinitionError> {
    let value = checker.decimal(field, text)?;
    if value.numerator().abs() > MAX_THRESHOLD * value.denominator() {
        return Err(checker.error(field, format!("must lie within ±{MAX_THRESHOLD}")));
    }
    Ok(value)
}

pub(super) fn score_range(instrument: &Instrument, score: ScoreRef) -> (Exact, Exact) {
    match score {
        ScoreRef::Total => instrument.total_range,
        ScoreRef::Domain(index) => instrument.domains[index].range,
    }
}

/// Whether the engine can only ever produce a whole number for this score.
pub(crate) fn score_is_whole(instrument: &Instrument, score: ScoreRef) -> bool {
    let rounded = instrument.missing.round_whole;
    match score {
        ScoreRef::Total => match instrument.total {
            TotalRule::ItemSum => !instrument.missing.prorate || rounded,
            TotalRule::DomainSum => {
                instrument.domains.iter().all(|domain| {
                    domain_is_whole(
                        instrument,
                        domain.factor,
                        domain.min_answered,
                        domain.items.len(),
                    )
                }) && (instrument.missing.min_domains == instrument.domains.len() || rounded)
            }
        },
        ScoreRef::Domain(index) => {
            let domain = &instrument.domains[index];
            domain_is_whole(
                instrument,
                domain.factor,
                domain.min_answered,
                domain.items.len(),
            )
        }
    }
}

fn domain_is_whole(
    instrument: &Instrument,
    factor: Exact,
    min_answered: usize,
    len: usize,
) -> bool {
    factor.is_integer() && (min_answered == len || instrument.missing.round_whole)
}
