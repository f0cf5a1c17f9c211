//! `/healthz` tells a load balancer whether the database answers.

use axum::http::StatusCode;

use crate::support::on_both_databases;

on_both_databases! {
    async fn health_is_ok_while_the_database_answers(app: TestApp) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.body, "ok\n");
    }

    async fn health_is_unavailable_once_the_database_stops_answering(app: TestApp) {
        app.store.close().await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.body, "database unavailable\n");
    }

    async fn a_page_that_needs_the_database_says_so_plainly_when_it_is_gone(app: TestApp) {
        app.store.close().await;
        let response = app.get("/setup").await;
        assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.body.contains("Nothing you entered has been lost"));
        assert!(!response.body.to_lowercase().contains("pool"), "no internals shown");
    }
}
