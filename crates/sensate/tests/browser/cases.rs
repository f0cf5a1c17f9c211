//! A couple case in a real browser: a clinician opens it, chooses the secrets policy and
//! invites both partners to the portal; one partner accepts on a phone-sized window and
//! lands in their own portal. The rest of the journey (consent, intake, plan, a joint
//! session with a signed note) joins this test as it lands (issue 4).

use sensate::demo::PEOPLE;
use sensate_auth::totp::{TotpSecret, code_at};
use thirtyfour::prelude::*;

use crate::journey::{fill, heading, path, sign_out, submit};
use crate::support::{Browser, TestServer};

/// Signs a demo staff member in with their password and a current code.
async fn sign_in_staff(browser: &Browser, server: &TestServer, index: usize) {
    let person = &PEOPLE[index];
    browser.open(&server.url("/sign-in")).await;
    fill(browser, "email", person.email).await;
    fill(browser, "password", person.password).await;
    submit(browser, "/sign-in").await;
    assert_eq!(path(browser).await, "/sign-in/code");
    let secret = TotpSecret::from_bytes(person.totp_secret.unwrap()).unwrap();
    fill(
        browser,
        "code",
        &code_at(&secret, sensate_domain::clock::now()),
    )
    .await;
    submit(browser, "/sign-in/code").await;
    assert_eq!(path(browser).await, "/clinic");
}

async fn no_sideways_scroll(browser: &Browser, what: &str) {
    let overflow = browser
        .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert_eq!(overflow, 0, "{what} scrolls sideways on a phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinician_opens_a_couple_case_and_invites_both_partners() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;

    // Priya opens a couple case from her caseload.
    sign_in_staff(&browser, &server, 2).await;
    browser
        .driver()
        .find(By::LinkText("Open a new case"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(heading(&browser).await, "Open a case");
    browser
        .driver()
        .find(By::LinkText("A couple"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&browser, "client-0-name", "Marta Kowalczyk").await;
    fill(&browser, "client-0-email", "marta@client.example").await;
    fill(&browser, "client-1-name", "Ewa Nowak").await;
    fill(&browser, "client-1-email", "ewa@client.example").await;
    let policy = browser
        .driver()
        .find(By::Css(
            "input[name='secrets_policy'][value='limited_secrets']",
        ))
        .await
        .unwrap();
    policy.scroll_into_view().await.unwrap();
    policy.click().await.unwrap();
    submit(&browser, "/clinic/cases/new").await;
    assert_eq!(heading(&browser).await, "Marta Kowalczyk & Ewa Nowak");
    let page = browser
        .driver()
        .find(By::Tag("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Limited secrets"), "{page}");
    assert!(page.contains("never shown to the other"), "{page}");

    // Both partners are invited, one form each.
    for name in ["Marta Kowalczyk", "Ewa Nowak"] {
        let button = browser
            .driver()
            .find(By::XPath(format!(
                "//button[normalize-space()='Invite {name} to the portal']"
            )))
            .await
            .unwrap();
        let form = button.find(By::XPath("./ancestor::form")).await.unwrap();
        let action = form.attr("action").await.unwrap().unwrap();
        submit(&browser, &action).await;
        let notice = browser.driver().find(By::Css(".notice")).await.unwrap();
        assert!(notice.text().await.unwrap().contains("on its way"));
    }
    sign_out(&browser).await;

    // The owner's outbox holds Ewa's invitation; Ewa accepts it on her phone.
    sign_in_staff(&browser, &server, 0).await;
    browser.open(&server.url("/admin/outbox")).await;
    let mut link = None;
    for mail in browser
        .driver()
        .find_all(By::Css(".mail pre"))
        .await
        .unwrap()
    {
        let text = mail.text().await.unwrap();
        if text.contains("Hello Ewa Nowak") {
            link = text
                .split_whitespace()
                .find(|word| word.contains("/invitations/"))
                .map(str::to_owned);
        }
    }
    let link = link.expect("Ewa's invitation is in the outbox");
    sign_out(&browser).await;
    browser
        .driver()
        .set_window_rect(0, 0, 375, 740)
        .await
        .unwrap();
    browser.open(&link).await;
    assert_eq!(heading(&browser).await, "Welcome, Ewa Nowak");
    no_sideways_scroll(&browser, "the invitation page").await;
    fill(&browser, "password", "willow lantern river stone").await;
    let accept_form = format!("/invitations/{}", link.rsplit('/').next().unwrap());
    submit(&browser, &accept_form).await;
    assert_eq!(path(&browser).await, "/portal");
    no_sideways_scroll(&browser, "the portal").await;
    let portal = browser
        .driver()
        .find(By::Tag("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !portal.contains("Marta"),
        "nothing of her partner shows in Ewa's portal"
    );
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    browser.quit().await;
}
