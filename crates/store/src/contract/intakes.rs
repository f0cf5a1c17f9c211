//! Contract scenarios for intake answers, submissions and alerts.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::couple;
use crate::{AuditQuery, Audited, IntakeAlertRecord, IntakeEntryRecord, Store};

const INTAKE: ObjectType = ObjectType::from_static("intake");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn chain() -> AuditChain {
    AuditChain::new(&[11; 32])
}

fn one_row(chain: &AuditChain, by: Uuid) -> Audited<'_> {
    Audited {
        chain,
        events: vec![
            AuditEvent::new(Actor::User(by), Action::Update, INTAKE, Outcome::Allowed).about(by),
        ],
        at: now(),
    }
}

/// Every save is kept, in order, with its author; one partner's entries are not the
/// other's.
pub async fn intake_entries_keep_every_change_with_its_author(store: &dyn Store) {
    let (practice, clinician, case, [a, _]) = couple(store, 1).await;
    let chain = chain();
    let (alex, jordan) = (case.clients[0], case.clients[1]);
    let entry = |author, answer: Option<Vec<u8>>, minutes| IntakeEntryRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        client_id: alex,
        question_id: "reason".into(),
        answer_sealed: answer,
        author_id: author,
        written_at: now() + Duration::minutes(minutes),
    };
    let first = entry(a.id, Some(vec![1; 40]), 1);
    let cleared = entry(a.id, None, 2);
    let amended = entry(clinician, Some(vec![2; 40]), 3);
    store
        .record_intake(
            &[first.clone(), cleared.clone()],
            &[],
            one_row(&chain, a.id.as_uuid()),
        )
        .await
        .expect("save");
    store
        .record_intake(
            std::slice::from_ref(&amended),
            &[],
            one_row(&chain, clinician.as_uuid()),
        )
        .await
        .expect("amend");
    assert_eq!(
        store.intake_entries(alex).await.expect("read"),
        vec![first, cleared, amended]
    );
    assert!(store.intake_entries(jordan).await.expect("read").is_empty());
    let rows = store
        .audit_events(&AuditQuery {
            practice_id: None,
            limit: 500,
            ..AuditQuery::default()
        })
        .await
        .expect("audit")
        .into_iter()
        .filter(|row| row.event.object_type == INTAKE)
        .count();
    assert_eq!(rows, 2, "one audit row per save");
}

/// Sending keeps the first time; an alert is acknowledged once.
pub async fn an_intake_is_sent_once_and_an_alert_is_seen_once(store: &dyn Store) {
    let (practice, clinician, case, [a, _]) = couple(store, 1).await;
    let chain = chain();
    let alex = case.clients[0];
    assert_eq!(store.intake_submitted_at(alex).await.expect("read"), None);
    let sent = now();
    store
        .submit_intake(alex, sent, one_row(&chain, a.id.as_uuid()))
        .await
        .expect("send");
    store
        .submit_intake(
            alex,
            sent + Duration::hours(1),
            one_row(&chain, a.id.as_uuid()),
        )
        .await
        .expect("again");
    assert_eq!(
        store.intake_submitted_at(alex).await.expect("read"),
        Some(sent)
    );

    let alert = IntakeAlertRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        client_id: alex,
        concern_sealed: vec![5; 40],
        raised_at: now(),
        acknowledged_at: None,
        acknowledged_by: None,
        action_sealed: None,
    };
    store
        .record_intake(
            &[],
            std::slice::from_ref(&alert),
            one_row(&chain, a.id.as_uuid()),
        )
        .await
        .expect("raise");
    assert_eq!(
        store.client_alerts(alex).await.expect("read"),
        vec![alert.clone()]
    );
    assert!(
        store
            .client_alerts(case.clients[1])
            .await
            .expect("read")
            .is_empty()
    );
    let seen = now();
    assert!(
        store
            .acknowledge_alert(
                alert.id,
                clinician,
                seen,
                &[6; 30],
                one_row(&chain, clinician.as_uuid())
            )
            .await
            .expect("ack")
    );
    assert!(
        !store
            .acknowledge_alert(
                alert.id,
                clinician,
                seen,
                &[6; 30],
                one_row(&chain, clinician.as_uuid())
            )
            .await
            .expect("again")
    );
    assert!(
        !store
            .acknowledge_alert(
                Uuid::now_v7(),
                clinician,
                seen,
                &[6; 30],
                one_row(&chain, clinician.as_uuid())
            )
            .await
            .expect("missing")
    );
    assert!(
        store.open_alerts(practice).await.expect("read").is_empty(),
        "seen"
    );
    let read = store.client_alerts(alex).await.expect("read");
    assert_eq!(read[0].acknowledged_at, Some(seen));
    assert_eq!(read[0].acknowledged_by, Some(clinician));
    assert_eq!(
        read[0].action_sealed.as_deref(),
        Some(&[6; 30][..]),
        "what was done is kept with it, once"
    );
}

