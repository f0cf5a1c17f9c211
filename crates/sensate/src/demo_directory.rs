//! The demo's directory: about 200 fictional therapists across real US places, most
//! listed, some waiting for a verifier, one held by moderation; Theo's own listing with
//! a message from a seeker; and a reported concern in the verifier's queue.
//!
//! Seeded with the demo's history (`sensate demo`), not with the bare demo the tests
//! use, because 200 profiles take a few seconds to import through the product's own
//! checks.

use anyhow::{Context, anyhow};
use sensate_app::{
    App, AuditContext, ContactForm, CredentialDecision, CredentialForm, ProfileForm, ReportForm,
};
use sensate_domain::{AccountId, Practice, PracticeId, PracticeName};
use time::Duration;
use uuid::Uuid;

use crate::demo::PEOPLE;
use crate::synthetic_directory::SyntheticDirectory;

/// How many fictional therapists the demo lists.
pub const THERAPISTS: usize = 200;
const SEED: u64 = 2026;

/// Solo and group practices the fictional therapists belong to.
const PRACTICES: &[&str] = &[
    "Northfield Counselling",
    "Willow Bend Therapy",
    "Cedar Street Practice",
    "Bayside Couples Clinic",
    "Mesa Wellbeing",
    "Riverside Sex Therapy",
    "Old Mill Psychology",
    "Prairie Light Counselling",
];

fn person_id(index: usize) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(PEOPLE[index].id))
}

/// Seeds the directory into a demo that already has its people.
pub async fn seed_directory(app: &App) -> anyhow::Result<()> {
    let verifier = person_id(6);
    let mut practices: Vec<PracticeId> = Vec::new();
    for name in PRACTICES {
        let practice = Practice::new(PracticeName::parse(name)?, false);
        app.create_practice(&practice)
            .await
            .with_context(|| format!("seeding the directory practice {name}"))?;
        practices.push(practice.id);
    }
    let directory = SyntheticDirectory::new(THERAPISTS, SEED, app.now().date())
        .pending(0.08)
        .held(7);
    for index in 0..directory.len() {
        let therapist = directory.therapist(index);
        app.import_therapist(practices[index % practices.len()], verifier, &therapist)
            .await
            .map_err(|e| anyhow!("seeding the directory's therapist {index}: {e}"))?;
    }
    seed_theo(app).await
}

/// Theo's own listing, checked; a message to him; a report about another therapist.
async fn seed_theo(app: &App) -> anyhow::Result<()> {
    let context = AuditContext::default();
    let theo = app
        .acting_as(person_id(1))
        .await?
        .ok_or_else(|| anyhow!("the demo's clinician is seeded first"))?;
    let profile = ProfileForm {
        display_name: "Theo Lindqvist".into(),
        pronouns: "he/him".into(),
        about: "I work with individuals and couples on low desire, differences in desire, \
                and pain during sex. I am warm and direct, and I go at your pace.\n\
                Much of the work is practice at home between sessions, such as sensate \
                focus, which partners do privately."
            .into(),
        first_session: "We talk about what brings you, what you hope will change, and your \
                        health and history, only as far as you want to go. There is no \
                        physical examination and no touch in sessions."
            .into(),
        concerns: vec![
            "low_desire".into(),
            "desire_discrepancy".into(),
            "genital_pain".into(),
        ],
        approaches: vec![
            "cbt".into(),
            "sensate_focus".into(),
            "mindfulness_based".into(),
        ],
        competences: vec![("lgbtq".into(), "experienced".into())],
        languages: vec!["en".into(), "sv".into()],
        degrees: vec!["msw".into()],
        in_person: true,
        office: "60614".into(),
        video: true,
        video_jurisdictions: vec!["US-IL".into()],
        fee_low: "120".into(),
        fee_high: "160".into(),
        sliding_scale: true,
        insurance: "Aetna, Blue Cross Blue Shield".into(),
        accepting: true,
        publish: true,
    };
    app.save_my_profile(&theo, &profile, &context)
        .await
        .map_err(|e| anyhow!("seeding Theo's listing: {e}"))?;
    let licence = app
        .submit_credential(
            &theo,
            &CredentialForm {
                kind: "licence".into(),
                type_id: "lcsw".into(),
                number: "149.018842".into(),
                jurisdiction: "US-IL".into(),
                expires_on: (app.now() + Duration::days(500)).date().to_string(),
                evidence_note: "Illinois licence lookup (IDFPR)".into(),
                evidence: String::new(),
            },
            &context,
        )
        .await
        .map_err(|e| anyhow!("seeding Theo's licence: {e}"))?;
    let vera = app
        .acting_as_verifier(person_id(6))
        .await?
        .ok_or_else(|| anyhow!("the demo's verifier is seeded first"))?;
    app.decide_credential(
        &vera,
        licence,
        &CredentialDecision::Verify {
            until: (app.now() + Duration::days(365)).date().to_string(),
            checked: "the Illinois licensing board's online licence lookup".into(),
        },
        &context,
    )
    .await
    .map_err(|e| anyhow!("verifying Theo's licence: {e}"))?;
    // A certification submitted but not yet checked: it shows nowhere until it is.
    app.submit_credential(
        &theo,
        &CredentialForm {
            kind: "certification".into(),
            type_id: "aasect_certified_sex_therapist".into(),
            evidence_note: "AASECT's register of certified members".into(),
            evidence: String::new(),
            ..CredentialForm::default()
        },
        &context,
    )
    .await
    .map_err(|e| anyhow!("seeding Theo's certification: {e}"))?;
    let theo_profile = app
        .my_profile(&theo)
        .await?
        .ok_or_else(|| anyhow!("Theo's listing was just saved"))?;
    // A seeker's message: the form token is made "a minute ago" by asking for it, then
    // letting the demo's clock-free import accept it (the seed runs faster than a person).
    let token = app.contact_form_token_at(app.now() - Duration::minutes(1));
    app.send_contact_request(
        theo_profile.id,
        &ContactForm {
            alias: "R.".into(),
            reply_to: "r.seeker@example.org".into(),
            message: "Hello, do you see couples where one of us has pain during sex? \
                      We would prefer video in the evenings."
                .into(),
            token,
            website: String::new(),
        },
        None,
    )
    .await
    .map_err(|e| anyhow!("seeding a message to Theo: {e}"))?;
    // A concern about one of the fictional therapists, waiting for the verifier.
    if let Some(first) = app
        .search_directory(&Default::default())
        .await?
        .cards
        .first()
    {
        app.report_concern(
            first.id,
            &ReportForm {
                description: "In our first video call they said we could continue the \
                              exercises together in their office. That did not feel right."
                    .into(),
                contact: String::new(),
            },
        )
        .await
        .map_err(|e| anyhow!("seeding a report: {e}"))?;
    }
    Ok(())
}
