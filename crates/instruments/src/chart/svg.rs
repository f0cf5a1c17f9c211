//! Drawing a checked [`ProgressChart`] as SVG text.
//!
//! Plain string building: the elements are few and fixed, and writing them directly keeps
//! the output byte-for-byte predictable for snapshot tests. Every piece of text passes
//! through [`escape`]. Coordinates are floats rounded to one decimal; they only place
//! marks, they never decide anything.

use std::fmt::Write;

use super::{Checked, Panel, ProgressChart, band_of};
use crate::cutoff::CutoffSide;
use crate::definition::{Direction, Instrument, ScoreRef};
use crate::exact::Exact;
use crate::validate::score_is_whole;

const WIDTH: f64 = 720.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 170.0;
const PLOT_WIDTH: f64 = WIDTH - LEFT - RIGHT;
const TOP: f64 = 8.0;
const HEADING: f64 = 28.0;
const PLOT_HEIGHT: f64 = 180.0;
const PANEL_HEIGHT: f64 = HEADING + PLOT_HEIGHT + 46.0;
const LEGEND_ROW: f64 = 22.0;
/// Room one `2024-05-01` label needs at font size 11, with a gap.
const DATE_LABEL_WIDTH: f64 = 76.0;

/// Colour, dash pattern and marker shape of each person, chosen to differ without
/// colour too (Okabe-Ito blue and vermilion, which colour-blind readers can tell apart).
const STYLES: [(&str, Option<&str>, Marker); 2] = [
    ("#0072b2", None, Marker::Circle),
    ("#d55e00", Some("7 4"), Marker::Square),
];

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
}

/// The date axis shared by every panel, in days since the epoch.
struct DateAxis {
    first: i64,
    span: i64,
}

impl DateAxis {
    fn x(&self, day: i64) -> f64 {
        LEFT + 12.0 + (day - self.first) as f64 / self.span as f64 * (PLOT_WIDTH - 24.0)
    }
}

pub(super) fn render(chart: &ProgressChart<'_>) -> String {
    let days = chart
        .series
        .iter()
        .flat_map(|one| one.points.iter().map(|(date, _)| date.days_since_epoch()));
    let (first, last) = days.fold((i64::MAX, i64::MIN), |(lo, hi), day| {
        (lo.min(day), hi.max(day))
    });
    let axis = if first >= last {
        DateAxis {
            first: first - 1,
            span: 2,
        }
    } else {
        DateAxis {
            first,
            span: last - first,
        }
    };
    let panels = chart.panels.len() as f64;
    let height = TOP + panels * PANEL_HEIGHT + chart.series.len() as f64 * LEGEND_ROW + 8.0;
    let id = &chart.id;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"sans-serif\" font-size=\"12\">",
        w = WIDTH,
        h = num(height),
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-title\">{}</title>",
        escape(&title(chart))
    );
    let _ = writeln!(
        out,
        "<desc id=\"{id}-desc\">{}</desc>",
        escape(&description(chart))
    );
    for (index, panel) in chart.panels.iter().enumerate() {
        let top = TOP + index as f64 * PANEL_HEIGHT;
        draw_panel(&mut out, chart, panel, top, &axis);
    }
    let legend_top = TOP + panels * PANEL_HEIGHT;
    for (index, one) in chart.series.iter().enumerate() {
        let y = legend_top + index as f64 * LEGEND_ROW + 11.0;
        let (colour, dash, marker) = STYLES[index];
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"{}/>",
            num(LEFT),
            num(LEFT + 36.0),
            dash_attribute(dash),
            y = num(y),
        );
        draw_marker(&mut out, marker, colour, LEFT + 18.0, y, None);
        let label = if chart.panels.len() > 1 {
            format!("{}: {}", one.person, one.instrument.score_title(one.score))
        } else {
            one.person.clone()
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(LEFT + 44.0),
            num(y + 4.0),
            escape(&label)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn draw_panel(
    out: &mut String,
    chart: &ProgressChart<'_>,
    panel: &Panel<'_>,
    top: f64,
    axis: &DateAxis,
) {
    let instrument = panel.instrument;
    let name = instrument.score_id(panel.score);
    let (low, high) = instrument.range_of(panel.score);
    let plot_top = top + HEADING;
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let y = |value: f64| {
        plot_bottom - (value - low.to_f64()) / (high.to_f64() - low.to_f64()) * PLOT_HEIGHT
    };
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\">{}</text>",
        num(LEFT),
        num(top + 18.0),
        escape(&format!(
            "{} ({}, {}-{})",
            instrument.score_title(panel.score),
            direction_words(instrument),
            low,
            high
        ))
    );
    draw_bands(out, instrument, panel.score, &y);
    draw_value_ticks(out, low, high, &y);
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#767676\"/>",
        num(LEFT),
        num(plot_top),
        num(PLOT_WIDTH),
        num(PLOT_HEIGHT)
    );
    if let Some(cutoff) = instrument.cutoff(name) {
        // On a whole-number score, `≥ 10` is drawn between 9 and 10, where the bands
        // change too, so no point sits on the line; a decimal cutoff (26.55) is drawn as is.
        let whole = score_is_whole(instrument, panel.score) && cutoff.value.is_integer();
        let line_value = match cutoff.side {
            CutoffSide::AtLeast if whole => cutoff.value.to_f64() - 0.5,
            CutoffSide::AtMost if whole => cutoff.value.to_f64() + 0.5,
            _ => cutoff.value.to_f64(),
        };
        let line_y = y(line_value);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>",
            num(LEFT),
            num(LEFT + PLOT_WIDTH),
            ly = num(line_y),
        );
        // The label goes in the margin beside the heading, with a sample of the line, so
        // it never covers a point or a band label.
        let key_y = top + 14.0;
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{ky}\" x2=\"{}\" y2=\"{ky}\" stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>",
            num(LEFT + PLOT_WIDTH + 6.0),
            num(LEFT + PLOT_WIDTH + 30.0),
            ky = num(key_y),
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            num(LEFT + PLOT_WIDTH + 34.0),
            num(key_y + 4.0),
            escape(&format!("cutoff {}", cutoff.rule_text()))
        );
    }
    draw_date_ticks(out, chart, axis, plot_bottom);
    for &index in &panel.series {
        draw_series(out, &chart.series[index], index, axis, &y);
    }
}

