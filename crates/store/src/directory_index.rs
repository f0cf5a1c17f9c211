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

    fn count(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
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
    /// Each profile's name, shared with the hits that carry it.
    display_names: Vec<Arc<str>>,
    numbers: HashMap<Uuid, u32>,
    // What a search reads per profile, as arrays indexed by number, so that it walks
    // a few bytes a profile rather than whole records.
    /// (listed until, number), soonest first: the few that have run out are a prefix.
    by_listed_until: Vec<(Date, u32)>,
    /// (lowest fee, number) for profiles that give one, cheapest first.
    by_fee: Vec<(i64, u32)>,
    /// Profiles with an office as (latitude, longitude, number), by latitude: a place
    /// search reads one band of it, in order, and looks a profile up by number only
    /// once its office is inside the box.
    by_latitude: Vec<(f64, f64, u32)>,
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
        let mut by_listed_until = Vec::with_capacity(len);
        let mut by_fee = Vec::with_capacity(len);
        let mut by_latitude = Vec::new();
        let mut numbers = HashMap::with_capacity(len);
        let mut shared_names = Vec::with_capacity(len);
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
            by_listed_until.push((profile.listed_until.unwrap_or(Date::MIN), doc));
            if let Some(fee) = profile.fee_low {
                by_fee.push((fee, doc));
            }
            if let Some((latitude, longitude)) = profile.latitude.zip(profile.longitude) {
                by_latitude.push((latitude, longitude, doc));
            }
            numbers.insert(profile.id, doc);
            shared_names.push(Arc::from(profile.display_name.as_str()));
            for text in [
                &mut profile.search_text,
                &mut profile.name_words,
                &mut profile.label_words,
            ] {
                *text = String::new();
            }
            profiles.push(lean(profile));
        }
        by_latitude.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        by_listed_until.sort_unstable();
        by_fee.sort_unstable();
        Built {
            profiles,
            display_names: shared_names,
            numbers,
            by_listed_until,
            by_fee,
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
        // Listings that have run out: the first few by end date.
        for (until, doc) in &self.by_listed_until {
            if *until >= today {
                break;
            }
            set.remove(*doc);
        }
        if let Some(fee) = query.max_fee {
            let affordable = self.by_fee.partition_point(|(low, _)| *low <= fee);
            let mut within = Bits::empty(len);
            for (_, doc) in &self.by_fee[..affordable] {
                within.insert(*doc);
            }
            set.intersect(&within);
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
        // Now `set` is exactly the matches; relevance says how they rank.
        let relevance = Relevance::of(&set, &query.words, &self.names, &self.labels);
        let limit = query.limit as usize;
        let Some(area) = &query.area else {
            let total = set.count();
            let wanted = (query.offset as usize).saturating_add(limit);
            // Matches at each relevance, best first, each in number (name) order.
            let mut hits = Vec::new();
            let mut skipped = 0usize;
            for (level, matches) in relevance.levels(&set) {
                for doc in matches.iter() {
                    if skipped < query.offset as usize {
                        skipped += 1;
                        continue;
                    }
                    if hits.len() >= limit {
                        break;
                    }
                    hits.push(self.hit(doc, level));
                }
                if skipped + hits.len() >= wanted {
                    break;
                }
            }
            return DirectoryMatches {
                hits,
                total: counted(total),
            };
        };
        // Only the band of latitudes the box spans is read.
        let first = self
            .by_latitude
            .partition_point(|(latitude, _, _)| *latitude < area.min_latitude);
        let band = self.by_latitude[first..]
            .partition_point(|(latitude, _, _)| *latitude <= area.max_latitude);
        let mut ranked: Vec<(u32, f64, u32)> = Vec::with_capacity(band);
        ranked.extend(
            self.by_latitude[first..first + band]
                .iter()
                .filter(|(latitude, longitude, doc)| {
                    inside(area, *latitude, *longitude) && set.contains(*doc)
                })
                .map(|(latitude, longitude, doc)| {
                    let flat = flat_distance(area, *latitude, *longitude);
                    (relevance.of_one(*doc), flat, *doc)
                }),
        );
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
            .map(|(relevance, _, doc)| self.hit(*doc, *relevance))
            .collect()
    }

    fn hit(&self, doc: u32, relevance: u32) -> ProfileHit {
        let profile = &self.profiles[doc as usize];
        ProfileHit {
            id: profile.id,
            relevance: f64::from(relevance),
            display_name: self.display_names[doc as usize].clone(),
            latitude: profile.latitude,
            longitude: profile.longitude,
        }
    }
}

/// Every match's relevance at once, as a binary number held across bit sets (plane
/// `p` holds bit `p` of each profile's count): a word adds `IN_TEXT`, and one more for
/// each of "in a label or the name" and "in the name", so the sum of those bits over
/// the words, plus the number of words, is the relevance `relevance` defines.
struct Relevance {
    words: u32,
    planes: Vec<Bits>,
}

