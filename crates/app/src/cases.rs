//! Clients and cases: opening a case with its clients' records, the clinician's
//! caseload, one case opened, closing, reopening and transferring.
//!
//! Every detail that identifies a client is sealed under the practice's key, bound to
//! its `client` row and column, before it reaches the store. Every read is audited
//! before anything is returned, and every write commits with its audit rows. Whether
//! someone may see a case is the access policy's answer, asked with the case's real
//! clinician and clients; a refusal looks exactly like a case that does not exist.

use sensate_audit::{Action, Actor, ObjectType, Outcome};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::access::{self, Intent, Resource, Visibility};
use sensate_domain::accounts::Role;
use sensate_domain::cases::{self, CaseError, CaseKind, CaseStatus, SecretsPolicy};
use sensate_domain::client::{ClientDetails, ClientForm, ClientProblems};
use sensate_domain::{AccountId, CaseId, ClientId};
use sensate_store::{CaseRecord, ClientRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::consent::ConsentStatus;
use crate::invitations::{Invite, InviteError};
use crate::sign_in::SignedIn;
use crate::{App, AppError};

pub(crate) const CLIENT_TABLE: &str = "client";
const CASE: ObjectType = ObjectType::from_static("case");
const CLIENT: ObjectType = ObjectType::from_static("client");
const CASELOAD: ObjectType = ObjectType::from_static("caseload");

/// What the clinician asks for when opening a case.
#[derive(Clone, Debug, Default)]
pub struct OpenCase {
    /// The kind's code: `individual`, `couple` or `group`.
    pub kind: String,
    /// The secrets policy's code (couple cases only; empty otherwise).
    pub secrets_policy: String,
    /// The clients' details, in the order they should be listed.
    pub clients: Vec<ClientForm>,
}

/// Why a case was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenCaseError {
    /// Something in the form needs attention; nothing was stored.
    #[error("some fields need attention")]
    Invalid {
        /// A problem with the case as a whole (its kind, size or secrets policy).
        case: Option<String>,
        /// Each client's problems, in the form's order.
        clients: Vec<ClientProblems>,
    },
    /// Only clinicians (and owners, who are clinicians too) open cases.
    #[error("only clinicians open cases")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

/// A client's record, opened.
#[derive(Debug)]
pub struct ClientView {
    /// Its id.
    pub id: ClientId,
    /// Name.
    pub name: SecretString,
    /// Pronouns, if recorded.
    pub pronouns: Option<SecretString>,
    /// Date of birth (`YYYY-MM-DD`), if recorded.
    pub date_of_birth: Option<SecretString>,
    /// Email address, if recorded.
    pub email: Option<SecretString>,
    /// Phone number, if recorded.
    pub phone: Option<SecretString>,
    /// True once the client has a portal account of their own.
    pub has_portal: bool,
    /// Where they stand with the practice's consent document.
    pub consent: ConsentStatus,
    /// For a partner in a couple case: when they agreed to its current secrets policy.
    pub policy_agreed_at: Option<OffsetDateTime>,
}

/// A case, opened for its clinician.
#[derive(Debug)]
pub struct CaseView {
    /// Its id.
    pub id: CaseId,
    /// Individual, couple or group.
    pub kind: CaseKind,
    /// For a couple, how individual confidences are handled.
    pub secrets_policy: Option<SecretsPolicy>,
    /// Open or closed.
    pub status: CaseStatus,
    /// The responsible clinician.
    pub clinician_id: AccountId,
    /// Their name.
    pub clinician_name: SecretString,
    /// The clients, in order.
    pub clients: Vec<ClientView>,
    /// When care began.
    pub opened_at: OffsetDateTime,
    /// When it was closed.
    pub closed_at: Option<OffsetDateTime>,
}

/// One line of the caseload.
#[derive(Debug)]
pub struct CaseloadLine {
    /// The case.
    pub id: CaseId,
    /// Its kind.
    pub kind: CaseKind,
    /// Open or closed.
    pub status: CaseStatus,
    /// Its clients' names, in order.
    pub names: Vec<SecretString>,
    /// When care began.
    pub opened_at: OffsetDateTime,
}

/// One page of the caseload.
#[derive(Debug)]
pub struct CaseloadPage {
    /// The page's cases, newest first.
    pub lines: Vec<CaseloadLine>,
    /// How many cases match, over every page.
    pub total: usize,
    /// The page shown (from 1), after clamping to a real page.
    pub page: usize,
}

/// What the caseload shows: text to find in clients' names, pronouns, emails and
/// phone numbers, and filters. The search runs over the opened records in memory,
/// never over plaintext in the database.
#[derive(Clone, Debug, Default)]
pub struct CaseloadQuery {
    /// Words to find (case-insensitive); every word must match some client of the case.
    pub text: String,
    /// Only this kind.
    pub kind: Option<CaseKind>,
    /// Only open or only closed cases.
    pub status: Option<CaseStatus>,
}

/// A clinician a case can be handed to.
#[derive(Debug)]
pub struct Colleague {
    /// Their account.
    pub id: AccountId,
    /// Their name.
    pub name: SecretString,
}

fn status_of(record: &CaseRecord) -> CaseStatus {
    if record.closed_at.is_some() {
        CaseStatus::Closed
    } else {
        CaseStatus::Open
    }
}

fn is_staff(by: &SignedIn) -> bool {
    matches!(by.role, Role::Owner | Role::Clinician)
}

/// Seals one client field, bound to its row and column.
fn seal(key: &DataKey, text: &str, column: &'static str, row: Uuid) -> Result<Vec<u8>, AppError> {
    Ok(key
        .seal_str(text, &Binding::new(CLIENT_TABLE, column, row))?
        .into_bytes())
}

fn open(
    key: &DataKey,
    bytes: &[u8],
    column: &'static str,
    row: Uuid,
) -> Result<SecretString, AppError> {
    Ok(key.open_str(
        &Sealed::from_bytes(bytes.to_vec())?,
        &Binding::new(CLIENT_TABLE, column, row),
    )?)
}

fn open_optional(
    key: &DataKey,
    bytes: Option<&Vec<u8>>,
    column: &'static str,
    row: Uuid,
) -> Result<Option<SecretString>, AppError> {
    bytes.map(|bytes| open(key, bytes, column, row)).transpose()
}

/// Opens a client's record with the practice's key.
pub(crate) fn open_client(key: &DataKey, record: &ClientRecord) -> Result<ClientView, AppError> {
    let row = record.id.as_uuid();
    Ok(ClientView {
        id: record.id,
        name: open(key, &record.name_sealed, "name_sealed", row)?,
        pronouns: open_optional(key, record.pronouns_sealed.as_ref(), "pronouns_sealed", row)?,
        date_of_birth: open_optional(
            key,
            record.date_of_birth_sealed.as_ref(),
            "date_of_birth_sealed",
            row,
        )?,
        email: open_optional(key, record.email_sealed.as_ref(), "email_sealed", row)?,
        phone: open_optional(key, record.phone_sealed.as_ref(), "phone_sealed", row)?,
        has_portal: false,
        consent: ConsentStatus::NotSigned,
        policy_agreed_at: None,
    })
}

/// True when every word of `query` is found in one of the texts.
fn matches_words(query: &str, texts: &[&str]) -> bool {
    let haystack: Vec<String> = texts.iter().map(|text| text.to_lowercase()).collect();
    query
        .split_whitespace()
        .map(str::to_lowercase)
        .all(|word| haystack.iter().any(|text| text.contains(&word)))
}

impl App {
    /// Opens a case with new client records, under the clinician who opens it.
    pub async fn open_case(
        &self,
        by: &SignedIn,
        form: &OpenCase,
        context: &AuditContext,
    ) -> Result<CaseId, OpenCaseError> {
        self.open_case_as(by.account_id, form, context)
            .await
            .map(|(case, _)| case)
    }

    /// Opens a case under `clinician` (an active owner or clinician), who is recorded as
    /// having done it. The web layer comes through [`App::open_case`]; the demo seed
    /// calls this directly. Returns the case and its new clients' ids, in order.
    pub async fn open_case_as(
        &self,
        clinician: AccountId,
        form: &OpenCase,
        context: &AuditContext,
    ) -> Result<(CaseId, Vec<ClientId>), OpenCaseError> {
        let Some(account) = self
            .store
            .account(clinician)
            .await
            .map_err(AppError::from)?
            .filter(|account| {
                account.is_active() && matches!(account.role, Role::Owner | Role::Clinician)
            })
        else {
            return Err(OpenCaseError::NotAllowed);
        };
        let Some(practice) = account.practice_id else {
            return Err(OpenCaseError::NotAllowed);
        };
        let today = self.clock.now().date();
        let mut problems = Vec::with_capacity(form.clients.len());
        let mut details = Vec::with_capacity(form.clients.len());
        for client in &form.clients {
            match ClientDetails::parse(client, today) {
                Ok(parsed) => {
                    details.push(parsed);
                    problems.push(ClientProblems::default());
                }
                Err(wrong) => problems.push(wrong),
            }
        }
        let case_problem = check_case(form);
        if case_problem.is_some() || details.len() != form.clients.len() {
            return Err(OpenCaseError::Invalid {
                case: case_problem.map(|e| e.to_string()),
                clients: problems,
            });
        }
        let (Some(kind), Ok(policy)) = (CaseKind::parse(&form.kind), parse_policy(form)) else {
            return Err(OpenCaseError::Invalid {
                case: Some("choose the kind of case".into()),
                clients: problems,
            });
        };
        let key = self
            .vault
            .practice_key(self.store(), practice)
            .await
            .map_err(AppError::from)?;
        let now = self.clock.now();
        let mut records = Vec::with_capacity(details.len());
        for client in &details {
            let id = ClientId::new();
            let row = id.as_uuid();
            let sealed = |text: Option<&str>, column| {
                text.map(|text| seal(&key, text, column, row)).transpose()
            };
            let birth = client.date_of_birth.map(|date| date.to_string());
            records.push(ClientRecord {
                id,
                practice_id: practice,
                name_sealed: seal(&key, client.name.as_str(), "name_sealed", row)?,
                pronouns_sealed: sealed(client.pronouns.as_deref(), "pronouns_sealed")?,
                date_of_birth_sealed: sealed(birth.as_deref(), "date_of_birth_sealed")?,
                email_sealed: sealed(client.email.as_ref().map(|e| e.as_str()), "email_sealed")?,
                phone_sealed: sealed(client.phone.as_deref(), "phone_sealed")?,
                created_at: now,
            });
        }
        let case = CaseRecord {
            id: CaseId::new(),
            practice_id: practice,
            kind,
            secrets_policy: policy,
            clinician_id: clinician,
            clients: records.iter().map(|record| record.id).collect(),
            opened_at: now,
            closed_at: None,
        };
        let mut events = vec![self.event_about(
            Actor::User(clinician.as_uuid()),
            practice,
            Action::Create,
            CASE,
            case.id.as_uuid(),
            context,
        )];
        for record in &records {
            events.push(self.event_about(
                Actor::User(clinician.as_uuid()),
                practice,
                Action::Create,
                CLIENT,
                record.id.as_uuid(),
                context,
            ));
        }
        self.store
            .open_case(&records, &case, self.audited(events))
            .await
            .map_err(AppError::from)?;
        Ok((case.id, case.clients))
    }

    /// One page of the signed-in clinician's own cases, opened, searched and filtered,
    /// newest first; `page` counts from 1 and is clamped to the nearest real page.
    /// Owners see the cases in their own care, like any clinician. Without search words
    /// only the page's own names are opened, since nothing else needs them.
    pub async fn caseload_page(
        &self,
        by: &SignedIn,
        query: &CaseloadQuery,
        page: usize,
        size: usize,
        context: &AuditContext,
    ) -> Result<CaseloadPage, AppError> {
        let size = size.max(1);
        let Some(practice) = by.practice_id.filter(|_| is_staff(by)) else {
            return Ok(CaseloadPage {
                lines: Vec::new(),
                total: 0,
                page: 1,
            });
        };
        let caseload = self.store.caseload(by.account_id).await?;
        let clients: Vec<&ClientRecord> =
            caseload.iter().flat_map(|(_, clients)| clients).collect();
        let cases: Vec<&CaseRecord> = caseload.iter().map(|(case, _)| case).collect();
        self.record_event(self.event_about(
            Actor::User(by.account_id.as_uuid()),
            practice,
            Action::List,
            CASELOAD,
            by.account_id.as_uuid(),
            context,
        ))
        .await?;
        let key = self.vault.practice_key(self.store(), practice).await?;
        let searching = !query.text.trim().is_empty();
        let records: std::collections::HashMap<ClientId, &ClientRecord> = clients
            .iter()
            .filter(|record| record.practice_id == practice)
            .map(|record| (record.id, *record))
            .collect();
        // Kind and status filter without opening anything.
        let matching: Vec<&CaseRecord> = cases
            .iter()
            .rev()
            .copied()
            .filter(|case| {
                case.practice_id == practice
                    && query.kind.is_none_or(|kind| kind == case.kind)
                    && query.status.is_none_or(|wanted| wanted == status_of(case))
            })
            .collect();
        let names = |case: &CaseRecord| -> Result<Vec<SecretString>, AppError> {
            case.clients
                .iter()
                .filter_map(|id| records.get(id))
                .map(|record| {
                    open(
                        &key,
                        &record.name_sealed,
                        "name_sealed",
                        record.id.as_uuid(),
                    )
                })
                .collect()
        };
        let line = |case: &CaseRecord, names: Vec<SecretString>| CaseloadLine {
            id: case.id,
            kind: case.kind,
            status: status_of(case),
            names,
            opened_at: case.opened_at,
        };
        let found: Vec<&CaseRecord> = if searching {
            // Search words are looked for in every field, so every client is opened.
            let mut found = Vec::new();
            for case in matching {
                let members = case
                    .clients
                    .iter()
                    .filter_map(|id| records.get(id))
                    .map(|record| open_client(&key, record))
                    .collect::<Result<Vec<ClientView>, AppError>>()?;
                let texts: Vec<&str> = members
                    .iter()
                    .flat_map(|client| {
                        [
                            Some(&client.name),
                            client.pronouns.as_ref(),
                            client.email.as_ref(),
                            client.phone.as_ref(),
                        ]
                    })
                    .flatten()
                    .map(|secret| secret.expose_secret())
                    .collect();
                if matches_words(&query.text, &texts) {
                    found.push(case);
                }
            }
            found
        } else {
            matching
        };
        let total = found.len();
        // Only the shown page's names are opened: a page lists 50 of perhaps 1,000
        // cases (docs/BENCHMARKS.md).
        let page = page.clamp(1, total.div_ceil(size).max(1));
        let skip = (page - 1) * size;
        let mut lines = Vec::with_capacity(size.min(total));
        for case in found.into_iter().skip(skip).take(size) {
            lines.push(line(case, names(case)?));
        }
        Ok(CaseloadPage { lines, total, page })
    }

    /// The case as the policy lets this person see it, after recording the read;
    /// `None` when it does not exist or they may not see it (the two look alike).
    pub(crate) async fn permitted_case(
        &self,
        by: &SignedIn,
        id: CaseId,
        intent: Intent,
        context: &AuditContext,
    ) -> Result<Option<CaseRecord>, AppError> {
        let Some(case) = self.store.case(id).await? else {
            return Ok(None);
        };
        let clinicians = [case.clinician_id];
        let resource = Resource::ClinicalItem {
            practice: case.practice_id,
            clients: &case.clients,
            clinicians: &clinicians,
            visibility: Visibility::Case,
        };
        let allowed = access::decide(&by.actor(), intent, &resource).allowed()
            // The case's own record (its clients' details, its status) is the
            // clinicians' working file; clients see their part through the portal.
            && is_staff(by);
        if !allowed {
            // A refused attempt on a real case is recorded (security notes §5.5), so
            // the practice can see who tried to reach what.
            let action = if intent == Intent::Read {
                Action::Read
            } else {
                Action::Update
            };
            self.record_event({
                let mut event = self.event_about(
                    Actor::User(by.account_id.as_uuid()),
                    case.practice_id,
                    action,
                    CASE,
                    case.id.as_uuid(),
                    context,
                );
                event.outcome = Outcome::Denied;
                event
            })
            .await?;
            return Ok(None);
        }
        Ok(Some(case))
    }

    /// One case, opened for its clinician; `None` when it does not exist or they may
    /// not see it.
    pub async fn case_view(
        &self,
        by: &SignedIn,
        id: CaseId,
        context: &AuditContext,
    ) -> Result<Option<CaseView>, AppError> {
        let Some(case) = self.permitted_case(by, id, Intent::Read, context).await? else {
            return Ok(None);
        };
        self.record_event(self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Read,
            CASE,
            case.id.as_uuid(),
            context,
        ))
        .await?;
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await?;
        let mut clients = Vec::with_capacity(case.clients.len());
        for id in &case.clients {
            if let Some(record) = self.store.client(*id).await? {
                let mut client = open_client(&key, &record)?;
                client.has_portal = self.store.account_for_client(*id).await?.is_some();
                client.consent = self.consent_status(case.practice_id, *id, context).await?;
                if let Some(policy) = case.secrets_policy {
                    client.policy_agreed_at = self.policy_agreed_at(case.id, *id, policy).await?;
                }
                clients.push(client);
            }
        }
        let clinician_name = match self.person(case.clinician_id).await? {
            Some(person) => person.name,
            None => SecretString::from("(no longer here)"),
        };
        Ok(Some(CaseView {
            id: case.id,
            kind: case.kind,
            secrets_policy: case.secrets_policy,
            status: status_of(&case),
            clinician_id: case.clinician_id,
            clinician_name,
            clients,
            opened_at: case.opened_at,
            closed_at: case.closed_at,
        }))
    }

    /// Closes (`close = true`) or reopens a case: `Some(true)` when changed,
    /// `Some(false)` when it already was so, `None` when it does not exist or the person
    /// may not change it.
    pub async fn set_case_open(
        &self,
        by: &SignedIn,
        id: CaseId,
        close: bool,
        context: &AuditContext,
    ) -> Result<Option<bool>, AppError> {
        let Some(case) = self.permitted_case(by, id, Intent::Write, context).await? else {
            return Ok(None);
        };
        if case.closed_at.is_some() == close {
            return Ok(Some(false));
        }
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            case.practice_id,
            Action::Update,
            CASE,
            case.id.as_uuid(),
            context,
        );
        let closed_at = close.then(|| self.clock.now());
        Ok(Some(
            self.store
                .set_case_closed(case.id, closed_at, self.audited(vec![event]))
                .await?,
        ))
    }

    /// The active clinicians (and owners) of the person's practice other than
    /// themself: whom a case can be handed to.
    pub async fn colleagues(&self, by: &SignedIn) -> Result<Vec<Colleague>, AppError> {
        let Some(practice) = by.practice_id.filter(|_| is_staff(by)) else {
            return Ok(Vec::new());
        };
        let mut colleagues = Vec::new();
        for account in self.store.practice_accounts(practice).await? {
            if account.id != by.account_id
                && account.is_active()
                && matches!(account.role, Role::Owner | Role::Clinician)
            {
                let person = self.open_person(&account).await?;
                colleagues.push(Colleague {
                    id: person.id,
                    name: person.name,
                });
            }
        }
        Ok(colleagues)
    }

    /// Hands a case to another active clinician of the same practice. False when the
    /// case or the colleague is not one this person can use.
    pub async fn transfer_case(
        &self,
        by: &SignedIn,
        id: CaseId,
        to: AccountId,
        context: &AuditContext,
    ) -> Result<bool, AppError> {
        let Some(case) = self.permitted_case(by, id, Intent::Write, context).await? else {
            return Ok(false);
        };
        let Some(colleague) = self.store.account(to).await? else {
            return Ok(false);
        };
        if colleague.practice_id != Some(case.practice_id)
            || !colleague.is_active()
            || !matches!(colleague.role, Role::Owner | Role::Clinician)
            || colleague.id == case.clinician_id
        {
            return Ok(false);
        }
        let events = vec![
            self.event_about(
                Actor::User(by.account_id.as_uuid()),
                case.practice_id,
                Action::AccessRevoked,
                CASE,
                case.id.as_uuid(),
                context,
            ),
            self.event_about(
                Actor::User(by.account_id.as_uuid()),
                case.practice_id,
                Action::AccessGranted,
                CASE,
                case.id.as_uuid(),
                context,
            ),
        ];
        Ok(self
            .store
            .transfer_case(case.id, to, self.audited(events))
            .await?)
    }

    /// Invites one client of a case to the portal at `email` (the address on their
    /// record, unless the clinician gives another). The account made from the link
    /// belongs to the client's record, so the portal shows that client their own part of
    /// their cases and nothing of anyone else's.
    pub async fn invite_to_portal(
        &self,
        by: &SignedIn,
        case: CaseId,
        client: ClientId,
        email: &str,
        link_base: &str,
        context: &AuditContext,
    ) -> Result<(), InviteError> {
        let Some(case) = self
            .permitted_case(by, case, Intent::Write, context)
            .await?
        else {
            return Err(InviteError::NotAllowed);
        };
        if !case.clients.contains(&client) {
            return Err(InviteError::NotAllowed);
        }
        let Some(record) = self.store.client(client).await.map_err(AppError::from)? else {
            return Err(InviteError::NotAllowed);
        };
        if self
            .store
            .account_for_client(client)
            .await
            .map_err(AppError::from)?
            .is_some()
        {
            return Err(InviteError::AlreadyInPortal);
        }
        let key = self
            .vault
            .practice_key(self.store(), case.practice_id)
            .await
            .map_err(AppError::from)?;
        let opened = open_client(&key, &record)?;
        self.invite(
            by,
            Invite {
                role: Role::Client,
                name: opened.name.expose_secret().to_owned(),
                email: email.to_owned(),
                client: Some(client),
            },
            link_base,
            context,
        )
        .await
    }
}

fn parse_policy(form: &OpenCase) -> Result<Option<SecretsPolicy>, ()> {
    let code = form.secrets_policy.trim();
    if code.is_empty() {
        return Ok(None);
    }
    SecretsPolicy::parse(code).map(Some).ok_or(())
}

/// The case-level checks: a known kind, the right number of clients, a secrets policy
/// exactly when the case is a couple's.
fn check_case(form: &OpenCase) -> Option<CaseError> {
    let kind = CaseKind::parse(&form.kind)?;
    if let Err(error) = kind.check_size(form.clients.len()) {
        return Some(error);
    }
    let Ok(policy) = parse_policy(form) else {
        return Some(CaseError::SecretsPolicyMissing);
    };
    cases::check_secrets_policy(kind, policy).err()
}
