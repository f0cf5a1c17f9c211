//! Fictional therapists for the directory benchmark: as many as asked for, the same for
//! the same seed, spread over real US places the way people are.
//!
//! Search cost depends on what the data looks like (how many profiles share a tag, how
//! many sit inside a city's radius, how long the texts are), so the profiles here are
//! shaped like a real directory's rather than like each other: offices drawn from US
//! cities in proportion to population (half given as a nearby ZIP code, as a therapist
//! would type it), about 70% seeing clients in person and 60% by video, three to eight
//! concerns, two to five approaches with sensate focus common, mostly English with
//! other languages sometimes, fees from $80 to $250, and "about me" texts assembled
//! from varied sentences. Everything goes through the product's own validation and
//! red-flag screen on import, so the texts are written to pass it; exactly one
//! profile can be made to trip it on purpose ([`SyntheticDirectory::held`]).
//!
//! Everyone here is invented: names are drawn from fixed lists of common first names
//! and surnames, addresses are under the reserved `directory.example` domain, licence
//! numbers are made up. The draw is a SplitMix64 stream per therapist (seed and index),
//! not a `rand` dependency, so any one therapist can be made without the others and a
//! seed gives the same directory in every build.

use std::collections::HashMap;

use sensate_app::{CredentialForm, ImportedCredential, ImportedTherapist, ProfileForm};
use sensate_places::{Gazetteer, Place, distance_km};
use time::{Date, Duration};

/// The reserved domain every generated address is under (RFC 2606).
pub const EMAIL_DOMAIN: &str = "directory.example";

/// The sentence that holds [`SyntheticDirectory::held`]'s profile for the verifier:
/// bodywork is not sex therapy, and "hands-on" implies the therapist touches clients.
pub const HELD_SENTENCE: &str = "I also offer hands-on bodywork sessions for couples.";

/// `count` fictional therapists, the same for the same `seed` (on the same day: licence
/// dates are counted from today, so the directory is listed whenever it is made). Every
/// licence is verified and no profile is held; see [`SyntheticDirectory`] for those.
pub fn synthetic_therapists(count: usize, seed: u64) -> Vec<ImportedTherapist> {
    let directory = SyntheticDirectory::new(count, seed, sensate_domain::clock::now().date());
    (0..count).map(|index| directory.therapist(index)).collect()
}

/// A generated directory: who works where is drawn once; each therapist is made on
/// demand from the seed and their index, so a large directory need not sit in memory.
pub struct SyntheticDirectory {
    seed: u64,
    today: Date,
    /// Where each therapist is: a city, drawn by population.
    cities: Vec<&'static Place>,
    /// The share of licences left waiting for a verifier (their profiles are not listed).
    pending: f64,
    /// The one profile whose text holds it for the verifier, if any.
    held: Option<usize>,
    /// ZIP codes near each drawn city, by GeoNames id.
    zip_codes_near: HashMap<u32, Vec<&'static str>>,
}

impl SyntheticDirectory {
    /// `count` therapists drawn from `seed`, with licence dates counted from `today`.
    pub fn new(count: usize, seed: u64, today: Date) -> Self {
        let gazetteer = Gazetteer::builtin();
        let cities: Vec<&'static Place> = gazetteer
            .sample_cities_in("US", count, seed)
            .into_iter()
            .filter(|city| city.region().and_then(state).is_some())
            .collect();
        // A handful of drawn cities lie in territories with no licensing jurisdiction
        // here (none so far); draw again from the kept ones so the count holds.
        let cities = if cities.is_empty() {
            cities
        } else {
            (0..count).map(|i| cities[i % cities.len()]).collect()
        };
        let zip_codes_near = zip_codes_near(gazetteer, &cities);
        Self {
            seed,
            today,
            cities,
            pending: 0.0,
            held: None,
            zip_codes_near,
        }
    }

    /// Leaves about this share (0 to 1) of licences waiting for a verifier: those
    /// profiles are published but not listed, as in a directory with a review queue.
    pub fn pending(mut self, share: f64) -> Self {
        self.pending = share.clamp(0.0, 1.0);
        self
    }

    /// Makes the profile at `index` say something the red-flag screen holds
    /// ([`HELD_SENTENCE`]), so it waits for the verifier instead of being published.
    pub fn held(mut self, index: usize) -> Self {
        self.held = Some(index);
        self
    }

    /// How many therapists there are.
    pub fn len(&self) -> usize {
        self.cities.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.cities.is_empty()
    }

