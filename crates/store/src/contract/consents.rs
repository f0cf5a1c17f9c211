//! Contract scenarios for consent documents, signatures and secrets-policy agreements.

use sensate_audit::{Action, Actor, AuditChain, AuditEvent, ObjectType, Outcome};
use sensate_domain::accounts::Role;
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::{AccountId, CaseId, ClientId, Practice, PracticeId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{TEST_KEY, name};
use crate::{
    AccountRecord, Audited, CaseRecord, ClientRecord, ConsentDocumentRecord,
    ConsentSignatureRecord, PolicyConsentRecord, Store, StoreError,
};

const CONSENT: ObjectType = ObjectType::from_static("consent");

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn chain() -> AuditChain {
    AuditChain::new(&[11; 32])
}

fn audited(chain: &AuditChain, by: AccountId) -> Audited<'_> {
    Audited {
        chain,
        events: vec![
            AuditEvent::new(
                Actor::User(by.as_uuid()),
                Action::Create,
                CONSENT,
                Outcome::Allowed,
            )
            .about(Uuid::now_v7()),
        ],
        at: now(),
    }
}

pub(crate) fn account(
    practice: PracticeId,
    role: Role,
    tag: u8,
    client: Option<ClientId>,
) -> AccountRecord {
    AccountRecord {
        id: AccountId::new(),
        practice_id: Some(practice),
        role,
        email_lookup: [tag; 32],
        email_sealed: vec![tag; 60],
        name_sealed: vec![tag; 50],
        password_hash: "$argon2id$stand-in".into(),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: client,
    }
}

fn client(practice: PracticeId, tag: u8) -> ClientRecord {
    ClientRecord {
        id: ClientId::new(),
        practice_id: practice,
        name_sealed: vec![tag; 40],
        pronouns_sealed: None,
        date_of_birth_sealed: None,
        email_sealed: None,
        phone_sealed: None,
        created_at: now(),
    }
}

fn document(practice: PracticeId, version: i64, by: Option<AccountId>) -> ConsentDocumentRecord {
    ConsentDocumentRecord {
        id: Uuid::now_v7(),
        practice_id: practice,
        kind: "informed_consent".into(),
        version,
        title: format!("Consent, version {version}"),
        body: "Talk therapy only — ça va.\n\n- one\n- two".into(),
        content_hash: [u8::try_from(version).unwrap_or(0); 32],
        published_at: now() + Duration::seconds(version),
        published_by: by,
    }
}

/// A couple case in a fresh practice: the practice, the clinician, both partners' records
/// and their portal accounts.
pub(crate) async fn couple(
    store: &dyn Store,
    tag: u8,
) -> (PracticeId, AccountId, CaseRecord, [AccountRecord; 2]) {
    let chain = chain();
    store.start_audit_trail(&chain).await.expect("start");
    let practice = Practice::new(name("Harbour Street"), false);
    store
        .create_practice(&practice, &TEST_KEY)
        .await
        .expect("practice");
    let clinician = account(practice.id, Role::Clinician, tag, None);
    store.create_account(&clinician).await.expect("clinician");
    let (a, b) = (client(practice.id, 10), client(practice.id, 20));
    let case = CaseRecord {
        id: CaseId::new(),
        practice_id: practice.id,
        kind: CaseKind::Couple,
        secrets_policy: Some(SecretsPolicy::NoSecrets),
        clinician_id: clinician.id,
        clients: vec![a.id, b.id],
        opened_at: now(),
        closed_at: None,
    };
    store
        .open_case(
            &[a.clone(), b.clone()],
            &case,
            Audited {
                chain: &chain,
                events: Vec::new(),
                at: now(),
            },
        )
        .await
        .expect("case");
    let portal_a = account(practice.id, Role::Client, tag + 1, Some(a.id));
    let portal_b = account(practice.id, Role::Client, tag + 2, Some(b.id));
    store.create_account(&portal_a).await.expect("a");
    store.create_account(&portal_b).await.expect("b");
    (practice.id, clinician.id, case, [portal_a, portal_b])
}

