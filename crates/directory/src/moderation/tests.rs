//! The screen's behaviour through its public surface: what must hold a profile, what must
//! not, and that no text can make it panic or return a range that cannot be highlighted.

use proptest::prelude::*;

use super::*;

fn screened(text: &str) -> Screening {
    screen(&[("about", text)]).expect("the bundled rules read cleanly")
}

fn categories(text: &str) -> Vec<RedFlagCategory> {
    screened(text)
        .hits()
        .iter()
        .map(|hit| hit.category)
        .collect()
}

/// Every hit's range is on char boundaries, inside the text, and gives back its phrase.
fn assert_ranges_fit(text: &str, screening: &Screening) {
    for hit in screening.hits() {
        assert!(text.is_char_boundary(hit.range.start) && text.is_char_boundary(hit.range.end));
        assert!(hit.range.start < hit.range.end && hit.range.end <= text.len());
        assert_eq!(text.get(hit.range.clone()), Some(hit.phrase.as_str()));
    }
}

const MUST_TRIP: &[(&str, RedFlagCategory)] = &[
    // From the directory brief.
    ("hands-on healing sessions", RedFlagCategory::Touch),
    ("I offer bodywork", RedFlagCategory::Bodywork),
    (
        "surrogate partner therapy available",
        RedFlagCategory::Surrogate,
    ),
    ("clothing-optional sessions", RedFlagCategory::Nudity),
    ("I will touch you", RedFlagCategory::Touch),
    ("intimate massage", RedFlagCategory::Bodywork),
    ("sexological bodywork", RedFlagCategory::Bodywork),
    ("tantric massage", RedFlagCategory::Bodywork),
    (
        "certified sex coach offering therapy",
        RedFlagCategory::CoachingAsTherapy,
    ),
    ("nude sessions", RedFlagCategory::Nudity),
    ("experiential touch in session", RedFlagCategory::Touch),
    // Varied case, punctuation and spelling.
    ("HANDS-ON Healing Sessions!!!", RedFlagCategory::Touch),
    ("Hands on healing", RedFlagCategory::Touch),
    ("I offer body-work.", RedFlagCategory::Bodywork),
    (
        "Surrogate-Partner Therapy: available now",
        RedFlagCategory::Surrogate,
    ),
    ("Clothing optional sessions", RedFlagCategory::Nudity),
    (
        "I'll touch you where it feels right",
        RedFlagCategory::Touch,
    ),
    ("I\u{2019}ll touch you", RedFlagCategory::Touch),
    ("Intimate   massage", RedFlagCategory::Bodywork),
    (
        "Sexological Bodywork\u{ae} practitioner",
        RedFlagCategory::Bodywork,
    ),
    ("Tantra massage for couples", RedFlagCategory::Bodywork),
    ("NUDE sessions", RedFlagCategory::Nudity),
    ("B\u{f3}dywork", RedFlagCategory::Bodywork),
    ("body\u{200b}work", RedFlagCategory::Bodywork),
    // More of the same kinds.
    ("Yoni massage and lingam massage", RedFlagCategory::Bodywork),
    (
        "We can massage you during the session",
        RedFlagCategory::Touch,
    ),
    ("Therapeutic touch in a safe space", RedFlagCategory::Touch),
    ("In-session touch, with consent", RedFlagCategory::Touch),
    (
        "Physical contact with the therapist is part of the work",
        RedFlagCategory::Touch,
    ),
    ("You may undress if you wish", RedFlagCategory::Nudity),
    ("Sessions can be held naked", RedFlagCategory::Nudity),
    (
        "I work alongside a sex surrogate",
        RedFlagCategory::Surrogate,
    ),
    ("Surrogate-assisted therapy", RedFlagCategory::Surrogate),
    (
        "Intimacy coaching and sex therapy",
        RedFlagCategory::CoachingAsTherapy,
    ),
    (
        "Book a coaching package today",
        RedFlagCategory::CoachingAsTherapy,
    ),
    (
        "Sexual contact with clients when therapeutic",
        RedFlagCategory::SexualContact,
    ),
    (
        "Orgasmic meditation sessions",
        RedFlagCategory::SexualContact,
    ),
    ("Tantric sessions for men", RedFlagCategory::SexualContact),
    ("Somatic sex educator", RedFlagCategory::Bodywork),
    ("A no-nonsense intimate massage", RedFlagCategory::Bodywork),
    (
        "No waiting list: nude sessions available",
        RedFlagCategory::Nudity,
    ),
    (
        "\u{ff4e}\u{ff55}\u{ff44}\u{ff45} sessions",
        RedFlagCategory::Nudity,
    ),
];

