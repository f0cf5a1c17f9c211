//! Where a member of the public reports a licensed therapist
//! (`content/directory/licensing_boards.toml`, PRODUCT.md S19): for each jurisdiction, the
//! board or boards that license each kind of therapist, with the board's official name and
//! home page.
//!
//! Boards are matched by licence type because one state may split them (a psychology
//! board, a behavioural health board, a medical board) while another has one department
//! for all. Every entry records how its name and address were checked; an address that
//! could not be checked is left out rather than guessed, so a reporter is never sent to a
//! wrong site. A jurisdiction or licence with no entry gets the fallback advice, which
//! explains how to find the board from the state's own licence lookup.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::data_file::{self, DataFileError};

const FILE: &str = "directory/licensing_boards.toml";
const BUNDLED: &str = include_str!("../../../content/directory/licensing_boards.toml");

/// A board that licenses therapists and takes complaints about them.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LicensingBoard {
    /// ISO 3166-2 code of the jurisdiction, e.g. `US-CA`.
    pub jurisdiction: String,
    /// The board's official name.
    pub name: String,
    /// The licence type ids (from the vocabulary) it licenses.
    pub licences: Vec<String>,
    /// Its home page, where its complaint process is found; absent when not checked.
    #[serde(default)]
    pub website: Option<String>,
    /// How the name and address were checked, honestly.
    pub checked: String,
    /// Anything a reporter should know (e.g. "for osteopathic physicians (DO)").
    #[serde(default)]
    pub note: Option<String>,
}

/// Where to report a therapist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhereToReport<'b> {
    /// The board(s) for this licence in this jurisdiction.
    Boards(Vec<&'b LicensingBoard>),
    /// No entry: how to find the board.
    NoEntry {
        /// The fallback advice.
        advice: &'b str,
    },
}

/// Every board, and the advice for places without one.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LicensingBoards {
    fallback: Fallback,
    #[serde(rename = "board")]
    boards: Vec<LicensingBoard>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Fallback {
    advice: String,
}

impl LicensingBoards {
    /// The boards shipped with Sensate, read and checked once.
    pub fn builtin() -> Result<&'static LicensingBoards, DataFileError> {
        static LOADED: OnceLock<Result<LicensingBoards, DataFileError>> = OnceLock::new();
        LOADED
            .get_or_init(|| LicensingBoards::from_toml(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads a boards file, checking every entry names licences, says how it was checked,
    /// and has an `https://` home page if it has one at all.
    pub fn from_toml(text: &str) -> Result<LicensingBoards, DataFileError> {
        let boards: LicensingBoards = data_file::parse(FILE, text)?;
        data_file::check_text(FILE, "advice", "fallback", &boards.fallback.advice)?;
        for board in &boards.boards {
            data_file::check_text(FILE, "name", &board.jurisdiction, &board.name)?;
            data_file::check_text(FILE, "checked", &board.name, &board.checked)?;
            if board.licences.is_empty() {
                return Err(DataFileError::new(
                    FILE,
                    format!("{} lists no licences", board.name),
                ));
            }
            if let Some(website) = &board.website {
                let host = website.strip_prefix("https://").unwrap_or_default();
                if host.is_empty() || host.starts_with('/') || host.contains(char::is_whitespace) {
                    return Err(DataFileError::new(
                        FILE,
                        format!(
                            "{}: website {website:?} is not an https:// address",
                            board.name
                        ),
                    ));
                }
            }
        }
        Ok(boards)
    }

    /// Every board, in file order.
    pub fn all(&self) -> &[LicensingBoard] {
        &self.boards
    }

    /// The advice for a jurisdiction or licence without an entry.
    pub fn fallback_advice(&self) -> &str {
        &self.fallback.advice
    }

    /// The board(s) to report a therapist with this licence type in this jurisdiction to.
    pub fn boards_for(&self, jurisdiction: &str, licence_type: &str) -> WhereToReport<'_> {
        let boards: Vec<&LicensingBoard> = self
            .boards
            .iter()
            .filter(|b| {
                b.jurisdiction == jurisdiction && b.licences.iter().any(|l| l == licence_type)
            })
            .collect();
        if boards.is_empty() {
            WhereToReport::NoEntry {
                advice: &self.fallback.advice,
            }
        } else {
            WhereToReport::Boards(boards)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::jurisdictions::{Country, Jurisdictions};
    use crate::vocabulary::Vocabulary;

    fn boards() -> &'static LicensingBoards {
        LicensingBoards::builtin().expect("licensing_boards.toml reads cleanly")
    }

    #[test]
    fn every_board_names_a_known_jurisdiction_and_known_licence_types() {
        let jurisdictions = Jurisdictions::builtin().unwrap();
        let vocabulary = Vocabulary::builtin().unwrap();
        for board in boards().all() {
            assert!(
                jurisdictions.jurisdiction(&board.jurisdiction).is_some(),
                "{}",
                board.jurisdiction
            );
            for licence in &board.licences {
                assert!(
                    vocabulary.licence_type(licence).is_some(),
                    "{}: {licence}",
                    board.name
                );
            }
        }
    }

    #[test]
    fn every_us_state_and_dc_has_a_board_for_each_us_therapy_licence() {
        let jurisdictions = Jurisdictions::builtin().unwrap();
        let mut missing = Vec::new();
        for place in jurisdictions.in_country(Country::UnitedStates) {
            for licence in ["psychologist", "lmft", "lcsw", "lpc", "physician"] {
                if matches!(
                    boards().boards_for(&place.code, licence),
                    WhereToReport::NoEntry { .. }
                ) {
                    missing.push(format!("{} {licence}", place.code));
                }
            }
        }
        assert!(missing.is_empty(), "no board for: {missing:?}");
    }

    #[test]
    fn a_board_is_found_by_jurisdiction_and_licence_type() {
        let WhereToReport::Boards(found) = boards().boards_for("US-CA", "lmft") else {
            panic!("California LMFTs have a board");
        };
        assert!(
            found
                .iter()
                .all(|b| b.jurisdiction == "US-CA" && b.licences.iter().any(|l| l == "lmft"))
        );
    }

    #[test]
    fn a_place_without_an_entry_gets_the_fallback_advice() {
        assert_eq!(
            boards().boards_for("CA-ON", "registered_psychotherapist"),
            WhereToReport::NoEntry {
                advice: boards().fallback_advice()
            }
        );
        assert!(matches!(
            boards().boards_for("US-ZZ", "lmft"),
            WhereToReport::NoEntry { .. }
        ));
    }

    #[test]
    fn no_board_is_listed_twice_for_one_licence_in_one_place() {
        let mut seen = HashSet::new();
        for board in boards().all() {
            assert!(
                seen.insert((&board.jurisdiction, &board.name)),
                "{} {}",
                board.jurisdiction,
                board.name
            );
        }
    }

    #[test]
    fn a_website_that_is_not_https_is_refused() {
        let text = "[fallback]\nadvice = \"x\"\n\n[[board]]\njurisdiction = \"US-CA\"\nname = \"B\"\nlicences = [\"lmft\"]\nwebsite = \"http://b.example\"\nchecked = \"no\"\n";
        assert!(
            LicensingBoards::from_toml(text)
                .unwrap_err()
                .problem
                .contains("https://")
        );
    }
}
