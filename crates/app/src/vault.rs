//! The keys a running Sensate holds: the key file, the installation's key and each
//! practice's data key, unwrapped once and kept in memory.
//!
//! Three keys come from the installation's data key, which never changes when the
//! key-encryption key is rotated (rotation re-wraps it; it stays the same key):
//! - the **email lookup key**, so an address is found by a keyed digest, never stored
//!   in plain text — one key for the whole installation, because sign-in asks for no
//!   practice;
//! - the **throttle key**, so failed sign-ins are counted per address without storing
//!   anyone's IP address;
//! - the **audit chain key**, which must outlive every rotation (docs/audit.md).
//!
//! The installation key is wrapped like a practice's, bound to the nil UUID, which no
//! practice can have (practice ids are UUIDv7).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use sensate_audit::AuditChain;
use sensate_crypto::{CryptoError, DataKey, DataKeyVersion, KeyFile, LookupKey, WrappedKey};
use sensate_domain::PracticeId;
use sensate_store::{KeyOwner, Store, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

/// What the installation key is bound to when wrapped.
const INSTALLATION: Uuid = Uuid::nil();
/// Lookup purposes: part of every digest, so digests for one use never match another's.
const EMAIL_PURPOSE: &str = "account.email";
const DIRECTORY_PURPOSE: &str = "directory";
const THROTTLE_PURPOSE: &str = "sign_in.subject";
const AUDIT_KEY_PURPOSE: &str = "sensate/audit-chain-key/v1";

/// The keys, ready to use.
pub struct Vault {
    key_file: KeyFile,
    installation: Arc<DataKey>,
    lookup: LookupKey,
    chain: AuditChain,
    practices: RwLock<HashMap<PracticeId, Arc<DataKey>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("key_file", &self.key_file.path())
            .finish_non_exhaustive()
    }
}

