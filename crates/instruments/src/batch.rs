//! Scoring many responses at once: CSV in, CSV out.
//!
//! The input has a header row of the instrument's item ids, in item order, then one
//! response per row with coded values (an empty cell is an unanswered item). The output
//! has one row per input row: `line` (the input line number, the header being line 1),
//! `total`, one column per domain, `band`, `positive`, `flags` (joined with `;`) and
//! `error`. A row that cannot be scored keeps its line with only `error` filled, is
//! counted in the [`CsvSummary`], and the rest of the file is still scored.
//!
//! Shaped for a million rows in well under ten seconds: the reader and writer buffer
//! their I/O and reuse one record, the values vector, the engine's [`Outcome`] and the
//! text buffers, so a valid row allocates nothing.

use std::io::{Read, Write};

use thiserror::Error;

use crate::definition::Instrument;
use crate::engine::Outcome;
use crate::values::{ItemValue, ScoreError, parse_field};

/// How often `on_progress` is called, in rows (it is also called once at the end).
pub const PROGRESS_EVERY: u64 = 10_000;
/// At most this many row errors are kept in [`CsvSummary::errors`]; every error is in
/// the output's `error` column regardless.
pub const MAX_REPORTED_ERRORS: usize = 1_000;

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvSummary {
    /// Data rows read (the header is not counted).
    pub rows: u64,
    /// Rows scored, including those whose total was incomplete.
    pub scored: u64,
    /// Scored rows whose total could not be computed (flag `incomplete`).
    pub incomplete: u64,
    /// Rows refused as invalid input.
    pub rejected: u64,
    /// The first [`MAX_REPORTED_ERRORS`] refused rows, by line.
    pub errors: Vec<RowError>,
}

/// One refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's line number in the input (the header is line 1).
    pub line: u64,
    /// Why it was refused.
    pub error: ScoreError,
}

/// A batch that could not run at all.
#[derive(Debug, Error)]
pub enum CsvError {
    /// The input has no header row.
    #[error("the input is empty; it must start with a header row of item ids: {expected}")]
    MissingHeader {
        /// The expected header.
        expected: String,
    },
    /// The header is not the instrument's item ids in order.
    #[error(
        "the header does not match {instrument}: column {column} should be `{expected_column}` \
         but is `{found_column}`; the header must be: {expected}"
    )]
    HeaderMismatch {
        /// The instrument id.
        instrument: String,
        /// The first column (1-based) that differs.
        column: usize,
        /// What that column should be (empty if the header is too long).
        expected_column: String,
        /// What it is (empty if the header is too short).
        found_column: String,
        /// The whole expected header.
        expected: String,
    },
    /// Reading the input failed.
    #[error("could not read the CSV input: {0}")]
    Read(#[source] csv::Error),
    /// Writing the output failed.
    #[error("could not write the CSV output: {0}")]
    Write(#[source] csv::Error),
}

/// Scores every row of `input` with `instrument` and writes one output row per input row
/// to `output`. `on_progress` receives the number of rows done so far, every
/// [`PROGRESS_EVERY`] rows and once at the end.
pub fn score_csv(
    instrument: &Instrument,
    input: impl Read,
    output: impl Write,
    mut on_progress: impl FnMut(u64),
) -> Result<CsvSummary, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut writer = csv::Writer::from_writer(output);
    let mut record = csv::ByteRecord::new();

    if !reader
        .read_byte_record(&mut record)
        .map_err(CsvError::Read)?
    {
        return Err(CsvError::MissingHeader {
            expected: expected_header(instrument),
        });
    }
    check_header(instrument, &record)?;
    write_header(instrument, &mut writer)?;

    let mut summary = CsvSummary::default();
    let mut values: Vec<ItemValue> = Vec::with_capacity(instrument.items.len());
    let mut outcome = Outcome::default();
    let mut cell = Vec::with_capacity(64);
    while reader
        .read_byte_record(&mut record)
        .map_err(CsvError::Read)?
    {
        summary.rows += 1;
        let line = record
            .position()
            .map_or(summary.rows + 1, csv::Position::line);
        match read_row(instrument, &record, &mut values) {
            Ok(()) => {
                instrument.evaluate(&values, &mut outcome);
                summary.scored += 1;
                summary.incomplete += u64::from(outcome.total.is_none());
                write_scored(&mut writer, &mut cell, line, &outcome)?;
            }
            Err(error) => {
                summary.rejected += 1;
                write_rejected(&mut writer, &mut cell, instrument, line, &error)?;
                if summary.errors.len() < MAX_REPORTED_ERRORS {
                    summary.errors.push(RowError { line, error });
                }
            }
        }
        if summary.rows % PROGRESS_EVERY == 0 {
            on_progress(summary.rows);
        }
    }
    writer.flush().map_err(|e| CsvError::Write(e.into()))?;
    on_progress(summary.rows);
    Ok(summary)
}

