//! The public directory: therapists' profiles, their credentials, and search.
//!
//! A profile is public by design, so it is stored plain, unlike everything about
//! clients. Search is the database's own full-text search (SQLite FTS5, PostgreSQL
//! `tsvector`) over one `search_text` column the app writes already folded (lower case,
//! accents removed), so both backends see the same words; every list a seeker filters
//! on (concerns, approaches, languages, video jurisdictions, certifications…) is a row
//! in a tag table, indexed by tag. Location is a bounding box in SQL and the exact
//! distance in the app: the box is cheap to index and the distance is easy to get right
//! once, in Rust.
//!
//! Ranking is the same on both backends and in the in-process index
//! ([`crate::DirectoryIndex`]): [`relevance`] (when there are words), then the flat
//! distance from a place (when there is one), then the name (byte order: PostgreSQL's
//! column is `COLLATE "C"`), then the id.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Audited, StoreError};

/// Where a profile stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileStatus {
    /// Being written; not public.
    Draft,
    /// Published by the clinician; public once a licence is verified and current.
    Published,
    /// Held by moderation for the verifier; not public.
    Held,
    /// Suspended by a verifier; not public.
    Suspended,
}

impl ProfileStatus {
    /// Its stored code.
    pub fn code(self) -> &'static str {
        match self {
            ProfileStatus::Draft => "draft",
            ProfileStatus::Published => "published",
            ProfileStatus::Held => "held",
            ProfileStatus::Suspended => "suspended",
        }
    }

    /// The status for a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "draft" => ProfileStatus::Draft,
            "published" => ProfileStatus::Published,
            "held" => ProfileStatus::Held,
            "suspended" => ProfileStatus::Suspended,
            _ => return None,
        })
    }
}

/// A therapist's public profile.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice the clinician belongs to.
    pub practice_id: PracticeId,
    /// The clinician.
    pub account_id: AccountId,
    /// The name shown.
    pub display_name: String,
    /// Their pronouns, if given.
    pub pronouns: String,
    /// "About me".
    pub about: String,
    /// "What a first session with me is like".
    pub first_session: String,
    /// Concern ids treated.
    pub concerns: Vec<String>,
    /// Approach ids.
    pub approaches: Vec<String>,
    /// Affirming competences as `id=level`.
    pub competences: Vec<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Degree ids.
    pub degrees: Vec<String>,
    /// Sees clients in person.
    pub in_person: bool,
    /// The office's place, as the gazetteer labelled it (`Chicago, IL 60614`).
    pub office: Option<String>,
    /// The office's latitude.
    pub latitude: Option<f64>,
    /// The office's longitude.
    pub longitude: Option<f64>,
    /// Sees clients by video.
    pub video: bool,
    /// Jurisdiction codes it offers video in (`US-IL`).
    pub video_jurisdictions: Vec<String>,
    /// The lowest fee per session, in whole currency units.
    pub fee_low: Option<i64>,
    /// The highest fee per session.
    pub fee_high: Option<i64>,
    /// Offers a sliding scale.
    pub sliding_scale: bool,
    /// Insurance accepted, as the clinician names it.
    pub insurance: Vec<String>,
    /// Accepting new clients.
    pub accepting: bool,
    /// Where it stands.
    pub status: ProfileStatus,
    /// Moderation's hits that hold it, as the app wrote them (empty when clear).
    pub held_for: String,
    /// Listed until this day: the latest "verified until" of its current licences;
    /// `None` while no licence is verified.
    pub listed_until: Option<Date>,
    /// The folded words search reads: every word below, with the "about" texts.
    pub search_text: String,
    /// The folded words of the name, which weigh most in relevance.
    pub name_words: String,
    /// The folded words of the concerns, approaches and insurers chosen from lists,
    /// which weigh more than the free text.
    pub label_words: String,
    /// When it was last saved.
    pub updated_at: OffsetDateTime,
}

/// One filterable value of a profile (`concern:vaginismus`), valid until a day (a
/// certification's verification) or for as long as the profile says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileTag {
    /// `kind:value`.
    pub tag: String,
    /// The last day it holds, if it runs out.
    pub until: Option<Date>,
}

