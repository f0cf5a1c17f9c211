//! Values already opened: a per-key memory of the last value authenticated and
//! decrypted at each place, so a page that shows the same names again does not pay
//! for the same AEAD work again.
//!
//! Opening a sealed field costs about 1.8 µs, nearly all of it a fixed cost per call
//! (docs/BENCHMARKS.md), so a page or a search over hundreds of clients spends most of
//! its time re-opening values it opened moments before. The memory is keyed by the
//! binding (table, column, row) and holds the exact sealed bytes it opened. A value is
//! returned from memory only when the stored bytes are identical, byte for byte, to
//! bytes that already passed authentication at that very place, so nothing is trusted
//! that the AEAD has not checked: altered bytes, or bytes moved from another row or
//! column, miss and go through the AEAD (and fail there).
//!
//! The trade: opened values stay in this process's memory for longer than one request.
//! They live in wiped-on-drop buffers, never in logs or `Debug`, and the whole memory is
//! dropped with its key (key rotation and practice removal make a new key). The number
//! of entries is bounded; when full, the memory is emptied and starts again.

use std::collections::HashMap;
use std::fmt;
use std::sync::RwLock;

use uuid::Uuid;
use zeroize::Zeroizing;

/// The most places remembered per key: a practice of 10,000 clients with a handful of
/// sealed fields each fits, at a few tens of megabytes at most.
pub(crate) const MAX_ENTRIES: usize = 100_000;

type Place = (&'static str, &'static str, Uuid);

struct Entry {
    sealed: Box<[u8]>,
    plaintext: Zeroizing<Vec<u8>>,
}

/// The memory of opened values for one data key.
#[derive(Default)]
pub(crate) struct Opened {
    entries: RwLock<HashMap<Place, Entry>>,
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Opened(..)")
    }
}

impl Opened {
    /// The plaintext last opened at `place` from exactly these sealed bytes.
    pub(crate) fn get(&self, place: Place, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        // A poisoned lock only means another thread panicked mid-update; the memory is
        // an optimisation, so treat it as empty rather than fail the open.
        let entries = self.entries.read().ok()?;
        let entry = entries.get(&place)?;
        (*entry.sealed == *sealed).then(|| entry.plaintext.clone())
    }

    /// Remembers a value that has just passed authentication at `place`.
    pub(crate) fn remember(&self, place: Place, sealed: &[u8], plaintext: &[u8]) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&place) {
            entries.clear();
        }
        entries.insert(
            place,
            Entry {
                sealed: sealed.into(),
                plaintext: Zeroizing::new(plaintext.to_vec()),
            },
        );
    }

    /// How many places are remembered (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries
            .read()
            .map(|entries| entries.len())
            .unwrap_or(0)
    }
}