    /// The therapist at `index` (below [`SyntheticDirectory::len`]).
    pub fn therapist(&self, index: usize) -> ImportedTherapist {
        let mut draw = Draw::new(self.seed, index as u64);
        let city = self.cities[index % self.cities.len().max(1)];
        let region = city.region().unwrap_or("IL");
        let (state_code, state_name, neighbours) = state(region).unwrap_or(STATES[13]);
        let jurisdiction = format!("US-{state_code}");

        let pronouns = *draw.weighted(&[("she/her", 55), ("he/him", 35), ("they/them", 10)]);
        let first = match pronouns {
            "she/her" => draw.word(FIRST_NAMES_SHE),
            "he/him" => draw.word(FIRST_NAMES_HE),
            _ => draw.word(FIRST_NAMES_THEY),
        };
        let surname = draw.word(SURNAMES);
        let licence = draw.weighted(LICENCES);
        let degree = *draw.pick(licence.degrees);
        let doctor = matches!(degree, "phd" | "psyd" | "edd" | "dsw" | "md" | "do" | "dnp");
        let name = format!("{first} {surname}");
        let display_name = if doctor && draw.chance(0.6) {
            format!("Dr {name}")
        } else {
            name.clone()
        };
        let mut degrees = vec![degree.to_owned()];
        if doctor && licence.id == "psychologist" && draw.chance(0.3) {
            degrees.push((*draw.pick(&["ma", "ms"])).to_owned());
        }

        // 40% in person only, 30% both, 30% by video only.
        let mode = draw.below(100);
        let in_person = mode < 70;
        let video = mode >= 40;
        let office = if in_person {
            self.office(&mut draw, city)
        } else {
            String::new()
        };
        let mut video_jurisdictions = Vec::new();
        if video {
            video_jurisdictions.push(jurisdiction.clone());
            if !neighbours.is_empty() && draw.chance(0.3) {
                video_jurisdictions.push(format!("US-{}", draw.pick(neighbours)));
            }
        }

        let concerns: Vec<&Concern> = draw.some(CONCERNS, 3, 8);
        let mut approaches: Vec<&Approach> = draw.some(APPROACHES, 2, 5);
        if draw.chance(0.7) && !approaches.iter().any(|a| a.0 == "sensate_focus") {
            if approaches.len() == 5 {
                approaches.pop();
            }
            approaches.push(&APPROACHES[0]);
        }
        let mut languages = Vec::new();
        if draw.chance(0.99) {
            languages.push("en".to_owned());
        }
        for (code, share) in LANGUAGES {
            if draw.chance(*share) {
                languages.push((*code).to_owned());
            }
        }
        if languages.is_empty() {
            languages.push("es".to_owned());
        }
        let mut competences = Vec::new();
        for (id, share) in COMPETENCES {
            if draw.chance(*share) {
                let level =
                    draw.weighted(&[("familiar", 40), ("experienced", 40), ("specialist", 20)]);
                competences.push(((*id).to_owned(), (*level).to_owned()));
            }
        }

        let fee_low = 80 + 5 * draw.below(25); // $80 to $200
        let fee_high = (fee_low + 5 * draw.below(13)).min(250);
        let insurance: Vec<&str> = if draw.chance(0.45) {
            draw.some(INSURERS, 1, 4).into_iter().copied().collect()
        } else {
            Vec::new()
        };

        let years = 3 + draw.below(28);
        let mut about = self.about(
            &mut draw,
            licence,
            years,
            &concerns,
            &approaches,
            &competences,
        );
        if self.held == Some(index) {
            about.push(' ');
            about.push_str(HELD_SENTENCE);
        }
        let first_session = first_session(&mut draw);

        let expires = self.today + Duration::days(365 + draw.below(731) as i64);
        let mut credentials = vec![ImportedCredential {
            form: CredentialForm {
                kind: "licence".into(),
                type_id: licence.id.into(),
                number: format!("{}{:06}", licence.prefix, draw.below(1_000_000)),
                jurisdiction: jurisdiction.clone(),
                expires_on: expires.to_string(),
                evidence_note: format!("{state_name}'s online licence lookup, by name or number"),
                evidence: String::new(),
            },
            verified: (!draw.chance(self.pending)).then(|| {
                (
                    expires,
                    format!("the {state_name} licensing board's online licence lookup"),
                )
            }),
        }];
        if draw.chance(0.3) {
            let certification = draw.weighted(&[
                ("aasect_certified_sex_therapist", 80),
                ("aasect_certified_sexuality_counselor", 10),
                ("aasect_certified_sex_therapist_supervisor", 10),
            ]);
            let until = self.today + Duration::days(180 + draw.below(900) as i64);
            credentials.push(ImportedCredential {
                form: CredentialForm {
                    kind: "certification".into(),
                    type_id: (*certification).into(),
                    evidence_note: "AASECT's directory of certified members".into(),
                    evidence: String::new(),
                    ..CredentialForm::default()
                },
                verified: Some((
                    until,
                    "AASECT's directory of certified members, by name".into(),
                )),
            });
        }

        ImportedTherapist {
            email: format!(
                "{}.{}.{index}@{EMAIL_DOMAIN}",
                ascii_lower(first),
                ascii_lower(surname)
            ),
            name,
            profile: ProfileForm {
                display_name,
                pronouns: pronouns.into(),
                about,
                first_session,
                concerns: concerns.iter().map(|c| c.0.to_owned()).collect(),
                approaches: approaches.iter().map(|a| a.0.to_owned()).collect(),
                competences,
                languages,
                degrees,
                in_person,
                office,
                video,
                video_jurisdictions,
                fee_low: fee_low.to_string(),
                fee_high: fee_high.to_string(),
                sliding_scale: draw.chance(0.3),
                insurance: insurance.join(", "),
                accepting: draw.chance(0.75),
                publish: true,
            },
            credentials,
        }
    }

    /// The office as the therapist would type it: the city, or a ZIP code near it.
    fn office(&self, draw: &mut Draw, city: &Place) -> String {
        let nearby = city
            .geonames_id()
            .and_then(|id| self.zip_codes_near.get(&id))
            .filter(|zips| !zips.is_empty());
        match nearby {
            Some(zips) if draw.chance(0.5) => (*draw.pick(zips)).to_owned(),
            _ => city.label(),
        }
    }

