//! `sensate backup` and `sensate restore`: the SQLite database to an encrypted backup file,
//! and back (docs/backup.md, "How the binary uses it").
//!
//! Shaped so that plaintext never leaves the data directory and nothing is replaced until
//! it is known to be good:
//!
//! - **Backing up** copies the database with `VACUUM INTO` (consistent while the server
//!   runs) into a private temporary folder inside the data directory, encrypts that copy
//!   into `OUTPUT.partial`, syncs it and renames it to `OUTPUT`. The copy is deleted
//!   however the command ends, Ctrl+C and SIGTERM included; a partial output is too.
//! - **Restoring** decrypts into a private temporary folder beside the target database
//!   (the same file system, so the last step is one atomic rename), then checks it there:
//!   SQLite's integrity check, every stored key unwraps with the key file, and the audit
//!   chain verifies. Only then does it move into place. A cut, changed or wrong-key backup
//!   never touches the data directory.
//! - The **key file is never in a backup**, and a backup cannot be restored without it:
//!   both commands say so.
//! - **PostgreSQL** has its own, better tools (`pg_dump`, `pg_basebackup`, point-in-time
//!   recovery); both commands refuse a PostgreSQL URL and name them.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, BufReader, BufWriter, IsTerminal, Read};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, anyhow, bail};
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};
use sensate_app::Vault;
use sensate_audit::{AuditChain, ChainBreak};
use sensate_backup::{Backend, BackupMeta, read_backup, read_header, write_backup};
use sensate_crypto::KeyFile;
use sensate_store::{AuditTrail, DatabaseUrl, Keys, Schema};
use sensate_store_sqlite::SqliteStore;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::settings::{ConfigError, Settings, prepare_data_dir};

/// What a backup's header says wrote it.
const PRODUCER: &str = concat!("sensate ", env!("CARGO_PKG_VERSION"));

/// `sensate backup`: writes an encrypted backup of the SQLite database to `output`, which
/// must not exist yet. Safe while the server runs.
pub async fn backup(settings: &Settings, output: &Path) -> anyhow::Result<()> {
    let cancel = Cancel::default();
    tokio::select! {
        result = take_backup(settings, output, &cancel) => result,
        () = interrupted() => {
            cancel.set();
            bail!(
                "interrupted: no backup was written to {}, and the temporary files were removed",
                output.display()
            )
        }
    }
}

/// `sensate restore`: restores the backup in `input` into the SQLite database the settings
/// name, once it has been checked. An existing database is replaced only when `replace`
/// is given, and is then kept beside it; the server must be stopped first.
pub async fn restore(settings: &Settings, input: &Path, replace: bool) -> anyhow::Result<()> {
    let cancel = Cancel::default();
    tokio::select! {
        result = restore_checked(settings, input, replace, &cancel) => result,
        () = interrupted() => {
            cancel.set();
            bail!("interrupted: nothing was restored, and the temporary files were removed")
        }
    }
}

