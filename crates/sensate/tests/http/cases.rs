//! Cases through the real router: opening individual and couple cases with their
//! clients' records, the caseload's search and filters, the case page, closing,
//! reopening and transferring — and what each refuses.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, on_both_databases};

/// Priya Raman, a clinician of the demo practice.
async fn priya(app: &TestApp) -> Browser<'_> {
    sensate::demo::seed(&app.app).await.unwrap();
    let priya = &PEOPLE[2];
    full_session(app, priya.email, priya.password, priya.totp_secret.unwrap()).await
}

/// Opens a couple case through the form and returns the case page's address.
async fn open_couple(browser: &Browser<'_>, first: &str, second: &str) -> String {
    let form = browser.get("/clinic/cases/new?kind=couple").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("First partner") && form.body.contains("Second partner"));
    let opened = browser
        .post(
            "/clinic/cases/new",
            &[
                ("kind", "couple"),
                ("secrets_policy", "accommodation"),
                ("client-0-name", first),
                ("client-0-pronouns", "she/her"),
                ("client-0-date_of_birth", "1980-05-17"),
                ("client-1-name", second),
                ("client-1-email", "second@client.example"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let location = opened.header("location").to_owned();
    assert!(location.starts_with("/clinic/cases/"), "{location}");
    location.trim_end_matches("?opened").to_owned()
}

on_both_databases! {
    async fn a_clinician_opens_a_couple_case_and_sees_both_partners(app: TestApp) {
        let browser = priya(&app).await;
        let case = open_couple(&browser, "Marta Kowalczyk", "Ewa <Nowak>").await;
        let page = browser.get(&format!("{case}?opened")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("The case is open."));
        assert!(page.body.contains("Marta Kowalczyk"));
        assert!(page.body.contains("Ewa &#60;Nowak&#62;") || page.body.contains("Ewa &lt;Nowak&gt;"));
        assert!(!page.body.contains("Ewa <Nowak>"), "names are escaped");
        assert!(page.body.contains("Keeping confidences"));
        assert!(page.body.contains("1980-05-17"));
        assert!(page.body.contains("second@client.example"));
        assert!(page.body.contains("never shown to the other"));

        let caseload = browser.get("/clinic").await;
        assert!(caseload.body.contains("Marta Kowalczyk &#38; Ewa") || caseload.body.contains("Marta Kowalczyk &amp; Ewa"));

        let events = app
            .store
            .audit_events(&AuditQuery { object_id: None, action: Some("create".into()), limit: 500, ..AuditQuery::default() })
            .await
            .unwrap();
        let case_id: uuid::Uuid = case.trim_start_matches("/clinic/cases/").parse().unwrap();
        assert!(events.iter().any(|e| e.event.object_id == Some(case_id)), "the case's creation is audited");
    }

    async fn the_caseload_finds_clients_by_words_without_putting_them_in_the_address(app: TestApp) {
        let browser = priya(&app).await;
        open_couple(&browser, "Marta Kowalczyk", "Ewa Nowak").await;
        browser.get("/clinic").await;
        let found = browser.post("/clinic/search", &[("text", "nowak EWA")]).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.body.contains("Marta Kowalczyk"));
        assert!(found.body.contains("1–1 of 1"), "exactly one case matches");
        let none = browser.post("/clinic/search", &[("text", "Nowak Zebedee")]).await;
        assert!(none.body.contains("No cases match"));
        let individual_only = browser.post("/clinic/search", &[("text", "Nowak"), ("kind", "individual")]).await;
        assert!(individual_only.body.contains("No cases match"));
        // Words in the address are ignored: a name must never travel in a URL.
        let address = browser.get("/clinic?text=Zebedee").await;
        assert!(address.body.contains("Marta Kowalczyk"));
        assert!(!address.body.contains("Zebedee"));
    }

    async fn a_caseload_shows_only_the_clinicians_own_cases(app: TestApp) {
        let browser = priya(&app).await;
        let caseload = browser.get("/clinic").await;
        // Theo's clients, in the same practice, are not in Priya's caseload.
        assert!(!caseload.body.contains("Sam Rivera"));
        assert!(!caseload.body.contains("Alex Chen"));
        let theo = &PEOPLE[1];
        let theo = full_session(&app, theo.email, theo.password, theo.totp_secret.unwrap()).await;
        let caseload = theo.get("/clinic").await;
        assert!(caseload.body.contains("Sam Rivera"));
        assert!(caseload.body.contains("Alex Chen &#38; Jordan Chen") || caseload.body.contains("Alex Chen &amp; Jordan Chen"));
    }

    async fn a_couple_case_needs_two_partners_and_a_secrets_policy(app: TestApp) {
        let browser = priya(&app).await;
        let before = app.store.practice_cases(app.store.practices().await.unwrap()[0].id).await.unwrap().len();
        browser.get("/clinic/cases/new?kind=couple").await;
        let refused = browser
            .post(
                "/clinic/cases/new",
                &[
                    ("kind", "couple"),
                    ("client-0-name", "Marta <b>Kowalczyk</b>"),
                    ("client-0-date_of_birth", "2999-01-01"),
                    ("client-1-name", "Ewa Nowak"),
                    ("client-1-email", "not an address"),
                    ("client-1-phone", "call me"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("choose how individual confidences will be handled"));
        assert!(refused.body.contains("Date of birth cannot be in the future"));
        assert!(refused.body.contains("Phone can hold digits, spaces and + - ( ) only"));
        assert!(refused.body.contains(r#"aria-invalid="true""#));
        assert!(!refused.body.contains("<b>Kowalczyk"), "what was typed comes back escaped");
        browser.get("/clinic/cases/new?kind=couple").await;
        let one = browser
            .post("/clinic/cases/new", &[("kind", "couple"), ("secrets_policy", "no_secrets"), ("client-0-name", "Solo")])
            .await;
        assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(one.body.contains("a couple case has two clients, not 1"));
        let after = app.store.practice_cases(app.store.practices().await.unwrap()[0].id).await.unwrap().len();
        assert_eq!(before, after, "nothing was stored");
    }

    async fn an_individual_case_needs_only_a_name(app: TestApp) {
        let browser = priya(&app).await;
        let form = browser.get("/clinic/cases/new?kind=individual").await;
        assert!(form.body.contains("The client"));
        assert!(!form.body.contains("secrets_policy"), "only couples choose a secrets policy");
        let opened = browser.post("/clinic/cases/new", &[("kind", "individual"), ("client-0-name", "Hana Sato")]).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER);
        let page = browser.get(opened.header("location")).await;
        assert!(page.body.contains("Hana Sato"));
        assert!(page.body.contains("Individual"));
    }

    async fn a_case_is_closed_reopened_and_transferred_to_a_colleague(app: TestApp) {
        let browser = priya(&app).await;
        let case = open_couple(&browser, "Marta Kowalczyk", "Ewa Nowak").await;
        browser.get(&case).await;
        let closed = browser.post(&format!("{case}/close"), &[]).await;
        assert_eq!(closed.header("location"), "/clinic?closed");
        let page = browser.get(&case).await;
        assert!(page.body.contains("Closed on"));
        assert!(page.body.contains("Reopen the case"));
        browser.get("/clinic").await;
        let closed_only = browser.post("/clinic/search", &[("status", "closed")]).await;
        assert!(closed_only.body.contains("Marta Kowalczyk"));
        browser.get(&case).await;
        let again = browser.post(&format!("{case}/close"), &[]).await;
        assert_eq!(again.header("location"), case, "a second click just shows the case");
        let reopened = browser.post(&format!("{case}/reopen"), &[]).await;
        assert_eq!(reopened.header("location"), format!("{case}?reopened"));

        let maya = app
            .store
            .account_by_email(&app.app.vault().email_lookup(PEOPLE[0].email))
            .await
            .unwrap()
            .unwrap();
        browser.get(&case).await;
        let moved = browser.post(&format!("{case}/transfer"), &[("to", &maya.id.to_string())]).await;
        assert_eq!(moved.header("location"), "/clinic?transferred");
        assert_eq!(browser.get(&case).await.status, StatusCode::NOT_FOUND, "no longer Priya's");
        let owner = &PEOPLE[0];
        let maya = full_session(&app, owner.email, owner.password, owner.totp_secret.unwrap()).await;
        assert!(maya.get("/clinic").await.body.contains("Marta Kowalczyk"));
        assert_eq!(maya.get(&case).await.status, StatusCode::OK);
    }

    async fn a_case_cannot_be_handed_to_a_client_or_another_practice(app: TestApp) {
        let browser = priya(&app).await;
        let case = open_couple(&browser, "Marta Kowalczyk", "Ewa Nowak").await;
        let sam = app
            .store
            .account_by_email(&app.app.vault().email_lookup(PEOPLE[3].email))
            .await
            .unwrap()
            .unwrap();
        browser.get(&case).await;
        let refused = browser.post(&format!("{case}/transfer"), &[("to", &sam.id.to_string())]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        browser.get(&case).await;
        let junk = browser.post(&format!("{case}/transfer"), &[("to", "nobody")]).await;
        assert_eq!(junk.status, StatusCode::NOT_FOUND);
        assert!(browser.get(&case).await.body.contains("Marta Kowalczyk"), "still Priya's");
    }

    async fn a_partner_is_invited_to_the_portal_from_the_case_and_their_account_belongs_to_their_record(app: TestApp) {
        let browser = priya(&app).await;
        let case = open_couple(&browser, "Marta Kowalczyk", "Ewa Nowak").await;
        let page = browser.get(&case).await;
        assert!(page.body.contains("Invite Ewa Nowak to the portal"));
        assert!(page.body.contains(r#"value="second@client.example""#), "the recorded address is offered");
        let case_id: sensate_domain::CaseId = case.trim_start_matches("/clinic/cases/").parse().unwrap();
        let record = app.store.case(case_id).await.unwrap().unwrap();
        let ewa = record.clients[1];
        let invite = format!("{case}/clients/{ewa}/invite");

        let refused = browser.post(&invite, &[("email", "not an address")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains(r#"aria-invalid="true""#));
        assert!(refused.body.contains(r#"value="not an address""#));

        browser.get(&case).await;
        let sent = browser.post(&invite, &[("email", "ewa@client.example")]).await;
        assert_eq!(sent.header("location"), format!("{case}?invited"));

        // The owner's outbox holds the link; Ewa follows it and chooses a password.
        let owner = &PEOPLE[0];
        let maya = full_session(&app, owner.email, owner.password, owner.totp_secret.unwrap()).await;
        let outbox = maya.get("/admin/outbox").await;
        let start = outbox.body.find("/invitations/").unwrap();
        let link: String = outbox.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'))
            .collect();
        let ewa_browser = app.browser();
        ewa_browser.get(&link).await;
        let joined = ewa_browser.post(&link, &[("password", "a long enough passphrase")]).await;
        assert_eq!(joined.header("location"), "/portal");
        let account = app.store.account_for_client(ewa).await.unwrap().expect("Ewa's account belongs to her record");
        assert_eq!(account.role, sensate_domain::accounts::Role::Client);
        assert!(app.store.account_for_client(record.clients[0]).await.unwrap().is_none(), "Marta has none");

        let page = browser.get(&case).await;
        assert!(page.body.contains("Has their own portal account."));
        assert!(!page.body.contains("Invite Ewa Nowak to the portal"));
        let again = browser.post(&invite, &[("email", "ewa.two@client.example")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("This client already has access to the portal."));
    }

    async fn a_long_caseload_is_paged_and_odd_page_numbers_show_a_real_page(app: TestApp) {
        let browser = priya(&app).await;
        let priya_id = app.store.account_by_email(&app.app.vault().email_lookup(PEOPLE[2].email)).await.unwrap().unwrap().id;
        let before = app.store.clinician_cases(priya_id).await.unwrap().len();
        for n in 0..(60 - before) {
            let form = sensate_app::OpenCase {
                kind: "individual".into(),
                secrets_policy: String::new(),
                clients: vec![sensate_domain::client::ClientForm { name: format!("Paged Client {n:02}"), ..Default::default() }],
            };
            app.app.open_case_as(priya_id, &form, &sensate_app::AuditContext::default()).await.unwrap();
        }
        let first = browser.get("/clinic").await;
        assert!(first.body.contains("1–50 of 60"), "{}", first.body);
        assert!(first.body.contains("page=2"));
        let second = browser.get("/clinic?page=2").await;
        assert!(second.body.contains("51–60 of 60"));
        assert!(second.body.contains("Previous page"));
        for odd in ["abc", "0", "-3", "99999999999999999999999"] {
            let page = browser.get(&format!("/clinic?page={odd}")).await;
            assert_eq!(page.status, StatusCode::OK, "{odd}");
            assert!(page.body.contains("of 60"), "{odd}");
        }
        assert!(browser.get("/clinic?page=7").await.body.contains("51–60 of 60"), "past the end shows the last page");
        browser.get("/clinic").await;
        let search = browser.post("/clinic/search", &[("text", "Paged"), ("page", "2")]).await;
        let added = 60 - before;
        let expected = if added > 50 { format!("51–{added} of {added}") } else { format!("1–{added} of {added}") };
        assert!(search.body.contains(&expected), "searches page too: {expected}");
    }
}
