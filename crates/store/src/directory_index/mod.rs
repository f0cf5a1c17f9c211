//! The directory's search, answered from memory.
//!
//! The databases' full-text search ranks by visiting every match, and a broad word
//! ("couples", "desire") matches most of a large directory: at 100,000 profiles a page
//! of results took 80–250 ms on SQLite. This index answers the same [`DirectoryQuery`]
//! with the same page — the contract scenarios compare it with both backends — in a
//! fifth of a millisecond at the median (docs/BENCHMARKS.md). Profiles are numbered in (name, id) order, so the last tie-break
//! needs no sort, and every word, tag and flag is a set of those numbers.
//!
//! It is only ever a copy, built from [`crate::Directory::listed_profiles`] and
//! labelled with the revision it was read at. Building takes seconds at 100,000
//! profiles, so a save does not rebuild it: the profiles saved since
//! ([`crate::Directory::profiles_saved_since`]) are kept apart, their built entries
//! left out and their new versions checked one by one, and the app builds again once
//! many have piled up.

mod built;
mod sets;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use time::Date;
use uuid::Uuid;

use self::built::Built;
use self::sets::Bits;
use crate::directory::relevance::{IN_LABELS, IN_NAME, IN_TEXT};
use crate::{
    COUNT_CAP, DirectoryMatches, DirectoryQuery, DirectoryReading, ProfileHit, ProfileRecord,
    ProfileStatus, ProfileTag, SearchArea,
};

/// The directory's search index: the profiles listed when it was built, and those
/// saved since, kept apart until the next build.
#[derive(Clone, Debug)]
pub struct DirectoryIndex {
    revision: i64,
    built: Arc<Built>,
    /// Built profiles saved since, whose built entries no longer count.
    superseded: Option<Bits>,
    /// The latest listed version of each profile saved since the build.
    changed: Vec<(ProfileRecord, Vec<ProfileTag>)>,
}

impl DirectoryIndex {
    /// Builds the index from the store's listed profiles.
    pub fn build(reading: DirectoryReading) -> Self {
        DirectoryIndex {
            revision: reading.revision,
            built: Arc::new(Built::new(reading.profiles)),
            superseded: None,
            changed: Vec::new(),
        }
    }

    /// This index with the profiles saved since it was read
    /// ([`crate::Directory::profiles_saved_since`]): their built entries stop counting
    /// and their new versions, if listed, are searched one by one. Cheap while few
    /// have changed; [`DirectoryIndex::changes`] says when to build again.
    pub fn with_changes(&self, reading: DirectoryReading) -> Self {
        let mut next = self.clone();
        if reading.revision <= self.revision {
            return next;
        }
        next.revision = reading.revision;
        for (profile, tags) in reading.profiles {
            if let Some(number) = self.built.numbers.get(&profile.id) {
                next.superseded
                    .get_or_insert_with(|| Bits::empty(self.built.profiles.len()))
                    .insert(*number);
            }
            next.changed.retain(|(kept, _)| kept.id != profile.id);
            if profile.status == ProfileStatus::Published && profile.listed_until.is_some() {
                next.changed.push((lean(profile), tags));
            }
        }
        next
    }

    /// The store's revision this index is current to.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// How many saved profiles are kept apart from the built sets.
    pub fn changes(&self) -> usize {
        self.changed.len() + self.superseded.as_ref().map_or(0, Bits::count)
    }

    /// How many profiles it holds (listed now or once).
    pub fn len(&self) -> usize {
        let superseded = self.superseded.as_ref().map_or(0, Bits::count);
        self.built.profiles.len() - superseded + self.changed.len()
    }

    /// True when it holds no profile.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A profile it holds, with what a result card shows (no "about" texts,
    /// competences, degrees, video jurisdictions or insurers).
    pub fn profile(&self, id: Uuid) -> Option<&ProfileRecord> {
        if let Some((profile, _)) = self.changed.iter().find(|(p, _)| p.id == id) {
            return Some(profile);
        }
        let number = *self.built.numbers.get(&id)?;
        if self
            .superseded
            .as_ref()
            .is_some_and(|bits| bits.contains(number))
        {
            return None;
        }
        self.built.profiles.get(number as usize)
    }