async fn take_backup(settings: &Settings, output: &Path, cancel: &Cancel) -> anyhow::Result<()> {
    let database = sqlite_path(
        settings,
        "back up a PostgreSQL database with PostgreSQL's own tools: pg_dump for a logical \
         copy, or pg_basebackup with WAL archiving for point-in-time recovery",
    )?;
    if output.exists() {
        return Err(ConfigError(format!(
            "{} already exists; sensate backup never overwrites a file: give a new name with --output",
            output.display()
        ))
        .into());
    }
    let partial = with_suffix(output, ".partial");
    if partial.exists() {
        return Err(ConfigError(format!(
            "{} exists: another backup to the same name is running, or one was interrupted. \
             If none is running, delete it and try again",
            partial.display()
        ))
        .into());
    }
    if !database.is_file() {
        return Err(ConfigError(format!(
            "there is no database at {} to back up; check --data-dir or --database-url",
            database.display()
        ))
        .into());
    }
    prepare_data_dir(&settings.data_dir)?;
    let store = SqliteStore::open(&database)
        .await
        .with_context(|| format!("opening the SQLite database {}", database.display()))?;
    // The backup is encrypted under this key file, so it must be the one that opens this
    // database, or the backup would restore with neither.
    if let Err(error) = check_key_file(&store, &settings.key_file).await {
        store.close().await;
        return Err(error);
    }
    let key_file = KeyFile::open(&settings.key_file)?;

    let snapshot_dir = private_temp_dir(&settings.data_dir, ".sensate-backup-")?;
    let snapshot = snapshot_dir.path().join("snapshot.db");
    let taken_at = OffsetDateTime::now_utc();
    let snapshot_result = store.snapshot_to(&snapshot).await;
    store.close().await;
    snapshot_result.with_context(|| format!("copying the database {}", database.display()))?;
    let snapshot_len = std::fs::metadata(&snapshot)
        .context("reading the database copy")?
        .len();
    let meta = BackupMeta::new(taken_at, Backend::Sqlite, PRODUCER, snapshot_len)?;

    let file = create_private_file(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let out = Removed::on_failure(partial.clone());
    let bar = progress_bar(snapshot_len, "encrypting");
    let summary = {
        let (snapshot, bar, cancel) = (snapshot.clone(), bar.clone(), cancel.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let plaintext = Cancellable {
                inner: File::open(&snapshot).context("reading the database copy")?,
                cancel,
            };
            let mut writer = BufWriter::new(file);
            let summary = write_backup(plaintext, &mut writer, &key_file, &meta, |done| {
                bar.set_position(done);
            })?;
            writer
                .into_inner()
                .map_err(io::IntoInnerError::into_error)
                .and_then(|file| file.sync_all())
                .context("writing the backup")?;
            Ok((summary, key_file))
        })
        .await
        .context("the backup was interrupted")?
    };
    bar.finish_and_clear();
    let (summary, key_file) =
        summary.with_context(|| format!("cannot write {}", output.display()))?;
    if output.exists() {
        bail!(
            "{} appeared while the backup was written; the backup was not kept",
            output.display()
        );
    }
    std::fs::rename(&partial, output).with_context(|| {
        format!(
            "cannot rename {} to {}",
            partial.display(),
            output.display()
        )
    })?;
    out.keep();
    sync_parent(output);
    snapshot_dir.close().with_context(|| {
        format!(
            "the backup is written, but the plain database copy in {} could not be removed: delete that folder",
            settings.data_dir.display()
        )
    })?;

    println!(
        "Backed up {} to {}: {} ({} bytes; the database holds {}), encrypted under key {} of {}.",
        database.display(),
        output.display(),
        HumanBytes(summary.backup_len),
        summary.backup_len,
        HumanBytes(summary.plaintext_len),
        summary.kek_id,
        key_file.path().display()
    );
    println!(
        "The key file is NOT in the backup, and the backup cannot be restored without it: keep a \
         copy of {} (holding key {}) somewhere other than the backup, for as long as the backup is kept.",
        key_file.path().display(),
        summary.kek_id
    );
    Ok(())
}

/// One restore, as the operator asked for it.
struct RestoreJob<'a> {
    settings: &'a Settings,
    input: &'a Path,
    target: PathBuf,
    replace: bool,
}

impl RestoreJob<'_> {
    /// A failure that names the backup file, as every restore error does.
    fn refused(&self, message: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("cannot restore from {}: {message}", self.input.display())
    }
}

async fn restore_checked(
    settings: &Settings,
    input: &Path,
    replace: bool,
    cancel: &Cancel,
) -> anyhow::Result<()> {
    let target = sqlite_path(
        settings,
        "restore a PostgreSQL database with PostgreSQL's own tools: pg_restore or psql for a \
         pg_dump, or PostgreSQL's recovery for a base backup",
    )?;
    let job = RestoreJob {
        settings,
        input,
        target,
        replace,
    };
    if !replace && occupied(&job.target) {
        return Err(ConfigError(format!(
            "{} already holds a database, and restoring would replace it; nothing was changed. \
             To replace it, stop the server and run again with --replace (the current database \
             is then kept beside it as {}.before-restore-TIME)",
            job.target.display(),
            job.target.display()
        ))
        .into());
    }
    // Read the key file and the header before creating anything, so a wrong path leaves
    // no trace.
    let key_file = open_key_file(
        &settings.key_file,
        "a backup restores only with the key file it was made under (or a later copy of it)",
    )?;
    let header = File::open(input)
        .map_err(|e| job.refused(e))
        .and_then(|file| read_header(BufReader::new(file)).map_err(|e| job.refused(e)))?;
    let meta = header.meta().clone();
    if meta.backend() != Backend::Sqlite {
        return Err(job.refused(format!(
            "it holds a {} database, which sensate restore cannot restore",
            meta.backend()
        )));
    }
    let created = !settings.data_dir.exists();
    prepare_data_dir(&settings.data_dir)?;
    let result = restore_into(&job, &meta, key_file, cancel).await;
    if result.is_err() && created {
        // Only an empty folder is removed: this one, made above, with nothing restored.
        let _ = std::fs::remove_dir(&settings.data_dir);
    }
    result
}