/// A credential a clinician submitted, and what the verifier made of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialRecord {
    /// Its id.
    pub id: Uuid,
    /// The profile.
    pub profile_id: Uuid,
    /// `licence` or `certification`.
    pub kind: String,
    /// The licence type or certification id.
    pub type_id: String,
    /// The licence number (empty for a certification without one).
    pub number: String,
    /// The jurisdiction code of a licence (`US-IL`).
    pub jurisdiction: String,
    /// When the credential itself expires, as the clinician states it.
    pub expires_on: Option<Date>,
    /// `submitted`, `verified` or `rejected`.
    pub status: String,
    /// The clinician's note on where the evidence can be checked.
    pub evidence_note: String,
    /// The uploaded document's media type, if one was uploaded. Its sealed bytes (up
    /// to 2 MB) are written once, with the new credential, and read only on their own
    /// ([`Directory::credential_evidence`]), so lists and profile pages never carry them.
    pub evidence_type: Option<String>,
    /// When it was submitted.
    pub submitted_at: OffsetDateTime,
    /// The verifier.
    pub verified_by: Option<AccountId>,
    /// When they decided.
    pub decided_on: Option<Date>,
    /// Verified until.
    pub verified_until: Option<Date>,
    /// What the verifier checked, in words.
    pub checked: String,
    /// Why it was rejected, for the clinician.
    pub rejected_reason: String,
}

/// The box a location search reads; the app then measures exact distances.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchArea {
    /// The southern edge.
    pub min_latitude: f64,
    /// The northern edge.
    pub max_latitude: f64,
    /// One or two longitude ranges (two when the box crosses ±180°).
    pub longitudes: Vec<(f64, f64)>,
    /// The place searched near: (latitude, longitude).
    pub centre: (f64, f64),
    /// How much shorter a degree of longitude is than one of latitude there (the cosine
    /// of the latitude), for ordering by distance.
    pub longitude_scale: f64,
}

/// A directory search, already parsed and checked by the app.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DirectoryQuery {
    /// Folded words (letters and digits only); all must match, each as a prefix.
    pub words: Vec<String>,
    /// Tags a profile must all have (current on `today`).
    pub tags: Vec<String>,
    /// Only profiles accepting new clients.
    pub accepting_only: bool,
    /// Only profiles with a sliding scale.
    pub sliding_scale_only: bool,
    /// Only in-person profiles.
    pub in_person_only: bool,
    /// Only video profiles.
    pub video_only: bool,
    /// Only profiles whose lowest fee is at most this.
    pub max_fee: Option<i64>,
    /// Only profiles with an office in this box; then every match comes back (up to
    /// `limit`) for the app to measure, sort and page.
    pub area: Option<SearchArea>,
    /// The day searched (for expiry).
    pub today: Option<Date>,
    /// How many hits to return.
    pub limit: u32,
    /// How many to skip (ignored with an area).
    pub offset: u32,
}

/// One match.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileHit {
    /// The profile.
    pub id: Uuid,
    /// Higher is more relevant; 0 without words. See [`relevance`].
    pub relevance: f64,
    /// The name, for the tie-break (shared: an index hands out thousands per search).
    pub display_name: std::sync::Arc<str>,
    /// The office's latitude.
    pub latitude: Option<f64>,
    /// The office's longitude.
    pub longitude: Option<f64>,
}

/// How relevant a profile is to the words searched, the same on every backend: each
/// word adds [`IN_NAME`] when it begins a word of the name, else [`IN_LABELS`] when it
/// begins a word of a concern, approach or insurer the therapist chose from a list,
/// else [`IN_TEXT`] (every match begins a word somewhere). Counting where words match,
/// rather than how often, keeps a ranking nobody can buy with repetition, and lets each
/// backend compute it exactly.
pub mod relevance {
    /// A word found in the name.
    pub const IN_NAME: u32 = 3;
    /// A word found in a chosen concern, approach or insurer.
    pub const IN_LABELS: u32 = 2;
    /// A word found only in the free text.
    pub const IN_TEXT: u32 = 1;
}

/// The most matches a search counts; a larger total reads as `COUNT_CAP + 1`.
pub const COUNT_CAP: u64 = 1000;

/// A page of matches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DirectoryMatches {
    /// The matches: a page without an area, every match in the box with one.
    pub hits: Vec<ProfileHit>,
    /// How many match in all (without an area), up to [`COUNT_CAP`] + 1.
    pub total: u64,
}

/// Profiles with their tags, as one consistent reading of the directory: what the
/// in-process search index is built from and kept current with. The profiles come
/// without their "about" texts (`about`, `first_session` empty): search reads those
/// words in `search_text`.
#[derive(Clone, Debug, Default)]
pub struct DirectoryReading {
    /// The directory's revision when it was read (see [`Directory::directory_revision`]).
    pub revision: i64,
    /// The profiles read, with their tags.
    pub profiles: Vec<(ProfileRecord, Vec<ProfileTag>)>,
}

