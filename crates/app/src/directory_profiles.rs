//! A therapist's public profile: written by the clinician, screened for red flags on
//! every save, listed only while a verifier has checked a current licence.
//!
//! The profile is public by design, so it is stored plain. What the public may rely on
//! comes from the verifier's findings only: the listing date (`listed_until`) is the
//! latest "verified until" of the profile's verified licences, and a certification is a
//! search filter only while its verification is current. Both are recomputed from the
//! credentials on every save and every verifier decision ([`App::reindex_profile`]), so
//! a badge runs out on its date without anything having to run.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_directory::concerns::ConcernsTreated;
use sensate_directory::jurisdictions::Jurisdictions;
use sensate_directory::moderation;
use sensate_directory::vocabulary::Vocabulary;
use sensate_directory::{Term, search_words};
use sensate_domain::AccountId;
use sensate_domain::accounts::Role;
use sensate_places::Gazetteer;
use sensate_store::{CredentialRecord, ProfileRecord, ProfileStatus, ProfileTag};
use time::Date;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::sign_in::SignedIn;
use crate::{App, AppError};

const PROFILE: ObjectType = ObjectType::from_static("directory_profile");
const CREDENTIAL: ObjectType = ObjectType::from_static("directory_credential");

/// Why a directory action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// Fields need attention: (field, message); nothing was saved.
    #[error("some fields need attention")]
    Invalid(Vec<(String, String)>),
    /// Not this person's to do.
    #[error("not found")]
    NotAllowed,
    /// Something the person cannot fix.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sensate_store::StoreError> for DirectoryError {
    fn from(error: sensate_store::StoreError) -> Self {
        DirectoryError::App(error.into())
    }
}

impl From<sensate_directory::DataFileError> for DirectoryError {
    fn from(error: sensate_directory::DataFileError) -> Self {
        DirectoryError::App(AppError::Task(error.to_string()))
    }
}

/// What a clinician writes about themselves.
#[derive(Clone, Debug, Default)]
pub struct ProfileForm {
    /// The name shown.
    pub display_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// "About me".
    pub about: String,
    /// "What a first session with me is like".
    pub first_session: String,
    /// Concern ids.
    pub concerns: Vec<String>,
    /// Approach ids.
    pub approaches: Vec<String>,
    /// (competence id, level id).
    pub competences: Vec<(String, String)>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Degree ids.
    pub degrees: Vec<String>,
    /// Sees clients in person.
    pub in_person: bool,
    /// The office's postal code or city.
    pub office: String,
    /// Sees clients by video.
    pub video: bool,
    /// Jurisdiction codes for video.
    pub video_jurisdictions: Vec<String>,
    /// Lowest fee, whole units.
    pub fee_low: String,
    /// Highest fee.
    pub fee_high: String,
    /// Offers a sliding scale.
    pub sliding_scale: bool,
    /// Insurance accepted, one per line or comma-separated.
    pub insurance: String,
    /// Accepting new clients.
    pub accepting: bool,
    /// Publish (true) or keep as a draft.
    pub publish: bool,
}

/// What saving a profile did.
#[derive(Debug, PartialEq, Eq)]
pub enum ProfileSaved {
    /// Kept as a draft.
    Draft,
    /// Published; listed while a licence is verified and current.
    Published,
    /// Held for the verifier: these phrases, with why.
    Held(Vec<String>),
    /// Suspended by a verifier; changes are saved but it stays hidden.
    Suspended,
}

/// A credential as a clinician submits it.
#[derive(Clone, Debug, Default)]
pub struct CredentialForm {
    /// `licence` or `certification`.
    pub kind: String,
    /// The licence type or certification id.
    pub type_id: String,
    /// The licence number.
    pub number: String,
    /// The jurisdiction code (licences).
    pub jurisdiction: String,
    /// When it expires (`YYYY-MM-DD`), for a licence.
    pub expires_on: String,
    /// Where the verifier can check it.
    pub evidence_note: String,
    /// The uploaded document as a `data:` URL (a PDF, PNG or JPEG), or empty.
    pub evidence: String,
}

