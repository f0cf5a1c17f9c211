//! A couple case in a real browser: a clinician opens it, chooses the secrets policy and
//! invites both partners to the portal; each partner, on a phone-sized window, accepts,
//! signs consent, agrees to the policy and sends their intake in private; the other never
//! sees it; the clinician reads both intakes and records a joint session with a signed
//! note, after writing the treatment plan.

use sensate::demo::PEOPLE;
use sensate_auth::totp::{TotpSecret, code_at};
use thirtyfour::prelude::*;

use crate::journey::{fill, heading, path, sign_out, submit};
use crate::support::{Browser, TestServer};

/// Signs a demo staff member in with their password and a current code, or with one of
/// their recovery codes (`Second`): a code from the app is accepted once, and a second
/// sign-in within the same 30 seconds would offer the same one.
pub(crate) async fn sign_in_staff(browser: &Browser, server: &TestServer, index: usize) {
    sign_in_staff_with(browser, server, index, Factor::App).await;
}

pub(crate) enum Factor {
    App,
    Recovery(usize),
}

pub(crate) async fn sign_in_staff_with(
    browser: &Browser,
    server: &TestServer,
    index: usize,
    factor: Factor,
) {
    let person = &PEOPLE[index];
    browser.open(&server.url("/sign-in")).await;
    fill(browser, "email", person.email).await;
    fill(browser, "password", person.password).await;
    submit(browser, "/sign-in").await;
    assert_eq!(path(browser).await, "/sign-in/code");
    let code = match factor {
        Factor::App => {
            let secret = TotpSecret::from_bytes(person.totp_secret.unwrap()).unwrap();
            code_at(&secret, sensate_domain::clock::now())
        }
        Factor::Recovery(n) => person.recovery_codes[n].to_owned(),
    };
    fill(browser, "code", &code).await;
    submit(browser, "/sign-in/code").await;
    assert_eq!(path(browser).await, "/clinic");
}

