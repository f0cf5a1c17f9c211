//! The index's sets and its ranking, checked against checking each profile one by one.

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use super::sets::{Bits, Posting, Words, collect_words};
use super::{DirectoryIndex, counted, hit, matches_one};
use crate::{
    DirectoryMatches, DirectoryQuery, DirectoryReading, ProfileRecord, ProfileStatus, ProfileTag,
    SearchArea,
};

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
                search_text: format!("{name_words} {} {}", label_words.join(" "), text.join(" ")),
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
