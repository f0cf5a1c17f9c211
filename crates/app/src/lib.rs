//! Sensate's application layer: what happens when a person sets up a practice, signs
//! in, enrols a second factor or signs out — with the keys, the storage interface and
//! the audit trail, and without knowing about HTTP.
//!
//! The web layer parses a request into the types here and renders what comes back;
//! the binary builds one [`App`] at start-up. Sealing happens here, before anything
//! reaches the store, so the store never holds a name or an address in plain text.

mod audit_log;
mod audit_view;
mod care_settings;
mod cases;
mod clock;
mod concerns;
mod consent;
mod directory_import;
mod directory_inbox;
mod directory_profiles;
mod directory_search;
mod directory_search_index;
mod directory_verification;
mod exports;
mod intake;
mod invitations;
mod mail;
mod messages;
mod passwords;
mod people;
mod plans;
mod questionnaire_exchange;
mod questionnaire_notices;
mod questionnaire_schedule;
mod questionnaires;
mod sign_in;
mod therapy_sessions;
mod throttle;
mod vault;

use std::sync::Arc;

use sensate_store::Store;

pub use audit_log::AuditContext;
pub use audit_view::{AUDIT_PAGE, AuditFilter, AuditLine};
pub use care_settings::{
    CRISIS_RESOURCES_MAX, CareSettingsError, ChangeParametersForm, ChangeParametersView,
    CrisisResourcesView, DEFAULT_CRISIS_RESOURCES,
};
pub use cases::{
    CaseView, CaseloadLine, CaseloadPage, CaseloadQuery, ClientView, Colleague, OpenCase,
    OpenCaseError,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use concerns::{
    Catalogue, Concern, DiagnosisCode, Formulation, FormulationError, HomeworkKind,
};
pub use consent::{ConsentDocument, ConsentStatus, PolicyWaiting, Published, SignError, Waiting};
pub use directory_import::{ImportedCredential, ImportedTherapist};
pub use directory_inbox::{
    BoardView, ContactError, ContactForm, ContactRequestView, PER_SENDER_PER_HOUR,
    PER_THERAPIST_PER_DAY, ReportForm, ReportReceipt, ReportView,
};
pub use directory_profiles::{
    CredentialDecision, CredentialForm, DirectoryError, ProfileForm, ProfileSaved,
};
pub use directory_search::{
    DirectorySearch, MAX_PAGE, PAGE_SIZE, PublicProfile, ResultCard, SearchResults,
};
pub use directory_verification::{HeldProfile, QueuedCredential, Standing};
pub use exports::{CaseRecordExport, ClientRecordsExport, EXPORT_FORMAT};
pub use intake::{
    Acknowledged, AlertView, ClinicianIntake, IntakeAnswer, IntakeChange, IntakeError,
    IntakeMilestone, IntakeMilestoneKind, IntakeView, Saved,
};
pub use invitations::{
    AcceptError, INVITATION_LIFETIME, InvitationView, Invite, InviteError, OutboxMessage,
    may_invite,
};
pub use mail::{FileMailer, Mailer};
pub use messages::{MessageError, MessageView, Recipients};
pub use passwords::{PasswordChangeError, RESET_LIFETIME, ResetError};
pub use people::{AddPersonError, NewPerson, Person, SetUpError, SetUpPractice};
pub use plans::{CasePlan, ClientPlan, PlanError, PlanRevision};
pub use questionnaire_notices::NoticesSent;
pub use questionnaires::{
    AnswerSheet, AnswersSaved, AssignForm, AssignmentView, ClientQuestionnaires, DEFAULT_OPEN_DAYS,
    DueQuestionnaire, QuestionnaireError, ResultView, instruments,
};
pub use sign_in::{
    CodeError, Enrolment, EnrolmentError, NewSession, SessionStage, SignInError, SignedIn,
};
pub use therapy_sessions::{
    AddendumView, NoteForm, NoteSection, NoteView, SessionError, SessionForm, SessionLine,
    SessionProblems, SessionView,
};
pub use throttle::Throttled;
pub use vault::{Vault, VaultError};

/// Everything a request needs: the store, the keys and the clock.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    vault: Arc<Vault>,
    clock: Arc<dyn Clock>,
    mailer: Option<Arc<dyn Mailer>>,
    search_index: Arc<directory_search_index::SearchIndex>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

impl App {
    /// Builds the application over a migrated store and loaded keys, and starts the
    /// audit trail if the database is new.
    pub async fn start(
        store: Arc<dyn Store>,
        vault: Arc<Vault>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, sensate_store::StoreError> {
        store.start_audit_trail(vault.audit_chain()).await?;
        Ok(Self {
            store,
            vault,
            clock,
            mailer: None,
            search_index: Arc::default(),
        })
    }

    /// Hands outbox messages to `mailer` as they are written.
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The keys.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The current time.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }
}

/// Why an operation failed for reasons the person cannot fix.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] sensate_store::StoreError),
    /// A key could not be used.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// Sealing or opening a field failed.
    #[error("a sealed field could not be used: {0}")]
    Crypto(#[from] sensate_crypto::CryptoError),
    /// Recording to the audit trail failed (the operation is refused with it).
    #[error("the audit trail could not be written: {0}")]
    Audit(String),
    /// A hashing task could not finish.
    #[error("a background task failed: {0}")]
    Task(String),
}
