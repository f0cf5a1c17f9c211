//! Finding a therapist: the public search and the public profile.
//!
//! Every filter arrives as a plain query parameter (a search is a shareable link), so
//! everything here expects odd and hostile input: unknown values are named and left
//! out, markup is only ever text, and a place nobody knows gives a clear message and
//! no results rather than an error page. Nothing about the seeker is recorded: no
//! audit row, no log line with the query.
//!
//! Ranking is deterministic and documented: relevance to the words (when there are
//! words), then distance (when there is a place), then name, then id. Nothing is paid
//! for.

use sensate_directory::concerns::ConcernsTreated;
use sensate_directory::jurisdictions::Jurisdictions;
use sensate_directory::verification::{
    Badge, Certification, Credential, CredentialKind, CredentialStatus, Licence, Verification,
};
use sensate_directory::vocabulary::Vocabulary;
use sensate_directory::{Term, search_words};
use sensate_places::{BoundingBox, DistanceUnit, Gazetteer, Radius, distance_km};
use sensate_store::{
    CredentialRecord, DirectoryQuery, ProfileHit, ProfileRecord, ProfileStatus, SearchArea,
};
use uuid::Uuid;

use crate::{App, AppError};

/// Results on one page.
pub const PAGE_SIZE: u32 = 20;
/// The last page anyone can ask for.
pub const MAX_PAGE: u32 = 500;
/// The most matches a place search measures (a box holds far fewer in practice).
const MAX_IN_AREA: u32 = 5000;
const MAX_WORDS: usize = 8;

/// A search as the query string has it: every field optional, all text.
#[derive(Clone, Debug, Default)]
pub struct DirectorySearch {
    /// Free text.
    pub q: String,
    /// A concern id.
    pub concern: String,
    /// An approach id.
    pub approach: String,
    /// An affirming-competence id.
    pub competence: String,
    /// A language code.
    pub language: String,
    /// `in_person`, `video` or empty.
    pub mode: String,
    /// A jurisdiction code for video.
    pub state: String,
    /// An insurer's name.
    pub insurance: String,
    /// The most a session may cost.
    pub max_fee: String,
    /// `yes` for a sliding scale.
    pub sliding_scale: String,
    /// `yes` for accepting new clients.
    pub accepting: String,
    /// A certification id.
    pub certification: String,
    /// A postal code or city.
    pub near: String,
    /// The radius.
    pub radius: String,
    /// `km` or `mi`.
    pub unit: String,
    /// The page, from 1.
    pub page: String,
}

/// One result.
#[derive(Clone, Debug)]
pub struct ResultCard {
    /// The profile.
    pub id: Uuid,
    /// The name.
    pub display_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// The office, if in person.
    pub office: Option<String>,
    /// How far, when searching near a place.
    pub distance: Option<String>,
    /// Concern names (the first few).
    pub concerns: Vec<String>,
    /// Approach names (the first few).
    pub approaches: Vec<String>,
    /// Language names.
    pub languages: Vec<String>,
    /// Sees clients in person.
    pub in_person: bool,
    /// Sees clients by video.
    pub video: bool,
    /// Accepting new clients.
    pub accepting: bool,
    /// Fees in words.
    pub fees: Option<String>,
    /// Offers a sliding scale.
    pub sliding_scale: bool,
}

/// A page of results.
#[derive(Clone, Debug, Default)]
pub struct SearchResults {
    /// The results.
    pub cards: Vec<ResultCard>,
    /// How many match in all (counted up to a thousand and one).
    pub total: u64,
    /// True when more match than were counted.
    pub more_than_counted: bool,
    /// This page.
    pub page: u32,
    /// How many pages.
    pub pages: u32,
    /// The place searched near, as resolved ("Chicago, IL 60614").
    pub place: Option<String>,
    /// What was not understood, in plain words.
    pub messages: Vec<String>,
}

/// A listed therapist's public profile.
#[derive(Clone, Debug)]
pub struct PublicProfile {
    /// The stored profile.
    pub profile: ProfileRecord,
    /// What was verified, each badge with its statement; expired ones say so.
    pub badges: Vec<(String, Badge)>,
    /// Concern names.
    pub concerns: Vec<String>,
    /// Approach names.
    pub approaches: Vec<String>,
    /// Competences as "LGBTQ+ — specialist".
    pub competences: Vec<String>,
    /// Language names.
    pub languages: Vec<String>,
    /// Degree names.
    pub degrees: Vec<String>,
    /// Jurisdiction names for video.
    pub video_in: Vec<String>,
    /// True while a verified licence is current (otherwise it is not in search results).
    pub listed: bool,
    /// The fees in words.
    pub fees: Option<String>,
}