const MUST_NOT_TRIP: &[&str] = &[
    // From the directory brief.
    "sensate focus homework you do at home",
    "pain during intercourse",
    "body image",
    "we talk; there is no physical contact in sessions",
    "erectile difficulties",
    "touch exercises you practise with your partner at home",
    // Varied case and punctuation.
    "Sensate Focus homework, which you do at home.",
    "PAIN DURING INTERCOURSE (dyspareunia) and vaginismus",
    "Body-image concerns",
    "We talk. There is NO physical contact in sessions.",
    "Touch exercises you practise with your partner, at home",
    // More clinical and ethical wording that must pass.
    "Sex therapy is not a hands-on treatment.",
    "Over 20 years of hands-on clinical experience",
    "I never touch clients, and no one disrobes.",
    "Nudity is never part of therapy.",
    "Sexual contact with clients is prohibited by every licensing board.",
    "There is never any physical contact with me.",
    "Guided touch exercises and mindfulness to practise at home",
    "Sensual touch exercises with your partner, between sessions",
    "Genital touching is added gradually, at home, by partners",
    "Let your partner touch you without pressure",
    "We will touch on shame, desire and communication",
    "Massage exercises you and your partner do at home",
    "Support through IVF, adoption and gestational surrogacy",
    "Unlike a sex coach, I hold a state licence to practise therapy",
    "I do not offer bodywork or surrogate partner work",
    "Premature ejaculation and performance anxiety",
    "Kink-affirming and LGBTQ+ affirming; I work with sex workers",
    "AASECT Certified Sex Therapist and Licensed Clinical Social Worker",
    "Sessions are by video or in my office, fully clothed, talk only",
    "Pelvic floor physical therapy referrals when pain is involved",
    "The naked truth about desire is that it changes",
];

#[test]
fn every_must_trip_phrase_holds_the_profile_under_the_right_category() {
    for (text, category) in MUST_TRIP {
        let found = categories(text);
        assert!(
            found.contains(category),
            "{text:?} should trip {category:?}, got {found:?}"
        );
    }
    assert!(MUST_TRIP.len() >= 15);
}

#[test]
fn no_must_not_trip_phrase_holds_the_profile() {
    for text in MUST_NOT_TRIP {
        let screening = screened(text);
        assert!(
            screening.is_clear(),
            "{text:?} should pass, got {:?}",
            screening.hits()
        );
    }
    assert!(MUST_NOT_TRIP.len() >= 15);
}

#[test]
fn a_hit_names_its_field_rule_and_reason_and_the_phrase_as_written() {
    let text = "Warm, kind. HANDS-ON healing sessions!";
    let screening = screen(&[("headline", "Sex therapy"), ("about", text)]).unwrap();
    let [hit] = screening.hits() else {
        panic!("one hit expected: {:?}", screening.hits())
    };
    assert_eq!(hit.field, "about");
    assert_eq!(hit.rule, "therapist_touches_client");
    assert_eq!(hit.category, RedFlagCategory::Touch);
    assert!(hit.reason.contains("never touches a client"));
    assert_eq!(hit.phrase, "HANDS-ON");
    assert_eq!(&text[hit.range.clone()], "HANDS-ON");
    assert_eq!(screening.hits_in("headline").count(), 0);
}

#[test]
fn overlapping_matches_of_one_rule_are_one_hit_covering_both() {
    let screening = screened("Experiential touch in session.");
    assert_eq!(screening.hits().len(), 1);
    assert_eq!(screening.hits()[0].phrase, "Experiential touch in session");
}

