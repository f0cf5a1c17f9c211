use std::collections::HashSet;

use sensate_places::Gazetteer;

#[test]
fn the_same_seed_draws_the_same_cities() {
    let gazetteer = Gazetteer::builtin();
    let first = gazetteer.sample_cities(500, 42);
    let second = gazetteer.sample_cities(500, 42);
    assert_eq!(first, second);
    assert_ne!(first, gazetteer.sample_cities(500, 43));
    assert_eq!(first.len(), 500);
}

#[test]
fn big_cities_are_drawn_more_often_than_small_ones() {
    let sample = Gazetteer::builtin().sample_cities_in("US", 20_000, 7);
    let count = |name: &str| sample.iter().filter(|city| city.name() == name).count();
    // New York City holds 4.1% of the people in US cities of 15,000+, the eight
    // Springfields 0.29% together: expect about 811 and 58 of 20,000 draws.
    let new_york = count("New York City");
    assert!((700..=930).contains(&new_york), "{new_york}");
    let springfields = count("Springfield");
    assert!((30..=90).contains(&springfields), "{springfields}");
    assert!(
        sample
            .iter()
            .all(|city| city.country() == "US" && city.population() > Some(0))
    );
    let distinct: HashSet<&str> = sample.iter().map(|city| city.name()).collect();
    assert!(distinct.len() > 1_000, "{}", distinct.len());
}

#[test]
fn a_country_without_cities_draws_nothing() {
    assert!(
        Gazetteer::builtin()
            .sample_cities_in("XX", 10, 1)
            .is_empty()
    );
}
