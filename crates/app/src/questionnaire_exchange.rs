//! Questionnaires leaving and entering Sensate in FHIR R4: a completed response exported
//! as a QuestionnaireResponse with an Observation per score, and a practice's licensed
//! wording imported from a Questionnaire, checked item by item against the scoring.
//!
//! Kept apart from administration (`questionnaires.rs`) because it is about exchange
//! formats, not about who answers what and when.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_domain::accounts::Role;
use sensate_domain::{CaseId, ClientId};
use sensate_instruments::Instrument;
use sensate_instruments::fhir::ImportedWording;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::questionnaires::instruments;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const RESPONSE: ObjectType = ObjectType::from_static("questionnaire_response");

impl App {
    /// One completed response as a FHIR R4 `collection` Bundle (QuestionnaireResponse
    /// and an Observation per score), for its clinician; `None` when it is not theirs.
    /// The client is named by their opaque id only.
    pub async fn response_as_fhir(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        response: Uuid,
        context: &AuditContext,
    ) -> Result<Option<serde_json::Value>, AppError> {
        let Some(data) = self
            .client_questionnaires(by, case, client, context)
            .await?
        else {
            return Ok(None);
        };
        let Some(result) = data.results.iter().find(|r| r.id == response) else {
            return Ok(None);
        };
        let Some(practice) = by.practice_id else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Export,
            RESPONSE,
            response,
            context,
        );
        self.record_event(event).await?;
        let completed = result
            .completed_at
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| AppError::Task(e.to_string()))?;
        let authored = sensate_instruments::fhir::FhirDateTime::parse(&completed)
            .map_err(|e| AppError::Task(e.to_string()))?;
        // The practice's wording went with the form only when the client answered it.
        let wording = if result.from_paper {
            None
        } else {
            self.wording_for(result.instrument).await?
        };
        let response_id = response.to_string();
        let subject = client.to_string();
        sensate_instruments::fhir::export_response(&sensate_instruments::fhir::ResponseExport {
            instrument: result.instrument,
            values: &result.answers,
            score: &result.score,
            response_id: &response_id,
            subject: &subject,
            authored: &authored,
            wording: wording.as_ref(),
            base_url: None,
        })
        .map(Some)
        .map_err(|e| AppError::Task(format!("FHIR export: {e}")))
    }

    /// Imports a practice's licensed wording (a FHIR R4 Questionnaire, as JSON) for a
    /// built-in instrument, after checking it item by item against the scoring. Owners
    /// only; the wording is the installation's, replacing any earlier import. The
    /// instrument's id on success; the first difference, in words, on refusal.
    pub async fn import_wording(
        &self,
        by: &SignedIn,
        json: &str,
        instrument: Option<&str>,
        context: &AuditContext,
    ) -> Result<Result<&'static str, String>, AppError> {
        let Some(practice) = by.practice_id.filter(|_| by.role == Role::Owner) else {
            return Ok(Err(
                "Only the practice owner imports questionnaire wording".into()
            ));
        };
        // Imported wording belongs to the installation: on one shared by several
        // practices, one owner's import would change what every practice's clients
        // read, so there the operator imports it from the command line.
        if self.store.practices().await?.len() != 1 {
            return Ok(Err("this installation serves several practices, so its operator imports questionnaire wording with `sensate instruments import`".into()));
        }
        let catalogue = instruments()?;
        let wording =
            match sensate_instruments::fhir::import_questionnaire(catalogue, json, instrument) {
                Ok(wording) => wording,
                Err(error) => return Ok(Err(error.to_string())),
            };
        let Some(bound) = catalogue.get(&wording.instrument) else {
            return Ok(Err(
                "The questionnaire matched no built-in instrument".into()
            ));
        };
        self.store
            .save_wording(&sensate_store::WordingRecord {
                instrument_id: wording.instrument.clone(),
                instrument_version: wording.instrument_version.clone(),
                wording_json: serde_json::to_string(&wording)
                    .map_err(|e| AppError::Task(e.to_string()))?,
                imported_at: self.clock.now(),
            })
            .await?;
        // Recorded once stored. Wording has no id of its own; the row names the practice
        // whose owner imported it.
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::Update,
            ObjectType::from_static("instrument_wording"),
            practice.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        Ok(Ok(bound.id()))
    }

    /// The built-in instruments with the date wording was imported for each, if it was.
    pub async fn instrument_wordings(
        &self,
    ) -> Result<Vec<(&'static Instrument, Option<OffsetDateTime>)>, AppError> {
        let imported = self.store.wordings().await?;
        Ok(instruments()?
            .iter()
            .map(|instrument| {
                let at = imported
                    .iter()
                    .find(|w| {
                        w.instrument_id == instrument.id()
                            && w.instrument_version == instrument.version()
                    })
                    .map(|w| w.imported_at);
                (instrument, at)
            })
            .collect())
    }

    /// The practice's imported wording for an instrument, if it matches this version.
    pub async fn wording_for(
        &self,
        instrument: &Instrument,
    ) -> Result<Option<ImportedWording>, AppError> {
        Ok(self
            .store
            .wordings()
            .await?
            .into_iter()
            .find(|w| {
                w.instrument_id == instrument.id() && w.instrument_version == instrument.version()
            })
            .and_then(|w| serde_json::from_str(&w.wording_json).ok()))
    }
}
