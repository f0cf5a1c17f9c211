//! Drawing real places for synthetic data: the load and search benchmarks put generated
//! therapists where people actually live.
//!
//! Cities are drawn with probability proportional to population, so a sample looks like
//! a real directory (many in New York, few in Springfield). The draw is a SplitMix64
//! stream from a seed, not a `rand` dependency: the same seed gives the same places on
//! every platform and in every build, which keeps benchmark data reproducible.

use crate::gazetteer::Gazetteer;
use crate::place::Place;

impl Gazetteer {
    /// `n` cities drawn with replacement, weighted by population, the same for the same
    /// `seed`.
    pub fn sample_cities(&self, n: usize, seed: u64) -> Vec<&Place> {
        draw(self.cities().collect(), n, seed)
    }

    /// Like [`Gazetteer::sample_cities`], from the cities of one country (an ISO 3166-1
    /// alpha-2 code such as "US"). Empty when the country has no cities.
    pub fn sample_cities_in(&self, country: &str, n: usize, seed: u64) -> Vec<&Place> {
        let cities = self
            .cities()
            .filter(|city| city.country().eq_ignore_ascii_case(country))
            .collect();
        draw(cities, n, seed)
    }
}

/// `n` draws from `places`, each with probability proportional to its population.
fn draw(places: Vec<&Place>, n: usize, seed: u64) -> Vec<&Place> {
    let mut cumulative = Vec::with_capacity(places.len());
    let mut total: u64 = 0;
    for place in &places {
        total += u64::from(place.population().unwrap_or(0));
        cumulative.push(total);
    }
    if total == 0 {
        return Vec::new();
    }
    let mut stream = SplitMix64(seed);
    (0..n)
        .map(|_| {
            let target = stream.below(total);
            let index = cumulative.partition_point(|&sum| sum <= target);
            places[index]
        })
        .collect()
}

/// Sebastiano Vigna's SplitMix64: tiny, fast and well mixed, plenty for choosing places.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (Lemire's multiply-shift; the bias is below 2^-40 for any
    /// population total).
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }
}
