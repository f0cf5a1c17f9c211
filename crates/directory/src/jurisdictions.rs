//! The places a therapist can be licensed in and a client can be in for a video session
//! (`content/directory/jurisdictions.toml`): the US states, DC, and Canada's provinces and
//! territories.
//!
//! Codes are ISO 3166-2 ("US-IL", "CA-ON") so that California and Canada never share a
//! code; the postal abbreviation is kept beside it for display. Licences, boards and
//! filters all name a jurisdiction by this code.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::data_file::{self, DataFileError};
use crate::term::{self, Term, TermError};

const FILE: &str = "directory/jurisdictions.toml";
const BUNDLED: &str = include_str!("../../../content/directory/jurisdictions.toml");

/// The country a jurisdiction belongs to.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
pub enum Country {
    /// The United States.
    #[serde(rename = "US")]
    UnitedStates,
    /// Canada.
    #[serde(rename = "CA")]
    Canada,
}

/// What kind of place it is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum JurisdictionKind {
    /// A US state.
    State,
    /// The District of Columbia.
    District,
    /// A Canadian province.
    Province,
    /// A Canadian territory.
    Territory,
}

/// A state, district, province or territory that licenses therapists.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// ISO 3166-2 code, e.g. `US-IL`.
    pub code: String,
    /// Postal abbreviation, e.g. `IL`.
    pub short: String,
    /// English name, e.g. "Illinois".
    pub name: String,
    /// Its country.
    pub country: Country,
    /// State, district, province or territory.
    pub kind: JurisdictionKind,
}

impl Term for Jurisdiction {
    const KIND: &'static str = "jurisdiction";
    fn id(&self) -> &str {
        &self.code
    }
    fn label(&self) -> &str {
        &self.name
    }
}

/// Every jurisdiction, in file order (US first, then Canada).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Jurisdictions {
    #[serde(rename = "jurisdiction")]
    all: Vec<Jurisdiction>,
}

impl Jurisdictions {
    /// The list shipped with Sensate, read and checked once.
    pub fn builtin() -> Result<&'static Jurisdictions, DataFileError> {
        static LOADED: OnceLock<Result<Jurisdictions, DataFileError>> = OnceLock::new();
        LOADED
            .get_or_init(|| Jurisdictions::from_toml(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads a jurisdictions file, checking each code is unique and agrees with its country
    /// and postal abbreviation.
    pub fn from_toml(text: &str) -> Result<Jurisdictions, DataFileError> {
        let jurisdictions: Jurisdictions = data_file::parse(FILE, text)?;
        if jurisdictions.all.is_empty() {
            return Err(DataFileError::new(FILE, "the jurisdiction list is empty"));
        }
        let mut seen = std::collections::HashSet::new();
        for place in &jurisdictions.all {
            let prefix = match place.country {
                Country::UnitedStates => "US",
                Country::Canada => "CA",
            };
            let expected = format!("{prefix}-{}", place.short);
            let short_ok =
                place.short.len() == 2 && place.short.chars().all(|c| c.is_ascii_uppercase());
            if !short_ok || place.code != expected {
                return Err(DataFileError::new(
                    FILE,
                    format!(
                        "jurisdiction {:?} should be coded {expected:?} from its country and short form",
                        place.code
                    ),
                ));
            }
            if !seen.insert(place.code.as_str()) {
                return Err(DataFileError::new(
                    FILE,
                    format!("jurisdiction {:?} appears twice", place.code),
                ));
            }
            data_file::check_text(FILE, "name", &place.code, &place.name)?;
        }
        Ok(jurisdictions)
    }

    /// Every jurisdiction.
    pub fn all(&self) -> &[Jurisdiction] {
        &self.all
    }

    /// The jurisdictions of one country.
    pub fn in_country(&self, country: Country) -> impl Iterator<Item = &Jurisdiction> {
        self.all
            .iter()
            .filter(move |place| place.country == country)
    }

    /// The jurisdiction with this ISO 3166-2 code.
    pub fn jurisdiction(&self, code: &str) -> Option<&Jurisdiction> {
        term::find(&self.all, code)
    }

    /// A submitted code as a jurisdiction, or an error naming it.
    pub fn parse(&self, code: &str) -> Result<&Jurisdiction, TermError> {
        self.jurisdiction(code).ok_or_else(|| TermError::Unknown {
            kind: Jurisdiction::KIND,
            value: code.to_owned(),
        })
    }

    /// Submitted codes as jurisdictions ("licensed in" on a profile, a filter); repeats are dropped.
    pub fn parse_list<S: AsRef<str>>(&self, codes: &[S]) -> Result<Vec<&Jurisdiction>, TermError> {
        term::parse_ids(&self.all, codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jurisdictions() -> &'static Jurisdictions {
        Jurisdictions::builtin().expect("jurisdictions.toml reads cleanly")
    }

    #[test]
    fn every_us_state_and_dc_is_listed() {
        let us: Vec<_> = jurisdictions().in_country(Country::UnitedStates).collect();
        assert_eq!(us.len(), 51);
        assert_eq!(
            us.iter()
                .filter(|j| j.kind == JurisdictionKind::State)
                .count(),
            50
        );
        assert_eq!(
            jurisdictions().parse("US-DC").unwrap().name,
            "District of Columbia"
        );
    }

    #[test]
    fn canadas_provinces_and_territories_are_listed() {
        assert_eq!(jurisdictions().in_country(Country::Canada).count(), 13);
        assert_eq!(jurisdictions().parse("CA-ON").unwrap().name, "Ontario");
    }

    #[test]
    fn california_and_canada_do_not_share_a_code() {
        assert_eq!(jurisdictions().parse("US-CA").unwrap().name, "California");
        assert_eq!(
            jurisdictions().parse("CA").unwrap_err().to_string(),
            "\"CA\" is not a known jurisdiction"
        );
    }

    #[test]
    fn a_list_of_codes_is_parsed_and_the_first_unknown_named() {
        let places = jurisdictions()
            .parse_list(&["US-NY", "US-NJ", "US-NY"])
            .unwrap();
        assert_eq!(places.len(), 2);
        assert_eq!(
            jurisdictions()
                .parse_list(&["US-NY", "us-nj"])
                .unwrap_err()
                .to_string(),
            "\"us-nj\" is not a known jurisdiction"
        );
    }

    #[test]
    fn a_code_that_disagrees_with_its_country_is_refused() {
        let text = "[[jurisdiction]]\ncode = \"CA-IL\"\nshort = \"IL\"\nname = \"Illinois\"\ncountry = \"US\"\nkind = \"state\"\n";
        assert!(
            Jurisdictions::from_toml(text)
                .unwrap_err()
                .problem
                .contains("\"US-IL\"")
        );
    }
}
