//! The progress chart: one client's (or both partners') scores over time, drawn on the
//! server as accessible SVG, with the same data as rows for an HTML table beside it.
//!
//! What it shows is fixed by clinical.md: the score axis over the instrument's range,
//! the published cutoff as a labelled line, shading only for *published* bands, and the
//! instrument's direction in words ("higher is better" on FSFI, "higher is worse" on
//! PHQ-9), never a shared colour scheme that assumes one direction. A dyadic chart holds
//! two people: on one panel when both answered the same instrument and score (CSI), or
//! on two stacked panels sharing the date axis when they did not (FSFI desire beside IIEF
//! sexual desire), because two scales on one axis would invite a false comparison.
//!
//! Each person's series differs by colour *and* by marker shape and dash pattern, so the
//! chart reads without colour. The SVG has `role="img"`, a `<title>` and a `<desc>` that
//! summarise every series; it uses presentation attributes only (no `style`, no script,
//! no external font or reference), so a strict Content-Security-Policy accepts it inline.
//! Output is deterministic: the same input gives the same bytes.

mod svg;

use serde::Serialize;
use thiserror::Error;

use crate::calendar::CalendarDate;
use crate::definition::{Instrument, ScoreRef};
use crate::exact::Exact;

/// The most people one chart shows.
pub const MAX_SERIES: usize = 2;

/// One person's scores on one instrument score.
#[derive(Debug, Clone)]
pub struct ScoreSeries<'i> {
    /// How the person is named on the chart: a role or initials chosen by the app
    /// ("Partner A"), never more identifying than needed.
    pub person: String,
    /// The instrument.
    pub instrument: &'i Instrument,
    /// The score shown: `total` or a domain id.
    pub score: String,
    /// The scores with the date each response was completed, in any order.
    pub points: Vec<(CalendarDate, Exact)>,
}

/// A chart that has been checked and can be drawn.
#[derive(Debug, Clone)]
pub struct ProgressChart<'i> {
    id: String,
    series: Vec<Checked<'i>>,
    panels: Vec<Panel<'i>>,
}

/// A series with its score resolved and its points in date order.
#[derive(Debug, Clone)]
struct Checked<'i> {
    person: String,
    instrument: &'i Instrument,
    score: ScoreRef,
    points: Vec<(CalendarDate, Exact)>,
}

/// One instrument score and the series drawn on it.
#[derive(Debug, Clone)]
struct Panel<'i> {
    instrument: &'i Instrument,
    score: ScoreRef,
    series: Vec<usize>,
}

/// One row of the table that accompanies the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressRow {
    /// When the response was completed.
    pub date: CalendarDate,
    /// The person.
    pub person: String,
    /// The score's name for people (`PHQ-9 total`).
    pub measure: String,
    /// The score.
    pub score: Exact,
    /// Its published band, if the instrument bands this score.
    pub band: Option<String>,
    /// Whether it lies on the clinical side of the published cutoff, if there is one.
    pub beyond_cutoff: Option<bool>,
}

/// Why a chart cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChartError {
    /// No series, or more than [`MAX_SERIES`].
    #[error("a progress chart shows 1 or {MAX_SERIES} people, not {0}")]
    SeriesCount(usize),
    /// No series has a single score.
    #[error("there are no scores to chart yet")]
    NoScores,
    /// The element id is not usable in HTML.
    #[error(
        "chart id `{0}` must be 1-40 lower-case letters, digits or '-', starting with a letter"
    )]
    InvalidId(String),
    /// A person label that is empty.
    #[error("series {0} has no person label")]
    NoPerson(usize),
    /// An unknown score name.
    #[error("{instrument} has no score `{score}`; its scores are: {known}")]
    UnknownScore {
        /// The instrument id.
        instrument: String,
        /// The name given.
        score: String,
        /// The names it has.
        known: String,
    },
    /// A score outside the instrument's range.
    #[error("{person}: {measure} {value} on {date} lies outside the range {low}-{high}")]
    OutOfRange {
        /// The person.
        person: String,
        /// The score's name.
        measure: String,
        /// The value given.
        value: Exact,
        /// Its date.
        date: CalendarDate,
        /// The lowest possible score.
        low: Exact,
        /// The highest possible score.
        high: Exact,
    },
}

