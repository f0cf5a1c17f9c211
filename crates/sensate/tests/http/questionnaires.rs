//! Questionnaires through the real router: the clinician assigns; the client answers in
//! the portal (saving, resuming, sending); a critical answer alerts the clinician at
//! once while the client sees only support; results are scored, banded and charted with
//! reliable change after a second administration; answers from paper; a partner sees
//! nothing of the other's questionnaires.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;
use sensate_store::AuditQuery;

use crate::access_matrix::full_session;
use crate::demo_people::{chens, client};
use crate::support::on_both_databases;

/// The first questionnaire link on a portal page.
fn sheet_link(portal: &str) -> String {
    let start = portal
        .find("/portal/questionnaires/")
        .expect("a questionnaire is waiting");
    portal[start..start + "/portal/questionnaires/".len() + 36].to_owned()
}

/// PHQ-9 answers: every item `rest`, item 9 `nine`.
fn phq9(rest: &str, nine: &str) -> Vec<(String, String)> {
    (1..=9)
        .map(|n| {
            (
                format!("phq9_{n}"),
                if n == 9 { nine } else { rest }.to_owned(),
            )
        })
        .collect()
}

fn form<'a>(answers: &'a [(String, String)], action: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("action", action));
    fields
}

on_both_databases! {
    async fn a_client_answers_a_critical_item_and_the_clinician_is_alerted_and_sees_progress(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let (case, alex_id, jordan_id) = chens(&app).await;
        let theo = full_session(&app, PEOPLE[1].email, PEOPLE[1].password, PEOPLE[1].totp_secret.unwrap()).await;
        let page = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires");
        assert!(theo.get(&page).await.body.contains("No answers yet."));
        let refused = theo.post(&page, &[("instrument", "phq10"), ("every_weeks", "0")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Choose a questionnaire from the list"));
        assert!(refused.body.contains("Repeat every 1 to 52 weeks, or choose another schedule"));
        theo.get(&page).await;
        let assigned = theo.post(&page, &[("instrument", "phq9"), ("every_weeks", "1"), ("open_days", "5")]).await;
        assert_eq!(assigned.header("location"), format!("{page}?assigned"));
        let listed = theo.get(&page).await.body;
        assert!(listed.contains("Every week, each open for 5 days"));

        // Alex sees it waiting, saves one answer, comes back to it, and cannot send it
        // half done.
        let alex = client(&app, 4).await;
        let portal = alex.get("/portal").await.body;
        assert!(portal.contains("Answer the Patient Health Questionnaire-9"));
        let sheet = sheet_link(&portal);
        let blank = alex.get(&sheet).await.body;
        assert!(blank.contains("Each question below is a short summary in plain words."));
        assert!(blank.contains("data-stepper"));
        let one = vec![("phq9_1".to_owned(), "2".to_owned())];
        let saved = alex.post(&sheet, &form(&one, "save")).await;
        assert_eq!(saved.header("location"), format!("{sheet}?saved"));
        assert!(alex.get("/portal").await.body.contains("Finish the Patient Health Questionnaire-9"));
        let resumed = alex.get(&sheet).await.body;
        assert!(resumed.contains(r#"name="phq9_1" value="2" checked"#), "the saved answer is there");
        let half = alex.post(&sheet, &form(&one, "send")).await;
        assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(half.body.contains("Question 2: please choose an answer"));
        alex.get(&sheet).await;
        let out_of_range = alex.post(&sheet, &form(&phq9("2", "4"), "send")).await;
        assert!(out_of_range.body.contains("Question 9: choose one of the answers shown (0-3)"));

        // Sent with item 9 at 1: support for Alex, never a score or a label.
        alex.get(&sheet).await;
        let sent = alex.post(&sheet, &form(&phq9("2", "1"), "send")).await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.body.contains("Your answers are sent to your therapist"));
        assert!(sent.body.contains("you do not have to wait for your next session"));
        // Read the page's content only: the header's random form token may hold "17".
        let shown = &sent.body[sent.body.find("<main").unwrap()..sent.body.find("</main>").unwrap()];
        for label in ["17", "moderately severe", "risk", "suicid"] {
            assert!(!shown.contains(label), "the client is not shown {label}");
        }
        assert!(!alex.get("/portal").await.body.contains("Patient Health Questionnaire-9"), "done");
        assert!(alex.get(&sheet).await.body.contains("already sent your answers"));

        // Jordan: nothing of Alex's questionnaire, not even its address.
        let jordan = client(&app, 5).await;
        assert!(!jordan.get("/portal").await.body.contains("Questionnaire"));
        assert_eq!(jordan.get(&sheet).await.status, StatusCode::NOT_FOUND);

        // Theo is alerted at once; the alert leads to the results.
        let caseload = theo.get("/clinic").await.body;
        assert!(caseload.contains("Alex Chen answered the questionnaire item about thoughts of self-harm"));
        assert!(caseload.contains(&page));
        let results = theo.get(&page).await.body;
        assert!(results.contains("moderately severe"));
        assert!(results.contains("<dd>17</dd>"));
        assert!(results.contains("suicidal_ideation"));
        assert!(results.contains("Kroenke"), "the source is cited");
        let alert_start = results.find("/alerts/").unwrap();
        let ack = &results[results[..alert_start].rfind('"').unwrap() + 1..];
        let ack = ack[..ack.find('"').unwrap()].to_owned();
        let seen = theo.post(&ack, &[("action", "Phoned Alex within the hour; safety plan agreed."), ("back", "questionnaires")]).await;
        assert_eq!(seen.header("location"), format!("{page}?seen"));
        assert!(!theo.get("/clinic").await.body.contains("thoughts of self-harm"));
        assert!(theo.get(&page).await.body.contains("Phoned Alex within the hour"));

        // The response leaves as FHIR R4, naming Alex by his id only.
        let fhir_start = results.find("/fhir\"").unwrap();
        let fhir_link = &results[results[..fhir_start].rfind('"').unwrap() + 1..fhir_start + "/fhir".len()];
        let fhir = theo.get(fhir_link).await;
        assert_eq!(fhir.status, StatusCode::OK);
        assert_eq!(fhir.header("content-type"), "application/fhir+json");
        let bundle: serde_json::Value = serde_json::from_str(&fhir.body).unwrap();
        assert_eq!(bundle["resourceType"], "Bundle");
        assert_eq!(bundle["type"], "collection");
        assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "QuestionnaireResponse");
        assert_eq!(bundle["entry"][0]["resource"]["subject"]["reference"], format!("Patient/{alex_id}"));
        assert!(!fhir.body.contains("Alex"), "no name leaves in the export");
        let jordan_fhir = format!("/clinic/cases/{case}/clients/{jordan_id}/questionnaires/{}/fhir", &fhir_link[fhir_link.len() - 41..fhir_link.len() - 5]);
        assert_eq!(theo.get(&jordan_fhir).await.status, StatusCode::NOT_FOUND, "Alex's response is not Jordan's");

        // A week later the second administration opens; better answers, then a chart
        // and reliable change.
        app.clock.advance(time::Duration::days(8));
        // Both have signed in again since (sessions end when idle).
        let alex = client(&app, 4).await;
        let theo = full_session(&app, PEOPLE[1].email, PEOPLE[1].password, PEOPLE[1].totp_secret.unwrap()).await;
        let portal = alex.get("/portal").await.body;
        let second = sheet_link(&portal);
        assert_eq!(second, sheet, "the same assignment, its next round");
        alex.get(&second).await;
        let sent = alex.post(&second, &form(&phq9("0", "0"), "send")).await;
        assert!(!sent.body.contains("you do not have to wait"), "no support message without a critical answer");
        let results = theo.get(&page).await.body;
        assert!(results.contains("<svg"), "a progress chart");
        assert!(results.contains("<caption>Scores over time</caption>"));
        assert!(results.contains("Reliable change."));
        assert!(results.contains("Recovered: a fall of 17 points, from 17 to 0"), "{results}");
        assert!(results.contains("published reliable-change threshold of 6 points"), "the method is named");

        // From paper, for Jordan, with one question left blank.
        let jordan_page = format!("/clinic/cases/{case}/clients/{jordan_id}/questionnaires");
        let paper = format!("{jordan_page}/paper");
        let sheet = theo.get(&format!("{paper}?instrument=phq9")).await;
        assert_eq!(sheet.status, StatusCode::OK);
        let mut answers = phq9("1", "0");
        answers[3].1 = String::new();
        let mut fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        fields.push(("instrument", "phq9"));
        let entered = theo.post(&paper, &fields).await;
        assert_eq!(entered.header("location"), format!("{jordan_page}?entered"));
        let jordan_results = theo.get(&jordan_page).await.body;
        assert!(jordan_results.contains("(entered from paper)"));
        assert!(!jordan_results.contains("Phoned Alex"), "each partner's results are their own");

        // A closed case asks nothing more: the weekly PHQ-9 stops reaching Alex.
        app.clock.advance(time::Duration::days(7));
        let alex = client(&app, 4).await;
        let theo = full_session(&app, PEOPLE[1].email, PEOPLE[1].password, PEOPLE[1].totp_secret.unwrap()).await;
        assert!(alex.get("/portal").await.body.contains("Answer the Patient Health Questionnaire-9"));
        theo.get(&format!("/clinic/cases/{case}")).await;
        theo.post(&format!("/clinic/cases/{case}/close"), &[]).await;
        assert!(!alex.get("/portal").await.body.contains("Patient Health Questionnaire-9"));
        assert_eq!(alex.get(&second).await.status, StatusCode::NOT_FOUND);

        let writes = app
            .store
            .audit_events(&AuditQuery { action: Some("update".into()), limit: 1000, ..AuditQuery::default() })
            .await
            .unwrap()
            .iter()
            .filter(|row| row.event.object_type.as_str() == "questionnaire_response")
            .count();
        assert_eq!(writes, 4, "a draft, two sends and a paper entry, each audited");
    }
}

on_both_databases! {
    async fn the_owner_imports_wording_that_matches_the_scoring_and_clients_read_it(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let maya = full_session(&app, PEOPLE[0].email, PEOPLE[0].password, PEOPLE[0].totp_secret.unwrap()).await;
        let page = maya.get("/admin/instruments").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Patient Health Questionnaire-9"));
        assert!(page.body.contains("Our short summaries"));

        let phq9 = sensate_app::instruments().unwrap().get("phq9").unwrap();
        let mut questionnaire = sensate_instruments::fhir::questionnaire_template(phq9);
        questionnaire["item"][2]["text"] = serde_json::Value::from("Wording-from-the-licence-3c9");
        // One question missing: refused, naming the difference, nothing stored.
        let mut short = questionnaire.clone();
        short["item"].as_array_mut().unwrap().pop();
        let refused = maya.post("/admin/instruments", &[("questionnaire", &short.to_string())]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Nothing was imported:"), "{}", refused.body);
        assert!(refused.body.contains("Our short summaries"));
        maya.get("/admin/instruments").await;
        let empty = maya.post("/admin/instruments", &[("questionnaire", " ")]).await;
        assert!(empty.body.contains("Choose the questionnaire&#39;s FHIR JSON file"));

        maya.get("/admin/instruments").await;
        let imported = maya.post("/admin/instruments", &[("questionnaire", &questionnaire.to_string())]).await;
        assert_eq!(imported.header("location"), "/admin/instruments?imported=phq9");
        assert!(maya.get("/admin/instruments?imported=phq9").await.body.contains("Validated wording imported"));

        // The client now reads the imported wording.
        let (case, alex_id, _) = chens(&app).await;
        let theo = full_session(&app, PEOPLE[1].email, PEOPLE[1].password, PEOPLE[1].totp_secret.unwrap()).await;
        let assign = format!("/clinic/cases/{case}/clients/{alex_id}/questionnaires");
        theo.get(&assign).await;
        theo.post(&assign, &[("instrument", "phq9")]).await;
        assert!(!theo.get(&assign).await.body.contains("The client reads Sensate&#39;s short summaries"));
        let alex = client(&app, 4).await;
        let sheet = alex.get(&sheet_link(&alex.get("/portal").await.body)).await.body;
        assert!(sheet.contains("Wording-from-the-licence-3c9"));
        assert!(!sheet.contains("short summary in plain words"));

        // A clinician cannot import.
        assert_eq!(theo.get("/admin/instruments").await.status, StatusCode::NOT_FOUND);

        // On an installation shared by practices, the operator imports, not an owner.
        let other = sensate_domain::Practice::new(sensate_domain::PracticeName::parse("Elsewhere Counselling").unwrap(), false);
        app.app.create_practice(&other).await.unwrap();
        maya.get("/admin/instruments").await;
        let shared = maya.post("/admin/instruments", &[("questionnaire", &questionnaire.to_string())]).await;
        assert_eq!(shared.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(shared.body.contains("serves several practices"));
    }
}
