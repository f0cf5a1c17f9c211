//! Questionnaires in care: the clinician assigns an instrument to a client (once, or
//! every few weeks, each administration open for some days); the client answers in the
//! portal, saving as they go; the clinician can enter answers from paper. Completed
//! answers are scored by the one engine in `sensate-instruments` and never change.
//!
//! A critical answer (PHQ-9 item 9 above 0) raises a safety alert on the clinician's
//! caseload at once, through the same alert the intake's safety questions use. The
//! client is never shown a score, band or risk label: they see a supportive message
//! with where to get help now.
//!
//! Each partner answers separately, even on a couple measure: a response belongs to
//! one client, and only that client and the clinician ever read it.

use std::sync::OnceLock;

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::accounts::Role;
use sensate_domain::intake::SafetyConcern;
use sensate_domain::{CaseId, ClientId, PracticeId};
use sensate_instruments::fhir::ImportedWording;
use sensate_instruments::{Catalogue, Instrument, Score};
use sensate_store::{
    AssignmentRecord, CaseRecord, IntakeAlertRecord, ResponseRecord, ResponseSave, StoreError,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::questionnaire_schedule::{Round, open_round};
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const ASSIGNMENT: ObjectType = ObjectType::from_static("questionnaire_assignment");
const RESPONSE: ObjectType = ObjectType::from_static("questionnaire_response");
const ASSIGNMENT_TABLE: &str = "questionnaire_assignment";
const RESPONSE_TABLE: &str = "questionnaire_response";
const ALERT_TABLE: &str = "intake_alert";
/// Each administration stays open this many days unless the clinician says otherwise.
pub const DEFAULT_OPEN_DAYS: i64 = 7;

/// The built-in instruments, read once.
pub fn instruments() -> Result<&'static Catalogue, AppError> {
    static LOADED: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    LOADED
        .get_or_init(|| Catalogue::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Task(format!("the built-in instruments: {e}")))
}

/// What the clinician asks for when assigning.
#[derive(Clone, Debug, Default)]
pub struct AssignForm {
    /// The instrument's id (`phq9`).
    pub instrument: String,
    /// `once`, `weeks` (every `every_weeks` weeks) or `sessions` (before each session);
    /// empty reads as `weeks` when a number of weeks is given, else `once`.
    pub schedule: String,
    /// Weeks between administrations, for `weeks`.
    pub every_weeks: String,
    /// Days each administration stays open; empty for the default.
    pub open_days: String,
    /// Days before an administration closes to remind the client; empty or `none` for
    /// no reminder.
    pub reminder_days: String,
}

/// Why a questionnaire action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum QuestionnaireError {
    /// Fields need attention: (field, message); nothing was saved.
    #[error("some answers need attention")]
    Invalid(Vec<(String, String)>),
    /// The answers were already sent; they stand as they are.
    #[error("these answers were already sent, so they cannot be changed")]
    AlreadyCompleted,
    /// Nothing is open to answer now.
    #[error("this questionnaire is not open just now")]
    Closed,
    /// Not this person's client or questionnaire.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for QuestionnaireError {
    fn from(error: StoreError) -> Self {
        QuestionnaireError::App(error.into())
    }
}

/// An assignment, opened.
#[derive(Debug)]
pub struct AssignmentView {
    /// Its id.
    pub id: Uuid,
    /// The instrument.
    pub instrument: &'static Instrument,
    /// Weeks between administrations; `None` for once or before each session.
    pub every_weeks: Option<i64>,
    /// True when it opens before each of the client's sessions.
    pub before_sessions: bool,
    /// Days before each administration closes that the client is reminded.
    pub reminder_days: Option<i64>,
    /// When it started.
    pub starts_at: OffsetDateTime,
    /// Days each administration stays open.
    pub open_days: i64,
    /// When it was stopped.
    pub ended_at: Option<OffsetDateTime>,
}

/// A completed response, scored.
#[derive(Debug)]
pub struct ResultView {
    /// The response.
    pub id: Uuid,
    /// The instrument.
    pub instrument: &'static Instrument,
    /// When it was completed.
    pub completed_at: OffsetDateTime,
    /// The coded answers in item order.
    pub answers: Vec<Option<u8>>,
    /// The score, as computed when it was completed.
    pub score: Score,
    /// True when the clinician entered it from paper.
    pub from_paper: bool,
}

