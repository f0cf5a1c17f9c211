use sensate_places::{Gazetteer, PlaceError};

fn refusal(query: &str) -> PlaceError {
    match Gazetteer::builtin().resolve(query) {
        Ok(place) => panic!("{query:?} resolved to {}", place.label()),
        Err(error) => error,
    }
}

#[test]
fn an_empty_query_asks_for_a_place() {
    for query in ["", "   ", "\t\n"] {
        assert_eq!(refusal(query), PlaceError::Empty);
    }
    assert_eq!(PlaceError::Empty.to_string(), "enter a ZIP code or a city");
}

#[test]
fn a_ten_kilobyte_query_is_refused_for_its_length() {
    let error = refusal(&"a".repeat(10 * 1024));
    assert_eq!(error, PlaceError::TooLong { max: 100 });
    assert_eq!(error.to_string(), "a place can be at most 100 characters");
}

#[test]
fn markup_is_unknown_and_repeated_only_in_part() {
    let query = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>";
    let PlaceError::Unknown { shown } = refusal(query) else {
        panic!("markup should be an unknown place");
    };
    assert_eq!(shown.chars().count(), 41);
    assert!(shown.ends_with('\u{2026}'));
    assert!(query.starts_with(shown.trim_end_matches('\u{2026}')));
}

#[test]
fn control_characters_never_reach_the_message() {
    let error = refusal("Chi\u{0}cago\u{1b}[31m\r\nSet-Cookie: x=1");
    let message = error.to_string();
    assert!(matches!(error, PlaceError::Unknown { .. }));
    assert!(!message.chars().any(char::is_control), "{message:?}");
}

#[test]
fn emoji_and_other_symbols_are_unknown_places() {
    for query in [
        "🍆",
        "🏳️‍🌈 Pride",
        "💯💯💯",
        "\u{202E}ogacihC",
        "%00",
        "' OR 1=1 --",
    ] {
        let error = refusal(query);
        assert!(
            matches!(error, PlaceError::Unknown { .. }),
            "{query:?}: {error:?}"
        );
    }
}

#[test]
fn unbounded_input_is_never_echoed() {
    let long_word = "x".repeat(99);
    let PlaceError::Unknown { shown } = refusal(&long_word) else {
        panic!("a long word should be an unknown place");
    };
    assert!(shown.chars().count() <= 41);
}

#[test]
fn odd_but_harmless_queries_never_panic() {
    let gazetteer = Gazetteer::builtin();
    for query in [
        ",",
        ",,,",
        "-",
        "60614-",
        "-1234",
        "6061４",
        "00000-0000",
        "9".repeat(100).as_str(),
        "a, b, c, d, e",
        "St.",
        "  ,Chicago",
        "Chicago,,,IL",
        "İstanbul",
        "ǅ",
        "\u{FEFF}",
    ] {
        let _ = gazetteer.resolve(query);
    }
    assert_eq!(
        gazetteer.resolve("  ,Chicago").map(|p| p.label()),
        Ok("Chicago, IL, US".into())
    );
    assert_eq!(
        gazetteer.resolve("Chicago,,,IL").map(|p| p.label()),
        Ok("Chicago, IL, US".into())
    );
}
