//! What people send through the directory: a contact request to a therapist, and a
//! concern about a therapist for the verifiers.
//!
//! A contact request is sealed under the therapist's practice key and lands in their
//! inbox. It is protected from spam without any third-party CAPTCHA, in three layers:
//! a hidden field a person never fills in (a bot that fills it is told "sent" and
//! nothing is stored), a form token that must be at least a few seconds and at most a
//! day old (signed with the installation's lookup key, so it cannot be forged), and
//! rate limits per sender (a keyed digest of their address) and per therapist.
//!
//! A report is sealed under the installation key, because verifiers belong to no
//! practice. The reporter may stay anonymous; either way they are shown the licensing
//! board for the therapist's licence, and what happens next.

use std::net::IpAddr;

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_crypto::{Binding, Sealed};
use sensate_directory::licensing_boards::{LicensingBoards, WhereToReport};
use sensate_domain::accounts::Role;
use sensate_store::{ConcernReportRecord, ContactRequestRecord, ProfileStatus};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::directory_profiles::DirectoryError;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const CONTACT: ObjectType = ObjectType::from_static("directory_contact_request");
const REPORT: ObjectType = ObjectType::from_static("directory_concern_report");
const CONTACT_TABLE: &str = "directory_contact_request";
const REPORT_TABLE: &str = "directory_concern_report";
/// A person takes longer than this to write a message.
const FORM_MIN_AGE: i64 = 3;
/// A form older than this is stale.
const FORM_MAX_AGE: i64 = 24 * 3600;
/// Requests one sender may send in an hour.
pub const PER_SENDER_PER_HOUR: u64 = 5;
/// Requests one therapist may receive in a day.
pub const PER_THERAPIST_PER_DAY: u64 = 30;

/// Why a contact request was not sent.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    /// Fields need attention: (field, message).
    #[error("some fields need attention")]
    Invalid(Vec<(String, String)>),
    /// Too many requests; the message says when to try again.
    #[error("{0}")]
    TooMany(String),
    /// No such listed therapist.
    #[error("not found")]
    NotFound,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sensate_store::StoreError> for ContactError {
    fn from(error: sensate_store::StoreError) -> Self {
        ContactError::App(error.into())
    }
}

/// What a seeker writes.
#[derive(Clone, Debug, Default)]
pub struct ContactForm {
    /// What to call them (need not be their name).
    pub alias: String,
    /// How the therapist can reply: an email address or a phone number.
    pub reply_to: String,
    /// A short message.
    pub message: String,
    /// The form token the page was given.
    pub token: String,
    /// The hidden field people never fill in.
    pub website: String,
}

#[derive(Serialize, Deserialize)]
struct ContactContent {
    alias: String,
    reply_to: String,
    message: String,
}

/// A contact request as its therapist reads it.
#[derive(Debug)]
pub struct ContactRequestView {
    /// Its id.
    pub id: Uuid,
    /// The sender's alias.
    pub alias: String,
    /// How to reply.
    pub reply_to: String,
    /// The message.
    pub message: String,
    /// When it arrived.
    pub received_at: OffsetDateTime,
    /// True once opened.
    pub read: bool,
}

/// What someone reporting a concern writes.
#[derive(Clone, Debug, Default)]
pub struct ReportForm {
    /// What happened.
    pub description: String,
    /// How a verifier may reach them; empty to stay anonymous.
    pub contact: String,
}

#[derive(Serialize, Deserialize)]
struct ReportContent {
    description: String,
    contact: String,
}

/// Where to take a concern beyond Sensate: a board's name and web address.
#[derive(Clone, Debug)]
pub struct BoardView {
    /// The board.
    pub name: String,
    /// Its website, where checked.
    pub website: Option<String>,
}

/// What a reporter is shown once their report is in.
#[derive(Clone, Debug)]
pub struct ReportReceipt {
    /// The boards for the therapist's licence.
    pub boards: Vec<BoardView>,
    /// Advice where no board is on file.
    pub advice: Option<String>,
}

