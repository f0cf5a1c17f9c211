//! Exact numbers for scores: a small rational type, so no score is ever a float.
//!
//! Published scoring rules are written in decimals (FSFI factors 0.6/0.3/0.4, a cutoff of
//! 26.55), and binary floating point cannot hold most of them: `3.6 + 3.9 + ...` drifts to
//! `26.500000000000004`, and a cutoff compared that way gives the wrong answer on its own
//! edge. [`Exact`] keeps a reduced fraction `num / den` of two `i64`s instead, so sums,
//! factors, prorating and comparisons are exact. A float appears only when a score is
//! written out ([`Exact::to_f64`], and the JSON form), never in a decision.
//!
//! The arithmetic is `pub(crate)` and does not check for overflow: the definition loader
//! proves, for every instrument it accepts, that no denominator exceeds 2^40 and no
//! magnitude exceeds 2^20 (see `validate::exactness`). Within those bounds every
//! intermediate product below stays under 2^62, far from `i64::MAX`. Comparison works on
//! any two values, because it cross-multiplies in `i128`.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// The most decimal places a number in a definition file may have (so `26.55` is fine and
/// `0.00001` is not); this keeps every denominator small enough to prove exactness.
pub const MAX_DECIMAL_PLACES: u32 = 4;

/// An exact rational number, always stored reduced with a positive denominator.
///
/// Equality is therefore structural: `26.5` parsed from text equals `53 / 2` computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exact {
    num: i64,
    den: i64,
}

/// Why a piece of text is not an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExactParseError {
    /// Not of the form `12`, `-3` or `26.55`.
    #[error("`{0}` is not a decimal number such as 10 or 26.55")]
    NotDecimal(String),
    /// More decimal places than [`MAX_DECIMAL_PLACES`].
    #[error("`{0}` has more than {MAX_DECIMAL_PLACES} decimal places")]
    TooPrecise(String),
}

impl Exact {
    /// Zero.
    pub const ZERO: Exact = Exact { num: 0, den: 1 };

    /// A whole number.
    pub const fn from_int(value: i64) -> Exact {
        Exact { num: value, den: 1 }
    }

