//! Contract scenarios for the public directory: the same searches find the same
//! profiles on both backends, ranked the same way, and the in-memory index answers
//! exactly as they do.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, Practice, PracticeId};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::account;
use crate::{
    Audited, CredentialRecord, DirectoryQuery, ProfileRecord, ProfileStatus, ProfileTag,
    SearchArea, Store,
};

const PROFILE: ObjectType = ObjectType::from_static("directory_profile");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn audited(chain: &AuditChain) -> Audited<'_> {
    Audited {
        chain,
        events: vec![AuditEvent::new(
            Actor::System,
            Action::Update,
            PROFILE,
            Outcome::Allowed,
        )],
        at: now(),
    }
}

fn profile(practice: PracticeId, account: AccountId, name: &str, text: &str) -> ProfileRecord {
    ProfileRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        account_id: account,
        display_name: name.into(),
        pronouns: "she/her".into(),
        about: text.into(),
        first_session: "We talk.".into(),
        concerns: vec!["vaginismus".into()],
        approaches: vec!["cbt".into()],
        competences: vec!["lgbtq=experienced".into()],
        languages: vec!["en".into()],
        degrees: vec!["phd".into()],
        in_person: false,
        office: None,
        latitude: None,
        longitude: None,
        video: true,
        video_jurisdictions: vec!["US-IL".into()],
        fee_low: Some(120),
        fee_high: Some(180),
        sliding_scale: false,
        insurance: Vec::new(),
        accepting: true,
        status: ProfileStatus::Published,
        held_for: String::new(),
        listed_until: Some(today() + Duration::days(300)),
        search_text: format!("{} {}", name.to_lowercase(), text.to_lowercase()),
        name_words: name.to_lowercase(),
        label_words: String::new(),
        updated_at: now(),
    }
}

fn today() -> Date {
    now().date()
}

fn tags(values: &[&str]) -> Vec<ProfileTag> {
    values
        .iter()
        .map(|tag| ProfileTag {
            tag: (*tag).to_owned(),
            until: None,
        })
        .collect()
}

fn query() -> DirectoryQuery {
    DirectoryQuery {
        today: Some(today()),
        limit: 20,
        ..DirectoryQuery::default()
    }
}

async fn found(store: &dyn Store, query: &DirectoryQuery) -> Vec<String> {
    let matches = store.search_profiles(query).await.expect("search");
    let mut names: Vec<String> = matches
        .hits
        .into_iter()
        .map(|hit| hit.display_name.to_string())
        .collect();
    names.sort();
    names
}

