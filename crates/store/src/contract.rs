//! The storage contract: scenarios every backend must pass, alike.
//!
//! Each scenario is a plain async function over `&dyn Store`, so it cannot depend on
//! which database is behind it. A backend's test suite runs every one of them with
//! [`contract_tests!`](crate::contract_tests), each against a fresh, empty database.
//! Adding a storage behaviour means adding its scenario here and its name to the list
//! in the macro; both backends then fail until they implement it.

use sensate_domain::{Practice, PracticeId, PracticeName};

use crate::{Store, StoreError};

mod cases;
mod consents;
mod directory;
mod intakes;
mod invitations;
mod messages;
mod people;
mod questionnaires;
mod therapy_sessions;
mod trail;

pub use cases::*;
pub use consents::*;
pub use directory::*;
pub use intakes::*;
pub use invitations::*;
pub use messages::*;
pub use people::*;
pub use questionnaires::*;
pub use therapy_sessions::*;
pub use trail::*;

/// Stand-in wrapped key bytes: the store never looks inside.
pub(crate) const TEST_KEY: [u8; 81] = [7; 81];

/// Runs every contract scenario as its own test.
///
/// `$open` is an async function returning `Option<T>` where `T` dereferences to a
/// store over a fresh, migrated, empty database; `None` skips the test (the backend
/// is not available here, and `$open` has said so).
#[macro_export]
macro_rules! contract_tests {
    ($open:path) => {
        $crate::contract_tests!(@each $open,
            migrating_again_changes_nothing,
            the_database_answers_a_ping,
            a_fresh_database_has_no_practices,
            a_created_practice_reads_back_exactly,
            creating_the_same_practice_twice_is_a_conflict,
            practices_are_listed_oldest_first,
            an_unknown_practice_reads_as_none,
            the_installation_key_is_made_once,
            a_practice_key_is_stored_with_its_practice,
            rewrapping_replaces_only_keys_nobody_changed,
            setup_creates_the_practice_and_its_owner_only_once,
            an_account_reads_back_exactly_by_id_and_by_email,
            an_email_address_in_use_is_a_conflict,
            a_practice_lists_its_accounts_oldest_first,
            totp_steps_are_claimed_only_forwards,
            enrolling_a_second_factor_replaces_codes_and_ends_other_sessions,
            a_recovery_code_works_once,
            changing_the_password_ends_every_other_session,
            a_rehash_keeps_sessions,
            deactivating_an_account_ends_every_session,
            a_session_reads_back_with_its_account,
            a_session_is_touched_replaced_and_ended,
            sessions_past_their_lifetime_are_swept,
            failures_are_counted_in_a_window_and_cleared,
            a_new_audit_trail_is_empty_and_verifies,
            recorded_events_chain_verify_and_filter,
            concurrent_appends_never_fork_the_chain,
            an_invitation_is_stored_with_its_email,
            an_invitation_is_accepted_once,
            expired_and_withdrawn_invitations_are_unusable,
            accepting_with_an_address_in_use_changes_nothing,
            a_password_reset_link_works_once_and_ends_sessions,
            imported_wording_is_kept_per_instrument,
            a_couple_case_reads_back_with_both_partners_in_order,
            a_client_in_two_cases_is_listed_in_both,
            a_case_that_fails_to_store_leaves_nothing,
            a_case_is_closed_reopened_and_transferred,
            consent_versions_are_numbered_and_the_newest_is_current,
            a_signature_names_the_version_signed,
            secrets_policy_agreements_read_back_per_partner,
            intake_entries_keep_every_change_with_its_author,
            an_intake_is_sent_once_and_an_alert_is_seen_once,
            a_signed_note_is_locked_and_later_changes_are_addenda,
            a_formulation_is_replaced_per_client,
            plan_revisions_are_numbered_and_acknowledged_once,
            a_private_message_reaches_only_its_partner_until_shared,
            a_completed_response_never_changes,
            each_questionnaire_notice_is_sent_once,
            care_settings_belong_to_their_practice,
            the_directory_finds_only_listed_profiles_by_words_tags_and_place,
            the_store_and_the_in_memory_index_answer_alike,
            contact_requests_and_concern_reports_are_kept_and_counted,
        );
    };
    (@each $open:path, $($scenario:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $scenario() {
                let Some(database) = $open().await else { return };
                $crate::contract::$scenario(&*database).await;
            }
        )*
    };
}

pub(crate) fn name(raw: &str) -> PracticeName {
    PracticeName::parse(raw).expect("test names are valid")
}

/// Migrations run at every start, so running them on a migrated database must be a
/// no-op that leaves every migration applied.
pub async fn migrating_again_changes_nothing(store: &dyn Store) {
    store.migrate().await.expect("second migrate succeeds");
    let status = store.schema_status().await.expect("status");
    assert!(
        !status.migrations.is_empty(),
        "the binary carries migrations"
    );
    assert_eq!(status.pending(), 0, "{status:?}");
}

/// `/healthz` relies on this.
pub async fn the_database_answers_a_ping(store: &dyn Store) {
    store.ping().await.expect("ping");
}

/// A new installation starts with nothing in it (there are never default accounts).
pub async fn a_fresh_database_has_no_practices(store: &dyn Store) {
    assert!(store.practices().await.expect("list").is_empty());
}

/// Every field, including non-ASCII text and the exact timestamp, survives storage.
pub async fn a_created_practice_reads_back_exactly(store: &dyn Store) {
    let practice = Practice::new(name("Cabinet Hélène Côté — Thérapie"), true);
    store
        .create_practice(&practice, &TEST_KEY)
        .await
        .expect("create");
    let read = store
        .practice(practice.id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(read, practice);
}

/// Ids are unique; a second insert with the same id is a conflict, not an overwrite.
pub async fn creating_the_same_practice_twice_is_a_conflict(store: &dyn Store) {
    let practice = Practice::new(name("Harbour Street"), false);
    store
        .create_practice(&practice, &TEST_KEY)
        .await
        .expect("first create");
    let mut again = practice.clone();
    again.display_name = name("Someone else");
    let err = store.create_practice(&again, &TEST_KEY).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { what: "practice" }),
        "{err:?}"
    );
    let kept = store.practice(practice.id).await.expect("read");
    assert_eq!(kept, Some(practice), "the first practice is unchanged");
}

/// Listing order is by creation, the same on every backend.
pub async fn practices_are_listed_oldest_first(store: &dyn Store) {
    let first = Practice::new(name("Zeta Counselling"), false);
    let second = Practice::new(name("Alpha Counselling"), false);
    store
        .create_practice(&second, &TEST_KEY)
        .await
        .expect("create");
    store
        .create_practice(&first, &TEST_KEY)
        .await
        .expect("create");
    let ids: Vec<PracticeId> = store
        .practices()
        .await
        .expect("list")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec![first.id, second.id]);
}

/// A missing row is `None`, not an error.
pub async fn an_unknown_practice_reads_as_none(store: &dyn Store) {
    assert_eq!(store.practice(PracticeId::new()).await.expect("read"), None);
}