/// The item ids joined by commas: the header an input must have.
pub fn expected_header(instrument: &Instrument) -> String {
    instrument
        .items
        .iter()
        .map(|item| item.id.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn check_header(instrument: &Instrument, record: &csv::ByteRecord) -> Result<(), CsvError> {
    let found: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(column, field)| {
            // A spreadsheet may start the file with a UTF-8 byte-order mark.
            let field = match column {
                0 => field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field),
                _ => field,
            };
            String::from_utf8_lossy(field.trim_ascii()).into_owned()
        })
        .collect();
    let expected = |column: usize| instrument.items.get(column).map(|item| item.id.as_str());
    let width = found.len().max(instrument.items.len());
    let Some(column) = (0..width).find(|&c| found.get(c).map(String::as_str) != expected(c)) else {
        return Ok(());
    };
    Err(CsvError::HeaderMismatch {
        instrument: instrument.id.clone(),
        column: column + 1,
        expected_column: expected(column).unwrap_or_default().to_owned(),
        found_column: found.get(column).cloned().unwrap_or_default(),
        expected: expected_header(instrument),
    })
}

fn read_row(
    instrument: &Instrument,
    record: &csv::ByteRecord,
    values: &mut Vec<ItemValue>,
) -> Result<(), ScoreError> {
    if record.len() != instrument.items.len() {
        return Err(instrument.wrong_count(record.len()));
    }
    values.clear();
    for (field, item) in record.iter().zip(&instrument.items) {
        values.push(parse_field(item, field)?);
    }
    Ok(())
}

fn write_header<W: Write>(
    instrument: &Instrument,
    writer: &mut csv::Writer<W>,
) -> Result<(), CsvError> {
    let domains = instrument.domains.iter().map(|domain| domain.id.as_str());
    let columns = ["line", "total"]
        .into_iter()
        .chain(domains)
        .chain(["band", "positive", "flags", "error"]);
    writer.write_record(columns).map_err(CsvError::Write)
}

fn write_scored<W: Write>(
    writer: &mut csv::Writer<W>,
    cell: &mut Vec<u8>,
    line: u64,
    outcome: &Outcome<'_>,
) -> Result<(), CsvError> {
    let mut field = |writer: &mut csv::Writer<W>, fill: &dyn Fn(&mut Vec<u8>)| {
        cell.clear();
        fill(cell);
        writer.write_field(&*cell).map_err(CsvError::Write)
    };
    field(writer, &|c| push_display(c, line))?;
    field(writer, &|c| push_exact(c, outcome.total))?;
    for domain in &outcome.domains {
        field(writer, &|c| push_exact(c, *domain))?;
    }
    field(writer, &|c| {
        c.extend_from_slice(outcome.band.unwrap_or("").as_bytes())
    })?;
    let positive = match outcome.positive {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    };
    field(writer, &|c| c.extend_from_slice(positive.as_bytes()))?;
    field(writer, &|c| {
        for (index, flag) in outcome.flags.iter().enumerate() {
            if index > 0 {
                c.push(b';');
            }
            c.extend_from_slice(flag.as_bytes());
        }
    })?;
    field(writer, &|_| {})?;
    writer.write_record(None::<&[u8]>).map_err(CsvError::Write)
}

fn write_rejected<W: Write>(
    writer: &mut csv::Writer<W>,
    cell: &mut Vec<u8>,
    instrument: &Instrument,
    line: u64,
    error: &ScoreError,
) -> Result<(), CsvError> {
    cell.clear();
    push_display(cell, line);
    writer.write_field(&*cell).map_err(CsvError::Write)?;
    // total, each domain, band, positive and flags stay empty.
    for _ in 0..instrument.domains.len() + 4 {
        writer.write_field([]).map_err(CsvError::Write)?;
    }
    writer
        .write_field(error.to_string())
        .map_err(CsvError::Write)?;
    writer.write_record(None::<&[u8]>).map_err(CsvError::Write)
}

fn push_exact(cell: &mut Vec<u8>, value: Option<crate::Exact>) {
    if let Some(value) = value {
        push_display(cell, value);
    }
}

fn push_display(cell: &mut Vec<u8>, value: impl std::fmt::Display) {
    // Writing into a Vec<u8> cannot fail.
    let _ = write!(cell, "{value}");
}
