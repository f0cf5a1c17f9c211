//! The concerns a therapist says they treat, taken from the clinical taxonomy in
//! `content/concerns/concerns.toml` rather than a list of the directory's own.
//!
//! One taxonomy means a seeker who filters by "Pain with sex" finds the therapists whose
//! clinical records use the same concern, and a new concern added for clinicians appears
//! in the directory without a second edit. Only each `[[concern]]`'s `id` and `name` are
//! read here; the codes, questionnaires and homework beside them belong to the clinical side.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::data_file::{self, DataFileError};
use crate::term::{self, Term, TermError};

const FILE: &str = "concerns/concerns.toml";
const BUNDLED: &str = include_str!("../../../content/concerns/concerns.toml");

/// A concern from the shared taxonomy.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Concern {
    /// Stable id, e.g. `genital_pain`.
    pub id: String,
    /// What a person reads, e.g. "Pain with sex (dyspareunia, vaginismus)".
    pub name: String,
}

impl Term for Concern {
    const KIND: &'static str = "concern";
    fn id(&self) -> &str {
        &self.id
    }
    fn label(&self) -> &str {
        &self.name
    }
}

/// The concerns a profile can list, in taxonomy order.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ConcernsTreated {
    #[serde(rename = "concern")]
    concerns: Vec<Concern>,
}

impl ConcernsTreated {
    /// The taxonomy shipped with Sensate, read once.
    pub fn builtin() -> Result<&'static ConcernsTreated, DataFileError> {
        static LOADED: OnceLock<Result<ConcernsTreated, DataFileError>> = OnceLock::new();
        LOADED
            .get_or_init(|| ConcernsTreated::from_toml(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads the concerns out of a taxonomy file (other tables in it are ignored).
    pub fn from_toml(text: &str) -> Result<ConcernsTreated, DataFileError> {
        let treated: ConcernsTreated = data_file::parse(FILE, text)?;
        data_file::check_ids(
            FILE,
            Concern::KIND,
            treated.concerns.iter().map(|c| c.id.as_str()),
        )?;
        for concern in &treated.concerns {
            data_file::check_text(FILE, "name", &concern.id, &concern.name)?;
        }
        Ok(treated)
    }

    /// Every concern.
    pub fn all(&self) -> &[Concern] {
        &self.concerns
    }

    /// The concern with this id.
    pub fn concern(&self, id: &str) -> Option<&Concern> {
        term::find(&self.concerns, id)
    }

    /// Submitted concern ids as concerns; repeats are dropped, the first unknown id is the error.
    pub fn parse<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<&Concern>, TermError> {
        term::parse_ids(&self.concerns, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_reads_the_clinical_taxonomy() {
        let treated = ConcernsTreated::builtin().expect("concerns.toml reads cleanly");
        assert!(treated.all().len() >= 10);
        assert_eq!(
            treated.concern("genital_pain").map(|c| c.name.as_str()),
            Some("Pain with sex (dyspareunia, vaginismus)")
        );
    }

    #[test]
    fn submitted_concerns_are_checked_against_the_taxonomy() {
        let treated = ConcernsTreated::builtin().unwrap();
        let chosen = treated
            .parse(&["erectile_difficulties", "low_desire"])
            .unwrap();
        assert_eq!(chosen.len(), 2);
        assert_eq!(
            treated
                .parse(&["low_desire", "sex_addiction"])
                .unwrap_err()
                .to_string(),
            "\"sex_addiction\" is not a known concern"
        );
    }

    #[test]
    fn only_concerns_are_read_from_the_taxonomy_file() {
        let text = "[[code]]\ncode = \"F52.0\"\ntitle = \"x\"\n\n[[concern]]\nid = \"low_desire\"\nname = \"Low desire\"\ncodes = []\n";
        let treated = ConcernsTreated::from_toml(text).unwrap();
        assert_eq!(treated.all().len(), 1);
    }
}