#[test]
fn hits_come_in_field_order_then_text_order() {
    let screening = screen(&[
        ("about", "Nude sessions and tantric massage"),
        ("approach", "I offer bodywork"),
    ])
    .unwrap();
    let phrases: Vec<(&str, &str)> = screening
        .hits()
        .iter()
        .map(|h| (h.field.as_str(), h.phrase.as_str()))
        .collect();
    assert_eq!(
        phrases,
        [
            ("about", "Nude"),
            ("about", "tantric massage"),
            ("approach", "bodywork")
        ]
    );
}

#[test]
fn a_range_keeps_combining_accents_with_their_letter() {
    let text = "Bo\u{301}dywork offered";
    let screening = screened(text);
    assert_eq!(screening.hits()[0].phrase, "Bo\u{301}dywork");
}

#[test]
fn a_negation_in_an_earlier_clause_does_not_cancel_a_red_flag() {
    assert!(screened("No judgement, nude sessions welcome").holds_for_verifier());
    assert!(screened("Not for everyone. Intimate massage for couples").holds_for_verifier());
    assert!(screened("Nothing is off limits, bodywork included").holds_for_verifier());
}

#[test]
fn highlighted_segments_join_back_into_the_original_text() {
    let text = "I offer bodywork & intimate massage.";
    let screening = screened(text);
    let segments = screening.highlighted("about", text);
    let joined: String = segments.iter().map(|s| s.text).collect();
    assert_eq!(joined, text);
    let marked: Vec<&str> = segments
        .iter()
        .filter(|s| s.marked)
        .map(|s| s.text)
        .collect();
    assert_eq!(marked, ["bodywork", "intimate massage"]);
}

#[test]
fn empty_profiles_and_fields_are_clear() {
    assert!(screen(&[]).unwrap().is_clear());
    assert!(screened("").is_clear());
    assert!(screened("   \n\t ").is_clear());
}

#[test]
fn tricky_unicode_never_panics_and_ranges_stay_on_char_boundaries() {
    let long_emoji = "\u{1f469}\u{200d}\u{2764}\u{fe0f}\u{200d}\u{1f469} nude ".repeat(2_000);
    let long_words = "sensate focus at home, intimate massage; ".repeat(5_000);
    let tricky = [
        "e\u{301}\u{301}\u{301} nu\u{308}de bodywork\u{301}",
        "\u{301}\u{301} leading combining marks nude",
        "\u{5de}\u{5e1}\u{5d0}\u{5d6}\u{5f3} \u{202e}nude sessions\u{202c} \u{627}\u{644}\u{639}\u{631}\u{628}\u{64a}\u{629}",
        "\u{202b}tantric massage\u{202c}",
        "\u{1f9d8}\u{1f3fd}\u{200d}\u{2640}\u{fe0f}bodywork\u{1f486}",
        "I\u{307}NTI\u{307}MATE MASSAGE",
        "\u{130}\u{131}\u{df}\u{1e9e} nude",
        "'''''",
        "\u{ad}\u{ad}",
        "\u{feff}nude\u{feff}",
        "\u{0}\u{1}\u{7f} bodywork \u{fffd}",
        "\u{10ffff}\u{e000} nude",
        "ﬁne ﬂow nude",
        &long_emoji,
        &long_words,
    ];
    for text in tricky {
        let screening = screened(text);
        assert_ranges_fit(text, &screening);
        let joined: String = screening
            .highlighted("about", text)
            .iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(joined, text);
    }
    assert!(screened(&long_emoji).hits().len() >= 2_000);
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_every_range_fits(text in "\\PC{0,200}") {
        let screening = screened(&text);
        assert_ranges_fit(&text, &screening);
    }

    #[test]
    fn a_red_flag_embedded_in_arbitrary_text_is_still_found(
        before in "[ a-z\u{e9}\u{1f600}\u{5d0}]{0,40}",
        after in "[ a-z\u{e9}\u{1f600}\u{5d0}]{0,40}",
    ) {
        let text = format!("{before}. Intimate massage. {after}");
        let screening = screened(&text);
        assert_ranges_fit(&text, &screening);
        prop_assert!(screening.hits().iter().any(|h| h.phrase == "Intimate massage"));
    }
}
