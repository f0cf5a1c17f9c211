//! The hasher for the gazetteer's name indexes.
//!
//! The standard library's SipHash resists hash flooding, where an attacker inserts many
//! keys that collide. These indexes are filled once from the shipped tables and a query
//! only looks up, so that attack does not apply, and SipHash was a fifth of the load
//! time. This is FxHash's multiply-rotate step (as used inside rustc), a few lines rather
//! than a dependency.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed with [`IndexHasher`].
pub(crate) type IndexMap<K, V> = HashMap<K, V, BuildHasherDefault<IndexHasher>>;

/// FxHash: fast and unkeyed, for maps whose keys come from the shipped data.
#[derive(Clone, Copy, Default)]
pub(crate) struct IndexHasher(u64);

impl IndexHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for IndexHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
