//! The gazetteer: the shipped tables read into indexes, and the rules that turn a query
//! into one place.
//!
//! Three kinds of place, searched in this order:
//!
//! 1. **ZIP codes** (about 41,000, the US with its territories), when the query is one.
//! 2. **Cities** of 15,000 people or more, worldwide (about 34,000), by name.
//! 3. **US postal towns**: every place name the ZIP table uses, with the centre of its ZIP
//!    codes. This finds the small towns the city table leaves out ("Hometown, WV").
//!
//! Among several places of one name the most populous city wins (for postal towns, the
//! one with the most ZIP codes), with ties broken by a fixed order, so an answer never
//! changes between runs. Qualifiers after commas narrow the choice: a state or province
//! code or name ("MO", "Missouri", "ON"), or a country code or name ("US", "USA",
//! "France"). Without commas, a trailing state or country is tried too ("Springfield MO"),
//! and a handful of nicknames are known ("NYC", "LA", "SF", "DC", "Philly").

use std::collections::hash_map::Entry;
use std::sync::OnceLock;

use crate::error::PlaceError;
use crate::fold::fold;
use crate::index_hash::IndexMap;
use crate::place::Place;
use crate::query::{self, Query};
use crate::tables::{self, TableError, Tables};

/// Country names people use that GeoNames does not list as the name.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("usa", "US"),
    ("united states of america", "US"),
    ("america", "US"),
    ("uk", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("netherlands", "NL"),
    ("holland", "NL"),
    ("czech republic", "CZ"),
    ("korea", "KR"),
    ("republic of korea", "KR"),
    ("cape verde", "CV"),
    ("east timor", "TL"),
    ("cote divoire", "CI"),
    ("swaziland", "SZ"),
    ("burma", "MM"),
    ("uae", "AE"),
];

/// Short names people type for a few big US cities, and the place each means. Only the
/// whole query is matched ("LA" alone is Los Angeles; "Springfield, LA" is Louisiana).
const CITY_NICKNAMES: &[(&str, &str, &str)] = &[
    ("nyc", "new york city", "NY"),
    ("la", "los angeles", "CA"),
    ("sf", "san francisco", "CA"),
    ("dc", "washington", "DC"),
    ("philly", "philadelphia", "PA"),
];

/// Places and the indexes that find them.
pub struct Gazetteer {
    /// Sorted by ZIP code.
    zip_codes: Vec<Place>,
    cities: Vec<Place>,
    towns: Vec<Place>,
    /// Indexes into `cities`.
    city_names: NameIndex,
    /// Indexes into `towns`.
    town_names: NameIndex,
    countries: CountryIndex,
    regions: RegionIndex,
}

