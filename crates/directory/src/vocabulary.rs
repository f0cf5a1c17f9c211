//! The fixed lists a directory profile chooses from (`content/directory/vocabulary.toml`):
//! licence types, degrees, certifications, approaches, affirming competences with their
//! levels, and languages.
//!
//! They are data so that a clinician can review and extend them without code, and so that
//! filters and profiles share one spelling. Ids are stored; labels are only displayed, so
//! a label can be reworded without touching a profile. A submitted list of ids becomes
//! entries through the `parse_*` methods, which name the first value they do not know.
//! The concerns a therapist treats are in [`crate::concerns`], not here.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::data_file::{self, DataFileError};
use crate::term::{self, Term, TermError};

const FILE: &str = "directory/vocabulary.toml";
const BUNDLED: &str = include_str!("../../../content/directory/vocabulary.toml");

/// A kind of licence to practise psychotherapy (psychologist, LMFT, LCSW ...).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LicenceType {
    /// Stable id, e.g. `lmft`.
    pub id: String,
    /// What a person reads.
    pub label: String,
}

/// An academic degree.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Degree {
    /// Stable id, e.g. `psyd`.
    pub id: String,
    /// What a person reads.
    pub label: String,
}

/// A certification from a named body (each AASECT certification is its own entry).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    /// Stable id, e.g. `aasect_certified_sex_therapist`.
    pub id: String,
    /// The title as the issuer writes it.
    pub label: String,
    /// The letters after a name, e.g. `CST`.
    pub abbreviation: String,
    /// The body that certifies and keeps the record a verifier checks against.
    pub issuer: String,
}

/// A way of working (CBT, Gottman Method ...).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Approach {
    /// Stable id, e.g. `emotionally_focused`.
    pub id: String,
    /// What a person reads.
    pub label: String,
}

/// A population a therapist is affirming of and competent with (kink, asexuality ...).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AffirmingCompetence {
    /// Stable id, e.g. `consensual_non_monogamy`.
    pub id: String,
    /// What a person reads.
    pub label: String,
}

/// How much of a competence a therapist claims.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CompetenceLevel {
    /// Stable id, e.g. `specialist`.
    pub id: String,
    /// What a person reads.
    pub label: String,
    /// One line saying what claiming this level means, shown beside it.
    pub meaning: String,
}

/// A language sessions can be held in.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// ISO 639-1 code (ISO 639-3 where a language has no 639-1 code, e.g. `ase`).
    pub code: String,
    /// English name.
    pub name: String,
}

/// One affirming competence at one level, as a profile states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompetenceClaim<'v> {
    /// The population.
    pub competence: &'v AffirmingCompetence,
    /// The level claimed.
    pub level: &'v CompetenceLevel,
}

/// Every list, as shipped.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(rename = "licence_type")]
    licence_types: Vec<LicenceType>,
    #[serde(rename = "degree")]
    degrees: Vec<Degree>,
    #[serde(rename = "certification")]
    certifications: Vec<Certification>,
    #[serde(rename = "approach")]
    approaches: Vec<Approach>,
    #[serde(rename = "affirming_competence")]
    affirming_competences: Vec<AffirmingCompetence>,
    #[serde(rename = "competence_level")]
    competence_levels: Vec<CompetenceLevel>,
    #[serde(rename = "language")]
    languages: Vec<Language>,
}

