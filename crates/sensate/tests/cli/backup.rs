//! `sensate backup` and `sensate restore`: a round trip gives the same database, a cut,
//! changed or wrong-key backup is refused without touching the data directory, and an
//! existing database is replaced only when asked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use sensate::settings::{Flags, Settings};
use sensate_audit::{Action, Actor, AuditEvent, ObjectType, Outcome};
use sensate_store::Schema;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row};
use tempfile::TempDir;

use crate::support::{data_dir, run, set_mode, stderr, stdout};

/// The actions of the audit rows every seeded data directory holds, in order.
pub const AUDITED: [Action; 5] = [
    Action::Read,
    Action::List,
    Action::Update,
    Action::Export,
    Action::Read,
];

pub fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn settings(dir: &Path) -> Settings {
    Settings::resolve(
        Flags {
            data_dir: Some(dir.to_owned()),
            ..Flags::default()
        },
        &|_| None,
    )
    .unwrap()
}

/// One audit row, as Sensate itself would record it.
fn event(action: Action) -> AuditEvent {
    AuditEvent::new(
        Actor::System,
        action,
        ObjectType::from_static("practice"),
        Outcome::Allowed,
    )
}

/// A data directory holding the demo practice (seeded as `sensate demo` seeds it) and
/// the audit rows in [`AUDITED`], with its key file in the default place. Seeded once,
/// as seeding hashes passwords; each test gets its own copy.
pub fn seeded_data_dir() -> TempDir {
    static SEEDED: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    let (database, keys) = SEEDED.get_or_init(|| {
        let dir = data_dir();
        let settings = settings(dir.path());
        runtime().block_on(async {
            let store = sensate::demo::prepare(&settings.database).await.unwrap();
            let app = sensate::keys::open_app(&settings, store.clone())
                .await
                .unwrap();
            sensate::demo::seed(&app).await.unwrap();
            for action in AUDITED {
                store
                    .record(
                        app.vault().audit_chain(),
                        event(action),
                        sensate_domain::clock::now(),
                    )
                    .await
                    .unwrap();
            }
            store.close().await;
        });
        // Closing checkpointed the WAL: the database is one file.
        assert!(!dir.path().join("sensate.db-wal").exists());
        (
            std::fs::read(dir.path().join("sensate.db")).unwrap(),
            std::fs::read(key_file(dir.path())).unwrap(),
        )
    });
    let copy = data_dir();
    write_private(&copy.path().join("sensate.db"), database);
    std::fs::create_dir(copy.path().join("keys")).unwrap();
    set_mode(&copy.path().join("keys"), 0o700);
    write_private(&key_file(copy.path()), keys);
    copy
}

fn write_private(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    set_mode(path, 0o600);
}

