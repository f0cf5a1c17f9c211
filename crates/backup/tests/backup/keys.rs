//! Which key files open a backup: the one it was made under, before and after rotations, and no other.

use sensate_backup::BackupError;
use sensate_crypto::KekId;

use crate::support::{Keys, back_up, back_up_with_summary, random_bytes, restore};

#[test]
fn another_installations_key_file_is_refused_as_the_wrong_key() {
    let (ours, theirs) = (Keys::new(), Keys::new());
    let backup = back_up(&ours.file, &random_bytes(1000));
    let error = restore(&theirs.file, &backup).unwrap_err();
    assert!(matches!(error, BackupError::WrongKey { kek_id } if kek_id == KekId::FIRST));
    assert!(
        error.to_string().contains("another installation"),
        "{error}"
    );
}

#[test]
fn a_key_file_without_the_backups_kek_names_the_kek_it_needs() {
    let (ours, fresh) = (Keys::new(), Keys::new());
    ours.file.rotate().unwrap();
    let backup = back_up(&ours.file, &random_bytes(1000));
    let error = restore(&fresh.file, &backup).unwrap_err();
    assert!(matches!(error, BackupError::MissingKey { kek_id } if kek_id == KekId::new(2)));
    assert!(
        error.to_string().starts_with(
            "the key file does not hold key 2, which this backup was made under; restore with the \
             key file from when the backup was made"
        ),
        "{error}"
    );
}

#[test]
fn an_old_backup_still_restores_after_a_rotation_while_its_kek_is_kept() {
    let keys = Keys::new();
    let snapshot = random_bytes(100_000);
    let old = back_up(&keys.file, &snapshot);
    keys.file.rotate().unwrap();
    assert_eq!(restore(&keys.reopened(), &old).unwrap(), snapshot);
}

#[test]
fn a_new_backup_is_made_under_the_kek_a_rotation_just_added() {
    let keys = Keys::new();
    let (_, before) = back_up_with_summary(&keys.file, b"before");
    keys.reopened().rotate().unwrap();
    let (after, summary) = back_up_with_summary(&keys.file, b"after");
    assert_eq!(before.kek_id, KekId::FIRST);
    assert_eq!(summary.kek_id, KekId::new(2));
    assert_eq!(restore(&keys.reopened(), &after).unwrap(), b"after");
}

#[test]
fn a_restoring_process_that_has_not_seen_a_rotation_rereads_the_key_file() {
    let keys = Keys::new();
    let restorer = keys.reopened();
    keys.file.rotate().unwrap();
    let backup = back_up(&keys.file, b"made under key 2");
    assert_eq!(restore(&restorer, &backup).unwrap(), b"made under key 2");
}

#[test]
fn once_its_kek_is_retired_an_old_backup_needs_the_old_key_file() {
    let keys = Keys::new();
    let old = back_up(&keys.file, b"made under key 1");
    keys.file.rotate().unwrap();
    keys.file.retire_unreferenced([]).unwrap();
    assert!(matches!(
        restore(&keys.reopened(), &old),
        Err(BackupError::MissingKey { kek_id }) if kek_id == KekId::FIRST
    ));
}

#[test]
fn errors_never_show_the_snapshot() {
    let (ours, theirs) = (Keys::new(), Keys::new());
    let secret = b"Client reports progress with sensate focus exercises.";
    let mut backup = back_up(&ours.file, secret);
    let wrong_key = restore(&theirs.file, &backup).unwrap_err();
    let last = backup.len() - 1;
    backup[last] ^= 1;
    let altered = restore(&ours.file, &backup).unwrap_err();
    for error in [wrong_key, altered] {
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("sensate focus"), "{shown}");
        }
    }
}
