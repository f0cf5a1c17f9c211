//! Where the numbers a change method needs come from: the definition file (published and
//! verified) or the practice's own configuration.
//!
//! A practice may know a reliability and SD that fit its clients better than anything
//! published (or that clinical.md could not verify), so it can configure them per
//! instrument and score. They arrive as text from a settings page and are parsed here,
//! once, into types that cannot hold an impossible value (a reliability of 1 would make
//! every change "reliable"; an SD of 0 would divide by zero).

use serde::Serialize;
use thiserror::Error;

use crate::exact::{Exact, ExactParseError};

/// A definition file's published change data for one score (`[[change]]`).
#[derive(Debug, Clone)]
pub struct PublishedChange {
    pub(crate) score_name: String,
    pub(crate) threshold: Option<PublishedThreshold>,
    pub(crate) reliability: Option<Exact>,
    pub(crate) sd: Option<Exact>,
    pub(crate) citation: String,
    pub(crate) note: Option<String>,
}

impl PublishedChange {
    /// The score it applies to (`total` or a domain id).
    pub fn score(&self) -> &str {
        &self.score_name
    }

    /// The published change threshold, if there is one.
    pub fn threshold(&self) -> Option<PublishedThreshold> {
        self.threshold
    }

    /// The published reliability, if there is one.
    pub fn reliability(&self) -> Option<Exact> {
        self.reliability
    }

    /// The published SD of a clinical sample, if there is one.
    pub fn sd(&self) -> Option<Exact> {
        self.sd
    }

    /// Where the numbers are published.
    pub fn citation(&self) -> &str {
        &self.citation
    }

    /// Anything a clinician should know when reading a result made with them.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// A published minimum change in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PublishedThreshold {
    /// The smallest change, in points, that counts.
    pub points: Exact,
    /// What the number was published as.
    pub kind: ThresholdKind,
}

/// What a published threshold was published as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdKind {
    /// A reliable-change threshold: a change this large is unlikely to be measurement
    /// error (PHQ-9 6, GAD-7 4, PCL-5 5).
    ReliableChange,
    /// A minimal (clinically) important difference: the smallest change patients notice
    /// as meaningful (IIEF erectile function 4).
    MinimalImportantDifference,
}

/// A reliability coefficient (test-retest or internal consistency), strictly between 0
/// and 1, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reliability(Exact);

impl Reliability {
    /// Parses a decimal such as `0.84` (at most 4 places).
    pub fn parse(text: &str) -> Result<Reliability, ParameterError> {
        let value = Exact::parse_decimal(text.trim())?;
        if value <= Exact::ZERO || value >= Exact::from_int(1) {
            return Err(ParameterError::ReliabilityOutOfRange(text.to_owned()));
        }
        Ok(Reliability(value))
    }

    /// The coefficient.
    pub fn value(self) -> Exact {
        self.0
    }
}

/// The standard deviation of a comparable clinical sample at baseline, above 0, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StandardDeviation(Exact);

impl StandardDeviation {
    /// Parses a decimal such as `5.2` (at most 4 places).
    pub fn parse(text: &str) -> Result<StandardDeviation, ParameterError> {
        let value = Exact::parse_decimal(text.trim())?;
        if value <= Exact::ZERO {
            return Err(ParameterError::SdNotPositive(text.to_owned()));
        }
        Ok(StandardDeviation(value))
    }

    /// The standard deviation.
    pub fn value(self) -> Exact {
        self.0
    }
}

/// A practice's own change parameters for one instrument and score. Either may be left
/// out: a configured SD with a published reliability (ASEX) is enough for Jacobson-Truax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeParameters {
    /// The reliability to use instead of (or where there is no) published one.
    pub reliability: Option<Reliability>,
    /// The SD to use instead of (or where there is no) published one.
    pub sd: Option<StandardDeviation>,
    /// Where the practice took them from, shown with every result (`Smith 2019, n = 210`).
    pub source: String,
}

/// A configured parameter that is not usable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParameterError {
    /// Not a plain decimal with at most 4 places.
    #[error(transparent)]
    NotDecimal(#[from] ExactParseError),
    /// A reliability of 0 or less, or of 1 or more.
    #[error("a reliability must lie strictly between 0 and 1, not {0}")]
    ReliabilityOutOfRange(String),
    /// An SD of 0 or less.
    #[error("a standard deviation must be above 0, not {0}")]
    SdNotPositive(String),
}

/// One number a method used, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// The value.
    pub value: Exact,
    /// Its source: the published citation, or the practice's note.
    pub source: String,
    /// True when the practice configured it, false when it is published.
    pub configured_by_practice: bool,
}