/// Listed profiles are found by words (as prefixes, whatever the seeker types), by
/// every tag, by the box around a place, by fee and mode; expired, held and draft
/// profiles, and expired tags, never are; a saved profile replaces its tags.
pub async fn the_directory_finds_only_listed_profiles_by_words_tags_and_place(store: &dyn Store) {
    let chain = AuditChain::new(&[21; 32]);
    store.start_audit_trail(&chain).await.expect("start");
    let practice = Practice::new(super::name("Lakeside"), false);
    store
        .create_practice(&practice, &super::TEST_KEY)
        .await
        .expect("practice");
    let mut accounts = Vec::new();
    for tag in 40..45 {
        let clinician = account(practice.id, Role::Clinician, tag, None);
        store.create_account(&clinician).await.expect("clinician");
        accounts.push(clinician.id);
    }
    let ana = ProfileRecord {
        in_person: true,
        office: Some("Chicago, IL 60614".into()),
        latitude: Some(41.9227),
        longitude: Some(-87.6533),
        languages: vec!["en".into(), "es".into()],
        sliding_scale: true,
        ..profile(
            practice.id,
            accounts[0],
            "Ana Ruiz",
            "Warm help with vaginismus and pain during sex",
        )
    };
    let ben = ProfileRecord {
        fee_low: Some(200),
        ..profile(
            practice.id,
            accounts[1],
            "Ben Okafor",
            "Erectile difficulties and low desire, for men and couples",
        )
    };
    let expired = ProfileRecord {
        listed_until: Some(today() - Duration::days(1)),
        ..profile(practice.id, accounts[2], "Cleo Expired", "Vaginismus too")
    };
    let held = ProfileRecord {
        status: ProfileStatus::Held,
        ..profile(practice.id, accounts[3], "Dee Held", "Vaginismus as well")
    };
    let unverified = ProfileRecord {
        listed_until: None,
        ..profile(
            practice.id,
            accounts[4],
            "Eve Unverified",
            "Vaginismus again",
        )
    };
    store
        .save_profile(
            &ana,
            &tags(&["concern:vaginismus", "lang:es", "lang:en", "mode:in_person"]),
            audited(&chain),
        )
        .await
        .expect("ana");
    let mut ben_tags = tags(&["concern:erectile_disorder", "video:US-IL"]);
    ben_tags.push(ProfileTag {
        tag: "cert:aasect_cst".into(),
        until: Some(today() - Duration::days(1)),
    });
    store
        .save_profile(&ben, &ben_tags, audited(&chain))
        .await
        .expect("ben");
    for other in [&expired, &held, &unverified] {
        store
            .save_profile(other, &tags(&["concern:vaginismus"]), audited(&chain))
            .await
            .expect("other");
    }

    assert_eq!(found(store, &query()).await, ["Ana Ruiz", "Ben Okafor"]);
    let words = |words: &[&str]| DirectoryQuery {
        words: words.iter().map(|w| (*w).to_owned()).collect(),
        ..query()
    };
    assert_eq!(found(store, &words(&["vagin"])).await, ["Ana Ruiz"]);
    assert_eq!(
        found(store, &words(&["desire", "men"])).await,
        ["Ben Okafor"]
    );
    assert_eq!(
        found(store, &words(&["desire", "vaginismus"])).await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(store, &words(&["okaf"])).await,
        ["Ben Okafor"],
        "names are searched"
    );
    for hostile in ["\"", "a\"b", "*", "NEAR", "or", ":", "(", "'", "&", "!"] {
        store
            .search_profiles(&words(&[hostile]))
            .await
            .expect("odd words are never syntax");
    }
    let tagged = |tags: &[&str]| DirectoryQuery {
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..query()
    };
    assert_eq!(found(store, &tagged(&["lang:es"])).await, ["Ana Ruiz"]);
    assert_eq!(
        found(store, &tagged(&["concern:vaginismus", "lang:es"])).await,
        ["Ana Ruiz"]
    );
    assert_eq!(
        found(store, &tagged(&["video:US-IL"])).await,
        ["Ben Okafor"]
    );
    assert!(
        found(store, &tagged(&["cert:aasect_cst"])).await.is_empty(),
        "an expired certification is not found"
    );
    let sliding = DirectoryQuery {
        sliding_scale_only: true,
        ..query()
    };
    assert_eq!(found(store, &sliding).await, ["Ana Ruiz"]);
    let cheap = DirectoryQuery {
        max_fee: Some(150),
        ..query()
    };
    assert_eq!(found(store, &cheap).await, ["Ana Ruiz"]);
    let in_person = DirectoryQuery {
        in_person_only: true,
        ..query()
    };
    assert_eq!(found(store, &in_person).await, ["Ana Ruiz"]);
    let near_chicago = DirectoryQuery {
        area: Some(SearchArea {
            min_latitude: 41.5,
            max_latitude: 42.3,
            longitudes: vec![(-88.2, -87.2)],
            centre: (41.9, -87.7),
            longitude_scale: 0.745,
        }),
        ..query()
    };
    assert_eq!(found(store, &near_chicago).await, ["Ana Ruiz"]);
    let near_london = DirectoryQuery {
        area: Some(SearchArea {
            min_latitude: 51.0,
            max_latitude: 52.0,
            longitudes: vec![(179.5, 180.0), (-180.0, -179.5)],
            centre: (51.5, 180.0),
            longitude_scale: 0.62,
        }),
        ..query()
    };
    assert!(found(store, &near_london).await.is_empty());

    // Paging: one at a time, in a stable order, with the total.
    let first = DirectoryQuery {
        limit: 1,
        ..query()
    };
    let page = store.search_profiles(&first).await.expect("page");
    assert_eq!((page.hits.len(), page.total), (1, 2));
    let second = DirectoryQuery {
        limit: 1,
        offset: 1,
        ..query()
    };
    let next = store.search_profiles(&second).await.expect("page");
    assert_eq!(next.hits.len(), 1);
    assert_ne!(page.hits[0].id, next.hits[0].id);
    let beyond = DirectoryQuery {
        offset: 50,
        ..query()
    };
    assert!(
        store
            .search_profiles(&beyond)
            .await
            .expect("far")
            .hits
            .is_empty()
    );

    // Saving replaces words and tags.
    let changed = ProfileRecord {
        search_text: "ana ruiz orgasm difficulties".into(),
        ..ana.clone()
    };
    store
        .save_profile(&changed, &tags(&["lang:en"]), audited(&chain))
        .await
        .expect("change");
    assert!(found(store, &words(&["vagin"])).await.is_empty());
    assert_eq!(found(store, &words(&["orgasm"])).await, ["Ana Ruiz"]);
    assert!(found(store, &tagged(&["lang:es"])).await.is_empty());
    assert_eq!(
        store.profile(ana.id).await.expect("read"),
        Some(changed.clone())
    );
    assert_eq!(
        store
            .profile_of(accounts[0])
            .await
            .expect("read")
            .map(|p| p.id),
        Some(ana.id)
    );
    assert_eq!(
        store
            .profiles(&[ben.id, Uuid::now_v7(), ana.id])
            .await
            .expect("read")
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![ben.id, ana.id]
    );
    assert_eq!(
        store
            .profiles_with_status(ProfileStatus::Held)
            .await
            .expect("held")
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![held.id]
    );

    // Credentials: submitted, then decided.
    let licence = CredentialRecord {
        id: Uuid::now_v7(),
        profile_id: ben.id,
        kind: "licence".into(),
        type_id: "lmft".into(),
        number: "123-456".into(),
        jurisdiction: "US-IL".into(),
        expires_on: Some(today() + Duration::days(400)),
        status: "submitted".into(),
        evidence_note: "Illinois licence lookup".into(),
        evidence_type: Some("application/pdf".into()),
        submitted_at: now(),
        verified_by: None,
        decided_on: None,
        verified_until: None,
        checked: String::new(),
        rejected_reason: String::new(),
    };
    store
        .save_credential(&licence, Some(&[37, 80, 68, 70]), audited(&chain))
        .await
        .expect("submit");
    assert_eq!(
        store.credential(licence.id).await.expect("read"),
        Some(licence.clone())
    );
    assert_eq!(store.credential(Uuid::now_v7()).await.expect("read"), None);
    assert_eq!(
        store.submitted_credentials().await.expect("queue"),
        vec![licence.clone()]
    );
    let verified = CredentialRecord {
        status: "verified".into(),
        verified_by: Some(accounts[0]),
        decided_on: Some(today()),
        verified_until: Some(today() + Duration::days(365)),
        checked: "Checked on the board's licence lookup".into(),
        ..licence.clone()
    };
    store
        .save_credential(&verified, None, audited(&chain))
        .await
        .expect("verify");
    assert_eq!(
        store.credential_evidence(licence.id).await.expect("read"),
        Some(vec![37, 80, 68, 70]),
        "a decision leaves the document as it was"
    );
    assert!(
        store
            .submitted_credentials()
            .await
            .expect("queue")
            .is_empty()
    );
    assert_eq!(
        store.profile_credentials(ben.id).await.expect("read"),
        vec![verified]
    );
}

