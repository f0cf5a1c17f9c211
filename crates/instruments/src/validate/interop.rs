//! Checking the optional `[[change]]` and `[fhir]` tables: published change parameters and
//! verified codes.
//!
//! Both only add information to an instrument (how to judge a change between two scores;
//! which LOINC codes name it), so a definition without them loads as before. What is here
//! is clinical data and must be verified before it is written (clinical.md §0): the
//! checks make sure it is at least well-formed, refers to scores and scales that exist,
//! and is cited.

use std::collections::{BTreeMap, HashSet};

use super::rules::{score_ref, threshold};
use super::{Checker, DefinitionError};
use crate::change::{PublishedChange, PublishedThreshold, ThresholdKind};
use crate::definition::Instrument;
use crate::exact::Exact;
use crate::fhir::{AnswerList, FhirCodes};
use crate::format::{ChangeFile, FhirFile, ItemFile, ScaleFile};

/// The published change parameters, one entry per score at most.
pub(super) fn change(
    checker: &Checker<'_>,
    instrument: &Instrument,
    raw: &[ChangeFile],
) -> Result<Vec<PublishedChange>, DefinitionError> {
    let mut seen = HashSet::new();
    raw.iter()
        .enumerate()
        .map(|(index, entry)| {
            let field = format!("change[{index}]");
            score_ref(checker, instrument, &format!("{field}.score"), &entry.score)?;
            if !seen.insert(entry.score.as_str()) {
                return Err(checker.error(
                    format!("{field}.score"),
                    format!("`{}` already has a [[change]] entry", entry.score),
                ));
            }
            checker.text(&format!("{field}.citation"), &entry.citation)?;
            if let Some(note) = &entry.note {
                checker.text(&format!("{field}.note"), note)?;
            }
            let published = published_threshold(checker, &field, entry)?;
            let reliability = match &entry.reliability {
                Some(text) => {
                    let value = checker.decimal(&format!("{field}.reliability"), &text.0)?;
                    if value <= Exact::ZERO || value >= Exact::from_int(1) {
                        return Err(checker.error(
                            format!("{field}.reliability"),
                            "must lie strictly between 0 and 1",
                        ));
                    }
                    Some(value)
                }
                None => None,
            };
            let sd = match &entry.sd {
                Some(text) => {
                    let value = threshold(checker, &format!("{field}.sd"), &text.0)?;
                    if value <= Exact::ZERO {
                        return Err(checker.error(format!("{field}.sd"), "must be above 0"));
                    }
                    Some(value)
                }
                None => None,
            };
            if published.is_none() && reliability.is_none() && sd.is_none() {
                return Err(checker.error(
                    field,
                    "needs a threshold, a reliability or an sd (otherwise leave the entry out)",
                ));
            }
            Ok(PublishedChange {
                score_name: entry.score.clone(),
                threshold: published,
                reliability,
                sd,
                citation: entry.citation.clone(),
                note: entry.note.clone(),
            })
        })
        .collect()
}

fn published_threshold(
    checker: &Checker<'_>,
    field: &str,
    entry: &ChangeFile,
) -> Result<Option<PublishedThreshold>, DefinitionError> {
    let (points, kind) = match (&entry.threshold, &entry.kind) {
        (None, None) => return Ok(None),
        (Some(points), Some(kind)) => (points, kind),
        _ => {
            return Err(checker.error(
                format!("{field}.kind"),
                "a threshold needs its kind, and a kind needs a threshold",
            ));
        }
    };
    let points = threshold(checker, &format!("{field}.threshold"), &points.0)?;
    if points <= Exact::ZERO {
        return Err(checker.error(format!("{field}.threshold"), "must be above 0"));
    }
    let kind = match kind.as_str() {
        "reliable_change" => ThresholdKind::ReliableChange,
        "minimal_important_difference" => ThresholdKind::MinimalImportantDifference,
        other => {
            return Err(checker.error(
                format!("{field}.kind"),
                format!("`{other}` is not `reliable_change` or `minimal_important_difference`"),
            ));
        }
    };
    Ok(Some(PublishedThreshold { points, kind }))
}

