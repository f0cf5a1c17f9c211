//! Headers every response carries, public or not, found or not.

use std::collections::HashSet;

use axum::http::StatusCode;
use sensate_web::WebSettings;

use crate::support::{TestApp, on_both_databases};

/// Every kind of response: pages, an asset, health, a 404.
async fn every_kind_of_path(app: &TestApp) -> Vec<String> {
    let home = app.get("/").await;
    let stylesheet = home
        .body
        .split('"')
        .find(|s| s.starts_with("/assets/sensate-"))
        .expect("the home page links its stylesheet")
        .to_owned();
    let mut paths: Vec<String> = [
        "/",
        "/directory",
        "/clinic",
        "/portal",
        "/admin",
        "/healthz",
        "/nowhere",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    paths.push(stylesheet);
    paths
}

on_both_databases! {
    async fn every_response_carries_the_security_headers(app: TestApp) {
        for path in every_kind_of_path(&app).await {
            let response = app.get(&path).await;
            let csp = response.header("content-security-policy");
            for directive in [
                "default-src 'self'",
                "script-src 'self'",
                "frame-ancestors 'none'",
                "form-action 'self'",
                "base-uri 'none'",
                "object-src 'none'",
            ] {
                assert!(csp.contains(directive), "{path}: {csp}");
            }
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert_eq!(response.header("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(response.header("referrer-policy"), "no-referrer", "{path}");
            assert_eq!(response.header("x-frame-options"), "DENY", "{path}");
            assert!(!response.headers.contains_key("server"), "{path}");
            assert!(
                !response.headers.contains_key("strict-transport-security"),
                "no HSTS over plain HTTP: {path}"
            );
        }
    }

    async fn pages_are_never_stored_and_assets_are_cached_for_a_year(app: TestApp) {
        for path in every_kind_of_path(&app).await {
            let response = app.get(&path).await;
            let cache = response.header("cache-control");
            if path.starts_with("/assets/") {
                assert_eq!(response.status, StatusCode::OK);
                assert_eq!(cache, "public, max-age=31536000, immutable", "{path}");
                assert_eq!(response.header("content-type"), "text/css; charset=utf-8");
            } else {
                assert_eq!(cache, "no-store", "{path}");
            }
        }
    }

    async fn each_response_has_its_own_request_id(app: TestApp) {
        let mut seen = HashSet::new();
        for _ in 0..20 {
            let id = app.get("/").await.header("x-request-id").to_owned();
            assert_eq!(id.len(), 32, "{id}");
            assert!(seen.insert(id), "request ids repeat");
        }
    }
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_tls() {
    let app = TestApp::sqlite_with(WebSettings {
        served_over_tls: true,
        ..WebSettings::default()
    })
    .await;
    for path in ["/", "/nowhere", "/healthz"] {
        assert_eq!(
            app.get(path).await.header("strict-transport-security"),
            "max-age=63072000; includeSubDomains"
        );
    }
}