impl Vocabulary {
    /// The vocabulary shipped with Sensate, read and checked once.
    pub fn builtin() -> Result<&'static Vocabulary, DataFileError> {
        static LOADED: OnceLock<Result<Vocabulary, DataFileError>> = OnceLock::new();
        LOADED
            .get_or_init(|| Vocabulary::from_toml(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads a vocabulary file and checks its ids (snake_case, unique) and texts (not blank).
    pub fn from_toml(text: &str) -> Result<Vocabulary, DataFileError> {
        let vocabulary: Vocabulary = data_file::parse(FILE, text)?;
        vocabulary.check()?;
        Ok(vocabulary)
    }

    fn check(&self) -> Result<(), DataFileError> {
        check_list(&self.licence_types)?;
        check_list(&self.degrees)?;
        check_list(&self.certifications)?;
        check_list(&self.approaches)?;
        check_list(&self.affirming_competences)?;
        check_list(&self.competence_levels)?;
        for level in &self.competence_levels {
            data_file::check_text(FILE, "meaning", &level.id, &level.meaning)?;
        }
        for certification in &self.certifications {
            data_file::check_text(
                FILE,
                "abbreviation",
                &certification.id,
                &certification.abbreviation,
            )?;
            data_file::check_text(FILE, "issuer", &certification.id, &certification.issuer)?;
        }
        // Language codes are not snake_case ids but ISO codes: two or three lowercase letters.
        for language in &self.languages {
            let code = &language.code;
            if !(2..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
                return Err(DataFileError::new(
                    FILE,
                    format!(
                        "language code {code:?} is not an ISO 639 code (2 or 3 lowercase letters)"
                    ),
                ));
            }
            data_file::check_text(FILE, "name", code, &language.name)?;
        }
        // Lowercase letters only, so the snake_case id rule holds too.
        data_file::check_ids(
            FILE,
            "language",
            self.languages.iter().map(|l| l.code.as_str()),
        )
    }

    /// Every licence type, in file order.
    pub fn licence_types(&self) -> &[LicenceType] {
        &self.licence_types
    }
    /// Every degree, in file order.
    pub fn degrees(&self) -> &[Degree] {
        &self.degrees
    }
    /// Every certification, in file order.
    pub fn certifications(&self) -> &[Certification] {
        &self.certifications
    }
    /// Every approach, in file order.
    pub fn approaches(&self) -> &[Approach] {
        &self.approaches
    }
    /// Every affirming competence, in file order.
    pub fn affirming_competences(&self) -> &[AffirmingCompetence] {
        &self.affirming_competences
    }
    /// Every competence level, lowest first.
    pub fn competence_levels(&self) -> &[CompetenceLevel] {
        &self.competence_levels
    }
    /// Every language, in file order.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// The licence type with this id.
    pub fn licence_type(&self, id: &str) -> Option<&LicenceType> {
        term::find(&self.licence_types, id)
    }
    /// The degree with this id.
    pub fn degree(&self, id: &str) -> Option<&Degree> {
        term::find(&self.degrees, id)
    }
    /// The certification with this id.
    pub fn certification(&self, id: &str) -> Option<&Certification> {
        term::find(&self.certifications, id)
    }
    /// The approach with this id.
    pub fn approach(&self, id: &str) -> Option<&Approach> {
        term::find(&self.approaches, id)
    }
    /// The affirming competence with this id.
    pub fn affirming_competence(&self, id: &str) -> Option<&AffirmingCompetence> {
        term::find(&self.affirming_competences, id)
    }
    /// The competence level with this id.
    pub fn competence_level(&self, id: &str) -> Option<&CompetenceLevel> {
        term::find(&self.competence_levels, id)
    }
    /// The language with this ISO code.
    pub fn language(&self, code: &str) -> Option<&Language> {
        term::find(&self.languages, code)
    }

    /// Where a level stands, 0 being the lowest; for "at least experienced" filters.
    pub fn level_rank(&self, level: &CompetenceLevel) -> Option<usize> {
        self.competence_levels.iter().position(|l| l.id == level.id)
    }

    /// Submitted licence type ids as entries; repeats are dropped.
    pub fn parse_licence_types<S: AsRef<str>>(
        &self,
        ids: &[S],
    ) -> Result<Vec<&LicenceType>, TermError> {
        term::parse_ids(&self.licence_types, ids)
    }
    /// Submitted degree ids as entries; repeats are dropped.
    pub fn parse_degrees<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<&Degree>, TermError> {
        term::parse_ids(&self.degrees, ids)
    }
    /// Submitted certification ids as entries; repeats are dropped.
    pub fn parse_certifications<S: AsRef<str>>(
        &self,
        ids: &[S],
    ) -> Result<Vec<&Certification>, TermError> {
        term::parse_ids(&self.certifications, ids)
    }
    /// Submitted approach ids as entries; repeats are dropped.
    pub fn parse_approaches<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<&Approach>, TermError> {
        term::parse_ids(&self.approaches, ids)
    }
    /// Submitted language codes as entries; repeats are dropped.
    pub fn parse_languages<S: AsRef<str>>(&self, codes: &[S]) -> Result<Vec<&Language>, TermError> {
        term::parse_ids(&self.languages, codes)
    }

    /// Submitted `(competence id, level id)` pairs as claims. A competence given twice is
    /// an error (which level would be meant?), as is any unknown id.
    pub fn parse_competences<S: AsRef<str>>(
        &self,
        pairs: &[(S, S)],
    ) -> Result<Vec<CompetenceClaim<'_>>, TermError> {
        let mut claims: Vec<CompetenceClaim<'_>> = Vec::with_capacity(pairs.len());
        for (competence, level) in pairs {
            let competence = unknown_or(
                self.affirming_competence(competence.as_ref()),
                competence.as_ref(),
                AffirmingCompetence::KIND,
            )?;
            let level = unknown_or(
                self.competence_level(level.as_ref()),
                level.as_ref(),
                CompetenceLevel::KIND,
            )?;
            if claims
                .iter()
                .any(|claim| claim.competence.id == competence.id)
            {
                return Err(TermError::GivenTwice {
                    kind: AffirmingCompetence::KIND,
                    value: competence.id.clone(),
                });
            }
            claims.push(CompetenceClaim { competence, level });
        }
        Ok(claims)
    }
}

fn unknown_or<'v, T>(
    found: Option<&'v T>,
    value: &str,
    kind: &'static str,
) -> Result<&'v T, TermError> {
    found.ok_or_else(|| TermError::Unknown {
        kind,
        value: value.to_owned(),
    })
}

