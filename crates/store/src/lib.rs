//! The one storage interface Sensate's two database backends implement.
//!
//! The web layer and the binary hold an `Arc<dyn Store>` and never know which database
//! is behind it. Each area of the product adds its own small trait here (one idea per
//! module) and [`Store`] gathers them, so a backend that forgets one does not compile.
//!
//! The [`contract`] module holds the scenarios every backend must pass; each backend's
//! test suite runs them all with [`contract_tests!`].

mod accounts;
mod audit;
mod care_settings;
mod cases;
mod consents;
#[expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "contract scenarios are test code: a failed expectation is a failed test"
)]
pub mod contract;
mod directory;
mod directory_inbox;
mod directory_index;
mod error;
mod formulations;
mod intakes;
mod invitations;
mod keys;
mod messages;
mod plans;
mod practices;
mod questionnaires;
mod resets;
mod schema;
mod sessions;
mod therapy_sessions;
mod url;
mod wordings;

pub use accounts::{AccountRecord, Accounts, TotpEnrolment};
pub use audit::{AuditQuery, AuditTrail};
pub use care_settings::{CareSettings, ChangeParametersRecord, CrisisResourcesRecord};
pub use cases::{Audited, CaseRecord, Cases, ClientRecord};
pub use consents::{ConsentDocumentRecord, ConsentSignatureRecord, Consents, PolicyConsentRecord};
pub use directory::{
    COUNT_CAP, CredentialRecord, Directory, DirectoryMatches, DirectoryQuery, DirectoryReading,
    ProfileHit, ProfileRecord, ProfileStatus, ProfileTag, SearchArea, relevance, tag_rows,
    with_tag_lists,
};
pub use directory_inbox::{ConcernReportRecord, ContactRequestRecord, DirectoryInbox};
pub use directory_index::DirectoryIndex;
pub use error::StoreError;
pub use formulations::{FormulationRecord, Formulations};
pub use intakes::{IntakeAlertRecord, IntakeEntryRecord, Intakes};
pub use invitations::{Acceptance, InvitationRecord, Invitations, OutboxRecord};
pub use keys::{KeyOwner, Keys, Rewrap, WrappedKeyRow};
pub use messages::{MessageReader, MessageRecord, Messages};
pub use plans::{PlanAcknowledgementRecord, PlanRevisionRecord, Plans};
pub use practices::Practices;
pub use questionnaires::{
    AssignmentRecord, NoticeKind, NoticeRecord, Questionnaires, ResponseRecord, ResponseSave,
};
pub use resets::{PasswordResetRecord, PasswordResets};
pub use schema::{Backend, Migration, Schema, SchemaStatus};
pub use sessions::{Failures, SessionRecord, Sessions, SignInThrottle};
pub use therapy_sessions::{
    NoteSave, NoteTextRecord, ProgressNoteRecord, TherapySessionRecord, TherapySessions,
};
pub use url::{DatabaseUrl, DatabaseUrlError, PostgresUrl, SslMode};
pub use wordings::{WordingRecord, Wordings};

/// Everything Sensate stores, behind one object-safe interface.
pub trait Store:
    Schema
    + Practices
    + Keys
    + Accounts
    + Sessions
    + SignInThrottle
    + AuditTrail
    + Invitations
    + PasswordResets
    + Wordings
    + Cases
    + Consents
    + Intakes
    + TherapySessions
    + Formulations
    + Plans
    + Messages
    + Questionnaires
    + CareSettings
    + Directory
    + DirectoryInbox
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: Schema
        + Practices
        + Keys
        + Accounts
        + Sessions
        + SignInThrottle
        + AuditTrail
        + Invitations
        + PasswordResets
        + Wordings
        + Cases
        + Consents
        + Intakes
        + TherapySessions
        + Formulations
        + Plans
        + Messages
        + Questionnaires
        + CareSettings
        + Directory
        + DirectoryInbox
        + Send
        + Sync
        + 'static
{
}
