//! The item-by-item check of an imported Questionnaire against a definition.
//!
//! For the n-th scored question and our n-th item, in this order: the item exists on both
//! sides; its LOINC code, where both have one, is the same; it takes one answer; it has
//! question text; and its answer options carry exactly our coded values, each once (by
//! the `ordinalValue` or `itemWeight` extension, by `valueInteger`, or by a verified LOINC
//! answer code), with a LOINC answer code, where present, agreeing with its value. The
//! first difference found is the error, named by item number, linkId and our item id, so
//! the practice can fix its file and try again.

use super::import::{AnswerValue, ImportError, ImportedAnswer, ImportedItem, Question};
use super::questionnaire::{AnswerOption, Extension};
use super::{DATA_ABSENT_REASON, ITEM_WEIGHT, LOINC, ORDINAL_VALUE};
use crate::definition::{Instrument, Item};

/// Binds the scored questions to the instrument's items, or names the first difference.
pub(super) fn bind(
    instrument: &Instrument,
    questions: &[Question<'_>],
) -> Result<Vec<ImportedItem>, ImportError> {
    let ours = instrument.items();
    let mismatch = |difference: String| ImportError::Mismatch {
        instrument: instrument.id().to_owned(),
        difference,
    };
    let mut bound = Vec::with_capacity(ours.len());
    for index in 0..ours.len().max(questions.len()) {
        let number = index + 1;
        match (ours.get(index), questions.get(index)) {
            (Some(item), Some(question)) => {
                bound.push(bind_item(instrument, index, item, question).map_err(|why| {
                    mismatch(format!(
                        "item {number} (linkId '{}'): {why}",
                        question.link_id
                    ))
                })?);
            }
            (Some(item), None) => {
                return Err(mismatch(format!(
                    "the Questionnaire has {} scored questions and {} has {}: item {number} \
                     ({}, \"{}\") is missing",
                    questions.len(),
                    instrument.id(),
                    ours.len(),
                    item.id(),
                    item.label()
                )));
            }
            (None, Some(question)) => {
                return Err(mismatch(format!(
                    "item {number} (linkId '{}') is one more than the {} scored items of {}; \
                     remove questions that are not part of the instrument",
                    question.link_id,
                    ours.len(),
                    instrument.id()
                )));
            }
            (None, None) => break,
        }
    }
    Ok(bound)
}

/// Checks one question against one item; the error is the difference without the item
/// number, which [`bind`] adds.
fn bind_item(
    instrument: &Instrument,
    index: usize,
    item: &Item,
    question: &Question<'_>,
) -> Result<ImportedItem, String> {
    let id = instrument.id();
    check_code(instrument, index, item, question)?;
    let q = question.item;
    if q.repeats == Some(true) {
        return Err(format!(
            "allows several answers (repeats), but {id} item {} takes one",
            item.id()
        ));
    }
    let kind = q.kind.as_deref().unwrap_or_default();
    if !matches!(kind, "choice" | "integer" | "coding") {
        return Err(format!(
            "has type {kind}; a scored item must be choice (or integer), so that every answer \
             is one of the options"
        ));
    }
    let text = q
        .text
        .clone()
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| "has no text; the import is for the question wording".to_owned())?;
    let answers = if q.answer_option.is_empty() {
        answers_from_value_set(instrument, index, item, q.answer_value_set.as_deref())?
    } else {
        let answers = q
            .answer_option
            .iter()
            .enumerate()
            .map(|(option_index, option)| answer(instrument, index, item, option_index + 1, option))
            .collect::<Result<Vec<_>, String>>()?;
        check_value_set(id, item, &answers)?;
        answers
    };
    Ok(ImportedItem {
        item_id: item.id().to_owned(),
        link_id: question.link_id.to_owned(),
        prefix: q.prefix.clone(),
        text,
        before: question.before.clone(),
        answers,
    })
}

