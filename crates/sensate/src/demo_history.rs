//! The demo's clinical history: treatment plans, sessions with signed progress notes, a
//! message from the clinician in every case, questionnaires entered in session (PHQ-9,
//! and CSI-4 for couples) at three points, and intakes completed in session, so the
//! caseload looks like months of real work.
//!
//! `sensate demo` seeds this after the practice and its caseload (`demo::seed`). Tests
//! that only need people and cases call `demo::seed` alone, which is much faster.
//! Everything is fictional and deterministic in content: the same sessions, notes and
//! answers on every run (ids and the exact times follow the clock).
//!
//! The portal clients (Sam, Alex and Jordan) keep their intake unsent and their consent
//! unsigned, so a newcomer signing in as them sees what is waiting.

use anyhow::{Context, anyhow};
use sensate_app::{App, AssignForm, AuditContext, NoteForm, Recipients, SessionForm, SignedIn};
use sensate_domain::accounts::Role;
use sensate_domain::cases::CaseKind;
use sensate_domain::plan::PlanForm;
use sensate_domain::{AccountId, ClientId};
use time::Duration;
use uuid::Uuid;

use crate::demo::{PEOPLE, PRACTICE_ID};

/// What a week's note says, in turn (subjective, assessment, plan), written for this
/// demo: fictional, plain and free of anything that identifies anyone.
const WEEKS: &[(&str, &str, &str)] = &[
    (
        "Described the concern and what prompted contact now. Hopes to feel less anxious about sex.",
        "Engaged and open. Goals discussed; assessment continues next session.",
        "Read the psychoeducation handout on the sexual response cycle.",
    ),
    (
        "Read the handout; found the part on responsive desire reassuring.",
        "Psychoeducation landing well. Performance pressure is the main maintaining factor.",
        "Agreed a ban on intercourse for now. Begin sensate focus stage one, non-genital touch, twice this week.",
    ),
    (
        "Managed one sensate focus practice; the second was skipped after a tiring week.",
        "Avoidance is easing. Noticing thoughts that pull attention away during touch.",
        "Continue stage one. Add a brief mindfulness exercise before each practice.",
    ),
    (
        "Two practices done. Less watching themselves; some pleasant sensations noticed.",
        "Good progress toward the first goal. Spectatoring reduced.",
        "Move to sensate focus stage two when both feel ready.",
    ),
    (
        "A setback after a stressful work week; practice felt like a test again.",
        "Setback normalised. Reviewed the aims of the exercise: noticing, not achieving.",
        "Repeat stage one this week, one practice only, without pressure.",
    ),
    (
        "Practice went better; talked afterwards about what each enjoyed.",
        "Communication improving. Ready to progress.",
        "Begin stage two. Schedule a questionnaire review at the next session.",
    ),
    (
        "Stage two practices feel easier. Reports more desire on some days.",
        "Continued gains. Questionnaire scores to be reviewed against baseline.",
        "Continue stage two. Discuss spacing sessions fortnightly.",
    ),
    (
        "Feels more confident and less worried before intimacy.",
        "Most goals met or close. Relapse prevention planning begun.",
        "Fortnightly sessions. Write a short plan for handling future setbacks.",
    ),
];

/// The problems a demo plan names, in turn.
const PROBLEMS: &[&str] = &[
    "Low desire, with worry about the relationship",
    "Erectile difficulties with performance anxiety",
    "Pain with penetration",
    "Different levels of desire in the couple",
    "Difficulty reaching orgasm",
];

const INTAKE: &[(&str, &str)] = &[
    (
        "reason",
        "Worry about sex that has grown over the last year; wants to understand it and feel closer again.",
    ),
    ("onset", "1_to_5_years"),
    ("course", "same"),
    (
        "earlier_help",
        "Talked to a GP once; no treatment was offered.",
    ),
    ("stressors", "Long working hours."),
    ("medicines", "None."),
    ("pregnancy", "not_relevant"),
    ("chronic_illness", "no"),
    (
        "hopes",
        "To enjoy intimacy without worrying about how it will go.",
    ),
    ("self_harm", "no"),
    ("partner_harm", "no"),
];

fn staff(index: usize) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(PEOPLE[index].id))
}

/// PHQ-9 answers at the start, midway and latest, in three patterns: each a course from
/// moderate or mild symptoms towards minimal (no item 9 above 0, so no demo alert).
const PHQ9_COURSE: [[&[u8]; 3]; 3] = [
    [
        &[2, 2, 1, 2, 1, 1, 1, 1, 0],
        &[1, 2, 2, 1, 1, 2, 1, 0, 0],
        &[1, 1, 1, 2, 1, 1, 1, 0, 0],
    ],
    [
        &[1, 1, 1, 1, 1, 1, 1, 0, 0],
        &[1, 1, 1, 1, 0, 1, 1, 1, 0],
        &[1, 1, 0, 1, 1, 0, 1, 0, 0],
    ],
    [
        &[1, 0, 0, 1, 0, 1, 0, 0, 0],
        &[0, 1, 1, 0, 0, 1, 0, 0, 0],
        &[0, 0, 1, 1, 0, 0, 0, 0, 0],
    ],
];

