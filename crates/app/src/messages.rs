//! Messages within a case, between its clients and their clinician.
//!
//! A message goes to the whole case, or privately between one client and the
//! clinician. The store filters a client's view in its query, and every message is
//! asked of the access policy again here before it is opened. A private message becomes
//! the case's only by sharing it: the client it belongs to may always share it; the
//! clinician may only under a couple's "no secrets" policy (security notes §5), because
//! under the other policies that choice is the client's.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::SecretString;
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::access::{self, Intent, Resource, Visibility};
use sensate_domain::accounts::Role;
use sensate_domain::cases::SecretsPolicy;
use sensate_domain::therapy_session::clean_note_text;
use sensate_domain::{CaseId, ClientId};
use sensate_store::{CaseRecord, MessageReader, MessageRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const MESSAGE: ObjectType = ObjectType::from_static("message");
const MESSAGES: ObjectType = ObjectType::from_static("case_messages");
const TABLE: &str = "case_message";

/// Who a message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipients {
    /// Everyone in the case.
    Case,
    /// One client and the clinician (a client can only choose themselves).
    Privately(ClientId),
}

/// One message, opened.
#[derive(Debug)]
pub struct MessageView {
    /// Its id.
    pub id: Uuid,
    /// Who wrote it.
    pub author: SecretString,
    /// True when a clinician wrote it.
    pub from_clinician: bool,
    /// True when the person reading wrote it.
    pub mine: bool,
    /// Its text.
    pub text: SecretString,
    /// `None` for the whole case; the client it is private to otherwise.
    pub private_to: Option<ClientId>,
    /// When it was sent.
    pub sent_at: OffsetDateTime,
    /// When a private message was shared with the case.
    pub shared_at: Option<OffsetDateTime>,
    /// True when it arrived since the reader last opened the messages.
    pub new: bool,
}

/// Why a message was not sent or shared.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    /// The text needs attention; nothing was sent.
    #[error("{0}")]
    Invalid(String),
    /// The recipient is not someone this person may write to in this case.
    #[error("Choose who the message is for: the whole case, or one client privately")]
    Recipient,
    /// The clinician may not share this client's private message under the case's
    /// secrets policy.
    #[error(
        "Under this case's secrets policy, only the client can share what was said privately; ask them to share it from their portal"
    )]
    ClientsChoice,
    /// Not this person's case or message.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

fn is_staff(by: &SignedIn) -> bool {
    matches!(by.role, Role::Owner | Role::Clinician)
}

fn visibility(message: &MessageRecord) -> Visibility {
    message
        .private_to
        .map_or(Visibility::Case, Visibility::Individual)
}

impl App {
    /// The case, when this person takes part in its messages: its clinician, or one of
    /// its clients. Refusals on a real case are audited by `permitted_case` for staff.
    async fn message_case(
        &self,
        by: &SignedIn,
        case: CaseId,
        intent: Intent,
        context: &AuditContext,
    ) -> Result<Option<CaseRecord>, AppError> {
        if is_staff(by) {
            return self.permitted_case(by, case, intent, context).await;
        }
        let (Role::Client, Some(me)) = (by.role, by.client_id) else {
            return Ok(None);
        };
        let Some(record) = self.store.case(case).await? else {
            return Ok(None);
        };
        // A closed case's messages stay readable; nobody writes to it.
        if intent == Intent::Write && record.closed_at.is_some() {
            return Ok(None);
        }
        let resource = Resource::ClinicalItem {
            practice: record.practice_id,
            clients: &record.clients,
            clinicians: &[record.clinician_id],
            visibility: Visibility::Individual(me),
        };
        Ok(access::decide(&by.actor(), intent, &resource)
            .allowed()
            .then_some(record))
    }

    fn may_see(by: &SignedIn, case: &CaseRecord, message: &MessageRecord) -> bool {
        let resource = Resource::ClinicalItem {
            practice: case.practice_id,
            clients: &case.clients,
            clinicians: &[case.clinician_id],
            visibility: visibility(message),
        };
        access::decide(&by.actor(), Intent::Read, &resource).allowed()
    }

    /// Whose view the store filters for. Only staff read every message; anyone else
    /// reads as the client they are, and someone who is neither reads nothing.
    fn reader(by: &SignedIn) -> Option<MessageReader> {
        if is_staff(by) {
            Some(MessageReader::Clinician)
        } else {
            by.client_id
                .filter(|_| by.role == Role::Client)
                .map(MessageReader::Client)
        }
    }

    async fn open_message(
        &self,
        key: &DataKey,
        by: &SignedIn,
        record: &MessageRecord,
        read_at: Option<OffsetDateTime>,
    ) -> Result<MessageView, AppError> {
        let text = key.open_str(
            &Sealed::from_bytes(record.body_sealed.clone())?,
            &Binding::new(TABLE, "body_sealed", record.id),
        )?;
        let (author, from_clinician) = match self.person(record.author_id).await? {
            Some(person) => (person.name, person.role != Role::Client),
            None => (SecretString::from("(no longer here)"), true),
        };
        let arrived = record.shared_at.unwrap_or(record.sent_at);
        let mine = record.author_id == by.account_id;
        Ok(MessageView {
            id: record.id,
            author,
            from_clinician,
            mine,
            text,
            private_to: record.private_to,
            sent_at: record.sent_at,
            shared_at: record.shared_at,
            new: !mine && read_at.is_none_or(|read| arrived > read),
        })
    }

    /// A case's messages as this person may see them, oldest first; reading them marks
    /// them read. `None` when it is not their case.
    pub async fn case_messages(
        &self,
        by: &SignedIn,
        case: CaseId,
        context: &AuditContext,
    ) -> Result<Option<Vec<MessageView>>, AppError> {
        self.messages_for(by, case, true, context).await
    }