/// The verified codes: every code well-formed, one item code per item, one answer code
/// per coded value of the scale it names.
pub(super) fn fhir(
    checker: &Checker<'_>,
    instrument: &Instrument,
    file: Option<&FhirFile>,
    scales: &BTreeMap<String, ScaleFile>,
    items: &[ItemFile],
) -> Result<FhirCodes, DefinitionError> {
    let Some(file) = file else {
        return Ok(FhirCodes::default());
    };
    checker.text("fhir.citation", &file.citation)?;
    for (field, code) in [
        ("fhir.questionnaire", &file.questionnaire),
        ("fhir.total", &file.total),
    ] {
        if let Some(code) = code {
            loinc(checker, field, code, "")?;
        }
    }
    if !file.items.is_empty() && file.items.len() != instrument.items.len() {
        return Err(checker.error(
            "fhir.items",
            format!(
                "lists {} codes; give one per item ({}) or none",
                file.items.len(),
                instrument.items.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    for (index, code) in file.items.iter().chain(&file.unscored_items).enumerate() {
        let field = if index < file.items.len() {
            format!("fhir.items[{index}]")
        } else {
            format!("fhir.unscored_items[{}]", index - file.items.len())
        };
        loinc(checker, &field, code, "")?;
        if !seen.insert(code.as_str()) {
            return Err(checker.error(field, format!("`{code}` is listed twice")));
        }
    }
    let answers = answer_lists(checker, scales, items, file)?;
    Ok(FhirCodes {
        citation: Some(file.citation.clone()),
        questionnaire: file.questionnaire.clone(),
        total: file.total.clone(),
        items: file.items.clone(),
        unscored_items: file.unscored_items.clone(),
        answers,
    })
}

/// One entry per item: the answer list of its scale, if `[fhir.answers]` names it.
fn answer_lists(
    checker: &Checker<'_>,
    scales: &BTreeMap<String, ScaleFile>,
    items: &[ItemFile],
    file: &FhirFile,
) -> Result<Vec<Option<AnswerList>>, DefinitionError> {
    for (scale_name, list) in &file.answers {
        let field = format!("fhir.answers.{scale_name}");
        let Some(scale) = scales.get(scale_name) else {
            return Err(checker.error(field, format!("no scale named `{scale_name}`")));
        };
        loinc(checker, &format!("{field}.list"), &list.list, "LL")?;
        let expected = usize::try_from(scale.max - scale.min + 1).unwrap_or(0);
        if list.codes.len() != expected {
            return Err(checker.error(
                format!("{field}.codes"),
                format!(
                    "lists {} codes; the scale has {expected} values ({}-{})",
                    list.codes.len(),
                    scale.min,
                    scale.max
                ),
            ));
        }
        let mut seen = HashSet::new();
        for (index, code) in list.codes.iter().enumerate() {
            let code_field = format!("{field}.codes[{index}]");
            loinc(checker, &code_field, code, "LA")?;
            if !seen.insert(code.as_str()) {
                return Err(checker.error(code_field, format!("`{code}` is listed twice")));
            }
        }
    }
    if file.answers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(items
        .iter()
        .map(|item| {
            file.answers.get(&item.scale).map(|list| AnswerList {
                list: list.list.clone(),
                codes: list.codes.clone(),
            })
        })
        .collect())
}

/// A LOINC code: an optional prefix (`LA` answers, `LL` answer lists), digits, a hyphen
/// and one check digit. For plain codes the check digit must also be right (LOINC's
/// mod-10 rule), which catches most typing slips; answer codes use another scheme.
fn loinc(
    checker: &Checker<'_>,
    field: &str,
    code: &str,
    prefix: &str,
) -> Result<(), DefinitionError> {
    let well_formed = code
        .strip_prefix(prefix)
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(digits, check)| {
            (1..=8).contains(&digits.len())
                && check.len() == 1
                && digits
                    .bytes()
                    .chain(check.bytes())
                    .all(|b| b.is_ascii_digit())
                && (!prefix.is_empty() || check == mod10_check_digit(digits).to_string())
        });
    if well_formed {
        Ok(())
    } else {
        let example = match prefix {
            "LA" => "LA6568-5",
            "LL" => "LL358-3",
            _ => "44249-1",
        };
        Err(checker.error(
            field,
            format!("`{code}` is not a LOINC code like {example} (or its check digit is wrong)"),
        ))
    }
}

/// LOINC's mod-10 check digit of up to 8 ASCII digits: the digits in odd places counted
/// from the right form a number that is doubled; the digits of that and of the even
/// places are summed; the check digit brings the sum up to a multiple of 10.
fn mod10_check_digit(digits: &str) -> u32 {
    let from_right: Vec<u32> = digits.bytes().rev().map(|b| u32::from(b - b'0')).collect();
    let odd = from_right
        .iter()
        .step_by(2)
        .fold(0_u64, |number, digit| number * 10 + u64::from(*digit));
    let even_sum: u32 = from_right.iter().skip(1).step_by(2).sum();
    let doubled_sum: u32 = (odd * 2)
        .to_string()
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .sum();
    (10 - (even_sum + doubled_sum) % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::mod10_check_digit;

    #[test]
    fn loinc_check_digits_follow_the_published_example_and_real_codes() {
        assert_eq!(mod10_check_digit("12345"), 5);
        for code in [
            "44249-1", "44261-6", "44260-8", "69737-5", "70274-6", "55758-7",
        ] {
            let (digits, check) = code.split_once('-').unwrap();
            assert_eq!(mod10_check_digit(digits).to_string(), check, "{code}");
        }
    }
}
