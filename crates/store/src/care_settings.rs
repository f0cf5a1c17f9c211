//! A practice's own settings for care: the crisis resources its clients are shown, and
//! the reliability and SD it has chosen for judging reliable change where the authors
//! publish none (or where it prefers a local norm).
//!
//! Neither says anything about a client, so both are stored plain; changing them is
//! still audited, because they change what clinicians and clients are shown.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use time::OffsetDateTime;

use crate::{Audited, StoreError};

/// Where a practice's clients are told to get help now, shown after a critical answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrisisResourcesRecord {
    /// The practice.
    pub practice_id: PracticeId,
    /// The text, in the practice's words (phone numbers, opening hours, local services).
    pub text: String,
    /// Who last changed it.
    pub updated_by: AccountId,
    /// When.
    pub updated_at: OffsetDateTime,
}

/// A practice's Jacobson–Truax parameters for one instrument score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeParametersRecord {
    /// The practice.
    pub practice_id: PracticeId,
    /// The instrument id (`asex`).
    pub instrument_id: String,
    /// The score: `total` or a domain id.
    pub score: String,
    /// The test–retest or internal-consistency reliability, as a decimal (`0.82`).
    pub reliability: Option<String>,
    /// The baseline standard deviation, as a decimal (`5.4`).
    pub sd: Option<String>,
    /// Where the practice took them from, shown with every result.
    pub source: String,
    /// Who set them.
    pub updated_by: AccountId,
    /// When.
    pub updated_at: OffsetDateTime,
}

/// Storing a practice's care settings.
#[async_trait]
pub trait CareSettings {
    /// The practice's crisis resources, if it has written its own.
    async fn crisis_resources(
        &self,
        practice: PracticeId,
    ) -> Result<Option<CrisisResourcesRecord>, StoreError>;

    /// Stores (or replaces) the practice's crisis resources, with its audit rows.
    async fn set_crisis_resources(
        &self,
        record: &CrisisResourcesRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Every change parameter the practice has set, by instrument and score.
    async fn change_parameters(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<ChangeParametersRecord>, StoreError>;

    /// Stores (or replaces) the parameters for one instrument score, with its audit rows.
    async fn set_change_parameters(
        &self,
        record: &ChangeParametersRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// Removes the parameters for one instrument score; false when there were none.
    async fn clear_change_parameters(
        &self,
        practice: PracticeId,
        instrument: &str,
        score: &str,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;
}
