use std::collections::HashMap;
use std::io::Write;

use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |key| map.get(key).cloned()
}

fn config_file(contents: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents.as_bytes()).unwrap();
    file
}

fn with_config(file: &tempfile::NamedTempFile) -> Flags {
    Flags {
        config: Some(file.path().to_owned()),
        ..Flags::default()
    }
}

fn refusal(flags: Flags, env: &dyn Fn(&str) -> Option<String>) -> String {
    Settings::resolve(flags, env).unwrap_err().0
}

#[test]
fn with_nothing_given_sensate_listens_on_loopback_with_sqlite_in_the_data_dir() {
    let settings = Settings::resolve(Flags::default(), &no_env).unwrap();
    assert_eq!(settings.listen.to_string(), DEFAULT_LISTEN);
    assert_eq!(settings.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
    assert_eq!(
        settings.database,
        DatabaseUrl::Sqlite(PathBuf::from(DEFAULT_DATA_DIR).join("sensate.db"))
    );
    assert_eq!(settings.metrics_listen, None);
    assert!(!settings.served_over_tls());
    assert_eq!(settings.log_format, LogFormat::Text);
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file() {
    let file = config_file("listen = \"127.0.0.1:7001\"\ndata_dir = \"/tmp/from-file\"\n");
    let env = env_of(&[
        ("SENSATE_LISTEN", "127.0.0.1:7002"),
        ("SENSATE_DATA_DIR", "/tmp/from-env"),
    ]);
    let flags = Flags {
        listen: Some("127.0.0.1:7003".into()),
        ..with_config(&file)
    };
    let settings = Settings::resolve(flags, &env).unwrap();
    assert_eq!(settings.listen.port(), 7003, "flag wins");
    assert_eq!(
        settings.data_dir,
        PathBuf::from("/tmp/from-env"),
        "env beats file"
    );

    let settings = Settings::resolve(with_config(&file), &no_env).unwrap();
    assert_eq!(settings.listen.port(), 7001, "file beats default");
}

#[test]
fn the_config_file_can_come_from_the_environment() {
    let file = config_file("listen = \"127.0.0.1:7010\"\n");
    let path = file.path().to_string_lossy().into_owned();
    let env = env_of(&[("SENSATE_CONFIG", &path)]);
    let settings = Settings::resolve(Flags::default(), &env).unwrap();
    assert_eq!(settings.listen.port(), 7010);
}

#[test]
fn the_database_defaults_into_the_chosen_data_dir() {
    let flags = Flags {
        data_dir: Some("/srv/sensate".into()),
        ..Flags::default()
    };
    let settings = Settings::resolve(flags, &no_env).unwrap();
    assert_eq!(
        settings.database,
        DatabaseUrl::Sqlite("/srv/sensate/sensate.db".into())
    );
}

#[test]
fn an_unknown_config_key_is_named() {
    let file = config_file("listen = \"127.0.0.1:8080\"\nlisten_adress = \"x\"\n");
    let message = refusal(with_config(&file), &no_env);
    assert!(message.contains("listen_adress"), "{message}");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn a_config_value_of_the_wrong_type_names_its_key() {
    let file = config_file("data_dir = 42\n");
    let message = refusal(with_config(&file), &no_env);
    assert!(
        message.contains("data_dir") || message.contains("line 1"),
        "{message}"
    );
}

#[test]
fn a_malformed_address_names_where_it_came_from() {
    let file = config_file("listen = \"localhost\"\n");
    let message = refusal(with_config(&file), &no_env);
    assert!(message.contains("`listen` key"), "{message}");
    assert!(message.contains("localhost"), "{message}");

    let message = refusal(Flags::default(), &env_of(&[("SENSATE_LISTEN", "eighty")]));
    assert!(message.contains("SENSATE_LISTEN"), "{message}");
}

#[test]
fn a_missing_config_file_is_named() {
    let flags = Flags {
        config: Some("/nonexistent/sensate.toml".into()),
        ..Flags::default()
    };
    let message = refusal(flags, &no_env);
    assert!(message.contains("/nonexistent/sensate.toml"), "{message}");
}

#[test]
fn a_misspelt_database_scheme_is_refused_naming_its_source() {
    let env = env_of(&[("SENSATE_DATABASE_URL", "postgress://db/sensate")]);
    let message = refusal(Flags::default(), &env);
    assert!(message.contains("SENSATE_DATABASE_URL"), "{message}");
    assert!(message.contains("postgress"), "{message}");
}

#[test]
fn plain_http_on_a_public_address_is_refused_with_the_ways_to_fix_it() {
    let flags = Flags {
        listen: Some("0.0.0.0:8080".into()),
        ..Flags::default()
    };
    let message = refusal(flags, &no_env);
    assert!(message.contains("--tls-cert"), "{message}");
    assert!(message.contains("--trusted-proxy"), "{message}");
    assert!(message.contains("--listen 127.0.0.1:8080"), "{message}");
}

#[test]
fn a_public_address_behind_a_named_proxy_is_accepted_and_counts_as_tls() {
    let flags = Flags {
        listen: Some("0.0.0.0:8080".into()),
        trusted_proxies: vec!["10.0.0.2".into()],
        ..Flags::default()
    };
    let settings = Settings::resolve(flags, &no_env).unwrap();
    assert!(settings.served_over_tls());
}

#[test]
fn a_proxy_must_be_named_by_address() {
    let flags = Flags {
        trusted_proxies: vec!["the-proxy".into()],
        ..Flags::default()
    };
    assert!(refusal(flags, &no_env).contains("the-proxy"));
}

#[test]
fn metrics_on_a_public_address_are_refused() {
    let flags = Flags {
        metrics_listen: Some("0.0.0.0:9464".into()),
        ..Flags::default()
    };
    assert!(refusal(flags, &no_env).contains("loopback"));
}

#[test]
fn a_remote_postgres_without_verified_tls_is_refused() {
    let flags = Flags {
        database_url: Some("postgres://sensate@db.example.org/sensate?sslmode=require".into()),
        ..Flags::default()
    };
    let message = refusal(flags, &no_env);
    assert!(message.contains("sslmode=verify-full"), "{message}");
}

#[test]
fn half_a_tls_configuration_is_refused() {
    let flags = Flags {
        tls_cert: Some("/etc/cert.pem".into()),
        ..Flags::default()
    };
    assert!(refusal(flags, &no_env).contains("both"));
}

#[test]
fn a_tls_key_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let cert = config_file("cert");
    let key = config_file("key");
    std::fs::set_permissions(key.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let flags = Flags {
        tls_cert: Some(cert.path().to_owned()),
        tls_key: Some(key.path().to_owned()),
        ..Flags::default()
    };
    assert!(refusal(flags, &no_env).contains("chmod 600"));
}

#[test]
fn an_unknown_log_format_is_refused() {
    let flags = Flags {
        log_format: Some("xml".into()),
        ..Flags::default()
    };
    assert!(refusal(flags, &no_env).contains("`text` or `json`"));
}

#[test]
fn a_new_data_dir_is_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    prepare_data_dir(&dir).unwrap();
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn a_data_dir_readable_by_others_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let message = prepare_data_dir(dir.path()).unwrap_err().0;
    assert!(message.contains("chmod 700"), "{message}");
}

#[test]
fn the_example_config_in_the_repository_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sensate.example.toml");
    let flags = Flags {
        config: Some(path.into()),
        ..Flags::default()
    };
    let settings = Settings::resolve(flags, &no_env).unwrap();
    assert_eq!(
        settings.metrics_listen.unwrap().to_string(),
        "127.0.0.1:9464"
    );
}
