//! The two exact decisions of a change assessment: is `|Δ|` at least a published
//! threshold, and is `Δ²` at least `1.96² · SD² · 2(1 − r)`.
//!
//! Both are written as comparisons of products of whole numbers and handed to
//! [`compare_products`], so neither rounds. The change itself is computed here too, in
//! `i128`, because two scores with unrelated denominators could overflow `Exact`'s `i64`.

use super::wide::compare_products;
use crate::exact::Exact;

/// `follow_up − baseline` as a reduced fraction of `i64`s, or `None` if it does not fit.
pub(super) fn difference(baseline: Exact, follow_up: Exact) -> Option<(i64, i64)> {
    let (a, b) = (
        i128::from(baseline.numerator()),
        i128::from(baseline.denominator()),
    );
    let (c, d) = (
        i128::from(follow_up.numerator()),
        i128::from(follow_up.denominator()),
    );
    // Each product is below 2^126 in magnitude, so the difference fits in an i128.
    let numerator = c * b - a * d;
    let denominator = b * d;
    let divisor = gcd_u128(numerator.unsigned_abs(), denominator.unsigned_abs()).max(1);
    let divisor = i128::try_from(divisor).ok()?;
    Some((
        i64::try_from(numerator / divisor).ok()?,
        i64::try_from(denominator / divisor).ok()?,
    ))
}

fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `|change| ≥ 1.96 · sd · √(2(1 − r))`, decided exactly on the squares:
/// `p² · 625 · t² · v ≥ q² · 4802 · s² · (v − u)` for `change = p/q`, `sd = s/t`,
/// `r = u/v` and `1.96² = 2401/625`.
pub(super) fn jacobson_truax_reliable(change: Exact, reliability: Exact, sd: Exact) -> bool {
    let p = u128::from(change.numerator().unsigned_abs());
    let q = u128::from(change.denominator().unsigned_abs());
    let s = u128::from(sd.numerator().unsigned_abs());
    let t = u128::from(sd.denominator().unsigned_abs());
    let u = reliability.numerator();
    let v = reliability.denominator();
    // 0 < r < 1, so 0 < u < v and v - u is positive.
    let one_minus_r = u128::from((v - u).unsigned_abs());
    let v = u128::from(v.unsigned_abs());
    compare_products(&[p, p, 625, t, t, v], &[q, q, 4802, s, s, one_minus_r]).is_ge()
}

/// `|change| ≥ threshold`, exactly.
pub(super) fn at_least(change: Exact, threshold: Exact) -> bool {
    let p = u128::from(change.numerator().unsigned_abs());
    let q = u128::from(change.denominator().unsigned_abs());
    let a = u128::from(threshold.numerator().unsigned_abs());
    let b = u128::from(threshold.denominator().unsigned_abs());
    compare_products(&[p, b], &[q, a]).is_ge()
}
