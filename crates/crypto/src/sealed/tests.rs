use proptest::prelude::*;
use secrecy::ExposeSecret;

use super::*;
use crate::xchacha::SecretKey;

fn key() -> DataKey {
    DataKey::generate(DataKeyVersion::FIRST).unwrap()
}

fn intake_answer(row: Uuid) -> Binding {
    Binding::new("intake_answers", "answer", row)
}

#[test]
fn a_sealed_value_opens_to_the_same_bytes() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal(b"\x00binary\xff", &place).unwrap();
    assert_eq!(
        key.open(&sealed, &place).unwrap().as_slice(),
        b"\x00binary\xff"
    );
}

#[test]
fn sealed_text_opens_to_the_same_text() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal_str("Ana Müller", &place).unwrap();
    assert_eq!(
        key.open_str(&sealed, &place).unwrap().expose_secret(),
        "Ana Müller"
    );
}

#[test]
fn an_empty_value_seals_and_opens() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal(b"", &place).unwrap();
    assert_eq!(sealed.as_bytes().len(), MIN_LEN);
    assert!(key.open(&sealed, &place).unwrap().is_empty());
}

#[test]
fn a_missing_optional_value_stays_missing_and_a_present_one_round_trips() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    assert_eq!(key.seal_opt_str(None, &place).unwrap(), None);
    assert!(key.open_opt_str(None, &place).unwrap().is_none());
    let sealed = key.seal_opt_str(Some("yes"), &place).unwrap();
    let opened = key.open_opt_str(sealed.as_ref(), &place).unwrap().unwrap();
    assert_eq!(opened.expose_secret(), "yes");
}

#[test]
fn the_same_value_sealed_twice_gives_different_bytes() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let first = key.seal_str("same", &place).unwrap();
    let second = key.seal_str("same", &place).unwrap();
    assert_ne!(first.as_bytes(), second.as_bytes());
}

#[test]
fn the_plaintext_does_not_appear_in_the_sealed_bytes() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal_str("CANARY-7f3a9", &place).unwrap();
    let found = sealed
        .as_bytes()
        .windows(b"CANARY".len())
        .any(|window| window == b"CANARY");
    assert!(!found);
}

#[test]
fn a_value_sealed_for_one_row_does_not_open_for_another_row() {
    let key = key();
    let sealed = key
        .seal_str("secret", &intake_answer(Uuid::now_v7()))
        .unwrap();
    let result = key.open(&sealed, &intake_answer(Uuid::now_v7()));
    assert!(matches!(result, Err(CryptoError::OpenFailed)));
}

#[test]
fn a_value_sealed_for_one_column_does_not_open_for_another_column() {
    let (key, row) = (key(), Uuid::now_v7());
    let sealed = key
        .seal_str("secret", &Binding::new("clients", "name", row))
        .unwrap();
    let result = key.open(&sealed, &Binding::new("clients", "email", row));
    assert!(matches!(result, Err(CryptoError::OpenFailed)));
}

#[test]
fn a_value_sealed_for_one_table_does_not_open_for_another_table() {
    let (key, row) = (key(), Uuid::now_v7());
    let sealed = key
        .seal_str("secret", &Binding::new("notes", "body", row))
        .unwrap();
    let result = key.open(&sealed, &Binding::new("messages", "body", row));
    assert!(matches!(result, Err(CryptoError::OpenFailed)));
}

#[test]
fn table_and_column_names_cannot_be_shifted_into_each_other() {
    let (key, row) = (key(), Uuid::now_v7());
    let sealed = key
        .seal_str("secret", &Binding::new("ab", "c", row))
        .unwrap();
    let result = key.open(&sealed, &Binding::new("a", "bc", row));
    assert!(matches!(result, Err(CryptoError::OpenFailed)));
}

#[test]
fn a_value_does_not_open_with_another_data_key() {
    let place = intake_answer(Uuid::now_v7());
    let sealed = key().seal_str("secret", &place).unwrap();
    assert!(matches!(
        key().open(&sealed, &place),
        Err(CryptoError::OpenFailed)
    ));
}

#[test]
fn a_value_does_not_open_with_another_version_of_the_data_key() {
    let place = intake_answer(Uuid::now_v7());
    let sealed = key().seal_str("secret", &place).unwrap();
    let second_version = DataKey::generate(DataKeyVersion::new(2)).unwrap();
    assert!(matches!(
        second_version.open(&sealed, &place),
        Err(CryptoError::KeyVersionMismatch { .. })
    ));
}

