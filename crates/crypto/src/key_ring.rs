//! The key ring: every key-encryption key this installation still needs, in memory.
//!
//! A ring holds one or more KEKs in ascending id order; the newest (highest id) is the *active* one,
//! used to wrap data keys, while the older ones stay only so that keys they wrapped can still be
//! unwrapped until a rotation has re-wrapped them. The ring is loaded from and saved to the key file
//! by [`crate::KeyFile`]; this module only holds the rules that keep it consistent (never empty, ids
//! only grow, the active key is never retired), so they are tested without touching a disk.

use std::collections::BTreeSet;

use crate::error::CryptoError;
use crate::kek::{KekId, KeyEncryptionKey};
use crate::xchacha::random_key;

/// One or more key-encryption keys, oldest first; the last is active.
#[derive(Debug)]
pub struct KeyRing {
    /// Never empty; ids strictly ascending.
    keks: Vec<KeyEncryptionKey>,
    /// Equal to the last KEK's id; kept apart so that reading it needs no fallible lookup.
    active: KekId,
}

impl KeyRing {
    /// A new ring in memory with one fresh KEK, for tests and tools. Nothing is saved: data wrapped
    /// under it is lost with it. A server uses [`crate::KeyFile::open_or_create`] instead.
    pub fn generate() -> Result<Self, CryptoError> {
        let first = KeyEncryptionKey::new(KekId::FIRST, crate::utc::now(), random_key()?);
        Ok(Self {
            keks: vec![first],
            active: KekId::FIRST,
        })
    }

    /// A ring from KEKs already checked to be non-empty and strictly ascending by id (the key file
    /// parser checks both). Returns `None` if they are not.
    pub(crate) fn from_sorted(keks: Vec<KeyEncryptionKey>) -> Option<Self> {
        let ascending = keks.windows(2).all(|pair| pair[0].id() < pair[1].id());
        let active = keks.last()?.id();
        ascending.then_some(Self { keks, active })
    }

    /// The KEK that wraps new data keys: the newest.
    #[must_use]
    pub fn active_id(&self) -> KekId {
        self.active
    }

    /// The KEK with this id, if the ring still holds it.
    #[must_use]
    pub fn get(&self, id: KekId) -> Option<&KeyEncryptionKey> {
        self.keks
            .binary_search_by_key(&id, KeyEncryptionKey::id)
            .ok()
            .and_then(|index| self.keks.get(index))
    }

    /// The active KEK.
    pub(crate) fn active(&self) -> Result<&KeyEncryptionKey, CryptoError> {
        self.get(self.active)
            .ok_or(CryptoError::UnknownKek { id: self.active })
    }

    /// The ids of every KEK in the ring, oldest first.
    #[must_use]
    pub fn ids(&self) -> Vec<KekId> {
        self.keks.iter().map(KeyEncryptionKey::id).collect()
    }

    /// Every KEK in the ring, oldest first (for listing; the key bytes stay hidden).
    pub fn keks(&self) -> impl Iterator<Item = &KeyEncryptionKey> {
        self.keks.iter()
    }

    /// Adds a fresh KEK with the next id and makes it active. Returns its id.
    pub(crate) fn add_kek(&mut self) -> Result<KekId, CryptoError> {
        let id = self.active.next().ok_or(CryptoError::KekIdsExhausted)?;
        self.keks
            .push(KeyEncryptionKey::new(id, crate::utc::now(), random_key()?));
        self.active = id;
        Ok(id)
    }

    /// Removes every KEK that is neither active nor in `still_needed`. Returns the removed ids.
    pub(crate) fn retire_except(&mut self, still_needed: &BTreeSet<KekId>) -> Vec<KekId> {
        let active = self.active;
        let mut retired = Vec::new();
        self.keks.retain(|kek| {
            let keep = kek.id() == active || still_needed.contains(&kek.id());
            if !keep {
                retired.push(kek.id());
            }
            keep
        });
        retired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_ring_has_one_active_key_with_the_first_id() {
        let ring = KeyRing::generate().unwrap();
        assert_eq!(ring.ids(), vec![KekId::FIRST]);
        assert_eq!(ring.active_id(), KekId::FIRST);
    }

    #[test]
    fn adding_a_key_makes_the_new_key_active_and_keeps_the_old_one() {
        let mut ring = KeyRing::generate().unwrap();
        let added = ring.add_kek().unwrap();
        assert_eq!(added, KekId::new(2));
        assert_eq!(ring.active_id(), added);
        assert!(ring.get(KekId::FIRST).is_some());
    }

    #[test]
    fn retiring_never_removes_the_active_key() {
        let mut ring = KeyRing::generate().unwrap();
        ring.add_kek().unwrap();
        let retired = ring.retire_except(&BTreeSet::new());
        assert_eq!(retired, vec![KekId::FIRST]);
        assert_eq!(ring.ids(), vec![KekId::new(2)]);
    }

    #[test]
    fn retiring_keeps_keys_that_are_still_needed() {
        let mut ring = KeyRing::generate().unwrap();
        ring.add_kek().unwrap();
        ring.add_kek().unwrap();
        let retired = ring.retire_except(&BTreeSet::from([KekId::FIRST]));
        assert_eq!(retired, vec![KekId::new(2)]);
        assert_eq!(ring.ids(), vec![KekId::FIRST, KekId::new(3)]);
    }

    #[test]
    fn ids_keep_growing_after_a_retirement() {
        let mut ring = KeyRing::generate().unwrap();
        ring.add_kek().unwrap();
        ring.retire_except(&BTreeSet::new());
        assert_eq!(ring.add_kek().unwrap(), KekId::new(3));
    }

    #[test]
    fn a_ring_must_be_non_empty_and_ascending() {
        assert!(KeyRing::from_sorted(Vec::new()).is_none());
        let mut ring = KeyRing::generate().unwrap();
        ring.add_kek().unwrap();
        let mut keks = ring.keks;
        keks.reverse();
        assert!(KeyRing::from_sorted(keks).is_none());
    }

    #[test]
    fn debug_output_names_the_keys_but_never_shows_their_bytes() {
        let ring = KeyRing::generate().unwrap();
        let shown = format!("{ring:?}");
        let secret = ring.active().unwrap().secret();
        assert!(shown.contains("REDACTED"), "{shown}");
        assert!(!shown.contains(&format!("{secret:?}")));
        assert!(!shown.contains(&format!("{:?}", &secret[..8])));
    }
}