/// A therapist reads only their own contact requests, newest first, each marked read
/// once; requests are counted by sender and by profile for the rate limit; reports
/// list open ones first and change status in place.
pub async fn contact_requests_and_concern_reports_are_kept_and_counted(store: &dyn Store) {
    use crate::{ConcernReportRecord, ContactRequestRecord};

    let chain = AuditChain::new(&[22; 32]);
    store.start_audit_trail(&chain).await.expect("start");
    let practice = Practice::new(super::name("Riverside"), false);
    store
        .create_practice(&practice, &super::TEST_KEY)
        .await
        .expect("practice");
    let ana = account(practice.id, Role::Clinician, 50, None);
    let ben = account(practice.id, Role::Clinician, 51, None);
    for clinician in [&ana, &ben] {
        store.create_account(clinician).await.expect("clinician");
    }
    let profiles = [
        profile(practice.id, ana.id, "Ana", "about"),
        profile(practice.id, ben.id, "Ben", "about"),
    ];
    for p in &profiles {
        store
            .save_profile(p, &[], audited(&chain))
            .await
            .expect("profile");
    }
    let start = now();
    let request = |to: usize, sender: u8, minutes: i64| ContactRequestRecord {
        id: Uuid::now_v7(),
        profile_id: profiles[to].id,
        practice_id: practice.id,
        account_id: profiles[to].account_id,
        sealed: vec![sender; 40],
        sender_digest: [sender; 32],
        received_at: start + Duration::minutes(minutes),
        read_at: None,
    };
    let first = request(0, 1, 0);
    let second = request(0, 2, 5);
    let to_ben = request(1, 1, 6);
    for r in [&first, &second, &to_ben] {
        store
            .save_contact_request(r, audited(&chain))
            .await
            .expect("request");
    }
    let ana_inbox = store.contact_requests_for(ana.id).await.expect("inbox");
    assert_eq!(ana_inbox, vec![second.clone(), first.clone()]);
    assert_eq!(
        store
            .requests_from_since(&[1; 32], start)
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        store
            .requests_from_since(&[1; 32], start + Duration::minutes(1))
            .await
            .expect("count"),
        1
    );
    assert_eq!(
        store
            .requests_to_since(profiles[0].id, start)
            .await
            .expect("count"),
        2
    );
    assert!(
        !store
            .mark_contact_read(ben.id, first.id, start)
            .await
            .expect("not Ben's"),
        "only the therapist it was sent to reads it"
    );
    assert!(
        store
            .mark_contact_read(ana.id, first.id, start)
            .await
            .expect("read")
    );
    assert!(
        !store
            .mark_contact_read(ana.id, first.id, start)
            .await
            .expect("again")
    );

    let report = ConcernReportRecord {
        id: Uuid::now_v7(),
        profile_id: profiles[1].id,
        sealed: vec![9; 40],
        status: "new".into(),
        outcome_sealed: None,
        handled_by: None,
        created_at: start,
        updated_at: start,
    };
    let closed = ConcernReportRecord {
        id: Uuid::now_v7(),
        status: "closed".into(),
        created_at: start - Duration::days(3),
        updated_at: start - Duration::days(2),
        ..report.clone()
    };
    for r in [&closed, &report] {
        store
            .save_concern_report(r, audited(&chain))
            .await
            .expect("report");
    }
    let reviewing = ConcernReportRecord {
        status: "reviewing".into(),
        outcome_sealed: Some(vec![3; 20]),
        handled_by: Some(ana.id),
        updated_at: start + Duration::minutes(9),
        ..report.clone()
    };
    store
        .save_concern_report(&reviewing, audited(&chain))
        .await
        .expect("update");
    assert_eq!(
        store.concern_reports().await.expect("reports"),
        vec![reviewing, closed],
        "open reports first"
    );
}