/// The largest document a clinician may upload, decoded.
pub const EVIDENCE_MAX_BYTES: usize = 2 * 1024 * 1024;
const CREDENTIAL_TABLE: &str = "directory_credential";

/// The media type and bytes of an uploaded document, from its `data:` URL.
fn evidence_document(data_url: &str) -> Result<Option<(String, Vec<u8>)>, String> {
    use base64::Engine as _;
    let data_url = data_url.trim();
    if data_url.is_empty() {
        return Ok(None);
    }
    let refused =
        || "Upload the licence or certificate as a PDF, PNG or JPEG file of up to 2 MB".to_owned();
    let (header, body) = data_url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
        .ok_or_else(refused)?;
    let media_type = header.strip_suffix(";base64").ok_or_else(refused)?;
    if !matches!(media_type, "application/pdf" | "image/png" | "image/jpeg") {
        return Err(refused());
    }
    if body.len() > EVIDENCE_MAX_BYTES / 3 * 4 + 4 {
        return Err(refused());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|_| refused())?;
    // The bytes must be what the type says: a PDF starts "%PDF", a PNG and a JPEG with
    // their signatures. A page never offers a verifier anything else.
    let signature_ok = match media_type {
        "application/pdf" => bytes.starts_with(b"%PDF"),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        _ => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
    };
    if bytes.is_empty() || bytes.len() > EVIDENCE_MAX_BYTES || !signature_ok {
        return Err(refused());
    }
    Ok(Some((media_type.to_owned(), bytes)))
}

/// A verifier's decision on a credential.
#[derive(Clone, Debug)]
pub enum CredentialDecision {
    /// Verified until a day, saying what was checked.
    Verify {
        /// The last day it holds.
        until: String,
        /// What was checked, in words ("the Illinois licence lookup").
        checked: String,
    },
    /// Rejected, with a reason the clinician reads.
    Reject {
        /// Why.
        reason: String,
    },
}

/// A text field, trimmed, checked for presence (when required), length and control
/// characters; problems are added to `problems`.
pub(crate) fn text_field(
    problems: &mut Vec<(String, String)>,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    let value = value.replace("\r\n", "\n");
    let value = value.trim();
    if required && value.is_empty() {
        problems.push((field.into(), format!("{label}: please fill this in")));
    } else if value.chars().count() > max {
        problems.push((
            field.into(),
            format!("{label}: keep it to {max} characters"),
        ));
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        problems.push((
            field.into(),
            format!("{label}: remove the invisible control characters"),
        ));
    }
    value.to_owned()
}

fn fee(problems: &mut Vec<(String, String)>, field: &str, value: &str) -> Option<i64> {
    let value = value.trim().trim_start_matches('$');
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(amount) if (0..=5000).contains(&amount) => Some(amount),
        _ => {
            problems.push((field.into(), "Fees are whole amounts from 0 to 5000".into()));
            None
        }
    }
}

fn ids<T: Term>(list: &[&T]) -> Vec<String> {
    list.iter().map(|t| t.id().to_owned()).collect()
}

/// The credential's stated date, if it parses.
fn date(text: &str) -> Option<Date> {
    Date::parse(
        text.trim(),
        &time::format_description::well_known::Iso8601::DATE,
    )
    .ok()
}

impl App {
    /// The signed-in clinician's profile, if they have one.
    pub async fn my_profile(&self, by: &SignedIn) -> Result<Option<ProfileRecord>, AppError> {
        if !matches!(by.role, Role::Owner | Role::Clinician) {
            return Ok(None);
        }
        Ok(self.store.profile_of(by.account_id).await?)
    }

    /// The credentials of the signed-in clinician's profile, oldest first.
    pub async fn my_credentials(&self, by: &SignedIn) -> Result<Vec<CredentialRecord>, AppError> {
        match self.my_profile(by).await? {
            Some(profile) => Ok(self.store.profile_credentials(profile.id).await?),
            None => Ok(Vec::new()),
        }
    }

