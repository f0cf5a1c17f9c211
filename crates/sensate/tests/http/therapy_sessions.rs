//! Sessions and notes through the real router: a joint session with its suggested CPT
//! code, a progress note drafted, signed and locked, a dated addendum; an individual
//! session with one partner; refusals that record nothing; and the process note, which
//! only the clinician sees.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

async fn theo(app: &TestApp) -> Browser<'_> {
    let person = &PEOPLE[1];
    full_session(
        app,
        person.email,
        person.password,
        person.totp_secret.unwrap(),
    )
    .await
}

/// The Chens' case and both partners' records.
async fn chens(app: &TestApp) -> (String, String, String) {
    let theo = app
        .store
        .account_by_email(&app.app.vault().email_lookup(PEOPLE[1].email))
        .await
        .unwrap()
        .unwrap();
    let case = app
        .store
        .clinician_cases(theo.id)
        .await
        .unwrap()
        .into_iter()
        .find(|case| case.kind == sensate_domain::cases::CaseKind::Couple)
        .unwrap();
    (
        case.id.to_string(),
        case.clients[0].to_string(),
        case.clients[1].to_string(),
    )
}

async fn record(
    browser: &Browser<'_>,
    case: &str,
    fields: &[(&str, &str)],
) -> crate::support::TestResponse {
    browser
        .get(&format!("/clinic/cases/{case}/sessions/new"))
        .await;
    browser
        .post(&format!("/clinic/cases/{case}/sessions/new"), fields)
        .await
}

