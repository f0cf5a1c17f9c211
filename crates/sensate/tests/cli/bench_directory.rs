//! `sensate bench directory` as the benchmark script runs it.

use crate::support::{data_dir, run, stderr, stdout};

#[test]
fn the_directory_benchmark_prints_one_json_line_of_figures() {
    let output = run(&["bench", "directory", "--profiles", "30", "--queries", "20"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out}");
    let figures: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let keys: Vec<&str> = figures
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 5, "{out}");
    assert_eq!(figures["profiles"], 30);
    assert_eq!(figures["queries"], 20);
    let p50 = figures["p50_ms"].as_f64().unwrap();
    let p99 = figures["p99_ms"].as_f64().unwrap();
    assert!(0.0 < p50 && p50 <= p99, "{out}");
    assert!(figures["qps"].as_f64().unwrap() > 0.0, "{out}");
    // Every profile went through the product's checks; one says something held.
    assert!(
        stderr(&output).contains("29 published, 1 held"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_count_that_is_not_a_number_is_a_usage_error() {
    for args in [
        vec!["bench", "directory", "--profiles", "abc"],
        vec!["bench", "directory", "--queries", "-3"],
        vec!["bench", "directory", "--pending", "2"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
    let help = run(&["bench", "directory", "--help"]);
    assert!(help.status.success());
    for flag in [
        "--profiles",
        "--queries",
        "--seed",
        "--database-url",
        "--keep",
    ] {
        assert!(stdout(&help).contains(flag), "--help mentions {flag}");
    }
}

#[test]
fn keep_leaves_the_data_and_the_searches_as_links() {
    let parent = data_dir();
    let kept = parent.path().join("directory");
    let output = run(&[
        "bench",
        "directory",
        "--profiles",
        "10",
        "--queries",
        "12",
        "--keep",
        kept.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(kept.join("sensate.db").exists());
    assert!(kept.join("keys").join("sensate.key").exists());
    let queries = std::fs::read_to_string(kept.join("queries.txt")).unwrap();
    assert_eq!(queries.lines().count(), 12);
    assert!(queries.lines().all(|line| line.starts_with("/directory?")));

    // A folder that already holds something is never filled.
    let again = run(&[
        "bench",
        "directory",
        "--profiles",
        "10",
        "--keep",
        kept.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
}
