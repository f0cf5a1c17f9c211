//! Password hashing with Argon2id, stored as PHC strings.
//!
//! Argon2id is the OWASP Password Storage Cheat Sheet's first choice: memory-hard, so guessing
//! on GPUs or ASICs costs memory as well as time. A PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) records the algorithm, version and
//! parameters next to the salt and hash, so the parameters can be raised later without a
//! migration: [`verify_password`] reports [`Verification::Valid`] with `needs_rehash` when a
//! stored hash was made with other settings, and the caller stores a fresh [`hash_password`] while
//! it holds the plaintext.
//!
//! Both functions are deliberately slow (tens of milliseconds and about 19 MiB each), so callers
//! run them on `spawn_blocking` and cap how many run at once. [`verify_dummy`] costs the same as a
//! real verification, for sign-ins naming an account that does not exist: otherwise the response
//! time would tell an attacker which email addresses have accounts.

use std::fmt;
use std::hint::black_box;
use std::sync::OnceLock;

use argon2::password_hash::phc;
use argon2::{Algorithm, Argon2, PasswordHasher, PasswordVerifier, Version};

use crate::AuthError;

/// Argon2id memory cost in KiB (19 MiB).
///
/// With [`ITERATIONS`] and [`PARALLELISM`], the minimum configuration the OWASP Password Storage
/// Cheat Sheet recommends for Argon2id: 19 MiB of memory, 2 iterations, 1 degree of parallelism
/// (<https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html>). Raising
/// any of the three makes every older hash report `needs_rehash`, so they upgrade as people sign
/// in.
pub const MEMORY_KIB: u32 = 19_456;
/// Argon2id passes over memory (OWASP minimum with 19 MiB: 2).
pub const ITERATIONS: u32 = 2;
/// Argon2id lanes (OWASP minimum: 1; the argon2 crate is built without threads, so more lanes
/// would only add time).
pub const PARALLELISM: u32 = 1;

/// Hash length in bytes (the argon2 crate's default and the reference implementation's).
const OUTPUT_LEN: usize = 32;
/// Salt length in bytes: 128 bits, RFC 9106's recommendation.
const SALT_LEN: usize = 16;

/// The parameters every new hash is made with. Evaluated at compile time, so the `panic!` below
/// is a build error if the constants above are ever made invalid, never a runtime panic.
const PARAMS: argon2::Params =
    match argon2::Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_LEN)) {
        Ok(params) => params,
        Err(_) => panic!("MEMORY_KIB, ITERATIONS and PARALLELISM must be valid Argon2 parameters"),
    };

/// The most a stored hash may ask for. Argon2 allocates all its memory up front and Rust aborts
/// the process when an allocation fails, so a corrupted or planted row saying `m=4000000000`
/// must be refused when parsed, not take the server down at the next sign-in. The bounds leave
/// ample room above today's parameters (and above the 64 MiB, t=3 we may move to).
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 32;
const MAX_PARALLELISM: u32 = 16;

/// An Argon2id password hash in PHC string format, as stored for an account.
///
/// Only made by [`hash_password`] or by [`PasswordHash::parse`] of a stored string, so a value of
/// this type can always be verified against. `Debug` shows the parameters, never the salt or hash
/// (with them, an attacker could guess offline).
#[derive(Clone)]
pub struct PasswordHash {
    phc: String,
    parsed: phc::PasswordHash,
}

impl PasswordHash {
    /// Reads a stored PHC string.
    ///
    /// # Errors
    ///
    /// [`AuthError::MalformedPasswordHash`] unless it is a well-formed Argon2id hash with an
    /// explicit version (a missing one is ambiguous between implementations), a salt of at least
    /// 8 bytes, a hash, and parameters no larger than this crate's bounds.
    pub fn parse(stored: &str) -> Result<Self, AuthError> {
        let parsed = read_argon2id(stored).ok_or(AuthError::MalformedPasswordHash)?;
        Ok(Self {
            phc: stored.to_owned(),
            parsed,
        })
    }

    /// The PHC string, for storage.
    pub fn as_str(&self) -> &str {
        &self.phc
    }

    /// Whether this hash was made with other settings than a new one would be.
    fn needs_rehash(&self) -> bool {
        let current = self.parsed.version == Some(Version::V0x13.into())
            && argon2::Params::try_from(&self.parsed).is_ok_and(|params| params == PARAMS)
            && self
                .parsed
                .salt
                .as_ref()
                .is_some_and(|salt| salt.len() >= SALT_LEN);
        !current
    }
}