/// CSI-4 answers at the same three points: relationship satisfaction rising.
const CSI4_COURSE: [[&[u8]; 3]; 3] = [
    [&[2, 3, 2, 3], &[3, 2, 3, 2], &[2, 2, 3, 3]],
    [&[3, 3, 3, 3], &[4, 3, 3, 3], &[3, 4, 3, 4]],
    [&[4, 4, 4, 4], &[5, 4, 4, 4], &[4, 4, 5, 4]],
];

/// Form fields for coded answers, by the instrument's item ids (`phq9_1`, ...).
/// The Chens' sexual-function course, one response per stage: Alex on the IIEF-15 and
/// Jordan on the FSFI, both improving a little, so the partners-side-by-side charts
/// have something to show.
const IIEF15_COURSE: [&[u8]; 3] = [
    &[2, 2, 2, 2, 2, 2, 1, 1, 2, 3, 3, 3, 2, 2, 2],
    &[3, 3, 3, 3, 3, 3, 2, 2, 3, 3, 3, 3, 3, 3, 3],
    &[4, 4, 4, 4, 4, 4, 3, 3, 4, 4, 4, 4, 4, 4, 4],
];
const FSFI_COURSE: [&[u8]; 3] = [
    &[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3],
    &[3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    &[4, 3, 4, 4, 4, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
];

fn fields(instrument: &str, answers: &[u8]) -> Vec<(String, String)> {
    answers
        .iter()
        .enumerate()
        .map(|(i, value)| (format!("{instrument}_{}", i + 1), value.to_string()))
        .collect()
}

/// Seeds sessions with notes for every case, and intakes for clients without portal
/// access. About 300 sessions across the 32 cases.
pub async fn seed_history(app: &App) -> anyhow::Result<()> {
    let context = AuditContext::default();
    let practice = sensate_domain::PracticeId::from_uuid(PRACTICE_ID);
    let portal_clients: Vec<ClientId> = {
        let mut ids = Vec::new();
        for person in PEOPLE.iter().filter(|p| p.role_code == Role::Client) {
            let account = app
                .store()
                .account(AccountId::from_uuid(Uuid::from_u128(person.id)))
                .await?;
            if let Some(client) = account.and_then(|a| a.client_id) {
                ids.push(client);
            }
        }
        ids
    };
    let mut clinicians: Vec<SignedIn> = Vec::new();
    for index in 0..3 {
        clinicians.push(
            app.acting_as(staff(index))
                .await?
                .ok_or_else(|| anyhow!("the demo's staff are seeded first"))?,
        );
    }
    let now = app.now();
    let cases = app.store().practice_cases(practice).await?;
    for (number, case) in cases.iter().enumerate() {
        let Some(clinician) = clinicians
            .iter()
            .find(|c| c.account_id == case.clinician_id)
        else {
            continue;
        };
        // Between 6 and 13 weekly sessions, the last one a week ago.
        let count = 6 + (number * 5) % 8;
        let plan = PlanForm {
            problems: PROBLEMS[number % PROBLEMS.len()].into(),
            goals: vec![(
                "Feel relaxed and present during intimacy".into(),
                "Practice at home twice a week, and a lower distress score at review".into(),
                (now + Duration::weeks(12)).date().to_string(),
            )],
            interventions: vec![
                "psychoeducation".into(),
                "sensate_focus".into(),
                "mindfulness".into(),
            ],
            other_interventions: String::new(),
            planned_sessions: (count + 4).to_string(),
            frequency: "weekly, then fortnightly".into(),
            review_date: (now + Duration::weeks(4)).date().to_string(),
            clinician_notes: String::new(),
            reason: String::new(),
        };
        app.save_plan(clinician, case.id, &plan, 0, &context)
            .await
            .map_err(|e| anyhow!("seeding a demo plan: {e}"))?;
        for week in 0..count {
            let starts = now - Duration::weeks(i64::try_from(count - week).unwrap_or(1));
            let (session_type, minutes) = match (week, case.kind) {
                (0, _) => ("intake", "60"),
                (_, CaseKind::Couple) => ("couple_with_client", "50"),
                (_, CaseKind::Group) => ("group", "90"),
                (_, CaseKind::Individual) => ("individual", "50"),
            };
            let form = SessionForm {
                date: starts.date().to_string(),
                time: format!("{:02}:00", 9 + (number + week) % 8),
                minutes: minutes.into(),
                modality: if (number + week) % 3 == 0 {
                    "video"
                } else {
                    "in_person"
                }
                .into(),
                session_type: session_type.into(),
                attendees: case.clients.iter().map(ToString::to_string).collect(),
            };
            let session = app
                .record_session(clinician, case.id, &form, &context)
                .await
                .map_err(|e| anyhow!("seeding a demo session: {e}"))?;
            let (subjective, assessment, plan) = WEEKS[week.min(WEEKS.len() - 1)];
            let sections = vec![
                ("subjective".to_owned(), subjective.to_owned()),
                (
                    "objective".to_owned(),
                    "Attended on time; engaged throughout.".to_owned(),
                ),
                ("assessment".to_owned(), assessment.to_owned()),
                ("plan".to_owned(), plan.to_owned()),
            ];
            // The latest note is left as a draft, as a clinician would before signing.
            let sign = week + 1 < count;
            app.save_note(
                clinician,
                case.id,
                session,
                &NoteForm {
                    template: "soap",
                    sections: &sections,
                    sign,
                    // Every demo plan has one goal, and every session works on it.
                    goals: &["1".to_owned()],
                },
                &context,
            )
            .await
            .map_err(|e| anyhow!("seeding a demo note: {e}"))?;
        }
        // Questionnaires entered in session from paper: the PHQ-9 for everyone, and the
        // CSI-4 for each partner of a couple, at the start, midway and last week.
        let weeks_ago = [count, count.div_ceil(2), 1];
        for (client_number, client) in case.clients.iter().enumerate() {
            let shift = (number + client_number) % 3;
            for (stage, weeks) in weeks_ago.iter().enumerate() {
                let at = now - Duration::weeks(i64::try_from(*weeks).unwrap_or(1));
                let answers = PHQ9_COURSE[stage][shift];
                app.enter_from_paper_at(
                    clinician,
                    case.id,
                    *client,
                    "phq9",
                    &fields("phq9", answers),
                    at,
                    &context,
                )
                .await
                .map_err(|e| anyhow!("seeding a demo PHQ-9: {e}"))?;
                if case.kind == CaseKind::Couple {
                    let answers = CSI4_COURSE[stage][shift];
                    app.enter_from_paper_at(
                        clinician,
                        case.id,
                        *client,
                        "csi4",
                        &fields("csi4", answers),
                        at,
                        &context,
                    )
                    .await
                    .map_err(|e| anyhow!("seeding a demo CSI-4: {e}"))?;
                }
                // The Chens (the couple with portal access): Alex's IIEF-15 and
                // Jordan's FSFI.
                let chens = case.clients.iter().all(|c| portal_clients.contains(c));
                if case.kind == CaseKind::Couple && chens {
                    let (instrument, answers) = if client_number == 0 {
                        ("iief15", IIEF15_COURSE[stage])
                    } else {
                        ("fsfi", FSFI_COURSE[stage])
                    };
                    app.enter_from_paper_at(
                        clinician,
                        case.id,
                        *client,
                        instrument,
                        &fields(instrument, answers),
                        at,
                        &context,
                    )
                    .await
                    .map_err(|e| anyhow!("seeding a demo {instrument}: {e}"))?;
                }
            }
        }
        // The Chens' next session is the day after tomorrow, and each partner is asked
        // for a PHQ-9 before every session, with a reminder: so their portals show one
        // waiting, and the notices job has something to send.
        if case.kind == CaseKind::Couple && case.clients.iter().all(|c| portal_clients.contains(c))
        {
            let next = now + Duration::days(2);
            let form = SessionForm {
                date: next.date().to_string(),
                time: "17:30".into(),
                minutes: "50".into(),
                modality: "video".into(),
                session_type: "couple_with_client".into(),
                attendees: case.clients.iter().map(ToString::to_string).collect(),
            };
            app.record_session(clinician, case.id, &form, &context)
                .await
                .map_err(|e| anyhow!("seeding the Chens' next session: {e}"))?;
            for client in &case.clients {
                let assign = AssignForm {
                    instrument: "phq9".into(),
                    schedule: "sessions".into(),
                    every_weeks: String::new(),
                    open_days: "3".into(),
                    reminder_days: "1".into(),
                };
                app.assign_questionnaire(clinician, case.id, *client, &assign, &context)
                    .await
                    .map_err(|e| anyhow!("seeding a demo assignment: {e}"))?;
            }
        }
        let note = match case.kind {
            CaseKind::Couple => {
                "Thank you both for this week. As agreed, try the first sensate-focus \
                 exercise twice before we meet, with no goal beyond noticing. Write a line \
                 in your practice log afterwards, each on your own."
            }
            CaseKind::Group => {
                "Thank you all for this week's group. The reading we discussed is in your \
                 portal; bring one question about it next time."
            }
            CaseKind::Individual => {
                "Thank you for this week. As agreed, keep a short note of when the worry \
                 shows up and what you were doing; we will look at it together."
            }
        };
        app.send_message(clinician, case.id, note, Recipients::Case, &context)
            .await
            .map_err(|e| anyhow!("seeding a demo message: {e}"))?;
        for client in &case.clients {
            if portal_clients.contains(client) {
                continue;
            }
            let answers: Vec<(String, String)> = INTAKE
                .iter()
                .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
                .collect();
            app.amend_intake(clinician, case.id, *client, &answers, &context)
                .await
                .map_err(|e| anyhow!("seeding a demo intake: {e}"))
                .context("the demo intake")?;
        }
    }
    Ok(())
}
