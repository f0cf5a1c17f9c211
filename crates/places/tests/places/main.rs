//! The gazetteer through its public surface: resolving places, distances and boxes,
//! radii, and sampling. One test binary, a module per idea.

mod distance;
mod hostile_input;
mod radius;
mod resolve;
mod sample;

use sensate_places::{Gazetteer, Place};

/// Resolves a query that must succeed.
fn place(query: &str) -> &'static Place {
    Gazetteer::builtin()
        .resolve(query)
        .unwrap_or_else(|error| panic!("{query:?} did not resolve: {error}"))
}

/// Asserts that `place` is within `tolerance_km` of `(latitude, longitude)`.
fn assert_near(place: &Place, expected: (f64, f64), tolerance_km: f64) {
    let off = sensate_places::distance_km(place.coordinates(), expected);
    assert!(
        off <= tolerance_km,
        "{} is {off:.1} km from {expected:?}",
        place.label()
    );
}