on_both_databases! {
    async fn a_joint_session_gets_its_code_and_a_signed_note_is_locked(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex, jordan) = chens(&app).await;
        let theo = theo(&app).await;
        let recorded = record(&theo, &case, &[
            ("date", "2026-11-30"), ("time", "14:30"), ("minutes", "50"), ("modality", "video"),
            ("session_type", "couple_with_client"), ("attendee", &alex), ("attendee", &jordan),
        ]).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let session = recorded.header("location").trim_end_matches("?recorded").to_owned();
        let page = theo.get(&session).await;
        assert!(page.body.contains("Session on 2026-11-30 14:30"));
        assert!(page.body.contains("90847"));
        assert!(page.body.contains("Alex Chen, Jordan Chen") || page.body.contains("Jordan Chen, Alex Chen"));

        let draft = theo.post(&format!("{session}/note"), &[
            ("template", "soap"), ("subjective", "Both describe less pressure."), ("plan", "Sensate focus, stage one."), ("action", "save"),
        ]).await;
        assert_eq!(draft.header("location"), format!("{session}?saved"));
        assert!(theo.get(&session).await.body.contains("Both describe less pressure."));
        // The case has no plan yet, so there is no goal to link.
        theo.get(&session).await;
        let no_goal = theo.post(&format!("{session}/note"), &[
            ("template", "soap"), ("subjective", "Unsaved words."), ("goal", "1"), ("action", "save"),
        ]).await;
        assert_eq!(no_goal.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_goal.body.contains("choose goals from the case&#39;s current plan"), "{}", no_goal.body);
        assert!(!theo.get(&session).await.body.contains("Unsaved words."), "nothing saved");
        let early = theo.post(&format!("{session}/addenda"), &[("text", "Too soon.")]).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(early.body.contains("Sign the note before adding an addendum"));

        theo.get(&session).await;
        let signed = theo.post(&format!("{session}/note"), &[
            ("template", "soap"), ("subjective", "Both describe less pressure."), ("assessment", "Engaged."), ("plan", "Sensate focus, stage one."), ("action", "sign"),
        ]).await;
        assert_eq!(signed.header("location"), format!("{session}?signed"));
        let page = theo.get(&session).await;
        assert!(page.body.contains("The note is locked."));
        assert!(!page.body.contains("Sign and lock"), "no editing form once signed");

        let rewrite = theo.post(&format!("{session}/note"), &[("template", "soap"), ("subjective", "Rewritten."), ("action", "save")]).await;
        assert_eq!(rewrite.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(rewrite.body.contains("signed and locked"));
        assert!(!theo.get(&session).await.body.contains("Rewritten."), "the signed words stand");

        theo.get(&session).await;
        let addendum = theo.post(&format!("{session}/addenda"), &[("text", "Jordan called to add context.")]).await;
        assert_eq!(addendum.header("location"), format!("{session}?saved"));
        let page = theo.get(&session).await;
        assert!(page.body.contains("Jordan called to add context."));
        assert!(page.body.contains("Theo Lindqvist"));
        let case_page = theo.get(&format!("/clinic/cases/{case}")).await;
        assert!(case_page.body.contains("1 held."));
        assert!(case_page.body.contains("Couple or family, client present (note signed)"), "the timeline lists the session");
        assert!(case_page.body.contains("The case: every client in it"));
        assert!(case_page.body.contains("Signed"));
    }

    async fn codes_follow_minutes_and_bad_sessions_record_nothing(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex, jordan) = chens(&app).await;
        let theo = theo(&app).await;
        let alone = record(&theo, &case, &[
            ("date", "2026-12-02"), ("time", "09:00"), ("minutes", "45"), ("modality", "in_person"),
            ("session_type", "individual"), ("attendee", &alex),
        ]).await;
        let page = theo.get(alone.header("location")).await;
        assert!(page.body.contains("90834"));
        let case_page = theo.get(&format!("/clinic/cases/{case}")).await;
        assert!(case_page.body.contains("Individual psychotherapy (no note yet)"));
        assert!(case_page.body.contains("Alex Chen only"), "a session with one partner is marked as theirs alone");
        let short = record(&theo, &case, &[
            ("date", "2026-12-03"), ("time", "09:00"), ("minutes", "20"), ("modality", "phone"),
            ("session_type", "couple_with_client"), ("attendee", &alex), ("attendee", &jordan),
        ]).await;
        let page = theo.get(short.header("location")).await;
        assert!(page.body.contains("None: no psychotherapy code applies to a session shorter than 26 minutes"));

        let sessions_before = theo.get(&format!("/clinic/cases/{case}")).await.body.matches("/sessions/0").count();
        let refused = record(&theo, &case, &[
            ("date", "30/11/2026"), ("time", "25:00"), ("minutes", "0"), ("modality", "carrier pigeon"),
            ("session_type", "individual"), ("attendee", &alex), ("attendee", &jordan),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Date should be a date such as 2026-11-30",
            "Time should be hours and minutes, such as 14:30",
            "Duration should be between 1 and 480 minutes",
            "Choose how the session was held",
            "An individual session has one attendee",
        ] {
            assert!(refused.body.contains(message), "{message}");
        }
        let stranger = record(&theo, &case, &[
            ("date", "2026-12-04"), ("time", "09:00"), ("minutes", "50"), ("modality", "video"),
            ("session_type", "individual"), ("attendee", &uuid::Uuid::now_v7().to_string()),
        ]).await;
        assert!(stranger.body.contains("Choose who attended from this case"));
        let sessions_after = theo.get(&format!("/clinic/cases/{case}")).await.body.matches("/sessions/0").count();
        assert_eq!(sessions_before, sessions_after, "nothing was recorded");
    }

    async fn a_process_note_is_seen_by_the_clinician_alone(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex, _) = chens(&app).await;
        let theo = theo(&app).await;
        let alone = record(&theo, &case, &[
            ("date", "2026-12-02"), ("time", "09:00"), ("minutes", "45"), ("modality", "in_person"),
            ("session_type", "individual"), ("attendee", &alex),
        ]).await;
        let session = alone.header("location").trim_end_matches("?recorded").to_owned();
        theo.get(&session).await;
        let saved = theo.post(&format!("{session}/process-note"), &[("text", "Process-7c2: my countertransference")]).await;
        assert_eq!(saved.header("location"), format!("{session}?saved"));
        assert!(theo.get(&session).await.body.contains("Process-7c2"));

        let owner = &PEOPLE[0];
        let maya = full_session(&app, owner.email, owner.password, owner.totp_secret.unwrap()).await;
        assert_eq!(maya.get(&session).await.status, StatusCode::NOT_FOUND);
        for index in [4, 5] {
            let person = &PEOPLE[index];
            let partner = app.browser();
            partner.post("/sign-in", &[("email", person.email), ("password", person.password)]).await;
            for path in ["/portal", "/portal/intake", "/portal/consent", session.as_str()] {
                let page = partner.get(path).await;
                assert!(!page.body.contains("Process-7c2"), "{} {path}", person.email);
            }
        }
    }

    async fn the_demo_history_gives_the_caseload_300_sessions_with_notes_and_intakes(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        sensate::demo_history::seed_history(&app.app).await.unwrap();
        let practice = app.store.practices().await.unwrap()[0].id;
        let cases = app.store.practice_cases(practice).await.unwrap();
        let clients = app.store.practice_clients(practice).await.unwrap();
        assert!(clients.len() >= 40);
        assert!(cases.iter().filter(|c| c.kind == sensate_domain::cases::CaseKind::Couple).count() >= 8);
        let mut sessions = 0;
        let mut signed = 0;
        let mut upcoming = 0;
        let now = { use sensate_app::Clock; app.clock.now() };
        for case in &cases {
            for session in app.store.case_sessions(case.id).await.unwrap() {
                // The Chens' next session is still to come: no note yet.
                if session.starts_at > now {
                    upcoming += 1;
                    continue;
                }
                sessions += 1;
                let note = app.store.progress_note(session.id).await.unwrap().expect("every session has a note");
                signed += usize::from(note.signed_at.is_some());
            }
        }
        assert!(sessions >= 300, "{sessions} sessions");
        assert_eq!(upcoming, 1, "one session is scheduled ahead");
        assert_eq!(signed, sessions - cases.len(), "all but each case's latest note are signed");
        let with_intake = {
            let mut n = 0;
            for client in &clients {
                n += usize::from(!app.store.intake_entries(client.id).await.unwrap().is_empty());
            }
            n
        };
        assert_eq!(with_intake, clients.len() - 3, "everyone but the three portal clients");
        // Theo's case page shows the history.
        let theo = theo(&app).await;
        let (case, _, _) = chens(&app).await;
        let page = theo.get(&format!("/clinic/cases/{case}")).await;
        assert!(page.body.contains(" held."));
        assert!(page.body.contains("Signed"));
        assert!(page.body.contains("Draft"));
        assert!(page.body.contains("planned"), "every demo case has a plan");
        assert!(theo.get(&format!("/clinic/cases/{case}/messages")).await.body.contains("sensate-focus exercise"));
        let (_, alex, _) = chens(&app).await;
        let results = theo.get(&format!("/clinic/cases/{case}/clients/{alex}/questionnaires")).await.body;
        assert!(results.contains("<svg"), "the demo's questionnaire history is charted");
        assert!(results.contains("Couples Satisfaction Index"));
        assert!(results.contains("<caption>Both partners' scores over time</caption>"), "the dyadic view");
        assert!(results.contains("<td>Jordan Chen</td>"));
        assert!(!theo.get("/clinic").await.body.contains("thoughts of self-harm"), "no demo alert");
        // Each demo note is linked to its plan's goal, shown on the session's page.
        let prefix = format!("/clinic/cases/{case}/sessions/");
        let href = page
            .body
            .match_indices(&prefix)
            .map(|(i, _)| &page.body[i..i + prefix.len() + 36])
            .find(|href| !href.ends_with("new") && uuid::Uuid::parse_str(&href[prefix.len()..]).is_ok())
            .expect("a session link")
            .to_owned();
        let session = theo.get(&href).await;
        assert_eq!(session.status, StatusCode::OK, "{href}");
        assert!(session.body.contains("Feel relaxed and present during intimacy"), "{}", session.body);
    }
}