/// Where both the definition and the question have a LOINC code, they must agree.
fn check_code(
    instrument: &Instrument,
    index: usize,
    item: &Item,
    question: &Question<'_>,
) -> Result<(), String> {
    let codes = instrument.fhir_codes();
    let Some(expected) = codes.item(index) else {
        return Ok(());
    };
    let theirs: Vec<&str> = question
        .item
        .code
        .iter()
        .filter(|coding| coding.system.as_deref() == Some(LOINC))
        .filter_map(|coding| coding.code.as_deref())
        .collect();
    if theirs.is_empty() || theirs.contains(&expected) {
        return Ok(());
    }
    let found = theirs[0];
    let elsewhere = (0..instrument.items().len()).find(|&other| codes.item(other) == Some(found));
    Err(match elsewhere {
        Some(other) => format!(
            "LOINC code {found} is {} item {} ({}), but item {} ({}) is {expected}; \
             items must be in the instrument's order",
            instrument.id(),
            other + 1,
            instrument.items()[other].id(),
            index + 1,
            item.id()
        ),
        None => format!(
            "LOINC code {found} is not {} item {}'s code {expected}",
            instrument.id(),
            item.id()
        ),
    })
}

/// A question that points at a LOINC answer list instead of listing options: accepted
/// only when it is the list the definition verifies (the codes then give the values).
fn answers_from_value_set(
    instrument: &Instrument,
    index: usize,
    item: &Item,
    value_set: Option<&str>,
) -> Result<Vec<ImportedAnswer>, String> {
    let value_set = value_set.unwrap_or_default();
    let known = instrument
        .fhir_codes()
        .answers(index)
        .filter(|list| value_set == format!("{LOINC}/vs/{}", list.list()));
    let Some(list) = known else {
        return Err(format!(
            "takes its answers from the value set '{value_set}', which cannot be checked \
             here; list them as answerOption with ordinal values"
        ));
    };
    Ok((item.min()..=item.max())
        .zip(list.codes())
        .map(|(value, code)| ImportedAnswer {
            value: Some(value),
            display: None,
            answer: AnswerValue::Coding {
                system: Some(LOINC.to_owned()),
                code: code.clone(),
                display: None,
            },
        })
        .collect())
}