/// Every table's schema and rows, as SQLite literals, in a stable order.
pub fn logical_content(database: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    runtime().block_on(async {
        let mut connection = SqliteConnectOptions::new()
            .filename(database)
            .connect()
            .await
            .unwrap();
        let mut content = BTreeMap::new();
        let schema: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap();
        content.insert(
            "sqlite_master".to_owned(),
            schema
                .iter()
                .map(|(kind, name, table, sql)| {
                    vec![
                        kind.clone(),
                        name.clone(),
                        table.clone(),
                        sql.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        );
        for (_, table, _, _) in schema.iter().filter(|row| row.0 == "table") {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                    .bind(table)
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
            let quoted = columns
                .iter()
                .map(|column| format!("quote(\"{column}\")"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut rows: Vec<Vec<String>> = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {quoted} FROM \"{table}\""
            )))
            .fetch_all(&mut connection)
            .await
            .unwrap()
            .iter()
            .map(|row| {
                (0..columns.len())
                    .map(|i| row.get::<String, _>(i))
                    .collect()
            })
            .collect();
            rows.sort();
            content.insert(table.clone(), rows);
        }
        content
    })
}

/// Takes a backup of `dir`'s database into a new file in its own folder.
pub fn back_up(dir: &Path) -> (TempDir, PathBuf) {
    let folder = data_dir();
    let file = folder.path().join("practice.sbk");
    let output = run(&["backup", "--data-dir", path(dir), "--output", path(&file)]);
    assert!(output.status.success(), "{}", stderr(&output));
    (folder, file)
}

fn restore(target: &Path, key_file: &Path, input: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "restore",
        "--data-dir",
        path(target),
        "--key-file",
        path(key_file),
        "--input",
        path(input),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

pub fn key_file(dir: &Path) -> PathBuf {
    dir.join("keys").join("sensate.key")
}

/// The names in a folder, to show it was left as it was.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_backup_restores_into_a_new_data_dir_with_identical_content() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    assert_eq!(mode(&backup), 0o600);
    assert!(
        !entries(source.path())
            .iter()
            .any(|e| e.starts_with(".sensate")),
        "no temporary copy is left behind: {:?}",
        entries(source.path())
    );

    let target = data_dir();
    let output = restore(target.path(), &key_file(source.path()), &backup, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(entries(target.path()), ["sensate.db"]);
    assert_eq!(mode(&target.path().join("sensate.db")), 0o600);

    let before = logical_content(&source.path().join("sensate.db"));
    let after = logical_content(&target.path().join("sensate.db"));
    let rows = before["audit_event"].len();
    assert!(before["practice"].len() == 1 && rows >= AUDITED.len());
    assert_eq!(before, after);
    assert!(
        stdout(&output).contains(&format!("({rows} row(s))")),
        "{}",
        stdout(&output)
    );

    let verify = run(&[
        "audit",
        "verify",
        "--data-dir",
        path(target.path()),
        "--key-file",
        path(&key_file(source.path())),
    ]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

#[test]
fn the_backup_says_the_key_file_is_not_in_it() {
    let source = seeded_data_dir();
    let folder = data_dir();
    let file = folder.path().join("practice.sbk");
    let output = run(&[
        "backup",
        "--data-dir",
        path(source.path()),
        "--output",
        path(&file),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("key 1"), "{said}");
    assert!(said.contains("NOT in the backup"), "{said}");
    assert!(said.contains("cannot be restored without it"), "{said}");
}

#[test]
fn the_backup_holds_no_plain_database_and_no_practice_data_in_the_clear() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let bytes = std::fs::read(&backup).unwrap();
    let database = std::fs::read(source.path().join("sensate.db")).unwrap();
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    assert!(contains(&database, b"SQLite format 3"));
    assert!(!contains(&bytes, b"SQLite format 3"));
    // The practice's name is a plain column in the database, and nowhere in the backup.
    assert!(contains(&database, sensate::demo::PRACTICE_NAME.as_bytes()));
    assert!(!contains(&bytes, sensate::demo::PRACTICE_NAME.as_bytes()));
}

/// Restores `backup` into a fresh, empty data directory and expects a refusal saying
/// `expected`, with the directory left empty.
fn assert_refused(key_file: &Path, backup: &Path, expected: &str) {
    let target = data_dir();
    let output = restore(target.path(), key_file, backup, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("cannot restore from {}", backup.display())),
        "{message}"
    );
    assert!(message.contains(expected), "{message}");
    assert!(
        entries(target.path()).is_empty(),
        "the data directory is untouched: {:?}",
        entries(target.path())
    );
}

#[test]
fn a_truncated_backup_is_refused_and_leaves_the_data_dir_untouched() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let bytes = std::fs::read(&backup).unwrap();
    std::fs::write(&backup, &bytes[..bytes.len() - 1000]).unwrap();
    assert_refused(&key_file(source.path()), &backup, "ends early");
}

#[test]
fn a_backup_with_one_changed_byte_is_refused_and_leaves_the_data_dir_untouched() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&backup, &bytes).unwrap();
    assert_refused(&key_file(source.path()), &backup, "changed or damaged");
}

#[test]
fn a_backup_is_refused_with_another_installations_key_file() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let other = data_dir();
    let other_key = other.path().join("other.key");
    sensate_crypto::KeyFile::open_or_create(&other_key).unwrap();
    assert_refused(&other_key, &backup, "another installation");
}

#[test]
fn a_restore_without_the_key_file_says_which_file_it_needs() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let target = data_dir();
    let output = run(&[
        "restore",
        "--data-dir",
        path(target.path()),
        "--input",
        path(&backup),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("no key file"), "{message}");
    assert!(message.contains("--key-file"), "{message}");
    assert!(entries(target.path()).is_empty());
}

