//! Contract scenarios for keys, accounts, sessions and sign-in throttling.

use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, Practice, PracticeId};
use time::{Duration, OffsetDateTime};

use super::{TEST_KEY, name};
use crate::{
    AccountRecord, Failures, KeyOwner, Rewrap, SessionRecord, Store, StoreError, TotpEnrolment,
};

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

/// An account record with recognisable stand-in bytes (the store never looks inside).
fn account(practice: Option<PracticeId>, role: Role, tag: u8) -> AccountRecord {
    AccountRecord {
        id: AccountId::new(),
        practice_id: practice,
        role,
        email_lookup: [tag; 32],
        email_sealed: vec![tag; 60],
        name_sealed: vec![tag.wrapping_add(1); 50],
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$stand-in-{tag}"),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: None,
    }
}

async fn practice_with_owner(store: &dyn Store) -> (Practice, AccountRecord) {
    let practice = Practice::new(name("Harbour Street"), false);
    let owner = account(Some(practice.id), Role::Owner, 1);
    store
        .set_up_practice(&practice, &TEST_KEY, &owner)
        .await
        .expect("set up");
    (practice, owner)
}

fn session(account: AccountId, tag: u8, at: OffsetDateTime) -> SessionRecord {
    SessionRecord {
        token_digest: [tag; 32],
        account_id: account,
        created_at: at,
        last_seen_at: at,
        second_factor_at: None,
    }
}

async fn exists(store: &dyn Store, digest: &[u8; 32]) -> bool {
    store.session(digest).await.expect("read session").is_some()
}

/// Two processes starting at once both end up with the first one's key.
pub async fn the_installation_key_is_made_once(store: &dyn Store) {
    assert_eq!(store.installation_key().await.expect("read"), None);
    let first = store
        .create_installation_key(&[1; 81], now())
        .await
        .expect("create");
    let second = store
        .create_installation_key(&[2; 81], now())
        .await
        .expect("create again");
    assert_eq!(first, vec![1; 81]);
    assert_eq!(second, vec![1; 81], "the first key is kept");
    assert_eq!(
        store.installation_key().await.expect("read"),
        Some(vec![1; 81])
    );
}

/// A practice never exists without its key.
pub async fn a_practice_key_is_stored_with_its_practice(store: &dyn Store) {
    let practice = Practice::new(name("Harbour Street"), false);
    store
        .create_practice(&practice, &[9; 81])
        .await
        .expect("create");
    assert_eq!(
        store.practice_key(practice.id).await.expect("read"),
        Some(vec![9; 81])
    );
    assert_eq!(
        store.practice_key(PracticeId::new()).await.expect("read"),
        None
    );
    store
        .create_installation_key(&[1; 81], now())
        .await
        .expect("installation key");
    let keys = store.wrapped_keys().await.expect("list");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].owner, KeyOwner::Installation, "installation first");
    assert_eq!(keys[1].owner, KeyOwner::Practice(practice.id));
}

/// Rotation re-wraps with compare-and-swap, so a key changed meanwhile is left alone.
pub async fn rewrapping_replaces_only_keys_nobody_changed(store: &dyn Store) {
    let a = Practice::new(name("A"), false);
    let b = Practice::new(name("B"), false);
    store.create_practice(&a, &[1; 81]).await.expect("a");
    store.create_practice(&b, &[2; 81]).await.expect("b");
    store
        .create_installation_key(&[3; 81], now())
        .await
        .expect("installation");
    let replaced = store
        .rewrap_keys(&[
            Rewrap {
                owner: KeyOwner::Practice(a.id),
                previous: vec![1; 81],
                replacement: vec![11; 81],
            },
            Rewrap {
                owner: KeyOwner::Practice(b.id),
                previous: vec![99; 81],
                replacement: vec![12; 81],
            },
            Rewrap {
                owner: KeyOwner::Installation,
                previous: vec![3; 81],
                replacement: vec![13; 81],
            },
        ])
        .await
        .expect("rewrap");
    assert_eq!(replaced, 2);
    assert_eq!(store.practice_key(a.id).await.unwrap(), Some(vec![11; 81]));
    assert_eq!(store.practice_key(b.id).await.unwrap(), Some(vec![2; 81]));
    assert_eq!(store.installation_key().await.unwrap(), Some(vec![13; 81]));
}

