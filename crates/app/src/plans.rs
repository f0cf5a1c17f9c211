//! Treatment plans: the clinician writes the first plan and revises it (every revision
//! kept, with author, time and reason); the case's clients read it in the portal, without
//! the clinician's own notes, and acknowledge it.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::CaseId;
use sensate_domain::access::{self, Intent, Resource, Visibility};
use sensate_domain::accounts::Role;
use sensate_domain::plan::{PlanContent, PlanForm, PlanProblems};
use sensate_store::{PlanAcknowledgementRecord, PlanRevisionRecord, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const PLAN: ObjectType = ObjectType::from_static("treatment_plan");
const TABLE: &str = "plan_revision";

/// One revision, opened.
#[derive(Debug)]
pub struct PlanRevision {
    /// Its id.
    pub id: Uuid,
    /// Its number (1 for the first plan).
    pub number: i64,
    /// The plan as it was.
    pub content: PlanContent,
    /// Why it changed (`None` for the first plan).
    pub reason: Option<SecretString>,
    /// Who wrote it.
    pub author: SecretString,
    /// When.
    pub written_at: OffsetDateTime,
}

/// A case's plan for its clinician: every revision, newest last, and who has
/// acknowledged the newest.
#[derive(Debug)]
pub struct CasePlan {
    /// Every revision, oldest first.
    pub revisions: Vec<PlanRevision>,
    /// Names of the clients who acknowledged the newest revision.
    pub acknowledged_by: Vec<SecretString>,
}

/// The plan as a client reads it.
#[derive(Debug)]
pub struct ClientPlan {
    /// The newest revision, without the clinician's notes.
    pub revision: PlanRevision,
    /// When this client acknowledged it.
    pub acknowledged_at: Option<OffsetDateTime>,
}

/// Why a plan was not saved.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The form needs attention; nothing was saved.
    #[error(transparent)]
    Invalid(PlanProblems),
    /// Someone else saved a revision meanwhile.
    #[error("the plan changed while you were editing it; please look at the new revision first")]
    Changed,
    /// Not this person's case.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

fn corrupt(error: impl std::fmt::Display) -> AppError {
    AppError::Store(StoreError::Corrupt {
        what: "treatment plan",
        reason: error.to_string(),
    })
}

impl App {
    pub(crate) async fn open_revision(
        &self,
        key: &DataKey,
        record: &PlanRevisionRecord,
    ) -> Result<PlanRevision, AppError> {
        let content = key.open_str(
            &Sealed::from_bytes(record.content_sealed.clone())?,
            &Binding::new(TABLE, "content_sealed", record.id),
        )?;
        let content: PlanContent =
            serde_json::from_str(content.expose_secret()).map_err(corrupt)?;
        let reason = record
            .reason_sealed
            .as_deref()
            .map(|bytes| {
                key.open_str(
                    &Sealed::from_bytes(bytes.to_vec())?,
                    &Binding::new(TABLE, "reason_sealed", record.id),
                )
            })
            .transpose()?;
        Ok(PlanRevision {
            id: record.id,
            number: record.number,
            content,
            reason,
            author: self
                .person(record.written_by)
                .await?
                .map_or_else(|| SecretString::from("(no longer here)"), |p| p.name),
            written_at: record.written_at,
        })
    }

    /// A case's plan with every revision, for its clinician.
    pub async fn case_plan(
        &self,
        by: &SignedIn,
        case: CaseId,
        context: &AuditContext,
    ) -> Result<Option<CasePlan>, AppError> {
        let Some(case) = self.permitted_case(by, case, Intent::Read, context).await? else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            PLAN,
            case.id.as_uuid(),
            context,
        );
        self.record_event(event).await?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let mut revisions = Vec::new();
        for record in self.store.plan_revisions(case.id).await? {
            revisions.push(self.open_revision(&key, &record).await?);
        }
        let mut acknowledged_by = Vec::new();
        if let Some(newest) = revisions.last() {
            for ack in self.store.plan_acknowledgements(newest.id).await? {
                if let Some(client) = self.store.client(ack.client_id).await? {
                    acknowledged_by.push(crate::cases::open_client(&key, &client)?.name);
                }
            }
        }
        Ok(Some(CasePlan {
            revisions,
            acknowledged_by,
        }))
    }

    /// Saves the first plan, or a revision of the newest (`based_on` is the number of the
    /// revision the clinician was looking at; 0 when there was none).
    pub async fn save_plan(
        &self,
        by: &SignedIn,
        case: CaseId,
        form: &PlanForm,
        based_on: i64,
        context: &AuditContext,
    ) -> Result<i64, PlanError> {
        let Some(case) = self
            .permitted_case(by, case, Intent::Write, context)
            .await?
        else {
            return Err(PlanError::NotAllowed);
        };
        let existing = self
            .store
            .plan_revisions(case.id)
            .await
            .map_err(AppError::from)?;
        let newest = existing.last().map_or(0, |r| r.number);
        if newest != based_on {
            return Err(PlanError::Changed);
        }
        let (content, reason) = form
            .parse(existing.is_empty(), self.clock.now().date())
            .map_err(PlanError::Invalid)?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let id = Uuid::now_v7();
        let body = serde_json::to_string(&content).map_err(|e| AppError::Task(e.to_string()))?;
        let record = PlanRevisionRecord {
            id,
            practice_id: case.practice_id,
            case_id: case.id,
            number: newest + 1,
            content_sealed: key
                .seal_str(&body, &Binding::new(TABLE, "content_sealed", id))
                .map_err(AppError::from)?
                .into_bytes(),
            reason_sealed: if reason.is_empty() {
                None
            } else {
                Some(
                    key.seal_str(&reason, &Binding::new(TABLE, "reason_sealed", id))
                        .map_err(AppError::from)?
                        .into_bytes(),
                )
            },
            written_by: by.account_id,
            written_at: self.clock.now(),
        };
        let action = if newest == 0 {
            Action::Create
        } else {
            Action::Update
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            action,
            PLAN,
            id,
            context,
        );
        match self
            .store
            .add_plan_revision(&record, self.audited(vec![event]))
            .await
        {
            Ok(()) => Ok(record.number),
            Err(StoreError::Conflict { .. }) => Err(PlanError::Changed),
            Err(other) => Err(AppError::from(other).into()),
        }
    }

    /// The newest plan of one of the signed-in client's cases, without the clinician's
    /// notes; `None` when there is none or it is not theirs.
    pub async fn my_plan(
        &self,
        client: &SignedIn,
        case: CaseId,
        context: &AuditContext,
    ) -> Result<Option<ClientPlan>, AppError> {
        let (Role::Client, Some(me)) = (client.role, client.client_id) else {
            return Ok(None);
        };
        let Some(record) = self.store.case(case).await? else {
            return Ok(None);
        };
        let resource = Resource::ClinicalItem {
            practice: record.practice_id,
            clients: &record.clients,
            clinicians: &[record.clinician_id],
            visibility: Visibility::Case,
        };
        if !access::decide(&client.actor(), Intent::Read, &resource).allowed() {
            return Ok(None);
        }
        let Some(newest) = self.store.plan_revisions(case).await?.pop() else {
            return Ok(None);
        };
        let event = self.event_about(
            Actor::User(client.account_id.as_uuid()),
            record.practice_id,
            Action::Read,
            PLAN,
            newest.id,
            context,
        );
        self.record_event(event).await?;
        let key = self
            .vault
            .practice_key(self.store(), record.practice_id)
            .await?;
        let mut revision = self.open_revision(&key, &newest).await?;
        revision.content.clinician_notes.clear();
        revision.reason = None;
        let acknowledged_at = self
            .store
            .plan_acknowledgements(newest.id)
            .await?
            .into_iter()
            .find(|a| a.client_id == me)
            .map(|a| a.acknowledged_at);
        Ok(Some(ClientPlan {
            revision,
            acknowledged_at,
        }))
    }

    /// Records that the signed-in client has read the newest plan (`shown` is the
    /// revision they read). False when it is not theirs or no longer the newest.
    pub async fn acknowledge_plan(
        &self,
        client: &SignedIn,
        case: CaseId,
        shown: Uuid,
        context: &AuditContext,
    ) -> Result<bool, AppError> {
        let Some(plan) = self.my_plan(client, case, context).await? else {
            return Ok(false);
        };
        let (Some(me), Some(practice)) = (client.client_id, client.practice_id) else {
            return Ok(false);
        };
        if plan.revision.id != shown {
            return Ok(false);
        }
        let now = self.clock.now();
        let event = self.event_about(
            Actor::User(client.account_id.as_uuid()),
            practice,
            Action::Update,
            PLAN,
            shown,
            context,
        );
        self.store
            .acknowledge_plan(
                &PlanAcknowledgementRecord {
                    revision_id: shown,
                    client_id: me,
                    acknowledged_by: client.account_id,
                    acknowledged_at: now,
                },
                self.audited(vec![event]),
            )
            .await?;
        Ok(true)
    }

    /// Plans waiting for the signed-in client's acknowledgement: (case, revision number).
    pub async fn plans_waiting(&self, client: &SignedIn) -> Result<Vec<CaseId>, AppError> {
        let (Role::Client, Some(me)) = (client.role, client.client_id) else {
            return Ok(Vec::new());
        };
        let mut waiting = Vec::new();
        for case in self.store.client_cases(me).await? {
            if case.closed_at.is_some() {
                continue;
            }
            if let Some(newest) = self.store.plan_revisions(case.id).await?.pop()
                && !self
                    .store
                    .plan_acknowledgements(newest.id)
                    .await?
                    .iter()
                    .any(|a| a.client_id == me)
            {
                waiting.push(case.id);
            }
        }
        Ok(waiting)
    }
}