    /// Parses a plain decimal (`"10"`, `"-1.5"`, `"26.55"`) exactly.
    pub fn parse_decimal(text: &str) -> Result<Exact, ExactParseError> {
        let not_decimal = || ExactParseError::NotDecimal(text.to_owned());
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(not_decimal());
        }
        if unsigned.contains('.') && fraction.is_empty() {
            return Err(not_decimal());
        }
        let places = u32::try_from(fraction.len()).map_err(|_| not_decimal())?;
        if places > MAX_DECIMAL_PLACES {
            return Err(ExactParseError::TooPrecise(text.to_owned()));
        }
        // At most 15 digits before the point keeps `whole * 10^4 + fraction` inside i64.
        if whole.len() > 15 {
            return Err(not_decimal());
        }
        let digits = format!("{whole}{fraction}");
        let magnitude: i64 = digits.parse().map_err(|_| not_decimal())?;
        let num = if negative { -magnitude } else { magnitude };
        Ok(Exact::reduced(num, 10_i64.pow(places)))
    }

    /// The numerator of the reduced fraction.
    pub const fn numerator(self) -> i64 {
        self.num
    }

    /// The denominator of the reduced fraction (always positive).
    pub const fn denominator(self) -> i64 {
        self.den
    }

    /// True when the value is a whole number.
    pub const fn is_integer(self) -> bool {
        self.den == 1
    }

    /// The nearest `f64`, for output only. Exact whenever numerator and denominator are
    /// below 2^53 (always, for scores), and correctly rounded, so `265/10` prints `26.5`.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Builds `num / den` in lowest terms. `den` must be non-zero.
    pub(crate) fn reduced(num: i64, den: i64) -> Exact {
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let divisor = gcd(num.unsigned_abs(), den.unsigned_abs());
        if divisor <= 1 {
            return Exact { num, den };
        }
        // `divisor` divides `den`, which is an i64, so it fits back into one.
        let divisor = divisor as i64;
        Exact {
            num: num / divisor,
            den: den / divisor,
        }
    }

    /// `self + other`.
    pub(crate) fn add(self, other: Exact) -> Exact {
        if self.den == other.den {
            return Exact::reduced(self.num + other.num, self.den);
        }
        let common = lcm(self.den, other.den);
        Exact::reduced(
            self.num * (common / self.den) + other.num * (common / other.den),
            common,
        )
    }

    /// `self * other`, cross-reducing first so intermediates stay small.
    pub(crate) fn mul(self, other: Exact) -> Exact {
        let g1 = gcd(self.num.unsigned_abs(), other.den.unsigned_abs()).max(1) as i64;
        let g2 = gcd(other.num.unsigned_abs(), self.den.unsigned_abs()).max(1) as i64;
        Exact {
            num: (self.num / g1) * (other.num / g2),
            den: (self.den / g2) * (other.den / g1),
        }
    }

    /// `self * numerator / denominator` for whole numbers; `denominator` must be non-zero.
    pub(crate) fn scale(self, numerator: i64, denominator: i64) -> Exact {
        self.mul(Exact::reduced(numerator, denominator))
    }

    /// Rounds to the nearest whole number, halves upwards (`9.5` becomes `10`).
    pub(crate) fn round_half_up(self) -> Exact {
        // floor((2n + d) / 2d) for a positive denominator d.
        Exact::from_int((2 * self.num + self.den).div_euclid(2 * self.den))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        let left = i128::from(self.num) * i128::from(other.den);
        let right = i128::from(other.num) * i128::from(self.den);
        left.cmp(&right)
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<u8> for Exact {
    fn from(value: u8) -> Exact {
        Exact::from_int(i64::from(value))
    }
}

/// Writes a terminating fraction as its exact decimal (`26.5`, `26.52`, `-1.25`), and any
/// other fraction as the shortest `f64` text that reads back to the same float.
impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            return write!(f, "{}", self.num);
        }
        let Some(places) = decimal_places(self.den) else {
            return write!(f, "{}", self.to_f64());
        };
        let scaled = i128::from(self.num) * (10_i128.pow(places) / i128::from(self.den));
        let sign = if scaled < 0 { "-" } else { "" };
        let magnitude = scaled.unsigned_abs();
        let unit = 10_u128.pow(places);
        write!(
            f,
            "{sign}{}.{:0width$}",
            magnitude / unit,
            magnitude % unit,
            width = places as usize
        )
    }
}