/// Shading for published bands only, darker towards the more severe end.
fn draw_bands(out: &mut String, instrument: &Instrument, score: ScoreRef, y: &dyn Fn(f64) -> f64) {
    let Some(banding) = instrument.banding() else {
        return;
    };
    if banding.score_name() != instrument.score_id(score) {
        return;
    }
    let (low, high) = instrument.range_of(score);
    let bands = banding.bands();
    for (index, band) in bands.iter().enumerate() {
        let bottom = (band.min().to_f64() - 0.5).max(low.to_f64());
        let upper = (band.max().to_f64() + 0.5).min(high.to_f64());
        let severity = match instrument.direction() {
            Direction::HigherIsWorse => index,
            Direction::HigherIsBetter => bands.len() - 1 - index,
        };
        let opacity = 0.05 + 0.25 * severity as f64 / (bands.len().max(2) - 1) as f64;
        let (y_top, y_bottom) = (y(upper), y(bottom));
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#7f7f7f\" fill-opacity=\"{:.2}\"/>",
            num(LEFT),
            num(y_top),
            num(PLOT_WIDTH),
            num(y_bottom - y_top),
            opacity
        );
        if y_bottom - y_top >= 11.0 {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#333333\">{}</text>",
                num(LEFT + PLOT_WIDTH + 6.0),
                num((y_top + y_bottom) / 2.0 + 4.0),
                escape(&format!("{} ({}-{})", band.name(), band.min(), band.max()))
            );
        }
    }
}

fn draw_value_ticks(out: &mut String, low: Exact, high: Exact, y: &dyn Fn(f64) -> f64) {
    let (low, high) = (low.to_f64(), high.to_f64());
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0]
        .into_iter()
        .find(|step| (high - low) / step <= 8.0)
        .unwrap_or(1000.0);
    let mut ticks = vec![low];
    let mut tick = (low / step).floor() * step + step;
    while tick < high {
        if tick - low >= step / 2.0 && high - tick >= step / 2.0 {
            ticks.push(tick);
        }
        tick += step;
    }
    ticks.push(high);
    for value in ticks {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" stroke=\"#767676\"/>",
            num(LEFT - 4.0),
            num(LEFT),
            ty = num(y(value)),
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(LEFT - 7.0),
            num(y(value) + 4.0),
            num_text(value)
        );
    }
}

/// Dates along the bottom, left to right, each at least a label's width from the last.
fn draw_date_ticks(out: &mut String, chart: &ProgressChart<'_>, axis: &DateAxis, plot_bottom: f64) {
    let mut dates: Vec<_> = chart
        .series
        .iter()
        .flat_map(|one| one.points.iter().map(|(date, _)| *date))
        .collect();
    dates.sort();
    dates.dedup();
    let mut shown = Vec::new();
    let mut last_x = f64::NEG_INFINITY;
    for date in dates {
        let x = axis.x(date.days_since_epoch());
        if x - last_x >= DATE_LABEL_WIDTH {
            shown.push(date);
            last_x = x;
        }
    }
    for date in shown {
        let x = axis.x(date.days_since_epoch());
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#767676\"/>",
            num(plot_bottom),
            num(plot_bottom + 4.0),
            x = num(x),
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{date}</text>",
            num(x),
            num(plot_bottom + 17.0)
        );
    }
}

