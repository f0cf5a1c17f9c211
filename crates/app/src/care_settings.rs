//! The practice owner's settings for care: the crisis resources clients are shown after
//! a critical answer, and the reliability and SD used for reliable change where the
//! instrument's authors publish none (or where the practice prefers a local norm).
//!
//! Both change what people are shown about someone's safety or progress, so only the
//! owner changes them, each change is audited, and a result computed with the
//! practice's numbers always names them as the practice's (the instruments crate does
//! that labelling).

use sensate_audit::{Action, Actor, ObjectType};
use sensate_domain::PracticeId;
use sensate_domain::accounts::Role;
use sensate_instruments::{Instrument, PracticeParameters, Reliability, StandardDeviation};
use sensate_store::{ChangeParametersRecord, CrisisResourcesRecord};
use time::OffsetDateTime;

use crate::audit_log::AuditContext;
use crate::questionnaires::instruments;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const CRISIS_RESOURCES: ObjectType = ObjectType::from_static("crisis_resources");
const CHANGE_PARAMETERS: ObjectType = ObjectType::from_static("change_parameters");
/// The longest crisis-resources text: a few lines with numbers and hours, not a page.
pub const CRISIS_RESOURCES_MAX: usize = 1500;
const SOURCE_MAX: usize = 200;

/// Shown until the practice writes its own: true everywhere, and sends nobody to a
/// number that may not exist where they are.
pub const DEFAULT_CRISIS_RESOURCES: &str = "If you are having thoughts of harming \
    yourself, you do not have to wait for your next session. If you are in danger now, \
    call your local emergency number. You can also call or text a crisis line at any \
    hour, or tell someone you trust. Your therapist will read your answers and be in \
    touch.";

/// A setting that was not changed, and why.
#[derive(Debug, thiserror::Error)]
pub enum CareSettingsError {
    /// Fields need attention: (field, message); nothing was saved.
    #[error("some fields need attention")]
    Invalid(Vec<(String, String)>),
    /// Only the practice owner changes care settings.
    #[error("only the practice owner changes these settings")]
    NotOwner,
    /// Something the owner cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// The crisis resources as the owner edits them.
#[derive(Debug)]
pub struct CrisisResourcesView {
    /// The text clients are shown now.
    pub text: String,
    /// False while the built-in text is shown.
    pub written_by_practice: bool,
    /// When the practice last changed it.
    pub updated_at: Option<OffsetDateTime>,
}

/// What the owner types to set change parameters.
#[derive(Clone, Debug, Default)]
pub struct ChangeParametersForm {
    /// The instrument id.
    pub instrument: String,
    /// `total` or a domain id.
    pub score: String,
    /// The reliability, as a decimal; empty to use the published one.
    pub reliability: String,
    /// The SD, as a decimal; empty to use the published one.
    pub sd: String,
    /// Where they come from.
    pub source: String,
}

/// One instrument score's parameters, for the owner's table.
#[derive(Debug)]
pub struct ChangeParametersView {
    /// The instrument.
    pub instrument: &'static Instrument,
    /// `total` or a domain id.
    pub score: String,
    /// The reliability typed, if any.
    pub reliability: Option<String>,
    /// The SD typed, if any.
    pub sd: Option<String>,
    /// Where they come from.
    pub source: String,
    /// When they were set.
    pub updated_at: OffsetDateTime,
}

fn owner_practice(by: &SignedIn) -> Result<PracticeId, CareSettingsError> {
    by.practice_id
        .filter(|_| by.role == Role::Owner)
        .ok_or(CareSettingsError::NotOwner)
}

pub(crate) fn parameters_of(record: &ChangeParametersRecord) -> Option<PracticeParameters> {
    Some(PracticeParameters {
        reliability: match &record.reliability {
            Some(text) => Some(Reliability::parse(text).ok()?),
            None => None,
        },
        sd: match &record.sd {
            Some(text) => Some(StandardDeviation::parse(text).ok()?),
            None => None,
        },
        source: record.source.clone(),
    })
}

impl App {
    /// What a client of `practice` is shown after a critical answer.
    pub async fn crisis_resources_for(&self, practice: PracticeId) -> Result<String, AppError> {
        Ok(self
            .store
            .crisis_resources(practice)
            .await?
            .map_or_else(|| DEFAULT_CRISIS_RESOURCES.to_owned(), |r| r.text))
    }

    /// The practice's crisis resources, for its owner to edit.
    pub async fn crisis_resources(
        &self,
        by: &SignedIn,
    ) -> Result<CrisisResourcesView, CareSettingsError> {
        let practice = owner_practice(by)?;
        let record = self
            .store
            .crisis_resources(practice)
            .await
            .map_err(AppError::from)?;
        Ok(CrisisResourcesView {
            text: record
                .as_ref()
                .map_or_else(|| DEFAULT_CRISIS_RESOURCES.to_owned(), |r| r.text.clone()),
            written_by_practice: record.is_some(),
            updated_at: record.map(|r| r.updated_at),
        })
    }