/// A PHC string that [`PasswordHash::parse`] accepts, parsed; `None` for anything else.
fn read_argon2id(stored: &str) -> Option<phc::PasswordHash> {
    let parsed = phc::PasswordHash::new(stored).ok()?;
    let version = Version::try_from(parsed.version?).ok()?;
    let salt = parsed.salt.as_ref()?;
    // Also checks the hash length and each parameter's own range.
    let params = argon2::Params::try_from(&parsed).ok()?;
    let acceptable = parsed.algorithm == argon2::ARGON2ID_IDENT
        && matches!(version, Version::V0x10 | Version::V0x13)
        && salt.len() >= argon2::MIN_SALT_LEN
        && parsed.hash.is_some()
        && params.m_cost() <= MAX_MEMORY_KIB
        && params.t_cost() <= MAX_ITERATIONS
        && params.p_cost() <= MAX_PARALLELISM;
    acceptable.then_some(parsed)
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PasswordHash(${}$v={}${}$…)",
            self.parsed.algorithm,
            self.parsed.version.unwrap_or_default(),
            self.parsed.params
        )
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password is right.
    Valid {
        /// The stored hash was made with older settings: hash the password again with
        /// [`hash_password`] and store the new hash in place of the old one.
        needs_rehash: bool,
    },
    /// The password is wrong (or the account does not exist, for [`verify_dummy`]).
    Invalid,
}

impl Verification {
    /// Whether the password is right.
    pub fn is_valid(self) -> bool {
        matches!(self, Self::Valid { .. })
    }
}

/// The hasher with today's settings. Verification takes the settings from the stored hash.
fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, PARAMS)
}

/// Hashes a new password with Argon2id and a fresh random 16-byte salt.
///
/// Slow on purpose: run it on `spawn_blocking`. The caller checks the password's rules first
/// (`sensate_domain::accounts::NewPassword`) and passes its `expose()`.
///
/// # Errors
///
/// [`AuthError::Randomness`] if the system's random number generator fails;
/// [`AuthError::Hashing`] is not expected with this crate's fixed parameters.
pub fn hash_password(password: &str) -> Result<PasswordHash, AuthError> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(AuthError::Randomness)?;
    let parsed = argon2id()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(AuthError::Hashing)?;
    Ok(PasswordHash {
        phc: parsed.to_string(),
        parsed,
    })
}

/// Checks a password against a stored hash, in constant time with respect to the hash.
///
/// Slow on purpose: run it on `spawn_blocking`. On [`Verification::Valid`] with `needs_rehash`,
/// store a fresh [`hash_password`] of the same password.
#[must_use]
pub fn verify_password(password: &str, stored: &PasswordHash) -> Verification {
    match argon2id().verify_password(password.as_bytes(), &stored.parsed) {
        Ok(()) => Verification::Valid {
            needs_rehash: stored.needs_rehash(),
        },
        Err(_) => Verification::Invalid,
    }
}

/// Spends the time of one [`verify_password`] and returns [`Verification::Invalid`], whatever the
/// password.
///
/// Call it when a sign-in names no account, so the response takes as long as for an account
/// that exists. It verifies against a hash of a fixed phrase made once per process with today's
/// settings; the first call also makes that hash, so call it once at start-up to keep even the
/// first sign-in's timing uniform.
pub fn verify_dummy(password: &str) -> Verification {
    if let Some(dummy) = dummy_hash() {
        // `black_box` keeps the optimiser from dropping work whose result is thrown away.
        let _ = black_box(argon2id().verify_password(black_box(password.as_bytes()), dummy));
    }
    Verification::Invalid
}