    /// Answers a query as [`crate::Directory::search_profiles`] does.
    pub fn search(&self, query: &DirectoryQuery) -> DirectoryMatches {
        if self.changed.is_empty() && self.superseded.is_none() {
            return self.built.search(query, None);
        }
        let Some(today) = query.today else {
            return DirectoryMatches::default();
        };
        // The built part's best, as many as the page could need, merged with the
        // changed profiles' matches in the same order.
        let wide = DirectoryQuery {
            offset: 0,
            limit: match query.area {
                Some(_) => query.limit,
                None => query.offset.saturating_add(query.limit),
            },
            ..query.clone()
        };
        let built = self.built.search(&wide, self.superseded.as_ref());
        let flat = |hit: &ProfileHit| match (&query.area, hit.latitude, hit.longitude) {
            (Some(area), Some(latitude), Some(longitude)) => {
                flat_distance(area, latitude, longitude)
            }
            _ => 0.0,
        };
        let mut ranked: Vec<(u32, f64, ProfileHit)> = built
            .hits
            .into_iter()
            .map(|hit| (hit.relevance as u32, flat(&hit), hit))
            .collect();
        let mut more = 0u64;
        for (profile, tags) in &self.changed {
            if let Some((relevance, distance)) = matches_one(profile, tags, query, today) {
                ranked.push((relevance, distance, hit(profile, relevance)));
                more += 1;
            }
        }
        ranked.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.total_cmp(&b.1))
                .then_with(|| a.2.display_name.cmp(&b.2.display_name))
                .then(a.2.id.cmp(&b.2.id))
        });
        let limit = query.limit as usize;
        match query.area {
            Some(_) => {
                ranked.truncate(limit);
                DirectoryMatches {
                    total: ranked.len() as u64,
                    hits: ranked.into_iter().map(|(_, _, hit)| hit).collect(),
                }
            }
            None => DirectoryMatches {
                total: (built.total + more).min(COUNT_CAP + 1),
                hits: ranked
                    .into_iter()
                    .skip(query.offset as usize)
                    .take(limit)
                    .map(|(_, _, hit)| hit)
                    .collect(),
            },
        }
    }
}

/// A profile as the index keeps it: what a result card shows.
pub(super) fn lean(mut profile: ProfileRecord) -> ProfileRecord {
    for text in [
        &mut profile.about,
        &mut profile.first_session,
        &mut profile.held_for,
    ] {
        *text = String::new();
    }
    for list in [
        &mut profile.competences,
        &mut profile.degrees,
        &mut profile.video_jurisdictions,
        &mut profile.insurance,
    ] {
        *list = Vec::new();
    }
    profile
}

/// The databases' flat distance, operation for operation, so that ties fall the same
/// way.
pub(super) fn flat_distance(area: &SearchArea, latitude: f64, longitude: f64) -> f64 {
    let north = latitude - area.centre.0;
    let east = longitude - area.centre.1;
    north * north + east * east * (area.longitude_scale * area.longitude_scale)
}

pub(super) fn inside(area: &SearchArea, latitude: f64, longitude: f64) -> bool {
    latitude >= area.min_latitude
        && latitude <= area.max_latitude
        && area
            .longitudes
            .iter()
            .any(|(west, east)| longitude >= *west && longitude <= *east)
}

fn any_word_begins(text: &str, prefix: &str) -> bool {
    text.split(' ')
        .any(|word| !word.is_empty() && word.starts_with(prefix))
}

/// Whether one profile matches, decided as the built sets decide: its relevance and
/// flat distance if it does.
fn matches_one(
    profile: &ProfileRecord,
    tags: &[ProfileTag],
    query: &DirectoryQuery,
    today: Date,
) -> Option<(u32, f64)> {
    let listed = profile.status == ProfileStatus::Published
        && profile.listed_until.is_some_and(|until| until >= today);
    let flags = (!query.accepting_only || profile.accepting)
        && (!query.sliding_scale_only || profile.sliding_scale)
        && (!query.in_person_only || profile.in_person)
        && (!query.video_only || profile.video);
    let fee = query
        .max_fee
        .is_none_or(|fee| profile.fee_low.is_some_and(|low| low <= fee));
    let tagged = query.tags.iter().all(|wanted| {
        tags.iter()
            .any(|tag| tag.tag == *wanted && tag.until.is_none_or(|until| until >= today))
    });
    let worded = query
        .words
        .iter()
        .all(|word| any_word_begins(&profile.search_text, word));
    if !(listed && flags && fee && tagged && worded) {
        return None;
    }
    let distance = match &query.area {
        None => 0.0,
        Some(area) => {
            let (latitude, longitude) = (profile.latitude?, profile.longitude?);
            if !inside(area, latitude, longitude) {
                return None;
            }
            flat_distance(area, latitude, longitude)
        }
    };
    let relevance = query
        .words
        .iter()
        .map(|word| {
            if any_word_begins(&profile.name_words, word) {
                IN_NAME
            } else if any_word_begins(&profile.label_words, word) {
                IN_LABELS
            } else {
                IN_TEXT
            }
        })
        .sum();
    Some((relevance, distance))
}

fn hit(profile: &ProfileRecord, relevance: u32) -> ProfileHit {
    ProfileHit {
        id: profile.id,
        relevance: f64::from(relevance),
        display_name: Arc::from(profile.display_name.as_str()),
        latitude: profile.latitude,
        longitude: profile.longitude,
    }
}

pub(super) fn counted(total: usize) -> u64 {
    (total as u64).min(COUNT_CAP + 1)
}
