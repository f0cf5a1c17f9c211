//! Contract scenarios for clients and cases.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use sensate_domain::accounts::Role;
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::{AccountId, CaseId, ClientId, Practice, PracticeId};
use time::{Duration, OffsetDateTime};

use super::{TEST_KEY, name};
use crate::{AccountRecord, AuditQuery, Audited, CaseRecord, ClientRecord, Store};

const CASE: ObjectType = ObjectType::from_static("case");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn chain() -> AuditChain {
    AuditChain::new(&[9; 32])
}

fn client(practice: PracticeId, tag: u8) -> ClientRecord {
    ClientRecord {
        id: ClientId::new(),
        practice_id: practice,
        name_sealed: vec![tag; 40],
        pronouns_sealed: Some(vec![tag; 30]),
        date_of_birth_sealed: None,
        email_sealed: Some(vec![tag.wrapping_add(1); 50]),
        phone_sealed: None,
        created_at: now(),
    }
}

async fn practice_with_clinician(store: &dyn Store, tag: u8) -> (PracticeId, AccountId) {
    let practice = Practice::new(name("Harbour Street"), false);
    store
        .create_practice(&practice, &TEST_KEY)
        .await
        .expect("practice");
    let clinician = AccountRecord {
        id: AccountId::new(),
        practice_id: Some(practice.id),
        role: Role::Clinician,
        email_lookup: [tag; 32],
        email_sealed: vec![tag; 60],
        name_sealed: vec![tag; 50],
        password_hash: "$argon2id$stand-in".into(),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: None,
    };
    store.create_account(&clinician).await.expect("clinician");
    (practice.id, clinician.id)
}

fn audited<'a>(
    chain: &'a AuditChain,
    by: AccountId,
    practice: PracticeId,
    objects: &[uuid::Uuid],
) -> Audited<'a> {
    Audited {
        chain,
        events: objects
            .iter()
            .map(|object| {
                AuditEvent::new(
                    Actor::User(by.as_uuid()),
                    Action::Create,
                    CASE,
                    Outcome::Allowed,
                )
                .in_practice(practice.as_uuid())
                .about(*object)
            })
            .collect(),
        at: now(),
    }
}

async fn audit_rows(store: &dyn Store, practice: PracticeId) -> usize {
    store
        .audit_events(&AuditQuery {
            practice_id: Some(practice.as_uuid()),
            limit: 500,
            ..AuditQuery::default()
        })
        .await
        .expect("audit rows")
        .len()
}

/// A couple case keeps both partners as separate records, in the order listed, and
/// commits its audit rows with it.
pub async fn a_couple_case_reads_back_with_both_partners_in_order(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let (practice, clinician) = practice_with_clinician(store, 1).await;
    let (a, b) = (client(practice, 10), client(practice, 20));
    let case = CaseRecord {
        id: CaseId::new(),
        practice_id: practice,
        kind: CaseKind::Couple,
        secrets_policy: Some(SecretsPolicy::LimitedSecrets),
        clinician_id: clinician,
        clients: vec![b.id, a.id],
        opened_at: now(),
        closed_at: None,
    };
    let objects = [case.id.as_uuid(), a.id.as_uuid(), b.id.as_uuid()];
    store
        .open_case(
            &[a.clone(), b.clone()],
            &case,
            audited(&chain, clinician, practice, &objects),
        )
        .await
        .expect("open");
    assert_eq!(store.case(case.id).await.expect("read"), Some(case.clone()));
    assert_eq!(store.client(a.id).await.expect("read"), Some(a.clone()));
    assert_eq!(
        store.practice_cases(practice).await.expect("list"),
        vec![case.clone()]
    );
    assert_eq!(
        store.client_cases(b.id).await.expect("list"),
        vec![case.clone()]
    );
    let clients = store.practice_clients(practice).await.expect("clients");
    assert_eq!(clients.len(), 2);
    assert!(clients.contains(&a) && clients.contains(&b));
    assert_eq!(
        audit_rows(store, practice).await,
        3,
        "one row per record written"
    );
    assert!(store.case(CaseId::new()).await.expect("read").is_none());
    assert!(store.client(ClientId::new()).await.expect("read").is_none());

    // A's portal account belongs to A's record; B has none yet.
    let portal = AccountRecord {
        id: AccountId::new(),
        practice_id: Some(practice),
        role: Role::Client,
        email_lookup: [77; 32],
        email_sealed: vec![77; 60],
        name_sealed: vec![77; 50],
        password_hash: "$argon2id$stand-in".into(),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: Some(a.id),
    };
    store.create_account(&portal).await.expect("portal account");
    assert_eq!(
        store.account_for_client(a.id).await.expect("read"),
        Some(portal.clone())
    );
    assert_eq!(store.account_for_client(b.id).await.expect("read"), None);
    let second = AccountRecord {
        id: AccountId::new(),
        email_lookup: [78; 32],
        ..portal
    };
    assert!(
        store.create_account(&second).await.is_err(),
        "one portal account per record"
    );
}

