//! Messages within a case: to the whole case, or privately between one client and the
//! clinicians. Bodies are sealed. Reads for a client are filtered here, in the query,
//! as well as by the access policy above: a partner's private message never leaves the
//! database for the other partner's request.

use async_trait::async_trait;
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, StoreError};

/// A message as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    /// Its id.
    pub id: Uuid,
    /// The practice.
    pub practice_id: PracticeId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// `None`: the whole case sees it; `Some(client)`: that client and the clinicians
    /// only.
    pub private_to: Option<ClientId>,
    /// Who wrote it (a client's account or a clinician's).
    pub author_id: AccountId,
    /// The sealed text.
    pub body_sealed: Vec<u8>,
    /// When it was sent.
    pub sent_at: OffsetDateTime,
    /// When a private message was shared with the whole case.
    pub shared_at: Option<OffsetDateTime>,
}

/// Whose view of a case's messages is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageReader {
    /// The case's clinician: every message.
    Clinician,
    /// One client: the whole case's messages and their own private ones.
    Client(ClientId),
}

/// Storing messages.
#[async_trait]
pub trait Messages {
    /// Stores a message, with its audit rows.
    async fn send_message(
        &self,
        message: &MessageRecord,
        audit: Audited<'_>,
    ) -> Result<(), StoreError>;

    /// A case's messages as this reader may see them, oldest first.
    async fn case_messages(
        &self,
        case: CaseId,
        reader: MessageReader,
    ) -> Result<Vec<MessageRecord>, StoreError>;

    /// Makes a private message the whole case's, with its audit rows. False, and
    /// nothing written, when there is no such private message in the case.
    async fn share_message(
        &self,
        case: CaseId,
        message: Uuid,
        at: OffsetDateTime,
        audit: Audited<'_>,
    ) -> Result<bool, StoreError>;

    /// Records that this account has read the case's messages up to `at` (never moves
    /// backwards).
    async fn mark_messages_read(
        &self,
        account: AccountId,
        case: CaseId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Up to when this account has read the case's messages.
    async fn messages_read_at(
        &self,
        account: AccountId,
        case: CaseId,
    ) -> Result<Option<OffsetDateTime>, StoreError>;
}
