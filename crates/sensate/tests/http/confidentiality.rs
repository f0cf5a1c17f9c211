//! Couple confidentiality, for each secrets policy: partner B probes every page and API
//! route they can reach (their own copy of their records too), and every address of
//! partner A's items (pages, API and the case export), before and after A writes
//! individual items (intake answers with a safety answer, private messages both ways,
//! an individual session with a note and a process note), and finds nothing of them,
//! not even a count: B's pages are byte-for-byte the same before and after (apart from
//! the session's anti-forgery token).

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

const MARKER: &str = "PartnerA-secret-5b7";

/// B's portal pages, with the per-session token blanked so two views can be compared.
async fn b_view(b: &Browser<'_>, case: &str) -> Vec<(String, u16, String)> {
    let mut pages = Vec::new();
    for path in [
        "/portal".to_owned(),
        "/portal/intake".to_owned(),
        "/portal/consent".to_owned(),
        format!("/portal/cases/{case}/secrets-policy"),
        format!("/portal/cases/{case}/plan"),
        format!("/portal/cases/{case}/messages"),
        "/portal/records/download".to_owned(),
    ] {
        let page = b.get(&path).await;
        let body = blank_tokens(&page.body);
        pages.push((path, page.status.as_u16(), body));
    }
    // The API's answers to B, including the plan of B's own case.
    for path in [
        "/api/session".to_owned(),
        format!("/api/portal/cases/{case}/plan"),
        format!("/api/portal/cases/{case}/messages"),
    ] {
        let answer = b.api("GET", &path, None).await;
        pages.push((path, answer.status.as_u16(), answer.body));
    }
    pages
}

fn blank_tokens(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let marker = r#"name="csrf" value=""#;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        let end = rest.find('"').unwrap_or(0);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

async fn sign_in_client<'a>(app: &'a TestApp, email: &str, password: &str) -> Browser<'a> {
    let browser = app.browser();
    let signed = browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await;
    assert_eq!(signed.header("location"), "/portal");
    browser
}

async fn accept(app: &TestApp, maya: &Browser<'_>, name: &str, password: &str) {
    let outbox = maya.get("/admin/outbox").await;
    let hello = outbox
        .body
        .find(&format!("Hello {name}"))
        .expect("the invitation");
    let start = outbox.body[hello..].find("/invitations/").unwrap() + hello;
    let link: String = outbox.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'))
        .collect();
    let browser = app.browser();
    browser.get(&link).await;
    let joined = browser.post(&link, &[("password", password)]).await;
    assert_eq!(joined.header("location"), "/portal", "{name}");
}

