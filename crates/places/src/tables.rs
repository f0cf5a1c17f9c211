//! The gazetteer's tables as shipped: tab-separated text under `content/places/`, made by
//! `content/places/build.py` and embedded in the binary.
//!
//! TSV rather than JSON or a binary format: it is the smallest text that a reviewer can
//! read in a diff, and splitting on tabs is fast enough that the whole load stays in
//! milliseconds. Every row is checked as it is read (column count, numbers, coordinate
//! ranges), and any fault names the table and line, so a bad regeneration fails the
//! crate's tests rather than giving wrong places.

use std::fmt;
use std::str::{FromStr, Split};

/// The four tables, as text.
pub(crate) struct Tables {
    /// GeoNames cities15000: geonameid, name, ascii, region, country, latitude, longitude,
    /// population.
    pub(crate) cities: &'static str,
    /// GeoNames US postal codes: zip, place, region, country, latitude, longitude.
    pub(crate) zip_codes: &'static str,
    /// GeoNames countries: iso2, iso3, name.
    pub(crate) countries: &'static str,
    /// US states and Canadian provinces: country, code, name.
    pub(crate) regions: &'static str,
}

/// The tables shipped with Sensate.
pub(crate) const BUILTIN: Tables = Tables {
    cities: include_str!("../../../content/places/cities.tsv"),
    zip_codes: include_str!("../../../content/places/us-zips.tsv"),
    countries: include_str!("../../../content/places/countries.tsv"),
    regions: include_str!("../../../content/places/regions.tsv"),
};

/// A fault in a table: which table, which line, what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableError {
    table: &'static str,
    line: usize,
    problem: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}: {}", self.table, self.line, self.problem)
    }
}

/// The data rows of a table whose first line must be `header`.
pub(crate) fn records(
    table: &'static str,
    text: &'static str,
    header: &str,
) -> Result<impl Iterator<Item = Record>, TableError> {
    let mut lines = text.lines();
    let found = lines.next().unwrap_or_default();
    if found != header {
        return Err(TableError {
            table,
            line: 1,
            problem: format!("expected the header {header:?}, found {found:?}"),
        });
    }
    Ok(lines.enumerate().map(move |(index, line)| Record {
        table,
        line: index + 2,
        fields: line.split('\t'),
    }))
}

/// About how many data rows a table has (its line breaks less the header's), to size the
/// indexes once instead of growing them.
pub(crate) fn row_count(text: &str) -> usize {
    text.bytes()
        .filter(|&byte| byte == b'\n')
        .count()
        .saturating_sub(1)
}

/// One row, read field by field from the left.
pub(crate) struct Record {
    table: &'static str,
    line: usize,
    fields: Split<'static, char>,
}

impl Record {
    /// The next field as text.
    pub(crate) fn text(&mut self) -> Result<&'static str, TableError> {
        self.fields
            .next()
            .ok_or_else(|| self.fault("too few columns"))
    }

    /// The next field as text that must not be empty.
    pub(crate) fn required(&mut self) -> Result<&'static str, TableError> {
        let text = self.text()?;
        if text.is_empty() {
            return Err(self.fault("an empty column where a value is needed"));
        }
        Ok(text)
    }

    /// The next field as text, `None` when empty.
    pub(crate) fn optional(&mut self) -> Result<Option<&'static str>, TableError> {
        let text = self.text()?;
        Ok((!text.is_empty()).then_some(text))
    }

    /// The next field as a number.
    pub(crate) fn number<T: FromStr>(&mut self) -> Result<T, TableError> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| self.fault(&format!("{text:?} is not a number")))
    }

    /// The next two fields as a latitude and a longitude in range.
    pub(crate) fn coordinates(&mut self) -> Result<(f64, f64), TableError> {
        let latitude: f64 = self.number()?;
        let longitude: f64 = self.number()?;
        if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
            return Err(self.fault("coordinates out of range"));
        }
        Ok((latitude, longitude))
    }

    /// Checks that every field was read.
    pub(crate) fn end(mut self) -> Result<(), TableError> {
        match self.fields.next() {
            None => Ok(()),
            Some(_) => Err(self.fault("too many columns")),
        }
    }

    /// A fault on this row.
    pub(crate) fn fault(&self, problem: &str) -> TableError {
        TableError {
            table: self.table,
            line: self.line,
            problem: problem.to_owned(),
        }
    }
}
