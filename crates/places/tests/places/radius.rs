use sensate_places::{DistanceUnit, PlaceError, Radius};

#[test]
fn ten_miles_is_sixteen_point_oh_nine_km() {
    let radius = Radius::parse("10", "mi").unwrap();
    assert!((radius.km() - 16.09).abs() < 0.005, "{}", radius.km());
    assert_eq!(radius.unit(), DistanceUnit::Miles);
    assert_eq!(radius.to_string(), "10 mi");
}

#[test]
fn kilometres_and_miles_are_read_in_their_common_spellings() {
    for unit in ["km", "KM", " kilometres ", "Kilometers", "kms"] {
        assert_eq!(Radius::parse("25", unit).unwrap().km(), 25.0, "{unit}");
    }
    for unit in ["mi", "Miles", "mile"] {
        assert_eq!(
            Radius::parse("1", unit).unwrap().unit(),
            DistanceUnit::Miles,
            "{unit}"
        );
    }
    assert_eq!(Radius::parse(" 2.5 ", "km").unwrap().to_string(), "2.5 km");
}

#[test]
fn zero_and_negative_radii_are_refused() {
    for value in ["0", "-0", "0.0", "-5", "-inf"] {
        assert_eq!(
            Radius::parse(value, "km"),
            Err(PlaceError::RadiusNotPositive),
            "{value}"
        );
    }
    assert_eq!(
        PlaceError::RadiusNotPositive.to_string(),
        "the radius must be more than zero"
    );
}

#[test]
fn text_and_nan_are_not_numbers() {
    for value in [
        "abc",
        "NaN",
        "nan",
        "",
        "  ",
        "10km",
        "1,5",
        "ten",
        &"9".repeat(400),
    ] {
        assert_eq!(
            Radius::parse(value, "km"),
            Err(PlaceError::RadiusNotANumber),
            "{value}"
        );
    }
    assert_eq!(
        PlaceError::RadiusNotANumber.to_string(),
        "the radius must be a number, such as 10 or 25"
    );
}

#[test]
fn infinite_and_huge_radii_are_too_large() {
    let error = PlaceError::RadiusTooLarge {
        max_km: 500,
        max_miles: 310,
    };
    for (value, unit) in [
        ("inf", "km"),
        ("infinity", "mi"),
        ("501", "km"),
        ("311", "mi"),
        ("1e9", "km"),
    ] {
        assert_eq!(
            Radius::parse(value, unit),
            Err(error.clone()),
            "{value} {unit}"
        );
    }
    assert!(Radius::parse("500", "km").is_ok());
    assert!(Radius::parse("310", "mi").is_ok());
    assert_eq!(
        error.to_string(),
        "the radius can be at most 500 km (310 miles)"
    );
}

#[test]
fn an_unknown_unit_is_refused() {
    for unit in ["", "m", "furlongs", "km<script>", "k m"] {
        assert_eq!(
            Radius::parse("10", unit),
            Err(PlaceError::UnknownUnit),
            "{unit:?}"
        );
    }
    assert_eq!(
        PlaceError::UnknownUnit.to_string(),
        "the radius unit must be km or miles"
    );
}

#[test]
fn distances_are_shown_in_the_visitors_unit() {
    assert_eq!(DistanceUnit::Kilometres.show(3.44), "3.4 km");
    assert_eq!(DistanceUnit::Miles.show(16.09344), "10 mi");
    assert_eq!(DistanceUnit::Miles.show(1.0), "0.6 mi");
    assert_eq!(DistanceUnit::Kilometres.show(123.4), "123 km");
}
