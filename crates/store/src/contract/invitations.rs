//! Contract scenarios for invitations, the outbox and care relationships.

use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, Practice};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{TEST_KEY, name};
use crate::{Acceptance, AccountRecord, InvitationRecord, OutboxRecord, Store};

fn now() -> OffsetDateTime {
    sensate_domain::clock::now()
}

fn account(practice: &Practice, role: Role, tag: u8) -> AccountRecord {
    AccountRecord {
        id: AccountId::new(),
        practice_id: Some(practice.id),
        role,
        email_lookup: [tag; 32],
        email_sealed: vec![tag; 40],
        name_sealed: vec![tag; 30],
        password_hash: "$argon2id$stand-in".into(),
        totp_sealed: None,
        totp_last_step: None,
        deactivated_at: None,
        created_at: now(),
        client_id: None,
    }
}

async fn practice_with_clinician(store: &dyn Store) -> (Practice, AccountRecord) {
    let practice = Practice::new(name("Harbour Street"), false);
    let owner = account(&practice, Role::Owner, 1);
    store
        .set_up_practice(&practice, &TEST_KEY, &owner)
        .await
        .expect("setup");
    let clinician = account(&practice, Role::Clinician, 2);
    store.create_account(&clinician).await.expect("clinician");
    (practice, clinician)
}

fn invitation(
    practice: &Practice,
    by: &AccountRecord,
    role: Role,
    tag: u8,
    at: OffsetDateTime,
) -> (InvitationRecord, OutboxRecord) {
    (
        InvitationRecord {
            id: Uuid::now_v7(),
            token_digest: [tag; 32],
            practice_id: practice.id,
            role,
            email_lookup: [tag.wrapping_add(100); 32],
            email_sealed: vec![tag; 44],
            name_sealed: vec![tag; 33],
            invited_by: by.id,
            created_at: at,
            expires_at: at + Duration::hours(48),
            accepted_at: None,
            revoked_at: None,
            client_id: None,
        },
        OutboxRecord {
            id: Uuid::now_v7(),
            practice_id: practice.id,
            recipient_sealed: vec![tag; 50],
            subject_sealed: vec![tag; 20],
            body_sealed: vec![tag; 300],
            created_at: at,
            delivered_at: None,
        },
    )
}

/// An invitation and its email are stored together and read back exactly.
pub async fn an_invitation_is_stored_with_its_email(store: &dyn Store) {
    let (practice, clinician) = practice_with_clinician(store).await;
    let (sent, email) = invitation(&practice, &clinician, Role::Client, 7, now());
    store
        .create_invitation(&sent, &email)
        .await
        .expect("invite");
    assert_eq!(
        store.invitation(&[7; 32]).await.unwrap(),
        Some(sent.clone())
    );
    assert_eq!(store.invitation(&[8; 32]).await.unwrap(), None);
    assert_eq!(
        store.practice_invitations(practice.id).await.unwrap(),
        vec![sent]
    );
    assert_eq!(
        store.outbox(practice.id, 10).await.unwrap(),
        vec![email.clone()]
    );
    let at = now();
    store.mark_delivered(email.id, at).await.unwrap();
    assert_eq!(
        store.outbox(practice.id, 10).await.unwrap()[0].delivered_at,
        Some(at)
    );
}

