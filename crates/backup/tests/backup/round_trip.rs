//! A backup restores to exactly the snapshot it was made from, and says what it holds.

use sensate_backup::{Backend, BackupError, read_backup, read_header, write_backup};

use crate::support::{
    CHUNK, HEADER, Keys, TAG, back_up, back_up_with_summary, meta, random_bytes, restore,
};

#[test]
fn snapshots_of_every_awkward_size_restore_to_the_same_bytes() {
    let keys = Keys::new();
    for len in [
        0,
        1,
        CHUNK - 1,
        CHUNK,
        CHUNK + 1,
        2 * CHUNK,
        1024 * 1024 + 17,
    ] {
        let snapshot = random_bytes(len);
        let (backup, summary) = back_up_with_summary(&keys.file, &snapshot);
        let chunks = len.div_ceil(CHUNK).max(1);
        assert_eq!(backup.len(), HEADER + len + chunks * TAG, "size {len}");
        assert_eq!(summary.backup_len, backup.len() as u64);
        assert_eq!(summary.plaintext_len, len as u64);
        assert_eq!(
            restore(&keys.reopened(), &backup).unwrap(),
            snapshot,
            "size {len}"
        );
    }
}

#[test]
fn restoring_returns_the_description_the_backup_was_written_with() {
    let keys = Keys::new();
    let snapshot = random_bytes(100);
    let backup = back_up(&keys.file, &snapshot);
    let mut restored = Vec::new();
    let described = read_backup(backup.as_slice(), &mut restored, &keys.file, |_| {}).unwrap();
    assert_eq!(described, meta(100));
    assert_eq!(described.backend(), Backend::Sqlite);
    assert_eq!(described.producer(), "sensate 0.1.0");
}

#[test]
fn the_header_can_be_read_without_the_key_file() {
    let keys = Keys::new();
    let backup = back_up(&keys.file, &random_bytes(CHUNK + 5));
    let header = read_header(backup.as_slice()).unwrap();
    assert_eq!(header.meta(), &meta(CHUNK + 5));
    assert_eq!(header.kek_id(), keys.file.ring().active_id());
    assert_eq!(header.backup_len(), backup.len() as u64);
}

#[test]
fn progress_is_reported_after_every_chunk_both_ways() {
    let keys = Keys::new();
    let snapshot = random_bytes(2 * CHUNK + 10);
    let expected = vec![CHUNK as u64, 2 * CHUNK as u64, 2 * CHUNK as u64 + 10];

    let mut written = Vec::new();
    let mut backup = Vec::new();
    let meta = meta(snapshot.len());
    write_backup(snapshot.as_slice(), &mut backup, &keys.file, &meta, |n| {
        written.push(n)
    })
    .unwrap();
    assert_eq!(written, expected);

    let mut read = Vec::new();
    read_backup(backup.as_slice(), std::io::sink(), &keys.file, |n| {
        read.push(n)
    })
    .unwrap();
    assert_eq!(read, expected);
}

#[test]
fn an_empty_snapshot_reports_progress_once_with_nothing_written() {
    let keys = Keys::new();
    let mut reported = Vec::new();
    write_backup(&[][..], Vec::new(), &keys.file, &meta(0), |n| {
        reported.push(n)
    })
    .unwrap();
    assert_eq!(reported, vec![0]);
}

#[test]
fn a_backup_is_never_a_plain_database_file_and_never_shows_the_snapshot() {
    let keys = Keys::new();
    let mut snapshot = b"SQLite format 3\0".to_vec();
    snapshot.extend(random_bytes(3 * CHUNK));
    let backup = back_up(&keys.file, &snapshot);
    assert!(backup.starts_with(b"SENSATE-BACKUP\0"));
    assert!(!backup.windows(16).any(|part| part == b"SQLite format 3\0"));
    for start in (0..snapshot.len() - 32).step_by(CHUNK / 3) {
        let piece = &snapshot[start..start + 32];
        assert!(
            !backup.windows(32).any(|part| part == piece),
            "the snapshot's bytes at {start} are in the backup"
        );
    }
}

#[test]
fn the_same_snapshot_backed_up_twice_gives_unrelated_files() {
    let keys = Keys::new();
    let snapshot = vec![0u8; 1000];
    let (first, second) = (
        back_up(&keys.file, &snapshot),
        back_up(&keys.file, &snapshot),
    );
    let same = first.iter().zip(&second).filter(|(a, b)| a == b).count();
    assert!(same < 100, "{same} bytes agree");
}

#[test]
fn a_snapshot_shorter_than_declared_is_refused_and_leaves_no_backup_that_restores() {
    let keys = Keys::new();
    let snapshot = random_bytes(CHUNK + 10);
    let mut backup = Vec::new();
    let declared = meta(CHUNK + 11);
    let error = write_backup(
        snapshot.as_slice(),
        &mut backup,
        &keys.file,
        &declared,
        |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(error, BackupError::SnapshotChanged { declared: 65_547 }),
        "{error:?}"
    );
    assert!(matches!(
        restore(&keys.file, &backup),
        Err(BackupError::Truncated)
    ));
}

#[test]
fn a_snapshot_longer_than_declared_is_refused_before_its_last_chunk_is_written() {
    let keys = Keys::new();
    for (len, declared) in [(CHUNK + 1, CHUNK), (11, 10), (1, 0)] {
        let snapshot = random_bytes(len);
        let mut backup = Vec::new();
        let error = write_backup(
            snapshot.as_slice(),
            &mut backup,
            &keys.file,
            &meta(declared),
            |_| {},
        )
        .unwrap_err();
        assert!(
            matches!(error, BackupError::SnapshotChanged { .. }),
            "{error:?}"
        );
        assert!(matches!(
            restore(&keys.file, &backup),
            Err(BackupError::Truncated)
        ));
    }
}

#[test]
fn a_failing_destination_is_reported_as_such() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let keys = Keys::new();
    let error = write_backup(&[1u8; 10][..], Full, &keys.file, &meta(10), |_| {}).unwrap_err();
    assert!(
        matches!(
            error,
            BackupError::Io {
                action: "write the backup",
                ..
            }
        ),
        "{error:?}"
    );
    let backup = back_up(&keys.file, &[1u8; 10]);
    let error = read_backup(backup.as_slice(), Full, &keys.file, |_| {}).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("could not write the restored database"),
        "{error}"
    );
}
