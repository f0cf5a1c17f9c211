//! Questionnaires around the care: rounds before each session, emailed notices and
//! reminders that say nothing clinical, the practice's own crisis resources, its own
//! reliable-change parameters, and partners who answered different instruments side by
//! side.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::demo_people::{chens, client};
use crate::support::{Browser, TestApp, on_both_databases};

async fn theo(app: &TestApp) -> Browser<'_> {
    full_session(
        app,
        PEOPLE[1].email,
        PEOPLE[1].password,
        PEOPLE[1].totp_secret.unwrap(),
    )
    .await
}

async fn maya(app: &TestApp) -> Browser<'_> {
    full_session(
        app,
        PEOPLE[0].email,
        PEOPLE[0].password,
        PEOPLE[0].totp_secret.unwrap(),
    )
    .await
}

fn now(app: &TestApp) -> time::OffsetDateTime {
    use sensate_app::Clock;
    app.clock.now()
}

/// The outbox messages addressed to Alex, as (subject, body), read the way the owner
/// reads them.
async fn mail_to_alex(maya: &Browser<'_>) -> Vec<(String, String)> {
    let page = maya.get("/admin/outbox").await.body;
    page.split("<article class=\"card mail\">")
        .skip(1)
        .filter(|m| m.contains(PEOPLE[4].email))
        .filter(|m| !m.contains("/invitations/") && !m.contains("/reset"))
        .map(|m| {
            let subject = m[m.find("<h2>").unwrap() + 4..m.find("</h2>").unwrap()].to_owned();
            let body = m[m.find("<pre>").unwrap() + 5..m.find("</pre>").unwrap()].to_owned();
            (subject, body)
        })
        .collect()
}

fn phq9(value: &str) -> Vec<(String, String)> {
    (1..=9)
        .map(|n| (format!("phq9_{n}"), value.to_owned()))
        .collect()
}

on_both_databases! {
    async fn a_questionnaire_before_each_session_opens_ahead_of_it_and_its_notices_come_once(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, jordan_id) = chens(&app).await;
        let theo = theo(&app).await;

        // A session five days from now, for both partners.
        let ahead = now(&app) + time::Duration::days(5);
        let date = ahead.date().to_string();
        let time = format!("{:02}:{:02}", ahead.hour(), ahead.minute());
        theo.get(&format!("/clinic/cases/{case}/sessions/new")).await;
        let recorded = theo.post(&format!("/clinic/cases/{case}/sessions/new"), &[
            ("date", &date), ("time", &time), ("minutes", "50"), ("modality", "video"),
            ("session_type", "couple_with_client"), ("attendee", &alex_id), ("attendee", &jordan_id),
        ]).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);

        let page = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires");
        theo.get(&page).await;
        let refused = theo.post(&page, &[
            ("instrument", "phq9"), ("schedule", "fortnightly"), ("open_days", "2"), ("reminder_days", "3"),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Choose when to ask: once, every few weeks, or before each session"));
        assert!(refused.body.contains("A reminder 3 days before it closes would come before it opens"));
        theo.get(&page).await;
        let assigned = theo.post(&page, &[
            ("instrument", "phq9"), ("schedule", "sessions"), ("open_days", "3"), ("reminder_days", "1"),
        ]).await;
        assert_eq!(assigned.header("location"), format!("{page}?assigned"));
        assert!(theo.get(&page).await.body.contains(
            "Before each session, opening 3 days ahead; reminder 1 day before it closes"
        ));

        // Five days ahead is too early: nothing waits, nothing is sent.
        let alex = client(&app, 4).await;
        assert!(!alex.get("/portal").await.body.contains("Patient Health Questionnaire-9"));
        let sent = app.app.send_questionnaire_notices("https://care.example").await.unwrap();
        assert_eq!((sent.opened, sent.reminders), (0, 0));

        // Two and a half days later it is open, and Alex is told once.
        app.clock.advance(time::Duration::hours(60));
        let alex = client(&app, 4).await;
        assert!(alex.get("/portal").await.body.contains("Answer the Patient Health Questionnaire-9"));
        let sent = app.app.send_questionnaire_notices("https://care.example").await.unwrap();
        assert_eq!((sent.opened, sent.reminders), (1, 0));
        let again = app.app.send_questionnaire_notices("https://care.example").await.unwrap();
        assert_eq!((again.opened, again.reminders), (0, 0), "each notice goes once");
        let owner = maya(&app).await;
        let mail = mail_to_alex(&owner).await;
        assert_eq!(mail.len(), 1);
        let (subject, body) = &mail[0];
        assert!(subject.starts_with("A form to fill in for"));
        assert!(body.contains("https://care.example/portal"));
        for clinical in ["PHQ", "Patient Health", "depress", "Alex", "questionnaire"] {
            assert!(!body.contains(clinical) && !subject.contains(clinical), "the email says {clinical}");
        }

        // Within a day of the session: one reminder.
        app.clock.advance(time::Duration::hours(48));
        let sent = app.app.send_questionnaire_notices("https://care.example").await.unwrap();
        assert_eq!((sent.opened, sent.reminders), (0, 1));
        let owner = maya(&app).await;
        assert!(mail_to_alex(&owner).await.iter().any(|(s, _)| s.starts_with("A reminder from")));

        // Answered: no more reminders; Jordan, who was not asked, got nothing.
        let alex = client(&app, 4).await;
        let portal = alex.get("/portal").await.body;
        let start = portal.find("/portal/questionnaires/").unwrap();
        let sheet = portal[start..start + "/portal/questionnaires/".len() + 36].to_owned();
        alex.get(&sheet).await;
        let mut fields: Vec<(&str, &str)> = Vec::new();
        let answers = phq9("0");
        fields.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        fields.push(("action", "send"));
        assert_eq!(alex.post(&sheet, &fields).await.status, StatusCode::OK);
        let sent = app.app.send_questionnaire_notices("https://care.example").await.unwrap();
        assert_eq!((sent.opened, sent.reminders), (0, 0));
        assert!(!owner.get("/admin/outbox").await.body.contains(PEOPLE[5].email));

        // Once the session has started, the round is closed.
        app.clock.advance(time::Duration::hours(13));
        let alex = client(&app, 4).await;
        assert!(!alex.get("/portal").await.body.contains("Patient Health Questionnaire-9"));
        assert_eq!(alex.get(&sheet).await.status, StatusCode::OK, "the sheet says it is closed");
    }
}

