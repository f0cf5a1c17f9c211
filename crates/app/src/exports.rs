//! Copies of records: a client's own copy (their right of access), and a clinician's
//! export of a whole case.
//!
//! Both are built from the same functions the pages use, so an export never shows
//! anything its reader could not open on a page: a partner's copy holds the case's
//! shared items and their own, never the other partner's private ones. Session notes
//! are left out of the client's copy (in a couple's case they can hold what one
//! partner said alone; the practice releases notes after review). A clinician's export
//! leaves out process notes unless the clinician asks for them by name. Each export is
//! one `export` audit row.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_domain::CaseId;
use sensate_domain::accounts::Role;
use sensate_domain::intake::AnswerKind;
use serde::Serialize;

use crate::audit_log::AuditContext;
use crate::consent::ConsentStatus;
use crate::intake::IntakeAnswer;
use crate::messages::MessageView;
use crate::plans::PlanRevision;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const CLIENT_RECORD: ObjectType = ObjectType::from_static("client_record");
const CASE_RECORD: ObjectType = ObjectType::from_static("case_record");
const CASE_RECORD_WITH_PROCESS_NOTES: ObjectType =
    ObjectType::from_static("case_record_with_process_notes");

/// The export format's name and version, first in every file.
pub const EXPORT_FORMAT: &str = "sensate-export/1";

