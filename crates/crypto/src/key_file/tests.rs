use std::fs;
use std::os::unix::fs::PermissionsExt;

use secrecy::ExposeSecret;
use tempfile::TempDir;

use super::*;
use crate::data_key::DataKeyVersion;
use crate::sealed::{Binding, Sealed};

/// A data directory in a fresh 0700 temporary directory, with the key file where the binary keeps it.
struct DataDir {
    dir: TempDir,
}

impl DataDir {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn key_path(&self) -> PathBuf {
        self.dir.path().join("keys").join("sensate.key")
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn set_mode(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// What the database would hold for one practice: its wrapped data key and one sealed note.
struct StoredPractice {
    id: Uuid,
    wrapped: WrappedKey,
    note: Sealed,
}

const NOTE: &str = "Client reports progress with sensate focus exercises.";

fn note_place(practice: Uuid) -> Binding {
    Binding::new("session_notes", "body", practice)
}

fn create_practice(keys: &KeyFile) -> StoredPractice {
    let id = Uuid::now_v7();
    let data_key = DataKey::generate(DataKeyVersion::FIRST).unwrap();
    let wrapped = keys.wrap(&data_key, id).unwrap();
    let note = data_key.seal_str(NOTE, &note_place(id)).unwrap();
    StoredPractice { id, wrapped, note }
}

fn reads_the_note(keys: &KeyFile, practice: &StoredPractice) -> bool {
    keys.unwrap(&practice.wrapped, practice.id)
        .and_then(|key| key.open_str(&practice.note, &note_place(practice.id)))
        .is_ok_and(|text| text.expose_secret() == NOTE)
}

#[test]
fn a_new_key_file_is_created_with_mode_0600_in_a_0700_directory() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    assert_eq!(DataDir::mode(&data.key_path()), 0o600);
    assert_eq!(DataDir::mode(data.key_path().parent().unwrap()), 0o700);
}

#[test]
fn opening_the_key_file_again_gives_the_same_keys() {
    let data = DataDir::new();
    let first = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&first);
    let again = KeyFile::open_or_create(data.key_path()).unwrap();
    assert_eq!(again.ring().ids(), vec![KekId::FIRST]);
    assert!(reads_the_note(&again, &practice));
}

#[test]
fn open_never_creates_a_missing_key_file() {
    let data = DataDir::new();
    let error = KeyFile::open(data.key_path()).unwrap_err();
    assert!(matches!(error, CryptoError::Io { .. }), "{error}");
    assert!(!data.key_path().exists());
}

#[test]
fn a_key_file_readable_by_others_is_refused_with_the_chmod_that_fixes_it() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    DataDir::set_mode(&data.key_path(), 0o644);
    let error = KeyFile::open(data.key_path()).unwrap_err();
    assert!(matches!(
        error,
        CryptoError::KeyFileTooOpen { mode: 0o644, .. }
    ));
    let message = error.to_string();
    let fix = format!("run `chmod 600 {}`", data.key_path().display());
    assert!(message.contains(&fix), "{message}");
    assert!(message.contains("0644"), "{message}");
}

#[test]
fn a_key_file_writable_by_its_group_is_refused() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    DataDir::set_mode(&data.key_path(), 0o620);
    assert!(matches!(
        KeyFile::open_or_create(data.key_path()),
        Err(CryptoError::KeyFileTooOpen { .. })
    ));
}

#[test]
fn a_read_only_key_file_for_its_owner_is_accepted() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    DataDir::set_mode(&data.key_path(), 0o400);
    assert!(KeyFile::open(data.key_path()).is_ok());
}

#[test]
fn a_key_directory_others_can_write_to_is_refused_with_the_chmod_that_fixes_it() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    let dir = data.key_path().parent().unwrap().to_path_buf();
    DataDir::set_mode(&dir, 0o777);
    let error = KeyFile::open(data.key_path()).unwrap_err();
    let message = error.to_string();
    DataDir::set_mode(&dir, 0o700);
    assert!(
        message.contains(&format!("run `chmod go-w {}`", dir.display())),
        "{message}"
    );
}

#[test]
fn no_key_file_is_written_into_a_directory_others_can_write_to() {
    let data = DataDir::new();
    let dir = data.key_path().parent().unwrap().to_path_buf();
    fs::create_dir(&dir).unwrap();
    DataDir::set_mode(&dir, 0o777);
    let result = KeyFile::open_or_create(data.key_path());
    DataDir::set_mode(&dir, 0o700);
    assert!(matches!(result, Err(CryptoError::KeyDirTooOpen { .. })));
    assert!(!data.key_path().exists());
}

#[test]
fn a_directory_is_not_a_key_file() {
    let data = DataDir::new();
    fs::create_dir_all(data.key_path()).unwrap();
    DataDir::set_mode(&data.key_path(), 0o700);
    assert!(matches!(
        KeyFile::open(data.key_path()),
        Err(CryptoError::NotAFile { .. })
    ));
}

#[test]
fn a_path_without_a_file_name_is_refused() {
    assert!(matches!(
        KeyFile::open_or_create("/"),
        Err(CryptoError::InvalidPath { .. })
    ));
}

