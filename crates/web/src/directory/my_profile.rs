//! `/clinic/directory`: a clinician's own directory listing — the profile they write,
//! the credentials they submit for checking, and the messages seekers send them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{ContactRequestView, CredentialForm, DirectoryError, ProfileForm, ProfileSaved};
use sensate_directory::Term;
use sensate_directory::concerns::ConcernsTreated;
use sensate_directory::jurisdictions::Jurisdictions;
use sensate_directory::vocabulary::Vocabulary;
use sensate_store::{CredentialRecord, ProfileRecord, ProfileStatus};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::session::Member;
use crate::{AppState, WebError};

/// A checkbox.
struct Tick {
    value: String,
    label: String,
    checked: bool,
}

/// A competence with its level select.
struct CompetenceRow {
    id: String,
    label: String,
    levels: Vec<Tick>,
}

#[derive(Template)]
#[template(path = "directory/my_profile.html")]
struct MyProfilePage {
    chrome: Chrome,
    notice: Option<String>,
    problems: Vec<String>,
    status: &'static str,
    held_for: Vec<String>,
    listed_until: Option<String>,
    form: ProfileForm,
    concerns: Vec<Tick>,
    approaches: Vec<Tick>,
    languages: Vec<Tick>,
    degrees: Vec<Tick>,
    states: Vec<Tick>,
    competences: Vec<CompetenceRow>,
    credentials: Vec<CredentialRecord>,
    licence_types: Vec<Tick>,
    certifications: Vec<Tick>,
    requests: Vec<ContactRequestView>,
    profile_id: Option<Uuid>,
    script: &'static str,
}

fn ticks<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, chosen: &[String]) -> Vec<Tick> {
    items
        .map(|(value, label)| Tick {
            checked: chosen.iter().any(|c| c == value),
            value: value.to_owned(),
            label: label.to_owned(),
        })
        .collect()
}

fn form_of(profile: &ProfileRecord) -> ProfileForm {
    ProfileForm {
        display_name: profile.display_name.clone(),
        pronouns: profile.pronouns.clone(),
        about: profile.about.clone(),
        first_session: profile.first_session.clone(),
        concerns: profile.concerns.clone(),
        approaches: profile.approaches.clone(),
        competences: profile
            .competences
            .iter()
            .filter_map(|c| c.split_once('='))
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect(),
        languages: profile.languages.clone(),
        degrees: profile.degrees.clone(),
        in_person: profile.in_person,
        office: profile.office.clone().unwrap_or_default(),
        video: profile.video,
        video_jurisdictions: profile.video_jurisdictions.clone(),
        fee_low: profile.fee_low.map(|f| f.to_string()).unwrap_or_default(),
        fee_high: profile.fee_high.map(|f| f.to_string()).unwrap_or_default(),
        sliding_scale: profile.sliding_scale,
        insurance: profile.insurance.join(", "),
        accepting: profile.accepting,
        publish: profile.status != ProfileStatus::Draft,
    }
}