    /// Replaces the practice's crisis resources.
    pub async fn set_crisis_resources(
        &self,
        by: &SignedIn,
        text: &str,
        context: &AuditContext,
    ) -> Result<(), CareSettingsError> {
        let practice = owner_practice(by)?;
        // Line breaks are kept (numbers on their own lines read better); other control
        // characters never belong in text a person in distress reads.
        let text = text.replace("\r\n", "\n");
        let text = text.trim();
        let problem = if text.is_empty() {
            Some("Write where your clients can get help now, such as a crisis line and your local emergency number".to_owned())
        } else if text.chars().count() > CRISIS_RESOURCES_MAX {
            Some(format!(
                "Keep it to {CRISIS_RESOURCES_MAX} characters: a few lines a person can act on quickly"
            ))
        } else if text.chars().any(|c| c.is_control() && c != '\n') {
            Some("Remove the invisible control characters from the text".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(CareSettingsError::Invalid(vec![("text".into(), problem)]));
        }
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Update,
            CRISIS_RESOURCES,
            practice.as_uuid(),
            context,
        );
        self.store
            .set_crisis_resources(
                &CrisisResourcesRecord {
                    practice_id: practice,
                    text: text.to_owned(),
                    updated_by: by.account_id,
                    updated_at: self.clock.now(),
                },
                self.audited(vec![event]),
            )
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    /// The practice's change parameters, for its owner's table.
    pub async fn change_parameters(
        &self,
        by: &SignedIn,
    ) -> Result<Vec<ChangeParametersView>, CareSettingsError> {
        let practice = owner_practice(by)?;
        let catalogue = instruments()?;
        Ok(self
            .store
            .change_parameters(practice)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .filter_map(|record| {
                Some(ChangeParametersView {
                    instrument: catalogue.get(&record.instrument_id)?,
                    score: record.score,
                    reliability: record.reliability,
                    sd: record.sd,
                    source: record.source,
                    updated_at: record.updated_at,
                })
            })
            .collect())
    }

    /// The practice's parameters for one instrument score, ready for the engine.
    pub async fn practice_parameters(
        &self,
        practice: PracticeId,
        instrument: &str,
        score: &str,
    ) -> Result<Option<PracticeParameters>, AppError> {
        Ok(self
            .store
            .change_parameters(practice)
            .await?
            .iter()
            .find(|r| r.instrument_id == instrument && r.score == score)
            .and_then(parameters_of))
    }

    /// Sets the practice's reliability and/or SD for one instrument score.
    pub async fn set_change_parameters(
        &self,
        by: &SignedIn,
        form: &ChangeParametersForm,
        context: &AuditContext,
    ) -> Result<(), CareSettingsError> {
        let practice = owner_practice(by)?;
        let mut problems = Vec::new();
        let instrument = instruments()?.get(form.instrument.trim());
        let score = form.score.trim();
        match instrument {
            None => problems.push((
                "instrument".to_owned(),
                "Choose a questionnaire from the list".to_owned(),
            )),
            Some(instrument) if !instrument.score_names().any(|name| name == score) => problems
                .push((
                    "score".to_owned(),
                    format!(
                        "Choose one of {}'s scores: {}",
                        instrument.abbreviation(),
                        instrument.score_names().collect::<Vec<_>>().join(", ")
                    ),
                )),
            Some(_) => {}
        }
        let reliability = form.reliability.trim();
        if !reliability.is_empty()
            && let Err(error) = Reliability::parse(reliability)
        {
            problems.push(("reliability".to_owned(), format!("Reliability: {error}")));
        }
        let sd = form.sd.trim();
        if !sd.is_empty()
            && let Err(error) = StandardDeviation::parse(sd)
        {
            problems.push(("sd".to_owned(), format!("Standard deviation: {error}")));
        }
        if reliability.is_empty() && sd.is_empty() {
            problems.push((
                "reliability".to_owned(),
                "Give a reliability, a standard deviation, or both".to_owned(),
            ));
        }
        let source = form.source.trim();
        if source.is_empty() || source.chars().count() > SOURCE_MAX {
            problems.push((
                "source".to_owned(),
                format!(
                    "Say where the numbers come from, in up to {SOURCE_MAX} characters (for example a paper, or your own clinic's sample and its size)"
                ),
            ));
        } else if source.chars().any(char::is_control) {
            problems.push((
                "source".to_owned(),
                "Remove the invisible control characters from the source".to_owned(),
            ));
        }
        let (Some(instrument), true) = (instrument, problems.is_empty()) else {
            return Err(CareSettingsError::Invalid(problems));
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Update,
            CHANGE_PARAMETERS,
            practice.as_uuid(),
            context,
        );
        let present = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        self.store
            .set_change_parameters(
                &ChangeParametersRecord {
                    practice_id: practice,
                    instrument_id: instrument.id().to_owned(),
                    score: score.to_owned(),
                    reliability: present(reliability),
                    sd: present(sd),
                    source: source.to_owned(),
                    updated_by: by.account_id,
                    updated_at: self.clock.now(),
                },
                self.audited(vec![event]),
            )
            .await
            .map_err(AppError::from)?;
        Ok(())
    }

    /// Removes the practice's parameters for one instrument score, so the published
    /// ones (if any) apply again; false when there were none.
    pub async fn clear_change_parameters(
        &self,
        by: &SignedIn,
        instrument: &str,
        score: &str,
        context: &AuditContext,
    ) -> Result<bool, CareSettingsError> {
        let practice = owner_practice(by)?;
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Delete,
            CHANGE_PARAMETERS,
            practice.as_uuid(),
            context,
        );
        Ok(self
            .store
            .clear_change_parameters(practice, instrument, score, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?)
    }
}
