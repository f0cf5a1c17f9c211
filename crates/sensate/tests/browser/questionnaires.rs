//! Questionnaires in a real browser: the clinician assigns the PHQ-9 and the FSFI; the
//! client answers both on a phone-sized window, one question at a time, with PHQ-9
//! item 9 above 0; the clinician sees the safety alert at once, records what they did,
//! asks again, and after the second administration sees the progress chart.

use sensate::demo::PEOPLE;
use thirtyfour::prelude::*;

use crate::cases::{Factor, no_sideways_scroll, sign_in_staff, sign_in_staff_with};
use crate::journey::{fill, heading, path, sign_out, submit};
use crate::support::{Browser, TestServer};

async fn sign_in_sam(browser: &Browser, server: &TestServer) {
    let sam = &PEOPLE[3];
    browser.open(&server.url("/sign-in")).await;
    fill(browser, "email", sam.email).await;
    fill(browser, "password", sam.password).await;
    submit(browser, "/sign-in").await;
    assert_eq!(path(browser).await, "/portal");
}

async fn click_link(browser: &Browser, text: &str) {
    let link = browser
        .driver()
        .find(By::PartialLinkText(text))
        .await
        .unwrap_or_else(|_| panic!("a link {text:?}"));
    link.scroll_into_view().await.unwrap();
    link.click().await.unwrap();
}