/// The in-memory index answers every search exactly as the store does: the same page
/// in the same order with the same relevance and total, for words, tags, flags, fees,
/// places and pages in every combination; each save moves the revision, and the
/// listed profiles are read at the revision they carry.
pub async fn the_store_and_the_in_memory_index_answer_alike(store: &dyn Store) {
    use crate::DirectoryIndex;

    let chain = AuditChain::new(&[23; 32]);
    store.start_audit_trail(&chain).await.expect("start");
    let practice = Practice::new(super::name("Harbourside"), false);
    store
        .create_practice(&practice, &super::TEST_KEY)
        .await
        .expect("practice");
    let names = [
        "Ana Ruiz",
        "Ana Ruiz",
        "Ben Okafor",
        "Cleo Sensate",
        "Dev Patel",
        "Émile Roy",
        "ana lower",
        "Zed Focus",
    ];
    let labels = [
        "vaginismus cbt",
        "sensate focus erectile difficulties",
        "",
        "aetna",
    ];
    let texts = [
        "warm help with pain during sex",
        "couples and desire sensate focus at home",
        "chicago office and video",
        "",
    ];
    let before = store.directory_revision().await.expect("revision");
    let mut revision = before;
    for i in 0..24u8 {
        let clinician = account(practice.id, Role::Clinician, 60 + i, None);
        store.create_account(&clinician).await.expect("clinician");
        let n = usize::from(i);
        let name = names[n % names.len()];
        let (label, text) = (labels[n % labels.len()], texts[(n / 2) % texts.len()]);
        let name_words = name.to_lowercase().replace('é', "e");
        let near = n % 3 != 2;
        let record = ProfileRecord {
            in_person: near,
            office: near.then(|| "Chicago, IL".to_owned()),
            // Two share a spot exactly, so the flat distance ties.
            latitude: near.then_some(41.80 + f64::from(i % 5) * 0.05),
            longitude: near.then_some(-87.70 + f64::from(i % 4) * 0.04),
            video: n % 4 != 1,
            fee_low: (n % 5 != 0).then_some(80 + 20 * i64::from(i % 6)),
            sliding_scale: n % 2 == 0,
            accepting: n % 3 != 0,
            status: if n == 7 {
                ProfileStatus::Draft
            } else {
                ProfileStatus::Published
            },
            listed_until: match n {
                5 => Some(today() - Duration::days(1)),
                6 => None,
                _ => Some(today() + Duration::days(30)),
            },
            search_text: format!("{name_words} {label} {text}"),
            name_words,
            label_words: label.to_owned(),
            ..profile(practice.id, clinician.id, name, text)
        };
        let mut profile_tags = tags(&[
            ["concern:vaginismus", "concern:erectile_disorder"][n % 2],
            ["lang:en", "lang:es", "lang:fr"][n % 3],
        ]);
        profile_tags.push(ProfileTag {
            tag: "cert:aasect_cst".into(),
            until: Some(today() + Duration::days(if n % 4 == 0 { -1 } else { 10 })),
        });
        store
            .save_profile(&record, &profile_tags, audited(&chain))
            .await
            .expect("profile");
        let now_at = store.directory_revision().await.expect("revision");
        assert!(now_at > revision, "every save moves the revision");
        revision = now_at;
    }

    let listed = store.listed_profiles().await.expect("listed");
    assert_eq!(listed.revision, revision);
    assert_eq!(
        listed.profiles.len(),
        22,
        "drafts and profiles never verified are left out; an expired one is kept"
    );
    let index = DirectoryIndex::build(listed);
    assert_eq!(index.revision(), revision);

    assert_eq!(
        answered_alike(store, &index).await,
        6 * 4 * 2 * 4 * 4,
        "every combination compared"
    );

    // Saves after the build: one renamed (so it moves in name order), one held, one
    // with new tags, one new; the index catches up with just those.
    let mut renamed = listed_named(&index, store, "Ben Okafor").await;
    renamed.display_name = "Aaron Okafor".into();
    renamed.name_words = "aaron okafor".into();
    renamed.search_text = format!("aaron okafor {}", renamed.search_text);
    store
        .save_profile(
            &renamed,
            &tags(&["concern:vaginismus", "lang:es"]),
            audited(&chain),
        )
        .await
        .expect("renamed");
    let mut held = listed_named(&index, store, "Dev Patel").await;
    held.status = ProfileStatus::Held;
    store
        .save_profile(&held, &tags(&[]), audited(&chain))
        .await
        .expect("held");
    let retagged = listed_named(&index, store, "Zed Focus").await;
    store
        .save_profile(&retagged, &tags(&["lang:es"]), audited(&chain))
        .await
        .expect("retagged");
    let newcomer = account(practice.id, Role::Clinician, 90, None);
    store.create_account(&newcomer).await.expect("newcomer");
    let fresh = ProfileRecord {
        in_person: true,
        office: Some("Chicago, IL".into()),
        latitude: Some(41.9),
        longitude: Some(-87.66),
        name_words: "ana new".into(),
        search_text: "ana new sensate focus vaginismus".into(),
        label_words: "sensate focus".into(),
        ..profile(practice.id, newcomer.id, "Ana New", "sensate focus")
    };
    store
        .save_profile(
            &fresh,
            &tags(&["concern:vaginismus", "lang:es"]),
            audited(&chain),
        )
        .await
        .expect("newcomer");
    let since = store
        .profiles_saved_since(index.revision())
        .await
        .expect("since");
    assert_eq!(since.profiles.len(), 4, "just the four saved");
    assert_eq!(
        since.revision,
        store.directory_revision().await.expect("revision")
    );
    let caught_up = index.with_changes(since);
    assert_eq!(caught_up.revision(), revision + 4);
    assert_eq!(
        caught_up.changes(),
        3 + 3,
        "three superseded, three listed again"
    );
    assert!(caught_up.profile(held.id).is_none());
    assert_eq!(
        caught_up
            .profile(renamed.id)
            .map(|p| p.display_name.as_str()),
        Some("Aaron Okafor")
    );
    assert_eq!(answered_alike(store, &caught_up).await, 6 * 4 * 2 * 4 * 4);
    let rebuilt = DirectoryIndex::build(store.listed_profiles().await.expect("listed"));
    assert_eq!(rebuilt.len(), caught_up.len());
    assert_eq!(rebuilt.changes(), 0);

    // Relevance: a word in the name outranks one in the chosen labels, which outranks
    // one in the free text; ties go by name, then id.
    let sensate = DirectoryQuery {
        words: vec!["sensate".into()],
        limit: 50,
        ..query()
    };
    let found = store.search_profiles(&sensate).await.expect("search");
    let relevance: Vec<f64> = found.hits.iter().map(|hit| hit.relevance).collect();
    assert_eq!(relevance.first(), Some(&3.0), "{:?}", found.hits);
    assert!(
        relevance.contains(&2.0) && relevance.contains(&1.0),
        "{relevance:?}"
    );
    assert!(relevance.windows(2).all(|pair| pair[0] >= pair[1]));
    let same: Vec<(&str, Uuid)> = found
        .hits
        .iter()
        .filter(|hit| hit.relevance == 2.0)
        .map(|hit| (&*hit.display_name, hit.id))
        .collect();
    let mut sorted = same.clone();
    sorted.sort();
    assert_eq!(same, sorted);
}

