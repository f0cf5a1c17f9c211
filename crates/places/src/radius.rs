//! How far a visitor will travel: a search radius in kilometres or miles, parsed from a
//! form's two fields, and the unit distances are shown back in.
//!
//! Parsed at the edge into a [`Radius`] that is always a finite number of kilometres
//! between zero (exclusive) and [`Radius::MAX_KM`], so nothing downstream re-checks it.
//! The widest radius bounds how many therapists one search can scan.

use std::fmt;

use crate::error::PlaceError;

/// Kilometres in one international mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// The longest radius value (in characters) worth reading as a number.
const MAX_VALUE_CHARS: usize = 24;

/// A unit a visitor measures distance in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistanceUnit {
    /// Kilometres ("km").
    Kilometres,
    /// International miles ("mi").
    Miles,
}

impl DistanceUnit {
    /// Reads a unit as a form sends it: "km", "kilometres", "kilometers", "mi", "mile",
    /// "miles", in any case.
    pub fn parse(unit: &str) -> Result<DistanceUnit, PlaceError> {
        let unit = unit.trim();
        if unit.len() > 12 {
            return Err(PlaceError::UnknownUnit);
        }
        match unit.to_ascii_lowercase().as_str() {
            "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => {
                Ok(DistanceUnit::Kilometres)
            }
            "mi" | "mile" | "miles" => Ok(DistanceUnit::Miles),
            _ => Err(PlaceError::UnknownUnit),
        }
    }

    /// The short symbol: "km" or "mi".
    pub fn symbol(self) -> &'static str {
        match self {
            DistanceUnit::Kilometres => "km",
            DistanceUnit::Miles => "mi",
        }
    }

    /// A distance in kilometres, expressed in this unit.
    pub fn from_km(self, km: f64) -> f64 {
        match self {
            DistanceUnit::Kilometres => km,
            DistanceUnit::Miles => km / KM_PER_MILE,
        }
    }

    /// A distance in this unit, in kilometres.
    pub fn to_km(self, value: f64) -> f64 {
        match self {
            DistanceUnit::Kilometres => value,
            DistanceUnit::Miles => value * KM_PER_MILE,
        }
    }

    /// A distance as the directory shows it: one decimal under 10 ("3.4 mi"), whole
    /// numbers from 10 up ("12 km").
    pub fn show(self, km: f64) -> String {
        let value = self.from_km(km);
        if value < 9.95 {
            format!("{value:.1} {}", self.symbol())
        } else {
            format!("{value:.0} {}", self.symbol())
        }
    }
}

/// A search radius: more than zero and at most [`Radius::MAX_KM`], remembered with the
/// unit the visitor chose so it can be shown back the same way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Radius {
    km: f64,
    unit: DistanceUnit,
}

impl Radius {
    /// The widest radius a search may use, in kilometres (about 310 miles).
    pub const MAX_KM: f64 = 500.0;

    /// Reads a radius from a form's value and unit fields ("10", "mi").
    pub fn parse(value: &str, unit: &str) -> Result<Radius, PlaceError> {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > MAX_VALUE_CHARS {
            return Err(PlaceError::RadiusNotANumber);
        }
        let number: f64 = value.parse().map_err(|_| PlaceError::RadiusNotANumber)?;
        Radius::new(number, DistanceUnit::parse(unit)?)
    }

    /// A radius of `value` in `unit`.
    pub fn new(value: f64, unit: DistanceUnit) -> Result<Radius, PlaceError> {
        if value.is_nan() {
            return Err(PlaceError::RadiusNotANumber);
        }
        if value <= 0.0 {
            return Err(PlaceError::RadiusNotPositive);
        }
        let km = unit.to_km(value);
        if km > Radius::MAX_KM {
            return Err(PlaceError::RadiusTooLarge {
                max_km: Radius::MAX_KM as u32,
                max_miles: (Radius::MAX_KM / KM_PER_MILE) as u32,
            });
        }
        Ok(Radius { km, unit })
    }

    /// A radius in kilometres.
    pub fn from_km(km: f64) -> Result<Radius, PlaceError> {
        Radius::new(km, DistanceUnit::Kilometres)
    }

    /// The radius in kilometres.
    pub fn km(&self) -> f64 {
        self.km
    }

    /// The unit the radius was given in.
    pub fn unit(&self) -> DistanceUnit {
        self.unit
    }

    /// The radius in its own unit (10 for "10 mi").
    pub fn value(&self) -> f64 {
        self.unit.from_km(self.km)
    }
}

impl fmt::Display for Radius {
    /// "10 mi", "2.5 km".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = (self.value() * 100.0).round() / 100.0;
        write!(f, "{value} {}", self.unit.symbol())
    }
}