    /// "About me": who they are, what they help with, how they work, who they welcome,
    /// and a closing line, each drawn from several ways of saying it.
    fn about(
        &self,
        draw: &mut Draw,
        licence: &Licence,
        years: usize,
        concerns: &[&Concern],
        approaches: &[&Approach],
        competences: &[(String, String)],
    ) -> String {
        let mut text = Vec::new();
        text.push(
            draw.pick(OPENINGS)
                .replace("{licence}", licence.title)
                .replace("{years}", &years.to_string()),
        );
        let helped: Vec<&str> = concerns.iter().take(4).map(|c| c.1).collect();
        text.push(draw.pick(FOCUS).replace("{concerns}", &listed(&helped)));
        let ways: Vec<&str> = approaches
            .iter()
            .filter(|a| a.0 != "sensate_focus")
            .map(|a| a.1)
            .collect();
        if !ways.is_empty() {
            text.push(draw.pick(METHODS).replace("{approaches}", &listed(&ways)));
        }
        if approaches.iter().any(|a| a.0 == "sensate_focus") {
            text.push((*draw.pick(SENSATE_FOCUS)).to_owned());
        }
        let welcomed: Vec<&str> = competences
            .iter()
            .filter_map(|(id, _)| COMPETENCE_WORDS.iter().find(|(c, _)| c == id))
            .map(|(_, words)| *words)
            .collect();
        if !welcomed.is_empty() {
            text.push(draw.pick(WELCOME).replace("{people}", &listed(&welcomed)));
        }
        text.push((*draw.pick(CLOSINGS)).to_owned());
        text.join(" ")
    }

    /// A place to search near, as a seeker would type it: the city of the therapist at
    /// `index` (so places are drawn by population, like the offices), or a ZIP code
    /// near it.
    pub fn search_place(&self, index: usize, draw: &mut Draw) -> String {
        match self.cities.get(index) {
            Some(city) => self.office(draw, city),
            None => "Chicago, IL".to_owned(),
        }
    }
}

