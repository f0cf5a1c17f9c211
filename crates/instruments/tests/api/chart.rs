//! The progress chart: accessible, CSP-safe SVG with the same data as table rows.

use sensate_instruments::{CalendarDate, ChartError, Exact, ProgressChart, ScoreSeries};

use crate::{dec, instrument};

fn points(list: &[(&str, &str)]) -> Vec<(CalendarDate, Exact)> {
    list.iter()
        .map(|(date, score)| (CalendarDate::parse(date).unwrap(), dec(score)))
        .collect()
}

fn series<'i>(person: &str, id: &str, score: &str, list: &[(&str, &str)]) -> ScoreSeries<'i> {
    ScoreSeries {
        person: person.into(),
        instrument: instrument(id),
        score: score.into(),
        points: points(list),
    }
}

fn phq9_chart() -> ProgressChart<'static> {
    ProgressChart::new(
        "progress-phq9",
        vec![series(
            "Client",
            "phq9",
            "total",
            &[
                ("2024-03-01", "7"),
                ("2024-01-05", "18"),
                ("2024-02-02", "12"),
            ],
        )],
    )
    .unwrap()
}

#[test]
fn a_single_series_chart_matches_its_snapshot() {
    let svg = phq9_chart().svg();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/api/snapshots/phq9_progress.svg"
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &svg).unwrap();
    }
    let expected = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        svg, expected,
        "run with UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[test]
fn the_chart_is_an_accessible_image_with_a_title_and_a_summary() {
    let svg = phq9_chart().svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.contains("role=\"img\" aria-labelledby=\"progress-phq9-title progress-phq9-desc\"")
    );
    assert!(
        svg.contains("<title id=\"progress-phq9-title\">PHQ-9 total over time: Client</title>")
    );
    assert!(svg.contains(
        "<desc id=\"progress-phq9-desc\">PHQ-9 total: higher is worse, scores from 0 to 27. \
         Published cutoff ≥ 10: At or above the cutoff for major depression. Client: 3 scores, \
         first 18 on 2024-01-05, moderately severe, latest 7 on 2024-03-01, mild.</desc>"
    ));
}

#[test]
fn the_chart_shows_the_cutoff_the_published_bands_and_the_direction() {
    let svg = phq9_chart().svg();
    assert!(svg.contains(">cutoff ≥ 10</text>"));
    for band in [
        "none/minimal (0-4)",
        "mild (5-9)",
        "moderate (10-14)",
        "moderately severe (15-19)",
        "severe (20-27)",
    ] {
        assert!(svg.contains(&format!(">{band}</text>")), "{band}");
    }
    assert!(svg.contains("PHQ-9 total (higher is worse, 0-27)"));
    assert!(svg.contains("<title>Client, 2024-01-05: 18, moderately severe</title>"));
}

#[test]
fn instruments_without_published_bands_get_no_shading() {
    let chart = ProgressChart::new(
        "fsfi",
        vec![series(
            "Client",
            "fsfi",
            "total",
            &[("2024-01-01", "20.3"), ("2024-02-01", "28.8")],
        )],
    )
    .unwrap();
    let svg = chart.svg();
    assert!(!svg.contains("fill-opacity"));
    assert!(svg.contains(">cutoff ≤ 26.55</text>"));
    assert!(svg.contains("FSFI total (higher is better, 2-36)"));
}

#[test]
fn the_svg_has_no_script_style_or_external_reference() {
    let svg = phq9_chart().svg();
    for forbidden in [
        "<script",
        "style=",
        "<style",
        "href",
        "url(",
        "@import",
        "<foreignObject",
        "on",
    ] {
        let found = if forbidden == "on" {
            svg.split_whitespace()
                .any(|token| token.starts_with("on") && token.contains('='))
        } else {
            svg.contains(forbidden)
        };
        assert!(!found, "{forbidden}");
    }
}

#[test]
fn a_couple_on_one_instrument_shares_one_panel_with_distinct_colour_dash_and_marker() {
    let chart = ProgressChart::new(
        "couple",
        vec![
            series(
                "Partner A",
                "csi16",
                "total",
                &[("2024-01-10", "40"), ("2024-03-10", "55")],
            ),
            series(
                "Partner B",
                "csi16",
                "total",
                &[("2024-01-12", "60"), ("2024-03-12", "58")],
            ),
        ],
    )
    .unwrap();
    let svg = chart.svg();
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.contains("stroke=\"#0072b2\" stroke-width=\"2\"/>"));
    assert!(svg.contains("stroke=\"#d55e00\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>"));
    assert!(svg.contains("<circle") && svg.contains("<rect x="));
    assert_eq!(svg.matches("font-weight=\"bold\"").count(), 1, "one panel");
    assert!(svg.contains(">Partner A</text>") && svg.contains(">Partner B</text>"));
    assert!(svg.contains("CSI-16 total over time: Partner A and Partner B"));
}

