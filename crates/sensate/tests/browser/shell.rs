//! The web shell in a real browser: it renders cleanly, works by keyboard, fits a phone,
//! and never asks any other origin for anything.

use thirtyfour::prelude::*;

use crate::support::{Browser, TestServer};

const PAGES: [&str; 5] = ["/", "/directory", "/clinic", "/portal", "/admin"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_renders_with_no_console_errors() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    for path in PAGES {
        browser.open(&server.url(path)).await;
        let heading = browser.driver().find(By::Css("main h1")).await.unwrap();
        assert!(
            !heading.text().await.unwrap().is_empty(),
            "{path} has a heading"
        );
        let errors = browser.console_errors().await;
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    browser.open(&server.url("/")).await;
    assert_eq!(
        browser.driver().title().await.unwrap(),
        "Sensate — private care for sexual wellbeing"
    );
    // The stylesheet really applied (the CSP did not block it).
    let background = browser
        .eval("getComputedStyle(document.documentElement).backgroundColor")
        .await;
    assert_eq!(background, "rgb(251, 250, 247)");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_navigation_works_by_keyboard_alone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    browser.open(&server.url("/")).await;

    // The first Tab reaches the skip link, and Enter moves focus to the main content.
    browser.press(Key::Tab).await;
    assert_eq!(
        browser.eval("document.activeElement.textContent").await,
        "Skip to main content"
    );
    browser.press(Key::Enter).await;
    assert_eq!(browser.eval("document.activeElement.id").await, "main");

    // From the top, Tab walks the header links in order; Enter on one follows it.
    browser.open(&server.url("/")).await;
    let mut reached = Vec::new();
    for _ in 0..8 {
        browser.press(Key::Tab).await;
        let text = browser
            .eval("document.activeElement.textContent.trim()")
            .await;
        let text = text.as_str().unwrap_or_default().to_owned();
        // Focus is visible: an outline is drawn around the focused element.
        let outline = browser
            .eval("getComputedStyle(document.activeElement).outlineStyle")
            .await;
        assert_eq!(outline, "solid", "focus on {text:?} is visible");
        reached.push(text.clone());
        if text == "For clinicians" {
            break;
        }
    }
    assert_eq!(
        reached,
        [
            "Skip to main content",
            "Sensate",
            "Find a therapist",
            "For clinicians"
        ]
    );
    browser.press(Key::Enter).await;
    let heading = browser.driver().find(By::Css("main h1")).await.unwrap();
    // The clinician app is behind sign-in, so the link lands on the sign-in page.
    assert_eq!(heading.text().await.unwrap(), "Sign in");
    assert!(browser.driver().current_url().await.unwrap().path() == "/sign-in");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_make_no_request_to_any_other_origin() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    for path in PAGES {
        browser.open(&server.url(path)).await;
        let requested = browser
            .eval(
                "[location.href].concat(performance.getEntriesByType('resource').map(e => e.name))",
            )
            .await;
        let requested: Vec<String> = requested
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert!(
            requested.iter().any(|url| url.contains("/assets/sensate-")),
            "{path}: the stylesheet was requested, so the list is real: {requested:?}"
        );
        let elsewhere: Vec<&String> = requested
            .iter()
            .filter(|url| !url.starts_with(&server.base))
            .collect();
        assert!(
            elsewhere.is_empty(),
            "{path} asked other origins: {elsewhere:?}"
        );
        assert!(
            browser.console_errors().await.is_empty(),
            "{path}: nothing was blocked either"
        );
    }
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_screen() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = TestServer::start().await;
    browser
        .driver()
        .set_window_rect(0, 0, 375, 740)
        .await
        .unwrap();
    for path in PAGES {
        browser.open(&server.url(path)).await;
        let overflow = browser
            .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            .await;
        assert_eq!(overflow, 0, "{path} scrolls sideways on a phone");
    }
    browser.quit().await;
}
