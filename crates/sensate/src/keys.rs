//! The key file at start-up, `sensate rotate-key` and `sensate audit verify`.

use std::sync::Arc;

use anyhow::{Context, bail};
use sensate_app::{App, FileMailer, SystemClock, Vault};
use sensate_crypto::{KeyFile, WrappedKey};
use sensate_store::{KeyOwner, Rewrap, Store};
use uuid::Uuid;

use crate::database;
use crate::settings::{Settings, prepare_data_dir, prepare_key_dir};

/// Opens the keys for this database (creating the key file for a new one) and builds
/// the application.
pub async fn open_app(settings: &Settings, store: Arc<dyn Store>) -> anyhow::Result<App> {
    prepare_key_dir(&settings.key_file)?;
    let vault = Vault::load(
        store.as_ref(),
        &settings.key_file,
        sensate_domain::clock::now(),
    )
    .await?;
    let app = App::start(store, Arc::new(vault), Arc::new(SystemClock)).await?;
    Ok(match &settings.mail_dir {
        Some(dir) => app
            .with_mailer(Arc::new(FileMailer::new(dir.clone()).with_context(
                || format!("cannot create the mail folder {}", dir.display()),
            )?)),
        None => app,
    })
}

/// What the installation key is bound to (see `sensate_app::Vault`).
fn bound_to(owner: KeyOwner) -> Uuid {
    match owner {
        KeyOwner::Installation => Uuid::nil(),
        KeyOwner::Practice(id) => id.as_uuid(),
    }
}

/// `sensate rotate-key`: add a key-encryption key, re-wrap every data key under it,
/// then retire the keys nothing uses any more (docs/encryption.md, "Rotating the KEK").
pub async fn rotate(settings: &Settings) -> anyhow::Result<()> {
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    let key_file = KeyFile::open(&settings.key_file)?;
    let new_id = key_file.rotate()?;
    let ring = key_file.ring();
    // Re-wrap until every stored key is under the new KEK: a practice created by a
    // running server while this runs may need a second pass.
    for _pass in 0..5 {
        let stored = store.wrapped_keys().await?;
        let mut changes = Vec::new();
        for row in stored {
            let wrapped = WrappedKey::from_bytes(row.wrapped.clone())?;
            if wrapped.kek_id() == new_id {
                continue;
            }
            let replacement = ring
                .rewrap(&wrapped, bound_to(row.owner))
                .context("re-wrapping a data key")?;
            changes.push(Rewrap {
                owner: row.owner,
                previous: row.wrapped,
                replacement: replacement.into_bytes(),
            });
        }
        if changes.is_empty() {
            let referenced = store
                .wrapped_keys()
                .await?
                .into_iter()
                .map(|row| WrappedKey::from_bytes(row.wrapped).map(|w| w.kek_id()))
                .collect::<Result<Vec<_>, _>>()?;
            let retired = key_file.retire_unreferenced(referenced)?;
            println!(
                "Rotated: every data key is now wrapped by key {new_id}; {} old key(s) retired from {}.",
                retired.len(),
                settings.key_file.display()
            );
            store.close().await;
            return Ok(());
        }
        store.rewrap_keys(&changes).await?;
    }
    store.close().await;
    bail!("data keys kept changing while they were re-wrapped; run rotate-key again")
}

/// `sensate audit verify`: exits non-zero naming the first bad row.
pub async fn verify_audit(settings: &Settings) -> anyhow::Result<()> {
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    let key_file = KeyFile::open(&settings.key_file)?;
    let vault =
        Vault::with_key_file(store.as_ref(), key_file, sensate_domain::clock::now()).await?;
    let result = store.verify_audit_trail(vault.audit_chain()).await?;
    store.close().await;
    match result {
        Ok(verified) => {
            println!(
                "The audit trail verifies: {} row(s), last row {}, last hash {}.",
                verified.count, verified.last_seq, verified.last_hash
            );
            Ok(())
        }
        Err(broken) => {
            let row = broken
                .first_bad_row()
                .map(|row| format!(" (first bad row: {row})"))
                .unwrap_or_default();
            bail!("the audit trail does not verify: {broken}{row}")
        }
    }
}

/// `sensate verifier add`: a directory verifier with a temporary password, printed once.
pub async fn add_verifier(settings: &Settings, name: &str, email: &str) -> anyhow::Result<()> {
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    let app = open_app(settings, store.clone()).await?;
    // 256 random bits as base64url: long enough for any password rule, typed once.
    let password = sensate_auth::token::OpaqueToken::generate()
        .map_err(|error| anyhow::anyhow!("cannot make a password: {error}"))?
        .token;
    let added = app
        .add_person(sensate_app::NewPerson {
            id: None,
            practice: None,
            role: sensate_domain::accounts::Role::Verifier,
            name,
            email,
            password: &password,
            second_factor: None,
            client: None,
        })
        .await;
    store.close().await;
    match added {
        Ok(_) => {
            println!(
                "Directory verifier {name} can now sign in at /sign-in as {email}.\n\
                 Temporary password (shown once): {password}\n\
                 At the first sign-in they set up two-step sign-in; ask them to change the \
                 password at /account/password."
            );
            Ok(())
        }
        Err(sensate_app::AddPersonError::Invalid(reason)) => {
            Err(crate::settings::ConfigError(reason).into())
        }
        Err(sensate_app::AddPersonError::EmailInUse) => {
            Err(crate::settings::ConfigError(format!("{email} already has an account")).into())
        }
        Err(other) => Err(other.into()),
    }
}
