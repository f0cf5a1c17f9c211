//! Keyed digests for finding a sealed value by equality (a "blind index").
//!
//! A sealed column cannot be searched: every sealing uses a fresh nonce, so the same email sealed
//! twice gives different bytes. To find a client by email, the store keeps beside the sealed email a
//! digest `HMAC-SHA256(lookup key, purpose, value)` and looks up by the digest. Without the key the
//! digest cannot be computed, so a stolen database cannot be checked against a list of guessed emails
//! (a plain hash could). The lookup key is derived from the practice's data key with its own label, so
//! the same email gives unrelated digests in two practices, and the purpose keeps digests of different
//! fields apart.
//!
//! Callers normalise first, because equal digests need equal input: trim and lowercase an email,
//! strip spaces from a phone number. Use digests only for exact lookups, and only on fields where
//! revealing "these two rows hold the same value" is acceptable. Digests change when the practice
//! moves to a new data key version (they do not change when a KEK is rotated).

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, ExposeSecretMut};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::data_key::DataKey;
use crate::xchacha::{self, SecretKey};

type HmacSha256 = Hmac<Sha256>;

/// The label that derives a lookup key from a data key; no other use of a data key uses it.
const DERIVATION_LABEL: &[u8] = b"sensate/lookup-key/v1";

/// A key for lookup digests, derived from one practice's data key. Wiped on drop; redacted in `Debug`.
#[derive(Debug)]
pub struct LookupKey {
    key: SecretKey,
}

impl DataKey {
    /// The lookup key for this data key's practice.
    #[must_use]
    pub fn lookup_key(&self) -> LookupKey {
        let mut key = SecretKey::init_with_mut(|_| {});
        let derived = Zeroizing::new(hmac_sha256(self.secret(), &[DERIVATION_LABEL]));
        key.expose_secret_mut().copy_from_slice(derived.as_slice());
        LookupKey { key }
    }
}

impl LookupKey {
    /// The digest of an already normalised value for one purpose, e.g.
    /// `digest("client.email", "ana@example.org")`. `purpose` names the field, so that equal values in
    /// different fields give different digests.
    #[must_use]
    pub fn digest(&self, purpose: &str, normalized_value: &str) -> [u8; 32] {
        let mut purpose_field = Vec::with_capacity(8 + purpose.len());
        xchacha::push_field(&mut purpose_field, purpose.as_bytes());
        hmac_sha256(
            self.key.expose_secret(),
            &[&purpose_field, normalized_value.as_bytes()],
        )
    }
}

/// HMAC-SHA256 of the concatenated `parts` under a 32-byte key.
fn hmac_sha256(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC pads its key with zeros to the 64-byte block; padding here is the same key, and it lets
    // the infallible fixed-size constructor be used.
    let mut block = Zeroizing::new([0u8; 64]);
    block[..32].copy_from_slice(key);
    let mut mac = <HmacSha256 as KeyInit>::new((&*block).into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_key::DataKeyVersion;

    fn lookup_key() -> LookupKey {
        DataKey::generate(DataKeyVersion::FIRST)
            .unwrap()
            .lookup_key()
    }

    #[test]
    fn the_same_value_gives_the_same_digest() {
        let key = lookup_key();
        assert_eq!(
            key.digest("client.email", "ana@example.org"),
            key.digest("client.email", "ana@example.org")
        );
    }

    #[test]
    fn different_values_give_different_digests() {
        let key = lookup_key();
        assert_ne!(
            key.digest("client.email", "ana@example.org"),
            key.digest("client.email", "bea@example.org")
        );
    }

    #[test]
    fn the_same_value_for_another_purpose_gives_another_digest() {
        let key = lookup_key();
        assert_ne!(
            key.digest("client.email", "ana@example.org"),
            key.digest("client.phone", "ana@example.org")
        );
    }

    #[test]
    fn purpose_and_value_cannot_be_shifted_into_each_other() {
        let key = lookup_key();
        assert_ne!(
            key.digest("client.e", "mail"),
            key.digest("client.", "email")
        );
    }

    #[test]
    fn another_practice_gives_another_digest_for_the_same_value() {
        assert_ne!(
            lookup_key().digest("client.email", "ana@example.org"),
            lookup_key().digest("client.email", "ana@example.org")
        );
    }

    #[test]
    fn the_digest_is_not_a_plain_hash_of_the_value() {
        use sha2::Digest;
        let plain: [u8; 32] = Sha256::digest(b"ana@example.org").into();
        assert_ne!(
            lookup_key().digest("client.email", "ana@example.org"),
            plain
        );
    }

    #[test]
    fn the_lookup_key_is_derived_from_the_data_key_not_equal_to_it() {
        let data_key = DataKey::generate(DataKeyVersion::FIRST).unwrap();
        let lookup = data_key.lookup_key();
        assert_ne!(lookup.key.expose_secret(), data_key.secret());
        assert_eq!(
            lookup.key.expose_secret(),
            data_key.lookup_key().key.expose_secret()
        );
    }

    #[test]
    fn digests_are_stable_for_stored_lookups() {
        // Fixed vector: data key 32 × 0x07; checked against Python's hmac module. If this fails,
        // stored digests would no longer match: change the derivation label instead.
        let data_key = DataKey::from_secret(
            DataKeyVersion::FIRST,
            SecretKey::init_with_mut(|k| k.fill(7)),
        );
        let digest = data_key
            .lookup_key()
            .digest("client.email", "ana@example.org");
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(
            hex,
            "c4f50891fa246abd1b1ed454c5a645d1b1b153470b3cdff2d5c5555ce06d6a73"
        );
    }

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231 test case 2 uses a 4-byte key; HMAC pads keys, so a 32-byte key of "Jefe" and
        // zeros gives the same result.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mac = hmac_sha256(&key, &[b"what do ya want ", b"for nothing?"]);
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let hex: String = mac.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(hex, expected);
    }

    #[test]
    fn debug_output_never_shows_the_lookup_key() {
        let shown = format!("{:?}", lookup_key());
        assert!(shown.contains("REDACTED"), "{shown}");
    }
}