impl Relevance {
    fn of(set: &Bits, words: &[String], names: &Words, labels: &Words) -> Self {
        let len = set.words.len() * 64;
        let mut planes: Vec<Bits> = Vec::new();
        if !set.is_empty() {
            for word in words {
                let in_name = names.beginning_with(word, len);
                let mut in_label_or_name = labels.beginning_with(word, len);
                for (mine, theirs) in in_label_or_name.words.iter_mut().zip(&in_name.words) {
                    *mine |= theirs;
                }
                for bits in [&in_label_or_name, &in_name] {
                    add_one_where(&mut planes, bits, set);
                }
            }
        }
        // The planes count steps of one: text, then label, then name.
        const { assert!(IN_TEXT == 1 && IN_LABELS == 2 && IN_NAME == 3) };
        Relevance {
            words: words.len() as u32,
            planes,
        }
    }

    fn of_one(&self, doc: u32) -> u32 {
        if self.words == 0 {
            return 0;
        }
        let mut count = 0;
        for (place, plane) in self.planes.iter().enumerate() {
            if plane.contains(doc) {
                count += 1 << place;
            }
        }
        self.words * IN_TEXT + count
    }

    /// The matches at each relevance, highest first (only the levels some hold).
    fn levels<'a>(&'a self, set: &'a Bits) -> impl Iterator<Item = (u32, Bits)> + 'a {
        let top = (1u32 << self.planes.len()) - 1;
        (0..=top).rev().filter_map(move |count| {
            let mut at = set.clone();
            for (place, plane) in self.planes.iter().enumerate() {
                for (mine, theirs) in at.words.iter_mut().zip(&plane.words) {
                    *mine &= if count & (1 << place) != 0 {
                        *theirs
                    } else {
                        !*theirs
                    };
                }
            }
            let level = if self.words == 0 {
                0
            } else {
                self.words * IN_TEXT + count
            };
            (!at.is_empty()).then_some((level, at))
        })
    }
}

