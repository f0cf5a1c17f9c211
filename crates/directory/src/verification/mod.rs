//! Credential verification rules (PRODUCT.md S14-S16), pure logic over dates: when a
//! credential's badge shows and what it says, and when a profile can be found.
//!
//! The directory shows only what a verifier has checked, and says exactly what was checked
//! and when ("Licence checked against the Illinois licensing board's records on 3 March
//! 2026; valid until 31 December 2027"). A submitted or rejected credential shows nothing;
//! a verified one past its `until` date shows as expired. A certification is never shown
//! unless verified: AASECT's rule that membership is not certification is the reason a
//! therapist's own claim is never enough. Only a current verified *licence* makes a profile
//! searchable; certifications add to a listing but cannot create one.
//!
//! `today` is always a parameter, never read from a clock, so every rule is tested at its
//! date edges and the web layer decides which calendar day it is.

mod badge;
mod credential;
mod listing;

pub use badge::Badge;
pub use credential::{
    Certification, Credential, CredentialKind, CredentialStatus, Licence, Verification,
};
pub use listing::{
    HiddenBecause, ProfileStanding, Searchability, licensed_for_video_in, searchability,
};
