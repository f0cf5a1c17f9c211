//! The intake through the real router: a partner answers in private, saves and sends;
//! a "yes" to a safety question alerts the clinician at once; the clinician reads,
//! amends in session (every change kept with author and time) and marks the alert seen;
//! the other partner never sees any of it.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

const ALEX_MARKER: &str = "Alex-private-7d41";

async fn client<'a>(app: &'a TestApp, index: usize) -> Browser<'a> {
    let person = &PEOPLE[index];
    let browser = app.browser();
    let signed = browser
        .post(
            "/sign-in",
            &[("email", person.email), ("password", person.password)],
        )
        .await;
    assert_eq!(signed.header("location"), "/portal");
    browser
}

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

/// The Chens' case and Alex's and Jordan's records.
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

on_both_databases! {
    async fn a_partner_answers_in_private_and_a_safety_answer_alerts_the_clinician(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, jordan_id) = chens(&app).await;
        let alex = client(&app, 4).await;
        assert!(alex.get("/portal").await.body.contains("Answer your intake questions"));
        let form = alex.get("/portal/intake").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("What brings you to therapy now?"));

        let reason = format!("{ALEX_MARKER}: pain during sex since last year");
        let saved = alex.post("/portal/intake", &[("reason", &reason), ("onset", "1_to_5_years"), ("action", "save")]).await;
        assert_eq!(saved.header("location"), "/portal/intake?saved");
        assert!(alex.get("/portal/intake").await.body.contains(&reason), "a saved answer is there to resume");

        // Sending checks the required questions; nothing is saved while any is missing.
        let incomplete = alex
            .post("/portal/intake", &[("reason", &reason), ("stressors", "work"), ("action", "send")])
            .await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(incomplete.body.contains("Please answer this question"));
        assert!(incomplete.body.contains("work"), "what was typed comes back");
        assert!(!alex.get("/portal/intake").await.body.contains(">work<"), "nothing was saved");

        let sent = alex
            .post(
                "/portal/intake",
                &[
                    ("reason", &reason),
                    ("hopes", "to enjoy sex again"),
                    ("self_harm", "yes"),
                    ("partner_harm", "no"),
                    ("action", "send"),
                ],
            )
            .await;
        assert_eq!(sent.header("location"), "/portal/intake?sent");
        assert!(!alex.get("/portal").await.body.contains("Answer your intake questions"));

        // Theo is alerted on his caseload at once, and reads the intake.
        let theo = theo(&app).await;
        let caseload = theo.get("/clinic").await;
        assert!(caseload.body.contains("Alex Chen said yes to having thoughts of harming themself"));
        let intake_url = format!("/clinic/cases/{case}/clients/{alex_id}/intake");
        let intake = theo.get(&intake_url).await;
        assert_eq!(intake.status, StatusCode::OK);
        assert!(intake.body.contains(&reason));
        assert!(intake.body.contains("1 to 5 years ago"));
        assert!(intake.body.contains("Sent by the client on"));
        let start = intake.body.find("/alerts/").unwrap();
        let acknowledge: String = intake.body[start - intake_url.len() + "/intake".len()..]
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let blank = theo.post(&acknowledge, &[("action", "  ")]).await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank.body.contains("Write what you did about this alert"));
        assert!(theo.get("/clinic").await.body.contains("said yes to having thoughts"), "still open");
        theo.get(&intake_url).await;
        let seen = theo.post(&acknowledge, &[("action", "Called Alex the same day; agreed a safety plan.")]).await;
        assert_eq!(seen.header("location"), format!("{intake_url}?seen"));
        assert!(!theo.get("/clinic").await.body.contains("said yes to having thoughts"));
        assert!(theo.get(&intake_url).await.body.contains("Called Alex the same day; agreed a safety plan."));

        // The case's timeline shows each step, labelled with who may see it, and none of
        // the answers.
        let timeline = theo.get(&format!("/clinic/cases/{case}")).await.body;
        for line in [
            "Alex Chen sent their intake",
            "Safety alert raised about Alex Chen",
            "Safety alert about Alex Chen marked as seen",
        ] {
            assert!(timeline.contains(line), "{line}");
        }
        assert!(timeline.contains(&format!("/clinic/cases/{case}/clients/{alex_id}/intake")));
        assert!(!timeline.contains(ALEX_MARKER), "no answer reaches the timeline");

        // Jordan sees none of it: not in the portal, not at Alex's address, not by count.
        let jordan = client(&app, 5).await;
        for path in ["/portal", "/portal/intake", "/portal/consent"] {
            let page = jordan.get(path).await;
            assert!(!page.body.contains(ALEX_MARKER), "{path}");
            assert!(!page.body.contains("pain during sex"), "{path}");
        }
        assert!(jordan.get("/portal").await.body.contains("Answer your intake questions"));
        let probe = jordan.get(&intake_url).await;
        let missing = jordan.get(&format!("/clinic/cases/{case}/clients/{}/intake", uuid::Uuid::now_v7())).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND);
        assert_eq!(probe.body, missing.body);
        let jordan_intake = theo.get(&format!("/clinic/cases/{case}/clients/{jordan_id}/intake")).await;
        assert!(!jordan_intake.body.contains(ALEX_MARKER), "each partner's intake is their own");
    }

    async fn the_clinician_amends_in_session_and_every_change_is_kept(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, _) = chens(&app).await;
        let alex = client(&app, 4).await;
        alex.get("/portal/intake").await;
        alex.post("/portal/intake", &[("reason", "first words"), ("action", "save")]).await;
        let theo = theo(&app).await;
        let url = format!("/clinic/cases/{case}/clients/{alex_id}/intake");
        theo.get(&url).await;
        let refused = theo.post(&url, &[("reason", "clarified in session"), ("course", "sideways")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Please choose one of the answers shown"));
        assert!(!theo.get(&url).await.body.contains("clarified in session"), "nothing saved");
        let amended = theo.post(&url, &[("reason", "clarified in session"), ("course", "worse")]).await;
        assert_eq!(amended.header("location"), format!("{url}?amended"));
        let page = theo.get(&url).await;
        assert!(page.body.contains("clarified in session"));
        assert!(page.body.contains("first words"), "the earlier answer stays in the history");
        assert!(page.body.contains("Theo Lindqvist (clinician)"));
        assert!(page.body.contains("Alex Chen"));
        let timeline = theo.get(&format!("/clinic/cases/{case}")).await.body;
        assert!(timeline.contains("Alex Chen&#39;s intake written or changed in session"));
        assert!(!timeline.contains("Alex Chen sent their intake"), "saved, but not sent");
        // Alex sees the amended answer as his own current answer.
        assert!(alex.get("/portal/intake").await.body.contains("clarified in session"));

        // The owner runs the practice but is not Alex's clinician.
        let maya = &PEOPLE[0];
        let maya = full_session(&app, maya.email, maya.password, maya.totp_secret.unwrap()).await;
        assert_eq!(maya.get(&url).await.status, StatusCode::NOT_FOUND);
    }

    async fn the_intake_page_loads_its_first_party_autosave_script(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let alex = client(&app, 4).await;
        let page = alex.get("/portal/intake").await;
        assert!(page.body.contains("data-autosave"));
        let start = page.body.find("/assets/autosave-").expect("the script is linked");
        let src: String = page.body[start..].split('"').next().unwrap().to_owned();
        let script = app.get(&src).await;
        assert_eq!(script.status, StatusCode::OK);
        assert_eq!(script.header("content-type"), "text/javascript; charset=utf-8");
        assert!(script.header("cache-control").contains("immutable"));
        assert!(!script.body.contains("http"), "it talks to its own page's form only");
    }
}
