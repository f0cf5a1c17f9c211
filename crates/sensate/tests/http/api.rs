//! The JSON API: its OpenAPI document (snapshot, and in step with the routes), a
//! clinician's whole round through it on both databases, and bad input.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;
use serde_json::{Value, json};

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, TestResponse, on_both_databases};

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/openapi.json");

fn json_of(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", response.body))
}

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let document = sensate_web::openapi_document();
    if std::env::var_os("SENSATE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAPSHOT, format!("{document}\n")).unwrap();
    }
    let snapshot = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        snapshot.trim_end() == document.trim_end(),
        "The API's OpenAPI document changed. Review the difference, then accept it with \
         SENSATE_UPDATE_SNAPSHOTS=1 cargo test -p sensate --test http api:: and commit \
         crates/web/openapi.json."
    );
}

#[test]
fn every_api_route_is_in_the_document_and_every_path_in_it_is_a_route() {
    let routes: BTreeSet<(String, String)> = sensate_web::route_table()
        .into_iter()
        .filter(|route| route.path.starts_with("/api/") && route.path != "/api/openapi.json")
        .map(|route| (route.method.to_lowercase(), route.path.to_owned()))
        .collect();
    let document: Value = serde_json::from_str(&sensate_web::openapi_document()).unwrap();
    let mut described = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            described.insert((method.clone(), path.clone()));
        }
    }
    assert_eq!(routes, described);
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for (method, path) in &described {
        let operation = &document["paths"][path][method];
        assert!(
            operation["responses"]["401"].is_object(),
            "{method} {path} documents the answer without a session"
        );
    }
}

async fn theo(app: &TestApp) -> Browser<'_> {
    let theo = &PEOPLE[1];
    let browser = full_session(app, theo.email, theo.password, theo.totp_secret.unwrap()).await;
    let session = browser.api("GET", "/api/session", None).await;
    assert_eq!(session.status, StatusCode::OK, "{}", session.body);
    browser
}

