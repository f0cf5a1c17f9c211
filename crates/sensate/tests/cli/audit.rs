//! `sensate audit verify` names the first bad row of a trail that was edited, cut,
//! added to or reordered; `sensate rotate-key` leaves it verifying.

use std::path::Path;

use sensate_store::{Keys, Schema};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::backup::{key_file, path, runtime, seeded_data_dir};
use crate::support::{run, stderr, stdout};

/// Changes row 2's action to another one.
pub const EDIT_ROW_2: &[&str] = &[
    "UPDATE audit_event SET action = CASE action WHEN 'read' THEN 'list' ELSE 'read' END \
     WHERE seq = 2",
];

/// Runs `statements` straight on the data directory's database, as someone with write
/// access to the file (but not the key file) could.
pub fn tamper(data_dir: &Path, statements: &[&str]) {
    runtime().block_on(async {
        let mut connection = SqliteConnectOptions::new()
            .filename(data_dir.join("sensate.db"))
            .connect()
            .await
            .unwrap();
        for statement in statements {
            let done = sqlx::query(sqlx::AssertSqlSafe(*statement))
                .execute(&mut connection)
                .await
                .unwrap();
            assert!(done.rows_affected() > 0, "{statement} changed nothing");
        }
    });
}

fn verify(data_dir: &Path) -> std::process::Output {
    run(&["audit", "verify", "--data-dir", path(data_dir)])
}

fn row_count(data_dir: &Path) -> usize {
    crate::backup::logical_content(&data_dir.join("sensate.db"))["audit_event"].len()
}

/// Expects `audit verify` to fail and name `row` as the first bad one.
fn assert_first_bad_row(data_dir: &Path, row: usize) {
    let output = verify(data_dir);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(message.contains("does not verify"), "{message}");
    assert!(
        message.contains(&format!("first bad row: {row})")),
        "{message}"
    );
}

#[test]
fn an_untouched_trail_verifies_and_its_rows_are_counted() {
    let dir = seeded_data_dir();
    let rows = row_count(dir.path());
    let output = verify(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(&format!("verifies: {rows} row(s), last row {rows}")),
        "{}",
        stdout(&output)
    );
}

#[test]
fn an_edited_row_is_named() {
    let dir = seeded_data_dir();
    tamper(dir.path(), EDIT_ROW_2);
    assert_first_bad_row(dir.path(), 2);
    assert!(stderr(&verify(dir.path())).contains("row 2"));
}

#[test]
fn a_deleted_row_is_named() {
    let dir = seeded_data_dir();
    tamper(dir.path(), &["DELETE FROM audit_event WHERE seq = 3"]);
    assert_first_bad_row(dir.path(), 3);
}

#[test]
fn an_inserted_row_is_named() {
    let dir = seeded_data_dir();
    let rows = row_count(dir.path());
    // A copy of row 2 placed after the last row, as someone without the key must: its
    // hash cannot match its new place.
    tamper(
        dir.path(),
        &[&format!(
            "INSERT INTO audit_event (seq, recorded_at, actor_kind, actor_id, practice_id, \
             action, object_type, object_id, outcome, request_id, prev_hash, hash) \
             SELECT {}, recorded_at, actor_kind, actor_id, practice_id, action, object_type, \
             object_id, outcome, request_id, (SELECT hash FROM audit_event WHERE seq = {rows}), \
             hash FROM audit_event WHERE seq = 2",
            rows + 1
        )],
    );
    assert_first_bad_row(dir.path(), rows + 1);
}

#[test]
fn two_rows_swapped_are_named() {
    let dir = seeded_data_dir();
    tamper(
        dir.path(),
        &[
            "UPDATE audit_event SET seq = -1 WHERE seq = 2",
            "UPDATE audit_event SET seq = 2 WHERE seq = 3",
            "UPDATE audit_event SET seq = 3 WHERE seq = -1",
        ],
    );
    assert_first_bad_row(dir.path(), 2);
}

#[test]
fn a_trail_cut_short_is_named() {
    let dir = seeded_data_dir();
    let rows = row_count(dir.path());
    tamper(
        dir.path(),
        &[&format!("DELETE FROM audit_event WHERE seq = {rows}")],
    );
    assert_first_bad_row(dir.path(), rows);
}

#[test]
fn rotate_key_re_wraps_every_key_and_retires_the_old_one() {
    let dir = seeded_data_dir();
    let keys = key_file(dir.path());
    let before = sensate_crypto::KeyFile::open(&keys).unwrap().ring().ids();
    assert_eq!(before.len(), 1);
    let key_bytes = std::fs::read(&keys).unwrap();

    let output = run(&["rotate-key", "--data-dir", path(dir.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_ne!(std::fs::read(&keys).unwrap(), key_bytes);
    let after = sensate_crypto::KeyFile::open(&keys).unwrap().ring().ids();
    assert_eq!(after.len(), 1, "the old key was retired");
    assert_ne!(after[0], before[0], "the key file holds a new key");

    let verify = verify(dir.path());
    assert!(verify.status.success(), "{}", stderr(&verify));

    runtime().block_on(async {
        let store = sensate_store_sqlite::SqliteStore::open(&dir.path().join("sensate.db"))
            .await
            .unwrap();
        for row in store.wrapped_keys().await.unwrap() {
            let wrapped = sensate_crypto::WrappedKey::from_bytes(row.wrapped).unwrap();
            assert_eq!(wrapped.kek_id(), after[0]);
        }
        let key_file = sensate_crypto::KeyFile::open(&keys).unwrap();
        sensate_app::Vault::with_key_file(&store, key_file, sensate_domain::clock::now())
            .await
            .expect("the rotated key file opens every key");
        store.close().await;
    });
}
