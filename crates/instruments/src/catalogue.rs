//! The set of instruments the product knows, with the built-in definitions embedded.
//!
//! Definitions live as TOML under `content/instruments/` so they can be reviewed and
//! cited like any clinical content, and are compiled into the binary with `include_str!`
//! so a deployment is one self-contained file. They are parsed and validated when the
//! catalogue is built; a broken definition is an error at start-up, never a wrong score
//! later.

use crate::definition::Instrument;
use crate::validate::{self, DefinitionError};
use crate::values::ScoreError;

/// Embeds one built-in definition under its repository path, used in error messages.
macro_rules! builtin {
    ($file:literal) => {
        (
            concat!("content/instruments/", $file),
            include_str!(concat!("../../../content/instruments/", $file)),
        )
    };
}

/// The built-in definitions: (path for messages, TOML text).
const BUILTIN: &[(&str, &str)] = &[
    builtin!("phq9.toml"),
    builtin!("phq2.toml"),
    builtin!("gad7.toml"),
    builtin!("gad2.toml"),
    builtin!("pcl5.toml"),
    builtin!("csi4.toml"),
    builtin!("csi16.toml"),
    builtin!("fsfi.toml"),
    builtin!("iief15.toml"),
    builtin!("iief5.toml"),
    builtin!("asex.toml"),
];

/// The instruments available for scoring, in a fixed order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    instruments: Vec<Instrument>,
}

impl Catalogue {
    /// Loads and validates the built-in definitions.
    pub fn builtin() -> Result<Catalogue, DefinitionError> {
        Catalogue::from_sources(BUILTIN.iter().copied())
    }

    /// Loads definitions from `(file name, TOML text)` pairs. The file name appears in
    /// errors and must be `<id>.toml` (a leading directory is allowed).
    pub fn from_sources<'s>(
        sources: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) -> Result<Catalogue, DefinitionError> {
        let mut instruments: Vec<Instrument> = Vec::new();
        for (file, text) in sources {
            let instrument = validate::instrument(file, text)?;
            if let Some(first) = instruments.iter().find(|i| i.id == instrument.id) {
                return Err(DefinitionError::DuplicateId {
                    file: file.to_owned(),
                    id: instrument.id,
                    first: first.file.clone(),
                });
            }
            instruments.push(instrument);
        }
        Ok(Catalogue { instruments })
    }

    /// The instrument with this id.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.instruments
            .iter()
            .find(|instrument| instrument.id == id)
    }

    /// The instrument with this id, or [`ScoreError::UnknownInstrument`] listing the ids.
    pub fn instrument(&self, id: &str) -> Result<&Instrument, ScoreError> {
        self.get(id).ok_or_else(|| ScoreError::UnknownInstrument {
            id: id.to_owned(),
            known: self.ids().collect::<Vec<_>>().join(", "),
        })
    }

    /// The instrument ids, in catalogue order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.instruments.iter().map(Instrument::id)
    }

    /// Every instrument, in catalogue order.
    pub fn iter(&self) -> std::slice::Iter<'_, Instrument> {
        self.instruments.iter()
    }
}

impl<'c> IntoIterator for &'c Catalogue {
    type Item = &'c Instrument;
    type IntoIter = std::slice::Iter<'c, Instrument>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
