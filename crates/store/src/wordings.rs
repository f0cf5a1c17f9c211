//! Imported questionnaire wording.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::StoreError;

/// The wording imported for one instrument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordingRecord {
    /// The built-in instrument (`phq9`).
    pub instrument_id: String,
    /// The definition version it was checked against.
    pub instrument_version: String,
    /// The bound wording, as JSON.
    pub wording_json: String,
    /// When it was imported.
    pub imported_at: OffsetDateTime,
}

/// Storing imported wording.
#[async_trait]
pub trait Wordings {
    /// Stores the wording for its instrument, replacing an earlier import.
    async fn save_wording(&self, wording: &WordingRecord) -> Result<(), StoreError>;

    /// Every imported wording, by instrument id.
    async fn wordings(&self) -> Result<Vec<WordingRecord>, StoreError>;
}
