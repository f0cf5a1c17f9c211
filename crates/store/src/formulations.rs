//! A client's formulation: the concerns and diagnoses their clinician has chosen (from
//! Sensate's suggestions or not). Both lists are sealed; the store keeps the latest.

use async_trait::async_trait;
use sensate_domain::{AccountId, ClientId, PracticeId};
use time::OffsetDateTime;

use crate::{Audited, StoreError};

/// A client's formulation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulationRecord {
    /// Whose.
    pub client_id: ClientId,
    /// The practice.
    pub practice_id: PracticeId,
    /// The sealed list of concern ids.
    pub concerns_sealed: Vec<u8>,
    /// The sealed list of diagnosis codes.
    pub diagnoses_sealed: Vec<u8>,
    /// Who chose them.
    pub updated_by: AccountId,
    /// When.
    pub updated_at: OffsetDateTime,
}

/// Storing formulations.
#[async_trait]
pub trait Formulations {
    /// Saves (or replaces) a client's formulation, with its audit rows.
    async fn save_formulation(
        &self,
        formulation: &FormulationRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// A client's formulation.
    async fn formulation(&self, client: ClientId) -> Result<Option<FormulationRecord>, StoreError>;
}
