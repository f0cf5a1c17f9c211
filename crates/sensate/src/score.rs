//! `sensate score`: score one response, or a CSV file of them, from the command line.
//!
//! One response prints one JSON object on standard output. A CSV file is scored row by
//! row; a bad row is reported by line number on standard error and the rest are still
//! scored. Exit codes: 0 all scored; 2 invalid input (an unknown instrument, a value an
//! item does not allow, the wrong header); 1 the file could not be read or written, or
//! some rows were refused.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use sensate_instruments::{Catalogue, CsvError, Instrument, score_csv};

/// What to score.
pub enum Input {
    /// Coded item values in item order, comma-separated; empty for a missing item.
    Values(String),
    /// A CSV file with a header row of item ids and one response per row.
    Csv {
        /// The file to read.
        input: PathBuf,
        /// Where to write results; standard output when absent.
        output: Option<PathBuf>,
    },
}

/// Runs the command and says how it ended.
pub fn run(instrument_id: &str, input: Input) -> ExitCode {
    let catalogue = match Catalogue::builtin() {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("error: the built-in instrument definitions are invalid: {error}");
            return ExitCode::FAILURE;
        }
    };
    let instrument = match catalogue.instrument(instrument_id) {
        Ok(instrument) => instrument,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    match input {
        Input::Values(values) => score_one(instrument, &values),
        Input::Csv { input, output } => score_file(instrument, &input, output.as_deref()),
    }
}

fn score_one(instrument: &Instrument, values: &str) -> ExitCode {
    let score = instrument
        .parse_values(values)
        .and_then(|values| instrument.score(&values));
    match score {
        Ok(score) => match serde_json::to_string(&score) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: cannot write the score as JSON: {error}");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn score_file(instrument: &Instrument, input: &Path, output: Option<&Path>) -> ExitCode {
    let file = match File::open(input) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", input.display());
            return ExitCode::FAILURE;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = Arc::new(AtomicU64::new(0));
    let counted = CountingReader {
        inner: file,
        read: read.clone(),
    };
    let bar = progress_bar(size);
    let on_progress = |_rows: u64| bar.set_position(read.load(Ordering::Relaxed));

    let summary = match output {
        Some(path) => match File::create(path) {
            Ok(out) => score_csv(instrument, counted, out, on_progress),
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => score_csv(instrument, counted, io::stdout().lock(), on_progress),
    };
    bar.finish_and_clear();
    match summary {
        Ok(summary) => {
            eprintln!(
                "{}: scored {} of {} rows ({} incomplete), refused {}.",
                instrument.id(),
                summary.scored,
                summary.rows,
                summary.incomplete,
                summary.rejected
            );
            for row in &summary.errors {
                eprintln!("  line {}: {}", row.line, row.error);
            }
            if summary.rejected as usize > summary.errors.len() {
                eprintln!(
                    "  … and {} more refused rows (see the error column of the output)",
                    summary.rejected as usize - summary.errors.len()
                );
            }
            if summary.rejected == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error @ (CsvError::Read(_) | CsvError::Write(_))) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// A bar over the file's bytes when standard error is a terminal; hidden otherwise, so
/// logs and pipes get only the summary.
fn progress_bar(bytes: u64) -> ProgressBar {
    if !io::stderr().is_terminal() || bytes == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} scoring [{bar:40}] {bytes}/{total_bytes} ({eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Counts the bytes read, so progress can be shown against the file's size.
struct CountingReader<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