#[test]
fn partners_on_different_instruments_get_stacked_panels_on_one_date_axis() {
    let chart = ProgressChart::new(
        "desire",
        vec![
            series(
                "Partner A",
                "fsfi",
                "desire",
                &[("2024-01-10", "3.6"), ("2024-03-10", "4.8")],
            ),
            series(
                "Partner B",
                "iief15",
                "sexual_desire",
                &[("2024-01-12", "6"), ("2024-03-12", "8")],
            ),
        ],
    )
    .unwrap();
    let svg = chart.svg();
    assert_eq!(svg.matches("font-weight=\"bold\"").count(), 2, "two panels");
    assert!(svg.contains("FSFI desire (higher is better, 1.2-6)"));
    assert!(svg.contains("IIEF-15 sexual desire (higher is better, 2-10)"));
    assert!(svg.contains(">Partner B: IIEF-15 sexual desire</text>"));
    assert!(
        !svg.contains("cutoff"),
        "neither desire score has a published cutoff wired"
    );
}

#[test]
fn the_table_rows_hold_the_same_data_in_date_order() {
    let rows = phq9_chart().rows();
    let summary: Vec<(String, String, Option<&str>, Option<bool>)> = rows
        .iter()
        .map(|row| {
            (
                row.date.to_string(),
                row.score.to_string(),
                row.band.as_deref(),
                row.beyond_cutoff,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "2024-01-05".into(),
                "18".into(),
                Some("moderately severe"),
                Some(true)
            ),
            (
                "2024-02-02".into(),
                "12".into(),
                Some("moderate"),
                Some(true)
            ),
            ("2024-03-01".into(), "7".into(), Some("mild"), Some(false)),
        ]
    );
    assert_eq!(rows[0].measure, "PHQ-9 total");
    let json = serde_json::to_value(&rows[0]).unwrap();
    assert_eq!(json["date"], "2024-01-05");
}

#[test]
fn text_from_the_caller_is_escaped() {
    let chart = ProgressChart::new(
        "x",
        vec![series(
            "<Partner & \"A\">",
            "gad7",
            "total",
            &[("2024-01-01", "5")],
        )],
    )
    .unwrap();
    let svg = chart.svg();
    assert!(svg.contains("&lt;Partner &amp; &quot;A&quot;&gt;"));
    assert!(!svg.contains("<Partner"));
}

#[test]
fn the_output_is_deterministic() {
    assert_eq!(phq9_chart().svg(), phq9_chart().svg());
}

#[test]
fn a_single_score_is_drawn_in_the_middle_of_the_date_axis() {
    let chart = ProgressChart::new(
        "one",
        vec![series("Client", "phq2", "total", &[("2024-01-01", "3")])],
    )
    .unwrap();
    let svg = chart.svg();
    assert!(!svg.contains("<polyline"));
    assert!(svg.contains("<circle cx=\"305.0\""), "{svg}");
}

#[test]
fn charts_that_cannot_be_drawn_say_why() {
    let new = |id: &str, list: Vec<ScoreSeries<'static>>| ProgressChart::new(id, list).unwrap_err();
    assert_eq!(new("x", vec![]), ChartError::SeriesCount(0));
    let one = || series("A", "phq9", "total", &[("2024-01-01", "3")]);
    assert_eq!(
        new("x", vec![one(), one(), one()]),
        ChartError::SeriesCount(3)
    );
    assert_eq!(new("X y", vec![one()]), ChartError::InvalidId("X y".into()));
    assert_eq!(
        new("x", vec![series("A", "phq9", "total", &[])]),
        ChartError::NoScores
    );
    assert_eq!(
        new(
            "x",
            vec![series(" ", "phq9", "total", &[("2024-01-01", "3")])]
        ),
        ChartError::NoPerson(1)
    );
    assert!(matches!(
        new(
            "x",
            vec![series("A", "phq9", "desire", &[("2024-01-01", "3")])]
        ),
        ChartError::UnknownScore { .. }
    ));
    assert_eq!(
        new(
            "x",
            vec![series("A", "phq9", "total", &[("2024-01-01", "28")])]
        )
        .to_string(),
        "A: PHQ-9 total 28 on 2024-01-01 lies outside the range 0-27"
    );
}
