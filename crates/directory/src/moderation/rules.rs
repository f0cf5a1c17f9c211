//! The red-flag rules (`content/directory/red_flags.toml`): what wording holds a profile
//! for the verifier, why, and which clinical wording must not.
//!
//! Rules are data so that clinicians can review every phrase and its reason, and add one
//! after a bad profile slips through, without a code change. Each rule has a category
//! (touch, nudity, sexual contact, bodywork, surrogate partner work, coaching presented as
//! therapy), a reason the verifier reads, patterns, and `unless` phrases: a match that lies
//! inside an `unless` phrase ("hands-on clinical experience") does not count. Negation is
//! shared by all rules ("there is no physical contact in sessions" is the opposite of a red
//! flag) and is data too, with its own exceptions ("no-nonsense" negates nothing).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::phrase::Phrase;
use crate::data_file::{self, DataFileError};

const FILE: &str = "directory/red_flags.toml";
const BUNDLED: &str = include_str!("../../../../content/directory/red_flags.toml");

/// What kind of red flag a rule looks for.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum RedFlagCategory {
    /// The therapist touching clients, or touch in sessions.
    Touch,
    /// Nudity or undressing.
    Nudity,
    /// Sexual contact between practitioner and client.
    SexualContact,
    /// Bodywork or intimate massage.
    Bodywork,
    /// Surrogate partner work.
    Surrogate,
    /// Coaching presented as therapy.
    CoachingAsTherapy,
}

impl RedFlagCategory {
    /// What the verifier reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Touch => "Touch",
            Self::Nudity => "Nudity",
            Self::SexualContact => "Sexual contact",
            Self::Bodywork => "Bodywork",
            Self::Surrogate => "Surrogate partner work",
            Self::CoachingAsTherapy => "Coaching presented as therapy",
        }
    }
}

/// One rule, compiled.
#[derive(Clone, Debug)]
pub struct RedFlagRule {
    id: String,
    category: RedFlagCategory,
    reason: String,
    patterns_as_written: Vec<String>,
    pub(crate) patterns: Vec<Phrase>,
    pub(crate) unless: Vec<Phrase>,
}

impl RedFlagRule {
    /// Stable id, e.g. `therapist_touches_client`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its category.
    pub fn category(&self) -> RedFlagCategory {
        self.category
    }
    /// Why a match holds the profile, as the verifier reads it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// The patterns as the file writes them, for a page that lists the rules.
    pub fn patterns(&self) -> &[String] {
        &self.patterns_as_written
    }
}

/// How a nearby word turns a match into its opposite.
#[derive(Clone, Debug)]
pub(crate) struct Negation {
    /// Phrases that negate a match starting at most `within_words` words later in the same clause.
    pub(crate) before: Vec<Phrase>,
    pub(crate) within_words: usize,
    /// Words that do not count towards `within_words` ("or": "not X or Y").
    pub(crate) carried_across: Vec<String>,
    /// Phrases that negate a match they directly follow ("nudity is never ...").
    pub(crate) after: Vec<Phrase>,
    /// Phrases that start with a negating word but negate nothing ("no-nonsense").
    pub(crate) not_negations: Vec<Phrase>,
}

/// The whole rule list, compiled.
#[derive(Clone, Debug)]
pub struct RedFlagRules {
    pub(crate) rules: Vec<RedFlagRule>,
    pub(crate) negation: Negation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    negation: NegationFile,
    rule: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegationFile {
    before: Vec<String>,
    within_words: usize,
    carried_across: Vec<String>,
    after: Vec<String>,
    not_negations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    category: RedFlagCategory,
    reason: String,
    patterns: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

impl RedFlagRules {
    /// The rules shipped with Sensate, read and compiled once.
    pub fn builtin() -> Result<&'static RedFlagRules, DataFileError> {
        static LOADED: OnceLock<Result<RedFlagRules, DataFileError>> = OnceLock::new();
        LOADED
            .get_or_init(|| RedFlagRules::from_toml(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads and compiles a rule file; a pattern that cannot compile names itself.
    pub fn from_toml(text: &str) -> Result<RedFlagRules, DataFileError> {
        let file: RulesFile = data_file::parse(FILE, text)?;
        data_file::check_ids(FILE, "rule", file.rule.iter().map(|r| r.id.as_str()))?;
        let rules = file
            .rule
            .into_iter()
            .map(|rule| {
                data_file::check_text(FILE, "reason", &rule.id, &rule.reason)?;
                if rule.patterns.is_empty() {
                    return Err(DataFileError::new(
                        FILE,
                        format!("rule {} has no patterns", rule.id),
                    ));
                }
                Ok(RedFlagRule {
                    patterns: compile(&rule.patterns)?,
                    unless: compile(&rule.unless)?,
                    patterns_as_written: rule.patterns,
                    id: rule.id,
                    category: rule.category,
                    reason: rule.reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let negation = Negation {
            before: compile(&file.negation.before)?,
            within_words: file.negation.within_words,
            carried_across: file.negation.carried_across,
            after: compile(&file.negation.after)?,
            not_negations: compile(&file.negation.not_negations)?,
        };
        Ok(RedFlagRules { rules, negation })
    }

    /// Every rule, in file order.
    pub fn rules(&self) -> &[RedFlagRule] {
        &self.rules
    }
}

fn compile(patterns: &[String]) -> Result<Vec<Phrase>, DataFileError> {
    patterns
        .iter()
        .map(|pattern| {
            Phrase::compile(pattern).map_err(|problem| DataFileError::new(FILE, problem))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_rules_read_and_cover_every_category() {
        let rules = RedFlagRules::builtin().expect("red_flags.toml reads cleanly");
        for category in [
            RedFlagCategory::Touch,
            RedFlagCategory::Nudity,
            RedFlagCategory::SexualContact,
            RedFlagCategory::Bodywork,
            RedFlagCategory::Surrogate,
            RedFlagCategory::CoachingAsTherapy,
        ] {
            assert!(
                rules.rules().iter().any(|r| r.category() == category),
                "{category:?}"
            );
        }
        assert!(
            rules
                .rules()
                .iter()
                .all(|r| !r.reason().is_empty() && !r.patterns().is_empty())
        );
    }

    #[test]
    fn a_bad_pattern_is_named() {
        let text = BUNDLED.replacen("patterns = [", "patterns = [\"touch|hands-on\", ", 1);
        let error = RedFlagRules::from_toml(&text).unwrap_err();
        assert!(error.problem.contains("touch|hands-on"), "{error}");
    }

    #[test]
    fn an_unknown_category_is_refused() {
        let text = BUNDLED.replacen("category = \"nudity\"", "category = \"rudeness\"", 1);
        assert!(RedFlagRules::from_toml(&text).is_err());
    }
}
