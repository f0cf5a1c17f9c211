//! The public directory's rules and data, with no I/O: what a therapist may say about
//! themselves, what holds a profile for the verifier, when a credential's badge shows, and
//! where a member of the public reports a licensed therapist.
//!
//! Everything a clinician or a verifier might want to review is a data file under
//! `content/directory/`, embedded in the binary and checked when first read:
//!
//! | File | Read by |
//! |---|---|
//! | `vocabulary.toml` | [`vocabulary`]: licences, degrees, certifications, approaches, affirming competences, languages |
//! | `red_flags.toml` | [`moderation`]: wording that implies touch, nudity, sexual contact, bodywork, surrogates, coaching as therapy |
//! | `jurisdictions.toml` | [`jurisdictions`]: US states, DC and Canadian provinces and territories |
//! | `licensing_boards.toml` | [`licensing_boards`]: who to report a licensed therapist to |
//!
//! The concerns a therapist treats come from the clinical taxonomy in
//! `content/concerns/concerns.toml` ([`concerns`]); this crate reads that file and does not
//! keep a list of its own. [`verification`] is pure logic over dates: badges, listing, video.
//!
//! ```
//! use sensate_directory::moderation;
//!
//! let screening = moderation::screen(&[("about", "Sensate focus homework you do at home.")])?;
//! assert!(screening.is_clear());
//!
//! let screening = moderation::screen(&[("about", "I offer hands-on healing sessions.")])?;
//! assert!(screening.holds_for_verifier());
//! assert_eq!(&"I offer hands-on healing sessions."[screening.hits()[0].range.clone()], "hands-on");
//! # Ok::<(), sensate_directory::DataFileError>(())
//! ```

pub mod concerns;
mod data_file;
pub mod jurisdictions;
pub mod licensing_boards;
pub mod moderation;
mod search_words;
mod term;
pub mod verification;
pub mod vocabulary;

pub use data_file::DataFileError;
pub use search_words::search_words;
pub use term::{Term, TermError};
