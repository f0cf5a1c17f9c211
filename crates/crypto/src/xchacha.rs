//! The one AEAD construction used everywhere in this crate, and the randomness it needs.
//!
//! Both wrapped data keys and sealed fields end in the same body: `nonce (24) | ciphertext | tag (16)`,
//! made with XChaCha20-Poly1305 and a fresh random 192-bit nonce. A 192-bit nonce is large enough that
//! random nonces never collide in practice, so no counter has to be kept (and kept in step between
//! several servers). Keeping the construction in one place means the formats around it stay small,
//! and the plaintext-handling rules (encrypt in place, wipe every buffer that held plaintext) are
//! written once.

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use secrecy::{ExposeSecretMut, SecretBox};
use zeroize::Zeroizing;

use crate::error::CryptoError;

/// Length of every key in this crate: 256 bits.
pub(crate) const KEY_LEN: usize = 32;
/// Length of an XChaCha20-Poly1305 nonce: 192 bits.
pub(crate) const NONCE_LEN: usize = 24;
/// Length of a Poly1305 tag.
pub(crate) const TAG_LEN: usize = 16;

/// A secret 256-bit key that is wiped from memory when dropped and never shown by `Debug`.
pub(crate) type SecretKey = SecretBox<[u8; KEY_LEN]>;

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(CryptoError::Randomness)
}

/// Makes a fresh random key, written straight into its wiped-on-drop box.
pub(crate) fn random_key() -> Result<SecretKey, CryptoError> {
    let mut key = SecretKey::init_with_mut(|_| {});
    fill_random(key.expose_secret_mut())?;
    Ok(key)
}

/// Encrypts `plaintext` under `key` and appends `nonce | ciphertext | tag` to `out`.
///
/// The plaintext is copied into `out` and encrypted there, so no other copy of it is made; callers
/// reserve room in `out` first so that it is not reallocated while it holds plaintext.
pub(crate) fn seal_into(
    key: &[u8; KEY_LEN],
    associated_data: &[u8],
    plaintext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    out.reserve(NONCE_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(&nonce);
    let start = out.len();
    out.extend_from_slice(plaintext);
    let cipher = XChaCha20Poly1305::new(key.into());
    let tag = cipher
        .encrypt_inout_detached((&nonce).into(), associated_data, (&mut out[start..]).into())
        // Only messages longer than 256 GiB are refused; wipe the plaintext copy all the same.
        .map_err(|_| {
            zeroize::Zeroize::zeroize(&mut out[start..]);
            CryptoError::TooLarge
        })?;
    out.extend_from_slice(&tag);
    Ok(())
}

/// Why a body did not open. Callers turn it into their own error, so that a data key and a field
/// report failures in their own words.
#[derive(Debug)]
pub(crate) struct AuthenticationFailed;

/// Opens a `nonce | ciphertext | tag` body made by [`seal_into`] with the same key and associated
/// data. The plaintext is returned in a buffer that is wiped when dropped.
pub(crate) fn open_body(
    key: &[u8; KEY_LEN],
    associated_data: &[u8],
    body: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthenticationFailed> {
    let Some((nonce, rest)) = body.split_first_chunk::<NONCE_LEN>() else {
        return Err(AuthenticationFailed);
    };
    let Some((ciphertext, tag)) = rest.split_last_chunk::<TAG_LEN>() else {
        return Err(AuthenticationFailed);
    };
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt_inout_detached(
            nonce.into(),
            associated_data,
            buffer.as_mut_slice().into(),
            tag.into(),
        )
        .map_err(|_| AuthenticationFailed)?;
    Ok(buffer)
}

/// Appends a length-prefixed field to associated data, so that no two different lists of fields
/// encode to the same bytes (`"ab" + "c"` and `"a" + "bc"` differ).
pub(crate) fn push_field(aad: &mut Vec<u8>, field: &[u8]) {
    aad.extend_from_slice(&(field.len() as u64).to_be_bytes());
    aad.extend_from_slice(field);
}