pub(crate) async fn no_sideways_scroll(browser: &Browser, what: &str) {
    let overflow = browser
        .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert_eq!(overflow, 0, "{what} scrolls sideways on a phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_couple_case_from_invitation_to_a_signed_joint_session_note() {
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

    // The owner's outbox holds both invitations.
    sign_in_staff(&browser, &server, 0).await;
    browser.open(&server.url("/admin/outbox")).await;
    let mut links = std::collections::HashMap::new();
    for mail in browser
        .driver()
        .find_all(By::Css(".mail pre"))
        .await
        .unwrap()
    {
        let text = mail.text().await.unwrap();
        for name in ["Marta Kowalczyk", "Ewa Nowak"] {
            if text.contains(&format!("Hello {name}")) {
                let link = text
                    .split_whitespace()
                    .find(|word| word.contains("/invitations/"))
                    .map(str::to_owned)
                    .unwrap();
                links.insert(name, link);
            }
        }
    }
    sign_out(&browser).await;

    // Each partner, on a phone, accepts, signs consent, agrees to the secrets policy and
    // sends their intake in private.
    browser
        .driver()
        .set_window_rect(0, 0, 375, 740)
        .await
        .unwrap();
    for (name, password, reason) in [
        (
            "Marta Kowalczyk",
            "willow lantern river stone",
            "Marta-private-41c: I feel pressure before sex",
        ),
        (
            "Ewa Nowak",
            "copper kettle morning field",
            "Ewa-private-9e2: we avoid talking about it",
        ),
    ] {
        let link = &links[name];
        browser.open(link).await;
        assert_eq!(heading(&browser).await, format!("Welcome, {name}"));
        no_sideways_scroll(&browser, "the invitation page").await;
        fill(&browser, "password", password).await;
        submit(
            &browser,
            &format!("/invitations/{}", link.rsplit('/').next().unwrap()),
        )
        .await;
        assert_eq!(path(&browser).await, "/portal");
        no_sideways_scroll(&browser, "the portal").await;

        click_link(&browser, "Read and sign the consent page").await;
        assert_eq!(
            heading(&browser).await,
            "Before we begin: how therapy with us works"
        );
        no_sideways_scroll(&browser, "the consent page").await;
        fill(&browser, "name", name).await;
        tick(&browser, "input[name='agree']").await;
        submit(&browser, "/portal/consent").await;
        assert_eq!(path(&browser).await, "/portal");

        click_link(
            &browser,
            "Agree to how your therapist handles what one of you says alone",
        )
        .await;
        assert!(page_text(&browser).await.contains("Limited secrets"));
        tick(&browser, "input[name='agree']").await;
        let action = browser
            .driver()
            .find(By::Css("form.form"))
            .await
            .unwrap()
            .attr("action")
            .await
            .unwrap()
            .unwrap();
        submit(&browser, &action).await;

        click_link(&browser, "Answer your intake questions").await;
        no_sideways_scroll(&browser, "the intake").await;
        fill(&browser, "q-reason", reason).await;
        fill(&browser, "q-hopes", "To feel close again").await;
        tick(&browser, "input[name='self_harm'][value='no']").await;
        tick(&browser, "input[name='partner_harm'][value='no']").await;
        let send = browser
            .driver()
            .find(By::Css("button[value='send']"))
            .await
            .unwrap();
        send.scroll_into_view().await.unwrap();
        send.click().await.unwrap();
        wait_for_text(&browser, "Your therapist can now read your answers").await;
        let waiting = {
            browser.open(&server.url("/portal")).await;
            page_text(&browser).await
        };
        assert!(waiting.contains("Nothing is waiting for you"), "{waiting}");
        sign_out(&browser).await;
    }

    // Ewa never sees Marta's answers, anywhere in her portal.
    browser.open(&server.url("/sign-in")).await;
    fill(&browser, "email", "ewa@client.example").await;
    fill(&browser, "password", "copper kettle morning field").await;
    submit(&browser, "/sign-in").await;
    for page in ["/portal", "/portal/intake", "/portal/consent"] {
        browser.open(&server.url(page)).await;
        let text = browser.driver().source().await.unwrap();
        assert!(!text.contains("Marta-private-41c"), "{page}");
        assert!(
            !text.contains("Marta"),
            "{page}: nothing of her partner at all"
        );
    }
    sign_out(&browser).await;

    // Priya, at her desk, reads both intakes and records a joint session with a signed note.
    browser
        .driver()
        .set_window_rect(0, 0, 1280, 900)
        .await
        .unwrap();
    sign_in_staff_with(&browser, &server, 2, Factor::Recovery(0)).await;
    click_link(&browser, "Marta Kowalczyk & Ewa Nowak").await;
    let case_page = page_text(&browser).await;
    assert_eq!(
        case_page.matches("Signed version 1 on").count(),
        2,
        "{case_page}"
    );
    assert_eq!(case_page.matches("Agreed on").count(), 2);
    click_link(&browser, "Read Marta Kowalczyk's intake").await;
    assert!(page_text(&browser).await.contains("Marta-private-41c"));
    browser.driver().back().await.unwrap();

    // The plan: problems, a measurable goal, interventions, sessions and a review date.
    click_link(&browser, "Write the treatment plan").await;
    fill(&browser, "problems", "Pressure and avoidance around sex").await;
    fill(&browser, "goal-0", "Enjoy unhurried touch together").await;
    fill(&browser, "measure-0", "Sensate focus practice twice a week").await;
    browser
        .eval("document.getElementById('target-0').value = '2099-03-01'")
        .await;
    tick(
        &browser,
        "input[name='intervention'][value='sensate_focus']",
    )
    .await;
    fill(&browser, "planned_sessions", "10").await;
    browser
        .eval("document.getElementById('review_date').value = '2099-01-15'")
        .await;
    let plan_action = browser
        .driver()
        .find(By::Css("form.form.wide"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    submit(&browser, &plan_action).await;
    assert!(page_text(&browser).await.contains("Revision 1"));
    browser.driver().back().await.unwrap();
    browser.driver().back().await.unwrap();
    browser.driver().refresh().await.unwrap();
    assert!(
        page_text(&browser)
            .await
            .contains("0 sessions held of 10 planned")
    );
    click_link(&browser, "Record a session").await;
    fill(&browser, "minutes", "50").await;
    let kind = browser
        .driver()
        .find(By::Css(
            "select#session_type option[value='couple_with_client']",
        ))
        .await
        .unwrap();
    kind.click().await.unwrap();
    let case_action = browser
        .driver()
        .find(By::Css("form.form"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    submit(&browser, &case_action).await;
    assert!(page_text(&browser).await.contains("90847"));
    fill(
        &browser,
        "note-subjective",
        "Both spoke about pressure and avoidance.",
    )
    .await;
    fill(
        &browser,
        "note-plan",
        "Sensate focus, stage one, twice this week.",
    )
    .await;
    let sign = browser
        .driver()
        .find(By::Css("button[value='sign']"))
        .await
        .unwrap();
    sign.scroll_into_view().await.unwrap();
    sign.click().await.unwrap();
    for _ in 0..100 {
        if page_text(&browser).await.contains("The note is locked.") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(page_text(&browser).await.contains("The note is locked."));
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    browser.quit().await;
}

/// The main landmark's text, once the page has one (a page may be mid-load).
async fn page_text(browser: &Browser) -> String {
    for _ in 0..100 {
        if let Ok(main) = browser.driver().find(By::Tag("main")).await
            && let Ok(text) = main.text().await
        {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page never showed its main landmark");
}

async fn click_link(browser: &Browser, text: &str) {
    let link = browser
        .driver()
        .find(By::LinkText(text))
        .await
        .unwrap_or_else(|_| panic!("no link {text:?}"));
    link.scroll_into_view().await.unwrap();
    link.click().await.unwrap();
    for _ in 0..100 {
        if !link.is_present().await.unwrap_or(false) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("following {text:?} did not load a new page");
}

async fn tick(browser: &Browser, selector: &str) {
    let input = browser.driver().find(By::Css(selector)).await.unwrap();
    input.scroll_into_view().await.unwrap();
    input.click().await.unwrap();
}

/// Waits until the page says `wanted` (a form may post back to its own address).
async fn wait_for_text(browser: &Browser, wanted: &str) {
    for _ in 0..100 {
        if page_text(browser).await.contains(wanted) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page never said {wanted:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_saves_itself_as_the_client_types() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    browser.open(&server.url("/sign-in")).await;
    fill(&browser, "email", "alex@client.example").await;
    fill(&browser, "password", "blue kettle on the stove").await;
    submit(&browser, "/sign-in").await;
    browser.open(&server.url("/portal/intake")).await;
    fill(&browser, "q-reason", "Typed and never saved by hand").await;
    wait_for_text(&browser, "Saved at").await;
    browser.open(&server.url("/portal/intake")).await;
    let kept = browser
        .driver()
        .find(By::Id("q-reason"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, "Typed and never saved by hand");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    browser.quit().await;
}