async fn restore_into(
    job: &RestoreJob<'_>,
    meta: &BackupMeta,
    key_file: KeyFile,
    cancel: &Cancel,
) -> anyhow::Result<()> {
    let folder = match job.target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let scratch = private_temp_dir(folder, ".sensate-restore-")?;
    let file_name = job
        .target
        .file_name()
        .ok_or_else(|| anyhow!("the database path {} names no file", job.target.display()))?;
    let restored = scratch.path().join(file_name);
    let file = create_private_file(&restored).context("cannot create the restored database")?;

    let bar = progress_bar(meta.plaintext_len(), "decrypting");
    let read = {
        let (input, bar, cancel) = (job.input.to_owned(), bar.clone(), cancel.clone());
        tokio::task::spawn_blocking(move || -> (KeyFile, anyhow::Result<()>) {
            let result = (|| {
                let backup = Cancellable {
                    inner: BufReader::new(File::open(&input)?),
                    cancel,
                };
                let mut writer = BufWriter::new(file);
                read_backup(backup, &mut writer, &key_file, |done| {
                    bar.set_position(done)
                })?;
                writer
                    .into_inner()
                    .map_err(io::IntoInnerError::into_error)?
                    .sync_all()?;
                anyhow::Ok(())
            })();
            (key_file, result)
        })
        .await
        .context("the restore was interrupted")?
    };
    bar.finish_and_clear();
    let (key_file, result) = read;
    result.map_err(|e| job.refused(format!("{e:#}")))?;

    let store = SqliteStore::open(&restored)
        .await
        .map_err(|e| job.refused(format!("the database inside does not open: {e}")))?;
    let checked = check_restored(&store, key_file).await;
    store.close().await;
    let rows = checked.map_err(|e| job.refused(format!("{e:#}")))?;
    // Closing the last connection checkpoints the WAL into the file and deletes it. A WAL
    // left behind would hold part of the database, and would not move with it.
    let wal = with_suffix(&restored, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(job.refused(
            "SQLite did not finish writing the restored database (its WAL is still there)",
        ));
    }

    // From here on nothing awaits, so an interruption cannot stop half-way.
    let kept = place(&restored, &job.target, job.replace)?;
    if let Err(error) = scratch.close() {
        tracing::warn!(folder = %folder.display(), %error, "could not remove the temporary restore folder");
    }

    println!(
        "Restored {} (made {} by {}) into {}: SQLite's integrity check passes, the key file {} \
         opens every key, and the audit trail verifies ({rows} row(s)).",
        job.input.display(),
        meta.created_at()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| meta.created_at().to_string()),
        meta.producer(),
        job.target.display(),
        job.settings.key_file.display(),
    );
    if let Some(kept) = kept {
        println!(
            "The database it replaced is kept as {} (with its -wal and -shm, if it had them); \
             delete it once the restore is confirmed.",
            kept.display()
        );
    }
    Ok(())
}

/// Checks a restored database before it replaces anything: it migrates (as `serve` would),
/// passes SQLite's integrity check, every stored key unwraps with the key file, and the
/// audit chain verifies. Returns the number of audit rows.
async fn check_restored(store: &SqliteStore, key_file: KeyFile) -> anyhow::Result<u64> {
    store.migrate().await.context(
        "the database inside cannot be brought up to this version's schema (restore it \
         with the Sensate release that made it, or a newer one)",
    )?;
    store
        .check_integrity()
        .await
        .context("the database inside is damaged")?;
    let verified = match store.installation_key().await? {
        Some(_) => {
            let vault = Vault::with_key_file(store, key_file, sensate_domain::clock::now()).await?;
            store.verify_audit_trail(vault.audit_chain()).await?
        }
        // No key has been made yet, so no audit row can be genuine: any key verifies an
        // empty trail, and no key verifies one with rows.
        None => store
            .verify_audit_trail(&AuditChain::new(&[0; 32]))
            .await?
            .map_err(|_| ChainBreak::WrongKey),
    };
    match verified {
        Ok(verified) => Ok(verified.count),
        Err(broken) => {
            let row = broken
                .first_bad_row()
                .map(|row| format!(" (first bad row: {row})"))
                .unwrap_or_default();
            bail!("its audit trail does not verify: {broken}{row}")
        }
    }
}