async fn render(
    state: &AppState,
    member: &Member,
    notice: Option<String>,
    problems: Vec<String>,
    typed: Option<ProfileForm>,
) -> Result<MyProfilePage, WebError> {
    let internal = |e: sensate_directory::DataFileError| WebError::Internal(e.to_string());
    let vocabulary = Vocabulary::builtin().map_err(internal)?;
    let concerns = ConcernsTreated::builtin().map_err(internal)?;
    let jurisdictions = Jurisdictions::builtin().map_err(internal)?;
    let profile = state.app.my_profile(&member.signed_in).await?;
    let form = typed.unwrap_or_else(|| profile.as_ref().map(form_of).unwrap_or_default());
    let credentials = state.app.my_credentials(&member.signed_in).await?;
    let requests = state
        .app
        .my_contact_requests(&member.signed_in, &member.audit)
        .await?;
    Ok(MyProfilePage {
        chrome: Chrome::member(Section::Clinic, member),
        notice,
        problems,
        status: match profile.as_ref().map(|p| p.status) {
            None => "not started",
            Some(ProfileStatus::Draft) => "a draft, not public",
            Some(ProfileStatus::Published) => "published",
            Some(ProfileStatus::Held) => "waiting for a verifier to review some wording",
            Some(ProfileStatus::Suspended) => "suspended by a verifier",
        },
        held_for: profile
            .as_ref()
            .map(|p| p.held_for.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        listed_until: profile
            .as_ref()
            .and_then(|p| p.listed_until)
            .map(|d| d.to_string()),
        concerns: ticks(
            concerns
                .all()
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str())),
            &form.concerns,
        ),
        approaches: ticks(
            vocabulary.approaches().iter().map(|a| (a.id(), a.label())),
            &form.approaches,
        ),
        languages: ticks(
            vocabulary
                .languages()
                .iter()
                .map(|l| (l.code.as_str(), l.name.as_str())),
            &form.languages,
        ),
        degrees: ticks(
            vocabulary.degrees().iter().map(|d| (d.id(), d.label())),
            &form.degrees,
        ),
        states: ticks(
            jurisdictions
                .all()
                .iter()
                .map(|j| (j.code.as_str(), j.name.as_str())),
            &form.video_jurisdictions,
        ),
        competences: vocabulary
            .affirming_competences()
            .iter()
            .map(|c| CompetenceRow {
                id: c.id().to_owned(),
                label: c.label().to_owned(),
                levels: vocabulary
                    .competence_levels()
                    .iter()
                    .map(|l| Tick {
                        checked: form
                            .competences
                            .iter()
                            .any(|(id, level)| id == c.id() && level == l.id()),
                        value: l.id().to_owned(),
                        label: l.label().to_owned(),
                    })
                    .collect(),
            })
            .collect(),
        licence_types: ticks(
            vocabulary
                .licence_types()
                .iter()
                .map(|l| (l.id(), l.label())),
            &[],
        ),
        certifications: ticks(
            vocabulary
                .certifications()
                .iter()
                .map(|c| (c.id.as_str(), c.label.as_str())),
            &[],
        ),
        profile_id: profile.map(|p| p.id),
        script: crate::assets::file_field_path(),
        credentials,
        requests,
        form,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Notice {
    saved: Option<String>,
    held: Option<String>,
    submitted: Option<String>,
    draft: Option<String>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    member: Member,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let notice = if notice.saved.is_some() {
        Some(
            "Saved and published. It shows in search once a verifier has checked your licence."
                .to_owned(),
        )
    } else if notice.held.is_some() {
        Some("Saved. Some wording needs a verifier's review before the profile is public; it is listed below.".to_owned())
    } else if notice.draft.is_some() {
        Some("Saved as a draft. Nobody else can see it.".to_owned())
    } else if notice.submitted.is_some() {
        Some(
            "Sent for checking. A verifier will look at it and record what they checked."
                .to_owned(),
        )
    } else {
        None
    };
    Ok(Html(
        render(&state, &member, notice, Vec::new(), None)
            .await?
            .render()?,
    ))
}

fn values(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
        .collect()
}

fn value(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub(super) async fn save(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let on = |name: &str| value(&fields, name) == "yes";
    let form = ProfileForm {
        display_name: value(&fields, "display_name"),
        pronouns: value(&fields, "pronouns"),
        about: value(&fields, "about"),
        first_session: value(&fields, "first_session"),
        concerns: values(&fields, "concern"),
        approaches: values(&fields, "approach"),
        competences: fields
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("competence_")?;
                (!v.trim().is_empty() && v != "none").then(|| (id.to_owned(), v.trim().to_owned()))
            })
            .collect(),
        languages: values(&fields, "language"),
        degrees: values(&fields, "degree"),
        in_person: on("in_person"),
        office: value(&fields, "office"),
        video: on("video"),
        video_jurisdictions: values(&fields, "video_in"),
        fee_low: value(&fields, "fee_low"),
        fee_high: value(&fields, "fee_high"),
        sliding_scale: on("sliding_scale"),
        insurance: value(&fields, "insurance"),
        accepting: on("accepting"),
        publish: value(&fields, "action") != "draft",
    };
    match state
        .app
        .save_my_profile(&member.signed_in, &form, &member.audit)
        .await
    {
        Ok(ProfileSaved::Published | ProfileSaved::Suspended) => {
            Ok(Redirect::to("/clinic/directory?saved").into_response())
        }
        Ok(ProfileSaved::Held(_)) => Ok(Redirect::to("/clinic/directory?held").into_response()),
        Ok(ProfileSaved::Draft) => Ok(Redirect::to("/clinic/directory?draft").into_response()),
        Err(DirectoryError::Invalid(problems)) => {
            let page = render(
                &state,
                &member,
                None,
                problems.into_iter().map(|(_, m)| m).collect(),
                Some(form),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(DirectoryError::NotAllowed) => Err(WebError::NotFound),
        Err(DirectoryError::App(error)) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CredentialFields {
    kind: String,
    licence_type: String,
    certification: String,
    number: String,
    jurisdiction: String,
    expires_on: String,
    evidence_note: String,
    evidence: String,
}

pub(super) async fn submit_credential(
    State(state): State<AppState>,
    member: Member,
    Form(fields): Form<CredentialFields>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let form = CredentialForm {
        type_id: if fields.kind == "certification" {
            fields.certification.clone()
        } else {
            fields.licence_type.clone()
        },
        kind: fields.kind,
        number: fields.number,
        jurisdiction: fields.jurisdiction,
        expires_on: fields.expires_on,
        evidence_note: fields.evidence_note,
        evidence: fields.evidence,
    };
    match state
        .app
        .submit_credential(&member.signed_in, &form, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to("/clinic/directory?submitted").into_response()),
        Err(DirectoryError::Invalid(problems)) => {
            let page = render(
                &state,
                &member,
                None,
                problems.into_iter().map(|(_, m)| m).collect(),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(DirectoryError::NotAllowed) => Err(WebError::NotFound),
        Err(DirectoryError::App(error)) => Err(error.into()),
    }
}

pub(super) async fn mark_read(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .app
        .mark_contact_request_read(&member.signed_in, id)
        .await?;
    Ok(Redirect::to("/clinic/directory#requests").into_response())
}
