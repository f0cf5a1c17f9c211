//! CSV batch scoring: every row agrees with scoring it alone, bad rows are reported by
//! line and the rest still scored, and a wrong header stops the batch with a clear error.

use crate::instrument;
use sensate_instruments::{
    CsvError, CsvSummary, Exact, Instrument, ItemValue, PROGRESS_EVERY, ScoreError, score_csv,
};

/// A small deterministic generator, so the test needs no random-number crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// `rows` valid responses: about 3% of values unanswered, and every 50th row half empty,
/// so both prorating and incomplete totals occur.
fn generated_responses(instrument: &Instrument, rows: usize) -> Vec<Vec<ItemValue>> {
    let mut random = Lcg(42);
    (0..rows)
        .map(|row| {
            let missing_percent = if row % 50 == 0 { 50 } else { 3 };
            instrument
                .items()
                .iter()
                .map(|item| {
                    let span = u64::from(item.max() - item.min()) + 1;
                    let value = item.min() + u8::try_from(random.next(span)).unwrap();
                    (random.next(100) >= missing_percent).then_some(value)
                })
                .collect()
        })
        .collect()
}

fn csv_text(instrument: &Instrument, rows: &[Vec<ItemValue>]) -> String {
    let mut text = sensate_instruments::expected_header(instrument);
    text.push('\n');
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|value| value.map(|v| v.to_string()).unwrap_or_default())
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

fn run(instrument: &Instrument, input: &str) -> (Result<CsvSummary, CsvError>, String, Vec<u64>) {
    let mut output = Vec::new();
    let mut progress = Vec::new();
    let result = score_csv(instrument, input.as_bytes(), &mut output, |rows| {
        progress.push(rows);
    });
    (result, String::from_utf8(output).unwrap(), progress)
}

fn cell(value: Option<Exact>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[test]
fn ten_thousand_generated_fsfi_rows_agree_with_scoring_each_alone() {
    let fsfi = instrument("fsfi");
    let rows = generated_responses(fsfi, 10_000);
    let (summary, output, progress) = run(fsfi, &csv_text(fsfi, &rows));
    let summary = summary.unwrap();
    assert_eq!(summary.rows, 10_000);
    assert_eq!(summary.scored, 10_000);
    assert_eq!(summary.rejected, 0);
    assert_eq!(progress, [10_000, 10_000]);

    let mut reader = csv::Reader::from_reader(output.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "line",
            "total",
            "desire",
            "arousal",
            "lubrication",
            "orgasm",
            "satisfaction",
            "pain",
            "band",
            "positive",
            "flags",
            "error"
        ]
    );
    let mut incomplete = 0;
    let mut prorated = 0;
    let mut records = 0;
    for (index, (record, values)) in reader.records().zip(&rows).enumerate() {
        let record = record.unwrap();
        let expected = fsfi.score(values).unwrap();
        incomplete += u64::from(expected.total.is_none());
        prorated += u64::from(expected.has_flag("prorated"));
        let mut wanted = vec![(index + 2).to_string(), cell(expected.total)];
        wanted.extend(expected.domains.iter().map(|d| cell(d.score)));
        wanted.push(expected.band.clone().unwrap_or_default());
        wanted.push(expected.positive.map(|p| p.to_string()).unwrap_or_default());
        wanted.push(expected.flags.join(";"));
        wanted.push(String::new());
        assert_eq!(record.iter().collect::<Vec<_>>(), wanted, "row {index}");
        records += 1;
    }
    assert_eq!(records, 10_000);
    assert_eq!(summary.incomplete, incomplete);
    assert!(
        incomplete > 0 && prorated > 0,
        "the rows should exercise the missing-data rule"
    );
}

#[test]
fn bad_rows_are_reported_by_line_and_the_rest_are_still_scored() {
    let gad2 = instrument("gad2");
    let input = "gad2_1,gad2_2\n1,2\n1,9\n3,3\n1\n0,\n";
    let (summary, output, _) = run(gad2, input);
    let summary = summary.unwrap();
    assert_eq!((summary.rows, summary.scored, summary.rejected), (5, 3, 2));
    assert_eq!(summary.incomplete, 1);
    let lines: Vec<u64> = summary.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5]);
    assert!(matches!(
        summary.errors[0].error,
        ScoreError::OutOfRange { position: 2, .. }
    ));
    assert!(matches!(
        summary.errors[1].error,
        ScoreError::WrongItemCount { found: 1, .. }
    ));
    assert_eq!(
        output,
        "line,total,band,positive,flags,error\n\
         2,3,,true,,\n\
         3,,,,,item gad2_2 (position 2): 9 is out of range; allowed: 0-3\n\
         4,6,,true,,\n\
         5,,,,,\"gad2 has 2 items, but 1 values were given\"\n\
         6,,,,incomplete,\n"
    );
}

#[test]
fn a_header_in_the_wrong_order_stops_the_batch_and_names_the_column() {
    let gad2 = instrument("gad2");
    let (result, _, _) = run(gad2, "gad2_2,gad2_1\n1,1\n");
    let error = result.unwrap_err();
    assert!(
        matches!(&error, CsvError::HeaderMismatch { column: 1, expected_column, found_column, .. }
            if expected_column == "gad2_1" && found_column == "gad2_2"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "the header does not match gad2: column 1 should be `gad2_1` but is `gad2_2`; \
         the header must be: gad2_1,gad2_2"
    );
}

#[test]
fn a_header_with_a_column_missing_stops_the_batch() {
    let (result, _, _) = run(instrument("gad2"), "gad2_1\n1\n");
    assert!(matches!(
        result,
        Err(CsvError::HeaderMismatch { column: 2, ref found_column, .. }) if found_column.is_empty()
    ));
}

#[test]
fn an_empty_input_is_a_missing_header() {
    let (result, _, _) = run(instrument("gad2"), "");
    assert!(matches!(result, Err(CsvError::MissingHeader { .. })));
}

#[test]
fn a_header_starting_with_a_byte_order_mark_is_accepted() {
    let (result, output, _) = run(instrument("gad2"), "\u{feff}gad2_1,gad2_2\n1,1\n");
    assert_eq!(result.unwrap().scored, 1);
    assert!(output.ends_with("2,2,,false,,\n"), "{output}");
}

#[test]
fn progress_is_reported_every_ten_thousand_rows_and_at_the_end() {
    let gad2 = instrument("gad2");
    let rows = usize::try_from(PROGRESS_EVERY).unwrap() * 2 + 5;
    let input = format!("gad2_1,gad2_2\n{}", "1,1\n".repeat(rows));
    let (_, _, progress) = run(gad2, &input);
    assert_eq!(progress, [10_000, 20_000, 20_005]);
}

#[test]
fn an_fsfi_total_of_26_5_is_written_exactly_in_the_csv() {
    let fsfi = instrument("fsfi");
    let input = format!(
        "{}\n1,1,1,2,2,2,5,5,5,5,5,5,4,4,5,5,5,5,5\n",
        sensate_instruments::expected_header(fsfi)
    );
    let (_, output, _) = run(fsfi, &input);
    assert!(
        output.ends_with("2,26.5,1.2,2.1,6,5.6,5.6,6,,true,,\n"),
        "{output}"
    );
}