/// Setup runs once: a second attempt changes nothing.
pub async fn setup_creates_the_practice_and_its_owner_only_once(store: &dyn Store) {
    assert_eq!(store.count_accounts().await.expect("count"), 0);
    let (practice, owner) = practice_with_owner(store).await;
    assert_eq!(store.count_accounts().await.expect("count"), 1);
    assert_eq!(
        store.practice(practice.id).await.unwrap(),
        Some(practice.clone())
    );
    assert_eq!(
        store.practice_key(practice.id).await.unwrap(),
        Some(TEST_KEY.to_vec())
    );
    assert_eq!(store.account(owner.id).await.unwrap(), Some(owner));

    let intruder_practice = Practice::new(name("Intruder"), false);
    let intruder = account(Some(intruder_practice.id), Role::Owner, 2);
    let err = store
        .set_up_practice(&intruder_practice, &TEST_KEY, &intruder)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { what: "setup" }),
        "{err:?}"
    );
    assert_eq!(store.practice(intruder_practice.id).await.unwrap(), None);
    assert_eq!(store.account(intruder.id).await.unwrap(), None);
    assert_eq!(store.count_accounts().await.unwrap(), 1);
}

/// Every field survives, including a verifier's missing practice and sealed bytes.
pub async fn an_account_reads_back_exactly_by_id_and_by_email(store: &dyn Store) {
    let (practice, _) = practice_with_owner(store).await;
    let mut client = account(Some(practice.id), Role::Client, 3);
    client.totp_sealed = Some(vec![5; 70]);
    client.totp_last_step = Some(59_000_000);
    store.create_account(&client).await.expect("client");
    let verifier = account(None, Role::Verifier, 4);
    store.create_account(&verifier).await.expect("verifier");

    assert_eq!(
        store.account(client.id).await.unwrap(),
        Some(client.clone())
    );
    assert_eq!(
        store.account_by_email(&client.email_lookup).await.unwrap(),
        Some(client)
    );
    assert_eq!(
        store
            .account_by_email(&verifier.email_lookup)
            .await
            .unwrap(),
        Some(verifier)
    );
    assert_eq!(store.account_by_email(&[99; 32]).await.unwrap(), None);
    assert_eq!(store.account(AccountId::new()).await.unwrap(), None);
}

/// Addresses are unique in the installation, across practices.
pub async fn an_email_address_in_use_is_a_conflict(store: &dyn Store) {
    let (practice, owner) = practice_with_owner(store).await;
    let mut twin = account(Some(practice.id), Role::Clinician, 9);
    twin.email_lookup = owner.email_lookup;
    let err = store.create_account(&twin).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { what: "account" }),
        "{err:?}"
    );
    assert_eq!(store.account(twin.id).await.unwrap(), None);
}

/// The practice's people page lists in a stable order.
pub async fn a_practice_lists_its_accounts_oldest_first(store: &dyn Store) {
    let (practice, owner) = practice_with_owner(store).await;
    let clinician = account(Some(practice.id), Role::Clinician, 5);
    store.create_account(&clinician).await.expect("clinician");
    let elsewhere = Practice::new(name("Elsewhere"), false);
    store.create_practice(&elsewhere, &TEST_KEY).await.unwrap();
    store
        .create_account(&account(Some(elsewhere.id), Role::Owner, 6))
        .await
        .unwrap();
    let ids: Vec<AccountId> = store
        .practice_accounts(practice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, vec![owner.id, clinician.id]);
}

/// The replay guard: a step is accepted once, and never one older than the last.
pub async fn totp_steps_are_claimed_only_forwards(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    assert!(store.claim_totp_step(owner.id, 100).await.unwrap());
    assert!(
        !store.claim_totp_step(owner.id, 100).await.unwrap(),
        "same step"
    );
    assert!(
        !store.claim_totp_step(owner.id, 99).await.unwrap(),
        "older step"
    );
    assert!(store.claim_totp_step(owner.id, 101).await.unwrap());
    assert_eq!(
        store
            .account(owner.id)
            .await
            .unwrap()
            .unwrap()
            .totp_last_step,
        Some(101)
    );
}

