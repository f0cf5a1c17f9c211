//! The directory's search, answered from memory.
//!
//! The databases' full-text search ranks by visiting every match, and a broad word
//! ("couples", "desire") matches most of a large directory: at 100,000 profiles a page
//! of results took 80–250 ms on SQLite. This index answers the same [`DirectoryQuery`]
//! with the same page — the contract scenarios compare it with both backends — in about
//! a millisecond. Profiles are numbered in (name, id) order, so the last tie-break
//! needs no sort, and every word, tag and flag is a set of those numbers.
//!
//! It is only ever a copy, built from [`crate::Directory::listed_profiles`] and
//! labelled with the revision it was read at. Building takes seconds at 100,000
//! profiles, so a save does not rebuild it: the profiles saved since
//! ([`crate::Directory::profiles_saved_since`]) are kept apart, their built entries
//! left out and their new versions checked one by one, and the app builds again once
//! many have piled up.

use std::collections::HashMap;
use std::sync::Arc;

use time::Date;
use uuid::Uuid;

use crate::directory::relevance::{IN_LABELS, IN_NAME, IN_TEXT};
use crate::{
    COUNT_CAP, DirectoryMatches, DirectoryQuery, DirectoryReading, ProfileHit, ProfileRecord,
    ProfileStatus, ProfileTag, SearchArea,
};

/// A set of profile numbers, one bit each.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bits {
    words: Vec<u64>,
}

impl Bits {
    fn empty(len: usize) -> Self {
        Bits {
            words: vec![0; len.div_ceil(64)],
        }
    }

    fn full(len: usize) -> Self {
        let mut bits = Bits {
            words: vec![u64::MAX; len.div_ceil(64)],
        };
        if let Some(last) = bits.words.last_mut().filter(|_| !len.is_multiple_of(64)) {
            *last = (1u64 << (len % 64)) - 1;
        }
        bits
    }

    fn insert(&mut self, doc: u32) {
        self.words[(doc / 64) as usize] |= 1 << (doc % 64);
    }

    fn remove(&mut self, doc: u32) {
        self.words[(doc / 64) as usize] &= !(1 << (doc % 64));
    }

    fn contains(&self, doc: u32) -> bool {
        self.words[(doc / 64) as usize] & (1 << (doc % 64)) != 0
    }

    fn subtract(&mut self, other: &Bits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= !theirs;
        }
    }

    fn intersect(&mut self, other: &Bits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= theirs;
        }
    }

    fn is_empty(&self) -> bool {
        self.words.iter().all(|word| *word == 0)
    }

    /// The numbers in the set, smallest first.
    fn iter(&self) -> Ones<'_> {
        Ones {
            words: &self.words,
            index: 0,
            current: self.words.first().copied().unwrap_or(0),
        }
    }
}

struct Ones<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl Iterator for Ones<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        loop {
            if self.current != 0 {
                let bit = self.current.trailing_zeros();
                self.current &= self.current - 1;
                return u32::try_from(self.index * 64).ok().map(|base| base + bit);
            }
            self.index += 1;
            self.current = *self.words.get(self.index)?;
        }
    }
}

/// The profiles one word or tag belongs to: a sorted list when few do, a bit set when
/// many do (whichever is smaller: a number costs 32 bits, a bit set one per profile).
#[derive(Debug)]
enum Posting {
    Few(Vec<u32>),
    Many(Bits),
}

impl Posting {
    fn new(docs: Vec<u32>, len: usize) -> Self {
        if docs.len() * 32 > len {
            let mut bits = Bits::empty(len);
            for doc in docs {
                bits.insert(doc);
            }
            Posting::Many(bits)
        } else {
            Posting::Few(docs)
        }
    }

    fn add_to(&self, bits: &mut Bits) {
        match self {
            Posting::Few(docs) => docs.iter().for_each(|doc| bits.insert(*doc)),
            Posting::Many(many) => {
                for (mine, theirs) in bits.words.iter_mut().zip(&many.words) {
                    *mine |= theirs;
                }
            }
        }
    }

    fn keep_only_in(&self, set: &mut Bits, len: usize) {
        match self {
            Posting::Many(many) => set.intersect(many),
            Posting::Few(docs) => {
                let mut kept = Bits::empty(len);
                for doc in docs.iter().filter(|doc| set.contains(**doc)) {
                    kept.insert(*doc);
                }
                *set = kept;
            }
        }
    }
}

/// Folded words and the profiles using each, sorted so that every word beginning with
/// a prefix sits in one run.
#[derive(Debug, Default)]
struct Words {
    words: Vec<(String, Posting)>,
}

