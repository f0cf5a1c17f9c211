//! Copies of records through the real router: a partner's own copy holds the case's
//! shared items and their own, never the other partner's; the clinician's case export
//! holds everything but process notes unless asked; refusals answer as missing.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;
use serde_json::Value;

use crate::access_matrix::full_session;
use crate::demo_people::{chens, client};
use crate::support::on_both_databases;

const ALEX_WORDS: &str = "Alex-export-5e21";
const JOINT_NOTE: &str = "Joint-note-a8c0";
const PROCESS: &str = "Process-note-77b3";

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

on_both_databases! {
    async fn each_partner_gets_their_own_copy_and_the_clinician_the_whole_case(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, jordan_id) = chens(&app).await;
        let alex = client(&app, 4).await;
        let jordan = client(&app, 5).await;
        let jordan_before = jordan.get("/portal/records/download").await;
        assert_eq!(jordan_before.status, StatusCode::OK);
        assert!(jordan_before.header("content-disposition").starts_with("attachment; filename=\"sensate-my-records-"));
        assert_eq!(jordan_before.header("cache-control"), "no-store");
        assert!(!jordan_before.header("content-disposition").contains("Chen"), "the file name names no one");

        // Alex answers his intake and writes privately; Theo holds a joint session and
        // an individual one with Alex, each with a signed note, and a process note.
        alex.get("/portal/intake").await;
        alex.post("/portal/intake", &[("reason", &format!("{ALEX_WORDS} in my intake")), ("action", "save")]).await;
        let thread = format!("/portal/cases/{case}/messages");
        alex.get(&thread).await;
        alex.post(&thread, &[("to", "me"), ("text", &format!("{ALEX_WORDS} in a message"))]).await;
        let theo = full_session(&app, PEOPLE[1].email, PEOPLE[1].password, PEOPLE[1].totp_secret.unwrap()).await;
        let mut sessions = Vec::new();
        for (kind, attendees) in [("couple_with_client", vec![&alex_id, &jordan_id]), ("individual", vec![&alex_id])] {
            let new = format!("/clinic/cases/{case}/sessions/new");
            theo.get(&new).await;
            let mut form = vec![("date", "2026-11-25"), ("time", "10:00"), ("minutes", "50"), ("modality", "video"), ("session_type", kind)];
            form.extend(attendees.iter().map(|a| ("attendee", a.as_str())));
            let recorded = theo.post(&new, &form).await;
            let url = recorded.header("location").trim_end_matches("?recorded").to_owned();
            theo.get(&url).await;
            let words = if kind == "individual" { format!("{ALEX_WORDS} alone") } else { JOINT_NOTE.to_owned() };
            theo.post(&format!("{url}/note"), &[("template", "soap"), ("subjective", &words), ("action", "sign")]).await;
            sessions.push(url);
        }
        theo.get(&sessions[0]).await;
        theo.post(&format!("{}/process-note", sessions[0]), &[("text", PROCESS)]).await;
        // A PHQ-9 from paper for Alex, with item 9 at 1 (a safety alert).
        let paper = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires/paper");
        theo.get(&format!("{paper}?instrument=phq9")).await;
        let mut phq9: Vec<(String, String)> = (1..=9).map(|n| (format!("phq9_{n}"), "1".to_owned())).collect();
        phq9.push(("instrument".into(), "phq9".into()));
        let fields: Vec<(&str, &str)> = phq9.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(theo.post(&paper, &fields).await.status, StatusCode::SEE_OTHER);

        // Jordan's copy: the joint session, and nothing of Alex's.
        let jordan_after = jordan.get("/portal/records/download").await.body;
        let jordan_json = json(&jordan_after);
        let jordan_sessions = jordan_json["cases"][0]["sessions"].as_array().unwrap();
        assert_eq!(jordan_sessions.len(), 1, "the joint session only, not Alex's individual one");
        assert_eq!(jordan_sessions[0]["cpt_code"], "90847");
        assert!(!jordan_after.contains(ALEX_WORDS), "{jordan_after}");
        assert!(!jordan_after.contains(JOINT_NOTE));
        assert!(!jordan_after.contains(PROCESS));
        assert_eq!(jordan_json["cases"][0]["questionnaires"], Value::Array(Vec::new()), "Alex's PHQ-9 is his");
        let alex_copy = alex.get("/portal/records/download").await.body;
        let alex_json = json(&alex_copy);
        assert_eq!(alex_json["format"], "sensate-export/1");
        assert_eq!(alex_json["client"]["name"], "Alex Chen");
        assert!(alex_copy.contains(&format!("{ALEX_WORDS} in my intake")));
        assert!(alex_copy.contains(&format!("{ALEX_WORDS} in a message")));
        assert_eq!(alex_json["cases"][0]["sessions"].as_array().unwrap().len(), 2, "both sessions Alex attended");
        assert!(!alex_copy.contains(JOINT_NOTE), "no session notes in a client's copy");
        assert!(!alex_copy.contains(PROCESS));
        // Alex's own questionnaire answers are in his copy, without scores or bands.
        let answered = alex_json["cases"][0]["questionnaires"].as_array().unwrap();
        assert!(answered.iter().any(|q| q["questionnaire"] == "Patient Health Questionnaire-9"));
        assert!(answered.iter().all(|q| q.get("score").is_none()), "no scores in a client's copy");
        assert_eq!(answered[0]["answers"].as_array().unwrap().len(), 9);
        assert!(answered[0]["answers"][0]["question"].is_string());

        // Theo's export of the case: both intakes, every session with its note, every
        // message; process notes only when ticked.
        let export = theo.get(&format!("/clinic/cases/{case}/export")).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.header("content-disposition").starts_with("attachment; filename=\"sensate-case-record-"));
        let record = json(&export.body);
        assert_eq!(record["includes_process_notes"], false);
        assert_eq!(record["clients"].as_array().unwrap().len(), 2);
        assert!(export.body.contains(JOINT_NOTE));
        assert!(export.body.contains(&format!("{ALEX_WORDS} alone")));
        assert!(export.body.contains(&format!("{ALEX_WORDS} in a message")));
        assert!(!export.body.contains(PROCESS), "process notes are left out unless asked for");
        // Each client's questionnaires come with their scores, and their safety alerts.
        let scored = record["clients"][0]["questionnaires"].as_array().unwrap();
        assert!(!scored.is_empty());
        assert!(scored.iter().all(|q| q["score"]["instrument"].is_string() && q["entered_from_paper"].is_boolean()));
        assert_eq!(record["clients"][0]["safety_alerts"][0]["acknowledged_at"], Value::Null);
        assert!(record["clients"][0]["safety_alerts"][0]["concern"].is_string());
        let with_process = theo.get(&format!("/clinic/cases/{case}/export?process_notes=include")).await;
        assert!(with_process.body.contains(PROCESS));
        assert_eq!(json(&with_process.body)["includes_process_notes"], true);
        let exports = app
            .store
            .audit_events(&AuditQuery { action: Some("export".into()), limit: 10, ..AuditQuery::default() })
            .await
            .unwrap();
        assert_eq!(exports.len(), 5, "two copies for Jordan, one for Alex, two case exports");
        assert_eq!(
            exports.iter().filter(|row| row.event.object_type.as_str() == "case_record_with_process_notes").count(),
            1,
            "the export with process notes says so in the trail"
        );

        // Nobody else can export the case; a refusal looks like a missing case.
        let maya = full_session(&app, PEOPLE[0].email, PEOPLE[0].password, PEOPLE[0].totp_secret.unwrap()).await;
        let refused = maya.get(&format!("/clinic/cases/{case}/export")).await;
        let missing = maya.get(&format!("/clinic/cases/{}/export", uuid::Uuid::now_v7())).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, missing.body);
        assert_eq!(jordan.get(&format!("/clinic/cases/{case}/export")).await.status, StatusCode::NOT_FOUND);
    }
}
