//! Practices: the tenants of an installation.

use async_trait::async_trait;
use sensate_domain::{Practice, PracticeId};

use crate::StoreError;

/// Storing and reading practices.
#[async_trait]
pub trait Practices {
    /// Stores a new practice with its wrapped data key, in one transaction. A practice
    /// with the same id is a [`StoreError::Conflict`].
    async fn create_practice(
        &self,
        practice: &Practice,
        wrapped_key: &[u8],
    ) -> Result<(), StoreError>;

    /// One practice, or `None` when no practice has that id.
    async fn practice(&self, id: PracticeId) -> Result<Option<Practice>, StoreError>;

    /// Every practice, oldest first.
    async fn practices(&self) -> Result<Vec<Practice>, StoreError>;
}
