//! A backup written by an independent implementation of format version 1 still restores.
//!
//! `tests/fixtures/format-v1.backup` and its key file were made by `make_format_v1.py` from
//! `docs/backup.md` alone (Python; HChaCha20 written out, RFC 8439 ChaCha20-Poly1305 from the
//! `cryptography` package). If this test fails, backups already written would no longer restore:
//! change the format version instead of the fixture.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use sensate_backup::{Backend, read_backup, read_header};
use sensate_crypto::{KekId, KeyFile};
use time::macros::datetime;

const BACKUP: &[u8] = include_bytes!("../fixtures/format-v1.backup");
const KEY_FILE: &str = include_str!("../fixtures/format-v1.key");

#[test]
fn a_version_1_backup_made_elsewhere_restores_to_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sensate.key");
    fs::write(&path, KEY_FILE).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let key_file = KeyFile::open(&path).unwrap();

    let header = read_header(BACKUP).unwrap();
    assert_eq!(header.kek_id(), KekId::FIRST);
    assert_eq!(header.backup_len(), BACKUP.len() as u64);

    let mut restored = Vec::new();
    let meta = read_backup(BACKUP, &mut restored, &key_file, |_| {}).unwrap();
    let expected: Vec<u8> = (0..65_536 + 100).map(|i: u32| (i * 7 + 3) as u8).collect();
    assert_eq!(restored, expected);
    assert_eq!(
        meta.created_at(),
        datetime!(2026-05-01 10:00:00.000_001 UTC)
    );
    assert_eq!(meta.backend(), Backend::Sqlite);
    assert_eq!(meta.producer(), "sensate 0.1.0");
    assert_eq!(meta.plaintext_len(), 65_636);
}