/// Adds one to the bit-sliced counts where `bits` (within `set`) holds: a ripple carry
/// through the planes, 64 profiles at a time.
fn add_one_where(planes: &mut Vec<Bits>, bits: &Bits, set: &Bits) {
    for (index, (word, within)) in bits.words.iter().zip(&set.words).enumerate() {
        let mut carry = word & within;
        let mut place = 0;
        while carry != 0 {
            if place == planes.len() {
                planes.push(Bits {
                    words: vec![0; set.words.len()],
                });
            }
            let plane = &mut planes[place].words[index];
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
            place += 1;
        }
    }
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

    /// A tiny generator, so the test needs no crate.
    struct Draw(u64);

    impl Draw {
        fn below(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % bound
        }
    }

    fn generated(count: usize, today: Date) -> Vec<(ProfileRecord, Vec<ProfileTag>)> {
        use sensate_domain::{AccountId, PracticeId};
        let words = [
            "pain", "painful", "desire", "couples", "sensate", "focus", "shame", "sex",
        ];
        let names = [
            "Ana Ruiz",
            "Ana Roe",
            "Ben Pain",
            "Cleo Desire",
            "Dev Focus",
            "Eli Sex",
        ];
        let mut draw = Draw(7);
        (0..count)
            .map(|i| {
                let name = names[draw.below(names.len())];
                let name_words = name.to_lowercase();
                let label_words: Vec<&str> = (0..draw.below(3))
                    .map(|_| words[draw.below(words.len())])
                    .collect();
                let text: Vec<&str> = (0..draw.below(6))
                    .map(|_| words[draw.below(words.len())])
                    .collect();
                let placed = draw.below(3) > 0;
                let profile = ProfileRecord {
                    id: Uuid::from_u128(i as u128 * 7919 % 1000 + 1),
                    practice_id: PracticeId::from_uuid(Uuid::from_u128(1)),
                    account_id: AccountId::from_uuid(Uuid::from_u128(i as u128 + 10_000)),
                    display_name: name.into(),
                    pronouns: String::new(),
                    about: String::new(),
                    first_session: String::new(),
                    concerns: Vec::new(),
                    approaches: Vec::new(),
                    competences: Vec::new(),
                    languages: Vec::new(),
                    degrees: Vec::new(),
                    in_person: placed,
                    office: None,
                    latitude: placed.then(|| 41.0 + draw.below(20) as f64 * 0.05),
                    longitude: placed.then(|| -88.0 + draw.below(20) as f64 * 0.05),
                    video: draw.below(2) == 0,
                    video_jurisdictions: Vec::new(),
                    fee_low: (draw.below(4) > 0).then(|| 60 + 20 * draw.below(6) as i64),
                    fee_high: None,
                    sliding_scale: draw.below(2) == 0,
                    insurance: Vec::new(),
                    accepting: draw.below(3) > 0,
                    status: if draw.below(20) == 0 {
                        ProfileStatus::Held
                    } else {
                        ProfileStatus::Published
                    },
                    held_for: String::new(),
                    listed_until: Some(today + time::Duration::days(draw.below(40) as i64 - 5)),
                    search_text: format!(
                        "{name_words} {} {}",
                        label_words.join(" "),
                        text.join(" ")
                    ),
                    name_words,
                    label_words: label_words.join(" "),
                    updated_at: time::OffsetDateTime::UNIX_EPOCH,
                };
                let tags = vec![
                    ProfileTag {
                        tag: format!("lang:{}", ["en", "es"][draw.below(2)]),
                        until: None,
                    },
                    ProfileTag {
                        tag: "cert:cst".into(),
                        until: Some(today + time::Duration::days(draw.below(10) as i64 - 5)),
                    },
                ];
                (profile, tags)
            })
            .collect()
    }

    /// The reference: every profile checked one by one, sorted by the documented order.
    fn one_by_one(
        profiles: &[(ProfileRecord, Vec<ProfileTag>)],
        query: &DirectoryQuery,
    ) -> DirectoryMatches {
        let today = query.today.expect("a day");
        let mut ranked: Vec<(u32, f64, &ProfileRecord)> = profiles
            .iter()
            .filter_map(|(p, tags)| matches_one(p, tags, query, today).map(|(r, d)| (r, d, p)))
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.total_cmp(&b.1))
                .then_with(|| a.2.display_name.cmp(&b.2.display_name))
                .then(a.2.id.cmp(&b.2.id))
        });
        let total = ranked.len();
        let (skip, total) = match query.area {
            Some(_) => (0, total.min(query.limit as usize)),
            None => (query.offset as usize, total),
        };
        DirectoryMatches {
            hits: ranked
                .iter()
                .skip(skip)
                .take(query.limit as usize)
                .map(|(r, _, p)| hit(p, *r))
                .collect(),
            total: counted(total),
        }
    }

    #[test]
    fn the_built_sets_rank_every_search_as_checking_each_profile_does() {
        let today = Date::from_calendar_date(2026, time::Month::December, 1).expect("a day");
        let profiles = generated(400, today);
        let index = DirectoryIndex::build(DirectoryReading {
            revision: 1,
            profiles: profiles.clone(),
        });
        // Half of them saved again (some renamed, some held), laid over the index.
        let mut changed: Vec<(ProfileRecord, Vec<ProfileTag>)> = profiles
            .iter()
            .step_by(2)
            .cloned()
            .map(|(mut p, tags)| {
                if p.id.as_u128() % 3 == 0 {
                    p.display_name = format!("Zoe {}", p.display_name);
                    p.name_words = format!("zoe {}", p.name_words);
                    p.search_text = format!("zoe {}", p.search_text);
                } else if p.id.as_u128() % 3 == 1 {
                    p.status = ProfileStatus::Held;
                }
                (p, tags)
            })
            .collect();
        changed.truncate(60);
        let overlaid = index.with_changes(DirectoryReading {
            revision: 2,
            profiles: changed.clone(),
        });
        let mut after = profiles.clone();
        for (p, tags) in &changed {
            after.retain(|(q, _)| q.id != p.id);
            after.push((p.clone(), tags.clone()));
        }
        let words: [&[&str]; 7] = [
            &[],
            &["pain"],
            &["pa", "sex"],
            &["ana"],
            &["zoe", "fo"],
            &["s", "de", "c"],
            &["x"],
        ];
        let (mut compared, mut found) = (0, 0);
        for words in words {
            for tags in [&[][..], &["lang:es"][..], &["cert:cst", "lang:en"][..]] {
                for area in [false, true] {
                    for flags in 0..4 {
                        for (limit, offset) in [(20, 0), (3, 0), (3, 7), (50, 40)] {
                            let query = DirectoryQuery {
                                words: words.iter().map(|w| (*w).to_owned()).collect(),
                                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                                accepting_only: flags == 1,
                                sliding_scale_only: flags == 2,
                                video_only: flags == 3,
                                in_person_only: flags == 2,
                                max_fee: (flags == 3).then_some(100),
                                area: area.then(|| SearchArea {
                                    min_latitude: 41.2,
                                    max_latitude: 41.8,
                                    longitudes: vec![(-87.9, -87.3)],
                                    centre: (41.5, -87.6),
                                    longitude_scale: 0.75,
                                }),
                                today: Some(today),
                                limit,
                                offset,
                            };
                            let from_sets = index.search(&query);
                            found += from_sets.hits.len();
                            assert_eq!(from_sets, one_by_one(&profiles, &query), "{query:?}");
                            assert_eq!(
                                overlaid.search(&query),
                                one_by_one(&after, &query),
                                "{query:?}"
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 7 * 3 * 2 * 4 * 4);
        assert!(found > 2000, "the searches find profiles: {found}");
    }
}