#[test]
fn relabelling_a_value_with_another_key_version_does_not_open_it() {
    // Same key bytes, but the version byte in the header and the key's version both say 2: the
    // associated data still records version 1, so it fails.
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let mut bytes = key.seal_str("secret", &place).unwrap().into_bytes();
    bytes[4] = 2;
    let relabelled = Sealed::from_bytes(bytes).unwrap();
    let same_bytes_as_version_2 = DataKey::from_secret(
        DataKeyVersion::new(2),
        SecretKey::init_with_mut(|k| k.copy_from_slice(key.secret())),
    );
    assert!(matches!(
        same_bytes_as_version_2.open(&relabelled, &place),
        Err(CryptoError::OpenFailed)
    ));
}

#[test]
fn a_tampered_byte_anywhere_is_rejected() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal_str("session note", &place).unwrap();
    for index in 0..sealed.as_bytes().len() {
        let mut bytes = sealed.as_bytes().to_vec();
        bytes[index] ^= 0x80;
        let opened = Sealed::from_bytes(bytes).and_then(|s| key.open(&s, &place));
        assert!(opened.is_err(), "byte {index} was not protected");
    }
}

#[test]
fn a_truncated_value_is_rejected() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal_str("session note", &place).unwrap();
    for len in 0..sealed.as_bytes().len() {
        let opened =
            Sealed::from_bytes(&sealed.as_bytes()[..len]).and_then(|s| key.open(&s, &place));
        assert!(opened.is_err(), "a value cut to {len} bytes opened");
    }
}

#[test]
fn an_unknown_format_version_is_refused_as_malformed() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let mut bytes = key.seal_str("x", &place).unwrap().into_bytes();
    bytes[0] = 2;
    assert!(matches!(
        Sealed::from_bytes(bytes),
        Err(CryptoError::MalformedSealed { .. })
    ));
}

#[test]
fn sealed_text_that_is_not_utf8_is_reported_as_such() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal(&[0xff, 0xfe], &place).unwrap();
    assert!(matches!(
        key.open_str(&sealed, &place),
        Err(CryptoError::NotText)
    ));
}

#[test]
fn debug_output_shows_neither_plaintext_nor_ciphertext() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal_str("CANARY", &place).unwrap();
    assert_eq!(
        format!("{sealed:?}"),
        "Sealed { key_version: DataKeyVersion(1), len: 51 }"
    );
    let opened = key.open_str(&sealed, &place).unwrap();
    assert!(!format!("{opened:?}").contains("CANARY"));
}

#[test]
fn error_messages_never_contain_the_plaintext() {
    let (key, place) = (key(), intake_answer(Uuid::now_v7()));
    let sealed = key.seal(b"CANARY\xff", &place).unwrap();
    let errors = [
        key.open_str(&sealed, &place).unwrap_err(),
        key.open(&sealed, &intake_answer(Uuid::now_v7()))
            .unwrap_err(),
    ];
    for error in errors {
        assert!(!format!("{error} {error:?}").contains("CANARY"));
    }
}

proptest! {
    #[test]
    fn any_bytes_sealed_open_to_the_same_bytes(
        plaintext in proptest::collection::vec(any::<u8>(), 0..2048),
        table in "[a-z_]{1,20}",
        row in any::<u128>(),
    ) {
        let key = key();
        // Binding takes 'static names (schema constants); leak the few generated ones in the test.
        let table: &'static str = Box::leak(table.into_boxed_str());
        let place = Binding::new(table, "value", Uuid::from_u128(row));
        let sealed = key.seal(&plaintext, &place).unwrap();
        prop_assert_eq!(sealed.as_bytes().len(), MIN_LEN + plaintext.len());
        let opened = key.open(&sealed, &place).unwrap();
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn any_text_sealed_opens_to_the_same_text(text in any::<String>()) {
        let (key, place) = (key(), intake_answer(Uuid::now_v7()));
        let sealed = key.seal_str(&text, &place).unwrap();
        let opened = key.open_str(&sealed, &place).unwrap();
        prop_assert_eq!(opened.expose_secret(), text.as_str());
    }

    #[test]
    fn opening_arbitrary_bytes_never_panics_and_never_succeeds(
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let (key, place) = (key(), intake_answer(Uuid::now_v7()));
        let opened = Sealed::from_bytes(bytes).and_then(|sealed| key.open(&sealed, &place));
        prop_assert!(opened.is_err());
    }

    #[test]
    fn opening_arbitrary_bytes_behind_a_valid_header_never_succeeds(
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let (key, place) = (key(), intake_answer(Uuid::now_v7()));
        let mut bytes = vec![FORMAT_V1, 0, 0, 0, 1];
        bytes.extend_from_slice(&body);
        let opened = Sealed::from_bytes(bytes).and_then(|sealed| key.open(&sealed, &place));
        prop_assert!(opened.is_err());
    }

    #[test]
    fn flipping_any_bits_of_a_sealed_value_is_detected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..128),
        position in any::<prop::sample::Index>(),
        flip in 1u8..,
    ) {
        let (key, place) = (key(), intake_answer(Uuid::now_v7()));
        let mut bytes = key.seal(&plaintext, &place).unwrap().into_bytes();
        let index = position.index(bytes.len());
        bytes[index] ^= flip;
        let opened = Sealed::from_bytes(bytes).and_then(|sealed| key.open(&sealed, &place));
        prop_assert!(opened.is_err());
    }
}

