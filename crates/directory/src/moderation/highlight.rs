//! Splitting a text into plain and highlighted pieces, so a template can wrap the
//! highlighted ones in `<mark>` and escape everything as usual.
//!
//! Ranges come from a screening, but this never trusts them: a range out of bounds or off
//! a char boundary is dropped rather than panicking, and overlapping ranges merge, so the
//! pieces always join back into exactly the original text.

use std::ops::Range;

use serde::Serialize;

/// A piece of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Segment<'t> {
    /// The piece, verbatim.
    pub text: &'t str,
    /// Whether it is highlighted.
    pub marked: bool,
}

/// Splits `text` at the given ranges; the marked pieces are the ranges, merged.
pub fn highlight<'t>(
    text: &'t str,
    ranges: impl IntoIterator<Item = Range<usize>>,
) -> Vec<Segment<'t>> {
    let mut ranges: Vec<Range<usize>> = ranges
        .into_iter()
        .filter(|r| r.start < r.end && text.get(r.clone()).is_some())
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));

    let mut segments = Vec::new();
    let mut done = 0;
    for range in ranges {
        if range.end <= done {
            continue;
        }
        let start = range.start.max(done);
        if start > done {
            segments.push(Segment {
                text: &text[done..start],
                marked: false,
            });
        }
        match segments.last_mut() {
            Some(last) if last.marked && start == done => {
                last.text = &text[done - last.text.len()..range.end];
            }
            _ => segments.push(Segment {
                text: &text[start..range.end],
                marked: true,
            }),
        }
        done = range.end;
    }
    if done < text.len() {
        segments.push(Segment {
            text: &text[done..],
            marked: false,
        });
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(segments: &[Segment<'_>]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.marked {
                    format!("[{}]", s.text)
                } else {
                    s.text.to_owned()
                }
            })
            .collect()
    }

    #[test]
    fn marked_ranges_are_bracketed_and_the_rest_kept() {
        let text = "I offer bodywork and nude sessions";
        assert_eq!(
            shown(&highlight(text, [8..16, 21..25])),
            "I offer [bodywork] and [nude] sessions"
        );
    }

    #[test]
    fn overlapping_and_touching_ranges_merge() {
        let text = "experiential touch in session";
        assert_eq!(
            shown(&highlight(text, [13..29, 0..18])),
            "[experiential touch in session]"
        );
        assert_eq!(
            shown(&highlight(text, [0..12, 12..18])),
            "[experiential touch] in session"
        );
    }

    #[test]
    #[expect(
        clippy::reversed_empty_ranges,
        reason = "a backwards range is one of the bad inputs under test"
    )]
    fn ranges_that_do_not_fit_the_text_are_dropped() {
        let text = "é nude";
        let segments = highlight(text, [1..2, 5..99, 4..3, 3..7]);
        assert_eq!(shown(&segments), "é [nude]");
    }

    #[test]
    fn no_ranges_is_one_plain_piece_and_empty_text_is_none() {
        assert_eq!(
            highlight("plain", []),
            [Segment {
                text: "plain",
                marked: false
            }]
        );
        assert!(highlight("", std::iter::once(0..0)).is_empty());
    }
}