/// Moves the checked database into place. With `replace`, the database there (and its
/// `-wal` and `-shm`) is first renamed to `NAME.before-restore-TIME` (and `-wal`, `-shm`),
/// and that name is returned.
///
/// The old files are moved, never deleted: the `-wal` may hold committed transactions not
/// yet in the main file, so the old database is whole only together with it, and under
/// one stem SQLite pairs them again when the kept copy is opened. And no old `-wal` may
/// stay beside the restored file: SQLite would replay it into a database it does not
/// belong to.
fn place(restored: &Path, target: &Path, replace: bool) -> anyhow::Result<Option<PathBuf>> {
    let mut kept = None;
    if occupied(target) {
        if !replace {
            return Err(ConfigError(format!(
                "{} appeared while the backup was checked; nothing was changed. To replace it, \
                 stop the server and run again with --replace",
                target.display()
            ))
            .into());
        }
        let stamp = OffsetDateTime::now_utc()
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .context("naming the kept database")?;
        let aside = with_suffix(target, &format!(".before-restore-{stamp}"));
        let moves: Vec<(PathBuf, PathBuf)> = ["", "-wal", "-shm"]
            .into_iter()
            .map(|suffix| (with_suffix(target, suffix), with_suffix(&aside, suffix)))
            .filter(|(from, _)| from.exists())
            .collect();
        if let Some((_, taken)) = moves.iter().find(|(_, to)| to.exists()) {
            bail!(
                "{} already exists; wait a second and run again",
                taken.display()
            );
        }
        for (from, to) in &moves {
            std::fs::rename(from, to).with_context(|| {
                format!("cannot move {} aside to {}", from.display(), to.display())
            })?;
        }
        kept = Some(aside);
    }
    std::fs::set_permissions(restored, Permissions::from_mode(0o600))
        .context("making the restored database private")?;
    std::fs::rename(restored, target)
        .with_context(|| format!("cannot move the restored database to {}", target.display()))?;
    sync_parent(target);
    Ok(kept)
}

/// Refuses a key file that does not open every key this database stores.
async fn check_key_file(store: &SqliteStore, path: &Path) -> anyhow::Result<()> {
    let key_file = open_key_file(
        path,
        "the backup is encrypted under the database's key file",
    )?;
    if store.installation_key().await?.is_none() {
        // No key was ever made (the server never started on it): nothing to open.
        return Ok(());
    }
    Vault::with_key_file(store, key_file, sensate_domain::clock::now()).await?;
    Ok(())
}

/// Opens the key file, never creating one: a new key file would open nothing.
fn open_key_file(path: &Path, why: &str) -> anyhow::Result<KeyFile> {
    if !path.exists() {
        return Err(ConfigError(format!(
            "there is no key file at {}: {why}; give its path with --key-file",
            path.display()
        ))
        .into());
    }
    Ok(KeyFile::open(path)?)
}

/// The SQLite file the settings name, or a refusal naming PostgreSQL's own tools.
fn sqlite_path(settings: &Settings, postgres_advice: &str) -> Result<PathBuf, ConfigError> {
    match &settings.database {
        DatabaseUrl::Sqlite(path) => Ok(path.clone()),
        DatabaseUrl::Postgres(_) => Err(ConfigError(format!(
            "sensate backup and restore are for the SQLite database; {postgres_advice}. \
             Either way, keep the key file ({}) backed up separately: no database backup \
             restores without it",
            settings.key_file.display()
        ))),
    }
}

/// Whether a database, or a WAL that belongs to one, is at `path`.
fn occupied(path: &Path) -> bool {
    path.exists() || with_suffix(path, "-wal").exists()
}

/// `path` with `suffix` added to its file name (`sensate.db` → `sensate.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A new folder inside `parent` that only its owner may enter, removed with everything
/// in it when dropped.
fn private_temp_dir(parent: &Path, prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(prefix)
        .permissions(Permissions::from_mode(0o700))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))
}

/// Creates a new file that only its owner may read or write; fails if anything is there.
fn create_private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Makes a rename in `path`'s folder durable. Best effort: the rename has happened, and
/// some file systems cannot sync a folder.
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Err(error) = File::open(parent).and_then(|dir| dir.sync_all()) {
            tracing::warn!(folder = %parent.display(), %error, "could not sync the folder");
        }
    }
}

/// A file removed when dropped, unless kept: a partial output is not a backup.
struct Removed {
    path: PathBuf,
    keep: bool,
}

impl Removed {
    fn on_failure(path: PathBuf) -> Self {
        Self { path, keep: false }
    }

    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for Removed {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Set when the operator interrupts, so a blocking read stops at its next chunk.
#[derive(Clone, Default)]
struct Cancel(Arc<AtomicBool>);

impl Cancel {
    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A reader that fails once the operation is cancelled.
struct Cancellable<R> {
    inner: R,
    cancel: Cancel,
}

impl<R: Read> Read for Cancellable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancel.0.load(Ordering::Relaxed) {
            return Err(io::Error::other("interrupted"));
        }
        self.inner.read(buf)
    }
}

/// Resolves on Ctrl+C or SIGTERM; never, if neither can be listened for.
async fn interrupted() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// A bar over `bytes` when standard error is a terminal; hidden otherwise, so logs and
/// pipes get only the summary.
fn progress_bar(bytes: u64, what: &str) -> ProgressBar {
    if !io::stderr().is_terminal() || bytes == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} [{{bar:40}}] {{bytes}}/{{total_bytes}} ({{eta}} left)"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