/// The hash [`verify_dummy`] checks against, made on first use. `None` only if Argon2 refused
/// today's settings, which `PARAMS` being checked at compile time rules out.
fn dummy_hash() -> Option<&'static phc::PasswordHash> {
    // A fixed salt is fine: this hash is never stored and guards nothing.
    static DUMMY: OnceLock<Option<phc::PasswordHash>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            argon2id()
                .hash_password_with_salt(b"sensate/dummy-password/v1", b"sensate/dummy/v1")
                .ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use argon2::CustomizedPasswordHasher;

    use super::*;

    /// A hash with the given settings, as an older release might have stored.
    fn hash_with(m: u32, t: u32, p: u32, password: &str) -> PasswordHash {
        let params = argon2::Params::new(m, t, p, Some(OUTPUT_LEN)).unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_with_salt(password.as_bytes(), b"0123456789abcdef")
            .unwrap();
        PasswordHash::parse(&hash.to_string()).unwrap()
    }

    #[test]
    fn a_hashed_password_verifies_and_is_current() {
        let hash = hash_password("lantern orchard sky").unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            verify_password("lantern orchard sky", &hash),
            Verification::Valid {
                needs_rehash: false
            }
        );
    }

    #[test]
    fn the_stored_string_parses_back_to_a_hash_that_verifies() {
        let hash = hash_password("lantern orchard sky").unwrap();
        let stored = PasswordHash::parse(hash.as_str()).unwrap();
        assert_eq!(stored.as_str(), hash.as_str());
        assert!(verify_password("lantern orchard sky", &stored).is_valid());
    }

    #[test]
    fn a_wrong_password_is_invalid() {
        let hash = hash_password("lantern orchard sky").unwrap();
        assert_eq!(
            verify_password("lantern orchard skY", &hash),
            Verification::Invalid
        );
        assert_eq!(verify_password("", &hash), Verification::Invalid);
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_their_salt() {
        let first = hash_password("lantern orchard sky").unwrap();
        let second = hash_password("lantern orchard sky").unwrap();
        assert_ne!(first.as_str(), second.as_str());
    }

    #[test]
    fn a_hash_made_with_weaker_settings_verifies_and_asks_to_be_rehashed() {
        let old = hash_with(4096, 1, 1, "lantern orchard sky");
        assert_eq!(
            verify_password("lantern orchard sky", &old),
            Verification::Valid { needs_rehash: true }
        );
        assert_eq!(
            verify_password("lantern orchard", &old),
            Verification::Invalid
        );
    }

    #[test]
    fn a_hash_of_the_older_argon2_version_asks_to_be_rehashed() {
        let hash = argon2id()
            .hash_password_customized(
                b"lantern orchard sky",
                b"0123456789abcdef",
                None,
                Some(0x10),
                PARAMS,
            )
            .unwrap();
        let old = PasswordHash::parse(&hash.to_string()).unwrap();
        assert!(old.as_str().starts_with("$argon2id$v=16$"));
        assert_eq!(
            verify_password("lantern orchard sky", &old),
            Verification::Valid { needs_rehash: true }
        );
    }

    #[test]
    fn malformed_or_foreign_hashes_are_refused() {
        let good = hash_password("lantern orchard sky").unwrap();
        let good = good.as_str();
        let cases = [
            String::new(),
            "not a hash".to_owned(),
            good.replacen("argon2id", "argon2i", 1),
            good.replacen("argon2id", "argon2d", 1),
            good.replacen("$v=19", "", 1),
            good.replacen("v=19", "v=20", 1),
            good.replacen("m=19456", "m=4000000000", 1),
            good.replacen("t=2", "t=1000", 1),
            good.replacen("m=19456", "m=abc", 1),
            good.rsplit_once('$').unwrap().0.to_owned(),
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_owned(),
            "$pbkdf2-sha256$i=600000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
                .to_owned(),
        ];
        for case in cases {
            assert!(
                matches!(
                    PasswordHash::parse(&case),
                    Err(AuthError::MalformedPasswordHash)
                ),
                "{case}"
            );
        }
    }

    #[test]
    fn the_dummy_verification_runs_and_is_always_invalid() {
        assert_eq!(verify_dummy("lantern orchard sky"), Verification::Invalid);
        assert_eq!(
            verify_dummy("sensate/dummy-password/v1"),
            Verification::Invalid
        );
    }

    #[test]
    fn the_dummy_hash_exists_and_costs_what_a_current_hash_costs() {
        let dummy = dummy_hash().unwrap();
        let dummy = PasswordHash::parse(&dummy.to_string()).unwrap();
        assert!(!dummy.needs_rehash());
    }

    #[test]
    fn debug_output_shows_settings_but_never_the_salt_or_hash() {
        let hash = hash_password("lantern orchard sky").unwrap();
        let debug = format!("{hash:?}");
        let (_, salt_and_hash) = hash.as_str().split_once("p=1$").unwrap();
        let (salt, digest) = salt_and_hash.split_once('$').unwrap();
        assert!(debug.contains("m=19456,t=2,p=1"), "{debug}");
        assert!(!debug.contains(salt) && !debug.contains(digest), "{debug}");
    }
}
