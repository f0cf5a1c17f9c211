//! Validated questionnaires as data, and the one engine that scores them exactly.
//!
//! Each instrument (PHQ-9, FSFI, IIEF-15, ...) is a versioned TOML file under
//! `content/instruments/`, embedded in the binary and validated when the [`Catalogue`] is
//! built. One engine interprets every definition: sums, factors, the missing-data rule,
//! bands, a `positive` rule and flags are all data; no instrument has scoring code of its
//! own. Arithmetic is exact ([`Exact`]); a float appears only when a score is printed.
//!
//! ```
//! use sensate_instruments::Catalogue;
//!
//! let catalogue = Catalogue::builtin()?;
//! let phq9 = catalogue.instrument("phq9")?;
//! let score = phq9.score(&phq9.parse_values("1,1,1,1,1,1,1,1,1")?)?;
//! assert_eq!(score.band.as_deref(), Some("mild"));
//! assert!(score.has_flag("suicidal_ideation"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules, one idea each: [`exact`] (the number type), `format` (the file as written),
//! `validate` (file to model, with errors naming file and field), `definition` (the
//! model), `values` (reading item values), `criteria` (yes/no rules), `engine` (scoring),
//! `score` (the result and its JSON), `catalogue` (the built-ins), `batch` (CSV).
//! Around the scores: `score_ref` (naming one score), `cutoff` (the published cutoff of a
//! score), [`change`] (reliable change between two scores), [`chart`] (the progress chart
//! as SVG and as table rows), [`fhir`] (importing licensed wording, exporting responses).
//! `docs/instruments.md` describes the file format and how to add an instrument.

mod batch;
mod calendar;
mod catalogue;
pub mod change;
pub mod chart;
mod criteria;
mod cutoff;
mod definition;
mod engine;
pub mod exact;
pub mod fhir;
mod format;
mod score;
mod score_ref;
mod validate;
mod values;

pub use batch::{
    CsvError, CsvSummary, MAX_REPORTED_ERRORS, PROGRESS_EVERY, RowError, expected_header, score_csv,
};
pub use calendar::{CalendarDate, DateError};
pub use catalogue::Catalogue;
pub use change::{
    ChangeAssessment, ChangeCategory, ChangeError, ChangeMethod, CutoffCrossing,
    PracticeParameters, Reliability, ReliableChange, StandardDeviation,
};
pub use chart::{ChartError, ProgressChart, ProgressRow, ScoreSeries};
pub use cutoff::{Cutoff, CutoffSide};
pub use definition::{
    Band, Banding, Direction, Domain, Flag, Instrument, Item, Licence, LicenceStatus,
    MissingDataRule,
};
pub use engine::{INCOMPLETE, PRORATED};
pub use exact::{Exact, ExactParseError};
pub use score::{DomainScore, Score};
pub use score_ref::TOTAL;
pub use validate::DefinitionError;
pub use values::{ItemValue, ScoreError};