fn yes(value: &str) -> bool {
    matches!(value.trim(), "yes" | "on" | "true" | "1")
}

/// A profile's fees in words ("$120–$160 a session").
pub(crate) fn fees(profile: &ProfileRecord) -> Option<String> {
    match (profile.fee_low, profile.fee_high) {
        (Some(low), Some(high)) if low != high => Some(format!("${low}–${high} a session")),
        (Some(fee), _) | (None, Some(fee)) => Some(format!("${fee} a session")),
        (None, None) => None,
    }
}

/// The credential as the verification rules read it.
fn credential(record: &CredentialRecord, jurisdictions: &Jurisdictions) -> Credential {
    let board = jurisdictions
        .jurisdiction(&record.jurisdiction)
        .map_or_else(String::new, |j| j.name.clone());
    Credential {
        kind: if record.kind == "licence" {
            CredentialKind::Licence(Licence {
                licence_type: record.type_id.clone(),
                number: record.number.clone(),
                jurisdiction: board,
                expires: record
                    .expires_on
                    .or(record.verified_until)
                    .unwrap_or(time::Date::MIN),
            })
        } else {
            CredentialKind::Certification(Certification {
                certification: record.type_id.clone(),
            })
        },
        status: match (
            record.status.as_str(),
            record.decided_on,
            record.verified_until,
        ) {
            ("verified", Some(on), Some(until)) => CredentialStatus::Verified(Verification {
                by: String::new(),
                on,
                until,
                checked: record.checked.clone(),
            }),
            ("rejected", _, _) => CredentialStatus::Rejected {
                reason: record.rejected_reason.clone(),
            },
            _ => CredentialStatus::Submitted,
        },
    }
}