#[test]
fn a_full_rotation_keeps_every_note_readable_and_retires_the_old_key() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let mut practices = [create_practice(&keys), create_practice(&keys)];

    // 1. add a KEK
    assert_eq!(keys.rotate().unwrap(), KekId::new(2));
    // 2. re-wrap every practice's data key (in one DB transaction in the real command)
    for practice in &mut practices {
        practice.wrapped = keys.ring().rewrap(&practice.wrapped, practice.id).unwrap();
        assert_eq!(practice.wrapped.kek_id(), KekId::new(2));
    }
    // 3. retire KEKs no wrapped key refers to any more
    let referenced = practices.iter().map(|practice| practice.wrapped.kek_id());
    assert_eq!(
        keys.retire_unreferenced(referenced).unwrap(),
        vec![KekId::FIRST]
    );

    let reopened = KeyFile::open(data.key_path()).unwrap();
    assert_eq!(reopened.ring().ids(), vec![KekId::new(2)]);
    assert!(
        practices
            .iter()
            .all(|practice| reads_the_note(&reopened, practice))
    );
    assert_eq!(DataDir::mode(&data.key_path()), 0o600);
}

#[test]
fn a_crash_after_adding_a_key_loses_nothing() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&keys);
    keys.rotate().unwrap();
    drop(keys); // the process dies before re-wrapping anything

    let restarted = KeyFile::open(data.key_path()).unwrap();
    assert_eq!(restarted.ring().ids(), vec![KekId::FIRST, KekId::new(2)]);
    assert!(reads_the_note(&restarted, &practice));
}

#[test]
fn a_crash_after_rewrapping_but_before_retiring_loses_nothing() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&keys);
    keys.rotate().unwrap();
    let rewrapped = StoredPractice {
        wrapped: keys.ring().rewrap(&practice.wrapped, practice.id).unwrap(),
        ..practice
    };
    drop(keys); // the re-wrap transaction committed, then the process died

    let restarted = KeyFile::open(data.key_path()).unwrap();
    assert!(reads_the_note(&restarted, &rewrapped));
}

#[test]
fn a_temporary_file_left_by_a_crash_mid_write_is_ignored_and_replaced() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&keys);
    let temp = data.key_path().with_file_name(".sensate.key.tmp");
    fs::write(&temp, "sensate-keys v1\nkek 9 half-writ").unwrap();

    let restarted = KeyFile::open(data.key_path()).unwrap();
    assert!(reads_the_note(&restarted, &practice));
    restarted.rotate().unwrap();
    assert!(!temp.exists());
    assert!(reads_the_note(
        &KeyFile::open(data.key_path()).unwrap(),
        &practice
    ));
}

#[test]
fn retiring_keeps_keys_still_referenced_and_always_the_active_key() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&keys);
    keys.rotate().unwrap();
    // The re-wrap has not happened: KEK 1 is still referenced and must stay.
    assert!(keys.retire_unreferenced([KekId::FIRST]).unwrap().is_empty());
    assert!(reads_the_note(
        &KeyFile::open(data.key_path()).unwrap(),
        &practice
    ));
    // Nothing referenced at all: only the active key stays.
    assert_eq!(keys.retire_unreferenced([]).unwrap(), vec![KekId::FIRST]);
    assert_eq!(keys.ring().ids(), vec![KekId::new(2)]);
}

#[test]
fn a_key_wrapped_by_a_retired_kek_names_the_missing_kek() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&keys);
    keys.rotate().unwrap();
    keys.retire_unreferenced([]).unwrap();
    assert!(matches!(
        keys.unwrap(&practice.wrapped, practice.id),
        Err(CryptoError::UnknownKek { id }) if id == KekId::FIRST
    ));
}

#[test]
fn a_running_server_picks_up_a_rotation_made_by_another_process() {
    let data = DataDir::new();
    let server = KeyFile::open_or_create(data.key_path()).unwrap();
    let practice = create_practice(&server);

    let command = KeyFile::open(data.key_path()).unwrap();
    command.rotate().unwrap();
    let rewrapped = StoredPractice {
        wrapped: command
            .ring()
            .rewrap(&practice.wrapped, practice.id)
            .unwrap(),
        ..practice
    };
    command
        .retire_unreferenced([rewrapped.wrapped.kek_id()])
        .unwrap();

    assert_eq!(server.ring().ids(), vec![KekId::FIRST], "not reloaded yet");
    assert!(reads_the_note(&server, &rewrapped));
    assert_eq!(
        server.ring().ids(),
        vec![KekId::new(2)],
        "reloaded on the unknown KEK"
    );
}

#[test]
fn a_running_server_wraps_new_practices_under_the_newest_kek() {
    let data = DataDir::new();
    let server = KeyFile::open_or_create(data.key_path()).unwrap();
    KeyFile::open(data.key_path()).unwrap().rotate().unwrap();
    let practice = create_practice(&server);
    assert_eq!(practice.wrapped.kek_id(), KekId::new(2));
}