/// A client can be in an individual case and a couple case at once; each practice sees
/// only its own.
pub async fn a_client_in_two_cases_is_listed_in_both(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let (practice, clinician) = practice_with_clinician(store, 2).await;
    let (other_practice, _) = practice_with_clinician(store, 3).await;
    let (a, b) = (client(practice, 10), client(practice, 20));
    let alone = CaseRecord {
        id: CaseId::new(),
        practice_id: practice,
        kind: CaseKind::Individual,
        secrets_policy: None,
        clinician_id: clinician,
        clients: vec![a.id],
        opened_at: now(),
        closed_at: None,
    };
    store
        .open_case(
            std::slice::from_ref(&a),
            &alone,
            audited(&chain, clinician, practice, &[alone.id.as_uuid()]),
        )
        .await
        .expect("individual");
    let together = CaseRecord {
        id: CaseId::new(),
        kind: CaseKind::Couple,
        secrets_policy: Some(SecretsPolicy::Accommodation),
        clients: vec![a.id, b.id],
        opened_at: now() + Duration::seconds(1),
        ..alone.clone()
    };
    store
        .open_case(
            std::slice::from_ref(&b),
            &together,
            audited(&chain, clinician, practice, &[together.id.as_uuid()]),
        )
        .await
        .expect("couple");
    assert_eq!(
        store.client_cases(a.id).await.expect("list"),
        vec![alone.clone(), together.clone()]
    );
    assert_eq!(
        store.client_cases(b.id).await.expect("list"),
        vec![together.clone()]
    );
    assert_eq!(store.practice_cases(practice).await.expect("list").len(), 2);
    assert!(
        store
            .practice_cases(other_practice)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .practice_clients(other_practice)
            .await
            .expect("list")
            .is_empty()
    );
}

/// A case that cannot be stored leaves nothing behind: no client, no case, no audit row.
pub async fn a_case_that_fails_to_store_leaves_nothing(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let (practice, clinician) = practice_with_clinician(store, 4).await;
    let a = client(practice, 10);
    let never_stored = ClientId::new();
    let case = CaseRecord {
        id: CaseId::new(),
        practice_id: practice,
        kind: CaseKind::Couple,
        secrets_policy: Some(SecretsPolicy::NoSecrets),
        clinician_id: clinician,
        clients: vec![a.id, never_stored],
        opened_at: now(),
        closed_at: None,
    };
    let result = store
        .open_case(
            std::slice::from_ref(&a),
            &case,
            audited(&chain, clinician, practice, &[case.id.as_uuid()]),
        )
        .await;
    assert!(
        result.is_err(),
        "a case naming an unknown client is refused"
    );
    assert!(store.client(a.id).await.expect("read").is_none());
    assert!(store.case(case.id).await.expect("read").is_none());
    assert_eq!(audit_rows(store, practice).await, 0);
}

/// Closing, reopening and transferring change only the case, each with its audit row;
/// a missing case changes nothing and records nothing.
pub async fn a_case_is_closed_reopened_and_transferred(store: &dyn Store) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let (practice, clinician) = practice_with_clinician(store, 5).await;
    let colleague = AccountRecord {
        id: AccountId::new(),
        practice_id: Some(practice),
        role: Role::Clinician,
        email_lookup: [55; 32],
        email_sealed: vec![55; 60],
        name_sealed: vec![55; 50],
        password_hash: "$argon2id$stand-in".into(),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: None,
    };
    store.create_account(&colleague).await.expect("colleague");
    let a = client(practice, 10);
    let case = CaseRecord {
        id: CaseId::new(),
        practice_id: practice,
        kind: CaseKind::Individual,
        secrets_policy: None,
        clinician_id: clinician,
        clients: vec![a.id],
        opened_at: now(),
        closed_at: None,
    };
    store
        .open_case(
            &[a],
            &case,
            audited(&chain, clinician, practice, &[case.id.as_uuid()]),
        )
        .await
        .expect("open");
    let closed_at = now() + Duration::days(30);
    let one = |object: CaseId| audited(&chain, clinician, practice, &[object.as_uuid()]);
    assert!(
        store
            .set_case_closed(case.id, Some(closed_at), one(case.id))
            .await
            .expect("close")
    );
    let read = store.case(case.id).await.expect("read").expect("present");
    assert_eq!(read.closed_at, Some(closed_at));
    assert!(
        store
            .set_case_closed(case.id, None, one(case.id))
            .await
            .expect("reopen")
    );
    assert_eq!(
        store
            .case(case.id)
            .await
            .expect("read")
            .expect("present")
            .closed_at,
        None
    );
    assert!(
        store
            .transfer_case(case.id, colleague.id, one(case.id))
            .await
            .expect("transfer")
    );
    let read = store.case(case.id).await.expect("read").expect("present");
    assert_eq!(read.clinician_id, colleague.id);
    assert_eq!(audit_rows(store, practice).await, 4);
    assert!(
        store
            .clinician_cases(clinician)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(store.caseload(clinician).await.expect("list").is_empty());
    assert_eq!(
        store.clinician_cases(colleague.id).await.expect("list"),
        vec![read]
    );
    assert_eq!(
        store.caseload(colleague.id).await.expect("list")[0].1.len(),
        1
    );
    let missing = CaseId::new();
    assert!(
        !store
            .set_case_closed(missing, Some(closed_at), one(missing))
            .await
            .expect("close")
    );
    assert!(
        !store
            .transfer_case(missing, colleague.id, one(missing))
            .await
            .expect("transfer")
    );
    assert_eq!(
        audit_rows(store, practice).await,
        4,
        "nothing recorded for a missing case"
    );
}