    /// Saves the signed-in clinician's profile, screening its text for red flags.
    pub async fn save_my_profile(
        &self,
        by: &SignedIn,
        form: &ProfileForm,
        context: &AuditContext,
    ) -> Result<ProfileSaved, DirectoryError> {
        let (Role::Owner | Role::Clinician, Some(practice)) = (by.role, by.practice_id) else {
            return Err(DirectoryError::NotAllowed);
        };
        let vocabulary = Vocabulary::builtin()?;
        let mut problems = Vec::new();
        let display_name = text_field(
            &mut problems,
            "display_name",
            "Name",
            &form.display_name,
            true,
            80,
        );
        let pronouns = text_field(
            &mut problems,
            "pronouns",
            "Pronouns",
            &form.pronouns,
            false,
            30,
        );
        let about = text_field(
            &mut problems,
            "about",
            "About me",
            &form.about,
            form.publish,
            3000,
        );
        let first_session = text_field(
            &mut problems,
            "first_session",
            "A first session with me",
            &form.first_session,
            false,
            2000,
        );
        let mut listed =
            |field: &str, result: Result<Vec<String>, sensate_directory::TermError>| {
                result.unwrap_or_else(|error| {
                    problems.push((field.into(), capitalised(&error.to_string())));
                    Vec::new()
                })
            };
        let concerns = listed(
            "concerns",
            ConcernsTreated::builtin()?
                .parse(&form.concerns)
                .map(|l| ids(&l)),
        );
        let approaches = listed(
            "approaches",
            vocabulary
                .parse_approaches(&form.approaches)
                .map(|l| ids(&l)),
        );
        let languages = listed(
            "languages",
            vocabulary.parse_languages(&form.languages).map(|l| ids(&l)),
        );
        let degrees = listed(
            "degrees",
            vocabulary.parse_degrees(&form.degrees).map(|l| ids(&l)),
        );
        let video_jurisdictions = listed(
            "video_jurisdictions",
            Jurisdictions::builtin()?
                .parse_list(&form.video_jurisdictions)
                .map(|l| l.iter().map(|j| j.code.clone()).collect()),
        );
        let competences = listed(
            "competences",
            vocabulary
                .parse_competences(&form.competences)
                .map(|claims| {
                    claims
                        .iter()
                        .map(|c| format!("{}={}", c.competence.id(), c.level.id()))
                        .collect()
                }),
        );
        let (office, coordinates) = if form.office.trim().is_empty() {
            if form.in_person {
                problems.push((
                    "office".into(),
                    "Give your office's postal code or city, so people nearby can find you".into(),
                ));
            }
            (None, None)
        } else {
            match Gazetteer::builtin().resolve(&form.office) {
                Ok(place) => (Some(place.label()), Some(place.coordinates())),
                Err(error) => {
                    problems.push(("office".into(), format!("Office: {error}")));
                    (None, None)
                }
            }
        };
        if form.video && video_jurisdictions.is_empty() {
            problems.push((
                "video_jurisdictions".into(),
                "Choose where you are licensed to see clients by video".into(),
            ));
        }
        if form.publish && !form.in_person && !form.video {
            problems.push((
                "in_person".into(),
                "Say whether you see clients in person, by video, or both".into(),
            ));
        }
        let fee_low = fee(&mut problems, "fee_low", &form.fee_low);
        let fee_high = fee(&mut problems, "fee_high", &form.fee_high);
        if let (Some(low), Some(high)) = (fee_low, fee_high)
            && low > high
        {
            problems.push((
                "fee_high".into(),
                "The highest fee is below the lowest".into(),
            ));
        }
        let insurance: Vec<String> = form
            .insurance
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if insurance.len() > 20 || insurance.iter().any(|i| i.chars().count() > 60) {
            problems.push((
                "insurance".into(),
                "List up to 20 insurers, each in up to 60 characters".into(),
            ));
        }
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let screening = moderation::screen(&[
            ("Name", display_name.as_str()),
            ("About me", about.as_str()),
            ("A first session with me", first_session.as_str()),
            ("Insurance", form.insurance.as_str()),
        ])?;
        let held_for: Vec<String> = screening
            .hits()
            .iter()
            .map(|hit| format!("{}: “{}” — {}", hit.field, hit.phrase, hit.reason))
            .collect();
        let existing = self.store.profile_of(by.account_id).await?;
        let status = match (&existing, form.publish, screening.holds_for_verifier()) {
            (Some(p), _, _) if p.status == ProfileStatus::Suspended => ProfileStatus::Suspended,
            (_, false, _) => ProfileStatus::Draft,
            (_, true, true) => ProfileStatus::Held,
            (_, true, false) => ProfileStatus::Published,
        };
        let record = ProfileRecord {
            id: existing.as_ref().map_or_else(Uuid::now_v7, |p| p.id),
            practice_id: practice,
            account_id: by.account_id,
            display_name,
            pronouns,
            about,
            first_session,
            concerns,
            approaches,
            competences,
            languages,
            degrees,
            in_person: form.in_person,
            office,
            latitude: coordinates.map(|c| c.0),
            longitude: coordinates.map(|c| c.1),
            video: form.video,
            video_jurisdictions,
            fee_low,
            fee_high,
            sliding_scale: form.sliding_scale,
            insurance,
            accepting: form.accepting,
            status,
            held_for: held_for.join("\n"),
            listed_until: None,
            search_text: String::new(),
            name_words: String::new(),
            label_words: String::new(),
            updated_at: self.clock.now(),
        };
        self.store_profile(record, Actor::User(by.account_id.as_uuid()), context)
            .await?;
        Ok(match status {
            ProfileStatus::Draft => ProfileSaved::Draft,
            ProfileStatus::Published => ProfileSaved::Published,
            ProfileStatus::Held => ProfileSaved::Held(held_for),
            ProfileStatus::Suspended => ProfileSaved::Suspended,
        })
    }

