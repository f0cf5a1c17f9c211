//! The directory in a real browser: a seeker searches by concern, postal code and
//! video, opens a verified profile, reads what was verified, sends a message and
//! reports a concern; the verifier handles the report and a waiting certification; the
//! clinician reads the message.

use sensate::demo::PEOPLE;
use sensate_app::{AuditContext, CredentialDecision, CredentialForm, ProfileForm};
use sensate_auth::totp::{TotpSecret, code_at};
use sensate_domain::AccountId;
use thirtyfour::prelude::*;
use uuid::Uuid;

use crate::cases::sign_in_staff;
use crate::journey::{fill, heading, path, sign_out, submit};
use crate::support::{Browser, TestServer};

async fn account(server: &TestServer, index: usize) -> AccountId {
    let app = &server.app;
    app.store()
        .account_by_email(&app.vault().email_lookup(PEOPLE[index].email))
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Theo's listing with a verified Illinois licence, and a certification waiting.
async fn list_theo(server: &TestServer) -> Uuid {
    let app = &server.app;
    let context = AuditContext::default();
    let theo = app
        .acting_as(account(server, 1).await)
        .await
        .unwrap()
        .unwrap();
    app.save_my_profile(
        &theo,
        &ProfileForm {
            display_name: "Theo Lindqvist".into(),
            pronouns: "he/him".into(),
            about: "Help with pain during sex and low desire, for individuals and couples.".into(),
            first_session: "We talk about what brings you, at your pace.".into(),
            concerns: vec!["genital_pain".into(), "low_desire".into()],
            approaches: vec!["cbt".into(), "sensate_focus".into()],
            languages: vec!["en".into()],
            in_person: true,
            office: "60614".into(),
            video: true,
            video_jurisdictions: vec!["US-IL".into()],
            fee_low: "120".into(),
            accepting: true,
            publish: true,
            ..ProfileForm::default()
        },
        &context,
    )
    .await
    .unwrap();
    let licence = app
        .submit_credential(
            &theo,
            &CredentialForm {
                kind: "licence".into(),
                type_id: "lcsw".into(),
                number: "149.018842".into(),
                jurisdiction: "US-IL".into(),
                expires_on: "2030-06-30".into(),
                evidence_note: "Illinois licence lookup".into(),
                evidence: String::new(),
            },
            &context,
        )
        .await
        .unwrap();
    let vera = app
        .acting_as_verifier(account(server, 6).await)
        .await
        .unwrap()
        .unwrap();
    app.decide_credential(
        &vera,
        licence,
        &CredentialDecision::Verify {
            until: "2030-06-30".into(),
            checked: "the Illinois licensing board's online licence lookup".into(),
        },
        &context,
    )
    .await
    .unwrap();
    app.submit_credential(
        &theo,
        &CredentialForm {
            kind: "certification".into(),
            type_id: "aasect_certified_sex_therapist".into(),
            evidence_note: "AASECT's register".into(),
            evidence: String::new(),
            ..CredentialForm::default()
        },
        &context,
    )
    .await
    .unwrap();
    app.my_profile(&theo).await.unwrap().unwrap().id
}

async fn choose(browser: &Browser, select: &str, value: &str) {
    let element = browser
        .driver()
        .find(By::Css(format!("select#{select} option[value='{value}']")))
        .await
        .unwrap_or_else(|_| panic!("option {value} in {select}"));
    element.click().await.unwrap();
}

async fn text(browser: &Browser) -> String {
    browser
        .driver()
        .find(By::Tag("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn sign_in_verifier(browser: &Browser, server: &TestServer) {
    let person = &PEOPLE[6];
    browser.open(&server.url("/sign-in")).await;
    fill(browser, "email", person.email).await;
    fill(browser, "password", person.password).await;
    submit(browser, "/sign-in").await;
    let secret = TotpSecret::from_bytes(person.totp_secret.unwrap()).unwrap();
    fill(
        browser,
        "code",
        &code_at(&secret, sensate_domain::clock::now()),
    )
    .await;
    submit(browser, "/sign-in/code").await;
    assert_eq!(path(browser).await, "/verify");
}

#[tokio::test]
async fn a_seeker_finds_contacts_and_reports_and_the_verifier_and_clinician_follow_up() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    let profile = list_theo(&server).await;

    // The seeker searches by concern, postal code and video, without signing in.
    browser.open(&server.url("/directory")).await;
    assert_eq!(heading(&browser).await, "Find a sex therapist");
    fill(&browser, "near", "60614").await;
    browser
        .driver()
        .find(By::Css("details.filters summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    choose(&browser, "concern", "genital_pain").await;
    choose(&browser, "mode", "video").await;
    submit(&browser, "/directory").await;
    let results = text(&browser).await;
    assert!(
        results.contains("1 therapist near Chicago, IL 60614 (by video, licensed in Illinois)"),
        "{results}"
    );
    let address = browser.driver().current_url().await.unwrap();
    assert!(
        address
            .query()
            .unwrap_or_default()
            .contains("concern=genital_pain"),
        "a shareable link"
    );

    // The profile says what was checked, and not the unchecked certification.
    browser
        .driver()
        .find(By::LinkText("Theo Lindqvist"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        path(&browser).await,
        format!("/directory/therapists/{profile}")
    );
    let page = text(&browser).await;
    assert!(
        page.contains(
            "Licence checked against the Illinois licensing board's online licence lookup"
        ),
        "{page}"
    );
    assert!(
        !page.contains("Certified Sex Therapist"),
        "a certification waiting for its check is not shown"
    );

    // A message, written at a person's pace.
    fill(&browser, "contact-alias", "R.").await;
    fill(&browser, "contact-reply", "r.seeker@example.org").await;
    fill(
        &browser,
        "contact-message",
        "Do you see couples by video in the evenings?",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    submit(
        &browser,
        &format!("/directory/therapists/{profile}/contact"),
    )
    .await;
    assert!(text(&browser).await.contains("Your message is on its way"));

    // A concern, reported anonymously; the seeker is shown the board.
    browser
        .driver()
        .find(By::LinkText("Report a concern about this therapist"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(
        &browser,
        "report-description",
        "Suggested continuing the exercises in his office.",
    )
    .await;
    submit(&browser, &format!("/directory/therapists/{profile}/report")).await;
    let receipt = text(&browser).await;
    assert!(receipt.contains("What happens next"));
    assert!(
        receipt.contains("Illinois Department of Financial and Professional Regulation"),
        "{receipt}"
    );

    // The verifier closes the report with what was done and checks the certification.
    sign_in_verifier(&browser, &server).await;
    let queue = text(&browser).await;
    assert!(queue.contains("Suggested continuing the exercises in his office."));
    let report = browser
        .driver()
        .find(By::Css("form[action^='/verify/reports/']"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    let id = report.trim_start_matches("/verify/reports/");
    choose(&browser, &format!("status-{id}"), "closed").await;
    fill(
        &browser,
        &format!("outcome-{id}"),
        "Spoke with the therapist; no further action.",
    )
    .await;
    submit(&browser, &report).await;
    assert!(text(&browser).await.contains("Recorded."));
    let credential = browser
        .driver()
        .find(By::Css("form[action^='/verify/credentials/']"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    let id = credential.trim_start_matches("/verify/credentials/");
    fill(
        &browser,
        &format!("checked-{id}"),
        "AASECT's register of certified members",
    )
    .await;
    // A date field's typing order depends on the browser's locale; its value does not.
    browser
        .eval(&format!(
            "document.getElementById('until-{id}').value = '2029-06-30'"
        ))
        .await;
    submit(&browser, &credential).await;
    assert!(text(&browser).await.contains("Recorded."));
    sign_out(&browser).await;
    browser
        .open(&server.url(&format!("/directory/therapists/{profile}")))
        .await;
    assert!(
        text(&browser)
            .await
            .contains("AASECT's register of certified members")
    );

    // Theo reads the message in his listing.
    sign_in_staff(&browser, &server, 1).await;
    browser.open(&server.url("/clinic/directory")).await;
    let inbox = text(&browser).await;
    assert!(
        inbox.contains("Do you see couples by video in the evenings?"),
        "{inbox}"
    );
    assert!(inbox.contains("Reply to: r.seeker@example.org"));
    assert!(browser.console_errors().await.is_empty());
    browser.quit().await;
}
