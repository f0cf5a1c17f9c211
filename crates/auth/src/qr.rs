//! The QR code on the TOTP enrolment page, as an SVG drawn here.
//!
//! `qrcodegen` does the encoding (pure Rust, no dependencies); the drawing is ours so that the
//! output suits the site's Content-Security-Policy, which forbids inline styles: only
//! presentation attributes (`fill`, `shape-rendering`), never a `style` attribute or element.
//! The dark modules are one `<path>` of horizontal runs, on a white square that includes the
//! four-module quiet zone the QR specification requires, so the code scans on a dark page too.
//!
//! The SVG is meant to be inlined in the page (an `<img>` with a `data:` URI would need `img-src
//! data:` in the policy). `role="img"` and the caller's `aria-label` describe it to screen
//! readers; the page should also show [`TotpSecret::base32`](crate::TotpSecret::base32) for
//! people who cannot scan.

use std::fmt::Write as _;

use qrcodegen::{QrCode, QrCodeEcc};

use crate::AuthError;

/// Light modules around the code, on every side (ISO/IEC 18004 asks for four).
const QUIET_ZONE: i32 = 4;
/// CSS pixels per module for the default size; a stylesheet may override `width`/`height`.
const PIXELS_PER_MODULE: i32 = 4;

/// `text` (an `otpauth://` URI) as a QR code in an `<svg>` element, described by `aria_label`.
///
/// Error correction is level M (15 %), raised by the encoder when that fits in the same size.
///
/// # Errors
///
/// [`AuthError::QrTooLong`] when `text` does not fit in the largest QR code (about 2,300 bytes
/// at level M; an `otpauth://` URI is around 120).
pub fn qr_svg(text: &str, aria_label: &str) -> Result<String, AuthError> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|_| AuthError::QrTooLong)?;
    let size = code.size();
    let side = size + 2 * QUIET_ZONE;
    let pixels = side * PIXELS_PER_MODULE;

    // Writing to a `String` cannot fail, so the `fmt::Result`s below are always `Ok`.
    let mut svg = String::with_capacity(8 * 1024);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         width=\"{pixels}\" height=\"{pixels}\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
        label = escape_attribute(aria_label),
    );
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && code.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(
                svg,
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    svg.push_str("\"/></svg>");
    Ok(svg)
}

/// Text safe inside a double-quoted XML attribute.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/Bright%20Path%20Therapy:ana%40example.org\
                       ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bright%20Path%20Therapy\
                       &algorithm=SHA1&digits=6&period=30";

    /// The `d` attribute of the one path.
    fn path_data(svg: &str) -> &str {
        let (_, rest) = svg.split_once(" d=\"").unwrap();
        rest.split_once('"').unwrap().0
    }

    #[test]
    fn the_svg_is_one_element_with_a_background_and_one_path() {
        let svg = qr_svg(URI, "QR code for your authenticator app").unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
        assert!(svg.ends_with("\"/></svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg.matches("<rect").count(), 1);
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains(" role=\"img\" aria-label=\"QR code for your authenticator app\""));
    }

    #[test]
    fn the_svg_carries_no_inline_style() {
        let svg = qr_svg(URI, "QR code").unwrap();
        assert!(!svg.contains("style"), "{svg}");
    }

    #[test]
    fn a_short_text_is_a_version_1_code_of_21_modules_plus_the_quiet_zone() {
        let svg = qr_svg("HELLO WORLD", "QR code").unwrap();
        assert!(svg.contains(" viewBox=\"0 0 29 29\" width=\"116\" height=\"116\" "));
    }

    #[test]
    fn an_otpauth_uri_is_a_version_9_code_of_53_modules_plus_the_quiet_zone() {
        // 161 bytes in byte mode at level M: version 8 holds 152, version 9 holds 180
        // (ISO/IEC 18004 table 7); version v has 17 + 4v modules a side.
        assert_eq!(URI.len(), 161);
        let svg = qr_svg(URI, "QR code").unwrap();
        assert!(svg.contains(" viewBox=\"0 0 61 61\" "), "{svg}");
    }

    #[test]
    fn the_finder_patterns_sit_inside_the_quiet_zone() {
        let svg = qr_svg("HELLO WORLD", "QR code").unwrap();
        let path = path_data(&svg);
        // The top row of a version 1 code: the two finder patterns' top edges, 7 modules each,
        // at columns 0 and 14, shifted by the quiet zone.
        assert!(path.starts_with("M4 4h7v1h-7z"), "{path}");
        assert!(path.contains("M18 4h7v1h-7z"), "{path}");
    }

    #[test]
    fn the_path_covers_exactly_the_dark_modules() {
        let code = QrCode::encode_text(URI, QrCodeEcc::Medium).unwrap();
        let dark = (0..code.size())
            .flat_map(|y| (0..code.size()).map(move |x| (x, y)))
            .filter(|&(x, y)| code.get_module(x, y))
            .count();
        let svg = qr_svg(URI, "QR code").unwrap();
        let drawn: usize = path_data(&svg)
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|run| run.split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(drawn, dark);
    }

    #[test]
    fn the_label_is_escaped() {
        let svg = qr_svg("HELLO WORLD", "Scan \"this\" <code> & Zoë's app").unwrap();
        assert!(
            svg.contains(" aria-label=\"Scan &quot;this&quot; &lt;code&gt; &amp; Zoë&#39;s app\"")
        );
    }

    #[test]
    fn text_too_long_for_any_qr_code_is_refused() {
        assert!(matches!(
            qr_svg(&"x".repeat(3_000), "QR code"),
            Err(AuthError::QrTooLong)
        ));
    }
}