    /// Stores a profile with its listing date, tags and search words worked out from
    /// its credentials as they stand today.
    pub(crate) async fn store_profile(
        &self,
        mut record: ProfileRecord,
        actor: Actor,
        context: &AuditContext,
    ) -> Result<(), AppError> {
        let credentials = self.store.profile_credentials(record.id).await?;
        let today = self.clock.now().date();
        let verified = |c: &&CredentialRecord| c.status == "verified";
        record.listed_until = credentials
            .iter()
            .filter(verified)
            .filter(|c| c.kind == "licence")
            .filter_map(|c| c.verified_until)
            .filter(|until| *until >= today)
            .max();
        let mut tags: Vec<ProfileTag> = Vec::new();
        let mut tag = |kind: &str, value: &str, until: Option<Date>| {
            tags.push(ProfileTag {
                tag: format!("{kind}:{value}"),
                until,
            });
        };
        for id in &record.concerns {
            tag("concern", id, None);
        }
        for id in &record.approaches {
            tag("approach", id, None);
        }
        for claim in &record.competences {
            tag("comp", claim.split('=').next().unwrap_or_default(), None);
        }
        for code in &record.languages {
            tag("lang", code, None);
        }
        for code in &record.video_jurisdictions {
            tag("video", code, None);
        }
        for insurer in &record.insurance {
            tag("ins", &search_words(insurer).join(" "), None);
        }
        for certification in credentials
            .iter()
            .filter(verified)
            .filter(|c| c.kind == "certification")
        {
            tag("cert", &certification.type_id, certification.verified_until);
        }
        let concerns = ConcernsTreated::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let vocabulary = Vocabulary::builtin().map_err(|e| AppError::Task(e.to_string()))?;
        let mut labels: Vec<String> = record
            .concerns
            .iter()
            .filter_map(|id| concerns.concern(id).map(|c| c.name.clone()))
            .collect();
        labels.extend(
            record
                .approaches
                .iter()
                .filter_map(|id| vocabulary.approach(id).map(|a| a.label().to_owned())),
        );
        labels.extend(record.insurance.iter().cloned());
        record.name_words = search_words(&record.display_name).join(" ");
        record.label_words = search_words(&labels.join(" ")).join(" ");
        record.search_text = [
            record.name_words.clone(),
            record.label_words.clone(),
            search_words(&record.about).join(" "),
            search_words(&record.first_session).join(" "),
        ]
        .join(" ");
        let event = self.event_about(
            actor,
            record.practice_id,
            Action::Update,
            PROFILE,
            record.id,
            context,
        );
        self.store
            .save_profile(&record, &tags, self.audited(vec![event]))
            .await?;
        // Only once the save is in: the next search then catches the index up with it.
        self.search_index.note_save();
        Ok(())
    }

