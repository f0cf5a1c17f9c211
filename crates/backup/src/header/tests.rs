use sensate_crypto::secrecy::ExposeSecret;
use tempfile::TempDir;
use time::macros::datetime;

use super::*;

struct Keys {
    _dir: TempDir,
    file: KeyFile,
}

fn keys() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let file = KeyFile::open_or_create(dir.path().join("sensate.key")).unwrap();
    Keys { _dir: dir, file }
}

fn meta() -> BackupMeta {
    BackupMeta::new(
        datetime!(2026-05-01 10:00:00.000_001 UTC),
        Backend::Sqlite,
        "sensate 0.1.0",
        70_000,
    )
    .unwrap()
}

fn header_bytes(keys: &Keys) -> [u8; HEADER_LEN] {
    BackupHeader::create(&meta(), &keys.file).unwrap().1.bytes
}

/// `bytes` with its checksum recomputed, as someone changing a header on purpose would.
fn resummed(mut bytes: [u8; HEADER_LEN]) -> [u8; HEADER_LEN] {
    let checksum = checksum_of(&bytes[..CHECKSUM_AT]);
    bytes[CHECKSUM_AT..].copy_from_slice(&checksum);
    bytes
}

#[test]
fn a_written_header_reads_back_the_same() {
    let keys = keys();
    let (key, written) = BackupHeader::create(&meta(), &keys.file).unwrap();
    let read = read_header(written.as_bytes()).unwrap();
    assert_eq!(read, written);
    assert_eq!(read.meta(), &meta());
    assert_eq!(read.kek_id(), KekId::FIRST);
    assert_eq!(read.format_version(), 1);
    assert_eq!(read.backup_len(), 204 + 70_000 + 2 * 16);
    let unwrapped = read.unwrap_key(&keys.file).unwrap();
    assert_eq!(unwrapped.expose_secret(), key.expose_secret());
}

#[test]
fn the_fields_sit_at_the_offsets_the_format_documents() {
    let keys = keys();
    let bytes = header_bytes(&keys);
    assert_eq!(&bytes[..16], b"SENSATE-BACKUP\0\x01");
    assert_eq!(&bytes[16..20], &204u32.to_be_bytes());
    assert_eq!(&bytes[20..28], &1_777_629_600_000_001i64.to_be_bytes());
    assert_eq!(&bytes[28..36], &70_000u64.to_be_bytes());
    assert_eq!(&bytes[36..44], b"sqlite\0\0");
    assert_eq!(&bytes[44..57], b"sensate 0.1.0");
    assert!(bytes[57..76].iter().all(|&byte| byte == 0));
    assert_eq!(bytes[95], 1, "the wrapped key's format");
    assert_eq!(&bytes[96..100], &1u32.to_be_bytes(), "the KEK id");
    assert_eq!(&bytes[172..], Sha256::digest(&bytes[..172]).as_slice());
}

#[test]
fn two_headers_for_the_same_snapshot_differ_in_nonce_prefix_and_key() {
    let keys = keys();
    let (first, second) = (header_bytes(&keys), header_bytes(&keys));
    assert_ne!(first[76..95], second[76..95]);
    assert_ne!(first[95..172], second[95..172]);
}

#[test]
fn a_changed_byte_anywhere_after_the_magic_reads_as_altered() {
    let keys = keys();
    let bytes = header_bytes(&keys);
    for index in 0..HEADER_LEN {
        let mut changed = bytes;
        changed[index] ^= 0x20;
        let expected = if index < MAGIC.len() {
            "NotABackup"
        } else {
            "Altered"
        };
        let error = read_header(changed.as_slice()).unwrap_err();
        assert!(
            format!("{error:?}").starts_with(expected),
            "byte {index}: {error:?}"
        );
    }
}

#[test]
fn a_header_cut_off_anywhere_reads_as_truncated_and_an_empty_file_as_empty() {
    let keys = keys();
    let bytes = header_bytes(&keys);
    assert!(matches!(read_header(&[][..]), Err(BackupError::Empty)));
    for len in 1..HEADER_LEN {
        assert!(
            matches!(read_header(&bytes[..len]), Err(BackupError::Truncated)),
            "cut at {len}"
        );
    }
}