/// The listed profile of this name, as the store has it.
async fn listed_named(
    index: &crate::DirectoryIndex,
    store: &dyn Store,
    name: &str,
) -> ProfileRecord {
    let reading = store.listed_profiles().await.expect("listed");
    let (profile, _) = reading
        .profiles
        .into_iter()
        .find(|(p, _)| p.display_name == name && index.profile(p.id).is_some())
        .expect("listed");
    store
        .profile(profile.id)
        .await
        .expect("read")
        .expect("stored")
}

/// Asks the store and the index every combination of words, tags, place, flags and
/// page; each must answer alike. Returns how many were compared.
async fn answered_alike(store: &dyn Store, index: &crate::DirectoryIndex) -> usize {
    let mut compared = 0;
    let chicago = SearchArea {
        min_latitude: 41.7,
        max_latitude: 42.0,
        longitudes: vec![(-87.75, -87.55)],
        centre: (41.9, -87.66),
        longitude_scale: 0.745,
    };
    let word_sets: [&[&str]; 6] = [
        &[],
        &["ana"],
        &["sensate"],
        &["sens", "focus"],
        &["chicago"],
        &["nobody"],
    ];
    let tag_sets: [&[&str]; 4] = [
        &[],
        &["concern:vaginismus"],
        &["lang:es", "concern:erectile_disorder"],
        &["cert:aasect_cst"],
    ];
    for words in word_sets {
        for tags in tag_sets {
            for area in [None, Some(chicago.clone())] {
                for flags in 0..4 {
                    for (limit, offset) in [(20, 0), (4, 0), (4, 4), (4, 40)] {
                        let query = DirectoryQuery {
                            words: words.iter().map(|w| (*w).to_owned()).collect(),
                            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                            accepting_only: flags == 1,
                            max_fee: (flags == 2).then_some(140),
                            in_person_only: flags == 3,
                            sliding_scale_only: flags == 3,
                            video_only: flags == 1,
                            area: area.clone(),
                            limit,
                            offset,
                            ..query()
                        };
                        let from_store = store.search_profiles(&query).await.expect("search");
                        assert_eq!(index.search(&query), from_store, "{query:?}");
                        compared += 1;
                    }
                }
            }
        }
    }

    compared
}
