//! The demo's people and the Chens' couple case, for tests that act as them.

use sensate::demo::PEOPLE;

use crate::support::{Browser, TestApp};

/// A demo client (`PEOPLE[index]`) signed in to their portal.
pub async fn client(app: &TestApp, index: usize) -> Browser<'_> {
    let person = &PEOPLE[index];
    let browser = app.browser();
    let signed = browser
        .post(
            "/sign-in",
            &[("email", person.email), ("password", person.password)],
        )
        .await;
    assert_eq!(signed.header("location"), "/portal");
    browser
}

/// The Chens' couple case (Theo's) and Alex's and Jordan's records, as ids.
pub async fn chens(app: &TestApp) -> (String, String, String) {
    let theo = app
        .store
        .account_by_email(&app.app.vault().email_lookup(PEOPLE[1].email))
        .await
        .unwrap()
        .unwrap();
    let case = app
        .store
        .clinician_cases(theo.id)
        .await
        .unwrap()
        .into_iter()
        .find(|case| case.kind == sensate_domain::cases::CaseKind::Couple)
        .unwrap();
    (
        case.id.to_string(),
        case.clients[0].to_string(),
        case.clients[1].to_string(),
    )
}