impl<'i> ProgressChart<'i> {
    /// Checks the series. `id` prefixes the SVG's element ids (`progress-phq9`), so that
    /// two charts on one page stay distinct.
    pub fn new(id: &str, series: Vec<ScoreSeries<'i>>) -> Result<ProgressChart<'i>, ChartError> {
        let id_ok = (1..=40).contains(&id.len())
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(ChartError::InvalidId(id.to_owned()));
        }
        if series.is_empty() || series.len() > MAX_SERIES {
            return Err(ChartError::SeriesCount(series.len()));
        }
        let mut checked: Vec<Checked<'i>> = Vec::with_capacity(series.len());
        for (index, one) in series.into_iter().enumerate() {
            checked.push(check(index, one)?);
        }
        if checked.iter().all(|one| one.points.is_empty()) {
            return Err(ChartError::NoScores);
        }
        let mut panels: Vec<Panel<'i>> = Vec::new();
        for (index, one) in checked.iter().enumerate() {
            let existing = panels.iter_mut().find(|panel| {
                panel.instrument.id() == one.instrument.id() && panel.score == one.score
            });
            match existing {
                Some(panel) => panel.series.push(index),
                None => panels.push(Panel {
                    instrument: one.instrument,
                    score: one.score,
                    series: vec![index],
                }),
            }
        }
        Ok(ProgressChart {
            id: id.to_owned(),
            series: checked,
            panels,
        })
    }

    /// The chart as a standalone SVG document fragment (`<svg ...>...</svg>`).
    pub fn svg(&self) -> String {
        svg::render(self)
    }

    /// The same data as table rows, by date, then in series order.
    pub fn rows(&self) -> Vec<ProgressRow> {
        let mut rows: Vec<(usize, ProgressRow)> = Vec::new();
        for (index, one) in self.series.iter().enumerate() {
            let name = one.instrument.score_id(one.score);
            let cutoff = one.instrument.cutoff(name);
            for &(date, score) in &one.points {
                rows.push((
                    index,
                    ProgressRow {
                        date,
                        person: one.person.clone(),
                        measure: one.instrument.score_title(one.score),
                        score,
                        band: band_of(one.instrument, one.score, score),
                        beyond_cutoff: cutoff.as_ref().map(|cutoff| cutoff.is_positive(score)),
                    },
                ));
            }
        }
        rows.sort_by_key(|(index, row)| (row.date, *index));
        rows.into_iter().map(|(_, row)| row).collect()
    }
}

fn check(index: usize, series: ScoreSeries<'_>) -> Result<Checked<'_>, ChartError> {
    if series.person.trim().is_empty() {
        return Err(ChartError::NoPerson(index + 1));
    }
    let instrument = series.instrument;
    let score = instrument
        .score_ref(&series.score)
        .ok_or_else(|| ChartError::UnknownScore {
            instrument: instrument.id().to_owned(),
            score: series.score.clone(),
            known: instrument.score_names_text(),
        })?;
    let (low, high) = instrument.range_of(score);
    for &(date, value) in &series.points {
        if value < low || value > high {
            return Err(ChartError::OutOfRange {
                person: series.person.clone(),
                measure: instrument.score_title(score),
                value,
                date,
                low,
                high,
            });
        }
    }
    let mut points = series.points;
    points.sort_by_key(|(date, _)| *date);
    Ok(Checked {
        person: series.person,
        instrument,
        score,
        points,
    })
}

/// The published band a score falls in, if the instrument bands this score.
fn band_of(instrument: &Instrument, score: ScoreRef, value: Exact) -> Option<String> {
    let banding = instrument.banding()?;
    if banding.score_name() != instrument.score_id(score) {
        return None;
    }
    banding
        .bands()
        .iter()
        .find(|band| band.min() <= value && value <= band.max())
        .map(|band| band.name().to_owned())
}
