use sensate_places::{BoundingBox, EARTH_RADIUS_KM, Radius, distance_km};

use crate::place;

#[test]
fn chicago_to_new_york_is_about_1145_km() {
    let km = distance_km(
        place("Chicago, IL").coordinates(),
        place("New York City").coordinates(),
    );
    assert!((km - 1145.0).abs() < 15.0, "{km}");
}

#[test]
fn distance_is_zero_to_itself_and_symmetric() {
    let (a, b) = ((41.85, -87.65), (-33.87, 151.21));
    assert_eq!(distance_km(a, a), 0.0);
    assert!((distance_km(a, b) - distance_km(b, a)).abs() < 1e-9);
}

#[test]
fn antipodes_are_half_the_earth_apart() {
    let half = std::f64::consts::PI * EARTH_RADIUS_KM;
    assert!((distance_km((0.0, 0.0), (0.0, 180.0)) - half).abs() < 1e-6);
    assert!((distance_km((90.0, 0.0), (-90.0, 0.0)) - half).abs() < 1e-6);
}

/// The point `distance_km` from `start` on an initial bearing of `bearing` degrees.
fn destination(start: (f64, f64), bearing: f64, distance: f64) -> (f64, f64) {
    let (lat, lon) = (start.0.to_radians(), start.1.to_radians());
    let angular = distance / EARTH_RADIUS_KM;
    let bearing = bearing.to_radians();
    let lat2 = (lat.sin() * angular.cos() + lat.cos() * angular.sin() * bearing.cos()).asin();
    let lon2 = lon
        + (bearing.sin() * angular.sin() * lat.cos()).atan2(angular.cos() - lat.sin() * lat2.sin());
    let lon2 = (lon2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    (lat2.to_degrees(), lon2)
}

#[test]
fn the_box_holds_every_point_within_the_radius() {
    let mut centres = vec![
        (41.85, -87.65),
        (0.0, 0.0),
        (64.84, -147.72),
        (-77.85, 166.67),
        (89.9, 10.0),
        (-89.99, -45.0),
        (52.0, 179.9),
        (-17.7, -179.95),
        (65.0, 180.0),
        (10.0, -180.0),
    ];
    // A fixed spread of centres over the whole globe.
    for i in 0..60 {
        let i = f64::from(i);
        centres.push(((i * 37.0) % 180.0 - 90.0, (i * 73.0) % 360.0 - 180.0));
    }
    for &centre in &centres {
        for radius_km in [0.5, 5.0, 40.0, 160.0, 500.0] {
            let radius = Radius::from_km(radius_km).unwrap();
            let bounds = BoundingBox::around(centre, radius);
            for step in 0..72 {
                let bearing = f64::from(step) * 5.0;
                for fraction in [0.25, 0.5, 0.9, 0.999] {
                    let point = destination(centre, bearing, radius_km * fraction);
                    assert!(
                        distance_km(centre, point) <= radius_km,
                        "test geometry is off at {centre:?}"
                    );
                    assert!(
                        bounds.contains(point),
                        "{point:?} ({radius_km} km at {bearing}° from {centre:?}) is outside {bounds:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_box_is_tight_away_from_the_poles() {
    let chicago = (41.85, -87.65);
    let bounds = BoundingBox::around(chicago, Radius::from_km(50.0).unwrap());
    let north_edge = distance_km(chicago, (bounds.max_latitude, chicago.1));
    let east_edge = distance_km(chicago, (chicago.0, bounds.max_longitude));
    assert!((north_edge - 50.0).abs() < 0.01, "{north_edge}");
    assert!((50.0..50.5).contains(&east_edge), "{east_edge}");
    assert!(!bounds.crosses_antimeridian());
    assert_eq!(bounds.longitude_ranges()[0], bounds.longitude_ranges()[1]);
}

#[test]
fn a_box_across_the_antimeridian_wraps_into_two_ranges() {
    let fiji = (-17.7, 179.9);
    let bounds = BoundingBox::around(fiji, Radius::from_km(100.0).unwrap());
    assert!(bounds.crosses_antimeridian());
    let [east, west] = bounds.longitude_ranges();
    assert_eq!(east.1, 180.0);
    assert_eq!(west.0, -180.0);
    assert!(bounds.contains((-17.7, -179.5)));
    assert!(bounds.contains((-17.7, 179.5)));
    assert!(!bounds.contains((-17.7, 0.0)));
}

#[test]
fn a_box_that_reaches_a_pole_spans_every_longitude() {
    let bounds = BoundingBox::around((89.5, 30.0), Radius::from_km(100.0).unwrap());
    assert_eq!(bounds.max_latitude, 90.0);
    assert_eq!(
        (bounds.min_longitude, bounds.max_longitude),
        (-180.0, 180.0)
    );
    assert!(bounds.contains((89.9, -150.0)));
}
