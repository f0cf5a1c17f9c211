//! Informed consent through the real router: a client signs the practice's document in
//! their portal, a changed document asks again, partners agree to their couple case's
//! secrets policy each on their own, and the owner edits the document.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

/// A demo client, signed in (clients have no second step unless they turn it on).
async fn client<'a>(app: &'a TestApp, index: usize) -> Browser<'a> {
    let person = &PEOPLE[index];
    let browser = app.browser();
    let signed = browser
        .post(
            "/sign-in",
            &[("email", person.email), ("password", person.password)],
        )
        .await;
    assert_eq!(signed.header("location"), "/portal", "{}", person.email);
    browser
}

async fn staff<'a>(app: &'a TestApp, index: usize) -> Browser<'a> {
    let person = &PEOPLE[index];
    full_session(
        app,
        person.email,
        person.password,
        person.totp_secret.unwrap(),
    )
    .await
}

/// The value of the form field called `name`.
fn hidden(body: &str, name: &str) -> String {
    let field = body
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let start = body[field..].find(r#"value=""#).unwrap() + field + r#"value=""#.len();
    body[start..].split('"').next().unwrap().to_owned()
}

on_both_databases! {
    async fn a_client_signs_the_consent_page_and_is_asked_again_when_it_changes(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let sam = client(&app, 3).await;
        let portal = sam.get("/portal").await;
        assert!(portal.body.contains("Read and sign the consent page"));

        let page = sam.get("/portal/consent").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Before we begin: how therapy with us works"));
        assert!(page.body.contains("never touch you, ask you to undress"));
        let first = hidden(&page.body, "document");

        let unticked = sam.post("/portal/consent", &[("document", &first), ("name", "Sam Rivera")]).await;
        assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unticked.body.contains("Tick the box to say you have read this and agree"));
        assert!(unticked.body.contains(r#"value="Sam Rivera""#), "what was typed is kept");

        let signed = sam
            .post("/portal/consent", &[("document", &first), ("name", "Sam Rivera"), ("agree", "yes")])
            .await;
        assert_eq!(signed.header("location"), "/portal?signed");
        let portal = sam.get("/portal?signed").await;
        assert!(portal.body.contains("Your signature is recorded"));
        assert!(!portal.body.contains("Read and sign"));

        // Theo, Sam's clinician, sees the signature on the case.
        let theo = staff(&app, 1).await;
        let sam_case = app
            .store
            .client_cases(app.store.account_by_email(&app.app.vault().email_lookup(PEOPLE[3].email)).await.unwrap().unwrap().client_id.unwrap())
            .await
            .unwrap()[0]
            .id;
        let case_page = theo.get(&format!("/clinic/cases/{sam_case}")).await;
        assert!(case_page.body.contains("Signed version 1 on"), "{}", case_page.body);

        // The owner changes the document: version 2, and Sam is asked again.
        let maya = staff(&app, 0).await;
        let editor = maya.get("/admin/consent").await;
        assert!(editor.body.contains("Version 1, as clients see it"));
        let body = hidden(&editor.body, "title");
        assert_eq!(body, "Before we begin: how therapy with us works");
        let published = maya
            .post("/admin/consent", &[("title", "How therapy with us works"), ("body", "Talk therapy only: no touching, ever.\n\n## Privacy\n\n- what stays private\n- when it cannot")])
            .await;
        assert_eq!(published.header("location"), "/admin/consent?published=2");
        let portal = sam.get("/portal").await;
        assert!(portal.body.contains("Read and sign the updated consent page"));
        let stale = sam
            .post("/portal/consent", &[("document", &first), ("name", "Sam Rivera"), ("agree", "yes")])
            .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(stale.body.contains("This changed while you were reading it"));
        let page = sam.get("/portal/consent").await;
        assert!(page.body.contains("Your practice has updated this page"));
        assert!(page.body.contains("<li>when it cannot</li>"));
        let second = hidden(&page.body, "document");
        assert_ne!(first, second);
        let signed = sam
            .post("/portal/consent", &[("document", &second), ("name", "Sam Rivera"), ("agree", "yes")])
            .await;
        assert_eq!(signed.header("location"), "/portal?signed");
        let case_page = theo.get(&format!("/clinic/cases/{sam_case}")).await;
        assert!(case_page.body.contains("Signed version 2 on"));

        let signatures = app
            .store
            .audit_events(&AuditQuery { action: Some("create".into()), limit: 500, ..AuditQuery::default() })
            .await
            .unwrap()
            .into_iter()
            .filter(|row| row.event.object_type.as_str() == "consent_signature")
            .count();
        assert_eq!(signatures, 2, "each signature is audited once");
    }

    async fn each_partner_agrees_to_the_secrets_policy_on_their_own(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let alex = client(&app, 4).await;
        let jordan = client(&app, 5).await;
        let portal = alex.get("/portal").await;
        let start = portal.body.find("/portal/cases/").expect("the policy waits for Alex");
        let link: String = portal.body[start..].split('"').next().unwrap().to_owned();
        let page = alex.get(&link).await;
        assert!(page.body.contains("Limited secrets"));
        let refused = alex.post(&link, &[("policy", "limited_secrets")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Tick the box"));
        let changed = alex.post(&link, &[("policy", "no_secrets"), ("agree", "yes")]).await;
        assert!(changed.body.contains("This changed while you were reading it"));
        let agreed = alex.post(&link, &[("policy", "limited_secrets"), ("agree", "yes")]).await;
        assert_eq!(agreed.header("location"), "/portal?agreed");
        assert!(!alex.get("/portal").await.body.contains("/secrets-policy"));

        // Jordan is still asked; nothing of Alex's answer shows to Jordan.
        let jordan_portal = jordan.get("/portal").await;
        assert!(jordan_portal.body.contains(&link));
        let jordan_page = jordan.get(&link).await;
        assert!(jordan_page.body.contains("I understand and agree"));
        assert!(!jordan_page.body.contains("Alex"));

        // Sam is in no couple case with them: the page is as missing as one that is not.
        let sam = client(&app, 3).await;
        let theirs = sam.get(&link).await;
        let missing = sam.get(&format!("/portal/cases/{}/secrets-policy", uuid::Uuid::now_v7())).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(theirs.body, missing.body);

        // Theo sees who has agreed.
        let theo = staff(&app, 1).await;
        let case = link.trim_start_matches("/portal/cases/").trim_end_matches("/secrets-policy");
        let case_page = theo.get(&format!("/clinic/cases/{case}")).await;
        assert_eq!(case_page.body.matches("Agreed on").count(), 1);
        assert_eq!(case_page.body.matches("Not agreed yet").count(), 1);
    }

    async fn the_owner_is_told_when_an_edit_changes_nothing_or_is_not_acceptable(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let maya = staff(&app, 0).await;
        let editor = maya.get("/admin/consent").await;
        let title = hidden(&editor.body, "title");
        let start = editor.body.find("<textarea").unwrap();
        let body_start = editor.body[start..].find('>').unwrap() + start + 1;
        let body_end = editor.body[body_start..].find("</textarea>").unwrap() + body_start;
        let body = editor.body[body_start..body_end]
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        let same = maya.post("/admin/consent", &[("title", &title), ("body", &body)]).await;
        assert_eq!(same.header("location"), "/admin/consent?unchanged");
        let empty = maya.post("/admin/consent", &[("title", "Consent"), ("body", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("The document cannot be empty"));
        let page = maya.get("/admin/consent").await;
        assert!(page.body.contains("Version 1, as clients see it"), "nothing was published");
    }
}
