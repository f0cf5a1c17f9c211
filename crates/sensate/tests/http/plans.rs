//! Treatment plans through the real router: the first plan, its reading and
//! acknowledgement in the portal (without the clinician's notes), a revision with its
//! reason (the earlier one still readable, the client asked again), and refusals.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

async fn client<'a>(app: &'a TestApp, index: usize) -> Browser<'a> {
    let person = &PEOPLE[index];
    let browser = app.browser();
    browser
        .post(
            "/sign-in",
            &[("email", person.email), ("password", person.password)],
        )
        .await;
    browser
}

fn plan<'a>(based_on: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("based_on", based_on),
        ("problems", "Low desire, and different levels of desire"),
        ("goal-0", "Enjoy unhurried touch together"),
        ("measure-0", "Sensate focus practice twice a week"),
        ("target-0", "2099-03-01"),
        ("intervention", "sensate_focus"),
        ("intervention", "communication_skills"),
        ("planned_sessions", "12"),
        ("frequency", "weekly"),
        ("review_date", "2099-01-15"),
        (
            "clinician_notes",
            "Hidden-3f1: watch for pursuer-distancer pattern",
        ),
        ("reason", reason),
    ]
}

on_both_databases! {
    async fn a_plan_is_written_read_acknowledged_and_revised(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = &PEOPLE[1];
        let theo = full_session(&app, theo.email, theo.password, theo.totp_secret.unwrap()).await;
        let alex_record = app.store.account_by_email(&app.app.vault().email_lookup(PEOPLE[4].email)).await.unwrap().unwrap().client_id.unwrap();
        let case = app.store.client_cases(alex_record).await.unwrap()[0].id;
        let url = format!("/clinic/cases/{case}/plan");
        assert!(theo.get(&url).await.body.contains("No plan yet"));

        let mut bad = plan("0", "");
        bad.retain(|(k, _)| *k != "measure-0");
        let refused = theo.post(&url, &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Goal 1: say how it will be measured"));

        theo.get(&url).await;
        let saved = theo.post(&url, &plan("0", "")).await;
        assert_eq!(saved.header("location"), format!("{url}?saved"));
        let page = theo.get(&url).await;
        assert!(page.body.contains("Revision 1"));
        assert!(page.body.contains("Hidden-3f1"));
        assert!(theo.get(&format!("/clinic/cases/{case}")).await.body.contains("0 sessions held of 12 planned"));

        // Alex reads it without the clinician's notes, and acknowledges it.
        let alex = client(&app, 4).await;
        let portal = alex.get("/portal").await;
        assert!(portal.body.contains("Read your treatment plan"));
        let mine = alex.get(&format!("/portal/cases/{case}/plan")).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains("Enjoy unhurried touch together"));
        assert!(!mine.body.contains("Hidden-3f1"), "the clinician's notes stay with the clinician");
        let start = mine.body.find(r#"name="revision" value=""#).unwrap() + r#"name="revision" value=""#.len();
        let revision: String = mine.body[start..].split('"').next().unwrap().to_owned();
        let ack = alex.post(&format!("/portal/cases/{case}/plan"), &[("revision", &revision)]).await;
        assert_eq!(ack.header("location"), "/portal?acknowledged");
        assert!(!alex.get("/portal").await.body.contains("Read your treatment plan"));
        assert!(theo.get(&url).await.body.contains("Acknowledged by Alex Chen."));

        // A revision needs a reason; a stale form is refused; the earlier one stays readable.
        theo.get(&url).await;
        let no_reason = theo.post(&url, &plan("1", "")).await;
        assert!(no_reason.body.contains("Reason for the change: say why the plan is changing"));
        theo.get(&url).await;
        let stale = theo.post(&url, &plan("0", "late form")).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        theo.get(&url).await;
        let revised = theo.post(&url, &plan("1", "Added communication work after session 3")).await;
        assert_eq!(revised.header("location"), format!("{url}?saved"));
        let page = theo.get(&url).await;
        assert!(page.body.contains("Revision 2"));
        assert!(page.body.contains("Added communication work after session 3"));
        assert!(page.body.contains("Not acknowledged by a client yet."));
        let first = theo.get(&format!("{url}?revision=1")).await;
        assert!(first.body.contains("Revision 1"));
        assert!(alex.get("/portal").await.body.contains("Read your treatment plan"), "a new revision asks again");

        // Sam is not in the case.
        let sam = client(&app, 3).await;
        let probe = sam.get(&format!("/portal/cases/{case}/plan")).await;
        let missing = sam.get(&format!("/portal/cases/{}/plan", uuid::Uuid::now_v7())).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND);
        assert_eq!(probe.body, missing.body);
    }
}
