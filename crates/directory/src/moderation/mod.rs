//! Red-flag moderation of directory profiles (PRODUCT.md S18): profile text is screened on
//! every save, and wording that implies touch, nudity, sexual contact, bodywork, surrogate
//! partner work, or coaching presented as therapy holds the profile for the verifier, with
//! the phrases highlighted.
//!
//! The rules are data (`content/directory/red_flags.toml`, read by [`RedFlagRules`]);
//! matching is on whole words of lowercased, accent-folded text ([`words`](self) in the
//! source), with `|` alternatives for inflections instead of regular expressions, `unless`
//! phrases for legitimate clinical wording, and a shared negation list ("there is no
//! physical contact in sessions"). The screen leans towards holding: a false hold costs a
//! verifier a minute, a missed one can put a harmful listing in front of the public.
//!
//! Known limits: the screen reads words, not meaning. Wording it has no pattern for passes,
//! and a red flag directly followed by a negating verb ("nude sessions are not rushed") is
//! taken as negated; the verifier's review of every new profile is the backstop.

mod highlight;
mod phrase;
mod rules;
mod screening;
pub(crate) mod words;

pub use highlight::{Segment, highlight};
pub use rules::{RedFlagCategory, RedFlagRule, RedFlagRules};
pub use screening::{RedFlagHit, Screening};

use crate::DataFileError;

/// Screens `(field name, text)` pairs against the bundled rules.
///
/// Errs only if the bundled rule file is broken (a release bug, caught by this crate's
/// tests); the caller should then refuse the save rather than let the profile through.
pub fn screen(fields: &[(&str, &str)]) -> Result<Screening, DataFileError> {
    Ok(RedFlagRules::builtin()?.screen(fields))
}

#[cfg(test)]
mod tests;
