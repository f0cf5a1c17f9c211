//! The intake: each client answers in private in their portal, saves as they go and
//! sends it when ready; their clinician reads it, amends it in session, and is alerted
//! at once when a safety question is answered "yes".
//!
//! Every save appends entries (only for answers that changed), so the full history
//! stays readable with author and time. Bad input saves nothing: the form comes back
//! with what was typed and a message on each field that needs attention. The intake is
//! always the client's individual item: the access policy never shows it to a partner.

use std::collections::HashMap;

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::access::{self, Intent, Resource, Visibility};
use sensate_domain::accounts::Role;
use sensate_domain::intake::{AnswerError, QUESTIONS, Question, SafetyConcern, question};
use sensate_domain::{AccountId, CaseId, ClientId, PracticeId};
use sensate_store::{IntakeAlertRecord, IntakeEntryRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const INTAKE: ObjectType = ObjectType::from_static("intake");
const ALERT: ObjectType = ObjectType::from_static("intake_alert");
const ENTRY_TABLE: &str = "intake_entry";
const ALERT_TABLE: &str = "intake_alert";

/// One question with its current answer.
#[derive(Debug)]
pub struct IntakeAnswer {
    /// The question.
    pub question: &'static Question,
    /// The current answer, opened (a choice's code, or the text).
    pub answer: Option<SecretString>,
}

/// A client's intake as it stands.
#[derive(Debug)]
pub struct IntakeView {
    /// Whose.
    pub client_id: ClientId,
    /// Every question, in order, with its current answer.
    pub answers: Vec<IntakeAnswer>,
    /// When the client sent it.
    pub submitted_at: Option<OffsetDateTime>,
}

/// One saved change, for the history.
#[derive(Debug)]
pub struct IntakeChange {
    /// The question.
    pub question: &'static Question,
    /// The answer saved, opened; `None` when it was cleared.
    pub answer: Option<SecretString>,
    /// Who saved it.
    pub author: SecretString,
    /// True when their clinician saved it, in session.
    pub by_clinician: bool,
    /// When.
    pub written_at: OffsetDateTime,
}

/// A safety alert, opened for the clinician.
#[derive(Debug)]
pub struct AlertView {
    /// Its id.
    pub id: Uuid,
    /// About whom.
    pub client_id: ClientId,
    /// What it is about.
    pub concern: SafetyConcern,
    /// When it was raised.
    pub raised_at: OffsetDateTime,
    /// When it was marked as seen.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// What the clinician recorded doing about it.
    pub action: Option<SecretString>,
}

/// What marking an alert as seen did.
#[derive(Debug, PartialEq, Eq)]
pub enum Acknowledged {
    /// Marked as seen, with the action recorded.
    Done,
    /// The action needs writing first; nothing was recorded.
    NeedsAction(String),
    /// No such open alert for this clinician (already seen, or not theirs).
    NotFound,
}

/// What the clinician sees of one client's intake.
#[derive(Debug)]
pub struct ClinicianIntake {
    /// The client's name.
    pub name: SecretString,
    /// The intake as it stands.
    pub intake: IntakeView,
    /// Every saved change, newest first.
    pub history: Vec<IntakeChange>,
    /// The client's safety alerts, newest first.
    pub alerts: Vec<AlertView>,
}

/// Why answers were not saved.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// Some answers need attention; nothing was saved.
    #[error("some answers need attention")]
    Invalid(Vec<(&'static str, AnswerError)>),
    /// Not this person's intake to change.
    #[error("this intake cannot be changed here")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub struct Saved {
    /// How many answers changed.
    pub changed: usize,
    /// True when the intake was sent (now or before).
    pub sent: bool,
}

fn open(
    key: &DataKey,
    bytes: &[u8],
    table: &'static str,
    column: &'static str,
    row: Uuid,
) -> Result<SecretString, AppError> {
    Ok(key.open_str(
        &Sealed::from_bytes(bytes.to_vec())?,
        &Binding::new(table, column, row),
    )?)
}

impl App {
    /// The current answers from a client's entries (newest entry per question wins).
    fn current_answers(
        &self,
        key: &DataKey,
        entries: &[IntakeEntryRecord],
    ) -> Result<HashMap<&'static str, Option<SecretString>>, AppError> {
        let mut current = HashMap::new();
        for entry in entries {
            let Some(question) = question(&entry.question_id) else {
                continue;
            };
            let answer = entry
                .answer_sealed
                .as_deref()
                .map(|bytes| open(key, bytes, ENTRY_TABLE, "answer_sealed", entry.id))
                .transpose()?;
            current.insert(question.id, answer);
        }
        Ok(current)
    }

    async fn intake_view(
        &self,
        key: &DataKey,
        client: ClientId,
    ) -> Result<(IntakeView, Vec<IntakeEntryRecord>), AppError> {
        let entries = self.store.intake_entries(client).await?;
        let mut current = self.current_answers(key, &entries)?;
        let answers = QUESTIONS
            .iter()
            .map(|question| IntakeAnswer {
                question,
                answer: current.remove(question.id).flatten(),
            })
            .collect();
        Ok((
            IntakeView {
                client_id: client,
                answers,
                submitted_at: self.store.intake_submitted_at(client).await?,
            },
            entries,
        ))
    }

    /// The signed-in client's own intake; `None` for an account not linked to a record.
    pub async fn my_intake(
        &self,
        client: &SignedIn,
        context: &AuditContext,
    ) -> Result<Option<IntakeView>, AppError> {
        let (Role::Client, Some(practice), Some(record)) =
            (client.role, client.practice_id, client.client_id)
        else {
            return Ok(None);
        };
        let key = self.vault.practice_key(self.store(), practice).await?;
        let event = self.event_about(
            Actor::User(client.account_id.as_uuid()),
            practice,
            Action::Read,
            INTAKE,
            record.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        Ok(Some(self.intake_view(&key, record).await?.0))
    }

    /// Saves the signed-in client's answers, and sends the intake when `send` is set.
    pub async fn save_my_intake(
        &self,
        client: &SignedIn,
        answers: &[(String, String)],
        send: bool,
        context: &AuditContext,
    ) -> Result<Saved, IntakeError> {
        let (Role::Client, Some(practice), Some(record)) =
            (client.role, client.practice_id, client.client_id)
        else {
            return Err(IntakeError::NotAllowed);
        };
        self.save_answers(practice, record, client.account_id, answers, send, context)
            .await
    }

    /// Checks and stores answers for `client`, written by `author`.
    async fn save_answers(
        &self,
        practice: PracticeId,
        client: ClientId,
        author: AccountId,
        answers: &[(String, String)],
        send: bool,
        context: &AuditContext,
    ) -> Result<Saved, IntakeError> {
        let mut checked: Vec<(&'static Question, Option<String>)> = Vec::new();
        let mut problems = Vec::new();
        for (id, raw) in answers {
            let Some(question) = question(id) else {
                continue;
            };
            match question.check(raw) {
                Ok(answer) => checked.push((question, answer)),
                Err(problem) => problems.push((question.id, problem)),
            }
        }
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        let entries = self
            .store
            .intake_entries(client)
            .await
            .map_err(AppError::from)?;
        let current = self.current_answers(&key, &entries)?;
        let already_sent = self
            .store
            .intake_submitted_at(client)
            .await
            .map_err(AppError::from)?
            .is_some();
        if send {
            for question in QUESTIONS.iter().filter(|q| q.required) {
                let submitted = checked
                    .iter()
                    .find(|(q, _)| q.id == question.id)
                    .map(|(_, a)| a.is_some());
                let stored = current.get(question.id).is_some_and(Option::is_some);
                if !submitted.unwrap_or(stored)
                    && !problems.iter().any(|(id, _)| *id == question.id)
                {
                    problems.push((question.id, AnswerError::Required));
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|(id, _)| QUESTIONS.iter().position(|q| q.id == *id));
            return Err(IntakeError::Invalid(problems));
        }
        let now = self.clock.now();
        let mut new_entries = Vec::new();
        let mut alerts = Vec::new();
        for (question, answer) in checked {
            let before = current
                .get(question.id)
                .and_then(|a| a.as_ref())
                .map(|a| a.expose_secret().to_owned());
            if before == answer {
                continue;
            }
            let id = Uuid::now_v7();
            let sealed = answer
                .as_deref()
                .map(|text| {
                    key.seal_str(text, &Binding::new(ENTRY_TABLE, "answer_sealed", id))
                        .map(Sealed::into_bytes)
                })
                .transpose()
                .map_err(AppError::from)?;
            if let (Some(concern), Some(answer)) = (question.safety, answer.as_deref())
                && question.raises_alert(answer)
                && !before.as_deref().is_some_and(|b| question.raises_alert(b))
            {
                let alert_id = Uuid::now_v7();
                alerts.push(IntakeAlertRecord {
                    id: alert_id,
                    practice_id: practice,
                    client_id: client,
                    concern_sealed: key
                        .seal_str(
                            concern.code(),
                            &Binding::new(ALERT_TABLE, "concern_sealed", alert_id),
                        )
                        .map_err(AppError::from)?
                        .into_bytes(),
                    raised_at: now,
                    acknowledged_at: None,
                    acknowledged_by: None,
                    action_sealed: None,
                });
            }
            new_entries.push(IntakeEntryRecord {
                id,
                practice_id: practice,
                client_id: client,
                question_id: question.id.to_owned(),
                answer_sealed: sealed,
                author_id: author,
                written_at: now,
            });
        }
        let changed = new_entries.len();
        if changed > 0 {
            let mut events = vec![self.event_about(
                Actor::User(author.as_uuid()),
                practice,
                Action::Update,
                INTAKE,
                client.as_uuid(),
                context,
            )];
            for alert in &alerts {
                events.push(self.event_about(
                    Actor::User(author.as_uuid()),
                    practice,
                    Action::Create,
                    ALERT,
                    alert.id,
                    context,
                ));
            }
            self.store
                .record_intake(&new_entries, &alerts, self.audited(events))
                .await
                .map_err(AppError::from)?;
        }
        if send && !already_sent {
            let event = self.event_about(
                Actor::User(author.as_uuid()),
                practice,
                Action::Create,
                INTAKE,
                client.as_uuid(),
                context,
            );
            self.store
                .submit_intake(client, now, self.audited(vec![event]))
                .await
                .map_err(AppError::from)?;
        }
        Ok(Saved {
            changed,
            sent: send || already_sent,
        })
    }

    /// May this person (a clinician of the case) see or change this client's intake?
    /// Answers the practice when they may.
    async fn intake_access(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        intent: Intent,
    ) -> Result<Option<PracticeId>, AppError> {
        let Some(record) = self.store.case(case).await? else {
            return Ok(None);
        };
        if !record.clients.contains(&client) || !matches!(by.role, Role::Owner | Role::Clinician) {
            return Ok(None);
        }
        let resource = Resource::ClinicalItem {
            practice: record.practice_id,
            clients: &record.clients,
            clinicians: &[record.clinician_id],
            visibility: Visibility::Individual(client),
        };
        Ok(access::decide(&by.actor(), intent, &resource)
            .allowed()
            .then_some(record.practice_id))
    }

    /// A client's intake, its history and alerts, for a clinician of the case.
    pub async fn client_intake(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        context: &AuditContext,
    ) -> Result<Option<ClinicianIntake>, AppError> {
        let Some(practice) = self.intake_access(by, case, client, Intent::Read).await? else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Read,
            INTAKE,
            client.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        let key = self.vault.practice_key(self.store(), practice).await?;
        let Some(record) = self.store.client(client).await? else {
            return Ok(None);
        };
        let name = crate::cases::open_client(&key, &record)?.name;
        let (intake, entries) = self.intake_view(&key, client).await?;
        let mut authors: HashMap<AccountId, (SecretString, bool)> = HashMap::new();
        let mut history = Vec::with_capacity(entries.len());
        for entry in entries.iter().rev() {
            let Some(question) = question(&entry.question_id) else {
                continue;
            };
            if let std::collections::hash_map::Entry::Vacant(slot) = authors.entry(entry.author_id)
            {
                let person = self.person(entry.author_id).await?;
                let (author, staff) = match person {
                    Some(person) => (person.name, person.role != Role::Client),
                    None => (SecretString::from("(no longer here)"), false),
                };
                slot.insert((author, staff));
            }
            let (author, by_clinician) = authors
                .get(&entry.author_id)
                .cloned()
                .unwrap_or_else(|| (SecretString::from(""), false));
            history.push(IntakeChange {
                question,
                answer: entry
                    .answer_sealed
                    .as_deref()
                    .map(|bytes| open(&key, bytes, ENTRY_TABLE, "answer_sealed", entry.id))
                    .transpose()?,
                author,
                by_clinician,
                written_at: entry.written_at,
            });
        }
        let alerts = self
            .store
            .client_alerts(client)
            .await?
            .iter()
            .rev()
            .map(|alert| self.open_alert(&key, alert))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ClinicianIntake {
            name,
            intake,
            history,
            alerts,
        }))
    }

    pub(crate) fn open_alert(
        &self,
        key: &DataKey,
        alert: &IntakeAlertRecord,
    ) -> Result<AlertView, AppError> {
        let _ = self;
        let code = open(
            key,
            &alert.concern_sealed,
            ALERT_TABLE,
            "concern_sealed",
            alert.id,
        )?;
        let concern = SafetyConcern::parse(code.expose_secret()).ok_or_else(|| {
            AppError::Store(sensate_store::StoreError::Corrupt {
                what: "alert concern",
                reason: "unknown code".into(),
            })
        })?;
        let action = alert
            .action_sealed
            .as_deref()
            .map(|bytes| open(key, bytes, ALERT_TABLE, "action_sealed", alert.id))
            .transpose()?;
        Ok(AlertView {
            id: alert.id,
            client_id: alert.client_id,
            concern,
            raised_at: alert.raised_at,
            acknowledged_at: alert.acknowledged_at,
            action,
        })
    }

    /// Amends a client's intake in session, as their clinician.
    pub async fn amend_intake(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        answers: &[(String, String)],
        context: &AuditContext,
    ) -> Result<Saved, IntakeError> {
        let Some(practice) = self.intake_access(by, case, client, Intent::Write).await? else {
            return Err(IntakeError::NotAllowed);
        };
        self.save_answers(practice, client, by.account_id, answers, false, context)
            .await
    }

    /// Marks a client's alert as seen. False when it is not theirs to mark.
    pub async fn acknowledge_alert(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        alert: Uuid,
        action: &str,
        context: &AuditContext,
    ) -> Result<Acknowledged, AppError> {
        let Some(practice) = self.intake_access(by, case, client, Intent::Write).await? else {
            return Ok(Acknowledged::NotFound);
        };
        if !self
            .store
            .client_alerts(client)
            .await?
            .iter()
            .any(|a| a.id == alert)
        {
            return Ok(Acknowledged::NotFound);
        }
        let action = match sensate_domain::therapy_session::clean_note_text(action) {
            Ok(text) if !text.is_empty() => text,
            Ok(_) => {
                return Ok(Acknowledged::NeedsAction(
                    "Write what you did about this alert (for example: called the client, agreed a safety plan)".into(),
                ));
            }
            Err(problem) => return Ok(Acknowledged::NeedsAction(problem)),
        };
        let key = self.vault.practice_key(self.store(), practice).await?;
        let action_sealed = key
            .seal_str(&action, &Binding::new(ALERT_TABLE, "action_sealed", alert))?
            .into_bytes();
        let now = self.clock.now();
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Update,
            ALERT,
            alert,
            context,
        );
        Ok(
            if self
                .store
                .acknowledge_alert(
                    alert,
                    by.account_id,
                    now,
                    &action_sealed,
                    self.audited(vec![event]),
                )
                .await?
            {
                Acknowledged::Done
            } else {
                Acknowledged::NotFound
            },
        )
    }

    /// The open safety alerts about the clinician's own clients, with the case each
    /// belongs to, oldest first.
    pub async fn my_open_alerts(
        &self,
        by: &SignedIn,
    ) -> Result<Vec<(CaseId, SecretString, AlertView)>, AppError> {
        let Some(practice) = by
            .practice_id
            .filter(|_| matches!(by.role, Role::Owner | Role::Clinician))
        else {
            return Ok(Vec::new());
        };
        let alerts = self.store.open_alerts(practice).await?;
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let cases = self.store.clinician_cases(by.account_id).await?;
        let key = self.vault.practice_key(self.store(), practice).await?;
        let mut mine = Vec::new();
        for alert in &alerts {
            let Some(case) = cases
                .iter()
                .rev()
                .find(|c| c.closed_at.is_none() && c.clients.contains(&alert.client_id))
            else {
                continue;
            };
            let Some(record) = self.store.client(alert.client_id).await? else {
                continue;
            };
            let name = crate::cases::open_client(&key, &record)?.name;
            mine.push((case.id, name, self.open_alert(&key, alert)?));
        }
        Ok(mine)
    }
}

/// Something that happened to a client's intake, for the case's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntakeMilestoneKind {
    /// The client sent it.
    Sent,
    /// A clinician wrote or changed answers in session.
    ChangedInSession,
    /// A safety answer raised an alert.
    AlertRaised,
    /// A clinician marked that alert as seen.
    AlertSeen,
}