fn text(secret: &SecretString) -> String {
    secret.expose_secret().to_owned()
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A client's details.
#[derive(Debug, Serialize)]
pub struct ClientDetails {
    /// Name.
    pub name: String,
    /// Pronouns.
    pub pronouns: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
}

/// Where the client stands with the consent document.
#[derive(Debug, Serialize)]
pub struct ConsentPart {
    /// `signed`, `signed_earlier` or `not_signed`.
    pub status: &'static str,
    /// The version signed.
    pub version: Option<i64>,
    /// When the current version was signed.
    pub signed_at: Option<String>,
}

fn consent_part(status: &ConsentStatus) -> ConsentPart {
    match *status {
        ConsentStatus::Signed { version, at } => ConsentPart {
            status: "signed",
            version: Some(version),
            signed_at: Some(rfc3339(at)),
        },
        ConsentStatus::SignedEarlier { version } => ConsentPart {
            status: "signed_earlier",
            version: Some(version),
            signed_at: None,
        },
        ConsentStatus::NotSigned => ConsentPart {
            status: "not_signed",
            version: None,
            signed_at: None,
        },
    }
}

/// One intake question and its current answer, in words.
#[derive(Debug, Serialize)]
pub struct AnswerPart {
    /// The question's id.
    pub id: &'static str,
    /// The question as asked.
    pub question: &'static str,
    /// The answer (a choice's words, not its code).
    pub answer: Option<String>,
}

fn answers(intake: &[IntakeAnswer]) -> Vec<AnswerPart> {
    intake
        .iter()
        .map(|a| AnswerPart {
            id: a.question.id,
            question: a.question.prompt,
            answer: a.answer.as_ref().map(|answer| {
                let raw = answer.expose_secret();
                match a.question.kind {
                    AnswerKind::Choice(choices) => choices
                        .iter()
                        .find(|(code, _)| *code == raw)
                        .map_or_else(|| raw.to_owned(), |(_, label)| (*label).to_owned()),
                    AnswerKind::Text => raw.to_owned(),
                }
            }),
        })
        .collect()
}

/// One revision of a plan.
#[derive(Debug, Serialize)]
pub struct PlanPart {
    /// Its number.
    pub number: i64,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub written_at: String,
    /// Why it changed (the clinician's export only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The plan (the clinician's own notes only in the clinician's export).
    pub plan: sensate_domain::plan::PlanContent,
}

fn plan_part(revision: PlanRevision) -> PlanPart {
    PlanPart {
        number: revision.number,
        author: text(&revision.author),
        written_at: rfc3339(revision.written_at),
        reason: revision.reason.as_ref().map(text),
        plan: revision.content,
    }
}

/// One message.
#[derive(Debug, Serialize)]
pub struct MessagePart {
    /// Who wrote it.
    pub author: String,
    /// When.
    pub sent_at: String,
    /// True when it is private between one client and the clinician.
    pub private: bool,
    /// When a private message was shared with the case.
    pub shared_at: Option<String>,
    /// Its text.
    pub text: String,
}

fn message_part(message: &MessageView) -> MessagePart {
    MessagePart {
        author: text(&message.author),
        sent_at: rfc3339(message.sent_at),
        private: message.private_to.is_some(),
        shared_at: message.shared_at.map(rfc3339),
        text: text(&message.text),
    }
}

/// One session, without its notes.
#[derive(Debug, Serialize)]
pub struct SessionPart {
    /// When it began.
    pub starts_at: String,
    /// Minutes.
    pub minutes: i64,
    /// `in_person`, `video` or `phone`.
    pub modality: &'static str,
    /// The type, in words.
    pub session_type: &'static str,
    /// Its CPT code.
    pub cpt_code: Option<String>,
}

/// One answer to a questionnaire: the question (our short summary of it) and the coded
/// answer given, or none.
#[derive(Debug, Serialize)]
pub struct QuestionAnswerPart {
    /// The item's id (`phq9_1`).
    pub item: String,
    /// Our short summary of the question (the validated wording is the practice's).
    pub question: String,
    /// The coded answer; `None` when left blank.
    pub answer: Option<u8>,
}

/// A completed questionnaire as its client's copy holds it: the answers they gave.
#[derive(Debug, Serialize)]
pub struct ClientQuestionnairePart {
    /// The questionnaire's name.
    pub questionnaire: String,
    /// When it was completed.
    pub completed_at: String,
    /// The answers, in question order.
    pub answers: Vec<QuestionAnswerPart>,
}

/// A completed questionnaire with its score, for the clinician's export.
#[derive(Debug, Serialize)]
pub struct QuestionnairePart {
    /// The questionnaire's name.
    pub questionnaire: String,
    /// When it was completed.
    pub completed_at: String,
    /// True when the clinician entered the answers from paper.
    pub entered_from_paper: bool,
    /// The answers, in question order.
    pub answers: Vec<QuestionAnswerPart>,
    /// The score, in the shape `sensate score` prints.
    pub score: sensate_instruments::Score,
}

/// A safety alert and what was done about it.
#[derive(Debug, Serialize)]
pub struct SafetyAlertPart {
    /// What it was about, in words.
    pub concern: &'static str,
    /// When it was raised.
    pub raised_at: String,
    /// When the clinician marked it as seen.
    pub acknowledged_at: Option<String>,
    /// What they recorded doing.
    pub action: Option<String>,
}

fn question_answers(result: &crate::ResultView) -> Vec<QuestionAnswerPart> {
    result
        .instrument
        .items()
        .iter()
        .zip(&result.answers)
        .map(|(item, answer)| QuestionAnswerPart {
            item: item.id().to_owned(),
            question: item.label().to_owned(),
            answer: *answer,
        })
        .collect()
}

/// A case as its client's copy holds it.
#[derive(Debug, Serialize)]
pub struct ClientCasePart {
    /// `individual`, `couple` or `group`.
    pub kind: &'static str,
    /// When care began.
    pub opened_at: String,
    /// When it ended.
    pub closed_at: Option<String>,
    /// The newest plan, as the client reads it.
    pub plan: Option<PlanPart>,
    /// The sessions this client attended.
    pub sessions: Vec<SessionPart>,
    /// The case's messages and this client's private ones.
    pub messages: Vec<MessagePart>,
    /// The questionnaires this client completed, with their answers.
    pub questionnaires: Vec<ClientQuestionnairePart>,
}

/// A client's copy of their records.
#[derive(Debug, Serialize)]
pub struct ClientRecordsExport {
    /// [`EXPORT_FORMAT`].
    pub format: &'static str,
    /// When the copy was made.
    pub exported_at: String,
    /// What is and is not in it, in words.
    pub about: &'static str,
    /// Their details.
    pub client: ClientDetails,
    /// Their consent.
    pub consent: ConsentPart,
    /// When they sent their intake.
    pub intake_sent_at: Option<String>,
    /// Their intake answers.
    pub intake: Vec<AnswerPart>,
    /// Their cases.
    pub cases: Vec<ClientCasePart>,
}

const CLIENT_COPY_ABOUT: &str = "Your own copy of what the practice keeps about you in \
    Sensate: your details, your consent, your intake answers, your treatment plans, the \
    sessions you attended, your messages, and your answers to questionnaires. Session \
    notes and questionnaire scores are not included: ask your therapist for them, and \
    they can go through them with you. In couples work they are reviewed first, so nothing one partner \
    said alone reaches the other.";

/// A session with its notes, for the clinician's export.
#[derive(Debug, Serialize)]
pub struct SessionRecordPart {
    /// The session.
    #[serde(flatten)]
    pub session: SessionPart,
    /// Who attended.
    pub attendees: Vec<String>,
    /// The progress note's template, if there is a note.
    pub note_template: Option<&'static str>,
    /// The note's sections: (heading, text).
    pub note: Vec<(&'static str, String)>,
    /// The plan goals it worked on.
    pub note_goals: Vec<String>,
    /// When the note was signed.
    pub note_signed_at: Option<String>,
    /// Addenda: (author, when, text).
    pub addenda: Vec<(String, String, String)>,
    /// The process note, only when the clinician asked for process notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_note: Option<String>,
}

/// A client within the clinician's case export.
#[derive(Debug, Serialize)]
pub struct CaseClientPart {
    /// Their details.
    pub client: ClientDetails,
    /// Their consent.
    pub consent: ConsentPart,
    /// When they sent their intake.
    pub intake_sent_at: Option<String>,
    /// Their intake answers.
    pub intake: Vec<AnswerPart>,
    /// Their completed questionnaires in this case, oldest first, with scores.
    pub questionnaires: Vec<QuestionnairePart>,
    /// Their safety alerts (the intake's and the questionnaires'), newest first.
    pub safety_alerts: Vec<SafetyAlertPart>,
}

/// A whole case, for its clinician.
#[derive(Debug, Serialize)]
pub struct CaseRecordExport {
    /// [`EXPORT_FORMAT`].
    pub format: &'static str,
    /// When the export was made.
    pub exported_at: String,
    /// True when process notes are included.
    pub includes_process_notes: bool,
    /// `individual`, `couple` or `group`.
    pub kind: &'static str,
    /// For a couple, the secrets policy's code.
    pub secrets_policy: Option<&'static str>,
    /// The clinician.
    pub clinician: String,
    /// When care began.
    pub opened_at: String,
    /// When it ended.
    pub closed_at: Option<String>,
    /// The clients.
    pub clients: Vec<CaseClientPart>,
    /// Every plan revision, oldest first.
    pub plan_revisions: Vec<PlanPart>,
    /// Every session, oldest first.
    pub sessions: Vec<SessionRecordPart>,
    /// Every message, each marked private or not.
    pub messages: Vec<MessagePart>,
}

fn session_part(line: &crate::therapy_sessions::SessionLine) -> SessionPart {
    SessionPart {
        starts_at: rfc3339(line.starts_at),
        minutes: line.minutes,
        modality: line.modality.code(),
        session_type: line.session_type.label(),
        cpt_code: line.cpt_code.clone(),
    }
}

impl App {
    fn export_event(
        &self,
        by: &SignedIn,
        practice: sensate_domain::PracticeId,
        object: ObjectType,
        id: uuid::Uuid,
        context: &AuditContext,
    ) -> sensate_audit::AuditEvent {
        self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Export,
            object,
            id,
            context,
        )
    }

    /// The signed-in client's copy of their records; `None` for an account without a
    /// client record.
    pub async fn my_records(
        &self,
        by: &SignedIn,
        context: &AuditContext,
    ) -> Result<Option<ClientRecordsExport>, AppError> {
        let (Role::Client, Some(me), Some(practice)) = (by.role, by.client_id, by.practice_id)
        else {
            return Ok(None);
        };
        let Some(record) = self.store.client(me).await? else {
            return Ok(None);
        };
        self.record_event(self.export_event(by, practice, CLIENT_RECORD, me.as_uuid(), context))
            .await?;
        let key = self.vault.practice_key(self.store(), practice).await?;
        let details = crate::cases::open_client(&key, &record)?;
        let consent = self.consent_status(practice, me, context).await?;
        let intake = self.my_intake(by, context).await?;
        let mut cases = Vec::new();
        for case in self.store.client_cases(me).await? {
            let plan = self
                .my_plan(by, case.id, context)
                .await?
                .map(|plan| plan_part(plan.revision));
            let mut sessions = Vec::new();
            for session in self.store.case_sessions(case.id).await? {
                // A partner's individual sessions are theirs alone.
                if session.attendees.contains(&me) {
                    sessions.push(session_part(&crate::therapy_sessions::line(
                        &session, None,
                    )?));
                }
            }
            let messages = self
                .messages_for(by, case.id, false, context)
                .await?
                .unwrap_or_default();
            let questionnaires = self
                .completed_results(&key, me, case.id, Some(by.account_id))
                .await?
                .iter()
                .map(|result| ClientQuestionnairePart {
                    questionnaire: result.instrument.name().to_owned(),
                    completed_at: rfc3339(result.completed_at),
                    answers: question_answers(result),
                })
                .collect();
            cases.push(ClientCasePart {
                kind: case.kind.code(),
                opened_at: rfc3339(case.opened_at),
                closed_at: case.closed_at.map(rfc3339),
                plan,
                sessions,
                messages: messages.iter().map(message_part).collect(),
                questionnaires,
            });
        }
        Ok(Some(ClientRecordsExport {
            format: EXPORT_FORMAT,
            exported_at: rfc3339(self.clock.now()),
            about: CLIENT_COPY_ABOUT,
            client: ClientDetails {
                name: text(&details.name),
                pronouns: details.pronouns.as_ref().map(text),
                date_of_birth: details.date_of_birth.as_ref().map(text),
                email: details.email.as_ref().map(text),
                phone: details.phone.as_ref().map(text),
            },
            consent: consent_part(&consent),
            intake_sent_at: intake.as_ref().and_then(|i| i.submitted_at).map(rfc3339),
            intake: intake
                .as_ref()
                .map_or_else(Vec::new, |i| answers(&i.answers)),
            cases,
        }))
    }

    /// A whole case, for its clinician; process notes only when asked for. `None` when
    /// it is not theirs.
    pub async fn export_case(
        &self,
        by: &SignedIn,
        case: CaseId,
        include_process_notes: bool,
        context: &AuditContext,
    ) -> Result<Option<CaseRecordExport>, AppError> {
        let Some(view) = self.case_view(by, case, context).await? else {
            return Ok(None);
        };
        let Some(practice) = by.practice_id else {
            return Ok(None);
        };
        // An export with process notes is recorded as such: the trail must show when
        // the clinician's own notes left Sensate.
        let object = if include_process_notes {
            CASE_RECORD_WITH_PROCESS_NOTES
        } else {
            CASE_RECORD
        };
        self.record_event(self.export_event(by, practice, object, case.as_uuid(), context))
            .await?;
        let mut clients = Vec::new();
        for client in &view.clients {
            let intake = self.client_intake(by, case, client.id, context).await?;
            let questionnaires = self
                .client_questionnaires(by, case, client.id, context)
                .await?;
            clients.push(CaseClientPart {
                questionnaires: questionnaires.as_ref().map_or_else(Vec::new, |q| {
                    q.results
                        .iter()
                        .map(|result| QuestionnairePart {
                            questionnaire: result.instrument.name().to_owned(),
                            completed_at: rfc3339(result.completed_at),
                            entered_from_paper: result.from_paper,
                            answers: question_answers(result),
                            score: result.score.clone(),
                        })
                        .collect()
                }),
                safety_alerts: questionnaires.as_ref().map_or_else(Vec::new, |q| {
                    q.alerts
                        .iter()
                        .map(|alert| SafetyAlertPart {
                            concern: alert.concern.alert(),
                            raised_at: rfc3339(alert.raised_at),
                            acknowledged_at: alert.acknowledged_at.map(rfc3339),
                            action: alert.action.as_ref().map(text),
                        })
                        .collect()
                }),
                client: ClientDetails {
                    name: text(&client.name),
                    pronouns: client.pronouns.as_ref().map(text),
                    date_of_birth: client.date_of_birth.as_ref().map(text),
                    email: client.email.as_ref().map(text),
                    phone: client.phone.as_ref().map(text),
                },
                consent: consent_part(&client.consent),
                intake_sent_at: intake
                    .as_ref()
                    .and_then(|i| i.intake.submitted_at)
                    .map(rfc3339),
                intake: intake
                    .as_ref()
                    .map_or_else(Vec::new, |i| answers(&i.intake.answers)),
            });
        }
        let plan_revisions = self
            .case_plan(by, case, context)
            .await?
            .map_or_else(Vec::new, |plan| {
                plan.revisions.into_iter().map(plan_part).collect()
            });
        let mut sessions = Vec::new();
        for line in self.case_sessions(by, case, context).await? {
            let Some(session) = self.session_view(by, case, line.id, context).await? else {
                continue;
            };
            sessions.push(SessionRecordPart {
                session: session_part(&session.line),
                attendees: session.attendee_names.iter().map(text).collect(),
                note_template: session.note.as_ref().map(|n| n.template.code()),
                note: session.note.as_ref().map_or_else(Vec::new, |n| {
                    n.sections
                        .iter()
                        .map(|s| (s.heading, text(&s.text)))
                        .collect()
                }),
                note_goals: session
                    .note
                    .as_ref()
                    .map_or_else(Vec::new, |n| n.goals.clone()),
                note_signed_at: session.note.as_ref().and_then(|n| n.signed_at).map(rfc3339),
                addenda: session
                    .addenda
                    .iter()
                    .map(|a| (text(&a.author), rfc3339(a.written_at), text(&a.text)))
                    .collect(),
                process_note: session
                    .process_note
                    .as_ref()
                    .filter(|_| include_process_notes)
                    .map(text),
            });
        }
        let messages = self
            .messages_for(by, case, false, context)
            .await?
            .unwrap_or_default();
        Ok(Some(CaseRecordExport {
            format: EXPORT_FORMAT,
            exported_at: rfc3339(self.clock.now()),
            includes_process_notes: include_process_notes,
            kind: view.kind.code(),
            secrets_policy: view.secrets_policy.map(|p| p.code()),
            clinician: text(&view.clinician_name),
            opened_at: rfc3339(view.opened_at),
            closed_at: view.closed_at.map(rfc3339),
            clients,
            plan_revisions,
            sessions,
            messages: messages.iter().map(message_part).collect(),
        }))
    }
}