/// A link works once, and a client's inviting clinician becomes their clinician.
pub async fn an_invitation_is_accepted_once(store: &dyn Store) {
    let (practice, clinician) = practice_with_clinician(store).await;
    let at = now();
    let (sent, email) = invitation(&practice, &clinician, Role::Client, 7, at);
    store.create_invitation(&sent, &email).await.unwrap();
    let client = account(&practice, Role::Client, 9);
    let accepted = store
        .accept_invitation(&[7; 32], &client, at + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(accepted, Acceptance::Accepted);
    assert_eq!(
        store.account(client.id).await.unwrap(),
        Some(client.clone())
    );
    assert_eq!(
        store.clinicians_of(client.id).await.unwrap(),
        vec![clinician.id]
    );

    let again = account(&practice, Role::Client, 10);
    assert_eq!(
        store
            .accept_invitation(&[7; 32], &again, at + Duration::hours(2))
            .await
            .unwrap(),
        Acceptance::Unusable
    );
    assert_eq!(
        store.account(again.id).await.unwrap(),
        None,
        "nothing created"
    );
}

/// After 48 hours, or once withdrawn, a link does nothing.
pub async fn expired_and_withdrawn_invitations_are_unusable(store: &dyn Store) {
    let (practice, clinician) = practice_with_clinician(store).await;
    let at = now();
    let (expiring, email) = invitation(&practice, &clinician, Role::Clinician, 7, at);
    store.create_invitation(&expiring, &email).await.unwrap();
    let late = account(&practice, Role::Clinician, 9);
    assert_eq!(
        store
            .accept_invitation(&[7; 32], &late, at + Duration::hours(48))
            .await
            .unwrap(),
        Acceptance::Unusable
    );

    let (withdrawn, email) = invitation(&practice, &clinician, Role::Clinician, 8, at);
    store.create_invitation(&withdrawn, &email).await.unwrap();
    let other_practice = Practice::new(name("Elsewhere"), false);
    store
        .create_practice(&other_practice, &TEST_KEY)
        .await
        .unwrap();
    assert!(
        !store
            .revoke_invitation(other_practice.id, withdrawn.id, at)
            .await
            .unwrap(),
        "another practice cannot withdraw it"
    );
    assert!(
        store
            .revoke_invitation(practice.id, withdrawn.id, at)
            .await
            .unwrap()
    );
    assert_eq!(
        store.accept_invitation(&[8; 32], &late, at).await.unwrap(),
        Acceptance::Unusable
    );
    assert_eq!(store.account(late.id).await.unwrap(), None);
}

/// An address already in use leaves the invitation unused.
pub async fn accepting_with_an_address_in_use_changes_nothing(store: &dyn Store) {
    let (practice, clinician) = practice_with_clinician(store).await;
    let at = now();
    let (sent, email) = invitation(&practice, &clinician, Role::Client, 7, at);
    store.create_invitation(&sent, &email).await.unwrap();
    let mut twin = account(&practice, Role::Client, 9);
    twin.email_lookup = clinician.email_lookup;
    assert_eq!(
        store.accept_invitation(&[7; 32], &twin, at).await.unwrap(),
        Acceptance::EmailInUse
    );
    assert_eq!(
        store
            .invitation(&[7; 32])
            .await
            .unwrap()
            .unwrap()
            .accepted_at,
        None
    );
}

/// A reset link works once, within its hour, and signs the person out everywhere.
pub async fn a_password_reset_link_works_once_and_ends_sessions(store: &dyn Store) {
    let (practice, clinician) = practice_with_clinician(store).await;
    let at = now();
    let (_, email) = invitation(&practice, &clinician, Role::Client, 7, at);
    let reset = crate::PasswordResetRecord {
        token_digest: [42; 32],
        account_id: clinician.id,
        created_at: at,
        expires_at: at + Duration::hours(1),
        used_at: None,
    };
    store.create_password_reset(&reset, &email).await.unwrap();
    assert_eq!(
        store
            .recent_password_resets(clinician.id, at - Duration::minutes(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.usable_password_reset(&[42; 32], at).await.unwrap(),
        Some(reset)
    );
    assert_eq!(
        store
            .usable_password_reset(&[42; 32], at + Duration::hours(1))
            .await
            .unwrap(),
        None,
        "expired after an hour"
    );
    store
        .create_session(&crate::SessionRecord {
            token_digest: [9; 32],
            account_id: clinician.id,
            created_at: at,
            last_seen_at: at,
            second_factor_at: Some(at),
        })
        .await
        .unwrap();
    let used = store
        .reset_password(&[42; 32], "$argon2id$reset", at + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(used, Some(clinician.id));
    assert_eq!(
        store
            .account(clinician.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$reset"
    );
    assert_eq!(
        store.session(&[9; 32]).await.unwrap(),
        None,
        "every session ended"
    );
    assert_eq!(
        store
            .reset_password(&[42; 32], "$argon2id$again", at + Duration::minutes(6))
            .await
            .unwrap(),
        None,
        "the link works once"
    );
    assert_eq!(
        store
            .account(clinician.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$reset"
    );
}

/// Imported wording is kept per instrument, and a new import replaces the old.
pub async fn imported_wording_is_kept_per_instrument(store: &dyn Store) {
    assert!(store.wordings().await.unwrap().is_empty());
    let first = crate::WordingRecord {
        instrument_id: "phq9".into(),
        instrument_version: "1.0.0".into(),
        wording_json: r#"{"items":["first"]}"#.into(),
        imported_at: now(),
    };
    store.save_wording(&first).await.unwrap();
    let second = crate::WordingRecord {
        wording_json: r#"{"items":["second — é"]}"#.into(),
        imported_at: now(),
        ..first.clone()
    };
    store.save_wording(&second).await.unwrap();
    let other = crate::WordingRecord {
        instrument_id: "gad7".into(),
        ..first
    };
    store.save_wording(&other).await.unwrap();
    assert_eq!(store.wordings().await.unwrap(), vec![other, second]);
}
