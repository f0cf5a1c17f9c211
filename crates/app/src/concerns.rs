//! Concerns and diagnoses: the catalogue Sensate suggests from
//! (`content/concerns/concerns.toml`), and each client's formulation as their clinician
//! chose it. Suggestions never apply themselves: only what the clinician ticks is saved.

use std::sync::OnceLock;

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_crypto::{Binding, Sealed};
use sensate_domain::access::Intent;
use sensate_domain::{CaseId, ClientId};
use sensate_store::FormulationRecord;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const FORMULATION: ObjectType = ObjectType::from_static("formulation");
const TABLE: &str = "client_formulation";

/// The bundled catalogue.
const CATALOGUE: &str = include_str!("../../../content/concerns/concerns.toml");

/// A diagnosis code Sensate can suggest.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct DiagnosisCode {
    /// The ICD-10-CM code.
    pub code: String,
    /// Its ICD-10-CM title.
    pub title: String,
    /// The DSM-5 name, where the mapping is verified.
    #[serde(default)]
    pub dsm5: Option<String>,
}

/// A kind of homework.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct HomeworkKind {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A concern, with what it suggests.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Concern {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Suggested diagnosis codes.
    pub codes: Vec<String>,
    /// Suggested questionnaires (built-in instrument ids).
    pub questionnaires: Vec<String>,
    /// Suggested homework kinds.
    pub homework: Vec<String>,
}

/// The whole catalogue.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Catalogue {
    /// Every code.
    #[serde(rename = "code")]
    pub codes: Vec<DiagnosisCode>,
    /// Every homework kind.
    pub homework: Vec<HomeworkKind>,
    /// Every concern.
    #[serde(rename = "concern")]
    pub concerns: Vec<Concern>,
}

impl Catalogue {
    /// The catalogue shipped with Sensate, read once.
    pub fn bundled() -> Result<&'static Catalogue, AppError> {
        static LOADED: OnceLock<Result<Catalogue, String>> = OnceLock::new();
        LOADED
            .get_or_init(|| Catalogue::parse(CATALOGUE))
            .as_ref()
            .map_err(|error| AppError::Task(format!("the bundled concerns catalogue: {error}")))
    }

    /// Reads and checks a catalogue: every concern's codes and homework must exist.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let catalogue: Catalogue = toml::from_str(text).map_err(|e| e.to_string())?;
        for concern in &catalogue.concerns {
            for code in &concern.codes {
                if catalogue.code(code).is_none() {
                    return Err(format!(
                        "concern {} suggests unknown code {code}",
                        concern.id
                    ));
                }
            }
            for homework in &concern.homework {
                if !catalogue.homework.iter().any(|h| &h.id == homework) {
                    return Err(format!(
                        "concern {} suggests unknown homework {homework}",
                        concern.id
                    ));
                }
            }
        }
        Ok(catalogue)
    }

    /// The code with this id.
    pub fn code(&self, code: &str) -> Option<&DiagnosisCode> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// The concern with this id.
    pub fn concern(&self, id: &str) -> Option<&Concern> {
        self.concerns.iter().find(|c| c.id == id)
    }

    /// A homework kind's name.
    pub fn homework_name(&self, id: &str) -> Option<&str> {
        self.homework
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.name.as_str())
    }
}

/// A client's formulation, opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Formulation {
    /// The chosen concern ids.
    pub concerns: Vec<String>,
    /// The chosen diagnosis codes.
    pub diagnoses: Vec<String>,
    /// When they were last chosen.
    pub updated_at: Option<OffsetDateTime>,
}