/// A formulation is saved, replaced and read back per client.
pub async fn a_formulation_is_replaced_per_client(store: &dyn Store) {
    let (practice, clinician, case, _) = couple(store, 1).await;
    let chain = chain();
    let (alex, jordan) = (case.clients[0], case.clients[1]);
    assert!(store.formulation(alex).await.expect("read").is_none());
    let first = crate::FormulationRecord {
        client_id: alex,
        practice_id: practice,
        concerns_sealed: vec![1; 40],
        diagnoses_sealed: vec![2; 40],
        updated_by: clinician,
        updated_at: now(),
    };
    store
        .save_formulation(&first, one_row(&chain, clinician.as_uuid()))
        .await
        .expect("save");
    let second = crate::FormulationRecord {
        diagnoses_sealed: vec![3; 40],
        updated_at: now() + Duration::minutes(5),
        ..first.clone()
    };
    store
        .save_formulation(&second, one_row(&chain, clinician.as_uuid()))
        .await
        .expect("replace");
    assert_eq!(store.formulation(alex).await.expect("read"), Some(second));
    assert!(store.formulation(jordan).await.expect("read").is_none());
}

/// Plan revisions are numbered once per case and read back in order; an
/// acknowledgement is kept once.
pub async fn plan_revisions_are_numbered_and_acknowledged_once(store: &dyn Store) {
    let (practice, clinician, case, [a, _]) = couple(store, 1).await;
    let chain = chain();
    let revision = |number: i64, reason: Option<Vec<u8>>| crate::PlanRevisionRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        number,
        content_sealed: vec![u8::try_from(number).unwrap_or(0); 60],
        reason_sealed: reason,
        written_by: clinician,
        written_at: now() + Duration::minutes(number),
    };
    let first = revision(1, None);
    let second = revision(2, Some(vec![9; 30]));
    store
        .add_plan_revision(&first, one_row(&chain, clinician.as_uuid()))
        .await
        .expect("first");
    store
        .add_plan_revision(&second, one_row(&chain, clinician.as_uuid()))
        .await
        .expect("second");
    assert!(matches!(
        store
            .add_plan_revision(&revision(2, None), one_row(&chain, clinician.as_uuid()))
            .await,
        Err(crate::StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.plan_revisions(case.id).await.expect("read"),
        vec![first, second.clone()]
    );
    let ack = crate::PlanAcknowledgementRecord {
        revision_id: second.id,
        client_id: case.clients[0],
        acknowledged_by: a.id,
        acknowledged_at: now(),
    };
    store
        .acknowledge_plan(&ack, one_row(&chain, a.id.as_uuid()))
        .await
        .expect("ack");
    let later = crate::PlanAcknowledgementRecord {
        acknowledged_at: now() + Duration::hours(1),
        ..ack.clone()
    };
    store
        .acknowledge_plan(&later, one_row(&chain, a.id.as_uuid()))
        .await
        .expect("again");
    assert_eq!(
        store.plan_acknowledgements(second.id).await.expect("read"),
        vec![ack]
    );
}
