//! The proof, made once per instrument at load, that exact scoring cannot overflow.
//!
//! [`Exact`](crate::exact::Exact) stores `i64` fractions and does not check its
//! arithmetic. That is safe when every score's denominator divides some `D <= 2^40` and
//! every score's magnitude is at most `2^20`: adding two such values multiplies a
//! numerator (`<= 2^60`) by at most `D / den`, and rounding doubles one, so no
//! intermediate passes `2^62`. Scores stay inside their range while being computed,
//! because a prorated sum is the mean of answered values times the item count, and a mean
//! lies between the lowest and highest value.
//!
//! This module computes such a `D` from the definition: each domain contributes its
//! factor's denominator, times every possible number of answered items when prorating
//! without rounding; a prorated total of domains multiplies by every possible number of
//! domains present. A definition for which that bound is too large is refused.

use super::{Checker, DefinitionError};
use crate::definition::{Instrument, TotalRule};
use crate::exact::gcd;

const MAX_DENOMINATOR: u128 = 1 << 40;
const MAX_MAGNITUDE: i64 = 1 << 20;

pub(super) fn prove(checker: &Checker<'_>, instrument: &Instrument) -> Result<(), DefinitionError> {
    let refuse = |why: &str| {
        checker.error(
            "scoring",
            format!("exact arithmetic cannot be proven safe for this definition: {why}"),
        )
    };
    let ranges = std::iter::once(instrument.total_range)
        .chain(instrument.domains.iter().map(|domain| domain.range));
    for (low, high) in ranges {
        for edge in [low, high] {
            if edge.numerator().abs() > MAX_MAGNITUDE * edge.denominator() {
                return Err(refuse("a score could exceed ±2^20"));
            }
        }
    }
    let missing = &instrument.missing;
    let unrounded_prorating = missing.prorate && !missing.round_whole;
    let mut bound: u128 = 1;
    for domain in &instrument.domains {
        let mut denominator = u128::from(domain.factor.denominator().unsigned_abs());
        if unrounded_prorating && domain.min_answered < domain.items.len() {
            denominator = lcm_of_range(domain.min_answered, domain.items.len())
                .and_then(|l| l.checked_mul(denominator))
                .ok_or_else(|| refuse("too many ways to prorate a domain"))?;
        }
        bound = lcm(bound, denominator).ok_or_else(|| refuse("denominators too large"))?;
    }
    if unrounded_prorating {
        let widen = match instrument.total {
            TotalRule::ItemSum => lcm_of_range(missing.min_answered, instrument.items.len())
                .and_then(|l| lcm(bound, l)),
            TotalRule::DomainSum => lcm_of_range(missing.min_domains, instrument.domains.len())
                .and_then(|l| bound.checked_mul(l)),
        };
        bound = widen.ok_or_else(|| refuse("too many ways to prorate the total"))?;
    }
    if bound > MAX_DENOMINATOR {
        return Err(refuse("a score's denominator could exceed 2^40"));
    }
    Ok(())
}

/// `lcm(from, from + 1, ..., to)`, or `None` on overflow.
fn lcm_of_range(from: usize, to: usize) -> Option<u128> {
    (from.max(1)..=to).try_fold(1_u128, |acc, n| lcm(acc, u128::try_from(n).ok()?))
}

fn lcm(a: u128, b: u128) -> Option<u128> {
    let divisor = match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => u128::from(gcd(a, b)),
        _ => return None,
    };
    (a / divisor.max(1)).checked_mul(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcm_of_a_range_covers_every_count_in_it() {
        assert_eq!(lcm_of_range(2, 4), Some(12));
        assert_eq!(lcm_of_range(5, 6), Some(30));
        assert_eq!(lcm_of_range(7, 7), Some(7));
    }

    #[test]
    fn an_enormous_range_overflows_to_none_rather_than_wrapping() {
        assert_eq!(lcm_of_range(1, 200), None);
    }
}