/// Why a formulation was not saved.
#[derive(Debug, thiserror::Error)]
pub enum FormulationError {
    /// Something chosen is not in the catalogue.
    #[error("{0} is not one of the choices shown")]
    Unknown(String),
    /// Not this person's client.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// A client's formulation, for a clinician of the case.
    pub async fn formulation(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        context: &AuditContext,
    ) -> Result<Option<Formulation>, AppError> {
        let Some(case) = self.permitted_case(by, case, Intent::Read, context).await? else {
            return Ok(None);
        };
        if !case.clients.contains(&client) {
            return Ok(None);
        }
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            FORMULATION,
            client.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        let Some(record) = self.store.formulation(client).await? else {
            return Ok(Some(Formulation::default()));
        };
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let row = client.as_uuid();
        let open = |bytes: &[u8], column: &'static str| -> Result<Vec<String>, AppError> {
            let text = key.open_str(
                &Sealed::from_bytes(bytes.to_vec())?,
                &Binding::new(TABLE, column, row),
            )?;
            Ok(text
                .expose_secret()
                .split('\n')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect())
        };
        Ok(Some(Formulation {
            concerns: open(&record.concerns_sealed, "concerns_sealed")?,
            diagnoses: open(&record.diagnoses_sealed, "diagnoses_sealed")?,
            updated_at: Some(record.updated_at),
        }))
    }

    /// Saves the concerns and diagnoses the clinician ticked.
    pub async fn save_formulation(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        concerns: &[String],
        diagnoses: &[String],
        context: &AuditContext,
    ) -> Result<(), FormulationError> {
        let Some(case) = self
            .permitted_case(by, case, Intent::Write, context)
            .await?
        else {
            return Err(FormulationError::NotAllowed);
        };
        if !case.clients.contains(&client) {
            return Err(FormulationError::NotAllowed);
        }
        let catalogue = Catalogue::bundled()?;
        let mut chosen_concerns: Vec<String> = Vec::new();
        for id in concerns {
            let concern = catalogue
                .concern(id)
                .ok_or_else(|| FormulationError::Unknown(id.clone()))?;
            if !chosen_concerns.contains(&concern.id) {
                chosen_concerns.push(concern.id.clone());
            }
        }
        let mut chosen_codes: Vec<String> = Vec::new();
        for code in diagnoses {
            let known = catalogue
                .code(code)
                .ok_or_else(|| FormulationError::Unknown(code.clone()))?;
            if !chosen_codes.contains(&known.code) {
                chosen_codes.push(known.code.clone());
            }
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let row = client.as_uuid();
        let seal = |items: &[String], column: &'static str| -> Result<Vec<u8>, AppError> {
            Ok(key
                .seal_str(&items.join("\n"), &Binding::new(TABLE, column, row))?
                .into_bytes())
        };
        let now = self.clock.now();
        let record = FormulationRecord {
            client_id: client,
            practice_id: case.practice_id,
            concerns_sealed: seal(&chosen_concerns, "concerns_sealed")?,
            diagnoses_sealed: seal(&chosen_codes, "diagnoses_sealed")?,
            updated_by: by.account_id,
            updated_at: now,
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Update,
            FORMULATION,
            client.as_uuid(),
            context,
        );
        self.store
            .save_formulation(&record, self.audited(vec![event]))
            .await
            .map_err(AppError::from)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalogue_is_complete_and_consistent() {
        let catalogue = Catalogue::parse(CATALOGUE).unwrap();
        for id in [
            "low_desire",
            "desire_discrepancy",
            "erectile_difficulties",
            "premature_ejaculation",
            "genital_pain",
            "orgasm_difficulties",
            "trauma_recovery",
            "compulsive_sexual_behaviour",
            "life_transitions",
            "lgbtq_gender",
        ] {
            assert!(catalogue.concern(id).is_some(), "{id}");
        }
        // DSM-5 names appear only where clinical.md §4.1 marks the mapping verified.
        let named: Vec<&str> = catalogue
            .codes
            .iter()
            .filter(|c| c.dsm5.is_some())
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(named, ["F52.21", "F52.32"]);
    }

    #[test]
    fn a_concern_that_suggests_an_unknown_code_is_refused() {
        let text = "homework = []\ncode = []\n[[concern]]\nid = \"x\"\nname = \"X\"\ncodes = [\"F99\"]\nquestionnaires = []\nhomework = []\n";
        assert_eq!(
            Catalogue::parse(text),
            Err("concern x suggests unknown code F99".into())
        );
    }
}
