//! Keeping the directory's in-memory search index current.
//!
//! The index ([`sensate_store::DirectoryIndex`]) answers exactly as the store does (the
//! contract scenarios check it), only faster, so nothing depends on it being current:
//! while it is missing or behind, the store answers, and one rebuild runs in the
//! background. It is behind once this server has saved a profile since it began to be
//! built, or once the store's revision has moved (another server saved one); the
//! revision is one small read, made at most once a second.
//!
//! Saves are counted, and an index carries the count it was begun at: it is current
//! only while the count has not moved. (A flag cleared when a rebuild begins would let
//! the index before it pass for current until the rebuild finished.)

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sensate_store::DirectoryIndex;

use crate::{App, AppError};

/// How often a server asks whether another has changed the directory.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The current index and what is known about its freshness.
#[derive(Debug)]
pub(crate) struct SearchIndex {
    /// The index, with the count of saves it was begun at.
    current: RwLock<Option<(Arc<DirectoryIndex>, u64)>>,
    /// Profiles saved here, and revisions seen moving elsewhere.
    saves: AtomicU64,
    rebuilding: AtomicBool,
    checked: Mutex<Option<Instant>>,
    /// Never built: the database answers every search (to measure it on its own).
    disabled: bool,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            current: RwLock::new(None),
            saves: AtomicU64::new(0),
            rebuilding: AtomicBool::new(false),
            checked: Mutex::new(None),
            disabled: false,
        }
    }
}

impl SearchIndex {
    /// Called after a profile is saved here (once the save is in): until an index
    /// begun after this is ready, the store answers.
    pub(crate) fn fall_behind(&self) {
        self.saves.fetch_add(1, Ordering::SeqCst);
    }

    /// True when the revision is due to be checked again (and notes that it is).
    fn check_due(&self) -> bool {
        let Ok(mut checked) = self.checked.lock() else {
            return true;
        };
        match *checked {
            Some(at) if at.elapsed() < CHECK_EVERY => false,
            _ => {
                *checked = Some(Instant::now());
                true
            }
        }
    }
}

impl App {
    /// The index, if it is current; otherwise `None`, with a rebuild under way.
    pub(crate) async fn current_search_index(&self) -> Option<Arc<DirectoryIndex>> {
        if self.search_index.disabled {
            return None;
        }
        let index = self.search_index.current.read().ok()?.clone();
        let index = match index {
            Some((index, begun_at))
                if begun_at == self.search_index.saves.load(Ordering::SeqCst) =>
            {
                index
            }
            _ => {
                self.rebuild_search_index_soon();
                return None;
            }
        };
        if self.search_index.check_due() {
            match self.store.directory_revision().await {
                Ok(revision) if revision == index.revision() => {}
                Ok(_) => {
                    self.search_index.fall_behind();
                    self.rebuild_search_index_soon();
                    return None;
                }
                // The store will say what is wrong when it is asked itself.
                Err(_) => return None,
            }
        }
        Some(index)
    }

    fn rebuild_search_index_soon(&self) {
        if self.search_index.rebuilding.swap(true, Ordering::SeqCst) {
            return;
        }
        let app = self.clone();
        tokio::spawn(async move {
            if let Err(error) = app.prepare_directory_search().await {
                tracing::warn!(%error, "could not build the directory's search index; the database answers searches");
            }
            app.search_index.rebuilding.store(false, Ordering::SeqCst);
        });
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

    /// Builds the directory's search index now, and again until no save has landed
    /// while it was being built. The server starts this at start-up, so the first
    /// searches are fast; a benchmark calls it before timing.
    pub async fn prepare_directory_search(&self) -> Result<(), AppError> {
        if self.search_index.disabled {
            return Ok(());
        }
        loop {
            let begun_at = self.search_index.saves.load(Ordering::SeqCst);
            let listed = self.store.listed_profiles().await?;
            let index = tokio::task::spawn_blocking(move || DirectoryIndex::build(listed))
                .await
                .map_err(|e| AppError::Task(e.to_string()))?;
            if let Ok(mut current) = self.search_index.current.write() {
                *current = Some((Arc::new(index), begun_at));
            }
            if let Ok(mut checked) = self.search_index.checked.lock() {
                *checked = Some(Instant::now());
            }
            if self.search_index.saves.load(Ordering::SeqCst) == begun_at {
                return Ok(());
            }
        }
    }

    /// True when searches are answered from the in-memory index (for tests and the
    /// benchmark's report).
    pub async fn directory_search_is_indexed(&self) -> bool {
        self.current_search_index().await.is_some()
    }
}