/// A whole number serialises as a JSON integer (`10`), anything else as the nearest
/// float (`26.5`), so JSON output reads the way a clinician writes the score.
impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.den == 1 {
            serializer.serialize_i64(self.num)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

/// The number of decimal places of `1 / den` when it terminates within 18 places.
fn decimal_places(den: i64) -> Option<u32> {
    (1..=18).find(|&places| 10_i64.pow(places) % den == 0)
}

/// Greatest common divisor (Euclid); `gcd(0, 0) == 0`.
pub(crate) fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Least common multiple of two positive numbers.
fn lcm(a: i64, b: i64) -> i64 {
    // Both are positive denominators, so their gcd is at least 1 and fits in an i64.
    let divisor = gcd(a.unsigned_abs(), b.unsigned_abs()) as i64;
    a / divisor * b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Exact {
        Exact::parse_decimal(text).unwrap()
    }

    #[test]
    fn decimals_parse_to_reduced_fractions() {
        assert_eq!(dec("26.5"), Exact::reduced(53, 2));
        assert_eq!(dec("0.6"), Exact::reduced(3, 5));
        assert_eq!(dec("-1.50"), Exact::reduced(-3, 2));
        assert_eq!(dec("10"), Exact::from_int(10));
        assert_eq!(dec("26.55").denominator(), 20);
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_is_refused() {
        for text in [
            "", "-", "1.", ".5", "1e3", "1.2.3", " 1", "+1", "abc", "NaN",
        ] {
            assert!(
                matches!(
                    Exact::parse_decimal(text),
                    Err(ExactParseError::NotDecimal(_))
                ),
                "{text:?} should be refused"
            );
        }
    }

    #[test]
    fn more_than_four_decimal_places_are_refused() {
        assert_eq!(
            Exact::parse_decimal("0.00001"),
            Err(ExactParseError::TooPrecise("0.00001".into()))
        );
    }

    #[test]
    fn fsfi_domain_scores_add_up_exactly_where_floats_drift() {
        // Raw domain sums 2, 7, 20, 14, 14, 15 with the FSFI factors: exactly 26.5.
        let raw: [i32; 6] = [2, 7, 20, 14, 14, 15];
        let factors = ["0.6", "0.3", "0.3", "0.4", "0.4", "0.4"];
        let total = raw.iter().zip(factors).fold(Exact::ZERO, |sum, (r, f)| {
            sum.add(Exact::from_int(i64::from(*r)).mul(dec(f)))
        });
        assert_eq!(total, dec("26.5"));
        assert_eq!(total.to_string(), "26.5");
        let float_factors = [0.6, 0.3, 0.3, 0.4, 0.4, 0.4];
        let float: f64 = raw
            .iter()
            .zip(float_factors)
            .map(|(r, f)| f64::from(*r) * f)
            .sum();
        assert_eq!(
            float, 26.500000000000004,
            "the float total drifts; Exact does not"
        );
    }

    #[test]
    fn a_raw_sum_times_a_tenths_factor_is_exact() {
        assert_eq!(Exact::from_int(13).mul(dec("0.3")), dec("3.9"));
        assert_eq!(Exact::from_int(5).mul(dec("0.6")), Exact::from_int(3));
    }

    #[test]
    fn comparison_on_the_cutoff_edge_is_exact() {
        let cutoff = dec("26.55");
        assert!(dec("26.5") <= cutoff);
        assert!(dec("26.6") > cutoff);
        assert!(Exact::reduced(5310, 200) <= cutoff);
        assert!(dec("26.5501") > cutoff);
    }

    #[test]
    fn prorating_scales_by_a_fraction() {
        // 7 points over 8 answered items of a 9-item scale: 63/8 = 7.875.
        assert_eq!(Exact::from_int(7).scale(9, 8), dec("7.875"));
    }

    #[test]
    fn rounding_sends_halves_up_and_the_rest_to_the_nearest() {
        assert_eq!(dec("9.5").round_half_up(), Exact::from_int(10));
        assert_eq!(dec("9.49").round_half_up(), Exact::from_int(9));
        assert_eq!(dec("7.875").round_half_up(), Exact::from_int(8));
        assert_eq!(Exact::from_int(4).round_half_up(), Exact::from_int(4));
        assert_eq!(dec("-0.5").round_half_up(), Exact::from_int(0));
    }

    #[test]
    fn display_prints_exact_decimals_and_whole_numbers_plainly() {
        assert_eq!(dec("36").to_string(), "36");
        assert_eq!(dec("2.0").to_string(), "2");
        assert_eq!(dec("26.52").to_string(), "26.52");
        assert_eq!(dec("-1.25").to_string(), "-1.25");
        assert_eq!(dec("0.05").to_string(), "0.05");
        assert_eq!(Exact::reduced(1, 3).to_string(), "0.3333333333333333");
    }

    #[test]
    fn json_prints_whole_numbers_as_integers_and_tenths_in_shortest_form() {
        assert_eq!(serde_json::to_string(&dec("10")).unwrap(), "10");
        assert_eq!(serde_json::to_string(&dec("26.5")).unwrap(), "26.5");
        assert_eq!(serde_json::to_string(&dec("7.2")).unwrap(), "7.2");
        assert_eq!(serde_json::to_string(&dec("20.3")).unwrap(), "20.3");
    }

    #[test]
    fn every_tenth_up_to_a_thousand_prints_as_written() {
        for tenths in 0..10_000 {
            let value = Exact::reduced(tenths, 10);
            let written = format!("{}.{}", tenths / 10, tenths % 10);
            let float_text = value.to_f64().to_string();
            let expected = written.trim_end_matches(".0");
            assert_eq!(float_text, expected, "{tenths} tenths");
        }
    }
}
