//! Messages through the real router: the clinician writes to the couple and to one
//! partner privately; a partner writes to the therapist alone; the other partner never
//! sees, counts or reaches a private message until its client shares it; under the
//! Chens' "limited secrets" policy the clinician cannot share it for them.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;

use crate::access_matrix::full_session;
use crate::demo_people::{chens, client};
use crate::support::{Browser, TestApp, on_both_databases};

const ALEX_PRIVATE: &str = "Alex-only-c3f9";
const TO_ALEX: &str = "For-Alex-only-91d2";

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

/// The id in the first share form on a page.
fn first_share(body: &str) -> String {
    let end = body.find("/share\"").expect("a share button");
    body[end - 36..end].to_owned()
}

on_both_databases! {
    async fn private_messages_stay_with_their_partner_until_that_partner_shares_them(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, _) = chens(&app).await;
        let theo = theo(&app).await;
        let thread = format!("/clinic/cases/{case}/messages");
        theo.get(&thread).await;
        let sent = theo.post(&thread, &[("to", "case"), ("text", "Welcome, both of you.")]).await;
        assert_eq!(sent.header("location"), format!("{thread}?sent"));
        theo.get(&thread).await;
        theo.post(&thread, &[("to", &alex_id), ("text", TO_ALEX)]).await;

        let alex = client(&app, 4).await;
        let jordan = client(&app, 5).await;
        let jordan_portal_before = jordan.get("/portal").await.body;
        assert!(jordan_portal_before.contains("Read your new message"), "one new message for Jordan");
        let alex_portal = alex.get("/portal").await.body;
        assert!(alex_portal.contains("Read your 2 new messages"));
        let mine = format!("/portal/cases/{case}/messages");
        let page = alex.get(&mine).await.body;
        assert!(page.contains("Welcome, both of you."));
        assert!(page.contains(TO_ALEX));
        assert!(page.contains("You and your therapist only"));
        assert!(page.contains("You, your partner and your therapist"));
        assert!(!alex.get("/portal").await.body.contains("new message"), "read now");

        // Alex writes to the therapist alone, a minute later.
        app.clock.advance(time::Duration::minutes(1));
        alex.get(&mine).await;
        let sent = alex.post(&mine, &[("to", "me"), ("text", &format!("{ALEX_PRIVATE} something I have not said"))]).await;
        assert_eq!(sent.header("location"), format!("{mine}?sent"));

        // Jordan sees only the case's message, and no count of the rest.
        let jordan_page = jordan.get(&mine).await.body;
        assert!(jordan_page.contains("Welcome, both of you."));
        assert!(!jordan_page.contains(TO_ALEX));
        assert!(!jordan_page.contains(ALEX_PRIVATE));
        assert!(!jordan_page.contains("/share"), "nothing private of Jordan's to share");
        assert_eq!(jordan.get("/portal").await.body.matches("new message").count(), 0);

        // Theo sees everything, labelled; the case page counts what is new to him.
        let case_page = theo.get(&format!("/clinic/cases/{case}")).await.body;
        assert!(case_page.contains("1 new message."), "Alex's message is new to Theo");
        let page = theo.get(&thread).await.body;
        assert!(page.contains(ALEX_PRIVATE));
        assert!(page.contains("Alex Chen and you only"));
        assert!(page.contains("Under this case&#39;s secrets policy, only a client can share"));
        assert!(!page.contains("/share\""), "no share button for Theo under limited secrets");

        // Jordan cannot reach Alex's message to share it; Theo may not share it for Alex.
        let alex_page = alex.get(&mine).await.body;
        let alex_message = first_share(&alex_page);
        jordan.get(&mine).await;
        let probe = jordan.post(&format!("{mine}/{alex_message}/share"), &[]).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND);
        theo.get(&thread).await;
        let refused = theo.post(&format!("{thread}/{alex_message}/share"), &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("only the client can share"));
        assert!(!jordan.get(&mine).await.body.contains(ALEX_PRIVATE), "still private");

        // Alex shares the message meant for him first (the oldest private one), then his own.
        alex.get(&mine).await;
        let shared = alex.post(&format!("{mine}/{alex_message}/share"), &[]).await;
        assert_eq!(shared.header("location"), format!("{mine}?shared"));
        let jordan_page = jordan.get(&mine).await.body;
        assert!(jordan_page.contains(TO_ALEX), "shared by the partner it was for");
        assert!(jordan_page.contains("(shared "));
        let alex_page = alex.get(&mine).await.body;
        let own = first_share(&alex_page);
        alex.post(&format!("{mine}/{own}/share"), &[]).await;
        assert!(jordan.get(&mine).await.body.contains(ALEX_PRIVATE));

        // Once the case is closed its messages stay readable, but nobody writes to it.
        theo.get(&format!("/clinic/cases/{case}")).await;
        theo.post(&format!("/clinic/cases/{case}/close"), &[]).await;
        alex.get(&mine).await;
        let late = alex.post(&mine, &[("to", "case"), ("text", "After closing")]).await;
        assert_eq!(late.status, StatusCode::NOT_FOUND);
        assert!(!theo.get(&thread).await.body.contains("After closing"));

        let shares = app
            .store
            .audit_events(&AuditQuery { action: Some("share".into()), limit: 10, ..AuditQuery::default() })
            .await
            .unwrap();
        assert_eq!(shares.len(), 2, "each share is audited");
        let sends = app
            .store
            .audit_events(&AuditQuery { object_id: Some(own.parse().unwrap()), action: Some("create".into()), limit: 10, ..AuditQuery::default() })
            .await
            .unwrap();
        assert_eq!(sends.len(), 1, "sending is audited");
    }

    async fn a_message_that_cannot_be_sent_says_why_and_sends_nothing(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, _) = chens(&app).await;
        let jordan = client(&app, 5).await;
        let mine = format!("/portal/cases/{case}/messages");
        jordan.get(&mine).await;
        let empty = jordan.post(&mine, &[("to", "case"), ("text", "   ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Write the message first"));
        jordan.get(&mine).await;
        let as_alex = jordan.post(&mine, &[("to", &alex_id), ("text", "Pretending")]).await;
        assert_eq!(as_alex.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(as_alex.body.contains("Choose who the message is for"));
        assert!(as_alex.body.contains("Pretending"), "what was typed comes back to be sent again");
        jordan.get(&mine).await;
        let control = jordan.post(&mine, &[("to", "case"), ("text", "bell \u{7}")]).await;
        assert_eq!(control.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(control.body.contains("cannot be saved"));
        assert!(jordan.get(&mine).await.body.contains("No messages yet."), "nothing was sent");

        // Sam is in another case: the Chens' messages are simply not there for him.
        let sam = client(&app, 3).await;
        let probe = sam.get(&mine).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND);
        let missing = sam.get(&format!("/portal/cases/{}/messages", uuid::Uuid::now_v7())).await;
        assert_eq!(probe.body, missing.body);
        // The owner runs the practice but is not the Chens' clinician.
        let maya = &PEOPLE[0];
        let maya = full_session(&app, maya.email, maya.password, maya.totp_secret.unwrap()).await;
        assert_eq!(maya.get(&format!("/clinic/cases/{case}/messages")).await.status, StatusCode::NOT_FOUND);
    }
}
