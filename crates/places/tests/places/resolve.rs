use sensate_places::{Gazetteer, PlaceError};

use crate::{assert_near, place};

#[test]
fn known_zip_codes_resolve_near_their_neighbourhoods() {
    let lincoln_park = place("60614");
    assert_eq!(lincoln_park.label(), "Chicago, IL 60614");
    assert_near(lincoln_park, (41.922, -87.652), 3.0);
    assert_near(place("10001"), (40.750, -73.997), 3.0);
    assert_near(place("94110"), (37.749, -122.415), 3.0);
    assert_eq!(place("94110").region(), Some("CA"));
    assert_eq!(place("94110").country(), "US");
}

#[test]
fn zip_plus_four_resolves_to_its_zip_code() {
    assert_eq!(place("60614-1234"), place("60614"));
    assert_eq!(place(" 60614 1234 "), place("60614"));
}

#[test]
fn territories_have_their_zip_codes() {
    let adjuntas = place("00601");
    assert_eq!(adjuntas.label(), "Adjuntas, PR 00601");
    assert_eq!(adjuntas.country(), "PR");
}

#[test]
fn an_unknown_zip_code_says_so() {
    let error = Gazetteer::builtin().resolve("00000").unwrap_err();
    assert_eq!(
        error,
        PlaceError::UnknownZipCode {
            zip_code: "00000".into()
        }
    );
    assert_eq!(error.to_string(), "ZIP code 00000 was not found");
}

#[test]
fn a_city_resolves_with_and_without_its_state() {
    let chicago = place("Chicago");
    assert_eq!(chicago.label(), "Chicago, IL, US");
    assert_near(chicago, (41.878, -87.630), 10.0);
    assert_eq!(place("chicago, il"), chicago);
    assert_eq!(place("Chicago, Illinois"), chicago);
    assert_eq!(place("Chicago IL"), chicago);
}

#[test]
fn an_ambiguous_name_picks_the_most_populous_and_says_which() {
    let springfield = place("Springfield");
    assert_eq!(springfield.label(), "Springfield, MO, US");
    let others = Gazetteer::builtin()
        .cities()
        .filter(|city| city.name() == "Springfield");
    for other in others {
        assert!(other.population() <= springfield.population());
    }
}

#[test]
fn a_state_picks_among_places_of_one_name() {
    assert_eq!(place("Springfield, IL").label(), "Springfield, IL, US");
    assert_eq!(
        place("Springfield, Massachusetts").label(),
        "Springfield, MA, US"
    );
    assert_eq!(place("Portland, OR").label(), "Portland, OR, US");
    assert_eq!(place("Portland, Maine").label(), "Portland, ME, US");
    assert_eq!(place("Portland, ME, USA").label(), "Portland, ME, US");
}

#[test]
fn a_country_picks_among_places_of_one_name() {
    assert_eq!(place("Paris").label(), "Paris, FR");
    assert_eq!(place("Paris, TX").label(), "Paris, TX, US");
    assert_eq!(place("London, ON").label(), "London, ON, CA");
    assert_eq!(place("London, Canada").label(), "London, ON, CA");
    assert_eq!(place("London, United Kingdom").label(), "London, GB");
    assert_eq!(place("London, UK").label(), "London, GB");
}

#[test]
fn a_label_resolves_back_to_its_place() {
    for query in [
        "Springfield",
        "Springfield, IL",
        "Paris",
        "60614",
        "00601",
        "Hometown, WV",
    ] {
        let first = place(query);
        assert_eq!(
            place(&first.label()),
            first,
            "{query:?} → {}",
            first.label()
        );
    }
}

#[test]
fn case_spacing_and_accents_do_not_matter() {
    let sao_paulo = place("São Paulo");
    assert_eq!(place("  sao   PAULO "), sao_paulo);
    assert_eq!(place("SÃO PAULO, Brazil"), sao_paulo);
    assert_eq!(place("krakow").name(), "Kraków");
    assert_eq!(place("Zurich").name(), "Zürich");
    assert_eq!(place("Zu\u{0308}rich").name(), "Zürich");
}

#[test]
fn abbreviations_and_punctuation_find_the_written_out_name() {
    assert_eq!(place("St. Louis, MO"), place("Saint Louis, Missouri"));
    assert_eq!(place("Winston Salem").name(), "Winston-Salem");
    assert_eq!(place("Washington, D.C.").region(), Some("DC"));
    assert_eq!(place("coeur d’alene").region(), Some("ID"));
}

#[test]
fn small_us_towns_are_found_through_their_zip_codes() {
    let hometown = place("Hometown, WV");
    assert_eq!(hometown.label(), "Hometown, WV, US");
    assert_eq!(hometown.population(), None);
    assert_near(hometown, (38.533, -81.861), 1.0);
    let new_york = place("New York, NY");
    assert_near(new_york, (40.75, -73.98), 15.0);
}

#[test]
fn an_unknown_place_says_so_in_a_sentence() {
    let error = Gazetteer::builtin().resolve("Nowhere Special").unwrap_err();
    assert_eq!(
        error.to_string(),
        "no place called \u{201c}Nowhere Special\u{201d} was found; try a 5-digit ZIP code, \
         \u{201c}City, ST\u{201d} or \u{201c}City, Country\u{201d}"
    );
}

#[test]
fn a_known_name_in_the_wrong_state_is_unknown() {
    let error = Gazetteer::builtin().resolve("Chicago, AK").unwrap_err();
    assert!(matches!(error, PlaceError::Unknown { .. }), "{error:?}");
}

#[test]
fn a_few_big_city_nicknames_are_understood() {
    assert_eq!(place("NYC").label(), "New York City, NY, US");
    assert_eq!(place("LA").label(), "Los Angeles, CA, US");
    assert_eq!(place("sf").label(), "San Francisco, CA, US");
    assert_eq!(place("D.C."), place("Washington, DC"));
}