    /// Works a profile's listing, tags and words out again from its credentials (after a
    /// verifier's decision).
    pub(crate) async fn reindex_profile(
        &self,
        profile: Uuid,
        actor: Actor,
        context: &AuditContext,
    ) -> Result<(), AppError> {
        if let Some(record) = self.store.profile(profile).await? {
            self.store_profile(record, actor, context).await?;
        }
        Ok(())
    }

    /// Submits a credential for the signed-in clinician's profile, for a verifier.
    pub async fn submit_credential(
        &self,
        by: &SignedIn,
        form: &CredentialForm,
        context: &AuditContext,
    ) -> Result<Uuid, DirectoryError> {
        let Some(profile) = self.my_profile(by).await? else {
            return Err(DirectoryError::Invalid(vec![(
                "kind".into(),
                "Save your profile first, then add its credentials".into(),
            )]));
        };
        let vocabulary = Vocabulary::builtin()?;
        let mut problems = Vec::new();
        let kind = form.kind.trim();
        let type_id = form.type_id.trim();
        match kind {
            "licence" => {
                if vocabulary.licence_type(type_id).is_none() {
                    problems.push(("type_id".into(), "Choose the type of licence".into()));
                }
                if Jurisdictions::builtin()?
                    .jurisdiction(form.jurisdiction.trim())
                    .is_none()
                {
                    problems.push((
                        "jurisdiction".into(),
                        "Choose where the licence was issued".into(),
                    ));
                }
                if form.number.trim().is_empty() {
                    problems.push(("number".into(), "Give the licence number".into()));
                }
                if date(&form.expires_on).is_none() {
                    problems.push((
                        "expires_on".into(),
                        "Give the licence's expiry date as YYYY-MM-DD".into(),
                    ));
                }
            }
            "certification" => {
                if vocabulary.certification(type_id).is_none() {
                    problems.push(("type_id".into(), "Choose the certification".into()));
                }
            }
            _ => problems.push(("kind".into(), "Choose a licence or a certification".into())),
        }
        let number = text_field(&mut problems, "number", "Number", &form.number, false, 40);
        let note = text_field(
            &mut problems,
            "evidence_note",
            "Where it can be checked",
            &form.evidence_note,
            true,
            500,
        );
        let document = evidence_document(&form.evidence).unwrap_or_else(|problem| {
            problems.push(("evidence".into(), problem));
            None
        });
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let id = Uuid::now_v7();
        let (evidence_type, evidence) = match document {
            Some((media_type, bytes)) => {
                let key = self
                    .vault
                    .practice_key(self.store(), profile.practice_id)
                    .await
                    .map_err(AppError::from)?;
                let sealed = key
                    .seal(
                        &bytes,
                        &sensate_crypto::Binding::new(CREDENTIAL_TABLE, "evidence_sealed", id),
                    )
                    .map_err(AppError::from)?
                    .into_bytes();
                (Some(media_type), Some(sealed))
            }
            None => (None, None),
        };
        let record = CredentialRecord {
            id,
            evidence_type,
            profile_id: profile.id,
            kind: kind.to_owned(),
            type_id: type_id.to_owned(),
            number,
            jurisdiction: form.jurisdiction.trim().to_owned(),
            expires_on: date(&form.expires_on),
            status: "submitted".into(),
            evidence_note: note,
            submitted_at: self.clock.now(),
            verified_by: None,
            decided_on: None,
            verified_until: None,
            checked: String::new(),
            rejected_reason: String::new(),
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            profile.practice_id,
            Action::Create,
            CREDENTIAL,
            record.id,
            context,
        );
        self.store
            .save_credential(&record, evidence.as_deref(), self.audited(vec![event]))
            .await?;
        Ok(record.id)
    }