/// Chooses an answer once its question is on screen (the stepper shows one at a time).
async fn choose(browser: &Browser, item: &str, value: u8) {
    let selector = format!("input[name='{item}'][value='{value}']");
    for _ in 0..100 {
        if let Ok(radio) = browser.driver().find(By::Css(&selector)).await
            && radio.is_displayed().await.unwrap_or(false)
        {
            radio.click().await.unwrap();
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("question {item} never came on screen");
}

/// Sends the answer sheet and waits for the page that follows.
async fn send(browser: &Browser) {
    let button = browser
        .driver()
        .find(By::Css("button[value='send']"))
        .await
        .unwrap();
    for _ in 0..100 {
        if button.is_displayed().await.unwrap_or(false) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    button.click().await.unwrap();
    for _ in 0..100 {
        if !button.is_present().await.unwrap_or(false) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("sending did not load a new page");
}

async fn open_sams_questionnaires(browser: &Browser) {
    click_link(browser, PEOPLE[3].name).await;
    click_link(browser, "Assign, enter and see results").await;
    assert_eq!(
        heading(browser).await,
        format!("Questionnaires: {}", PEOPLE[3].name)
    );
}

async fn assign(browser: &Browser, instrument: &str) {
    let select = browser
        .driver()
        .find(By::Css(format!(
            "#assign-instrument option[value='{instrument}']"
        )))
        .await
        .unwrap();
    select.click().await.unwrap();
    let action = path(browser).await;
    submit(browser, &action).await;
    let notice = browser.driver().find(By::Css(".notice")).await.unwrap();
    assert!(notice.text().await.unwrap().contains("is assigned"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_answers_on_a_phone_and_the_clinician_sees_the_alert_and_the_chart() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;

    // Theo assigns the PHQ-9 and the FSFI to Sam.
    sign_in_staff(&browser, &server, 1).await;
    open_sams_questionnaires(&browser).await;
    assign(&browser, "phq9").await;
    assign(&browser, "fsfi").await;
    sign_out(&browser).await;

    // Sam answers both on a phone, one question at a time.
    browser
        .driver()
        .set_window_rect(0, 0, 375, 740)
        .await
        .unwrap();
    sign_in_sam(&browser, &server).await;
    click_link(&browser, "Answer the Patient Health Questionnaire-9").await;
    assert_eq!(heading(&browser).await, "Patient Health Questionnaire-9");
    no_sideways_scroll(&browser, "the answer sheet").await;
    let progress = browser.driver().find(By::Css(".stepper p")).await.unwrap();
    assert_eq!(progress.text().await.unwrap(), "Question 1 of 9");
    let visible = browser
        .eval("Array.from(document.querySelectorAll('fieldset[data-step]')).filter(f => !f.hidden).length")
        .await;
    assert_eq!(visible, 1, "one question on screen at a time");
    for item in 1..=9 {
        choose(
            &browser,
            &format!("phq9_{item}"),
            if item == 9 { 1 } else { 2 },
        )
        .await;
    }
    send(&browser).await;
    assert_eq!(heading(&browser).await, "Thank you");
    let page = browser.driver().source().await.unwrap();
    assert!(page.contains("you do not have to wait for your next session"));
    assert!(
        !page.contains("moderately severe") && !page.contains(">17<"),
        "no score for Sam"
    );
    browser.open(&server.url("/portal")).await;
    click_link(&browser, "Answer the Female Sexual Function Index").await;
    for item in 1..=19 {
        choose(&browser, &format!("fsfi_{item}"), 3).await;
    }
    send(&browser).await;
    assert_eq!(heading(&browser).await, "Thank you");
    assert!(
        !browser
            .driver()
            .source()
            .await
            .unwrap()
            .contains("you do not have to wait"),
        "support is for a critical answer"
    );
    sign_out(&browser).await;

    // Theo sees the alert at once, records what he did, and asks for the PHQ-9 again.
    browser
        .driver()
        .set_window_rect(0, 0, 1280, 900)
        .await
        .unwrap();
    sign_in_staff_with(&browser, &server, 1, Factor::Recovery(0)).await;
    let caseload = browser.driver().source().await.unwrap();
    assert!(caseload.contains("answered the questionnaire item about thoughts of self-harm"));
    click_link(&browser, "Open their questionnaire results").await;
    assert_eq!(
        heading(&browser).await,
        format!("Questionnaires: {}", PEOPLE[3].name)
    );
    let results = browser.driver().source().await.unwrap();
    assert!(results.contains("moderately severe"));
    assert!(results.contains("Female Sexual Function Index"));
    let action = browser
        .driver()
        .find(By::Css("textarea[name='action']"))
        .await
        .unwrap();
    action
        .send_keys("Called Sam the same afternoon; safety plan agreed.")
        .await
        .unwrap();
    let form_action = browser
        .driver()
        .find(By::Css("form:has(textarea[name='action'])"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    submit(&browser, &form_action).await;
    let page = browser.driver().source().await.unwrap();
    assert!(page.contains("Called Sam the same afternoon"));
    assert!(
        !page.contains("Record it and mark as seen"),
        "no open alert left"
    );
    assign(&browser, "phq9").await;
    sign_out(&browser).await;

    // Sam answers again, on a wide screen: every question on one page.
    sign_in_sam(&browser, &server).await;
    click_link(&browser, "Answer the Patient Health Questionnaire-9").await;
    let visible = browser
        .eval("Array.from(document.querySelectorAll('fieldset[data-step]')).filter(f => !f.hidden).length")
        .await;
    assert_eq!(visible, 9, "one page on a wide screen");
    for item in 1..=9 {
        choose(&browser, &format!("phq9_{item}"), 0).await;
    }
    send(&browser).await;
    sign_out(&browser).await;

    // The chart and reliable change.
    sign_in_staff_with(&browser, &server, 1, Factor::Recovery(1)).await;
    open_sams_questionnaires(&browser).await;
    let chart = browser
        .driver()
        .find(By::Css(".chart svg[role='img']"))
        .await
        .expect("an accessible progress chart");
    assert!(chart.is_displayed().await.unwrap());
    let results = browser.driver().source().await.unwrap();
    assert!(results.contains("Scores over time"));
    assert!(results.contains("Recovered: a fall of 17 points"));
    assert!(
        browser.console_errors().await.is_empty(),
        "{:?}",
        browser.console_errors().await
    );
    browser.quit().await;
}