/// Why the keys could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The key file could not be read, or is unsafe (its message says how to fix it).
    #[error("{0}")]
    KeyFile(CryptoError),
    /// The key file opens, but not the keys in this database.
    #[error(
        "the key file {path} does not belong to this database: it cannot open the keys stored \
         in it ({reason}). Point --key-file at the key file this database was created with."
    )]
    WrongKeyFile {
        /// The key file's path.
        path: String,
        /// What failed, without key material.
        reason: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Vault {
    /// Opens the key file at `path` and the keys stored in the database.
    ///
    /// A key file is created only for a database that holds no keys yet; for one that
    /// does, a missing key file is an error (a new one would open nothing).
    pub async fn load(
        store: &dyn Store,
        path: &Path,
        now: OffsetDateTime,
    ) -> Result<Self, VaultError> {
        let stored = store.wrapped_keys().await?;
        let path_owned = path.to_owned();
        let fresh = stored.is_empty();
        let key_file = tokio::task::spawn_blocking(move || {
            if fresh {
                KeyFile::open_or_create(path_owned)
            } else {
                KeyFile::open(path_owned)
            }
        })
        .await
        .map_err(|_| StoreError::Backend("opening the key file was interrupted".into()))?
        .map_err(VaultError::KeyFile)?;
        Self::with_key_file(store, key_file, now).await
    }

    /// Uses an open key file with the keys stored in the database, making the
    /// installation key on first use.
    pub async fn with_key_file(
        store: &dyn Store,
        key_file: KeyFile,
        now: OffsetDateTime,
    ) -> Result<Self, VaultError> {
        let wrong = |error: CryptoError| VaultError::WrongKeyFile {
            path: key_file.path().display().to_string(),
            reason: error.to_string(),
        };
        let wrapped = match store.installation_key().await? {
            Some(bytes) => bytes,
            None => {
                let key = DataKey::generate(DataKeyVersion::FIRST).map_err(VaultError::KeyFile)?;
                let wrapped = key_file
                    .wrap(&key, INSTALLATION)
                    .map_err(VaultError::KeyFile)?;
                store
                    .create_installation_key(wrapped.as_bytes(), now)
                    .await?
            }
        };
        let installation = WrappedKey::from_bytes(wrapped)
            .and_then(|wrapped| key_file.unwrap(&wrapped, INSTALLATION))
            .map_err(wrong)?;
        // Open every practice's key now, so a wrong key file stops the start, not a page.
        let mut practices = HashMap::new();
        for row in store.wrapped_keys().await? {
            if let KeyOwner::Practice(id) = row.owner {
                let key = WrappedKey::from_bytes(row.wrapped)
                    .and_then(|wrapped| key_file.unwrap(&wrapped, id.as_uuid()))
                    .map_err(wrong)?;
                practices.insert(id, Arc::new(key));
            }
        }
        let lookup = installation.lookup_key();
        let chain = AuditChain::new(&lookup.digest(AUDIT_KEY_PURPOSE, ""));
        Ok(Self {
            key_file,
            installation: Arc::new(installation),
            lookup,
            chain,
            practices: RwLock::new(practices),
        })
    }

    /// The key file.
    pub fn key_file(&self) -> &KeyFile {
        &self.key_file
    }

    /// The audit chain, keyed for this installation.
    pub fn audit_chain(&self) -> &AuditChain {
        &self.chain
    }

    /// The digest an account's normalised email address is found by.
    pub fn email_lookup(&self, normalised_email: &str) -> [u8; 32] {
        self.lookup.digest(EMAIL_PURPOSE, normalised_email)
    }

    /// The digest failed sign-ins of one subject (`"ip:…"`, `"account:…"`) are counted
    /// under.
    pub fn throttle_subject(&self, subject: &str) -> [u8; 32] {
        self.lookup.digest(THROTTLE_PURPOSE, subject)
    }

    /// The digest the directory keys what it must recognise but not reveal: a contact
    /// request's sender (`"ip:…"`) for the rate limit, a contact form's issue time.
    pub fn directory_digest(&self, subject: &str) -> [u8; 32] {
        self.lookup.digest(DIRECTORY_PURPOSE, subject)
    }

    /// The installation's own key (seals what belongs to no practice).
    pub fn installation_key(&self) -> &DataKey {
        &self.installation
    }

    /// The installation's key, shared.
    pub fn installation_arc(&self) -> Arc<DataKey> {
        self.installation.clone()
    }

    /// A new data key for a new practice, and its wrapped form to store with it.
    pub fn new_practice_key(
        &self,
        practice: PracticeId,
    ) -> Result<(Arc<DataKey>, WrappedKey), CryptoError> {
        let key = DataKey::generate(DataKeyVersion::FIRST)?;
        let wrapped = self.key_file.wrap(&key, practice.as_uuid())?;
        Ok((Arc::new(key), wrapped))
    }

    /// Remembers a practice's key once its practice is stored.
    pub fn remember_practice_key(&self, practice: PracticeId, key: Arc<DataKey>) {
        let mut keys = self
            .practices
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.insert(practice, key);
    }

    /// A practice's data key: from memory, or read and unwrapped once (a practice
    /// created by another process since this one started).
    pub async fn practice_key(
        &self,
        store: &dyn Store,
        practice: PracticeId,
    ) -> Result<Arc<DataKey>, VaultError> {
        if let Some(key) = self
            .practices
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&practice)
        {
            return Ok(key.clone());
        }
        let wrapped = store
            .practice_key(practice)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                what: "practice key",
                reason: "a practice has no stored key".into(),
            })?;
        let key = WrappedKey::from_bytes(wrapped)
            .and_then(|wrapped| self.key_file.unwrap(&wrapped, practice.as_uuid()))
            .map_err(|error| VaultError::WrongKeyFile {
                path: self.key_file.path().display().to_string(),
                reason: error.to_string(),
            })?;
        let key = Arc::new(key);
        self.remember_practice_key(practice, key.clone());
        Ok(key)
    }
}