/// Versions are numbered per practice; the newest is current; a number is used once.
pub async fn consent_versions_are_numbered_and_the_newest_is_current(store: &dyn Store) {
    let (practice, clinician, _, _) = couple(store, 1).await;
    let chain = chain();
    assert!(
        store
            .current_consent_document(practice, "informed_consent")
            .await
            .expect("read")
            .is_none()
    );
    let first = document(practice, 1, None);
    let second = document(practice, 2, Some(clinician));
    store
        .publish_consent_document(&first, audited(&chain, clinician))
        .await
        .expect("v1");
    store
        .publish_consent_document(&second, audited(&chain, clinician))
        .await
        .expect("v2");
    assert_eq!(
        store
            .current_consent_document(practice, "informed_consent")
            .await
            .expect("read"),
        Some(second.clone())
    );
    assert_eq!(
        store
            .consent_document_versions(practice, "informed_consent")
            .await
            .expect("read"),
        vec![second, first]
    );
    let again = document(practice, 2, Some(clinician));
    assert!(matches!(
        store
            .publish_consent_document(&again, audited(&chain, clinician))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    let (elsewhere, _, _, _) = couple(store, 100).await;
    assert!(
        store
            .current_consent_document(elsewhere, "informed_consent")
            .await
            .expect("read")
            .is_none(),
        "another practice has its own documents"
    );
}

/// A signature keeps the version and its hash; a client's signatures read back in order.
pub async fn a_signature_names_the_version_signed(store: &dyn Store) {
    let (practice, clinician, case, [a, b]) = couple(store, 1).await;
    let chain = chain();
    let first = document(practice, 1, None);
    let second = document(practice, 2, Some(clinician));
    for doc in [&first, &second] {
        store
            .publish_consent_document(doc, audited(&chain, clinician))
            .await
            .expect("publish");
    }
    let sign = |doc: &ConsentDocumentRecord, by: &AccountRecord, client: ClientId, at: i64| {
        ConsentSignatureRecord {
            id: Uuid::now_v7(),
            practice_id: practice,
            client_id: client,
            document_id: doc.id,
            content_hash: doc.content_hash,
            signed_name_sealed: vec![99; 44],
            signed_by: by.id,
            signed_at: now() + Duration::minutes(at),
        }
    };
    let a_first = sign(&first, &a, case.clients[0], 1);
    let a_second = sign(&second, &a, case.clients[0], 2);
    store
        .sign_consent(&a_first, audited(&chain, a.id))
        .await
        .expect("sign");
    store
        .sign_consent(&a_second, audited(&chain, a.id))
        .await
        .expect("sign");
    assert_eq!(
        store
            .consent_signatures(case.clients[0])
            .await
            .expect("read"),
        vec![a_first, a_second]
    );
    assert!(
        store
            .consent_signatures(case.clients[1])
            .await
            .expect("read")
            .is_empty(),
        "B has signed nothing; A's signatures are not B's"
    );
    drop(b);
}

/// Each partner's agreement to the policy reads back with the policy agreed to.
pub async fn secrets_policy_agreements_read_back_per_partner(store: &dyn Store) {
    let (_, _, case, [a, b]) = couple(store, 1).await;
    let chain = chain();
    assert!(
        store
            .secrets_policy_consents(case.id)
            .await
            .expect("read")
            .is_empty()
    );
    let agree = |by: &AccountRecord, client: ClientId, at: i64| PolicyConsentRecord {
        case_id: case.id,
        client_id: client,
        policy: SecretsPolicy::NoSecrets,
        signed_by: by.id,
        signed_at: now() + Duration::minutes(at),
    };
    let from_a = agree(&a, case.clients[0], 1);
    let from_b = agree(&b, case.clients[1], 2);
    store
        .consent_to_secrets_policy(&from_b, audited(&chain, b.id))
        .await
        .expect("b");
    store
        .consent_to_secrets_policy(&from_a, audited(&chain, a.id))
        .await
        .expect("a");
    assert_eq!(
        store.secrets_policy_consents(case.id).await.expect("read"),
        vec![from_a, from_b]
    );
}
