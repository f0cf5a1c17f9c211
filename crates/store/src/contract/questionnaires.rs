//! Contract scenarios for questionnaire assignments and responses.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::couple;
use crate::{
    AssignmentRecord, Audited, ChangeParametersRecord, CrisisResourcesRecord, NoticeKind,
    NoticeRecord, OutboxRecord, ResponseRecord, ResponseSave, Store,
};

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
        before_sessions: false,
        reminder_days: Some(2),
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

fn message(practice: sensate_domain::PracticeId, at: OffsetDateTime) -> OutboxRecord {
    OutboxRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        recipient_sealed: vec![8; 24],
        subject_sealed: vec![9; 24],
        body_sealed: vec![10; 24],
        created_at: at,
        delivered_at: None,
    }
}

/// Each notice about one administration is stored once, with its message; a second
/// try stores neither. Stopped assignments drop out of the notices job's list, and
/// "before each session" and the reminder read back as set.
pub async fn each_questionnaire_notice_is_sent_once(store: &dyn Store) {
    let (practice, clinician, case, _) = couple(store, 1).await;
    let chain = AuditChain::new(&[11; 32]);
    let start = now();
    let before_sessions = AssignmentRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        client_id: case.clients[0],
        instrument_sealed: vec![1; 20],
        every_weeks: None,
        before_sessions: true,
        reminder_days: Some(1),
        starts_at: start,
        open_days: 3,
        assigned_by: clinician,
        assigned_at: start,
        ended_at: None,
    };
    let once = AssignmentRecord {
        id: Uuid::now_v7(),
        before_sessions: false,
        reminder_days: None,
        assigned_at: start + Duration::seconds(1),
        ..before_sessions.clone()
    };
    for assignment in [&before_sessions, &once] {
        store.assign(assignment, row(&chain)).await.expect("assign");
    }
    let running = store.running_assignments().await.expect("running");
    assert!(running.contains(&before_sessions) && running.contains(&once));

    let notice = NoticeRecord {
        assignment_id: before_sessions.id,
        round: 1_800_000_000,
        kind: NoticeKind::Opened,
        message_id: Uuid::nil(),
        sent_at: start,
    };
    let first = message(practice, start);
    assert!(
        store
            .record_notice(
                &NoticeRecord {
                    message_id: first.id,
                    ..notice.clone()
                },
                &first,
                row(&chain)
            )
            .await
            .expect("first notice")
    );
    let second = message(practice, start);
    assert!(
        !store
            .record_notice(
                &NoticeRecord {
                    message_id: second.id,
                    ..notice.clone()
                },
                &second,
                row(&chain)
            )
            .await
            .expect("second try"),
        "the same notice is not sent twice"
    );
    let reminder = message(practice, start);
    assert!(
        store
            .record_notice(
                &NoticeRecord {
                    kind: NoticeKind::Reminder,
                    message_id: reminder.id,
                    ..notice.clone()
                },
                &reminder,
                row(&chain)
            )
            .await
            .expect("reminder"),
        "a reminder is a different notice"
    );
    let outbox: Vec<Uuid> = store
        .outbox(practice, 50)
        .await
        .expect("outbox")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(outbox.contains(&first.id) && outbox.contains(&reminder.id));
    assert!(
        !outbox.contains(&second.id),
        "a notice already sent leaves no message behind"
    );

    assert!(
        store
            .end_assignment(once.id, start, row(&chain))
            .await
            .expect("stop")
    );
    let running = store.running_assignments().await.expect("running");
    assert!(running.contains(&before_sessions) && !running.iter().any(|a| a.id == once.id));
}

/// A practice's crisis resources and change parameters read back, replace and clear,
/// and stay the practice's own.
pub async fn care_settings_belong_to_their_practice(store: &dyn Store) {
    let (practice, owner, _, _) = couple(store, 1).await;
    let other = sensate_domain::Practice::new(super::name("Quay Lane"), false);
    store
        .create_practice(&other, &super::TEST_KEY)
        .await
        .expect("other practice");
    let other = other.id;
    let chain = AuditChain::new(&[11; 32]);
    let at = now();
    assert_eq!(store.crisis_resources(practice).await.expect("none"), None);
    let text = CrisisResourcesRecord {
        practice_id: practice,
        text: "Call 988 at any hour.".into(),
        updated_by: owner,
        updated_at: at,
    };
    store
        .set_crisis_resources(&text, row(&chain))
        .await
        .expect("set");
    let replaced = CrisisResourcesRecord {
        text: "Call or text 988, day or night.".into(),
        updated_at: at + Duration::minutes(1),
        ..text.clone()
    };
    store
        .set_crisis_resources(&replaced, row(&chain))
        .await
        .expect("replace");
    assert_eq!(
        store.crisis_resources(practice).await.expect("read"),
        Some(replaced)
    );
    assert_eq!(store.crisis_resources(other).await.expect("other"), None);

    let parameters = ChangeParametersRecord {
        practice_id: practice,
        instrument_id: "asex".into(),
        score: "total".into(),
        reliability: None,
        sd: Some("4.75".into()),
        source: "Our clinic's intake sample, 2025 (n = 212)".into(),
        updated_by: owner,
        updated_at: at,
    };
    store
        .set_change_parameters(&parameters, row(&chain))
        .await
        .expect("set");
    let newer = ChangeParametersRecord {
        reliability: Some("0.801".into()),
        updated_at: at + Duration::minutes(2),
        ..parameters.clone()
    };
    store
        .set_change_parameters(&newer, row(&chain))
        .await
        .expect("replace");
    assert_eq!(
        store.change_parameters(practice).await.expect("read"),
        vec![newer]
    );
    assert!(
        store
            .change_parameters(other)
            .await
            .expect("other")
            .is_empty()
    );
    assert!(
        store
            .clear_change_parameters(practice, "asex", "total", row(&chain))
            .await
            .expect("clear")
    );
    assert!(
        !store
            .clear_change_parameters(practice, "asex", "total", row(&chain))
            .await
            .expect("again")
    );
    assert!(
        store
            .change_parameters(practice)
            .await
            .expect("read")
            .is_empty()
    );
}