async fn audit_rows_about(app: &TestApp, id: &str, action: &str) -> usize {
    app.store
        .audit_events(&AuditQuery {
            object_id: Some(id.parse().unwrap()),
            action: Some(action.into()),
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .len()
}

on_both_databases! {
    async fn the_document_is_served_to_anyone(app: TestApp) {
        let served = app.get("/api/openapi.json").await;
        assert_eq!(served.status, StatusCode::OK);
        assert!(served.header("content-type").starts_with("application/json"));
        let served: Value = serde_json::from_str(&served.body).unwrap();
        let built: Value = serde_json::from_str(&sensate_web::openapi_document()).unwrap();
        assert_eq!(served, built);
    }

    async fn a_clinician_works_a_couple_case_through_the_api(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = theo(&app).await;

        let opened = theo
            .api(
                "POST",
                "/api/cases",
                Some(
                    &json!({
                        "kind": "couple",
                        "secrets_policy": "limited_secrets",
                        "clients": [
                            {"name": "Rowan Apiary", "pronouns": "they/them", "email": "rowan@api.example"},
                            {"name": "Sasha Apiary", "date_of_birth": "1988-04-02"}
                        ]
                    })
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let case = json_of(&opened)["id"].as_str().unwrap().to_owned();

        // The caseload lists it; a search finds it by a word of a name, sent in the body.
        let list = json_of(&theo.api("GET", "/api/cases?kind=couple&status=open", None).await);
        assert!(list["cases"].as_array().unwrap().iter().any(|c| c["id"] == case.as_str()));
        let found = json_of(
            &theo
                .api("POST", "/api/cases/search", Some(r#"{"text": "apiary"}"#))
                .await,
        );
        assert_eq!(found["total"], 1, "{found}");
        assert_eq!(found["cases"][0]["clients"], json!(["Rowan Apiary", "Sasha Apiary"]));

        let detail = json_of(&theo.api("GET", &format!("/api/cases/{case}"), None).await);
        assert_eq!(detail["kind"], "couple");
        assert_eq!(detail["secrets_policy"], "limited_secrets");
        assert_eq!(detail["status"], "open");
        assert_eq!(detail["clients"][0]["pronouns"], "they/them");
        assert_eq!(detail["clients"][1]["date_of_birth"], "1988-04-02");
        assert_eq!(detail["clients"][0]["consent"]["status"], "not_signed");
        let rowan = detail["clients"][0]["id"].as_str().unwrap().to_owned();
        let sasha = detail["clients"][1]["id"].as_str().unwrap().to_owned();
        let client = json_of(&theo.api("GET", &format!("/api/cases/{case}/clients/{sasha}"), None).await);
        assert_eq!(client["name"], "Sasha Apiary");
        assert!(audit_rows_about(&app, &case, "read").await >= 2, "reads are audited");

        // The first plan, then a revision that needs a reason, then a stale one.
        let plan = json!({
            "based_on": 0,
            "problems": ["Desire discrepancy"],
            "goals": [{"goal": "Agree how to start intimacy", "measure": "Practice twice a week", "target_date": "2027-03-01"}],
            "interventions": ["sensate_focus", "communication_skills"],
            "planned_sessions": 12,
            "frequency": "weekly",
            "review_date": "2027-01-15",
            "clinician_notes": "Watch for pursuit and withdrawal."
        });
        let saved = theo.api("POST", &format!("/api/cases/{case}/plan"), Some(&plan.to_string())).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
        assert_eq!(json_of(&saved)["number"], 1);
        let mut second = plan.clone();
        second["based_on"] = json!(1);
        second["planned_sessions"] = json!(16);
        let no_reason = theo.api("POST", &format!("/api/cases/{case}/plan"), Some(&second.to_string())).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&no_reason)["problems"][0]["field"], "reason", "{}", no_reason.body);
        second["reason"] = json!("Slower pace suits them");
        let revised = theo.api("POST", &format!("/api/cases/{case}/plan"), Some(&second.to_string())).await;
        assert_eq!(json_of(&revised)["number"], 2);
        let stale = theo.api("POST", &format!("/api/cases/{case}/plan"), Some(&second.to_string())).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let revisions = json_of(&theo.api("GET", &format!("/api/cases/{case}/plan"), None).await);
        assert_eq!(revisions["revisions"].as_array().unwrap().len(), 2);
        assert_eq!(revisions["revisions"][0]["plan"]["planned_sessions"], 12, "the first stays readable");
        assert_eq!(revisions["revisions"][1]["reason"], "Slower pace suits them");
        assert_eq!(revisions["revisions"][1]["plan"]["interventions"][0]["name"], "Sensate focus");

        // A joint session, its note as a draft, signed, then locked.
        let recorded = theo
            .api(
                "POST",
                &format!("/api/cases/{case}/sessions"),
                Some(
                    &json!({
                        "date": "2026-11-20", "time": "15:00", "minutes": 55,
                        "modality": "video", "session_type": "couple_with_client",
                        "attendees": [rowan, sasha]
                    })
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
        let session = json_of(&recorded)["id"].as_str().unwrap().to_owned();
        let sessions = json_of(&theo.api("GET", &format!("/api/cases/{case}/sessions"), None).await);
        assert_eq!(sessions[0]["cpt_code"], "90847");
        assert_eq!(sessions[0]["note"], "none");
        let note_url = format!("/api/cases/{case}/sessions/{session}/note");
        let draft = json!({"template": "soap", "sections": {"subjective": "Both describe feeling rushed."}});
        assert_eq!(theo.api("PUT", &note_url, Some(&draft.to_string())).await.status, StatusCode::NO_CONTENT);
        let addendum_url = format!("/api/cases/{case}/sessions/{session}/addenda");
        let early = theo.api("POST", &addendum_url, Some(r#"{"text": "Too soon."}"#)).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
        let unknown_goal = json!({"template": "soap", "sections": {}, "goals": [2]});
        let refused = theo.api("PUT", &note_url, Some(&unknown_goal.to_string())).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&refused)["problems"][0]["field"], "goals", "{}", refused.body);
        let mut signed = draft.clone();
        signed["sign"] = json!(true);
        signed["goals"] = json!([1]);
        signed["sections"]["plan"] = json!("Sensate focus stage 1 at home.");
        assert_eq!(theo.api("PUT", &note_url, Some(&signed.to_string())).await.status, StatusCode::NO_CONTENT);
        let locked = theo.api("PUT", &note_url, Some(&draft.to_string())).await;
        assert_eq!(locked.status, StatusCode::CONFLICT);
        assert_eq!(json_of(&locked)["error"], "conflict");
        let added = theo.api("POST", &addendum_url, Some(r#"{"text": "Sasha called to reschedule."}"#)).await;
        assert_eq!(added.status, StatusCode::NO_CONTENT, "{}", added.body);
        let process_url = format!("/api/cases/{case}/sessions/{session}/process-note");
        let process = theo.api("PUT", &process_url, Some(r#"{"text": "My hunch: old hurt."}"#)).await;
        assert_eq!(process.status, StatusCode::NO_CONTENT);

        let held = theo.api("GET", &format!("/api/cases/{case}/sessions/{session}"), None).await;
        let held_json = json_of(&held);
        assert_eq!(held_json["note"]["template"], "soap");
        assert!(held_json["note"]["signed_at"].is_string());
        assert_eq!(held_json["note"]["sections"][3]["text"], "Sensate focus stage 1 at home.");
        assert_eq!(held_json["addenda"][0]["text"], "Sasha called to reschedule.");
        assert_eq!(held_json["note"]["goals"], json!(["Agree how to start intimacy"]));
        assert_eq!(held_json["plan_goals"], json!(["Agree how to start intimacy"]));
        assert_eq!(held_json["attendee_names"], json!(["Rowan Apiary", "Sasha Apiary"]));
        assert!(!held.body.contains("old hurt"), "the process note is never part of a session");
        let own = json_of(&theo.api("GET", &process_url, None).await);
        assert_eq!(own["text"], "My hunch: old hurt.");
        assert!(audit_rows_about(&app, &session, "create").await >= 1);
        assert!(audit_rows_about(&app, &session, "update").await >= 1);

        // Messages: to both, and privately to Rowan; Theo cannot share Rowan's private
        // message under "limited secrets".
        let thread = format!("/api/cases/{case}/messages");
        let to_both = theo.api("POST", &thread, Some(r#"{"to": "case", "text": "See you both Tuesday."}"#)).await;
        assert_eq!(to_both.status, StatusCode::CREATED, "{}", to_both.body);
        let private = theo
            .api("POST", &thread, Some(&json!({"to": rowan, "text": "A word for Rowan."}).to_string()))
            .await;
        let private_id = json_of(&private)["id"].as_str().unwrap().to_owned();
        let stranger = theo
            .api("POST", &thread, Some(&json!({"to": uuid::Uuid::now_v7().to_string(), "text": "Lost"}).to_string()))
            .await;
        assert_eq!(json_of(&stranger)["problems"][0]["field"], "to");
        let messages = json_of(&theo.api("GET", &thread, None).await);
        assert_eq!(messages.as_array().unwrap().len(), 2);
        assert_eq!(messages[1]["private_to"], rowan.as_str());
        assert_eq!(messages[0]["private_to"], Value::Null);
        let share = theo.api("POST", &format!("{thread}/{private_id}/share"), None).await;
        assert_eq!(share.status, StatusCode::CONFLICT, "{}", share.body);

        // Closing and reopening.
        let closed = json_of(&theo.api("POST", &format!("/api/cases/{case}/close"), None).await);
        assert_eq!(closed, json!({"status": "closed", "changed": true}));
        let again = json_of(&theo.api("POST", &format!("/api/cases/{case}/close"), None).await);
        assert_eq!(again["changed"], false);
        let reopened = json_of(&theo.api("POST", &format!("/api/cases/{case}/reopen"), None).await);
        assert_eq!(reopened["status"], "open");

        // The owner runs the practice but this case is not in her care.
        let maya = &PEOPLE[0];
        let maya = full_session(&app, maya.email, maya.password, maya.totp_secret.unwrap()).await;
        let hidden = maya.api("GET", &format!("/api/cases/{case}"), None).await;
        let missing = maya.api("GET", &format!("/api/cases/{}", uuid::Uuid::now_v7()), None).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.body, missing.body, "refused and missing answer alike");
        assert!(!hidden.body.contains("Apiary"));
    }

    async fn bad_input_gets_a_specific_message_and_changes_nothing(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = theo(&app).await;
        let before = json_of(&theo.api("GET", "/api/cases", None).await)["total"].clone();

        let anonymous = app.browser();
        let refused = anonymous.api("GET", "/api/cases", None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(json_of(&refused)["error"], "sign_in_required");

        // A form body where JSON is expected.
        let mut form = theo.api("POST", "/api/cases", None).await;
        assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", form.body);

        // Broken JSON, and a value of the wrong type: the message says where, never what.
        form = theo.api("POST", "/api/cases", Some(r#"{"kind": "couple", "clients": [{"name": "Hidden Name"#)).await;
        assert_eq!(form.status, StatusCode::BAD_REQUEST);
        assert!(json_of(&form)["message"].as_str().unwrap().contains("not valid JSON"));
        assert!(!form.body.contains("Hidden Name"));
        form = theo.api("POST", "/api/cases", Some(r#"{"kind": "couple", "clients": "Hidden Name"}"#)).await;
        assert_eq!(form.status, StatusCode::BAD_REQUEST);
        assert!(json_of(&form)["message"].as_str().unwrap().contains("wrong type"), "{}", form.body);
        assert!(!form.body.contains("Hidden Name"));
        form = theo.api("POST", "/api/cases", Some(r#"{"kind": "couple"}"#)).await;
        assert!(json_of(&form)["message"].as_str().unwrap().contains("`clients` is missing"), "{}", form.body);

        // Each field's problem is named.
        form = theo
            .api(
                "POST",
                "/api/cases",
                Some(r#"{"kind": "individual", "clients": [{"name": "Quinn", "email": "not an address", "date_of_birth": "1990-13-45"}]}"#),
            )
            .await;
        assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = json_of(&form)["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["clients[0].date_of_birth", "clients[0].email"], "{}", form.body);
        let filter = theo.api("GET", "/api/cases?kind=triad", None).await;
        assert_eq!(filter.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&filter)["problems"][0]["field"], "kind");

        // Without the anti-forgery header a write is refused before it is read.
        let no_token = app
            .send(
                axum::http::Request::post("/api/cases")
                    .header("content-type", "application/json")
                    .header("cookie", format!("__Host-sensate={}", theo.cookie().unwrap()))
                    .body(axum::body::Body::from(r#"{"kind": "individual", "clients": [{"name": "Quinn"}]}"#))
                    .unwrap(),
            )
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert_eq!(json_of(&no_token)["error"], "forbidden", "the API's own error shape");
        let not_a_page = theo.api("GET", "/api/cases?page=abc", None).await;
        assert_eq!(not_a_page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&not_a_page)["problems"][0]["field"], "page");

        let after = json_of(&theo.api("GET", "/api/cases", None).await)["total"].clone();
        assert_eq!(before, after, "nothing was stored");
    }
}