on_both_databases! {
    async fn partner_b_finds_nothing_of_partner_a_under_any_secrets_policy(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = &PEOPLE[1];
        let theo = full_session(&app, theo.email, theo.password, theo.totp_secret.unwrap()).await;
        let owner = &PEOPLE[0];
        let maya = full_session(&app, owner.email, owner.password, owner.totp_secret.unwrap()).await;
        for (n, policy) in ["no_secrets", "limited_secrets", "accommodation"].into_iter().enumerate() {
            // Theo opens the case and invites both partners.
            theo.get("/clinic/cases/new?kind=couple").await;
            let (a_email, b_email) = (format!("a{n}@partners.example"), format!("b{n}@partners.example"));
            let opened = theo
                .post("/clinic/cases/new", &[
                    ("kind", "couple"), ("secrets_policy", policy),
                    ("client-0-name", &format!("Avery Partner{n}")), ("client-0-email", &a_email),
                    ("client-1-name", &format!("Blake Partner{n}")), ("client-1-email", &b_email),
                ])
                .await;
            let case_url = opened.header("location").trim_end_matches("?opened").to_owned();
            let case = case_url.trim_start_matches("/clinic/cases/").to_owned();
            let record = app.store.case(case.parse().unwrap()).await.unwrap().unwrap();
            let (a_id, b_id) = (record.clients[0].to_string(), record.clients[1].to_string());
            for (client, email) in [(&a_id, &a_email), (&b_id, &b_email)] {
                theo.get(&case_url).await;
                let sent = theo.post(&format!("{case_url}/clients/{client}/invite"), &[("email", email)]).await;
                assert_eq!(sent.status, StatusCode::SEE_OTHER);
            }
            accept(&app, &maya, &format!("Avery Partner{n}"), "avery partner passphrase").await;
            accept(&app, &maya, &format!("Blake Partner{n}"), "blake partner passphrase").await;
            let a = sign_in_client(&app, &a_email, "avery partner passphrase").await;
            let b = sign_in_client(&app, &b_email, "blake partner passphrase").await;

            let before = b_view(&b, &case).await;

            // A writes individual items; Theo records an individual session with A.
            a.get("/portal/intake").await;
            a.post("/portal/intake", &[
                ("reason", &format!("{MARKER} what I have not told my partner")),
                ("hopes", "to decide what to do"), ("self_harm", "no"), ("partner_harm", "yes"), ("action", "send"),
            ]).await;
            let messages = format!("/portal/cases/{case}/messages");
            a.get(&messages).await;
            a.post(&messages, &[("to", "me"), ("text", &format!("{MARKER} for the therapist alone"))]).await;
            theo.get(&format!("{case_url}/messages")).await;
            theo.post(&format!("{case_url}/messages"), &[("to", &a_id), ("text", MARKER)]).await;
            assert!(theo.get(&format!("{case_url}/messages")).await.body.contains(MARKER));
            theo.get(&format!("{case_url}/sessions/new")).await;
            let session = theo.post(&format!("{case_url}/sessions/new"), &[
                ("date", "2026-12-01"), ("time", "10:00"), ("minutes", "50"), ("modality", "video"),
                ("session_type", "individual"), ("attendee", &a_id),
            ]).await;
            let session_url = session.header("location").trim_end_matches("?recorded").to_owned();
            theo.get(&session_url).await;
            theo.post(&format!("{session_url}/note"), &[("template", "soap"), ("subjective", MARKER), ("action", "sign")]).await;
            theo.get(&session_url).await;
            theo.post(&format!("{session_url}/process-note"), &[("text", MARKER)]).await;
            assert!(theo.get(&session_url).await.body.contains(MARKER), "the clinician sees it");

            // B's view is unchanged: no marker, no new item, no count.
            let after = b_view(&b, &case).await;
            for ((path, status_before, body_before), (_, status_after, body_after)) in before.iter().zip(&after) {
                assert_eq!(status_before, status_after, "{policy} {path}");
                assert_eq!(body_before, body_after, "{policy} {path}: B's page changed after A's private items");
                assert!(!body_after.contains(MARKER), "{policy} {path}");
            }
            // Every address of A's items answers B exactly as a missing one does.
            let missing = b.get(&format!("/clinic/cases/{case}/clients/{}/intake", uuid::Uuid::now_v7())).await;
            let session_id = session_url.rsplit('/').next().unwrap().to_owned();
            let missing_api = b.api("GET", &format!("/api/cases/{}", uuid::Uuid::now_v7()), None).await;
            for path in [
                format!("/api/cases/{case}"),
                format!("/api/cases/{case}/clients/{a_id}"),
                format!("/api/cases/{case}/sessions"),
                format!("/api/cases/{case}/sessions/{session_id}"),
                format!("/api/cases/{case}/sessions/{session_id}/process-note"),
                format!("/api/cases/{case}/plan"),
                format!("/api/cases/{case}/messages"),
            ] {
                let probe = b.api("GET", &path, None).await;
                assert_eq!(probe.status, StatusCode::NOT_FOUND, "{policy} {path}");
                assert_eq!(probe.body, missing_api.body, "{policy} {path}");
            }
            // A's private messages cannot be shared from B's side either.
            let a_thread = a.get(&messages).await.body;
            let end = a_thread.find("/share\"").expect("A's private message");
            let a_message = &a_thread[end - 36..end];
            b.get(&messages).await;
            let share = b.post(&format!("{messages}/{a_message}/share"), &[]).await;
            assert_eq!(share.status, StatusCode::NOT_FOUND, "{policy}");
            let api_share = b.api("POST", &format!("/api{messages}/{a_message}/share"), None).await;
            assert_eq!(api_share.status, StatusCode::NOT_FOUND, "{policy}");
            assert!(!b.get(&messages).await.body.contains(MARKER), "{policy}");
            for path in [
                format!("{case_url}/export"),
                format!("{case_url}/export?process_notes=include"),
                format!("{case_url}/messages"),
                format!("/clinic/cases/{case}/clients/{a_id}/intake"),
                format!("/clinic/cases/{case}/clients/{a_id}/formulation"),
                session_url.clone(),
                case_url.clone(),
                format!("/clinic/cases/{case}/plan"),
            ] {
                let probe = b.get(&path).await;
                assert_eq!(probe.status, StatusCode::NOT_FOUND, "{policy} {path}");
                assert_eq!(probe.body, missing.body, "{policy} {path}");
            }
        }
    }
}