fn draw_series(
    out: &mut String,
    one: &Checked<'_>,
    index: usize,
    axis: &DateAxis,
    y: &dyn Fn(f64) -> f64,
) {
    let (colour, dash, marker) = STYLES[index];
    let points: Vec<(f64, f64)> = one
        .points
        .iter()
        .map(|(date, score)| (axis.x(date.days_since_epoch()), y(score.to_f64())))
        .collect();
    if points.len() > 1 {
        let coordinates: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{}/>",
            coordinates.join(" "),
            dash_attribute(dash)
        );
    }
    for ((date, score), (x, y)) in one.points.iter().zip(points) {
        let band = band_of(one.instrument, one.score, *score)
            .map(|band| format!(", {band}"))
            .unwrap_or_default();
        let tip = format!("{}, {date}: {score}{band}", one.person);
        draw_marker(out, marker, colour, x, y, Some(&tip));
    }
}

fn draw_marker(out: &mut String, marker: Marker, colour: &str, x: f64, y: f64, tip: Option<&str>) {
    let shape = match marker {
        Marker::Circle => format!("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\"", num(x), num(y)),
        Marker::Square => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\"",
            num(x - 4.5),
            num(y - 4.5)
        ),
    };
    let element = match marker {
        Marker::Circle => "circle",
        Marker::Square => "rect",
    };
    let _ = match tip {
        Some(tip) => writeln!(
            out,
            "{shape} fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{}</title></{element}>",
            escape(tip)
        ),
        None => writeln!(
            out,
            "{shape} fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
        ),
    };
}

fn title(chart: &ProgressChart<'_>) -> String {
    let measures: Vec<String> = chart
        .panels
        .iter()
        .map(|panel| panel.instrument.score_title(panel.score))
        .collect();
    let people: Vec<&str> = chart.series.iter().map(|one| one.person.as_str()).collect();
    format!(
        "{} over time: {}",
        measures.join(" and "),
        people.join(" and ")
    )
}

/// The `<desc>`: for each panel its direction, range and cutoff; for each person the
/// number of scores, the first and the latest.
fn description(chart: &ProgressChart<'_>) -> String {
    let mut parts = Vec::new();
    for panel in &chart.panels {
        let instrument = panel.instrument;
        let (low, high) = instrument.range_of(panel.score);
        let mut text = format!(
            "{}: {}, scores from {low} to {high}.",
            instrument.score_title(panel.score),
            direction_words(instrument)
        );
        if let Some(cutoff) = instrument.cutoff(instrument.score_id(panel.score)) {
            let _ = write!(
                text,
                " Published cutoff {}: {}.",
                cutoff.rule_text(),
                cutoff.meaning
            );
        }
        for &index in &panel.series {
            let one = &chart.series[index];
            let describe = |(date, score): &(crate::calendar::CalendarDate, Exact)| {
                let band = band_of(instrument, panel.score, *score)
                    .map(|band| format!(", {band}"))
                    .unwrap_or_default();
                format!("{score} on {date}{band}")
            };
            match (one.points.first(), one.points.last()) {
                (Some(first), Some(last)) if one.points.len() > 1 => {
                    let _ = write!(
                        text,
                        " {}: {} scores, first {}, latest {}.",
                        one.person,
                        one.points.len(),
                        describe(first),
                        describe(last)
                    );
                }
                (Some(only), _) => {
                    let _ = write!(text, " {}: one score, {}.", one.person, describe(only));
                }
                _ => {
                    let _ = write!(text, " {}: no scores yet.", one.person);
                }
            }
        }
        parts.push(text);
    }
    parts.join(" ")
}

fn direction_words(instrument: &Instrument) -> &'static str {
    match instrument.direction() {
        Direction::HigherIsBetter => "higher is better",
        Direction::HigherIsWorse => "higher is worse",
    }
}

fn dash_attribute(dash: Option<&str>) -> String {
    dash.map(|dash| format!(" stroke-dasharray=\"{dash}\""))
        .unwrap_or_default()
}

/// A coordinate with one decimal.
fn num(value: f64) -> String {
    format!("{value:.1}")
}

/// An axis label: whole numbers without decimals.
fn num_text(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