on_both_databases! {
    async fn after_a_critical_answer_the_client_reads_the_practices_own_crisis_resources(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, _) = chens(&app).await;
        let maya = maya(&app).await;
        let settings = maya.get("/admin/crisis-resources").await;
        assert_eq!(settings.status, StatusCode::OK);
        assert!(settings.body.contains("Clients see Sensate&#39;s general text below")
            || settings.body.contains("Clients see Sensate's general text below"));
        let empty = maya.post("/admin/crisis-resources", &[("text", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Write where your clients can get help now"));
        maya.get("/admin/crisis-resources").await;
        let saved = maya.post("/admin/crisis-resources", &[(
            "text",
            "In the US, call or text 988 at any hour.\r\nHarbour Street's duty line: 555-0142, 8am to 8pm.\r\n<b>not bold</b>",
        )]).await;
        assert_eq!(saved.header("location"), "/admin/crisis-resources?saved");

        // The intake shows it to every client, line by line, escaped.
        let alex = client(&app, 4).await;
        let intake = alex.get("/portal/intake").await.body;
        assert!(intake.contains("<p>In the US, call or text 988 at any hour.</p>"));
        assert!(intake.contains("not bold") && !intake.contains("<b>not bold"), "escaped");

        // And a critical questionnaire answer shows it.
        let theo = theo(&app).await;
        let page = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires");
        theo.get(&page).await;
        theo.post(&page, &[("instrument", "phq9")]).await;
        let portal = alex.get("/portal").await.body;
        let start = portal.find("/portal/questionnaires/").unwrap();
        let sheet = portal[start..start + "/portal/questionnaires/".len() + 36].to_owned();
        alex.get(&sheet).await;
        let mut answers = phq9("1");
        answers[8].1 = "2".into();
        let mut fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        fields.push(("action", "send"));
        let sent = alex.post(&sheet, &fields).await.body;
        assert!(sent.contains("duty line: 555-0142"), "{sent}");
        assert!(!sent.contains("you do not have to wait for your next session"), "the practice's text replaces the general one");

        // Only the owner changes it.
        assert_eq!(theo.get("/admin/crisis-resources").await.status, StatusCode::NOT_FOUND);
    }
}

on_both_databases! {
    async fn the_practices_own_reliability_and_sd_judge_change_and_are_named_as_its_own(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, _) = chens(&app).await;
        let theo = theo(&app).await;
        let page = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires");
        let paper = format!("{page}/paper");
        // Two ASEX (male form) responses from paper, a week apart: 25 then 15.
        for (day, value) in [(0, "5"), (7, "3")] {
            let again;
            let theo = if day > 0 {
                app.clock.advance(time::Duration::days(day));
                again = crate::questionnaire_care::theo(&app).await;
                &again
            } else {
                &theo
            };
            theo.get(&format!("{paper}?instrument=asex")).await;
            let mut fields: Vec<(String, String)> = (1..=5).map(|n| (format!("asex_{n}"), value.to_owned())).collect();
            fields.push(("instrument".into(), "asex".into()));
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let entered = theo.post(&paper, &fields).await;
            assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
        }
        // A new code step for a new sign-in (a TOTP code is accepted once).
        app.clock.advance(time::Duration::minutes(1));
        let theo = crate::questionnaire_care::theo(&app).await;
        let before = theo.get(&page).await.body;
        assert!(before.contains("no reliable-change method"), "{before}");

        let maya = maya(&app).await;
        assert_eq!(maya.get("/admin/reliable-change").await.status, StatusCode::OK);
        let refused = maya.post("/admin/reliable-change", &[
            ("measure", "asex:total"), ("reliability", "1.2"), ("sd", "-3"), ("source", ""),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Reliability: a reliability must lie strictly between 0 and 1"));
        assert!(refused.body.contains("Standard deviation:"));
        assert!(refused.body.contains("Say where the numbers come from"));
        maya.get("/admin/reliable-change").await;
        let saved = maya.post("/admin/reliable-change", &[
            ("measure", "asex:total"), ("reliability", "0.80"), ("sd", "4.5"),
            ("source", "Harbour Street intake sample, 2025 (n = 140)"),
        ]).await;
        assert_eq!(saved.header("location"), "/admin/reliable-change?saved");
        assert!(maya.get("/admin/reliable-change").await.body.contains("Harbour Street intake sample"));

        // 1.96 × 4.5 × √(2 × 0.2) ≈ 5.58 points: a fall of 10 is reliable.
        let after = theo.get(&page).await.body;
        assert!(after.contains("Jacobson"), "{after}");
        assert!(after.contains("a fall of 10 points, from 25 to 15"), "{after}");
        assert!(after.contains("configured by the practice: Harbour Street intake sample, 2025 (n = 140)"), "{after}");

        maya.get("/admin/reliable-change").await;
        let cleared = maya.post("/admin/reliable-change/clear", &[("instrument", "asex"), ("score", "total")]).await;
        assert_eq!(cleared.header("location"), "/admin/reliable-change?cleared");
        assert!(theo.get(&page).await.body.contains("no reliable-change method"));
    }
}

on_both_databases! {
    async fn partners_who_answered_fsfi_and_iief_are_seen_side_by_side_on_their_own_scales(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, jordan_id) = chens(&app).await;
        let theo = theo(&app).await;
        // Alex answers the IIEF-15, Jordan the FSFI, from paper.
        let enter = |client: String, instrument: &'static str, items: usize, value: &'static str| {
            let theo = &theo;
            let case = case.clone();
            async move {
                let paper = format!("/clinic/cases/{case}/clients/{client}/questionnaires/paper");
                theo.get(&format!("{paper}?instrument={instrument}")).await;
                let mut fields: Vec<(String, String)> = (1..=items).map(|n| (format!("{instrument}_{n}"), value.to_owned())).collect();
                fields.push(("instrument".into(), instrument.into()));
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let entered = theo.post(&paper, &fields).await;
                assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
            }
        };
        enter(alex_id.clone(), "iief15", 15, "3").await;
        enter(jordan_id.clone(), "fsfi", 19, "3").await;
        let page = theo.get(&format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires")).await.body;
        assert!(page.contains("Partners side by side"), "{page}");
        assert!(page.contains("do not compare the numbers"));
        assert!(page.contains("id=\"pair-sexual-desire-desire"), "{page}");
        assert!(page.contains("Jordan Chen (FSFI desire"), "{page}");
        // Jordan's page shows the same pairs from Jordan's side.
        let theirs = theo.get(&format!("/clinic/cases/{case}/clients/{jordan_id}/questionnaires")).await.body;
        assert!(theirs.contains("id=\"pair-desire-sexual-desire"), "{theirs}");

        // An individual client has no partner to compare with.
        let sam = theo.get("/clinic").await.body;
        assert!(!sam.contains("Partners side by side"));
    }
}
