//! `SqliteStore::snapshot_to`: a consistent copy taken while writes go on.

#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sensate_domain::{Practice, PracticeName};
use sensate_store::{Practices, Schema};
use sensate_store_sqlite::SqliteStore;
use sensate_store_sqlite::testing::TestDatabase;

fn practice(n: usize) -> Practice {
    Practice::new(
        PracticeName::parse(&format!("Practice number {n}")).unwrap(),
        false,
    )
}

async fn names(store: &SqliteStore) -> BTreeSet<String> {
    store
        .practices()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.display_name.as_str().to_owned())
        .collect()
}

fn private_dir(parent: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::DirBuilderExt;
    let dir = parent.join("snapshots");
    std::fs::DirBuilder::new().mode(0o700).create(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_snapshot_taken_while_writes_continue_is_consistent_and_opens_with_the_same_rows() {
    let db = TestDatabase::fresh().await.unwrap();
    for n in 0..200 {
        db.create_practice(&practice(n), &[7; 81]).await.unwrap();
    }
    let snapshots = private_dir(db.dir());

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let store = db.store();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut n = 200;
            while !stop.load(Ordering::Relaxed) {
                store.create_practice(&practice(n), &[7; 81]).await.unwrap();
                n += 1;
            }
            n
        })
    };
    // Let the writer get going, so the copy overlaps its transactions.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let during = snapshots.join("during.db");
    db.snapshot_to(&during).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 200, "the writer wrote while the snapshot ran");

    let copy = SqliteStore::open(&during).await.unwrap();
    copy.check_integrity().await.unwrap();
    let in_copy = names(&copy).await;
    let live = names(&db).await;
    copy.close().await;
    assert!(in_copy.len() >= 200, "the copy holds every earlier row");
    assert!(
        in_copy.is_subset(&live),
        "the copy holds only committed rows"
    );
    // Committed in order, so a consistent copy holds a prefix: rows 0..k, no gaps.
    let expected: BTreeSet<String> = (0..in_copy.len())
        .map(|n| practice(n).display_name.as_str().to_owned())
        .collect();
    assert_eq!(in_copy, expected, "the copy is one moment of the database");

    // Once writes stop, a copy holds exactly what the database holds.
    let after = snapshots.join("after.db");
    db.snapshot_to(&after).await.unwrap();
    let copy = SqliteStore::open(&after).await.unwrap();
    assert_eq!(
        copy.practices().await.unwrap(),
        db.practices().await.unwrap()
    );
    copy.close().await;
}

#[tokio::test]
async fn a_snapshot_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDatabase::fresh().await.unwrap();
    let path = private_dir(db.dir()).join("copy.db");
    db.snapshot_to(&path).await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let header = std::fs::read(&path).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"));
}

#[tokio::test]
async fn a_snapshot_never_overwrites_a_file() {
    let db = TestDatabase::fresh().await.unwrap();
    let path = private_dir(db.dir()).join("taken.db");
    std::fs::write(&path, b"someone else's file").unwrap();
    assert!(db.snapshot_to(&path).await.is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"someone else's file");
}

#[tokio::test]
async fn a_path_with_a_quote_or_a_uri_prefix_is_taken_literally() {
    let db = TestDatabase::fresh().await.unwrap();
    let dir = private_dir(db.dir());
    // A quote and a `file:` prefix are only characters of a file name here.
    let odd = dir.join("file:it's.db");
    db.snapshot_to(&odd).await.unwrap();
    assert!(odd.is_file());
    let copy = SqliteStore::open(&odd).await.unwrap();
    copy.check_integrity().await.unwrap();
    copy.close().await;
}

#[tokio::test]
async fn a_path_holding_a_nul_byte_is_refused() {
    let db = TestDatabase::fresh().await.unwrap();
    let dir = private_dir(db.dir());
    let error = db.snapshot_to(&dir.join("copy\0.db")).await.unwrap_err();
    assert!(error.to_string().contains("NUL"), "{error}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[tokio::test]
async fn an_intact_database_passes_the_integrity_check() {
    let db = TestDatabase::fresh().await.unwrap();
    db.create_practice(&practice(1), &[7; 81]).await.unwrap();
    db.check_integrity().await.unwrap();
}