/// "What a first session with me is like": three of the sentences below, in order.
fn first_session(draw: &mut Draw) -> String {
    FIRST_SESSION
        .iter()
        .map(|options| *draw.pick(options))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "a", "a and b", "a, b, and c" (the serial comma, since items may hold an "and").
fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Up to eight ZIP codes within 15 km of each city, nearest first, found through a
/// grid of half-degree cells so 33,000 ZIP codes are not measured against every city.
fn zip_codes_near(
    gazetteer: &'static Gazetteer,
    cities: &[&'static Place],
) -> HashMap<u32, Vec<&'static str>> {
    let cell = |(latitude, longitude): (f64, f64)| {
        (
            (latitude * 2.0).floor() as i32,
            (longitude * 2.0).floor() as i32,
        )
    };
    let mut grid: HashMap<(i32, i32), Vec<&'static Place>> = HashMap::new();
    for zip in gazetteer.zip_codes() {
        grid.entry(cell(zip.coordinates())).or_default().push(zip);
    }
    let mut near = HashMap::new();
    for city in cities {
        let Some(id) = city.geonames_id() else {
            continue;
        };
        if near.contains_key(&id) {
            continue;
        }
        let (row, column) = cell(city.coordinates());
        let mut found: Vec<(f64, &'static str)> = Vec::new();
        for r in row - 1..=row + 1 {
            for c in column - 1..=column + 1 {
                for zip in grid.get(&(r, c)).into_iter().flatten() {
                    let km = distance_km(city.coordinates(), zip.coordinates());
                    if km <= 15.0
                        && zip.region() == city.region()
                        && let Some(code) = zip.postal_code()
                    {
                        found.push((km, code));
                    }
                }
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        near.insert(
            id,
            found.into_iter().take(8).map(|(_, code)| code).collect(),
        );
    }
    near
}

/// SplitMix64 (Vigna), one stream per therapist: the seed and the index mixed, so a
/// therapist's draws do not depend on anyone else's.
pub struct Draw(u64);

impl Draw {
    /// The stream for `index` under `seed`.
    pub fn new(seed: u64, index: u64) -> Self {
        let mut draw = Draw(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        draw.next();
        draw
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` above 0).
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next()) * bound as u128) >> 64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 random bits, the precision of an f64 in [0, 1).
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of the words of `list` (separated by spaces).
    fn word(&mut self, list: &'static str) -> &'static str {
        let words: Vec<&'static str> = list.split_whitespace().collect();
        words[self.below(words.len())]
    }

    /// One item, with probability proportional to its weight.
    fn weighted<'a, T>(&mut self, items: &'a [(T, usize)]) -> &'a T {
        let total: usize = items.iter().map(|(_, w)| w).sum();
        let mut target = self.below(total);
        for (item, weight) in items {
            if target < *weight {
                return item;
            }
            target -= weight;
        }
        &items[items.len() - 1].0
    }

    /// Between `min` and `max` distinct items, in a random order (a partial shuffle).
    fn some<'a, T>(&mut self, items: &'a [T], min: usize, max: usize) -> Vec<&'a T> {
        let max = max.min(items.len());
        let count = min.min(max) + self.below(max - min.min(max) + 1);
        let mut order: Vec<usize> = (0..items.len()).collect();
        for i in 0..count {
            let j = i + self.below(items.len() - i);
            order.swap(i, j);
        }
        order[..count].iter().map(|&i| &items[i]).collect()
    }
}

/// A licence type: its id, how a profile names it, the prefix of its made-up numbers,
/// the degrees that lead to it, and its share of therapists.
struct Licence {
    id: &'static str,
    title: &'static str,
    prefix: &'static str,
    degrees: &'static [&'static str],
}

const LICENCES: &[(Licence, usize)] = &[
    (
        Licence {
            id: "lmft",
            title: "licensed marriage and family therapist",
            prefix: "LMFT",
            degrees: &["ma", "ms", "phd"],
        },
        30,
    ),
    (
        Licence {
            id: "lcsw",
            title: "licensed clinical social worker",
            prefix: "LCSW",
            degrees: &["msw", "msw", "msw", "dsw"],
        },
        25,
    ),
    (
        Licence {
            id: "lpc",
            title: "licensed professional counselor",
            prefix: "LPC",
            degrees: &["ma", "ms", "med", "edd"],
        },
        20,
    ),
    (
        Licence {
            id: "psychologist",
            title: "licensed psychologist",
            prefix: "PSY",
            degrees: &["phd", "psyd", "psyd"],
        },
        20,
    ),
    (
        Licence {
            id: "physician",
            title: "psychiatrist",
            prefix: "MD",
            degrees: &["md", "md", "do"],
        },
        3,
    ),
    (
        Licence {
            id: "nurse_practitioner",
            title: "psychiatric nurse practitioner",
            prefix: "APRN",
            degrees: &["msn", "dnp"],
        },
        2,
    ),
];

/// A concern: its id (content/concerns/concerns.toml) and how "about me" says it.
struct Concern(&'static str, &'static str);

const CONCERNS: &[Concern] = &[
    Concern("low_desire", "low or lost desire"),
    Concern("desire_discrepancy", "mismatched desire between partners"),
    Concern("erectile_difficulties", "erectile difficulties"),
    Concern("premature_ejaculation", "early ejaculation"),
    Concern("genital_pain", "pain with sex (including vaginismus)"),
    Concern("orgasm_difficulties", "difficulty reaching orgasm"),
    Concern("trauma_recovery", "recovery after sexual trauma"),
    Concern(
        "compulsive_sexual_behaviour",
        "sexual behaviour that feels out of control",
    ),
    Concern(
        "life_transitions",
        "changes in sex after childbirth or during menopause",
    ),
    Concern(
        "lgbtq_gender",
        "questions about sexual orientation and gender identity",
    ),
];

/// An approach: its id (content/directory/vocabulary.toml) and how "about me" says it.
/// Sensate focus is first: the generator adds it to most profiles.
struct Approach(&'static str, &'static str);

const APPROACHES: &[Approach] = &[
    Approach("sensate_focus", "sensate focus"),
    Approach("cbt", "cognitive behavioural therapy"),
    Approach("act", "acceptance and commitment therapy"),
    Approach("mindfulness_based", "mindfulness"),
    Approach("psychodynamic", "psychodynamic therapy"),
    Approach("emotionally_focused", "emotionally focused therapy"),
    Approach("gottman_method", "the Gottman Method"),
    Approach("solution_focused", "solution-focused therapy"),
    Approach("narrative", "narrative therapy"),
    Approach("systemic", "systemic and family therapy"),
    Approach("emdr", "EMDR"),
    Approach("psychoeducation", "psychoeducation"),
];

/// Languages besides English, with the share of therapists who offer each.
const LANGUAGES: &[(&str, f64)] = &[
    ("es", 0.14),
    ("fr", 0.03),
    ("zh", 0.02),
    ("pt", 0.015),
    ("de", 0.01),
    ("ko", 0.01),
    ("vi", 0.01),
    ("tl", 0.01),
    ("ru", 0.01),
    ("ar", 0.008),
    ("hi", 0.008),
    ("he", 0.005),
    ("ase", 0.005),
];

/// Affirming competences, with the share of therapists who claim each.
const COMPETENCES: &[(&str, f64)] = &[
    ("lgbtq", 0.45),
    ("transgender_nonbinary", 0.2),
    ("kink", 0.15),
    ("consensual_non_monogamy", 0.2),
    ("asexuality", 0.08),
    ("disability_chronic_illness", 0.12),
    ("trauma", 0.3),
];

const COMPETENCE_WORDS: &[(&str, &str)] = &[
    ("lgbtq", "LGBTQ+ people"),
    ("transgender_nonbinary", "transgender and non-binary people"),
    ("kink", "people in kink and BDSM relationships"),
    (
        "consensual_non_monogamy",
        "people in open and polyamorous relationships",
    ),
    ("asexuality", "asexual and aromantic people"),
    (
        "disability_chronic_illness",
        "people living with disability or chronic illness",
    ),
    ("trauma", "survivors of trauma"),
];

/// Generic US payer names, as a profile lists them.
const INSURERS: &[&str] = &[
    "Aetna",
    "Blue Cross Blue Shield",
    "Cigna",
    "UnitedHealthcare",
    "Medicaid",
    "Medicare",
    "Humana",
    "Kaiser Permanente",
    "Optum",
    "Tricare",
];

const OPENINGS: &[&str] = &[
    "I am a {licence} with {years} years of experience helping adults and couples with sexual and relationship concerns.",
    "For {years} years I have worked as a {licence} with people who want a calmer, more satisfying sexual life.",
    "I have been in practice for {years} years, and sex therapy is the centre of my work.",
    "Many people wait a long time before talking to anyone about sex, and I am glad you are looking.",
    "I am a {licence}, and for the past {years} years most of my clients have come to me with concerns about sex and intimacy.",
    "Talking about sex can feel awkward at first; after {years} years of doing it every day, I can promise it gets easier quickly.",
    "As a {licence}, I work with individuals and couples of all ages, orientations and backgrounds.",
];

const FOCUS: &[&str] = &[
    "I often help with {concerns}.",
    "People come to me for {concerns}, among other things.",
    "Much of my work is with {concerns}.",
    "I have particular experience with {concerns}.",
    "Common reasons people see me include {concerns}.",
];

const METHODS: &[&str] = &[
    "My work draws on {approaches}.",
    "I use {approaches}, fitted to what you need.",
    "Depending on your goals, we may use {approaches}.",
    "I am trained in {approaches}.",
];

const SENSATE_FOCUS: &[&str] = &[
    "Where it helps, I suggest sensate focus: gradual exercises partners do together at home, which we then talk through.",
    "Sensate focus, a set of step-by-step exercises couples practise privately at home, is often part of the plan.",
    "Couples often find sensate focus useful; you do the exercises at home in your own time, and we discuss how they went.",
];

const WELCOME: &[&str] = &[
    "I am affirming of {people}.",
    "My practice welcomes {people}.",
    "I have training and experience in working with {people}.",
];

const CLOSINGS: &[&str] = &[
    "Sessions are a confidential, unhurried space to talk.",
    "Therapy with me is a conversation: we talk, and anything you practise happens privately at home.",
    "You set the pace, and nothing is off limits to ask about.",
    "My aim is for you to leave each session with something practical to try.",
    "I keep my approach evidence-based, respectful and free of judgement.",
    "If you are unsure whether sex therapy is right for you, a first conversation can help you decide.",
];

/// One sentence is drawn from each group, in order.
const FIRST_SESSION: &[&[&str]] = &[
    &[
        "In our first session I will ask what brings you, what you hope will change, and a little about your health and history.",
        "The first session is a conversation about what is happening, how long it has been going on, and what you have already tried.",
        "We start by talking about what you would like to be different, in your own words.",
        "Our first meeting is mostly about listening: what brings you, and what you want from therapy.",
    ],
    &[
        "You decide how much to share, and we go at your pace.",
        "Couples can come together or separately at first; I often meet each partner once on their own.",
        "I will explain how confidentiality works and how sex therapy usually unfolds.",
        "Many people feel nervous before a first appointment, which is completely normal.",
    ],
    &[
        "By the end, we will have a shared sense of your goals and whether working together feels right.",
        "I will also answer your questions about fees, scheduling and insurance.",
        "You will leave with an idea of what the next few sessions could look like.",
        "There is no obligation to continue after the first session.",
    ],
];

const FIRST_NAMES_SHE: &str = "Abigail Aisha Alicia Amara Ana Andrea Angela Beatriz Camille Carmen Catherine Chloe \
    Claire Daniela Deborah Diana Elena Elizabeth Emily Esther Fatima Gabriela Grace \
    Hannah Helen Imani Ingrid Isabel Jasmine Jennifer Joanna Julia Karen Keiko Laura \
    Leah Linh Lucia Maria Marisol Megan Mei Michelle Miriam Monica Nadia Naomi Nicole \
    Olivia Patricia Priya Rachel Rebecca Rosa Ruth Sarah Sofia Sunita Tamar Teresa \
    Valerie Vanessa Yasmin Yolanda Zoe";

const FIRST_NAMES_HE: &str = "Aaron Adrian Ahmed Andre Anthony Arjun Benjamin Brian Carlos Christopher Daniel \
    David Diego Edward Elijah Eric Gabriel Hassan Hiroshi Isaac James Javier Jonathan \
    Joseph Kenji Kevin Luis Malik Marcus Mark Matthew Michael Miguel Nathan Omar Patrick \
    Paul Rafael Raj Robert Samuel Sean Stephen Thomas Victor William";

const FIRST_NAMES_THEY: &str = "Alex Avery Casey Charlie Dakota Emerson Finley Jamie Jordan Kai Morgan Parker Quinn \
    Riley Robin Rowan Sage Sam Skyler Taylor";

const SURNAMES: &str = "Adams Ahmed Alvarez Anderson Baker Banerjee Bennett Brooks Campbell Castillo Chen \
    Clarke Cohen Collins Cruz Delgado Diaz Edwards Evans Fernandez Fischer Flores Foster \
    Garcia Gordon Gupta Hall Hayes Hernandez Hughes Ibrahim Jackson Jensen Johnson Kaur \
    Kelly Khan Kim Kowalski Lee Lewis Lopez Martin Martinez Mendoza Meyer Mitchell \
    Morales Murphy Nakamura Nguyen Novak Okafor Olsen Ortiz Owens Patel Perez Phillips \
    Price Ramirez Reyes Rivera Roberts Rossi Russo Sanchez Schwartz Shah Silva Singh \
    Stewart Sullivan Tanaka Taylor Thompson Torres Tran Turner Vargas Walker Wang \
    Washington Weber Williams Wong Wright Yamamoto Young Zhang";

/// US states and DC: postal code, name (as content/directory/jurisdictions.toml has
/// it) and bordering states, for a therapist who also sees clients by video next door.
const STATES: &[(&str, &str, &[&str])] = &[
    ("AL", "Alabama", &["FL", "GA", "MS", "TN"]),
    ("AK", "Alaska", &[]),
    ("AZ", "Arizona", &["CA", "NV", "UT", "NM", "CO"]),
    ("AR", "Arkansas", &["MO", "TN", "MS", "LA", "TX", "OK"]),
    ("CA", "California", &["OR", "NV", "AZ"]),
    (
        "CO",
        "Colorado",
        &["WY", "NE", "KS", "OK", "NM", "AZ", "UT"],
    ),
    ("CT", "Connecticut", &["NY", "MA", "RI"]),
    ("DE", "Delaware", &["MD", "PA", "NJ"]),
    ("DC", "District of Columbia", &["MD", "VA"]),
    ("FL", "Florida", &["AL", "GA"]),
    ("GA", "Georgia", &["FL", "AL", "TN", "NC", "SC"]),
    ("HI", "Hawaii", &[]),
    ("ID", "Idaho", &["WA", "OR", "NV", "UT", "WY", "MT"]),
    ("IL", "Illinois", &["WI", "IA", "MO", "KY", "IN"]),
    ("IN", "Indiana", &["IL", "MI", "OH", "KY"]),
    ("IA", "Iowa", &["MN", "WI", "IL", "MO", "NE", "SD"]),
    ("KS", "Kansas", &["NE", "MO", "OK", "CO"]),
    (
        "KY",
        "Kentucky",
        &["IL", "IN", "OH", "WV", "VA", "TN", "MO"],
    ),
    ("LA", "Louisiana", &["TX", "AR", "MS"]),
    ("ME", "Maine", &["NH"]),
    ("MD", "Maryland", &["PA", "DE", "VA", "WV", "DC"]),
    ("MA", "Massachusetts", &["NY", "VT", "NH", "RI", "CT"]),
    ("MI", "Michigan", &["IN", "OH", "WI"]),
    ("MN", "Minnesota", &["ND", "SD", "IA", "WI"]),
    ("MS", "Mississippi", &["LA", "AR", "TN", "AL"]),
    (
        "MO",
        "Missouri",
        &["IA", "IL", "KY", "TN", "AR", "OK", "KS", "NE"],
    ),
    ("MT", "Montana", &["ID", "WY", "SD", "ND"]),
    ("NE", "Nebraska", &["SD", "IA", "MO", "KS", "CO", "WY"]),
    ("NV", "Nevada", &["CA", "OR", "ID", "UT", "AZ"]),
    ("NH", "New Hampshire", &["ME", "VT", "MA"]),
    ("NJ", "New Jersey", &["NY", "PA", "DE"]),
    ("NM", "New Mexico", &["AZ", "UT", "CO", "OK", "TX"]),
    ("NY", "New York", &["PA", "NJ", "CT", "MA", "VT"]),
    ("NC", "North Carolina", &["VA", "TN", "GA", "SC"]),
    ("ND", "North Dakota", &["MN", "SD", "MT"]),
    ("OH", "Ohio", &["PA", "WV", "KY", "IN", "MI"]),
    ("OK", "Oklahoma", &["KS", "MO", "AR", "TX", "NM", "CO"]),
    ("OR", "Oregon", &["WA", "ID", "NV", "CA"]),
    ("PA", "Pennsylvania", &["NY", "NJ", "DE", "MD", "WV", "OH"]),
    ("RI", "Rhode Island", &["CT", "MA"]),
    ("SC", "South Carolina", &["NC", "GA"]),
    ("SD", "South Dakota", &["ND", "MN", "IA", "NE", "WY", "MT"]),
    (
        "TN",
        "Tennessee",
        &["KY", "VA", "NC", "GA", "AL", "MS", "AR", "MO"],
    ),
    ("TX", "Texas", &["NM", "OK", "AR", "LA"]),
    ("UT", "Utah", &["ID", "WY", "CO", "NM", "AZ", "NV"]),
    ("VT", "Vermont", &["NY", "NH", "MA"]),
    ("VA", "Virginia", &["MD", "DC", "WV", "KY", "TN", "NC"]),
    ("WA", "Washington", &["ID", "OR"]),
    ("WV", "West Virginia", &["OH", "PA", "MD", "VA", "KY"]),
    ("WI", "Wisconsin", &["MI", "MN", "IA", "IL"]),
    ("WY", "Wyoming", &["MT", "SD", "NE", "CO", "UT", "ID"]),
];

/// The state with this postal code.
fn state(code: &str) -> Option<(&'static str, &'static str, &'static [&'static str])> {
    STATES.iter().copied().find(|(c, _, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sensate_app::DirectorySearch;
    use sensate_directory::concerns::ConcernsTreated;
    use sensate_directory::jurisdictions::Jurisdictions;
    use sensate_directory::moderation;
    use sensate_directory::vocabulary::Vocabulary;
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 01);

    fn therapists(count: usize, seed: u64) -> Vec<ImportedTherapist> {
        let directory = SyntheticDirectory::new(count, seed, TODAY);
        (0..count).map(|i| directory.therapist(i)).collect()
    }

    /// What the product screens on every save (`App::save_my_profile`).
    fn screened(therapist: &ImportedTherapist) -> moderation::Screening {
        let profile = &therapist.profile;
        moderation::screen(&[
            ("Name", profile.display_name.as_str()),
            ("About me", profile.about.as_str()),
            ("A first session with me", profile.first_session.as_str()),
            ("Insurance", profile.insurance.as_str()),
        ])
        .unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_therapists_and_another_seed_others() {
        let once = format!("{:?}", therapists(300, 42));
        assert_eq!(once, format!("{:?}", therapists(300, 42)));
        assert_ne!(once, format!("{:?}", therapists(300, 43)));
        assert_eq!(synthetic_therapists(5, 42).len(), 5);
    }

    #[test]
    fn a_therapist_is_the_same_however_many_are_asked_for_after_them() {
        // Each therapist is drawn from their own stream; only the city draw is shared.
        let few = SyntheticDirectory::new(50, 9, TODAY);
        let again = SyntheticDirectory::new(50, 9, TODAY);
        assert_eq!(
            format!("{:?}", few.therapist(17)),
            format!("{:?}", again.therapist(17))
        );
    }

    #[test]
    fn every_address_is_unique_and_under_the_reserved_domain() {
        let all = therapists(5000, 1);
        let emails: HashSet<&str> = all.iter().map(|t| t.email.as_str()).collect();
        assert_eq!(emails.len(), all.len());
        assert!(
            all.iter()
                .all(|t| t.email.ends_with("@directory.example") && t.email.is_ascii())
        );
    }

    #[test]
    fn every_term_is_one_the_directory_knows() {
        let vocabulary = Vocabulary::builtin().unwrap();
        let concerns = ConcernsTreated::builtin().unwrap();
        let jurisdictions = Jurisdictions::builtin().unwrap();
        for (code, name, neighbours) in STATES {
            let state = jurisdictions
                .jurisdiction(&format!("US-{code}"))
                .unwrap_or_else(|| panic!("{code}"));
            assert_eq!(&state.name, name);
            for neighbour in *neighbours {
                let (_, _, theirs) = super::state(neighbour).unwrap();
                assert!(theirs.contains(code), "{code} and {neighbour}");
            }
        }
        for therapist in therapists(2000, 3) {
            let profile = &therapist.profile;
            assert!((3..=8).contains(&profile.concerns.len()));
            assert!((2..=5).contains(&profile.approaches.len()));
            concerns.parse(&profile.concerns).unwrap();
            vocabulary.parse_approaches(&profile.approaches).unwrap();
            vocabulary.parse_languages(&profile.languages).unwrap();
            vocabulary.parse_degrees(&profile.degrees).unwrap();
            vocabulary.parse_competences(&profile.competences).unwrap();
            jurisdictions
                .parse_list(&profile.video_jurisdictions)
                .unwrap();
            let licence = &therapist.credentials[0].form;
            assert_eq!(licence.kind, "licence");
            assert!(vocabulary.licence_type(&licence.type_id).is_some());
            let state = jurisdictions.jurisdiction(&licence.jurisdiction).unwrap();
            if profile.video {
                assert_eq!(profile.video_jurisdictions[0], licence.jurisdiction);
            }
            let (until, checked) = therapist.credentials[0].verified.clone().unwrap();
            assert_eq!(until.to_string(), licence.expires_on);
            assert!(
                (TODAY + Duration::days(365)..=TODAY + Duration::days(3 * 365 + 1))
                    .contains(&until)
            );
            assert_eq!(
                checked,
                format!("the {} licensing board's online licence lookup", state.name)
            );
            for certification in &therapist.credentials[1..] {
                assert!(
                    vocabulary
                        .certification(&certification.form.type_id)
                        .is_some()
                );
            }
        }
    }

    #[test]
    fn every_office_is_a_real_place_in_the_licence_state() {
        let gazetteer = Gazetteer::builtin();
        let all = therapists(3000, 5);
        let mut zip_codes = 0;
        for therapist in &all {
            let profile = &therapist.profile;
            if !profile.in_person {
                assert!(profile.office.is_empty());
                continue;
            }
            let place = gazetteer.resolve(&profile.office).unwrap();
            assert_eq!(
                format!("US-{}", place.region().unwrap()),
                therapist.credentials[0].form.jurisdiction,
                "{}",
                profile.office
            );
            zip_codes += usize::from(place.postal_code().is_some());
        }
        let in_person = all.iter().filter(|t| t.profile.in_person).count();
        assert!(zip_codes > in_person / 4 && zip_codes < in_person * 3 / 4);
    }

    #[test]
    fn the_shares_look_like_a_directory() {
        let all = therapists(10_000, 11);
        let share = |test: &dyn Fn(&ImportedTherapist) -> bool| {
            all.iter().filter(|t| test(t)).count() as f64 / all.len() as f64
        };
        let near = |value: f64, target: f64| (value - target).abs() < 0.03;
        assert!(near(share(&|t| t.profile.in_person), 0.70));
        assert!(near(share(&|t| t.profile.video), 0.60));
        assert!(near(share(&|t| !t.profile.in_person), 0.30));
        assert!(near(share(&|t| t.profile.accepting), 0.75));
        assert!(near(share(&|t| t.credentials.len() == 2), 0.30));
        assert!(share(&|t| t.profile.approaches.contains(&"sensate_focus".into())) > 0.7);
        assert!(share(&|t| t.profile.languages.contains(&"es".into())) > 0.1);
        assert!(share(&|t| t.profile.video_jurisdictions.len() == 2) > 0.1);
        for therapist in &all {
            let low: u32 = therapist.profile.fee_low.parse().unwrap();
            let high: u32 = therapist.profile.fee_high.parse().unwrap();
            assert!(80 <= low && low <= high && high <= 250);
        }
        // The most populous state has the most therapists.
        let in_state = |code: &str| {
            all.iter()
                .filter(|t| t.credentials[0].form.jurisdiction == code)
                .count()
        };
        assert!(in_state("US-CA") > in_state("US-IL") && in_state("US-IL") > in_state("US-VT"));
    }

    #[test]
    fn no_generated_text_trips_the_red_flag_screen() {
        for (index, therapist) in therapists(3000, 13).iter().enumerate() {
            let screening = screened(therapist);
            assert!(
                screening.is_clear(),
                "therapist {index}: {:?}",
                screening.hits()
            );
        }
        // Every sentence on its own, including the ones a draw may not have reached.
        let mut sentences: Vec<&str> =
            [OPENINGS, FOCUS, METHODS, SENSATE_FOCUS, WELCOME, CLOSINGS].concat();
        sentences.extend(FIRST_SESSION.iter().flat_map(|group| group.iter()));
        sentences.extend(CONCERNS.iter().map(|c| c.1));
        sentences.extend(APPROACHES.iter().map(|a| a.1));
        sentences.extend(COMPETENCE_WORDS.iter().map(|(_, words)| *words));
        for sentence in sentences {
            let screening = moderation::screen(&[("About me", sentence)]).unwrap();
            assert!(screening.is_clear(), "{sentence}: {:?}", screening.hits());
        }
    }

    #[test]
    fn the_held_profile_and_only_it_trips_the_screen() {
        let directory = SyntheticDirectory::new(40, 13, TODAY).held(7);
        for index in 0..40 {
            let screening = screened(&directory.therapist(index));
            assert_eq!(screening.holds_for_verifier(), index == 7, "{index}");
        }
        let hits = screened(&directory.therapist(7));
        assert!(hits.hits().iter().any(|hit| hit.rule == "bodywork"));
    }

    #[test]
    fn a_pending_share_leaves_about_that_many_licences_unverified() {
        let directory = SyntheticDirectory::new(4000, 2, TODAY).pending(0.25);
        let waiting = (0..4000)
            .filter(|&i| directory.therapist(i).credentials[0].verified.is_none())
            .count();
        assert!((900..1100).contains(&waiting), "{waiting}");
    }

    #[tokio::test]
    async fn the_product_publishes_every_profile_and_lists_the_verified_ones() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::Settings::resolve(
            crate::settings::Flags {
                data_dir: Some(dir.path().join("data")),
                ..Default::default()
            },
            &|_| None,
        )
        .unwrap();
        crate::settings::prepare_data_dir(&settings.data_dir).unwrap();
        let store = crate::database::open_and_migrate(&settings.database)
            .await
            .unwrap();
        let app = crate::keys::open_app(&settings, store.clone())
            .await
            .unwrap();
        let practice = sensate_domain::Practice {
            id: sensate_domain::PracticeId::new(),
            display_name: sensate_domain::PracticeName::parse("Test Practice").unwrap(),
            is_demo: false,
            created_at: sensate_domain::clock::now(),
        };
        app.create_practice(&practice).await.unwrap();
        let verifier = app
            .add_person(sensate_app::NewPerson {
                id: None,
                practice: None,
                role: sensate_domain::accounts::Role::Verifier,
                name: "Test Verifier",
                email: "verifier@directory.example",
                password: "a long passphrase kept only for this test",
                second_factor: None,
                client: None,
            })
            .await
            .unwrap();

        let count = 40;
        let today = sensate_domain::clock::now().date();
        let directory = SyntheticDirectory::new(count, 21, today)
            .pending(0.2)
            .held(3);
        let mut listed = 0;
        for index in 0..count {
            let therapist = directory.therapist(index);
            let (_, saved) = app
                .import_therapist(practice.id, verifier, &therapist)
                .await
                .unwrap_or_else(|e| panic!("{index}: {e:?}"));
            if index == 3 {
                assert!(
                    matches!(saved, sensate_app::ProfileSaved::Held(_)),
                    "{saved:?}"
                );
            } else {
                assert_eq!(saved, sensate_app::ProfileSaved::Published, "{index}");
                listed += usize::from(therapist.credentials[0].verified.is_some());
            }
        }
        assert!(listed < count - 1, "some licences are left waiting");
        let everyone = app
            .search_directory(&DirectorySearch::default())
            .await
            .unwrap();
        assert_eq!(everyone.total, listed as u64);
        store.close().await;
    }
}