/// Pairs each profile with its tags, read as text: each row a profile's id and one or
/// more entries separated by U+001E, each `tag` U+001F `until` (`YYYY-MM-DD`, or empty
/// when it does not run out). Tags read as a few long texts rather than a row each
/// make a reading of 100,000 profiles (1.4 million tags) take a second, not several.
/// A backend's helper for [`Directory::listed_profiles`].
pub fn with_tag_lists(
    profiles: Vec<ProfileRecord>,
    lists: Vec<(Uuid, String)>,
) -> Result<Vec<(ProfileRecord, Vec<ProfileTag>)>, StoreError> {
    let mut by_profile: std::collections::HashMap<Uuid, Vec<ProfileTag>> =
        std::collections::HashMap::with_capacity(profiles.len());
    for (profile, list) in lists {
        let tags = by_profile.entry(profile).or_default();
        for entry in list.split('\u{1e}').filter(|entry| !entry.is_empty()) {
            let (tag, until) = entry.split_once('\u{1f}').unwrap_or((entry, ""));
            let until = match until {
                "" => None,
                day => Some(iso_date(day).ok_or_else(|| StoreError::Corrupt {
                    what: "directory tag",
                    reason: "its end date is not a date".into(),
                })?),
            };
            tags.push(ProfileTag {
                tag: tag.to_owned(),
                until,
            });
        }
    }
    Ok(profiles
        .into_iter()
        .map(|profile| {
            let tags = by_profile.remove(&profile.id).unwrap_or_default();
            (profile, tags)
        })
        .collect())
}

/// Splits every tag of the directory read as one text (entries separated by U+001E,
/// each the profile id, U+001D, then `tag` U+001F `until`) into rows for
/// [`with_tag_lists`].
pub fn tag_rows(all: &str) -> Result<Vec<(Uuid, String)>, StoreError> {
    all.split('\u{1e}')
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (id, tag) = entry.split_once('\u{1d}').unwrap_or(("", entry));
            let id = Uuid::parse_str(id).map_err(|_| StoreError::Corrupt {
                what: "directory tag",
                reason: "its profile id is not an id".into(),
            })?;
            Ok((id, tag.to_owned()))
        })
        .collect()
}

fn iso_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Storing and searching the directory.
#[async_trait]
pub trait Directory {
    /// Stores a profile (new or replacing) with its tags, with its audit rows.
    async fn save_profile(
        &self,
        profile: &ProfileRecord,
        tags: &[ProfileTag],
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// One profile.
    async fn profile(&self, id: Uuid) -> Result<Option<ProfileRecord>, StoreError>;

    /// Several profiles, in the order asked (missing ones left out).
    async fn profiles(&self, ids: &[Uuid]) -> Result<Vec<ProfileRecord>, StoreError>;

    /// The clinician's profile.
    async fn profile_of(&self, account: AccountId) -> Result<Option<ProfileRecord>, StoreError>;

    /// Profiles with this status, oldest change first (the verifier's queue).
    async fn profiles_with_status(
        &self,
        status: ProfileStatus,
    ) -> Result<Vec<ProfileRecord>, StoreError>;

    /// Searches listed profiles: published, with a licence verified and current on
    /// `today`.
    async fn search_profiles(&self, query: &DirectoryQuery)
    -> Result<DirectoryMatches, StoreError>;

    /// A number that grows with every profile saved, so a server can tell cheaply
    /// whether its search index is still current (another server may have written).
    async fn directory_revision(&self) -> Result<i64, StoreError>;

    /// Every published profile with a verified licence (current or not: the day decides
    /// at search time), with its tags and the revision they were read at.
    async fn listed_profiles(&self) -> Result<DirectoryReading, StoreError>;

    /// Every profile saved after `revision` (whatever its status now), with its tags and
    /// the revision they were read at: how an index catches up with saves.
    async fn profiles_saved_since(&self, revision: i64) -> Result<DirectoryReading, StoreError>;

    /// Stores a credential (new or replacing), with its audit rows. `evidence` is the
    /// uploaded document's sealed bytes, kept only when the credential is new: a
    /// decision leaves the document as it was.
    async fn save_credential(
        &self,
        credential: &CredentialRecord,
        evidence: Option<&[u8]>,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// One credential.
    async fn credential(&self, id: Uuid) -> Result<Option<CredentialRecord>, StoreError>;

    /// A credential's uploaded document, sealed, if it has one.
    async fn credential_evidence(&self, id: Uuid) -> Result<Option<Vec<u8>>, StoreError>;

    /// A profile's credentials, oldest first.
    async fn profile_credentials(&self, profile: Uuid)
    -> Result<Vec<CredentialRecord>, StoreError>;

    /// Credentials waiting for a verifier, oldest first.
    async fn submitted_credentials(&self) -> Result<Vec<CredentialRecord>, StoreError>;
}