/// A report as a verifier reads it.
#[derive(Debug)]
pub struct ReportView {
    /// Its id.
    pub id: Uuid,
    /// The profile.
    pub profile_id: Uuid,
    /// The therapist's name.
    pub therapist: String,
    /// Whether the profile is suspended now.
    pub suspended: bool,
    /// What happened.
    pub description: String,
    /// How to reach the reporter (empty: anonymous).
    pub contact: String,
    /// `new`, `reviewing` or `closed`.
    pub status: String,
    /// What the verifier did.
    pub outcome: String,
    /// When it was made.
    pub created_at: OffsetDateTime,
}

/// A required text field, checked as a profile's are.
fn limited(
    problems: &mut Vec<(String, String)>,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    crate::directory_profiles::text_field(problems, field, label, value, true, max)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// A token for a contact form shown now.
    pub fn contact_form_token(&self) -> String {
        self.contact_form_token_at(self.clock.now())
    }

    /// A token for a contact form shown at `at`: for the demo seed, which sends a
    /// message faster than a person could, never for a request.
    pub fn contact_form_token_at(&self, at: OffsetDateTime) -> String {
        let issued = at.unix_timestamp();
        let digest = self.vault.directory_digest(&format!("form:{issued}"));
        format!("{issued}.{}", hex(&digest[..16]))
    }

    fn form_token_age(&self, token: &str) -> Option<i64> {
        let (issued, mac) = token.trim().split_once('.')?;
        let issued: i64 = issued.parse().ok()?;
        let digest = self.vault.directory_digest(&format!("form:{issued}"));
        (hex(&digest[..16]) == mac).then(|| self.clock.now().unix_timestamp() - issued)
    }

    /// Sends a seeker's message to a listed therapist.
    pub async fn send_contact_request(
        &self,
        profile: Uuid,
        form: &ContactForm,
        sender: Option<IpAddr>,
    ) -> Result<(), ContactError> {
        let Some(view) = self.public_profile(profile).await? else {
            return Err(ContactError::NotFound);
        };
        if !view.listed {
            return Err(ContactError::NotFound);
        }
        // A bot filled the field people cannot see: tell it "sent", keep nothing.
        if !form.website.trim().is_empty() {
            return Ok(());
        }
        let mut problems = Vec::new();
        let alias = limited(&mut problems, "alias", "What to call you", &form.alias, 60);
        let reply_to = limited(
            &mut problems,
            "reply_to",
            "How to reply to you",
            &form.reply_to,
            200,
        );
        let message = limited(
            &mut problems,
            "message",
            "Your message",
            &form.message,
            1500,
        );
        match self.form_token_age(&form.token) {
            Some(age) if (FORM_MIN_AGE..=FORM_MAX_AGE).contains(&age) => {}
            Some(age) if age < FORM_MIN_AGE => problems.push((
                "message".into(),
                "That was quicker than a person can write: please check your message and send it again".into(),
            )),
            _ => problems.push((
                "message".into(),
                "This form has expired: your words are kept below, please send them again".into(),
            )),
        }
        if !problems.is_empty() {
            return Err(ContactError::Invalid(problems));
        }
        let now = self.clock.now();
        let digest = self.vault.directory_digest(&format!(
            "ip:{}",
            sender.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
        ));
        if self
            .store
            .requests_from_since(&digest, now - Duration::hours(1))
            .await?
            >= PER_SENDER_PER_HOUR
        {
            return Err(ContactError::TooMany(
                "You have sent several messages in the last hour. Please wait an hour before sending another.".into(),
            ));
        }
        if self
            .store
            .requests_to_since(profile, now - Duration::days(1))
            .await?
            >= PER_THERAPIST_PER_DAY
        {
            return Err(ContactError::TooMany(
                "This therapist has had many messages today. Please try again tomorrow, or contact another therapist.".into(),
            ));
        }
        let practice = view.profile.practice_id;
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let content = serde_json::to_string(&ContactContent {
            alias,
            reply_to,
            message,
        })
        .map_err(|e| AppError::Task(e.to_string()))?;
        let sealed = key
            .seal_str(&content, &Binding::new(CONTACT_TABLE, "sealed", id))
            .map_err(AppError::from)?
            .into_bytes();
        let event = self.event_about(
            Actor::Anonymous,
            practice,
            Action::Create,
            CONTACT,
            id,
            &AuditContext::default(),
        );
        self.store
            .save_contact_request(
                &ContactRequestRecord {
                    id,
                    profile_id: profile,
                    practice_id: practice,
                    account_id: view.profile.account_id,
                    sealed,
                    sender_digest: digest,
                    received_at: now,
                    read_at: None,
                },
                self.audited(vec![event]),
            )
            .await?;
        Ok(())
    }

    /// The signed-in clinician's contact requests, newest first (an audited read).
    pub async fn my_contact_requests(
        &self,
        by: &SignedIn,
        context: &AuditContext,
    ) -> Result<Vec<ContactRequestView>, AppError> {
        let (Role::Owner | Role::Clinician, Some(practice)) = (by.role, by.practice_id) else {
            return Ok(Vec::new());
        };
        let records = self.store.contact_requests_for(by.account_id).await?;
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let key = self.vault.practice_key(self.store(), practice).await?;
        let mut views = Vec::new();
        for record in records {
            let text = key.open_str(
                &Sealed::from_bytes(record.sealed.clone())?,
                &Binding::new(CONTACT_TABLE, "sealed", record.id),
            )?;
            let content: ContactContent = serde_json::from_str(text.expose_secret())
                .map_err(|e| AppError::Task(e.to_string()))?;
            let event = self.event_about(
                Actor::User(by.account_id.as_uuid()),
                practice,
                Action::Read,
                CONTACT,
                record.id,
                context,
            );
            self.record_event(event).await?;
            views.push(ContactRequestView {
                id: record.id,
                alias: content.alias,
                reply_to: content.reply_to,
                message: content.message,
                received_at: record.received_at,
                read: record.read_at.is_some(),
            });
        }
        Ok(views)
    }

    /// Marks one of the clinician's contact requests as read.
    pub async fn mark_contact_request_read(
        &self,
        by: &SignedIn,
        request: Uuid,
    ) -> Result<bool, AppError> {
        Ok(self
            .store
            .mark_contact_read(by.account_id, request, self.clock.now())
            .await?)
    }

    /// Reports a concern about a published therapist; where else to take it.
    pub async fn report_concern(
        &self,
        profile: Uuid,
        form: &ReportForm,
    ) -> Result<ReportReceipt, DirectoryError> {
        let Some(view) = self.public_profile(profile).await? else {
            return Err(DirectoryError::NotAllowed);
        };
        let mut problems = Vec::new();
        let description = limited(
            &mut problems,
            "description",
            "What happened",
            &form.description,
            4000,
        );
        let contact = form.contact.trim().to_owned();
        if contact.chars().count() > 200 || contact.chars().any(char::is_control) {
            problems.push((
                "contact".into(),
                "How to reach you: up to 200 characters, or leave it empty to stay anonymous"
                    .into(),
            ));
        }
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let id = Uuid::now_v7();
        let now = self.clock.now();
        let content = serde_json::to_string(&ReportContent {
            description,
            contact,
        })
        .map_err(|e| AppError::Task(e.to_string()))?;
        let sealed = self
            .vault
            .installation_key()
            .seal_str(&content, &Binding::new(REPORT_TABLE, "sealed", id))
            .map_err(AppError::from)?
            .into_bytes();
        let event = self.event_about(
            Actor::Anonymous,
            view.profile.practice_id,
            Action::Create,
            REPORT,
            id,
            &AuditContext::default(),
        );
        self.store
            .save_concern_report(
                &ConcernReportRecord {
                    id,
                    profile_id: profile,
                    sealed,
                    status: "new".into(),
                    outcome_sealed: None,
                    handled_by: None,
                    created_at: now,
                    updated_at: now,
                },
                self.audited(vec![event]),
            )
            .await?;
        self.receipt(profile).await.map_err(DirectoryError::from)
    }

    /// The licensing boards for a profile's verified licences.
    async fn receipt(&self, profile: Uuid) -> Result<ReportReceipt, AppError> {
        let boards = LicensingBoards::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let mut receipt = ReportReceipt {
            boards: Vec::new(),
            advice: None,
        };
        for credential in self.store.profile_credentials(profile).await? {
            if credential.kind != "licence" || credential.status != "verified" {
                continue;
            }
            match boards.boards_for(&credential.jurisdiction, &credential.type_id) {
                WhereToReport::Boards(found) => {
                    for board in found {
                        if !receipt.boards.iter().any(|b| b.name == board.name) {
                            receipt.boards.push(BoardView {
                                name: board.name.clone(),
                                website: board.website.clone(),
                            });
                        }
                    }
                }
                WhereToReport::NoEntry { advice } => receipt.advice = Some(advice.to_owned()),
            }
        }
        Ok(receipt)
    }

    /// Every report, for a verifier (an audited read).
    pub async fn concern_reports(
        &self,
        by: &SignedIn,
        context: &AuditContext,
    ) -> Result<Vec<ReportView>, AppError> {
        if by.role != Role::Verifier {
            return Ok(Vec::new());
        }
        let key = self.vault.installation_key();
        let mut views = Vec::new();
        for record in self.store.concern_reports().await? {
            let text = key.open_str(
                &Sealed::from_bytes(record.sealed.clone())?,
                &Binding::new(REPORT_TABLE, "sealed", record.id),
            )?;
            let content: ReportContent = serde_json::from_str(text.expose_secret())
                .map_err(|e| AppError::Task(e.to_string()))?;
            let outcome = match &record.outcome_sealed {
                Some(bytes) => key
                    .open_str(
                        &Sealed::from_bytes(bytes.clone())?,
                        &Binding::new(REPORT_TABLE, "outcome_sealed", record.id),
                    )?
                    .expose_secret()
                    .to_owned(),
                None => String::new(),
            };
            let profile = self.store.profile(record.profile_id).await?;
            if let Some(profile) = &profile {
                let event = self.event_about(
                    Actor::User(by.account_id.as_uuid()),
                    profile.practice_id,
                    Action::Read,
                    REPORT,
                    record.id,
                    context,
                );
                self.record_event(event).await?;
            }
            views.push(ReportView {
                id: record.id,
                profile_id: record.profile_id,
                therapist: profile
                    .as_ref()
                    .map_or_else(String::new, |p| p.display_name.clone()),
                suspended: profile
                    .as_ref()
                    .is_some_and(|p| p.status == ProfileStatus::Suspended),
                description: content.description,
                contact: content.contact,
                status: record.status,
                outcome,
                created_at: record.created_at,
            });
        }
        Ok(views)
    }

    /// A verifier records where a report stands and what was done.
    pub async fn handle_report(
        &self,
        by: &SignedIn,
        report: Uuid,
        status: &str,
        outcome: &str,
        context: &AuditContext,
    ) -> Result<(), DirectoryError> {
        if by.role != Role::Verifier {
            return Err(DirectoryError::NotAllowed);
        }
        let Some(record) = self
            .store
            .concern_reports()
            .await?
            .into_iter()
            .find(|r| r.id == report)
        else {
            return Err(DirectoryError::NotAllowed);
        };
        let mut problems = Vec::new();
        if !matches!(status, "new" | "reviewing" | "closed") {
            problems.push(("status".into(), "Choose new, reviewing or closed".into()));
        }
        let outcome = outcome.replace("\r\n", "\n");
        let outcome = outcome.trim();
        if status == "closed" && outcome.is_empty() {
            problems.push((
                "outcome".into(),
                "Say what was done before closing the report".into(),
            ));
        }
        if outcome.chars().count() > 2000 {
            problems.push((
                "outcome".into(),
                "Keep the outcome to 2000 characters".into(),
            ));
        }
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let outcome_sealed = if outcome.is_empty() {
            None
        } else {
            Some(
                self.vault
                    .installation_key()
                    .seal_str(
                        outcome,
                        &Binding::new(REPORT_TABLE, "outcome_sealed", report),
                    )
                    .map_err(AppError::from)?
                    .into_bytes(),
            )
        };
        let practice = self
            .store
            .profile(record.profile_id)
            .await?
            .map(|p| p.practice_id)
            .ok_or(DirectoryError::NotAllowed)?;
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Update,
            REPORT,
            report,
            context,
        );
        self.store
            .save_concern_report(
                &ConcernReportRecord {
                    status: status.to_owned(),
                    outcome_sealed,
                    handled_by: Some(by.account_id),
                    updated_at: self.clock.now(),
                    ..record
                },
                self.audited(vec![event]),
            )
            .await?;
        Ok(())
    }
}