impl Words {
    fn build(collected: HashMap<String, Vec<u32>>, len: usize) -> Self {
        let mut words: Vec<(String, Posting)> = collected
            .into_iter()
            .map(|(word, docs)| (word, Posting::new(docs, len)))
            .collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Words { words }
    }

    /// The profiles with a word beginning with `prefix` (as FTS5's `prefix*` and
    /// PostgreSQL's `prefix:*` read it).
    fn beginning_with(&self, prefix: &str, len: usize) -> Bits {
        let mut bits = Bits::empty(len);
        let start = self
            .words
            .partition_point(|(word, _)| word.as_str() < prefix);
        for (_, posting) in self.words[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(prefix))
        {
            posting.add_to(&mut bits);
        }
        bits
    }
}

/// Adds each distinct word of a folded text to the profile's postings (profiles come in
/// number order, so every list stays sorted).
fn collect_words(into: &mut HashMap<String, Vec<u32>>, text: &str, doc: u32) {
    let mut words: Vec<&str> = text.split(' ').filter(|word| !word.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    for word in words {
        match into.get_mut(word) {
            Some(docs) => docs.push(doc),
            None => {
                into.insert(word.to_owned(), vec![doc]);
            }
        }
    }
}

/// The profiles holding a tag, and the day each one's tag runs out, where it does.
#[derive(Debug)]
struct Tag {
    holders: Posting,
    until: Vec<(u32, Date)>,
}

/// Every profile listed when the directory was read, numbered and ready to search;
/// never changed once built.
#[derive(Debug)]
struct Built {
    /// In (name, id) order; a profile's number is its place here. Only what a result
    /// card shows is kept: the texts and the lists no card shows are dropped.
    profiles: Vec<ProfileRecord>,
    numbers: HashMap<Uuid, u32>,
    // What a search reads per profile, as arrays indexed by number, so that it walks
    // a few bytes a profile rather than whole records.
    listed_until: Vec<Date>,
    fee_low: Vec<Option<i64>>,
    places: Vec<Option<(f64, f64)>>,
    /// Profiles with an office, by latitude: a place search reads one band of it.
    by_latitude: Vec<(f64, u32)>,
    words: Words,
    names: Words,
    labels: Words,
    tags: HashMap<String, Tag>,
    accepting: Bits,
    sliding_scale: Bits,
    in_person: Bits,
    video: Bits,
}

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
        self.changed.len()
            + self
                .superseded
                .as_ref()
                .map_or(0, |bits| bits.iter().count())
    }

    /// How many profiles it holds (listed now or once).
    pub fn len(&self) -> usize {
        let superseded = self
            .superseded
            .as_ref()
            .map_or(0, |bits| bits.iter().count());
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
fn lean(mut profile: ProfileRecord) -> ProfileRecord {
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
fn flat_distance(area: &SearchArea, latitude: f64, longitude: f64) -> f64 {
    let north = latitude - area.centre.0;
    let east = longitude - area.centre.1;
    north * north + east * east * (area.longitude_scale * area.longitude_scale)
}

fn inside(area: &SearchArea, latitude: f64, longitude: f64) -> bool {
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

impl Built {
    fn new(profiles: Vec<(ProfileRecord, Vec<ProfileTag>)>) -> Self {
        let mut entries: Vec<(ProfileRecord, Vec<ProfileTag>)> = profiles
            .into_iter()
            .filter(|(profile, _)| {
                profile.status == ProfileStatus::Published && profile.listed_until.is_some()
            })
            .collect();
        entries.sort_unstable_by(|(a, _), (b, _)| {
            a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id))
        });
        let len = entries.len();
        let mut words = HashMap::new();
        let mut names = HashMap::new();
        let mut labels = HashMap::new();
        // Per tag: its holders, and the days their tags run out.
        type Holders = (Vec<u32>, Vec<(u32, Date)>);
        let mut tags: HashMap<String, Holders> = HashMap::new();
        let mut accepting = Bits::empty(len);
        let mut sliding_scale = Bits::empty(len);
        let mut in_person = Bits::empty(len);
        let mut video = Bits::empty(len);
        let mut profiles = Vec::with_capacity(len);
        let mut listed_until = Vec::with_capacity(len);
        let mut fee_low = Vec::with_capacity(len);
        let mut places = Vec::with_capacity(len);
        let mut by_latitude = Vec::new();
        let mut numbers = HashMap::with_capacity(len);
        for (doc, (mut profile, profile_tags)) in (0u32..).zip(entries) {
            collect_words(&mut words, &profile.search_text, doc);
            collect_words(&mut names, &profile.name_words, doc);
            collect_words(&mut labels, &profile.label_words, doc);
            for tag in profile_tags {
                let (holders, until) = tags.entry(tag.tag).or_default();
                holders.push(doc);
                if let Some(day) = tag.until {
                    until.push((doc, day));
                }
            }
            for (flag, bits) in [
                (profile.accepting, &mut accepting),
                (profile.sliding_scale, &mut sliding_scale),
                (profile.in_person, &mut in_person),
                (profile.video, &mut video),
            ] {
                if flag {
                    bits.insert(doc);
                }
            }
            listed_until.push(profile.listed_until.unwrap_or(Date::MIN));
            fee_low.push(profile.fee_low);
            let place = profile.latitude.zip(profile.longitude);
            if let Some((latitude, _)) = place {
                by_latitude.push((latitude, doc));
            }
            places.push(place);
            numbers.insert(profile.id, doc);
            for text in [
                &mut profile.search_text,
                &mut profile.name_words,
                &mut profile.label_words,
            ] {
                *text = String::new();
            }
            profiles.push(lean(profile));
        }
        by_latitude.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Built {
            profiles,
            numbers,
            listed_until,
            fee_low,
            places,
            by_latitude,
            words: Words::build(words, len),
            names: Words::build(names, len),
            labels: Words::build(labels, len),
            tags: tags
                .into_iter()
                .map(|(tag, (holders, until))| {
                    let holders = Posting::new(holders, len);
                    (tag, Tag { holders, until })
                })
                .collect(),
            accepting,
            sliding_scale,
            in_person,
            video,
        }
    }

    /// The search over the built profiles, leaving out `superseded` ones.
    fn search(&self, query: &DirectoryQuery, superseded: Option<&Bits>) -> DirectoryMatches {
        let len = self.profiles.len();
        let Some(today) = query.today else {
            return DirectoryMatches::default();
        };
        let mut set = Bits::full(len);
        if let Some(superseded) = superseded {
            set.subtract(superseded);
        }
        for (wanted, bits) in [
            (query.accepting_only, &self.accepting),
            (query.sliding_scale_only, &self.sliding_scale),
            (query.in_person_only, &self.in_person),
            (query.video_only, &self.video),
        ] {
            if wanted {
                set.intersect(bits);
            }
        }
        for wanted in &query.tags {
            let Some(tag) = self.tags.get(wanted) else {
                return DirectoryMatches::default();
            };
            tag.holders.keep_only_in(&mut set, len);
            for (doc, until) in &tag.until {
                if *until < today {
                    set.remove(*doc);
                }
            }
        }
        for word in &query.words {
            if set.is_empty() {
                break;
            }
            set.intersect(&self.words.beginning_with(word, len));
        }
        // Where each word matched, for relevance: only worth working out for a set
        // that is not already empty.
        let placed: Vec<(Bits, Bits)> = if set.is_empty() {
            Vec::new()
        } else {
            query
                .words
                .iter()
                .map(|word| {
                    (
                        self.names.beginning_with(word, len),
                        self.labels.beginning_with(word, len),
                    )
                })
                .collect()
        };
        let listed = |doc: u32| -> bool {
            let doc = doc as usize;
            self.listed_until[doc] >= today
                && query
                    .max_fee
                    .is_none_or(|fee| self.fee_low[doc].is_some_and(|low| low <= fee))
        };
        let limit = query.limit as usize;
        let Some(area) = &query.area else {
            if query.words.is_empty() {
                // Every relevance is 0: number order is the ranking, so the page is a
                // slice of the matches as they come.
                let skip = query.offset as usize;
                let mut total = 0usize;
                let mut hits = Vec::new();
                for doc in set.iter().filter(|doc| listed(*doc)) {
                    if total >= skip && hits.len() < limit {
                        hits.push(hit(&self.profiles[doc as usize], 0));
                    }
                    total += 1;
                }
                return DirectoryMatches {
                    hits,
                    total: counted(total),
                };
            }
            let mut ranked: Vec<(u32, f64, u32)> = set
                .iter()
                .filter(|doc| listed(*doc))
                .map(|doc| (relevance(&placed, doc), 0.0, doc))
                .collect();
            let total = ranked.len();
            let page = self.page(&mut ranked, query.offset as usize, limit);
            return DirectoryMatches {
                hits: page,
                total: counted(total),
            };
        };
        // Only the band of latitudes the box spans is read.
        let first = self
            .by_latitude
            .partition_point(|(latitude, _)| *latitude < area.min_latitude);
        let mut ranked: Vec<(u32, f64, u32)> = self.by_latitude[first..]
            .iter()
            .take_while(|(latitude, _)| *latitude <= area.max_latitude)
            .filter(|(_, doc)| set.contains(*doc) && listed(*doc))
            .filter_map(|(latitude, doc)| {
                let (_, longitude) = self.places[*doc as usize]?;
                inside(area, *latitude, longitude).then(|| {
                    let flat = flat_distance(area, *latitude, longitude);
                    (relevance(&placed, *doc), flat, *doc)
                })
            })
            .collect();
        let hits = self.page(&mut ranked, 0, limit);
        let total = hits.len() as u64;
        DirectoryMatches { hits, total }
    }

    /// Sorts just enough of the ranked matches to cut out one page.
    fn page(
        &self,
        ranked: &mut Vec<(u32, f64, u32)>,
        skip: usize,
        limit: usize,
    ) -> Vec<ProfileHit> {
        let order = |a: &(u32, f64, u32), b: &(u32, f64, u32)| {
            b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        let end = skip.saturating_add(limit);
        if end < ranked.len() {
            ranked.select_nth_unstable_by(end, order);
            ranked.truncate(end);
        }
        ranked.sort_unstable_by(order);
        ranked
            .iter()
            .skip(skip)
            .map(|(relevance, _, doc)| hit(&self.profiles[*doc as usize], *relevance))
            .collect()
    }
}

fn relevance(placed: &[(Bits, Bits)], doc: u32) -> u32 {
    placed
        .iter()
        .map(|(name, labels)| {
            if name.contains(doc) {
                IN_NAME
            } else if labels.contains(doc) {
                IN_LABELS
            } else {
                IN_TEXT
            }
        })
        .sum()
}

fn hit(profile: &ProfileRecord, relevance: u32) -> ProfileHit {
    ProfileHit {
        id: profile.id,
        relevance: f64::from(relevance),
        display_name: profile.display_name.clone(),
        latitude: profile.latitude,
        longitude: profile.longitude,
    }
}

fn counted(total: usize) -> u64 {
    (total as u64).min(COUNT_CAP + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_holds_what_was_put_in_it_and_lists_it_in_order() {
        for len in [0, 1, 63, 64, 65, 130] {
            let full = Bits::full(len);
            assert_eq!(full.iter().count(), len, "{len}");
            assert_eq!(full.iter().last(), len.checked_sub(1).map(|l| l as u32));
        }
        let mut bits = Bits::empty(200);
        for doc in [199, 0, 64, 63, 5] {
            bits.insert(doc);
        }
        bits.remove(5);
        assert_eq!(bits.iter().collect::<Vec<_>>(), [0, 63, 64, 199]);
        assert!(bits.contains(199) && !bits.contains(5));
    }

    #[test]
    fn a_posting_adds_and_keeps_the_same_profiles_few_or_many() {
        let len = 100;
        let docs = vec![1, 50, 99];
        let few = Posting::new(docs.clone(), len);
        let many = Posting::new((0..100).collect(), len);
        assert!(matches!(few, Posting::Few(_)) && matches!(many, Posting::Many(_)));
        let mut bits = Bits::empty(len);
        few.add_to(&mut bits);
        assert_eq!(bits.iter().collect::<Vec<_>>(), docs);
        let mut set = Bits::full(len);
        few.keep_only_in(&mut set, len);
        assert_eq!(set.iter().collect::<Vec<_>>(), docs);
        many.keep_only_in(&mut set, len);
        assert_eq!(set.iter().collect::<Vec<_>>(), docs);
    }

    #[test]
    fn a_prefix_finds_every_word_it_begins_and_no_other() {
        let mut collected = HashMap::new();
        collect_words(&mut collected, "vaginismus pain vaginal", 0);
        collect_words(&mut collected, "vagus pain", 1);
        collect_words(&mut collected, "avagin", 2);
        let words = Words::build(collected, 3);
        let found = |prefix: &str| words.beginning_with(prefix, 3).iter().collect::<Vec<_>>();
        assert_eq!(found("vagin"), [0]);
        assert_eq!(found("vag"), [0, 1]);
        assert_eq!(found("pain"), [0, 1]);
        assert_eq!(found("zz"), Vec::<u32>::new());
        assert_eq!(found("vaginismuss"), Vec::<u32>::new());
    }
}