/// Reads one answer option and its coded value.
fn answer(
    instrument: &Instrument,
    index: usize,
    item: &Item,
    number: usize,
    option: &AnswerOption,
) -> Result<ImportedAnswer, String> {
    let id = instrument.id();
    let ordinal = ordinal(&option.extension).or_else(|| {
        option
            .value_coding
            .as_ref()
            .and_then(|coding| ordinal(&coding.extension))
    });
    let (answer, display, ordinal) = match (&option.value_coding, option.value_integer) {
        (Some(coding), None) => {
            let code = coding.code.clone().ok_or_else(|| {
                format!("answer option {number} has a valueCoding without a code")
            })?;
            if coding.system.as_deref() == Some(DATA_ABSENT_REASON) {
                let answer = AnswerValue::Coding {
                    system: coding.system.clone(),
                    code,
                    display: coding.display.clone(),
                };
                return Ok(ImportedAnswer {
                    value: None,
                    display: coding.display.clone(),
                    answer,
                });
            }
            let by_code = (coding.system.as_deref() == Some(LOINC))
                .then(|| known_answer_value(instrument, index, item, &code))
                .flatten();
            let ordinal = match (ordinal, by_code) {
                (Some(Ok(ordinal)), Some(value)) if ordinal != i64::from(value) => {
                    return Err(format!(
                        "answer option {number} has code {code}, which {id} codes as {value}, \
                         but ordinal value {ordinal}"
                    ));
                }
                (Some(ordinal), _) => ordinal,
                (None, Some(value)) => Ok(i64::from(value)),
                (None, None) => {
                    return Err(format!(
                        "answer option {number} (code '{code}') has no ordinal value: add the \
                         extension {ORDINAL_VALUE}, or use valueInteger"
                    ));
                }
            };
            let answer = AnswerValue::Coding {
                system: coding.system.clone(),
                code,
                display: coding.display.clone(),
            };
            (answer, coding.display.clone(), ordinal)
        }
        (None, Some(integer)) => (
            AnswerValue::Integer { value: integer },
            None,
            ordinal.unwrap_or(Ok(integer)),
        ),
        (Some(_), Some(_)) => {
            return Err(format!(
                "answer option {number} has two values; FHIR allows one"
            ));
        }
        (None, None) => {
            let kind = if option.value_string.is_some() {
                "text"
            } else if option.value_date.is_some() || option.value_time.is_some() {
                "a date or time"
            } else if option.value_reference.is_some() {
                "a reference"
            } else {
                "empty"
            };
            return Err(format!(
                "answer option {number} is {kind}; scored answers must be valueCoding or \
                 valueInteger"
            ));
        }
    };
    let ordinal = ordinal.map_err(|written| {
        format!(
            "answer option {number} has ordinal value {written}, but {id} item {} codes whole \
             numbers {}",
            item.id(),
            item.allowed()
        )
    })?;
    let value = u8::try_from(ordinal)
        .ok()
        .filter(|value| (item.min()..=item.max()).contains(value))
        .ok_or_else(|| {
            let no_zero = if ordinal == 0 && !item.allows_zero() {
                " (it has no 0)"
            } else {
                ""
            };
            format!(
                "answer option {number} has ordinal value {ordinal}, but {id} item {} codes {}{no_zero}",
                item.id(),
                item.allowed()
            )
        })?;
    Ok(ImportedAnswer {
        value: Some(value),
        display,
        answer,
    })
}

/// The value a verified LOINC answer code stands for on this item.
fn known_answer_value(
    instrument: &Instrument,
    index: usize,
    item: &Item,
    code: &str,
) -> Option<u8> {
    let list = instrument.fhir_codes().answers(index)?;
    let offset = list.codes().iter().position(|known| known == code)?;
    u8::try_from(offset).ok().map(|offset| item.min() + offset)
}

/// The ordinal value from the first ordinalValue or itemWeight extension: `Ok` for a whole
/// number, `Err` with the number as written otherwise.
fn ordinal(extensions: &[Extension]) -> Option<Result<i64, String>> {
    let extension = extensions
        .iter()
        .find(|e| matches!(e.url.as_deref(), Some(ORDINAL_VALUE | ITEM_WEIGHT)))?;
    if let Some(integer) = extension.value_integer {
        return Some(Ok(integer));
    }
    let Some(decimal) = &extension.value_decimal else {
        return Some(Err("missing".to_owned()));
    };
    if let Some(whole) = decimal.as_i64() {
        return Some(Ok(whole));
    }
    // A JSON number such as 2.0 is whole; 2.5 or 1e300 is not a coded value. Below 2^53
    // every whole f64 converts to i64 exactly, and the range check comes after.
    match decimal.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0 => {
            Some(Ok(float as i64))
        }
        _ => Some(Err(decimal.to_string())),
    }
}

/// Every coded value of the item appears exactly once among the options.
fn check_value_set(id: &str, item: &Item, answers: &[ImportedAnswer]) -> Result<(), String> {
    for value in item.min()..=item.max() {
        let options: Vec<usize> = answers
            .iter()
            .enumerate()
            .filter(|(_, answer)| answer.value == Some(value))
            .map(|(position, _)| position + 1)
            .collect();
        match options.as_slice() {
            [_] => {}
            [] => {
                return Err(format!(
                    "no answer option has ordinal value {value}, which {id} item {} codes ({})",
                    item.id(),
                    item.scale_meaning()
                ));
            }
            [first, second, ..] => {
                return Err(format!(
                    "answer options {first} and {second} both have ordinal value {value}"
                ));
            }
        }
    }
    Ok(())
}