impl Gazetteer {
    /// The gazetteer shipped with Sensate, read on first use and shared after. The first
    /// use takes tens of milliseconds in a release build (see `examples/first_load.rs`), so
    /// a server calls this once at start-up rather than in its first search.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            #[expect(
                clippy::expect_used,
                reason = "the tables are embedded at compile time, and the test \
                          `the_shipped_tables_read_without_a_fault` reads these same bytes, \
                          so a build whose tests pass cannot fail here"
            )]
            let gazetteer = Gazetteer::read(&tables::BUILTIN)
                .expect("the place tables in content/places/ are well formed");
            gazetteer
        })
    }

    /// Turns what a visitor typed into one place: a ZIP code ("60614", "60614-1234"), or a
    /// city or town with optional qualifiers ("Springfield", "Portland, OR",
    /// "Paris, France", "Springfield, MO, US"). Case, accents and extra spaces do not
    /// matter. An ambiguous name gives the most populous match; its
    /// [`Place::label`] tells the visitor which.
    pub fn resolve(&self, query: &str) -> Result<&Place, PlaceError> {
        match query::parse(query)? {
            Query::ZipCode(zip_code) => self
                .zip_code(&zip_code)
                .ok_or(PlaceError::UnknownZipCode { zip_code }),
            Query::Named { name, qualifiers } if qualifiers.is_empty() => self
                .nickname(&name)
                .or_else(|| self.named(&name, &[]))
                .or_else(|| self.named_with_trailing_qualifier(&name))
                .ok_or_else(|| PlaceError::unknown(query)),
            Query::Named { name, qualifiers } => self
                .named(&name, &qualifiers)
                .ok_or_else(|| PlaceError::unknown(query)),
        }
    }

    /// The place with this 5-digit ZIP code.
    pub fn zip_code(&self, zip_code: &str) -> Option<&Place> {
        self.zip_codes
            .binary_search_by(|place| place.postal_code.unwrap_or_default().cmp(zip_code))
            .ok()
            .map(|index| &self.zip_codes[index])
    }

    /// Every city of 15,000 people or more (and every capital), in no particular order.
    pub fn cities(&self) -> impl Iterator<Item = &Place> {
        self.cities.iter()
    }

    /// Every US ZIP code, in order.
    pub fn zip_codes(&self) -> impl Iterator<Item = &Place> {
        self.zip_codes.iter()
    }

    /// The best place called `name` (folded) within every qualifier (folded).
    fn named(&self, name: &str, qualifiers: &[String]) -> Option<&Place> {
        let within_all = |place: &&Place| qualifiers.iter().all(|q| self.within(place, q));
        let cities = self.city_names.get(name).into_iter().flatten();
        let towns = self.town_names.get(name).into_iter().flatten();
        cities
            .map(|&index| &self.cities[index as usize])
            .find(within_all)
            .or_else(|| {
                towns
                    .map(|&index| &self.towns[index as usize])
                    .find(within_all)
            })
    }

    /// The city a nickname ("NYC") stands for.
    fn nickname(&self, name: &str) -> Option<&Place> {
        let (_, city, region) = CITY_NICKNAMES.iter().find(|(nick, _, _)| *nick == name)?;
        self.named(city, &[region.to_ascii_lowercase()])
    }

    /// "Springfield MO", "Albany New York", "Paris France": the last one or two words as a
    /// qualifier, when the whole name found nothing.
    fn named_with_trailing_qualifier(&self, name: &str) -> Option<&Place> {
        let words: Vec<&str> = name.split(' ').collect();
        (1..=2.min(words.len().saturating_sub(1))).find_map(|taken| {
            let (head, tail) = words.split_at(words.len() - taken);
            self.named(&head.join(" "), &[tail.join(" ")])
        })
    }

    /// Whether `place` lies within a folded qualifier: its region or country, by code or
    /// by name.
    fn within(&self, place: &Place, qualifier: &str) -> bool {
        place
            .region
            .is_some_and(|region| region.eq_ignore_ascii_case(qualifier))
            || place.country.eq_ignore_ascii_case(qualifier)
            || self
                .countries
                .get(qualifier)
                .is_some_and(|country| *country == place.country)
            || self.regions.get(qualifier).is_some_and(|regions| {
                regions
                    .iter()
                    .any(|(country, code)| *country == place.country && Some(*code) == place.region)
            })
    }

    /// Reads the tables and builds the indexes.
    pub(crate) fn read(tables: &Tables) -> Result<Gazetteer, TableError> {
        let (cities, city_names) = read_cities(tables.cities)?;
        let (zip_codes, towns, town_names) = read_zip_codes(tables.zip_codes)?;
        Ok(Gazetteer {
            zip_codes,
            cities,
            towns,
            city_names,
            town_names,
            countries: read_countries(tables.countries)?,
            regions: read_regions(tables.regions)?,
        })
    }
}

impl std::fmt::Debug for Gazetteer {
    /// Counts, not the hundred thousand places.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("zip_codes", &self.zip_codes.len())
            .field("cities", &self.cities.len())
            .field("towns", &self.towns.len())
            .finish_non_exhaustive()
    }
}

