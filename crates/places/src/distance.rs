//! Distances on the Earth and the box that holds a search circle.
//!
//! A directory search is two steps: an indexed prefilter on latitude and longitude (the
//! [`BoundingBox`], which any SQL backend can use on plain columns), then the exact
//! great-circle distance ([`distance_km`]) for the few rows left, which is also the
//! distance shown. Haversine on a sphere of the mean Earth radius is within about 0.5% of
//! the ellipsoid, far finer than "12 km away" needs.
//!
//! Coordinates are `(latitude, longitude)` in degrees, the order people write them in.

use crate::radius::Radius;

/// The mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The great-circle distance between two `(latitude, longitude)` points, in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat_a, lat_b) = (a.0.to_radians(), b.0.to_radians());
    let half_dlat = (lat_b - lat_a) / 2.0;
    let half_dlon = (b.1 - a.1).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// The smallest latitude/longitude box that holds every point within a radius of a
/// centre, for an indexed prefilter.
///
/// Latitudes are clamped to ±90. A circle that reaches a pole holds every longitude, so
/// the box then spans -180..=180. A circle that crosses the antimeridian (±180°) gives a
/// box whose `min_longitude` is greater than its `max_longitude`: it wraps, and
/// [`BoundingBox::longitude_ranges`] gives the two plain ranges to query instead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoundingBox {
    /// The southern edge, in degrees.
    pub min_latitude: f64,
    /// The northern edge, in degrees.
    pub max_latitude: f64,
    /// The western edge, in degrees; east of `max_longitude` when the box wraps.
    pub min_longitude: f64,
    /// The eastern edge, in degrees.
    pub max_longitude: f64,
}

impl BoundingBox {
    /// The box around every point within `radius` of `center` (`(latitude, longitude)`).
    ///
    /// The longitude half-width is the exact one for a circle on a sphere
    /// (asin(sin(r/R) / cos(latitude))), not the wider r/(R·cos(latitude)).
    pub fn around(center: (f64, f64), radius: Radius) -> BoundingBox {
        let latitude = center.0.clamp(-90.0, 90.0);
        let longitude = normalise_longitude(center.1);
        let angular = radius.km() / EARTH_RADIUS_KM;
        let half_height = angular.to_degrees();
        let min_latitude = latitude - half_height;
        let max_latitude = latitude + half_height;
        let whole_circle = BoundingBox {
            min_latitude: min_latitude.max(-90.0),
            max_latitude: max_latitude.min(90.0),
            min_longitude: -180.0,
            max_longitude: 180.0,
        };
        if min_latitude <= -90.0 || max_latitude >= 90.0 {
            return whole_circle;
        }
        let ratio = angular.sin() / latitude.to_radians().cos();
        if ratio >= 1.0 {
            return whole_circle;
        }
        let half_width = ratio.asin().to_degrees();
        if half_width >= 180.0 {
            return whole_circle;
        }
        BoundingBox {
            min_latitude,
            max_latitude,
            min_longitude: normalise_longitude(longitude - half_width),
            max_longitude: normalise_longitude(longitude + half_width),
        }
    }

    /// Whether the box wraps across the antimeridian (±180°).
    pub fn crosses_antimeridian(&self) -> bool {
        self.min_longitude > self.max_longitude
    }

    /// The box's longitudes as two closed ranges, for a query of the form
    /// `lon BETWEEN ?1 AND ?2 OR lon BETWEEN ?3 AND ?4` with a fixed number of parameters.
    /// When the box does not wrap, both ranges are the same.
    pub fn longitude_ranges(&self) -> [(f64, f64); 2] {
        if self.crosses_antimeridian() {
            [(self.min_longitude, 180.0), (-180.0, self.max_longitude)]
        } else {
            [(self.min_longitude, self.max_longitude); 2]
        }
    }

    /// Whether a `(latitude, longitude)` point is inside the box.
    pub fn contains(&self, point: (f64, f64)) -> bool {
        let (latitude, longitude) = (point.0, normalise_longitude(point.1));
        (self.min_latitude..=self.max_latitude).contains(&latitude)
            && self
                .longitude_ranges()
                .iter()
                .any(|(west, east)| (*west..=*east).contains(&longitude))
    }
}

/// The same meridian in -180..=180.
fn normalise_longitude(longitude: f64) -> f64 {
    if (-180.0..=180.0).contains(&longitude) {
        longitude
    } else {
        (longitude + 180.0).rem_euclid(360.0) - 180.0
    }
}
