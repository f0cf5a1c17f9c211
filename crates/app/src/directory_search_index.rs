//! Keeping the directory's in-memory search index current.
//!
//! The index ([`sensate_store::DirectoryIndex`]) answers exactly as the store does (the
//! contract scenarios check it), only faster. It is built once from the store, which
//! takes seconds for a large directory, and then kept current cheaply: before a search,
//! if this server has saved a profile since the last check, or a second has passed
//! (another server may have saved one), one small read gives the store's revision, and
//! if it moved, the profiles saved since are fetched and laid over the index. Once many
//! have piled up, a fresh build starts in the background. Until the first build is
//! ready, the store answers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sensate_store::DirectoryIndex;

use crate::{App, AppError};

/// How often a server asks whether another has changed the directory.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// How many saved profiles the index keeps apart (each checked one by one in every
/// search) before it is built again.
const BUILD_AFTER_CHANGES: usize = 200;

/// The current index and what is known about its freshness.
#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    current: RwLock<Option<Arc<DirectoryIndex>>>,
    /// Profiles saved by this server, counted once each save is in.
    saves: AtomicU64,
    /// The count of saves when the index was last checked against the store.
    checked_saves: AtomicU64,
    /// When it was last checked.
    checked_at: Mutex<Option<Instant>>,
    /// One catch-up at a time; the others wait for it and use what it found.
    catching_up: tokio::sync::Mutex<()>,
    building: AtomicBool,
    /// Never built: the database answers every search (to measure it on its own).
    disabled: bool,
}

impl SearchIndex {
    /// Called after a profile is saved here: the next search checks the store first.
    pub(crate) fn note_save(&self) {
        self.saves.fetch_add(1, Ordering::SeqCst);
    }

    fn current(&self) -> Option<Arc<DirectoryIndex>> {
        self.current.read().ok()?.clone()
    }

    /// Installs an index unless one current to a later revision is already there.
    fn install(&self, index: Arc<DirectoryIndex>) {
        if let Ok(mut current) = self.current.write()
            && current
                .as_ref()
                .is_none_or(|there| there.revision() <= index.revision())
        {
            *current = Some(index);
        }
    }

    /// True when the store must be asked before this index is used.
    fn due(&self) -> bool {
        if self.saves.load(Ordering::SeqCst) != self.checked_saves.load(Ordering::SeqCst) {
            return true;
        }
        self.checked_at
            .lock()
            .map_or(true, |at| at.is_none_or(|at| at.elapsed() >= CHECK_EVERY))
    }

    fn checked(&self, saves: u64) {
        self.checked_saves.store(saves, Ordering::SeqCst);
        if let Ok(mut at) = self.checked_at.lock() {
            *at = Some(Instant::now());
        }
    }
}

impl App {
    /// The index, current to the store; `None` until it is first built (a build is
    /// then under way) or if the store could not be asked.
    pub(crate) async fn current_search_index(&self) -> Option<Arc<DirectoryIndex>> {
        let index = &self.search_index;
        if index.disabled {
            return None;
        }
        let Some(current) = index.current() else {
            self.build_search_index_soon();
            return None;
        };
        if !index.due() {
            return Some(current);
        }
        let _one_at_a_time = index.catching_up.lock().await;
        if !index.due() {
            return index.current();
        }
        // Read before the revision: every save counted here is then in what is read.
        let saves = index.saves.load(Ordering::SeqCst);
        let current = index.current()?;
        let revision = self.store.directory_revision().await.ok()?;
        let current = if revision == current.revision() {
            current
        } else {
            let saved = self
                .store
                .profiles_saved_since(current.revision())
                .await
                .ok()?;
            let caught_up = Arc::new(current.with_changes(saved));
            index.install(caught_up.clone());
            caught_up
        };
        index.checked(saves);
        if current.changes() > BUILD_AFTER_CHANGES {
            self.build_search_index_soon();
        }
        Some(current)
    }

    /// Starts building the directory's search index in the background, unless a build
    /// is already under way. The server calls this at start-up; searches call it when
    /// there is no index yet or too many saves lie over it.
    pub fn build_search_index_soon(&self) {
        if self.search_index.disabled || self.search_index.building.swap(true, Ordering::SeqCst) {
            return;
        }
        let app = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            match app.prepare_directory_search().await {
                Ok(()) => tracing::info!(
                    millis = started.elapsed().as_millis(),
                    "directory search index built"
                ),
                Err(error) => tracing::warn!(
                    %error,
                    "could not build the directory's search index; the database answers searches"
                ),
            }
            app.search_index.building.store(false, Ordering::SeqCst);
        });
    }

    /// Builds the directory's search index now. The server starts this at start-up,
    /// so that the first searches are fast; a benchmark calls it before timing.
    pub async fn prepare_directory_search(&self) -> Result<(), AppError> {
        let index = &self.search_index;
        if index.disabled {
            return Ok(());
        }
        let saves = index.saves.load(Ordering::SeqCst);
        let reading = self.store.listed_profiles().await?;
        let built = tokio::task::spawn_blocking(move || DirectoryIndex::build(reading))
            .await
            .map_err(|e| AppError::Task(e.to_string()))?;
        // Whatever was saved while it was being built.
        let saved = self.store.profiles_saved_since(built.revision()).await?;
        index.install(Arc::new(built.with_changes(saved)));
        index.checked(saves);
        Ok(())
    }

    /// This application with the database answering every directory search itself,
    /// never from the in-memory index: for measuring the database's search alone.
    pub fn without_directory_index(mut self) -> Self {
        self.search_index = Arc::new(SearchIndex {
            disabled: true,
            ..SearchIndex::default()
        });
        self
    }

    /// True when searches are answered from the in-memory index (for tests and the
    /// benchmark's report).
    pub async fn directory_search_is_indexed(&self) -> bool {
        self.current_search_index().await.is_some()
    }
}
