use super::*;

const PURPOSE: &str = "sensate/test-file-key";
const CONTEXT: &[u8] = b"a header before the key";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_wrapped_file_key_unwraps_to_the_same_key() {
    let ring = KeyRing::generate().unwrap();
    let key = FileKey::generate().unwrap();
    let wrapped = ring.wrap_file_key(&key, PURPOSE, CONTEXT).unwrap();
    let unwrapped = ring.unwrap_file_key(&wrapped, PURPOSE, CONTEXT).unwrap();
    assert_eq!(unwrapped.expose_secret(), key.expose_secret());
}

#[test]
fn two_generated_file_keys_differ() {
    let first = FileKey::generate().unwrap();
    let second = FileKey::generate().unwrap();
    assert_ne!(first.expose_secret(), second.expose_secret());
}

#[test]
fn a_wrapped_file_key_names_the_active_kek_and_survives_storage_as_bytes() {
    let mut ring = KeyRing::generate().unwrap();
    ring.add_kek().unwrap();
    let wrapped = ring
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap();
    assert_eq!(wrapped.kek_id(), KekId::new(2));
    let stored = WrappedFileKey::from_bytes(wrapped.as_bytes()).unwrap();
    assert_eq!(stored, wrapped);
    assert!(ring.unwrap_file_key(&stored, PURPOSE, CONTEXT).is_ok());
}

#[test]
fn a_file_key_does_not_unwrap_for_another_purpose_or_context() {
    let ring = KeyRing::generate().unwrap();
    let wrapped = ring
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap();
    for (purpose, context) in [
        ("sensate/other-file-key", CONTEXT),
        (PURPOSE, b"a header before the kez".as_slice()),
        (PURPOSE, b"".as_slice()),
    ] {
        assert!(matches!(
            ring.unwrap_file_key(&wrapped, purpose, context),
            Err(CryptoError::FileKeyUnwrapFailed)
        ));
    }
}

#[test]
fn a_file_key_does_not_unwrap_with_another_key_file_holding_a_key_with_the_same_id() {
    let wrapped = KeyRing::generate()
        .unwrap()
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap();
    let other_ring = KeyRing::generate().unwrap();
    assert!(matches!(
        other_ring.unwrap_file_key(&wrapped, PURPOSE, CONTEXT),
        Err(CryptoError::FileKeyUnwrapFailed)
    ));
}

#[test]
fn a_file_key_wrapped_by_a_kek_missing_from_the_ring_names_that_kek() {
    let mut ring = KeyRing::generate().unwrap();
    ring.add_kek().unwrap();
    let wrapped = ring
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap();
    let error = KeyRing::generate()
        .unwrap()
        .unwrap_file_key(&wrapped, PURPOSE, CONTEXT)
        .unwrap_err();
    assert!(matches!(error, CryptoError::UnknownKek { id } if id == KekId::new(2)));
}

#[test]
fn a_tampered_byte_anywhere_in_a_wrapped_file_key_is_rejected() {
    let ring = KeyRing::generate().unwrap();
    let wrapped = ring
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap();
    for index in 0..WrappedFileKey::LEN {
        let mut bytes = *wrapped.as_bytes();
        bytes[index] ^= 0x01;
        let unwrapped = WrappedFileKey::from_bytes(&bytes)
            .and_then(|w| ring.unwrap_file_key(&w, PURPOSE, CONTEXT));
        assert!(unwrapped.is_err(), "byte {index} was not protected");
    }
}

#[test]
fn malformed_wrapped_file_keys_are_refused_before_unwrapping() {
    let ring = KeyRing::generate().unwrap();
    let mut wrong_version = *ring
        .wrap_file_key(&FileKey::generate().unwrap(), PURPOSE, CONTEXT)
        .unwrap()
        .as_bytes();
    wrong_version[0] = 2;
    for bytes in [&[][..], &[1; 76], &[1; 78], &wrong_version] {
        assert!(matches!(
            WrappedFileKey::from_bytes(bytes),
            Err(CryptoError::MalformedFileKey { .. })
        ));
    }
}

#[test]
fn debug_output_never_shows_a_file_keys_bytes() {
    let key = FileKey::generate().unwrap();
    assert_eq!(format!("{key:?}"), "FileKey([REDACTED])");
    let wrapped = KeyRing::generate()
        .unwrap()
        .wrap_file_key(&key, PURPOSE, CONTEXT)
        .unwrap();
    assert_eq!(
        format!("{wrapped:?}"),
        "WrappedFileKey { kek_id: KekId(1), .. }"
    );
}

#[test]
fn a_file_key_wrapped_by_format_version_1_still_unwraps() {
    // Fixed vector: KEK 1 = 32 × 0x09 wrapping a file key of 32 × 0x07 with nonce 00 01 … 17, for
    // PURPOSE and CONTEXT; made by an independent implementation (Python: HChaCha20 + RFC 8439
    // ChaCha20-Poly1305). If this fails, backups would no longer open: change the format version.
    let kek = crate::kek::KeyEncryptionKey::new(
        KekId::FIRST,
        "2026-05-01T10:00:00Z".to_owned(),
        SecretKey::init_with_mut(|k| k.fill(9)),
    );
    let ring = KeyRing::from_sorted(vec![kek]).unwrap();
    let stored = hex(
        "0100000001000102030405060708090a0b0c0d0e0f10111213141516175840576c05b1491560ae60f9f120\
         4085c71460f04a7f40fc05cfb586361bd115c13ba825e6853850cdcce6e5d3cc5a71",
    );
    let wrapped = WrappedFileKey::from_bytes(&stored).unwrap();
    let unwrapped = ring.unwrap_file_key(&wrapped, PURPOSE, CONTEXT).unwrap();
    assert_eq!(unwrapped.expose_secret(), &[7; 32]);
}
