//! The pages of the four faces.

use axum::http::StatusCode;

use crate::support::on_both_databases;

const FACES: [&str; 3] = ["/", "/directory", "/setup"];

on_both_databases! {
    async fn every_page_of_the_four_faces_renders_with_landmarks_and_a_skip_link(app: TestApp) {
        for path in FACES {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_eq!(page.header("content-type"), "text/html; charset=utf-8", "{path}");
            assert!(page.body.contains(r##"<a class="skip-link" href="#main">"##), "{path}");
            assert!(page.body.contains(r#"<main id="main""#), "{path}");
            assert!(page.body.contains(r#"<nav aria-label="Main">"#), "{path}");
            assert!(page.body.contains(r#"<html lang="en">"#), "{path}");
        }
    }

    async fn the_current_section_is_marked_in_the_navigation(app: TestApp) {
        let page = app.get("/directory").await;
        assert!(page.body.contains(r#"<a href="/directory" aria-current="page">"#));
        assert_eq!(page.body.matches("aria-current").count(), 1);
    }

    async fn the_home_page_says_what_sex_therapy_is_and_is_not(app: TestApp) {
        let page = app.get("/").await;
        assert!(page.body.contains("What sex therapy is"));
        assert!(page.body.contains("What sex therapy is not"));
        assert!(page.body.contains("no touching, undressing or sexual contact"));
    }

    async fn pages_link_to_nothing_outside_the_site(app: TestApp) {
        for path in FACES {
            let page = app.get(path).await;
            for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "<script"] {
                assert!(!page.body.contains(attr), "{path} contains {attr}");
            }
        }
    }

    async fn admin_shows_the_owners_practice_with_its_name_escaped(app: TestApp) {
        let browser = app.browser();
        crate::sign_in::set_up_practice_named(&app, &browser, "<b>Harbour</b> & Co").await;
        let page = browser.get("/admin").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("&#60;b&#62;Harbour&#60;/b&#62; &#38; Co") || page.body.contains("&lt;b&gt;Harbour&lt;/b&gt; &amp; Co"), "{}", page.body);
        assert!(!page.body.contains("<b>Harbour"));
        assert!(page.body.contains("The schema is up to date"));
    }

    async fn an_unknown_address_is_a_plain_not_found_page(app: TestApp) {
        let page = app.get("/no-such-page?q=%3Cscript%3E").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("Page not found"));
        assert!(!page.body.contains("<script"));
    }

    async fn an_unknown_asset_is_not_found(app: TestApp) {
        let page = app.get("/assets/sensate-0000000000000000.css").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
}