/// Bytes from hex, for the fixed vectors below.
fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_value_sealed_by_format_version_1_still_opens() {
    // Fixed vector: data key 32 × 0x07, version 1. Checked against an independent implementation
    // (HChaCha20 + RFC 8439 ChaCha20-Poly1305) with the associated data laid out as in
    // docs/encryption.md. If this fails, stored data would no longer open: change the format
    // version instead.
    let key = DataKey::from_secret(
        DataKeyVersion::FIRST,
        SecretKey::init_with_mut(|k| k.fill(7)),
    );
    let place = Binding::new(
        "session_notes",
        "body",
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
    );
    let stored = unhex(
        "01000000018876629323058fe4105b6c35e364312b4fc0977b0548647862c3244a65f9f78090742206cf04\
         74fa5b47d5cdf428b97a22a880a1ae643233e7712b",
    );
    let sealed = Sealed::from_bytes(stored).unwrap();
    let opened = key.open_str(&sealed, &place).unwrap();
    assert_eq!(opened.expose_secret(), "format v1 is stable");
}

/// The memory of opened values (`crate::opened`) must never let through what the AEAD
/// would refuse: every one of these is opened once first, so it is remembered.
#[test]
fn a_remembered_value_is_still_refused_when_altered_or_moved() {
    let key = key();
    let row = Uuid::now_v7();
    let place = intake_answer(row);
    let sealed = key.seal_str("Ana Müller", &place).unwrap();
    assert_eq!(
        key.open_str(&sealed, &place).unwrap().expose_secret(),
        "Ana Müller"
    );
    assert_eq!(key.opened().len(), 1, "remembered after one open");
    assert_eq!(
        key.open_str(&sealed, &place).unwrap().expose_secret(),
        "Ana Müller"
    );

    // Moved to another row or column: refused.
    let other_row = intake_answer(Uuid::now_v7());
    assert!(matches!(
        key.open(&sealed, &other_row),
        Err(CryptoError::OpenFailed)
    ));
    let other_column = Binding::new("intake_answers", "note", row);
    assert!(matches!(
        key.open(&sealed, &other_column),
        Err(CryptoError::OpenFailed)
    ));

    // Any single byte altered: refused, though the place is remembered.
    for index in HEADER_LEN..sealed.as_bytes().len() {
        let mut bytes = sealed.as_bytes().to_vec();
        bytes[index] ^= 0x01;
        let altered = Sealed::from_bytes(bytes).unwrap();
        assert!(
            matches!(key.open(&altered, &place), Err(CryptoError::OpenFailed)),
            "byte {index}"
        );
    }
    // A new value sealed at the same place replaces the remembered one.
    let newer = key.seal_str("Ana Müller-Okafor", &place).unwrap();
    assert_eq!(
        key.open_str(&newer, &place).unwrap().expose_secret(),
        "Ana Müller-Okafor"
    );
    assert_eq!(
        key.open_str(&sealed, &place).unwrap().expose_secret(),
        "Ana Müller"
    );
    assert_eq!(key.opened().len(), 1);
}

/// Another key never benefits from what this key remembers.
#[test]
fn a_value_remembered_by_one_key_is_refused_by_another() {
    let (one, two) = (key(), key());
    let place = intake_answer(Uuid::now_v7());
    let sealed = one.seal_str("Ana", &place).unwrap();
    one.open_str(&sealed, &place).unwrap();
    assert!(matches!(
        two.open(&sealed, &place),
        Err(CryptoError::OpenFailed)
    ));
}

#[test]
fn the_memory_is_bounded() {
    let key = key();
    for _ in 0..crate::opened::MAX_ENTRIES + 10 {
        let place = intake_answer(Uuid::now_v7());
        key.opened()
            .remember((place.table, place.column, place.row), b"x", b"y");
    }
    assert!(key.opened().len() <= crate::opened::MAX_ENTRIES);
}