    /// A verifier's decision on a submitted credential; the profile's listing follows.
    pub async fn decide_credential(
        &self,
        by: &SignedIn,
        credential: Uuid,
        decision: &CredentialDecision,
        context: &AuditContext,
    ) -> Result<(), DirectoryError> {
        if by.role != Role::Verifier {
            return Err(DirectoryError::NotAllowed);
        }
        let Some(record) = self
            .store
            .credential(credential)
            .await?
            .filter(|c| c.status == "submitted")
        else {
            return Err(DirectoryError::NotAllowed);
        };
        let Some(profile) = self.store.profile(record.profile_id).await? else {
            return Err(DirectoryError::NotAllowed);
        };
        let today = self.clock.now().date();
        let decided = match decision {
            CredentialDecision::Verify { until, checked } => {
                let mut problems = Vec::new();
                let until = match date(until) {
                    Some(until) if until >= today => Some(until),
                    _ => {
                        problems.push((
                            "until".into(),
                            "Give the last day the check holds, as YYYY-MM-DD, today or later"
                                .into(),
                        ));
                        None
                    }
                };
                let checked = text_field(
                    &mut problems,
                    "checked",
                    "What you checked",
                    checked,
                    true,
                    300,
                );
                if !problems.is_empty() {
                    return Err(DirectoryError::Invalid(problems));
                }
                CredentialRecord {
                    status: "verified".into(),
                    verified_by: Some(by.account_id),
                    decided_on: Some(today),
                    verified_until: until,
                    checked,
                    ..record
                }
            }
            CredentialDecision::Reject { reason } => {
                let mut problems = Vec::new();
                let reason = text_field(
                    &mut problems,
                    "reason",
                    "Why it was not verified",
                    reason,
                    true,
                    500,
                );
                if !problems.is_empty() {
                    return Err(DirectoryError::Invalid(problems));
                }
                CredentialRecord {
                    status: "rejected".into(),
                    verified_by: Some(by.account_id),
                    decided_on: Some(today),
                    rejected_reason: reason,
                    ..record
                }
            }
        };
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            profile.practice_id,
            Action::Update,
            CREDENTIAL,
            decided.id,
            context,
        );
        self.store
            .save_credential(&decided, None, self.audited(vec![event]))
            .await?;
        self.reindex_profile(profile.id, Actor::User(by.account_id.as_uuid()), context)
            .await?;
        Ok(())
    }

    /// A credential's uploaded document, for a verifier (an audited read): its media
    /// type and bytes.
    pub async fn credential_evidence(
        &self,
        by: &SignedIn,
        credential: Uuid,
        context: &AuditContext,
    ) -> Result<Option<(String, Vec<u8>)>, AppError> {
        if by.role != Role::Verifier {
            return Ok(None);
        }
        let Some(record) = self
            .store
            .credential(credential)
            .await?
            .filter(|c| c.status == "submitted")
        else {
            return Ok(None);
        };
        let (Some(media_type), Some(sealed), Some(profile)) = (
            &record.evidence_type,
            self.store.credential_evidence(record.id).await?,
            self.store.profile(record.profile_id).await?,
        ) else {
            return Ok(None);
        };
        let key = self
            .vault
            .practice_key(self.store(), profile.practice_id)
            .await?;
        let bytes = key.open(
            &sensate_crypto::Sealed::from_bytes(sealed)?,
            &sensate_crypto::Binding::new(CREDENTIAL_TABLE, "evidence_sealed", record.id),
        )?;
        let event = self.event_about(
            Actor::User(by.account_id.as_uuid()),
            profile.practice_id,
            Action::Read,
            CREDENTIAL,
            record.id,
            context,
        );
        self.record_event(event).await?;
        Ok(Some((media_type.clone(), bytes.to_vec())))
    }

    /// Who a profile belongs to, for checks elsewhere.
    pub async fn profile_owner(&self, profile: Uuid) -> Result<Option<AccountId>, AppError> {
        Ok(self.store.profile(profile).await?.map(|p| p.account_id))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}