/// Enrolling (or resetting) the second factor is a fresh start for the account.
pub async fn enrolling_a_second_factor_replaces_codes_and_ends_other_sessions(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    let at = now();
    for tag in [1, 2] {
        store
            .create_session(&session(owner.id, tag, at))
            .await
            .unwrap();
    }
    let first = TotpEnrolment {
        totp_sealed: vec![8; 70],
        confirmed_step: 10,
        recovery_digests: (0..10).map(|i| [i; 32]).collect(),
    };
    store
        .enrol_totp(owner.id, &first, Some(&[1; 32]))
        .await
        .unwrap();
    assert!(exists(store, &[1; 32]).await, "the enrolling session stays");
    assert!(!exists(store, &[2; 32]).await, "other sessions end");
    let stored = store.account(owner.id).await.unwrap().unwrap();
    assert_eq!(stored.totp_sealed, Some(vec![8; 70]));
    assert_eq!(stored.totp_last_step, Some(10));
    assert_eq!(store.unused_recovery_codes(owner.id).await.unwrap(), 10);

    let second = TotpEnrolment {
        totp_sealed: vec![9; 70],
        confirmed_step: 20,
        recovery_digests: (100..110).map(|i| [i; 32]).collect(),
    };
    store.enrol_totp(owner.id, &second, None).await.unwrap();
    assert!(!exists(store, &[1; 32]).await);
    assert!(
        !store
            .use_recovery_code(owner.id, &[0; 32], at)
            .await
            .unwrap(),
        "old codes stop working"
    );
    assert!(
        store
            .use_recovery_code(owner.id, &[100; 32], at)
            .await
            .unwrap()
    );
}

