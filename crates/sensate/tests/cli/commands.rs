//! Help, usage errors and refused configurations.

use crate::support::{data_dir, free_port, run, set_mode, stderr, stdout};

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["rotate-key", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["verifier", "add", "--help"],
        vec!["instruments", "import", "--help"],
        vec!["instruments", "list", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["help", "serve"],
    ] {
        let output = run(&args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage:"), "{args:?}");
    }
    let serve_help = stdout(&run(&["serve", "--help"]));
    for flag in [
        "--listen",
        "--data-dir",
        "--database-url",
        "--config",
        "--metrics-listen",
        "SENSATE_LISTEN",
    ] {
        assert!(serve_help.contains(flag), "serve --help mentions {flag}");
    }
}

#[test]
fn usage_errors_exit_with_code_2() {
    for args in [vec![], vec!["serve", "--no-such-flag"], vec!["frobnicate"]] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn plain_http_on_a_public_address_is_refused_with_exit_code_2() {
    let dir = data_dir();
    let output = run(&[
        "serve",
        "--listen",
        "0.0.0.0:8080",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("refusing to serve plain HTTP"),
        "{message}"
    );
    assert!(message.contains("--trusted-proxy"), "{message}");
}

#[test]
fn a_data_dir_readable_by_others_is_refused_with_exit_code_2() {
    let dir = data_dir();
    set_mode(dir.path(), 0o755);
    let output = run(&["migrate", "--data-dir", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("chmod 700"), "{}", stderr(&output));
    assert!(
        !dir.path().join("sensate.db").exists(),
        "nothing was created"
    );
}

#[test]
fn a_misspelt_database_url_is_refused_and_creates_nothing() {
    let dir = data_dir();
    let output = run(&[
        "migrate",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--database-url",
        "postgress://localhost/sensate",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("postgres://"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_remote_postgres_without_tls_is_refused_with_exit_code_2() {
    let output = run(&[
        "migrate",
        "--database-url",
        "postgres://sensate@db.example.org/sensate?sslmode=disable",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("verify-full"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_config_key_is_named() {
    let dir = data_dir();
    let config = dir.path().join("sensate.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:8080\"\ndatabase = \"x\"\n").unwrap();
    let output = run(&["migrate", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("`database`"), "{message}");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = data_dir();
    let output = run(&[
        "serve",
        "--listen",
        &address,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains("already in use"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn migrate_applies_the_migrations_and_reports_them() {
    let dir = data_dir();
    let output = run(&["migrate", "--data-dir", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("0 pending"), "{}", stdout(&output));
    assert!(dir.path().join("sensate.db").exists());
}

#[test]
fn migrate_runs_on_postgres_too() {
    let Some(url) = std::env::var("SENSATE_TEST_DATABASE_URL").ok() else {
        eprintln!(
            "note: SENSATE_TEST_DATABASE_URL is not set; skipping the PostgreSQL run of this test"
        );
        return;
    };
    let dir = data_dir();
    let output = run(&[
        "migrate",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("0 pending"), "{}", stdout(&output));
}

#[test]
fn the_demo_refuses_to_seed_over_a_real_practice() {
    let dir = data_dir();
    let path = dir.path().join("sensate.db");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sensate_store::{Practices, Schema};
        let store = sensate_store_sqlite::SqliteStore::open(&path)
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let real = sensate_domain::Practice::new(
            sensate_domain::PracticeName::parse("A Real Practice").unwrap(),
            false,
        );
        store.create_practice(&real, &[7; 81]).await.unwrap();
        store.close().await;
    });
    let output = run(&[
        "demo",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--listen",
        &format!("127.0.0.1:{}", free_port()),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("A Real Practice"), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
}

#[test]
fn a_key_file_others_can_read_is_refused_with_how_to_fix_it() {
    let dir = data_dir();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    set_mode(&keys, 0o700);
    let key_file = keys.join("sensate.key");
    sensate_crypto::KeyFile::open_or_create(&key_file).unwrap();
    set_mode(&key_file, 0o644);
    let refused = run(&[
        "serve",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--listen",
        &format!("127.0.0.1:{}", free_port()),
    ]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(message.contains("chmod 600"), "{message}");
    assert!(message.contains("sensate.key"), "{message}");
}

#[test]
fn an_operator_adds_a_directory_verifier_with_a_password_shown_once() {
    let dir = data_dir();
    let path = dir.path().to_str().unwrap();
    let added = run(&[
        "verifier",
        "add",
        "--data-dir",
        path,
        "--name",
        "Vera Lind",
        "--email",
        "vera@directory.example",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let out = stdout(&added);
    assert!(out.contains("Temporary password (shown once): "), "{out}");
    let again = run(&[
        "verifier",
        "add",
        "--data-dir",
        path,
        "--name",
        "Vera Lind",
        "--email",
        "vera@directory.example",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already has an account"));
    let bad = run(&[
        "verifier",
        "add",
        "--data-dir",
        path,
        "--name",
        "",
        "--email",
        "not an address",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}
