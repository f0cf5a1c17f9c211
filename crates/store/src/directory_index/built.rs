//! The built part of the index: every listed profile numbered in name order, with the
//! sets a search intersects and the relevance of every match at once.

use std::collections::HashMap;
use std::sync::Arc;

use time::Date;
use uuid::Uuid;

use super::sets::{Bits, Posting, Words, collect_words};
use super::{counted, flat_distance, inside, lean};
use crate::directory::relevance::{IN_LABELS, IN_NAME, IN_TEXT};
use crate::{
    DirectoryMatches, DirectoryQuery, ProfileHit, ProfileRecord, ProfileStatus, ProfileTag,
};

/// The profiles holding a tag, and the day each one's tag runs out, where it does.
#[derive(Debug)]
pub(super) struct Tag {
    holders: Posting,
    until: Vec<(u32, Date)>,
}

/// Every profile listed when the directory was read, numbered and ready to search;
/// never changed once built.
#[derive(Debug)]
pub(super) struct Built {
    /// In (name, id) order; a profile's number is its place here. Only what a result
    /// card shows is kept: the texts and the lists no card shows are dropped.
    pub(super) profiles: Vec<ProfileRecord>,
    /// Each profile's name, shared with the hits that carry it.
    display_names: Vec<Arc<str>>,
    pub(super) numbers: HashMap<Uuid, u32>,
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

impl Built {
    pub(super) fn new(profiles: Vec<(ProfileRecord, Vec<ProfileTag>)>) -> Self {
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
    pub(super) fn search(
        &self,
        query: &DirectoryQuery,
        superseded: Option<&Bits>,
    ) -> DirectoryMatches {
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
    pub(super) fn page(
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

    pub(super) fn hit(&self, doc: u32, relevance: u32) -> ProfileHit {
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
pub(super) struct Relevance {
    words: u32,
    planes: Vec<Bits>,
}

impl Relevance {
    pub(super) fn of(set: &Bits, words: &[String], names: &Words, labels: &Words) -> Self {
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

    pub(super) fn of_one(&self, doc: u32) -> u32 {
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
    pub(super) fn levels<'a>(&'a self, set: &'a Bits) -> impl Iterator<Item = (u32, Bits)> + 'a {
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
pub(super) fn add_one_where(planes: &mut Vec<Bits>, bits: &Bits, set: &Bits) {
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