/// One client's questionnaires, for their clinician.
#[derive(Debug)]
pub struct ClientQuestionnaires {
    /// Every assignment, oldest first.
    pub assignments: Vec<AssignmentView>,
    /// Every completed response, oldest first.
    pub results: Vec<ResultView>,
    /// Whether practice-imported wording exists, by instrument id.
    pub worded: Vec<String>,
    /// The client's safety alerts (the intake's and the questionnaires'), newest first.
    pub alerts: Vec<crate::intake::AlertView>,
    /// The practice's own reliable-change parameters: (instrument id, score, them).
    pub change_parameters: Vec<(String, String, sensate_instruments::PracticeParameters)>,
}

impl ClientQuestionnaires {
    /// The practice's parameters for one instrument score, if it set any.
    pub fn parameters_for(
        &self,
        instrument: &str,
        score: &str,
    ) -> Option<&sensate_instruments::PracticeParameters> {
        self.change_parameters
            .iter()
            .find(|(i, s, _)| i == instrument && s == score)
            .map(|(_, _, parameters)| parameters)
    }
}

/// Something the client can answer now.
#[derive(Debug)]
pub struct DueQuestionnaire {
    /// The assignment.
    pub assignment: Uuid,
    /// The instrument's name.
    pub name: &'static str,
    /// When this administration closes.
    pub closes_at: OffsetDateTime,
    /// True when the client has saved some answers already.
    pub started: bool,
}

/// The form a client answers.
#[derive(Debug)]
pub struct AnswerSheet {
    /// The assignment.
    pub assignment: Uuid,
    /// The instrument.
    pub instrument: &'static Instrument,
    /// The practice's licensed wording, when imported.
    pub wording: Option<ImportedWording>,
    /// Answers saved so far, in item order.
    pub answers: Vec<Option<u8>>,
    /// When it closes.
    pub closes_at: OffsetDateTime,
}

/// What saving answers did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswersSaved {
    /// True when the answers were sent (completed and scored).
    pub completed: bool,
    /// True when a critical answer raised an alert for the clinician.
    pub alerted: bool,
}

/// When an assignment asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Schedule {
    Once,
    EveryWeeks(i64),
    BeforeSessions,
}

fn is_staff(by: &SignedIn) -> bool {
    matches!(by.role, Role::Owner | Role::Clinician)
}