impl App {
    /// Searches the directory. Never fails on what a seeker typed: problems come back as
    /// messages with the results (or none).
    pub async fn search_directory(
        &self,
        search: &DirectorySearch,
    ) -> Result<SearchResults, AppError> {
        let vocabulary = Vocabulary::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let concerns = ConcernsTreated::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let jurisdictions = Jurisdictions::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let today = self.clock.now().date();
        let mut results = SearchResults {
            page: 1,
            ..SearchResults::default()
        };
        let mut query = DirectoryQuery {
            today: Some(today),
            limit: PAGE_SIZE,
            ..DirectoryQuery::default()
        };
        // Only the first 200 characters are read: a search box, not a document.
        let text: String = search.q.chars().take(200).collect();
        query.words = search_words(&text)
            .into_iter()
            .filter(|w| w.chars().count() <= 40)
            .take(MAX_WORDS)
            .collect();
        let mut filter = |kind: &str, value: &str, known: bool, what: &str| {
            let value = value.trim();
            if value.is_empty() {
                return;
            }
            if known {
                query.tags.push(format!("{kind}:{value}"));
            } else {
                results.messages.push(format!(
                    "We do not know that {what}, so it was left out of the search."
                ));
            }
        };
        filter(
            "concern",
            &search.concern,
            concerns.concern(search.concern.trim()).is_some(),
            "concern",
        );
        filter(
            "approach",
            &search.approach,
            vocabulary.approach(search.approach.trim()).is_some(),
            "approach",
        );
        filter(
            "comp",
            &search.competence,
            vocabulary
                .affirming_competence(search.competence.trim())
                .is_some(),
            "experience",
        );
        filter(
            "lang",
            &search.language,
            vocabulary.language(search.language.trim()).is_some(),
            "language",
        );
        filter(
            "cert",
            &search.certification,
            vocabulary
                .certification(search.certification.trim())
                .is_some(),
            "certification",
        );
        filter(
            "video",
            &search.state,
            jurisdictions.jurisdiction(search.state.trim()).is_some(),
            "state or province",
        );
        let insurer =
            search_words(&search.insurance.chars().take(60).collect::<String>()).join(" ");
        if !insurer.is_empty() {
            query.tags.push(format!("ins:{insurer}"));
        }
        match search.mode.trim() {
            "" | "either" => {}
            "in_person" => query.in_person_only = true,
            "video" => query.video_only = true,
            _ => results
                .messages
                .push("Choose in person, video or either.".into()),
        }
        if !search.state.trim().is_empty() {
            query.video_only = true;
        }
        query.sliding_scale_only = yes(&search.sliding_scale);
        query.accepting_only = yes(&search.accepting);
        match search.max_fee.trim().trim_start_matches('$') {
            "" => {}
            raw => match raw.parse::<i64>() {
                Ok(fee) if fee >= 0 => query.max_fee = Some(fee),
                _ => results
                    .messages
                    .push("The most you can pay should be a whole amount, such as 150.".into()),
            },
        }
        let page = match search.page.trim() {
            "" => 1,
            raw => match raw.parse::<u32>() {
                Ok(page) if (1..=MAX_PAGE).contains(&page) => page,
                _ => {
                    results.messages.push(
                        "That page is not one we can show; here is where the results start.".into(),
                    );
                    1
                }
            },
        };
        results.page = page;
        let unit = match search.unit.trim() {
            "" => DistanceUnit::Miles,
            raw => DistanceUnit::parse(raw).unwrap_or(DistanceUnit::Miles),
        };
        let mut centre = None;
        let mut video_from = None;
        if !search.near.trim().is_empty() {
            let radius = match search.radius.trim() {
                "" => Radius::new(25.0, unit),
                raw => Radius::parse(raw, unit.symbol()),
            };
            let place = Gazetteer::builtin().resolve(&search.near);
            match (place, radius) {
                // By video, distance does not matter but the law does: a therapist may
                // see by video only people where they are licensed, so a place asks for
                // therapists licensed in its state or province.
                (Ok(place), _) if query.video_only && search.state.trim().is_empty() => {
                    let code = place
                        .region()
                        .map(|region| format!("{}-{region}", place.country()));
                    match code.filter(|code| jurisdictions.jurisdiction(code).is_some()) {
                        Some(code) => {
                            let name = jurisdictions
                                .jurisdiction(&code)
                                .map_or(code.clone(), |j| j.name.clone());
                            query.tags.push(format!("video:{code}"));
                            results.place =
                                Some(format!("{} (by video, licensed in {name})", place.label()));
                            video_from = Some(place.coordinates());
                        }
                        None => {
                            results.messages.push(format!(
                                "We cannot tell which licensing area {} is in, so choose your state or province for video.",
                                place.label()
                            ));
                            return Ok(results);
                        }
                    }
                    query.offset = (page - 1) * PAGE_SIZE;
                }
                (Ok(place), Ok(radius)) => {
                    let bounds = BoundingBox::around(place.coordinates(), radius);
                    let ranges = bounds.longitude_ranges();
                    query.area = Some(SearchArea {
                        min_latitude: bounds.min_latitude,
                        max_latitude: bounds.max_latitude,
                        longitudes: if ranges[0] == ranges[1] {
                            vec![ranges[0]]
                        } else {
                            ranges.to_vec()
                        },
                        centre: place.coordinates(),
                        longitude_scale: place.latitude().to_radians().cos(),
                    });
                    // Near a place means an office near it; video is its own choice.
                    query.in_person_only = true;
                    query.limit = MAX_IN_AREA;
                    results.place = Some(place.label());
                    centre = Some((place.coordinates(), radius));
                }
                (Err(error), _) | (_, Err(error)) => {
                    results.messages.push(format!("{error}"));
                    return Ok(results);
                }
            }
        } else {
            query.offset = (page - 1) * PAGE_SIZE;
        }
        // The in-memory index answers as the store would, only faster; until it is
        // first built, the store answers.
        let index = self.current_search_index().await;
        let matches = match &index {
            Some(index) => index.search(&query),
            None => self.store.search_profiles(&query).await?,
        };
        let matches_in_box = matches.hits.len() as u64;
        let (hits, total): (Vec<(ProfileHit, Option<f64>)>, u64) = match centre {
            Some((point, radius)) => {
                let mut near: Vec<(ProfileHit, Option<f64>)> = matches
                    .hits
                    .into_iter()
                    .filter_map(|hit| {
                        let km = distance_km(point, (hit.latitude?, hit.longitude?));
                        (km <= radius.km()).then_some((hit, Some(km)))
                    })
                    .collect();
                near.sort_by(|(a, da), (b, db)| {
                    b.relevance
                        .total_cmp(&a.relevance)
                        .then(da.unwrap_or(0.0).total_cmp(&db.unwrap_or(0.0)))
                        .then_with(|| a.display_name.cmp(&b.display_name))
                        .then(a.id.cmp(&b.id))
                });
                let total = near.len() as u64;
                let start = usize::try_from((page - 1) * PAGE_SIZE).unwrap_or(usize::MAX);
                (
                    near.into_iter()
                        .skip(start)
                        .take(PAGE_SIZE as usize)
                        .collect(),
                    total,
                )
            }
            None => (
                matches
                    .hits
                    .into_iter()
                    .map(|hit| {
                        // By video from a place, the distance to an office is still
                        // worth showing, for anyone who may want to meet in person later.
                        let km = video_from.and_then(|point| {
                            Some(distance_km(point, (hit.latitude?, hit.longitude?)))
                        });
                        (hit, km)
                    })
                    .collect(),
                matches.total,
            ),
        };
        results.total = total.min(sensate_store::COUNT_CAP);
        // A place search measures at most MAX_IN_AREA of the nearest in its box: when
        // every one of them is inside the radius (or words ordered them first), there
        // may be more.
        let box_full = matches_in_box >= u64::from(MAX_IN_AREA);
        results.more_than_counted = total > sensate_store::COUNT_CAP
            || (centre.is_some()
                && box_full
                && (total >= matches_in_box || !query.words.is_empty()));
        results.pages = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .min(MAX_PAGE);
        let ids: Vec<Uuid> = hits.iter().map(|(hit, _)| hit.id).collect();
        let profiles = match &index {
            Some(index) => ids
                .iter()
                .filter_map(|id| index.profile(*id).cloned())
                .collect(),
            None => self.store.profiles(&ids).await?,
        };
        for ((_, km), profile) in hits.iter().zip(profiles) {
            results.cards.push(ResultCard {
                id: profile.id,
                distance: km.map(|km| unit.show(km)),
                concerns: profile
                    .concerns
                    .iter()
                    .filter_map(|id| concerns.concern(id).map(|c| c.name.clone()))
                    .take(4)
                    .collect(),
                approaches: profile
                    .approaches
                    .iter()
                    .filter_map(|id| vocabulary.approach(id).map(|a| a.label().to_owned()))
                    .take(4)
                    .collect(),
                languages: profile
                    .languages
                    .iter()
                    .filter_map(|code| vocabulary.language(code).map(|l| l.name.clone()))
                    .collect(),
                fees: fees(&profile),
                display_name: profile.display_name,
                pronouns: profile.pronouns,
                office: profile.office,
                in_person: profile.in_person,
                video: profile.video,
                accepting: profile.accepting,
                sliding_scale: profile.sliding_scale,
            });
        }
        Ok(results)
    }