#[test]
fn a_file_that_starts_otherwise_is_not_a_backup() {
    for start in [&b"SQLite format 3\0"[..], b"SENSATE-BACKUQ", b"\0"] {
        assert!(
            matches!(read_header(start), Err(BackupError::NotABackup)),
            "{start:?}"
        );
    }
}

#[test]
fn a_whole_header_of_a_newer_version_is_reported_as_such() {
    let keys = keys();
    let mut bytes = header_bytes(&keys);
    bytes[15] = 2;
    let error = read_header(resummed(bytes).as_slice()).unwrap_err();
    assert!(matches!(
        error,
        BackupError::UnsupportedVersion { version: 2 }
    ));
    assert!(error.to_string().contains("format version 2"), "{error}");
}

#[test]
fn a_newer_version_with_a_longer_header_is_read_to_its_end_before_judging() {
    let mut header = b"SENSATE-BACKUP\0\x07".to_vec();
    header.extend_from_slice(&(20u32 + 500 + 32).to_be_bytes());
    header.extend_from_slice(&[0xEE; 500]);
    let checksum = Sha256::digest(&header);
    header.extend_from_slice(&checksum);
    assert!(matches!(
        read_header(header.as_slice()),
        Err(BackupError::UnsupportedVersion { version: 7 })
    ));
    assert!(matches!(
        read_header(&header[..header.len() - 1]),
        Err(BackupError::Truncated)
    ));
    let mut huge = header[..16].to_vec();
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        read_header(huge.as_slice()),
        Err(BackupError::Altered)
    ));
}

#[test]
fn a_backend_this_version_does_not_know_is_named() {
    let keys = keys();
    let mut bytes = header_bytes(&keys);
    bytes[36..44].copy_from_slice(b"postgres");
    let error = read_header(resummed(bytes).as_slice()).unwrap_err();
    assert!(
        matches!(&error, BackupError::UnsupportedBackend { name } if name == "postgres"),
        "{error:?}"
    );
}

#[test]
fn text_fields_no_writer_makes_are_refused_even_with_a_matching_checksum() {
    let keys = keys();
    let bytes = header_bytes(&keys);
    let edits: [(usize, &[u8]); 5] = [
        (44, b"\x1b[31m"),             // a terminal escape in the producer
        (44, b"\0"),                   // an empty producer
        (60, b"x"),                    // text after the producer's padding began
        (36, b"\0\0\0\0\0\0\0\0"),     // an empty backend
        (28, &u64::MAX.to_be_bytes()), // a length no backup can have
    ];
    for (at, edit) in edits {
        let mut changed = bytes;
        changed[at..at + edit.len()].copy_from_slice(edit);
        assert!(
            matches!(
                read_header(resummed(changed).as_slice()),
                Err(BackupError::Altered)
            ),
            "{edit:?} at {at}"
        );
    }
}

#[test]
fn a_header_edited_with_its_checksum_recomputed_does_not_unwrap() {
    let keys = keys();
    let mut bytes = header_bytes(&keys);
    bytes[28..36].copy_from_slice(&1u64.to_be_bytes());
    let header = read_header(resummed(bytes).as_slice()).unwrap();
    assert!(matches!(
        header.unwrap_key(&keys.file),
        Err(BackupError::WrongKey { .. })
    ));
}

#[test]
fn reading_a_header_leaves_the_input_just_after_it() {
    let keys = keys();
    let mut file = header_bytes(&keys).to_vec();
    file.extend_from_slice(b"body");
    let mut input = file.as_slice();
    read_header(&mut input).unwrap();
    assert_eq!(input, b"body");
}

#[test]
fn debug_output_shows_the_description_and_kek_but_not_the_raw_header() {
    let keys = keys();
    let (_, header) = BackupHeader::create(&meta(), &keys.file).unwrap();
    let shown = format!("{header:?}");
    assert!(
        shown.starts_with("BackupHeader { meta: BackupMeta {"),
        "{shown}"
    );
    assert!(shown.contains("kek_id: KekId(1)"), "{shown}");
    assert!(!shown.contains("bytes"), "{shown}");
}
