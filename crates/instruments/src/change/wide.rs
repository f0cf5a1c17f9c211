//! Exact comparison of two products of whole numbers, however large.
//!
//! The Jacobson-Truax decision `Δ² ≥ 1.96² · SD² · 2(1 − r)` becomes, once every value
//! is written as a fraction, a comparison of two products of six whole numbers each.
//! Those products can pass 2^128 for inputs the type system allows, so they are formed
//! here as little-endian base-2^32 digit strings, where multiplication is exact at any
//! size. Nothing is rounded, so a case exactly on the threshold is decided the same way
//! on every machine.

use std::cmp::Ordering;

/// Compares `left[0] * left[1] * ...` with `right[0] * right[1] * ...` exactly.
pub(super) fn compare_products(left: &[u128], right: &[u128]) -> Ordering {
    let left = product(left);
    let right = product(right);
    left.len()
        .cmp(&right.len())
        .then_with(|| left.iter().rev().cmp(right.iter().rev()))
}

/// The product as base-2^32 digits, least significant first, without leading zeros
/// (so zero is the empty list and lengths compare magnitudes).
fn product(factors: &[u128]) -> Vec<u32> {
    let mut digits = vec![1_u32];
    for &factor in factors {
        digits = multiply(&digits, factor);
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    digits
}

/// Schoolbook multiplication of a digit string by one `u128`.
fn multiply(digits: &[u32], factor: u128) -> Vec<u32> {
    // The factor's four 32-bit digits; `as u32` keeps exactly the low 32 bits of each.
    let factor_digits: [u32; 4] = std::array::from_fn(|i| (factor >> (32 * i)) as u32);
    let mut result = vec![0_u32; digits.len() + 4];
    for (i, &a) in digits.iter().enumerate() {
        let mut carry = 0_u64;
        for (j, &b) in factor_digits.iter().enumerate() {
            // a * b + result + carry <= (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1: no overflow.
            let sum = u64::from(a) * u64::from(b) + u64::from(result[i + j]) + carry;
            result[i + j] = sum as u32;
            carry = sum >> 32;
        }
        let mut k = i + 4;
        while carry != 0 {
            let sum = u64::from(result[k]) + carry;
            result[k] = sum as u32;
            carry = sum >> 32;
            k += 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn products_beyond_two_to_the_128_compare_exactly() {
        let big = u128::MAX;
        assert_eq!(compare_products(&[big, big], &[big, big]), Ordering::Equal);
        assert_eq!(
            compare_products(&[big, big], &[big, big - 1]),
            Ordering::Greater
        );
        assert_eq!(compare_products(&[big, 2], &[big, big]), Ordering::Less);
        assert_eq!(compare_products(&[0, big], &[1]), Ordering::Less);
        assert_eq!(compare_products(&[], &[1]), Ordering::Equal);
    }

    proptest! {
        #[test]
        fn small_products_agree_with_u128_arithmetic(
            a in 0_u128..1 << 40, b in 0_u128..1 << 40, c in 0_u128..1 << 40,
            d in 0_u128..1 << 40, e in 0_u128..1 << 40, f in 0_u128..1 << 40,
        ) {
            prop_assert_eq!(compare_products(&[a, b, c], &[d, e, f]), (a * b * c).cmp(&(d * e * f)));
        }

        #[test]
        fn multiplying_both_sides_by_a_huge_factor_keeps_the_order(
            a in any::<u64>(), b in any::<u64>(), huge in 1_u128..,
        ) {
            let expected = a.cmp(&b);
            prop_assert_eq!(
                compare_products(&[u128::from(a), huge, huge], &[u128::from(b), huge, huge]),
                expected
            );
        }
    }
}
