//! Contract scenarios for therapy sessions and notes.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::consents::couple;
use crate::{Audited, NoteSave, NoteTextRecord, ProgressNoteRecord, Store, TherapySessionRecord};

const NOTE: ObjectType = ObjectType::from_static("progress_note");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn chain() -> AuditChain {
    AuditChain::new(&[11; 32])
}

fn row(chain: &AuditChain) -> Audited<'_> {
    Audited {
        chain,
        events: vec![AuditEvent::new(
            Actor::System,
            Action::Update,
            NOTE,
            Outcome::Allowed,
        )],
        at: now(),
    }
}

/// A session reads back with its attendees; a signed note is locked; addenda need a
/// signature; a process note is replaced in place.
pub async fn a_signed_note_is_locked_and_later_changes_are_addenda(store: &dyn Store) {
    let (practice, clinician, case, _) = couple(store, 1).await;
    let chain = chain();
    let joint = TherapySessionRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        case_id: case.id,
        starts_at: now(),
        minutes: 50,
        modality: "video".into(),
        session_type: "couple_with_client".into(),
        cpt_code: Some("90847".into()),
        attendees: {
            let mut both = case.clients.clone();
            both.sort();
            both
        },
        recorded_by: clinician,
    };
    let alone = TherapySessionRecord {
        id: Uuid::now_v7(),
        starts_at: now() + Duration::days(7),
        minutes: 45,
        session_type: "individual".into(),
        cpt_code: Some("90834".into()),
        attendees: vec![case.clients[0]],
        ..joint.clone()
    };
    store
        .record_session(&joint, row(&chain))
        .await
        .expect("joint");
    store
        .record_session(&alone, row(&chain))
        .await
        .expect("alone");
    assert_eq!(
        store.case_sessions(case.id).await.expect("read"),
        vec![joint.clone(), alone.clone()]
    );
    assert_eq!(
        store.therapy_session(alone.id).await.expect("read"),
        Some(alone.clone())
    );
    assert!(
        store
            .therapy_session(Uuid::now_v7())
            .await
            .expect("read")
            .is_none()
    );

    let draft = ProgressNoteRecord {
        session_id: joint.id,
        template: "soap".into(),
        body_sealed: vec![1; 80],
        written_by: clinician,
        updated_at: now(),
        signed_at: None,
    };
    let addendum = NoteTextRecord {
        id: Uuid::now_v7(),
        session_id: joint.id,
        body_sealed: vec![3; 40],
        written_by: clinician,
        written_at: now() + Duration::hours(1),
    };
    assert!(
        !store
            .sign_progress_note(joint.id, now(), row(&chain))
            .await
            .expect("no note yet")
    );
    assert_eq!(
        store
            .save_progress_note(&draft, row(&chain))
            .await
            .expect("save"),
        NoteSave::Saved
    );
    assert!(
        !store
            .add_addendum(&addendum, row(&chain))
            .await
            .expect("unsigned"),
        "addenda follow a signature"
    );
    let redraft = ProgressNoteRecord {
        template: "dap".into(),
        body_sealed: vec![2; 80],
        ..draft.clone()
    };
    assert_eq!(
        store
            .save_progress_note(&redraft, row(&chain))
            .await
            .expect("save"),
        NoteSave::Saved
    );
    assert_eq!(
        store.progress_note(joint.id).await.expect("read"),
        Some(redraft.clone())
    );
    let signed_at = now();
    assert!(
        store
            .sign_progress_note(joint.id, signed_at, row(&chain))
            .await
            .expect("sign")
    );
    assert!(
        !store
            .sign_progress_note(joint.id, now(), row(&chain))
            .await
            .expect("again")
    );
    assert_eq!(
        store
            .save_progress_note(&draft, row(&chain))
            .await
            .expect("save"),
        NoteSave::Locked
    );
    let read = store
        .progress_note(joint.id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(
        read.body_sealed, redraft.body_sealed,
        "the signed words are unchanged"
    );
    assert_eq!(read.signed_at, Some(signed_at));
    assert!(
        store
            .add_addendum(&addendum, row(&chain))
            .await
            .expect("addendum")
    );
    assert_eq!(store.addenda(joint.id).await.expect("read"), vec![addendum]);
    assert!(store.addenda(alone.id).await.expect("read").is_empty());

    let process = NoteTextRecord {
        id: alone.id,
        session_id: alone.id,
        body_sealed: vec![4; 40],
        written_by: clinician,
        written_at: now(),
    };
    store
        .save_process_note(&process, row(&chain))
        .await
        .expect("process");
    let replaced = NoteTextRecord {
        body_sealed: vec![5; 40],
        ..process.clone()
    };
    store
        .save_process_note(&replaced, row(&chain))
        .await
        .expect("process again");
    assert_eq!(
        store.process_note(alone.id).await.expect("read"),
        Some(replaced)
    );
    assert!(store.process_note(joint.id).await.expect("read").is_none());
}