#[test]
fn a_backup_made_before_a_rotation_needs_the_key_file_from_before_it() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let output = run(&["rotate-key", "--data-dir", path(source.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The rotation retired key 1, which the backup was made under.
    assert_refused(&key_file(source.path()), &backup, "does not hold key 1");
}

#[test]
fn restoring_over_an_existing_database_is_refused_without_replace() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let database = source.path().join("sensate.db");
    let before = std::fs::read(&database).unwrap();
    let listing = entries(source.path());

    let output = restore(source.path(), &key_file(source.path()), &backup, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("--replace"), "{message}");
    assert!(message.contains("stop the server"), "{message}");
    assert_eq!(std::fs::read(&database).unwrap(), before);
    assert_eq!(entries(source.path()), listing);
}

#[test]
fn replace_keeps_the_old_database_beside_the_restored_one() {
    let source = seeded_data_dir();
    let (_folder, backup) = back_up(source.path());
    let backed_up = logical_content(&source.path().join("sensate.db"));

    // The database moves on after the backup: another practice joins.
    runtime().block_on(async {
        use sensate_store::Practices;
        let store = sensate_store_sqlite::SqliteStore::open(&source.path().join("sensate.db"))
            .await
            .unwrap();
        let later = sensate_domain::Practice::new(
            sensate_domain::PracticeName::parse("A Later Practice").unwrap(),
            false,
        );
        store.create_practice(&later, &[7; 81]).await.unwrap();
        store.close().await;
    });
    let moved_on = logical_content(&source.path().join("sensate.db"));
    assert_ne!(moved_on, backed_up);

    let output = restore(
        source.path(),
        &key_file(source.path()),
        &backup,
        &["--replace"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        logical_content(&source.path().join("sensate.db")),
        backed_up
    );
    let kept: Vec<String> = entries(source.path())
        .into_iter()
        .filter(|name| name.starts_with("sensate.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", entries(source.path()));
    assert!(stdout(&output).contains(&kept[0]), "{}", stdout(&output));
    assert_eq!(logical_content(&source.path().join(&kept[0])), moved_on);
    assert!(
        !entries(source.path())
            .iter()
            .any(|e| e.starts_with(".sensate"))
    );
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let source = seeded_data_dir();
    let folder = data_dir();
    let file = folder.path().join("practice.sbk");
    std::fs::write(&file, b"last week's backup").unwrap();
    let output = run(&[
        "backup",
        "--data-dir",
        path(source.path()),
        "--output",
        path(&file),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"last week's backup");
    assert_eq!(entries(folder.path()), ["practice.sbk"]);
}

#[test]
fn a_backup_is_taken_consistently_while_the_database_is_being_written() {
    let source = seeded_data_dir();
    let settings = settings(source.path());
    let runtime = runtime();
    let stop = Arc::new(AtomicBool::new(false));
    // A server's worth of activity: audit rows appended, each with its head, as fast as
    // the database takes them.
    let writer = runtime.spawn({
        let stop = stop.clone();
        let settings = settings.clone();
        async move {
            let store = sensate::database::open(&settings.database).await.unwrap();
            let app = sensate::keys::open_app(&settings, store.clone())
                .await
                .unwrap();
            let mut written = 0;
            while !stop.load(Ordering::Relaxed) {
                store
                    .record(
                        app.vault().audit_chain(),
                        event(Action::Read),
                        sensate_domain::clock::now(),
                    )
                    .await
                    .unwrap();
                written += 1;
            }
            store.close().await;
            written
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (_folder, backup) = back_up(source.path());
    stop.store(true, Ordering::Relaxed);
    let written = runtime.block_on(writer).unwrap();
    assert!(written > 0);

    // The restore verifies the audit chain against its head: a copy torn between them
    // would be refused.
    let target = data_dir();
    let output = restore(target.path(), &key_file(source.path()), &backup, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let restored = logical_content(&target.path().join("sensate.db"))["audit_event"].len();
    let now = logical_content(&source.path().join("sensate.db"))["audit_event"].len();
    assert!(
        restored >= AUDITED.len() && restored <= now,
        "{restored} of {now}"
    );
}

#[test]
fn a_restore_refuses_a_database_whose_audit_trail_was_tampered_with() {
    let source = seeded_data_dir();
    crate::audit::tamper(source.path(), crate::audit::EDIT_ROW_2);
    let (_folder, backup) = back_up(source.path());
    assert_refused(&key_file(source.path()), &backup, "first bad row: 2");
}

#[test]
fn postgres_deployments_are_told_to_use_postgres_tools() {
    let folder = data_dir();
    let url = "postgres://sensate@127.0.0.1/sensate";
    let file = folder.path().join("practice.sbk");
    let backup = run(&[
        "backup",
        "--data-dir",
        path(folder.path()),
        "--database-url",
        url,
        "--output",
        path(&file),
    ]);
    assert_eq!(backup.status.code(), Some(2));
    assert!(stderr(&backup).contains("pg_dump"), "{}", stderr(&backup));
    assert!(
        stderr(&backup).contains("pg_basebackup"),
        "{}",
        stderr(&backup)
    );
    let restore = run(&[
        "restore",
        "--data-dir",
        path(folder.path()),
        "--database-url",
        url,
        "--input",
        path(&file),
    ]);
    assert_eq!(restore.status.code(), Some(2));
    assert!(
        stderr(&restore).contains("pg_restore"),
        "{}",
        stderr(&restore)
    );
    assert!(!file.exists());
}

#[test]
fn backup_and_restore_have_help_and_need_their_file() {
    let backup_help = stdout(&run(&["backup", "--help"]));
    for flag in ["--output", "--data-dir", "--key-file", "--database-url"] {
        assert!(backup_help.contains(flag), "backup --help mentions {flag}");
    }
    let restore_help = stdout(&run(&["restore", "--help"]));
    for flag in ["--input", "--replace", "--data-dir", "--key-file"] {
        assert!(
            restore_help.contains(flag),
            "restore --help mentions {flag}"
        );
    }
    assert_eq!(run(&["backup"]).status.code(), Some(2));
    assert_eq!(run(&["restore"]).status.code(), Some(2));
}
