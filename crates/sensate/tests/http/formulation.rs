//! Concerns and diagnoses through the real router: suggestions follow the ticked
//! concerns, only ticked diagnoses are saved, and every suggested questionnaire is a
//! built-in instrument.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::on_both_databases;

#[test]
fn every_suggested_questionnaire_is_a_built_in_instrument() {
    let instruments = sensate_instruments::Catalogue::builtin().unwrap();
    let catalogue = sensate_app::Catalogue::bundled().unwrap();
    for concern in &catalogue.concerns {
        for id in &concern.questionnaires {
            assert!(instruments.get(id).is_some(), "{}: {id}", concern.id);
        }
    }
}

on_both_databases! {
    async fn suggestions_follow_concerns_and_only_ticked_diagnoses_are_saved(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = &PEOPLE[1];
        let theo = full_session(&app, theo.email, theo.password, theo.totp_secret.unwrap()).await;
        let sam = app.store.account_by_email(&app.app.vault().email_lookup(PEOPLE[3].email)).await.unwrap().unwrap().client_id.unwrap();
        let case = app.store.client_cases(sam).await.unwrap()[0].id;
        let url = format!("/clinic/cases/{case}/clients/{sam}/formulation");
        let page = theo.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Suggested for"), "nothing is suggested before a concern is ticked");

        let saved = theo.post(&url, &[("concern", "erectile_difficulties")]).await;
        assert_eq!(saved.header("location"), format!("{url}?saved"));
        let page = theo.get(&url).await;
        assert!(page.body.contains("Suggested for Erectile difficulties"));
        assert!(page.body.contains("(DSM-5: Erectile disorder)"));
        assert!(page.body.contains("IIEF15, IIEF5"));
        assert!(!page.body.contains(r#"value="F52.21" checked"#), "a suggestion is not a diagnosis");

        theo.post(&url, &[("concern", "erectile_difficulties"), ("diagnosis", "F52.21")]).await;
        assert!(theo.get(&url).await.body.contains(r#"value="F52.21" checked"#));

        let refused = theo.post(&url, &[("concern", "erectile_difficulties"), ("diagnosis", "F99.9")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("F99.9 is not one of the choices shown"));
        let page = theo.get(&url).await;
        assert!(page.body.contains(r#"value="F52.21" checked"#), "the earlier choice stands");
        assert!(!page.body.contains("F99.9"));
    }
}
