//! The first journey of a practice, in a real browser: the owner sets up Sensate,
//! turns on two-step sign-in, invites a clinician; the clinician accepts, sets up their
//! own authenticator, signs out, and signs back in with a code.

use sensate_auth::totp::{TotpSecret, code_at};
use thirtyfour::prelude::*;

use crate::support::{Browser, TestServer};

pub(crate) async fn fill(browser: &Browser, id: &str, text: &str) {
    let field = browser.driver().find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks a form's submit button and waits for the next page to load.
pub(crate) async fn submit(browser: &Browser, form_action: &str) {
    let button = browser
        .driver()
        .find(By::Css(format!(
            "form[action='{form_action}'] button[type='submit']"
        )))
        .await
        .unwrap();
    button.scroll_into_view().await.unwrap();
    button.click().await.unwrap();
    // The old page's elements go stale once the browser has navigated.
    for _ in 0..100 {
        if button
            .is_present()
            .await
            .map(|present| !present)
            .unwrap_or(true)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("submitting {form_action} did not load a new page");
}

pub(crate) async fn heading(browser: &Browser) -> String {
    browser
        .driver()
        .find(By::Css("main h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) async fn path(browser: &Browser) -> String {
    let url = browser.driver().current_url().await.unwrap();
    url.path().to_owned()
}

/// Reads the new secret off the enrolment page and answers with a current code.
async fn enrol_authenticator(browser: &Browser) -> TotpSecret {
    if path(browser).await != "/account/two-factor" {
        let source = browser.driver().source().await.unwrap();
        panic!(
            "expected the enrolment page at {}: {source}",
            path(browser).await
        );
    }
    let qr = browser.driver().find(By::Css(".qr svg[role='img']")).await;
    assert!(qr.is_ok(), "the QR code is shown as an accessible image");
    let hex = browser
        .driver()
        .find(By::Css("input[name='secret']"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let secret = TotpSecret::from_bytes(&bytes).unwrap();
    fill(
        browser,
        "code",
        &code_at(&secret, sensate_domain::clock::now()),
    )
    .await;
    submit(browser, "/account/two-factor").await;
    assert_eq!(heading(browser).await, "Two-step sign-in is on");
    let codes = browser
        .driver()
        .find_all(By::Css(".recovery-codes code"))
        .await
        .unwrap();
    assert_eq!(codes.len(), 10, "ten recovery codes are shown once");
    secret
}

pub(crate) async fn sign_out(browser: &Browser) {
    submit(browser, "/sign-out").await;
    assert_eq!(path(browser).await, "/sign-in");
}

/// Waits until the authenticator shows a code that has not been used yet.
async fn fresh_code(secret: &TotpSecret, used: &str) -> String {
    loop {
        let code = code_at(secret, sensate_domain::clock::now());
        if code != used {
            return code;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_sets_up_the_practice_and_a_clinician_joins() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start_with(false).await;

    // First run: the sign-in page sends the owner to setup.
    browser.open(&server.url("/sign-in")).await;
    assert_eq!(path(&browser).await, "/setup");
    fill(&browser, "practice_name", "Northside Counselling").await;
    fill(&browser, "owner_name", "Ruth Adeyemi").await;
    fill(&browser, "email", "ruth@northside.example").await;
    fill(&browser, "password", "kettle lantern orchard pebble").await;
    submit(&browser, "/setup").await;
    let owner_secret = enrol_authenticator(&browser).await;

    // The owner invites a clinician and finds the link in the outbox.
    browser.open(&server.url("/admin/people")).await;
    fill(&browser, "name", "Tomas Berg").await;
    fill(&browser, "email", "tomas@northside.example").await;
    submit(&browser, "/admin/people/invite").await;
    let notice = browser.driver().find(By::Css(".notice")).await.unwrap();
    assert!(notice.text().await.unwrap().contains("on its way"));
    browser.open(&server.url("/admin/outbox")).await;
    let body = browser
        .driver()
        .find(By::Css(".mail pre"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|word| word.contains("/invitations/"))
        .expect("the email holds the link")
        .to_owned();
    assert!(link.starts_with(&server.base), "{link}");
    sign_out(&browser).await;

    // The clinician accepts, chooses a password and enrols their own authenticator.
    browser.open(&link).await;
    assert_eq!(heading(&browser).await, "Welcome, Tomas Berg");
    fill(&browser, "password", "harbour violet compass ladder").await;
    let accept_form = format!("/invitations/{}", link.rsplit('/').next().unwrap());
    submit(&browser, &accept_form).await;
    let secret = enrol_authenticator(&browser).await;
    let used = code_at(&secret, sensate_domain::clock::now());
    browser
        .driver()
        .find(By::Css("a.button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(path(&browser).await, "/clinic");
    sign_out(&browser).await;

    // The link works once.
    browser.open(&link).await;
    assert_eq!(heading(&browser).await, "This link cannot be used");
    // That page answers 404, which the console reports; drain it before the last check.
    let used_link = browser.console_errors().await;
    assert!(used_link.iter().all(|e| e.contains("404")), "{used_link:?}");

    // Signing in again takes the password and then a new code.
    browser.open(&server.url("/sign-in")).await;
    fill(&browser, "email", "tomas@northside.example").await;
    fill(&browser, "password", "harbour violet compass ladder").await;
    submit(&browser, "/sign-in").await;
    assert_eq!(path(&browser).await, "/sign-in/code");
    fill(&browser, "code", &fresh_code(&secret, &used).await).await;
    submit(&browser, "/sign-in/code").await;
    assert_eq!(path(&browser).await, "/clinic");
    assert_eq!(heading(&browser).await, "Caseload");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    drop(owner_secret);
    browser.quit().await;
}