/// Folded name → indexes into a list of places, best first.
type NameIndex = IndexMap<String, Vec<u32>>;

/// Folded region code or name → (country, region code).
type RegionIndex = IndexMap<String, Vec<(&'static str, &'static str)>>;

/// Folded country code, name or alias → ISO 3166-1 alpha-2 code.
type CountryIndex = IndexMap<String, &'static str>;

fn read_cities(text: &'static str) -> Result<(Vec<Place>, NameIndex), TableError> {
    let header = "geonameid\tname\tascii\tregion\tcountry\tlatitude\tlongitude\tpopulation";
    let rows = tables::row_count(text);
    let mut cities = Vec::with_capacity(rows);
    let mut names = NameIndex::with_capacity_and_hasher(rows, Default::default());
    for mut record in tables::records("cities.tsv", text, header)? {
        let geonames_id: u32 = record.number()?;
        let name = record.required()?;
        let ascii = record.optional()?;
        let region = record.optional()?;
        let country = record.required()?;
        let (latitude, longitude) = record.coordinates()?;
        let population: u32 = record.number()?;
        record.end()?;
        let index = u32::try_from(cities.len()).unwrap_or(u32::MAX);
        let key = fold(name);
        if let Some(ascii) = ascii {
            let ascii_key = fold(ascii);
            if ascii_key != key {
                names.entry(ascii_key).or_default().push(index);
            }
        }
        names.entry(key).or_default().push(index);
        cities.push(Place {
            name,
            region,
            country,
            postal_code: None,
            latitude,
            longitude,
            population: Some(population),
            geonames_id: Some(geonames_id),
        });
    }
    for indexes in names.values_mut() {
        indexes.sort_by_key(|&index| {
            let city = &cities[index as usize];
            (std::cmp::Reverse(city.population), city.geonames_id)
        });
    }
    Ok((cities, names))
}

/// A postal town while its ZIP codes are being added up.
struct TownTotal {
    place: Place,
    latitude_sum: f64,
    longitude_sum: f64,
    zip_codes: u32,
}

fn read_zip_codes(text: &'static str) -> Result<(Vec<Place>, Vec<Place>, NameIndex), TableError> {
    let header = "zip\tplace\tregion\tcountry\tlatitude\tlongitude";
    let rows = tables::row_count(text);
    let mut zip_codes: Vec<Place> = Vec::with_capacity(rows);
    let mut totals: Vec<TownTotal> = Vec::with_capacity(rows);
    let mut town_slots: IndexMap<(&'static str, &'static str), usize> =
        IndexMap::with_capacity_and_hasher(rows, Default::default());
    for mut record in tables::records("us-zips.tsv", text, header)? {
        let zip_code = record.required()?;
        let name = record.required()?;
        let region = record.required()?;
        let country = record.required()?;
        let (latitude, longitude) = record.coordinates()?;
        if zip_code.len() != 5 || !zip_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(record.fault("a ZIP code is five digits"));
        }
        if zip_codes
            .last()
            .is_some_and(|last| last.postal_code >= Some(zip_code))
        {
            return Err(record.fault("ZIP codes must be sorted and unique"));
        }
        record.end()?;
        let place = Place {
            name,
            region: Some(region),
            country,
            postal_code: Some(zip_code),
            latitude,
            longitude,
            population: None,
            geonames_id: None,
        };
        zip_codes.push(place);
        let slot = match town_slots.entry((name, region)) {
            Entry::Occupied(slot) => *slot.get(),
            Entry::Vacant(slot) => {
                totals.push(TownTotal {
                    place: Place {
                        postal_code: None,
                        ..place
                    },
                    latitude_sum: 0.0,
                    longitude_sum: 0.0,
                    zip_codes: 0,
                });
                *slot.insert(totals.len() - 1)
            }
        };
        let total = &mut totals[slot];
        total.latitude_sum += latitude;
        total.longitude_sum += longitude;
        total.zip_codes += 1;
    }
    let mut names = NameIndex::with_capacity_and_hasher(town_slots.len(), Default::default());
    for ((name, _), slot) in town_slots {
        names
            .entry(fold(name))
            .or_default()
            .push(u32::try_from(slot).unwrap_or(u32::MAX));
    }
    for indexes in names.values_mut() {
        indexes.sort_by_key(|&slot| {
            let total = &totals[slot as usize];
            (std::cmp::Reverse(total.zip_codes), total.place.region, slot)
        });
    }
    let towns = totals
        .into_iter()
        .map(|total| {
            let count = f64::from(total.zip_codes);
            Place {
                latitude: round4(total.latitude_sum / count),
                longitude: round4(total.longitude_sum / count),
                ..total.place
            }
        })
        .collect();
    Ok((zip_codes, towns, names))
}

