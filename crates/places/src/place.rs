//! A resolved place: what a query turned into, with the coordinates a search needs and
//! the label that tells the visitor which place was picked.
//!
//! Only the gazetteer makes places, so its coordinates are always valid; the text is
//! borrowed from the embedded tables and a `Place` is cheap to copy.

use std::fmt;

/// A ZIP code, a city, or a US postal town, with its position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub(crate) name: &'static str,
    pub(crate) region: Option<&'static str>,
    pub(crate) country: &'static str,
    pub(crate) postal_code: Option<&'static str>,
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    pub(crate) population: Option<u32>,
    pub(crate) geonames_id: Option<u32>,
}

impl Place {
    /// The place's name: "Springfield"; for a ZIP code, its postal town ("Chicago").
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The state, territory or province code ("MO", "PR", "ON"). Known for US ZIP codes
    /// and for cities in the US and Canada; `None` elsewhere.
    pub fn region(&self) -> Option<&'static str> {
        self.region
    }

    /// The ISO 3166-1 alpha-2 country code ("US", "FR").
    pub fn country(&self) -> &'static str {
        self.country
    }

    /// The 5-digit ZIP code, when the place is one.
    pub fn postal_code(&self) -> Option<&'static str> {
        self.postal_code
    }

    /// Degrees north (negative south), rounded to four decimals (about 11 m).
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// Degrees east (negative west), rounded to four decimals.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// `(latitude, longitude)`, the shape [`crate::distance_km`] and
    /// [`crate::BoundingBox::around`] take.
    pub fn coordinates(&self) -> (f64, f64) {
        (self.latitude, self.longitude)
    }

    /// How many people live there, for cities (GeoNames' figure); `None` for ZIP codes
    /// and postal towns.
    pub fn population(&self) -> Option<u32> {
        self.population
    }

    /// The GeoNames id of a city, a stable key for it; `None` for ZIP codes and postal
    /// towns.
    pub fn geonames_id(&self) -> Option<u32> {
        self.geonames_id
    }

    /// What to show the visitor: "Chicago, IL 60614" for a ZIP code, "Springfield, MO, US"
    /// for a city with a known region, "Paris, FR" otherwise. Resolving a label gives the
    /// same place back.
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.region, self.postal_code) {
            (Some(region), Some(zip)) => write!(f, "{}, {region} {zip}", self.name),
            (None, Some(zip)) => write!(f, "{}, {} {zip}", self.name, self.country),
            (Some(region), None) => write!(f, "{}, {region}, {}", self.name, self.country),
            (None, None) => write!(f, "{}, {}", self.name, self.country),
        }
    }
}
