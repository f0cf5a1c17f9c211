use super::*;
use crate::data_key::DataKeyVersion;
use crate::sealed::Binding;

fn practice() -> Uuid {
    Uuid::now_v7()
}

fn data_key() -> DataKey {
    DataKey::generate(DataKeyVersion::FIRST).unwrap()
}

#[test]
fn a_wrapped_key_unwraps_to_the_same_data_key() {
    let ring = KeyRing::generate().unwrap();
    let (key, practice) = (data_key(), practice());
    let unwrapped = ring
        .unwrap(&ring.wrap(&key, practice).unwrap(), practice)
        .unwrap();
    assert_eq!(unwrapped.secret(), key.secret());
    assert_eq!(unwrapped.version(), key.version());
}

#[test]
fn a_wrapped_key_records_the_kek_and_data_key_version() {
    let ring = KeyRing::generate().unwrap();
    let key = DataKey::generate(DataKeyVersion::new(4)).unwrap();
    let wrapped = ring.wrap(&key, practice()).unwrap();
    assert_eq!(wrapped.kek_id(), ring.active_id());
    assert_eq!(wrapped.data_key_version(), DataKeyVersion::new(4));
    assert_eq!(wrapped.as_bytes().len(), WRAPPED_LEN);
}

#[test]
fn a_wrapped_key_survives_storage_as_bytes() {
    let ring = KeyRing::generate().unwrap();
    let practice = practice();
    let wrapped = ring.wrap(&data_key(), practice).unwrap();
    let stored = WrappedKey::from_bytes(wrapped.as_bytes()).unwrap();
    assert_eq!(stored, wrapped);
    assert!(ring.unwrap(&stored, practice).is_ok());
}

#[test]
fn a_wrapped_key_moved_to_another_practice_does_not_unwrap() {
    let ring = KeyRing::generate().unwrap();
    let wrapped = ring.wrap(&data_key(), practice()).unwrap();
    assert!(matches!(
        ring.unwrap(&wrapped, practice()),
        Err(CryptoError::UnwrapFailed)
    ));
}

#[test]
fn a_wrapped_key_does_not_unwrap_with_another_key_file() {
    let practice = practice();
    let wrapped = KeyRing::generate()
        .unwrap()
        .wrap(&data_key(), practice)
        .unwrap();
    let other_ring = KeyRing::generate().unwrap();
    assert!(matches!(
        other_ring.unwrap(&wrapped, practice),
        Err(CryptoError::UnwrapFailed)
    ));
}

#[test]
fn a_key_wrapped_by_a_kek_missing_from_the_ring_names_that_kek() {
    let mut ring = KeyRing::generate().unwrap();
    ring.add_kek().unwrap();
    let practice = practice();
    let wrapped = ring.wrap(&data_key(), practice).unwrap();
    let old_ring = KeyRing::generate().unwrap();
    let error = old_ring.unwrap(&wrapped, practice).unwrap_err();
    assert!(matches!(error, CryptoError::UnknownKek { id } if id == KekId::new(2)));
    assert!(
        error.to_string().contains("key-encryption key 2"),
        "{error}"
    );
}

#[test]
fn a_tampered_byte_anywhere_in_a_wrapped_key_is_rejected() {
    let ring = KeyRing::generate().unwrap();
    let practice = practice();
    let wrapped = ring.wrap(&data_key(), practice).unwrap();
    for index in 0..wrapped.as_bytes().len() {
        let mut bytes = wrapped.as_bytes().to_vec();
        bytes[index] ^= 0x01;
        let unwrapped = WrappedKey::from_bytes(bytes).and_then(|w| ring.unwrap(&w, practice));
        assert!(unwrapped.is_err(), "byte {index} was not protected");
    }
}

#[test]
fn malformed_wrapped_keys_are_refused_before_unwrapping() {
    let ring = KeyRing::generate().unwrap();
    let mut wrong_version = ring.wrap(&data_key(), practice()).unwrap().into_bytes();
    wrong_version[0] = 2;
    for bytes in [Vec::new(), vec![1; 80], vec![1; 82], wrong_version] {
        assert!(matches!(
            WrappedKey::from_bytes(bytes),
            Err(CryptoError::MalformedWrappedKey { .. })
        ));
    }
}

#[test]
fn rewrapping_moves_a_key_to_the_active_kek_and_keeps_the_same_data_key() {
    let mut ring = KeyRing::generate().unwrap();
    let (key, practice) = (data_key(), practice());
    let old = ring.wrap(&key, practice).unwrap();
    let sealed = key
        .seal_str("note", &Binding::new("notes", "body", practice))
        .unwrap();
    ring.add_kek().unwrap();
    let new = ring.rewrap(&old, practice).unwrap();
    assert_eq!(new.kek_id(), KekId::new(2));
    let unwrapped = ring.unwrap(&new, practice).unwrap();
    assert!(
        unwrapped
            .open_str(&sealed, &Binding::new("notes", "body", practice))
            .is_ok()
    );
}

#[test]
fn debug_output_of_a_wrapped_key_shows_ids_only() {
    let ring = KeyRing::generate().unwrap();
    let wrapped = ring.wrap(&data_key(), practice()).unwrap();
    assert_eq!(
        format!("{wrapped:?}"),
        "WrappedKey { kek_id: KekId(1), data_key_version: DataKeyVersion(1), .. }"
    );
}

#[test]
fn a_key_wrapped_by_format_version_1_still_unwraps() {
    // Fixed vector: KEK 1 = 32 × 0x09 wrapping a data key of 32 × 0x07 (version 1) for the practice
    // below; checked against an independent implementation. If this fails, stored keys would no
    // longer unwrap: change the format version instead.
    let kek = crate::kek::KeyEncryptionKey::new(
        KekId::FIRST,
        "2026-05-01T10:00:00Z".to_owned(),
        SecretKey::init_with_mut(|k| k.fill(9)),
    );
    let ring = KeyRing::from_sorted(vec![kek]).unwrap();
    let practice = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);
    let hex = "01000000010000000195b57badec27f4db135569ad334c5dc38aa616212f295f87f055269977c887a5\
               0edd14fd7e30160e6c452a5676e0361bcb040f0f420ddbb7fb512642734041d6ae72e80c428e3414";
    let stored: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let unwrapped = ring
        .unwrap(&WrappedKey::from_bytes(stored).unwrap(), practice)
        .unwrap();
    assert_eq!(unwrapped.secret(), &[7; 32]);
}