fn check_list<T: Term>(terms: &[T]) -> Result<(), DataFileError> {
    data_file::check_ids(FILE, T::KIND, terms.iter().map(Term::id))?;
    for entry in terms {
        data_file::check_text(FILE, "label", entry.id(), entry.label())?;
    }
    Ok(())
}

macro_rules! term {
    ($type:ty, $kind:literal, $id:ident, $label:ident) => {
        impl Term for $type {
            const KIND: &'static str = $kind;
            fn id(&self) -> &str {
                &self.$id
            }
            fn label(&self) -> &str {
                &self.$label
            }
        }
    };
}

term!(LicenceType, "licence type", id, label);
term!(Degree, "degree", id, label);
term!(Certification, "certification", id, label);
term!(Approach, "approach", id, label);
term!(AffirmingCompetence, "affirming competence", id, label);
term!(CompetenceLevel, "competence level", id, label);
term!(Language, "language", code, name);

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> &'static Vocabulary {
        Vocabulary::builtin().expect("the bundled vocabulary reads cleanly")
    }

    #[test]
    fn the_bundled_vocabulary_reads_cleanly() {
        let vocabulary = vocabulary();
        assert!(vocabulary.licence_types().len() >= 6);
        assert!(vocabulary.languages().len() >= 30);
    }

    #[test]
    fn each_aasect_certification_is_its_own_entry_with_its_official_title() {
        let titles: Vec<&str> = vocabulary()
            .certifications()
            .iter()
            .filter(|c| c.issuer.contains("AASECT"))
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "AASECT Certified Sex Therapist",
                "AASECT Certified Sexuality Counselor",
                "AASECT Certified Sexuality Educator",
                "AASECT Certified Sex Therapist Supervisor",
            ]
        );
    }

    #[test]
    fn membership_of_a_body_is_never_offered_as_a_certification() {
        for certification in vocabulary().certifications() {
            let label = certification.label.to_lowercase();
            assert!(!label.contains("member"), "{label}");
        }
    }

    #[test]
    fn the_licence_types_named_in_the_directory_brief_are_all_present() {
        for id in [
            "psychologist",
            "lmft",
            "lcsw",
            "lpc",
            "physician",
            "nurse_practitioner",
        ] {
            assert!(vocabulary().licence_type(id).is_some(), "{id}");
        }
    }

    #[test]
    fn competence_levels_run_from_familiar_to_specialist_and_each_says_what_it_means() {
        let vocabulary = vocabulary();
        let ids: Vec<&str> = vocabulary
            .competence_levels()
            .iter()
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(ids, ["familiar", "experienced", "specialist"]);
        let specialist = vocabulary.competence_level("specialist").unwrap();
        assert_eq!(vocabulary.level_rank(specialist), Some(2));
        assert!(
            vocabulary
                .competence_levels()
                .iter()
                .all(|l| !l.meaning.is_empty())
        );
    }

    #[test]
    fn submitted_approaches_become_entries_in_order_without_repeats() {
        let approaches = vocabulary()
            .parse_approaches(&["narrative", "cbt", "narrative"])
            .unwrap();
        let ids: Vec<&str> = approaches.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["narrative", "cbt"]);
    }

    #[test]
    fn the_first_unknown_value_is_named() {
        let error = vocabulary()
            .parse_approaches(&["cbt", "reiki", "tarot"])
            .unwrap_err();
        assert_eq!(error.to_string(), "\"reiki\" is not a known approach");
    }

    #[test]
    fn an_id_is_matched_exactly_not_loosely() {
        assert!(vocabulary().parse_approaches(&["CBT"]).is_err());
        assert!(vocabulary().parse_approaches(&[" cbt"]).is_err());
        assert!(vocabulary().parse_languages(&["EN"]).is_err());
    }

    #[test]
    fn every_list_parses_its_own_ids_and_rejects_strangers() {
        let v = vocabulary();
        assert_eq!(v.parse_licence_types(&["lmft"]).unwrap()[0].id, "lmft");
        assert_eq!(v.parse_degrees(&["psyd"]).unwrap()[0].id, "psyd");
        assert_eq!(
            v.parse_certifications(&["aasect_certified_sex_therapist"])
                .unwrap()[0]
                .abbreviation,
            "CST"
        );
        assert_eq!(
            v.parse_languages(&["es", "ase"]).unwrap()[1].name,
            "American Sign Language (ASL)"
        );
        assert!(matches!(
            v.parse_certifications(&["aasect_member"]),
            Err(TermError::Unknown {
                kind: "certification",
                ..
            })
        ));
        assert!(v.parse_licence_types(&["sex_coach"]).is_err());
        assert!(v.parse_degrees(&["certificate"]).is_err());
        assert!(v.parse_languages(&["klingon"]).is_err());
    }

    #[test]
    fn an_empty_submission_is_an_empty_choice() {
        assert!(
            vocabulary()
                .parse_approaches::<&str>(&[])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn competences_are_claimed_at_a_level() {
        let claims = vocabulary()
            .parse_competences(&[("kink", "specialist"), ("asexuality", "familiar")])
            .unwrap();
        assert_eq!(claims[0].competence.label, "Kink and BDSM");
        assert_eq!(claims[0].level.id, "specialist");
        assert_eq!(claims[1].level.id, "familiar");
    }

    #[test]
    fn a_competence_claimed_twice_or_at_an_unknown_level_is_refused() {
        let v = vocabulary();
        assert_eq!(
            v.parse_competences(&[("kink", "familiar"), ("kink", "specialist")])
                .unwrap_err(),
            TermError::GivenTwice {
                kind: "affirming competence",
                value: "kink".into()
            }
        );
        assert_eq!(
            v.parse_competences(&[("kink", "expert")])
                .unwrap_err()
                .to_string(),
            "\"expert\" is not a known competence level"
        );
        assert_eq!(
            v.parse_competences(&[("swinging", "expert")])
                .unwrap_err()
                .to_string(),
            "\"swinging\" is not a known affirming competence"
        );
    }

    #[test]
    fn a_broken_file_is_refused_with_the_reason() {
        let text = BUNDLED.replacen("id = \"lmft\"", "id = \"psychologist\"", 1);
        let error = Vocabulary::from_toml(&text).unwrap_err();
        assert!(
            error.problem.contains("\"psychologist\" appears twice"),
            "{error}"
        );

        let text = BUNDLED.replacen("code = \"en\"", "code = \"EN\"", 1);
        assert!(
            Vocabulary::from_toml(&text)
                .unwrap_err()
                .problem
                .contains("ISO 639")
        );

        let text = BUNDLED.replacen("code = \"es\"", "code = \"en\"", 1);
        assert!(
            Vocabulary::from_toml(&text)
                .unwrap_err()
                .problem
                .contains("appears twice")
        );

        let error = Vocabulary::from_toml("[[approach]]\nid = \"cbt\"\n").unwrap_err();
        assert!(error.problem.contains("missing field"), "{error}");
    }
}