/// A recovery code is single-use, and only its own account's.
pub async fn a_recovery_code_works_once(store: &dyn Store) {
    let (practice, owner) = practice_with_owner(store).await;
    let other = account(Some(practice.id), Role::Clinician, 7);
    store.create_account(&other).await.unwrap();
    let enrolment = TotpEnrolment {
        totp_sealed: vec![8; 70],
        confirmed_step: 10,
        recovery_digests: (0..10).map(|i| [i; 32]).collect(),
    };
    store.enrol_totp(owner.id, &enrolment, None).await.unwrap();
    assert!(
        !store
            .use_recovery_code(other.id, &[3; 32], now())
            .await
            .unwrap()
    );
    assert!(
        store
            .use_recovery_code(owner.id, &[3; 32], now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_recovery_code(owner.id, &[3; 32], now())
            .await
            .unwrap()
    );
    assert_eq!(store.unused_recovery_codes(owner.id).await.unwrap(), 9);
}

/// A password change signs out everywhere else.
pub async fn changing_the_password_ends_every_other_session(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    for tag in [1, 2, 3] {
        store
            .create_session(&session(owner.id, tag, now()))
            .await
            .unwrap();
    }
    store
        .change_password(owner.id, "$argon2id$new", Some(&[2; 32]))
        .await
        .unwrap();
    assert!(!exists(store, &[1; 32]).await);
    assert!(exists(store, &[2; 32]).await);
    assert!(!exists(store, &[3; 32]).await);
    assert_eq!(
        store
            .account(owner.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$new"
    );
    store
        .change_password(owner.id, "$argon2id$newer", None)
        .await
        .unwrap();
    assert!(!exists(store, &[2; 32]).await, "a reset ends every session");
}

/// Upgrading a hash's parameters is not a password change.
pub async fn a_rehash_keeps_sessions(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    store
        .create_session(&session(owner.id, 1, now()))
        .await
        .unwrap();
    store
        .rehash_password(owner.id, "$argon2id$stronger")
        .await
        .unwrap();
    assert!(exists(store, &[1; 32]).await);
    assert_eq!(
        store
            .account(owner.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$stronger"
    );
}

/// A deactivated person's sessions stop at once.
pub async fn deactivating_an_account_ends_every_session(store: &dyn Store) {
    let (practice, _) = practice_with_owner(store).await;
    let clinician = account(Some(practice.id), Role::Clinician, 5);
    store.create_account(&clinician).await.unwrap();
    store
        .create_session(&session(clinician.id, 1, now()))
        .await
        .unwrap();
    let at = now();
    store.deactivate_account(clinician.id, at).await.unwrap();
    assert!(!exists(store, &[1; 32]).await);
    let stored = store.account(clinician.id).await.unwrap().unwrap();
    assert_eq!(stored.deactivated_at, Some(at));
    assert!(!stored.is_active());
}

/// Resolving a cookie is one read that brings the account with it.
pub async fn a_session_reads_back_with_its_account(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    let mut record = session(owner.id, 4, now());
    record.second_factor_at = Some(record.created_at + Duration::seconds(20));
    store.create_session(&record).await.unwrap();
    assert_eq!(
        store.session(&[4; 32]).await.unwrap(),
        Some((record, owner))
    );
    assert_eq!(store.session(&[5; 32]).await.unwrap(), None);
}

/// The life of a session.
pub async fn a_session_is_touched_replaced_and_ended(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    let start = now();
    store
        .create_session(&session(owner.id, 1, start))
        .await
        .unwrap();
    let later = start + Duration::minutes(3);
    store.touch_session(&[1; 32], later).await.unwrap();
    let (read, _) = store.session(&[1; 32]).await.unwrap().unwrap();
    assert_eq!(read.last_seen_at, later);

    let mut promoted = session(owner.id, 2, later);
    promoted.second_factor_at = Some(later);
    assert!(store.replace_session(&[1; 32], &promoted).await.unwrap());
    assert!(!exists(store, &[1; 32]).await, "the old id is gone");
    assert!(exists(store, &[2; 32]).await);
    assert!(
        !store
            .replace_session(&[1; 32], &session(owner.id, 3, later))
            .await
            .unwrap(),
        "an ended session cannot be promoted"
    );
    assert!(!exists(store, &[3; 32]).await);

    store
        .create_session(&session(owner.id, 6, later))
        .await
        .unwrap();
    store.end_session(&[2; 32]).await.unwrap();
    assert!(!exists(store, &[2; 32]).await);
    assert_eq!(store.end_sessions_of(owner.id).await.unwrap(), 1);
    assert!(!exists(store, &[6; 32]).await);
}

/// Housekeeping removes sessions past their absolute lifetime.
pub async fn sessions_past_their_lifetime_are_swept(store: &dyn Store) {
    let (_, owner) = practice_with_owner(store).await;
    let at = now();
    store
        .create_session(&session(owner.id, 1, at - Duration::hours(13)))
        .await
        .unwrap();
    store
        .create_session(&session(owner.id, 2, at))
        .await
        .unwrap();
    let swept = store
        .end_sessions_begun_before(at - Duration::hours(12))
        .await
        .unwrap();
    assert_eq!(swept, 1);
    assert!(!exists(store, &[1; 32]).await);
    assert!(exists(store, &[2; 32]).await);
}

/// Failures are counted per subject inside a window, and a success clears them.
pub async fn failures_are_counted_in_a_window_and_cleared(store: &dyn Store) {
    let subject = [42; 32];
    let other = [43; 32];
    let start = now();
    let window = Duration::hours(1);
    assert_eq!(
        store.failures(&subject, start - window).await.unwrap(),
        Failures::NONE
    );
    for i in 0..3 {
        let at = start + Duration::seconds(i);
        let counted = store
            .record_failure(&subject, at, at - window)
            .await
            .unwrap();
        assert_eq!(counted.count, u32::try_from(i + 1).unwrap());
        assert_eq!(counted.last_at, Some(at));
    }
    assert_eq!(
        store.failures(&other, start - window).await.unwrap(),
        Failures::NONE
    );
    let read = store.failures(&subject, start - window).await.unwrap();
    assert_eq!(read.count, 3);

    // Two hours later the old failures have aged out of the window.
    let much_later = start + Duration::hours(2);
    assert_eq!(
        store.failures(&subject, much_later - window).await.unwrap(),
        Failures::NONE
    );
    let counted = store
        .record_failure(&subject, much_later, much_later - window)
        .await
        .unwrap();
    assert_eq!(counted.count, 1, "the count starts again");

    store.clear_failures(&subject).await.unwrap();
    assert_eq!(
        store.failures(&subject, start - window).await.unwrap(),
        Failures::NONE
    );
}