/// One intake event, without any answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntakeMilestone {
    /// Whose intake.
    pub client: ClientId,
    /// When.
    pub at: OffsetDateTime,
    /// What happened.
    pub kind: IntakeMilestoneKind,
}

impl App {
    /// What happened to the intakes of a case's clients, for its clinician's timeline:
    /// when each was sent, when a clinician changed it in session, and its safety alerts.
    /// No answer is opened, so nothing clinical is read here (the case's own read is
    /// already recorded by the page); a refusal is an empty list.
    pub async fn intake_milestones(
        &self,
        by: &SignedIn,
        case: CaseId,
        context: &AuditContext,
    ) -> Result<Vec<IntakeMilestone>, AppError> {
        let Some(case) = self.permitted_case(by, case, Intent::Read, context).await? else {
            return Ok(Vec::new());
        };
        let mut milestones = Vec::new();
        for &client in &case.clients {
            if let Some(at) = self.store.intake_submitted_at(client).await? {
                milestones.push(IntakeMilestone {
                    client,
                    at,
                    kind: IntakeMilestoneKind::Sent,
                });
            }
            let own_account = self.store.account_for_client(client).await?.map(|a| a.id);
            // One save writes its answers with one author and one time: one milestone.
            let mut last: Option<(AccountId, OffsetDateTime)> = None;
            for entry in self.store.intake_entries(client).await? {
                let save = (entry.author_id, entry.written_at);
                if Some(entry.author_id) == own_account || last == Some(save) {
                    continue;
                }
                last = Some(save);
                milestones.push(IntakeMilestone {
                    client,
                    at: entry.written_at,
                    kind: IntakeMilestoneKind::ChangedInSession,
                });
            }
            for alert in self.store.client_alerts(client).await? {
                milestones.push(IntakeMilestone {
                    client,
                    at: alert.raised_at,
                    kind: IntakeMilestoneKind::AlertRaised,
                });
                if let Some(at) = alert.acknowledged_at {
                    milestones.push(IntakeMilestone {
                        client,
                        at,
                        kind: IntakeMilestoneKind::AlertSeen,
                    });
                }
            }
        }
        Ok(milestones)
    }
}
