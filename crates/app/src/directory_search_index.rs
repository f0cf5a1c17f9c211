//! Keeping the directory's in-memory search index current.
//!
//! The index ([`sensate_store::DirectoryIndex`]) answers exactly as the store does (the
//! contract scenarios check it), only faster, so nothing depends on it being current:
//! while it is missing or behind, the store answers, and one rebuild runs in the
//! background. It is behind once this server has saved a profile since it was built,
//! or once the store's revision has moved (another server saved one); the revision is
//! one small read, made at most once a second.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sensate_store::DirectoryIndex;

use crate::{App, AppError};

/// How often a server asks whether another has changed the directory.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The current index and what is known about its freshness.
#[derive(Debug)]
pub(crate) struct SearchIndex {
    current: RwLock<Option<Arc<DirectoryIndex>>>,
    behind: AtomicBool,
    rebuilding: AtomicBool,
    checked: Mutex<Option<Instant>>,
    /// Never built: the database answers every search (to measure it on its own).
    disabled: bool,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            current: RwLock::new(None),
            behind: AtomicBool::new(true),
            rebuilding: AtomicBool::new(false),
            checked: Mutex::new(None),
            disabled: false,
        }
    }
}

impl SearchIndex {
    /// Called after a profile is saved here: the next search asks the store.
    pub(crate) fn fall_behind(&self) {
        self.behind.store(true, Ordering::SeqCst);
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
            Some(index) if !self.search_index.behind.load(Ordering::SeqCst) => index,
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
            self.search_index.behind.store(false, Ordering::SeqCst);
            let listed = self.store.listed_profiles().await?;
            let index = tokio::task::spawn_blocking(move || DirectoryIndex::build(listed))
                .await
                .map_err(|e| AppError::Task(e.to_string()))?;
            if let Ok(mut current) = self.search_index.current.write() {
                *current = Some(Arc::new(index));
            }
            if let Ok(mut checked) = self.search_index.checked.lock() {
                *checked = Some(Instant::now());
            }
            if !self.search_index.behind.load(Ordering::SeqCst) {
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
