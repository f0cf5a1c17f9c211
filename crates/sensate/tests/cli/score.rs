//! `sensate score` as a user runs it.

use crate::support::{run, stderr, stdout};

#[test]
fn one_response_prints_one_json_object() {
    let output = run(&["score", "phq9", "2,2,2,2,1,1,0,0,0"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "instrument": "phq9", "version": "1.0.0", "total": 10, "domains": {},
            "band": "moderate", "positive": true, "flags": []
        })
    );
}

#[test]
fn an_fsfi_total_of_26_point_5_prints_exactly() {
    // Desire 4+4 (x0.6 = 4.8), the rest chosen so the total is exactly 26.5.
    let output = run(&["score", "fsfi", "4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let total = json["total"].to_string();
    assert!(!total.contains("000000"), "no float drift: {total}");
}

#[test]
fn a_missing_item_is_an_empty_field() {
    let output = run(&["score", "csi4", "3,,2,4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(json["total"], serde_json::Value::Null);
    assert!(
        json["flags"]
            .as_array()
            .unwrap()
            .contains(&"incomplete".into())
    );
}

#[test]
fn invalid_input_exits_with_code_2_naming_the_item() {
    for (args, expected) in [
        (vec!["score", "phq9", "1,1,1,1,1,1,1,1,9"], "phq9_9"),
        (vec!["score", "phq9", "1,1,1"], "9"),
        (vec!["score", "phq9", "1,1,1,1,x,1,1,1,1"], "phq9_5"),
        (vec!["score", "phq9", "-1,1,1,1,1,1,1,1,1"], "phq9_1"),
        (vec!["score", "no-such-test", "1"], "phq9"),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn a_csv_file_is_scored_and_a_bad_row_is_reported_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let output_path = dir.path().join("out.csv");
    std::fs::write(
        &input,
        "gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n\
         0,0,0,0,0,0,0\n\
         3,3,3,3,3,3,7\n\
         2,2,2,2,1,1,0\n",
    )
    .unwrap();
    let output = run(&[
        "score",
        "gad7",
        "--csv",
        input.to_str().unwrap(),
        "--output",
        output_path.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refused row is not success"
    );
    let report = stderr(&output);
    assert!(report.contains("scored 2 of 3 rows"), "{report}");
    assert!(report.contains("line 3"), "{report}");
    let written = std::fs::read_to_string(&output_path).unwrap();
    assert_eq!(
        written.lines().count(),
        4,
        "header and one line per row: {written}"
    );
    assert!(
        written.lines().nth(3).unwrap().starts_with("4,10,"),
        "{written}"
    );
}

#[test]
fn a_csv_with_the_wrong_header_is_refused_with_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "a,b\n1,2\n").unwrap();
    let output = run(&["score", "gad2", "--csv", input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}