/// Reads coded values from form fields named by item id. Unanswered items are `None`;
/// `require_all` makes them problems too.
fn read_answers(
    instrument: &Instrument,
    fields: &[(String, String)],
    require_all: bool,
) -> Result<Vec<Option<u8>>, Vec<(String, String)>> {
    let mut answers = Vec::with_capacity(instrument.items().len());
    let mut problems = Vec::new();
    for item in instrument.items() {
        let raw = fields
            .iter()
            .rev()
            .find(|(name, _)| name == item.id())
            .map_or("", |(_, value)| value.trim());
        if raw.is_empty() {
            if require_all {
                problems.push((
                    item.id().to_owned(),
                    format!("Question {}: please choose an answer", item.position()),
                ));
            }
            answers.push(None);
            continue;
        }
        match raw.parse::<u8>() {
            Ok(value) if (item.min()..=item.max()).contains(&value) => answers.push(Some(value)),
            _ => {
                problems.push((
                    item.id().to_owned(),
                    format!(
                        "Question {}: choose one of the answers shown ({})",
                        item.position(),
                        item.allowed()
                    ),
                ));
                answers.push(None);
            }
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

fn values_text(answers: &[Option<u8>]) -> String {
    answers
        .iter()
        .map(|a| a.map_or_else(String::new, |v| v.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_values_text(text: &str, items: usize) -> Vec<Option<u8>> {
    let mut answers: Vec<Option<u8>> = text
        .split(',')
        .map(|v| v.trim().parse::<u8>().ok())
        .collect();
    answers.resize(items, None);
    answers
}

fn critical(instrument: &Instrument, answers: &[Option<u8>]) -> bool {
    instrument
        .items()
        .iter()
        .zip(answers)
        .any(|(item, answer)| item.is_critical() && answer.is_some_and(|v| v > item.min()))
}

fn corrupt(what: &'static str, reason: impl ToString) -> AppError {
    AppError::Store(StoreError::Corrupt {
        what,
        reason: reason.to_string(),
    })
}

impl App {
    /// The case and the client in it, when this clinician may work with them.
    async fn clinician_client(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        intent: sensate_domain::access::Intent,
        context: &AuditContext,
    ) -> Result<Option<CaseRecord>, AppError> {
        if !is_staff(by) {
            return Ok(None);
        }
        Ok(self
            .permitted_case(by, case, intent, context)
            .await?
            .filter(|record| record.clients.contains(&client)))
    }

    fn open_instrument(
        key: &DataKey,
        sealed: &[u8],
        table: &'static str,
        row: Uuid,
    ) -> Result<&'static Instrument, AppError> {
        let text = key.open_str(
            &Sealed::from_bytes(sealed.to_vec())?,
            &Binding::new(table, "instrument_sealed", row),
        )?;
        // Responses keep `id@version`; assignments only the id.
        let id = text
            .expose_secret()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned();
        instruments()?
            .get(&id)
            .ok_or_else(|| corrupt("questionnaire instrument", "not a built-in instrument"))
    }

    fn open_assignment(
        key: &DataKey,
        record: &AssignmentRecord,
    ) -> Result<AssignmentView, AppError> {
        Ok(AssignmentView {
            id: record.id,
            instrument: Self::open_instrument(
                key,
                &record.instrument_sealed,
                ASSIGNMENT_TABLE,
                record.id,
            )?,
            every_weeks: record.every_weeks,
            before_sessions: record.before_sessions,
            reminder_days: record.reminder_days,
            starts_at: record.starts_at,
            open_days: record.open_days,
            ended_at: record.ended_at,
        })
    }

    fn open_result(
        key: &DataKey,
        record: &ResponseRecord,
        client_account: Option<sensate_domain::AccountId>,
    ) -> Result<Option<ResultView>, AppError> {
        let (Some(completed_at), Some(score_sealed)) = (record.completed_at, &record.score_sealed)
        else {
            return Ok(None);
        };
        let instrument =
            Self::open_instrument(key, &record.instrument_sealed, RESPONSE_TABLE, record.id)?;
        let answers = key.open_str(
            &Sealed::from_bytes(record.answers_sealed.clone())?,
            &Binding::new(RESPONSE_TABLE, "answers_sealed", record.id),
        )?;
        // The score stored at completion is the record of what was shown then; reading
        // scores the same sealed answers again with the same exact engine, so the two
        // agree while the definition's version does (a test holds them to it).
        let _ = score_sealed;
        let values = instrument
            .parse_values(answers.expose_secret())
            .map_err(|_| corrupt("questionnaire answers", "not valid for the instrument"))?;
        let score = instrument
            .score(&values)
            .map_err(|_| corrupt("questionnaire answers", "cannot be scored"))?;
        Ok(Some(ResultView {
            id: record.id,
            instrument,
            completed_at,
            answers: parse_values_text(answers.expose_secret(), instrument.items().len()),
            score,
            from_paper: Some(record.entered_by) != client_account,
        }))
    }

    /// A client's completed responses in one case, scored, oldest first. The caller has
    /// already checked who may read them.
    pub(crate) async fn completed_results(
        &self,
        key: &DataKey,
        client: ClientId,
        case: CaseId,
        client_account: Option<sensate_domain::AccountId>,
    ) -> Result<Vec<ResultView>, AppError> {
        let mut results = Vec::new();
        for record in self.store.client_responses(client).await? {
            if record.case_id != case {
                continue;
            }
            if let Some(result) = Self::open_result(key, &record, client_account)? {
                results.push(result);
            }
        }
        results.sort_by_key(|r| r.completed_at);
        Ok(results)
    }

    /// Assigns an instrument to a client of the clinician's case; its id.
    pub async fn assign_questionnaire(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        form: &AssignForm,
        context: &AuditContext,
    ) -> Result<Uuid, QuestionnaireError> {
        let Some(case) = self
            .clinician_client(
                by,
                case,
                client,
                sensate_domain::access::Intent::Write,
                context,
            )
            .await?
        else {
            return Err(QuestionnaireError::NotAllowed);
        };
        let mut problems = Vec::new();
        let instrument = instruments()?.get(form.instrument.trim());
        if instrument.is_none() {
            problems.push((
                "instrument".to_owned(),
                "Choose a questionnaire from the list".to_owned(),
            ));
        }
        let schedule = match (form.schedule.trim(), form.every_weeks.trim()) {
            ("", "" | "once") | ("once", _) => Some(Schedule::Once),
            ("sessions", _) => Some(Schedule::BeforeSessions),
            ("" | "weeks", raw) => match raw.parse::<i64>() {
                Ok(weeks) if (1..=52).contains(&weeks) => Some(Schedule::EveryWeeks(weeks)),
                _ => {
                    problems.push((
                        "every_weeks".to_owned(),
                        "Repeat every 1 to 52 weeks, or choose another schedule".to_owned(),
                    ));
                    None
                }
            },
            _ => {
                problems.push((
                    "schedule".to_owned(),
                    "Choose when to ask: once, every few weeks, or before each session".to_owned(),
                ));
                None
            }
        };
        let every_weeks = match schedule {
            Some(Schedule::EveryWeeks(weeks)) => Some(weeks),
            _ => None,
        };
        let open_days = match form.open_days.trim() {
            "" => DEFAULT_OPEN_DAYS,
            raw => match raw.parse::<i64>() {
                Ok(days) if (1..=90).contains(&days) => days,
                _ => {
                    problems.push((
                        "open_days".to_owned(),
                        "Keep it open for 1 to 90 days".to_owned(),
                    ));
                    DEFAULT_OPEN_DAYS
                }
            },
        };
        if let Some(weeks) = every_weeks
            && open_days > weeks * 7
        {
            problems.push((
                "open_days".to_owned(),
                format!(
                    "Each time can stay open at most {} days when it repeats every {weeks} weeks",
                    weeks * 7
                ),
            ));
        }
        let reminder_days = match form.reminder_days.trim() {
            "" | "none" => None,
            raw => match raw.parse::<i64>() {
                Ok(days) if (1..=30).contains(&days) && days < open_days => Some(days),
                Ok(days) if (1..=30).contains(&days) => {
                    problems.push((
                        "reminder_days".to_owned(),
                        format!(
                            "A reminder {days} days before it closes would come before it \
                             opens: keep it open longer, or remind closer to the end"
                        ),
                    ));
                    None
                }
                _ => {
                    problems.push((
                        "reminder_days".to_owned(),
                        "Remind 1 to 30 days before it closes, or choose no reminder".to_owned(),
                    ));
                    None
                }
            },
        };
        let (Some(instrument), Some(schedule), true) = (instrument, schedule, problems.is_empty())
        else {
            return Err(QuestionnaireError::Invalid(problems));
        };
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let now = self.clock.now();
        let record = AssignmentRecord {
            id,
            practice_id: case.practice_id,
            case_id: case.id,
            client_id: client,
            instrument_sealed: key
                .seal_str(
                    instrument.id(),
                    &Binding::new(ASSIGNMENT_TABLE, "instrument_sealed", id),
                )
                .map_err(AppError::from)?
                .into_bytes(),
            every_weeks,
            before_sessions: schedule == Schedule::BeforeSessions,
            reminder_days,
            starts_at: now,
            open_days,
            assigned_by: by.account_id,
            assigned_at: now,
            ended_at: None,
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Create,
            ASSIGNMENT,
            id,
            context,
        );
        self.store
            .assign(&record, self.audited(vec![event]))
            .await?;
        Ok(id)
    }

    /// Stops an assignment; false when it was already stopped.
    pub async fn end_questionnaire(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        assignment: Uuid,
        context: &AuditContext,
    ) -> Result<bool, QuestionnaireError> {
        let Some(case) = self
            .clinician_client(
                by,
                case,
                client,
                sensate_domain::access::Intent::Write,
                context,
            )
            .await?
        else {
            return Err(QuestionnaireError::NotAllowed);
        };
        if !self
            .store
            .client_assignments(client)
            .await?
            .iter()
            .any(|a| a.id == assignment && a.case_id == case.id)
        {
            return Err(QuestionnaireError::NotAllowed);
        }
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Update,
            ASSIGNMENT,
            assignment,
            context,
        );
        Ok(self
            .store
            .end_assignment(assignment, self.clock.now(), self.audited(vec![event]))
            .await?)
    }

    /// A client's questionnaires and scored results, for their clinician; `None` when
    /// it is not their client.
    pub async fn client_questionnaires(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        context: &AuditContext,
    ) -> Result<Option<ClientQuestionnaires>, AppError> {
        let Some(case) = self
            .clinician_client(
                by,
                case,
                client,
                sensate_domain::access::Intent::Read,
                context,
            )
            .await?
        else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            RESPONSE,
            client.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let assignments = self
            .store
            .client_assignments(client)
            .await?
            .iter()
            .filter(|a| a.case_id == case.id)
            .map(|a| Self::open_assignment(&key, a))
            .collect::<Result<Vec<_>, _>>()?;
        let account = self.store.account_for_client(client).await?.map(|a| a.id);
        let results = self
            .completed_results(&key, client, case.id, account)
            .await?;
        let worded = self
            .store
            .wordings()
            .await?
            .into_iter()
            .map(|w| w.instrument_id)
            .collect();
        let alerts = self
            .store
            .client_alerts(client)
            .await?
            .iter()
            .rev()
            .map(|alert| self.open_alert(&key, alert))
            .collect::<Result<Vec<_>, _>>()?;
        let change_parameters = self
            .store
            .change_parameters(case.practice_id)
            .await?
            .iter()
            .filter_map(|record| {
                Some((
                    record.instrument_id.clone(),
                    record.score.clone(),
                    crate::care_settings::parameters_of(record)?,
                ))
            })
            .collect();
        Ok(Some(ClientQuestionnaires {
            assignments,
            results,
            worded,
            alerts,
            change_parameters,
        }))
    }

    /// What the signed-in client can answer now.
    pub async fn my_due_questionnaires(
        &self,
        by: &SignedIn,
    ) -> Result<Vec<DueQuestionnaire>, AppError> {
        let (Role::Client, Some(me), Some(practice)) = (by.role, by.client_id, by.practice_id)
        else {
            return Ok(Vec::new());
        };
        let now = self.clock.now();
        let assignments = self.open_case_assignments(me).await?;
        if assignments
            .iter()
            .all(|(a, sessions)| open_round(a, now, sessions).is_none())
        {
            return Ok(Vec::new());
        }
        let key = self.vault.practice_key(self.store(), practice).await?;
        let responses = self.store.client_responses(me).await?;
        let mut due = Vec::new();
        for (assignment, sessions) in &assignments {
            let Some(Round {
                number, closes_at, ..
            }) = open_round(assignment, now, sessions)
            else {
                continue;
            };
            let response = responses
                .iter()
                .find(|r| r.assignment_id == Some(assignment.id) && r.round == number);
            if response.is_some_and(|r| r.completed_at.is_some()) {
                continue;
            }
            let view = Self::open_assignment(&key, assignment)?;
            due.push(DueQuestionnaire {
                assignment: assignment.id,
                name: view.instrument.name(),
                closes_at,
                started: response.is_some(),
            });
        }
        Ok(due)
    }

    /// The client's answer sheet for an assignment's open administration; `None` when
    /// it is not theirs.
    pub async fn my_answer_sheet(
        &self,
        by: &SignedIn,
        assignment: Uuid,
        context: &AuditContext,
    ) -> Result<Option<AnswerSheet>, QuestionnaireError> {
        let Some((record, key, response, _, closes_at)) =
            self.my_open_assignment(by, assignment).await?
        else {
            return Ok(None);
        };
        let view = Self::open_assignment(&key, &record)?;
        let answers = match &response {
            Some(response) => {
                let text = key
                    .open_str(
                        &Sealed::from_bytes(response.answers_sealed.clone())
                            .map_err(AppError::from)?,
                        &Binding::new(RESPONSE_TABLE, "answers_sealed", response.id),
                    )
                    .map_err(AppError::from)?;
                parse_values_text(text.expose_secret(), view.instrument.items().len())
            }
            None => vec![None; view.instrument.items().len()],
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            record.practice_id,
            Action::Read,
            ASSIGNMENT,
            record.id,
            context,
        );
        self.record_event(event).await?;
        let wording = self.wording_for(view.instrument).await?;
        Ok(Some(AnswerSheet {
            assignment: record.id,
            instrument: view.instrument,
            wording,
            answers,
            closes_at,
        }))
    }

    /// A client's assignments in cases still open: a closed case asks nothing more.
    async fn open_case_assignments(
        &self,
        client: ClientId,
    ) -> Result<Vec<(AssignmentRecord, Vec<OffsetDateTime>)>, AppError> {
        let open: Vec<CaseId> = self
            .store
            .client_cases(client)
            .await?
            .into_iter()
            .filter(|case| case.closed_at.is_none())
            .map(|case| case.id)
            .collect();
        let mut assignments = Vec::new();
        for assignment in self.store.client_assignments(client).await? {
            if !open.contains(&assignment.case_id) {
                continue;
            }
            let sessions = if assignment.before_sessions {
                self.session_starts(assignment.case_id, client).await?
            } else {
                Vec::new()
            };
            assignments.push((assignment, sessions));
        }
        Ok(assignments)
    }

    /// When the client's sessions in a case start: what a "before each session"
    /// assignment opens ahead of.
    pub(crate) async fn session_starts(
        &self,
        case: CaseId,
        client: ClientId,
    ) -> Result<Vec<OffsetDateTime>, AppError> {
        Ok(self
            .store
            .case_sessions(case)
            .await?
            .into_iter()
            .filter(|session| session.attendees.contains(&client))
            .map(|session| session.starts_at)
            .collect())
    }

    /// The client's assignment with its open round: (assignment, key, the round's
    /// response so far, when it closes). `None` when it is not theirs; `Closed` when
    /// nothing is open or it was already sent.
    async fn my_open_assignment(
        &self,
        by: &SignedIn,
        assignment: Uuid,
    ) -> Result<Option<OpenAssignment>, QuestionnaireError> {
        let (Role::Client, Some(me), Some(practice)) = (by.role, by.client_id, by.practice_id)
        else {
            return Ok(None);
        };
        let Some((record, sessions)) = self
            .open_case_assignments(me)
            .await?
            .into_iter()
            .find(|(a, _)| a.id == assignment && a.practice_id == practice)
        else {
            return Ok(None);
        };
        let Some(Round {
            number: round,
            closes_at,
            ..
        }) = open_round(&record, self.clock.now(), &sessions)
        else {
            return Err(QuestionnaireError::Closed);
        };
        let response = self
            .store
            .client_responses(me)
            .await?
            .into_iter()
            .find(|r| r.assignment_id == Some(record.id) && r.round == round);
        if response.as_ref().is_some_and(|r| r.completed_at.is_some()) {
            return Err(QuestionnaireError::AlreadyCompleted);
        }
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        Ok(Some((record, key, response, round, closes_at)))
    }

    /// Saves the client's answers to an open administration (`send` completes and scores
    /// it, after checking every question is answered).
    pub async fn save_my_answers(
        &self,
        by: &SignedIn,
        assignment: Uuid,
        fields: &[(String, String)],
        send: bool,
        context: &AuditContext,
    ) -> Result<AnswersSaved, QuestionnaireError> {
        // Two saves of a new response can race (the page's autosave and its send): the
        // second meets the first's row for this round, reads it and tries once more.
        for attempt in 0..2 {
            let Some((record, key, existing, round, _)) =
                self.my_open_assignment(by, assignment).await?
            else {
                return Err(QuestionnaireError::NotAllowed);
            };
            let instrument = Self::open_instrument(
                &key,
                &record.instrument_sealed,
                ASSIGNMENT_TABLE,
                record.id,
            )?;
            let answers =
                read_answers(instrument, fields, send).map_err(QuestionnaireError::Invalid)?;
            let id = existing.as_ref().map_or_else(Uuid::now_v7, |r| r.id);
            let saved = self
                .store_response(
                    by,
                    &key,
                    ResponseTarget {
                        id,
                        practice: record.practice_id,
                        case: record.case_id,
                        client: record.client_id,
                        assignment: Some(record.id),
                        round,
                    },
                    instrument,
                    &answers,
                    send,
                    self.clock.now(),
                    context,
                )
                .await;
            match saved {
                Err(QuestionnaireError::App(AppError::Store(StoreError::Conflict { .. })))
                    if attempt == 0 => {}
                other => return other,
            }
        }
        Err(QuestionnaireError::AlreadyCompleted)
    }

    /// Enters a completed questionnaire from paper, in session; its id.
    pub async fn enter_from_paper(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        instrument: &str,
        fields: &[(String, String)],
        context: &AuditContext,
    ) -> Result<Uuid, QuestionnaireError> {
        self.enter_from_paper_at(
            by,
            case,
            client,
            instrument,
            fields,
            self.clock.now(),
            context,
        )
        .await
    }

    /// [`App::enter_from_paper`] as completed at `at`: for the demo seed, which writes
    /// months of history in one go, never for a request.
    #[expect(
        clippy::too_many_arguments,
        reason = "the request's arguments and a time"
    )]
    pub async fn enter_from_paper_at(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        instrument: &str,
        fields: &[(String, String)],
        at: OffsetDateTime,
        context: &AuditContext,
    ) -> Result<Uuid, QuestionnaireError> {
        let Some(case) = self
            .clinician_client(
                by,
                case,
                client,
                sensate_domain::access::Intent::Write,
                context,
            )
            .await?
        else {
            return Err(QuestionnaireError::NotAllowed);
        };
        let Some(instrument) = instruments()?.get(instrument) else {
            return Err(QuestionnaireError::Invalid(vec![(
                "instrument".into(),
                "Choose a questionnaire from the list".into(),
            )]));
        };
        // From paper, a question left blank stays blank: the instrument's missing-data
        // rule decides whether it can still be scored.
        let answers =
            read_answers(instrument, fields, false).map_err(QuestionnaireError::Invalid)?;
        if answers.iter().all(Option::is_none) {
            return Err(QuestionnaireError::Invalid(vec![(
                "answers".into(),
                "Enter the answers from the paper form".into(),
            )]));
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        self.store_response(
            by,
            &key,
            ResponseTarget {
                id,
                practice: case.practice_id,
                case: case.id,
                client,
                assignment: None,
                round: 0,
            },
            instrument,
            &answers,
            true,
            at,
            context,
        )
        .await?;
        Ok(id)
    }

    #[expect(clippy::too_many_arguments, reason = "one write, spelled out")]
    async fn store_response(
        &self,
        by: &SignedIn,
        key: &DataKey,
        target: ResponseTarget,
        instrument: &Instrument,
        answers: &[Option<u8>],
        complete: bool,
        now: OffsetDateTime,
        context: &AuditContext,
    ) -> Result<AnswersSaved, QuestionnaireError> {
        let text = values_text(answers);
        let score = if complete {
            let values = instrument.parse_values(&text).map_err(|e| {
                QuestionnaireError::Invalid(vec![("answers".into(), e.to_string())])
            })?;
            Some(instrument.score(&values).map_err(|e| {
                QuestionnaireError::Invalid(vec![("answers".into(), e.to_string())])
            })?)
        } else {
            None
        };
        let seal = |text: &str, column: &'static str| -> Result<Vec<u8>, AppError> {
            Ok(key
                .seal_str(text, &Binding::new(RESPONSE_TABLE, column, target.id))?
                .into_bytes())
        };
        let score_sealed = match &score {
            Some(score) => Some(seal(
                &serde_json::to_string(score).map_err(|e| AppError::Task(e.to_string()))?,
                "score_sealed",
            )?),
            None => None,
        };
        let record = ResponseRecord {
            id: target.id,
            practice_id: target.practice,
            case_id: target.case,
            client_id: target.client,
            assignment_id: target.assignment,
            round: target.round,
            instrument_sealed: seal(
                &format!("{}@{}", instrument.id(), instrument.version()),
                "instrument_sealed",
            )?,
            answers_sealed: seal(&text, "answers_sealed")?,
            score_sealed,
            entered_by: by.account_id,
            updated_at: now,
            completed_at: complete.then_some(now),
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            target.practice,
            Action::Update,
            RESPONSE,
            target.id,
            context,
        );
        let mut events = vec![event];
        // The alert is written with the completing answers, in one transaction: once
        // sent, the answers can never be sent again to raise it.
        let alerted = complete && critical(instrument, answers);
        let mut alerts = Vec::new();
        if alerted {
            let id = Uuid::now_v7();
            alerts.push(IntakeAlertRecord {
                id,
                practice_id: target.practice,
                client_id: target.client,
                concern_sealed: key
                    .seal_str(
                        SafetyConcern::QuestionnaireSelfHarm.code(),
                        &Binding::new(ALERT_TABLE, "concern_sealed", id),
                    )
                    .map_err(AppError::from)?
                    .into_bytes(),
                raised_at: now,
                acknowledged_at: None,
                acknowledged_by: None,
                action_sealed: None,
            });
            events.push(self.event_about(
                Actor::System,
                target.practice,
                Action::Create,
                ObjectType::from_static("intake_alert"),
                id,
                context,
            ));
        }
        match self
            .store
            .save_response(&record, &alerts, self.audited(events))
            .await?
        {
            ResponseSave::AlreadyCompleted => return Err(QuestionnaireError::AlreadyCompleted),
            ResponseSave::Saved => {}
        }
        Ok(AnswersSaved {
            completed: complete,
            alerted,
        })
    }
}

/// A client's assignment with its open round: the assignment, the practice's key, the
/// round's response so far, the round, and when it closes.
type OpenAssignment = (
    AssignmentRecord,
    std::sync::Arc<DataKey>,
    Option<ResponseRecord>,
    i64,
    OffsetDateTime,
);

/// Where a response is stored.
struct ResponseTarget {
    id: Uuid,
    practice: PracticeId,
    case: CaseId,
    client: ClientId,
    assignment: Option<Uuid>,
    round: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_by_item_and_checked_against_each_value_set() {
        let phq9 = instruments().unwrap().get("phq9").unwrap();
        let mut fields: Vec<(String, String)> = phq9
            .items()
            .iter()
            .map(|item| (item.id().to_owned(), "1".to_owned()))
            .collect();
        assert_eq!(read_answers(phq9, &fields, true).unwrap(), vec![Some(1); 9]);
        fields[8].1 = "4".into();
        let problems = read_answers(phq9, &fields, true).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .1
                .starts_with("Question 9: choose one of the answers shown (0-3)")
        );
        fields[8].1 = String::new();
        assert!(
            read_answers(phq9, &fields, false).is_ok(),
            "a draft may leave questions"
        );
        assert_eq!(
            read_answers(phq9, &fields, true).unwrap_err()[0].1,
            "Question 9: please choose an answer"
        );
        let fsfi = instruments().unwrap().get("fsfi").unwrap();
        let zero = vec![(fsfi.items()[0].id().to_owned(), "0".to_owned())];
        assert!(
            read_answers(fsfi, &zero, false).is_err(),
            "FSFI item 1 has no 0"
        );
    }

    #[test]
    fn only_an_answer_above_the_lowest_on_a_critical_item_alerts() {
        let phq9 = instruments().unwrap().get("phq9").unwrap();
        let mut answers = vec![Some(3); 9];
        answers[8] = Some(0);
        assert!(
            !critical(phq9, &answers),
            "item 9 at 0, however high the rest"
        );
        answers[8] = Some(1);
        assert!(critical(phq9, &answers));
        answers[8] = None;
        assert!(!critical(phq9, &answers));
        assert_eq!(values_text(&[Some(1), None, Some(0)]), "1,,0");
        assert_eq!(
            parse_values_text("1,,0", 4),
            vec![Some(1), None, Some(0), None]
        );
    }
}