    /// A published profile with what was verified; `None` for drafts, held and
    /// suspended profiles, and for profiles whose licence was never verified.
    pub async fn public_profile(&self, id: Uuid) -> Result<Option<PublicProfile>, AppError> {
        let Some(profile) = self.store.profile(id).await? else {
            return Ok(None);
        };
        if profile.status != ProfileStatus::Published {
            return Ok(None);
        }
        let vocabulary = Vocabulary::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let concerns = ConcernsTreated::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let jurisdictions = Jurisdictions::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let today = self.clock.now().date();
        let mut badges = Vec::new();
        for record in self.store.profile_credentials(id).await? {
            let what = if record.kind == "licence" {
                let kind = vocabulary
                    .licence_type(&record.type_id)
                    .map_or(record.type_id.as_str(), |l| l.label());
                let place = jurisdictions
                    .jurisdiction(&record.jurisdiction)
                    .map_or(record.jurisdiction.as_str(), |j| j.name.as_str());
                format!("{kind} licence, {place}")
            } else {
                vocabulary
                    .certification(&record.type_id)
                    .map_or_else(|| record.type_id.clone(), |c| c.label.clone())
            };
            let badge = credential(&record, jurisdictions).badge_on(today);
            // A certification is never shown unless verified: membership is not
            // certification.
            if badge != Badge::NotShown {
                badges.push((what, badge));
            }
        }
        let licence_verified = badges.iter().any(|(what, _)| what.contains("licence"));
        if !licence_verified {
            return Ok(None);
        }
        let listed = profile.listed_until.is_some_and(|until| until >= today);
        Ok(Some(PublicProfile {
            concerns: profile
                .concerns
                .iter()
                .filter_map(|id| concerns.concern(id).map(|c| c.name.clone()))
                .collect(),
            approaches: profile
                .approaches
                .iter()
                .filter_map(|id| vocabulary.approach(id).map(|a| a.label().to_owned()))
                .collect(),
            competences: profile
                .competences
                .iter()
                .filter_map(|claim| {
                    let (id, level) = claim.split_once('=')?;
                    Some(format!(
                        "{} — {}",
                        vocabulary.affirming_competence(id)?.label(),
                        vocabulary.competence_level(level)?.label()
                    ))
                })
                .collect(),
            languages: profile
                .languages
                .iter()
                .filter_map(|code| vocabulary.language(code).map(|l| l.name.clone()))
                .collect(),
            degrees: profile
                .degrees
                .iter()
                .filter_map(|id| vocabulary.degree(id).map(|d| d.label().to_owned()))
                .collect(),
            video_in: profile
                .video_jurisdictions
                .iter()
                .filter_map(|code| jurisdictions.jurisdiction(code).map(|j| j.name.clone()))
                .collect(),
            badges,
            listed,
            fees: fees(&profile),
            profile,
        }))
    }
}
