//! Contract scenarios for questionnaire assignments and responses.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::couple;
use crate::{AssignmentRecord, Audited, ResponseRecord, ResponseSave, Store};

const RESPONSE: ObjectType = ObjectType::from_static("questionnaire_response");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn row(chain: &AuditChain) -> Audited<'_> {
    Audited {
        chain,
        events: vec![AuditEvent::new(
            Actor::System,
            Action::Update,
            RESPONSE,
            Outcome::Allowed,
        )],
        at: now(),
    }
}

/// An assignment reads back and stops once; a response is saved, replaced and
/// completed, after which it never changes; each client's responses are their own.
pub async fn a_completed_response_never_changes(store: &dyn Store) {
    let (practice, clinician, case, [a, _]) = couple(store, 1).await;
    let chain = AuditChain::new(&[11; 32]);
    let (alex, jordan) = (case.clients[0], case.clients[1]);
    let start = now();
    let assignment = AssignmentRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        client_id: alex,
        instrument_sealed: vec![1; 20],
        every_weeks: Some(2),
        starts_at: start,
        open_days: 7,
        assigned_by: clinician,
        assigned_at: start,
        ended_at: None,
    };
    store
        .assign(&assignment, row(&chain))
        .await
        .expect("assign");
    assert_eq!(
        store.client_assignments(alex).await.expect("read"),
        vec![assignment.clone()]
    );
    assert!(
        store
            .client_assignments(jordan)
            .await
            .expect("read")
            .is_empty()
    );

    let draft = ResponseRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        client_id: alex,
        assignment_id: Some(assignment.id),
        round: 0,
        instrument_sealed: vec![2; 20],
        answers_sealed: vec![3; 20],
        score_sealed: None,
        entered_by: a.id,
        updated_at: start,
        completed_at: None,
    };
    assert_eq!(
        store
            .save_response(&draft, &[], row(&chain))
            .await
            .expect("save"),
        ResponseSave::Saved
    );
    let completed = ResponseRecord {
        answers_sealed: vec![4; 20],
        score_sealed: Some(vec![5; 20]),
        updated_at: start + Duration::minutes(3),
        completed_at: Some(start + Duration::minutes(3)),
        ..draft.clone()
    };
    let alert = crate::IntakeAlertRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        client_id: alex,
        concern_sealed: vec![7; 30],
        raised_at: start + Duration::minutes(3),
        acknowledged_at: None,
        acknowledged_by: None,
        action_sealed: None,
    };
    assert_eq!(
        store
            .save_response(&completed, std::slice::from_ref(&alert), row(&chain))
            .await
            .expect("complete"),
        ResponseSave::Saved
    );
    assert_eq!(
        store.client_alerts(alex).await.expect("alerts"),
        vec![alert.clone()],
        "the alert is stored with the completing answers"
    );
    let late = ResponseRecord {
        answers_sealed: vec![6; 20],
        score_sealed: None,
        completed_at: None,
        updated_at: start + Duration::minutes(9),
        ..draft.clone()
    };
    let again = crate::IntakeAlertRecord {
        id: Uuid::now_v7(),
        ..alert.clone()
    };
    assert_eq!(
        store
            .save_response(&late, std::slice::from_ref(&again), row(&chain))
            .await
            .expect("late"),
        ResponseSave::AlreadyCompleted
    );
    assert_eq!(
        store.client_alerts(alex).await.expect("alerts").len(),
        1,
        "a refused save raises nothing"
    );
    assert_eq!(
        store.response(draft.id).await.expect("read"),
        Some(completed.clone()),
        "completed answers stand"
    );
    let paper = ResponseRecord {
        id: Uuid::now_v7(),
        client_id: jordan,
        assignment_id: None,
        entered_by: clinician,
        updated_at: start + Duration::minutes(1),
        ..completed.clone()
    };
    store
        .save_response(&paper, &[], row(&chain))
        .await
        .expect("paper");
    assert_eq!(
        store.client_responses(alex).await.expect("read"),
        vec![completed]
    );
    assert_eq!(
        store.client_responses(jordan).await.expect("read"),
        vec![paper]
    );
    assert_eq!(store.response(Uuid::now_v7()).await.expect("read"), None);

    let at = start + Duration::days(30);
    assert!(
        store
            .end_assignment(assignment.id, at, row(&chain))
            .await
            .expect("end")
    );
    assert!(
        !store
            .end_assignment(assignment.id, at, row(&chain))
            .await
            .expect("again")
    );
    assert_eq!(
        store.client_assignments(alex).await.expect("read")[0].ended_at,
        Some(at)
    );
}