    /// The messages as [`App::case_messages`] reads them; `mark_read` false for an
    /// export, which is not the person reading their messages.
    pub(crate) async fn messages_for(
        &self,
        by: &SignedIn,
        case: CaseId,
        mark_read: bool,
        context: &AuditContext,
    ) -> Result<Option<Vec<MessageView>>, AppError> {
        let Some(case) = self.message_case(by, case, Intent::Read, context).await? else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            MESSAGES,
            case.id.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        let read_at = self.store.messages_read_at(by.account_id, case.id).await?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let mut messages = Vec::new();
        let Some(reader) = Self::reader(by) else {
            return Ok(None);
        };
        for record in self.store.case_messages(case.id, reader).await? {
            if Self::may_see(by, &case, &record) {
                messages.push(self.open_message(&key, by, &record, read_at).await?);
            }
        }
        // Read up to the newest message shown, not "now": one that arrives while this
        // page is built must still count as new next time.
        let newest = messages
            .iter()
            .map(|m| m.shared_at.unwrap_or(m.sent_at))
            .max();
        if let (true, Some(newest)) = (mark_read, newest) {
            self.store
                .mark_messages_read(by.account_id, case.id, newest)
                .await?;
        }
        Ok(Some(messages))
    }

    /// How many messages in the case arrived since this person last read them (0 when
    /// it is not their case). Nothing is opened, so nothing is audited.
    pub async fn new_messages(&self, by: &SignedIn, case: CaseId) -> Result<usize, AppError> {
        let Some(case) = self
            .message_case(by, case, Intent::Read, &AuditContext::default())
            .await?
        else {
            return Ok(0);
        };
        let Some(reader) = Self::reader(by) else {
            return Ok(0);
        };
        let read_at = self.store.messages_read_at(by.account_id, case.id).await?;
        Ok(self
            .store
            .case_messages(case.id, reader)
            .await?
            .iter()
            .filter(|m| Self::may_see(by, &case, m))
            .filter(|m| m.author_id != by.account_id)
            .filter(|m| read_at.is_none_or(|read| m.shared_at.unwrap_or(m.sent_at) > read))
            .count())
    }

    /// The signed-in client's cases that have messages to read or write, with how
    /// many are new: (case, kind, new).
    pub async fn my_message_threads(
        &self,
        by: &SignedIn,
    ) -> Result<Vec<(CaseId, sensate_domain::cases::CaseKind, usize)>, AppError> {
        let (Role::Client, Some(me)) = (by.role, by.client_id) else {
            return Ok(Vec::new());
        };
        let mut threads = Vec::new();
        for case in self.store.client_cases(me).await? {
            if case.closed_at.is_some() {
                continue;
            }
            let new = self.new_messages(by, case.id).await?;
            threads.push((case.id, case.kind, new));
        }
        Ok(threads)
    }

    /// Sends a message in the case; its id.
    pub async fn send_message(
        &self,
        by: &SignedIn,
        case: CaseId,
        text: &str,
        to: Recipients,
        context: &AuditContext,
    ) -> Result<Uuid, MessageError> {
        let Some(case) = self.message_case(by, case, Intent::Write, context).await? else {
            return Err(MessageError::NotAllowed);
        };
        let private_to = match to {
            Recipients::Case => None,
            Recipients::Privately(client) => {
                let allowed = case.clients.contains(&client)
                    && (is_staff(by) || by.client_id == Some(client));
                if !allowed {
                    return Err(MessageError::Recipient);
                }
                Some(client)
            }
        };
        let text = clean_note_text(text).map_err(MessageError::Invalid)?;
        if text.is_empty() {
            return Err(MessageError::Invalid("Write the message first".into()));
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let record = MessageRecord {
            id,
            practice_id: case.practice_id,
            case_id: case.id,
            private_to,
            author_id: by.account_id,
            body_sealed: key
                .seal_str(&text, &Binding::new(TABLE, "body_sealed", id))
                .map_err(AppError::from)?
                .into_bytes(),
            sent_at: self.clock.now(),
            shared_at: None,
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Create,
            MESSAGE,
            id,
            context,
        );
        self.store
            .send_message(&record, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(id)
    }

    /// Shares a private message with the whole case. False when it already was the
    /// case's.
    pub async fn share_message(
        &self,
        by: &SignedIn,
        case: CaseId,
        message: Uuid,
        context: &AuditContext,
    ) -> Result<bool, MessageError> {
        let Some(case) = self.message_case(by, case, Intent::Write, context).await? else {
            return Err(MessageError::NotAllowed);
        };
        let Some(reader) = Self::reader(by) else {
            return Err(MessageError::NotAllowed);
        };
        let Some(record) = self
            .store
            .case_messages(case.id, reader)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .find(|m| m.id == message && Self::may_see(by, &case, m))
        else {
            return Err(MessageError::NotAllowed);
        };
        let Some(owner) = record.private_to else {
            return Ok(false);
        };
        let clinician_may = case.secrets_policy == Some(SecretsPolicy::NoSecrets);
        let allowed = if is_staff(by) {
            clinician_may
        } else {
            by.client_id == Some(owner)
        };
        if !allowed {
            return Err(MessageError::ClientsChoice);
        }
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Share,
            MESSAGE,
            message,
            context,
        );
        Ok(self
            .store
            .share_message(
                case.id,
                message,
                self.clock.now(),
                self.audited(vec![event]),
            )
            .await
            .map_err(AppError::from)?)
    }
}