/// Four decimals, like the rest of the data.
fn round4(degrees: f64) -> f64 {
    (degrees * 10_000.0).round() / 10_000.0
}

fn read_countries(text: &'static str) -> Result<CountryIndex, TableError> {
    let mut countries = CountryIndex::default();
    for mut record in tables::records("countries.tsv", text, "iso2\tiso3\tname")? {
        let iso2 = record.required()?;
        let iso3 = record.required()?;
        let name = record.required()?;
        record.end()?;
        countries.insert(fold(iso2), iso2);
        countries.insert(fold(iso3), iso2);
        countries.insert(fold(name), iso2);
    }
    for (alias, iso2) in COUNTRY_ALIASES {
        countries.entry((*alias).to_owned()).or_insert(iso2);
    }
    Ok(countries)
}

fn read_regions(text: &'static str) -> Result<RegionIndex, TableError> {
    let mut regions = RegionIndex::default();
    for mut record in tables::records("regions.tsv", text, "country\tcode\tname")? {
        let country = record.required()?;
        let code = record.required()?;
        let name = record.required()?;
        record.end()?;
        regions.entry(fold(code)).or_default().push((country, code));
        regions.entry(fold(name)).or_default().push((country, code));
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_tables_read_without_a_fault() {
        let gazetteer = Gazetteer::read(&tables::BUILTIN);
        assert!(
            gazetteer.is_ok(),
            "{}",
            gazetteer.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }

    #[test]
    fn the_shipped_tables_hold_every_kind_of_place() {
        let gazetteer = Gazetteer::read(&tables::BUILTIN).unwrap();
        assert!(gazetteer.zip_codes.len() > 40_000);
        assert!(gazetteer.cities.len() > 30_000);
        assert!(gazetteer.towns.len() > 15_000);
        assert!(gazetteer.countries.len() > 600);
        assert!(gazetteer.regions.len() > 100);
    }

    #[test]
    fn a_table_with_a_short_row_names_the_table_and_line() {
        let tables = Tables {
            zip_codes: "zip\tplace\tregion\tcountry\tlatitude\tlongitude\n60614\tChicago\tIL\n",
            ..tables::BUILTIN
        };
        let error = Gazetteer::read(&tables).err().unwrap();
        assert_eq!(error.to_string(), "us-zips.tsv, line 2: too few columns");
    }

    #[test]
    fn unsorted_zip_codes_are_refused() {
        let tables = Tables {
            zip_codes: "zip\tplace\tregion\tcountry\tlatitude\tlongitude\n\
                        60614\tChicago\tIL\tUS\t41.9\t-87.6\n\
                        10001\tNew York\tNY\tUS\t40.7\t-74\n",
            ..tables::BUILTIN
        };
        let error = Gazetteer::read(&tables).err().unwrap();
        assert_eq!(
            error.to_string(),
            "us-zips.tsv, line 3: ZIP codes must be sorted and unique"
        );
    }
}