#[test]
fn two_rotations_at_once_keep_both_new_keys() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    let path = data.key_path();
    let added: Vec<KekId> = std::thread::scope(|scope| {
        let rotations: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| KeyFile::open(&path).unwrap().rotate().unwrap()))
            .collect();
        rotations.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let ids = KeyFile::open(&path).unwrap().ring().ids();
    assert_eq!(ids, vec![KekId::FIRST, KekId::new(2), KekId::new(3)]);
    assert!(added.contains(&KekId::new(2)) && added.contains(&KekId::new(3)));
}

#[test]
fn the_lock_file_is_private_too() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    let lock = data.key_path().with_file_name("sensate.key.lock");
    assert_eq!(DataDir::mode(&lock), 0o600);
}

#[test]
fn debug_output_of_a_key_file_never_shows_key_bytes() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let text = fs::read_to_string(data.key_path()).unwrap();
    let encoded_key = text.lines().last().unwrap().rsplit(' ').next().unwrap();
    let shown = format!("{keys:?}");
    assert!(shown.contains("REDACTED"), "{shown}");
    assert!(!shown.contains(encoded_key));
    let secret = keys.ring().active().unwrap().secret().to_owned();
    let first_bytes = format!("{:?}", &secret[..4]);
    assert!(!shown.contains(first_bytes.trim_matches(['[', ']'])));
}

#[test]
fn errors_about_a_malformed_key_file_never_quote_it() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    drop(keys);
    let text = fs::read_to_string(data.key_path()).unwrap();
    let key_line = text.lines().last().unwrap().to_owned();
    fs::write(data.key_path(), format!("{text}{key_line} trailing\n")).unwrap();
    let message = KeyFile::open(data.key_path()).unwrap_err().to_string();
    let encoded_key = key_line.rsplit(' ').next().unwrap();
    assert!(message.contains("line"), "{message}");
    assert!(!message.contains(encoded_key), "{message}");
}

#[test]
fn a_ring_held_from_before_retiring_can_still_rescue_a_key_wrapped_under_the_retired_kek() {
    // The rotate command keeps the ring it re-wrapped with; if a straggler wrapped a key under the
    // old KEK after the command listed the references, the command re-wraps it after retiring.
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let straggler = create_practice(&keys);
    keys.rotate().unwrap();
    let held = keys.ring();
    keys.retire_unreferenced([]).unwrap();
    assert!(!reads_the_note(&keys, &straggler));

    let rescued = StoredPractice {
        wrapped: held.rewrap(&straggler.wrapped, straggler.id).unwrap(),
        ..straggler
    };
    assert!(reads_the_note(
        &KeyFile::open(data.key_path()).unwrap(),
        &rescued
    ));
}

#[test]
fn an_existing_key_file_in_a_read_only_directory_opens_without_taking_the_lock() {
    let data = DataDir::new();
    KeyFile::open_or_create(data.key_path()).unwrap();
    let dir = data.key_path().parent().unwrap().to_path_buf();
    fs::remove_file(dir.join("sensate.key.lock")).unwrap();
    DataDir::set_mode(&dir, 0o500);
    let opened = KeyFile::open_or_create(data.key_path());
    DataDir::set_mode(&dir, 0o700);
    assert!(opened.is_ok());
    assert!(!dir.join("sensate.key.lock").exists());
}

const BACKUP: &str = "sensate/test-backup-file-key";

#[test]
fn a_file_key_is_wrapped_under_the_kek_another_process_just_added() {
    let data = DataDir::new();
    let server = KeyFile::open_or_create(data.key_path()).unwrap();
    KeyFile::open(data.key_path()).unwrap().rotate().unwrap();
    let wrapped = server
        .wrap_file_key(&FileKey::generate().unwrap(), BACKUP, b"header")
        .unwrap();
    assert_eq!(wrapped.kek_id(), KekId::new(2));
}

#[test]
fn a_file_key_wrapped_before_a_rotation_still_unwraps_after_it() {
    let data = DataDir::new();
    let keys = KeyFile::open_or_create(data.key_path()).unwrap();
    let key = FileKey::generate().unwrap();
    let wrapped = keys.wrap_file_key(&key, BACKUP, b"header").unwrap();
    keys.rotate().unwrap();
    let reopened = KeyFile::open(data.key_path()).unwrap();
    let unwrapped = reopened.unwrap_file_key(&wrapped, BACKUP, b"header");
    assert_eq!(unwrapped.unwrap().expose_secret(), key.expose_secret());
}

#[test]
fn a_process_that_has_not_seen_a_rotation_rereads_the_key_file_to_unwrap_a_file_key() {
    let data = DataDir::new();
    let restorer = KeyFile::open_or_create(data.key_path()).unwrap();
    let writer = KeyFile::open(data.key_path()).unwrap();
    writer.rotate().unwrap();
    let wrapped = writer
        .wrap_file_key(&FileKey::generate().unwrap(), BACKUP, b"header")
        .unwrap();
    assert!(
        restorer
            .unwrap_file_key(&wrapped, BACKUP, b"header")
            .is_ok()
    );
}
