//! Messages in a case: the clinician's view (every message, each labelled with who can
//! read it) and a client's (the whole case's messages and their own private ones).
//!
//! Nothing about a message goes in an address or a notification: the pages are reached
//! from the case page and the portal, and the message text only ever travels in a POST
//! body and a page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sensate_app::{MessageError, MessageView, Recipients};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::cases::CaseKind;
use sensate_domain::{CaseId, ClientId};
use serde::Deserialize;
use uuid::Uuid;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new()
        .get_and_post(
            "/clinic/cases/{id}/messages",
            clinician_thread,
            clinician_send,
        )
        .post(
            "/clinic/cases/{id}/messages/{message}/share",
            clinician_share,
        )
        .get_and_post("/portal/cases/{id}/messages", client_thread, client_send)
        .post("/portal/cases/{id}/messages/{message}/share", client_share)
}

fn case_id(raw: &str) -> Result<CaseId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

struct Line {
    id: String,
    author: String,
    when: String,
    text: String,
    seen_by: String,
    private: bool,
    new: bool,
}

/// A choice of who a message is for.
struct Audience {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ThreadPage {
    chrome: Chrome,
    back: &'static str,
    back_href: String,
    action: String,
    notice: Option<&'static str>,
    error: Option<String>,
    lines: Vec<Line>,
    audiences: Vec<Audience>,
    draft: String,
    /// Who may share a private message: its client always; the clinician only under a
    /// "no secrets" policy.
    can_share: bool,
    share_hint: &'static str,
}

fn when(at: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
}

fn lines(
    messages: &[MessageView],
    label: impl Fn(Option<ClientId>) -> String,
    you_are: &str,
) -> Vec<Line> {
    messages
        .iter()
        .map(|message| Line {
            id: message.id.to_string(),
            author: if message.mine {
                you_are.to_owned()
            } else {
                message.author.expose_secret().to_owned()
            },
            when: match message.shared_at {
                Some(shared) => format!("{} (shared {})", when(message.sent_at), when(shared)),
                None => when(message.sent_at),
            },
            text: message.text.expose_secret().to_owned(),
            seen_by: label(message.private_to),
            private: message.private_to.is_some(),
            new: message.new,
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    sent: Option<String>,
    #[serde(default)]
    shared: Option<String>,
}

fn notice_of(notice: &Notice) -> Option<&'static str> {
    if notice.sent.is_some() {
        Some("Your message is sent.")
    } else if notice.shared.is_some() {
        Some("The message is now shared with everyone in the case.")
    } else {
        None
    }
}

#[derive(Deserialize, Default)]
struct SendForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    to: String,
}

async fn clinician_page(
    state: &AppState,
    member: &Member,
    case: CaseId,
    notice: Option<&'static str>,
    error: Option<String>,
    draft: &SendForm,
) -> Result<ThreadPage, WebError> {
    let view = state
        .app
        .case_view(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let messages = state
        .app
        .case_messages(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let names: Vec<(ClientId, String)> = view
        .clients
        .iter()
        .map(|c| (c.id, c.name.expose_secret().to_owned()))
        .collect();
    let name_of = |client: ClientId| {
        names
            .iter()
            .find(|(id, _)| *id == client)
            .map_or_else(|| "one client".to_owned(), |(_, name)| name.clone())
    };
    let everyone = if names.len() > 1 {
        "Everyone in the case".to_owned()
    } else {
        "The client".to_owned()
    };
    let label = |private_to: Option<ClientId>| match private_to {
        None => everyone.clone(),
        Some(client) => format!("{} and you only", name_of(client)),
    };
    let mut audiences = vec![Audience {
        value: "case".into(),
        label: match names.as_slice() {
            [only] => only.1.clone(),
            _ => "Everyone in the case".into(),
        },
        checked: draft.to.is_empty() || draft.to == "case",
    }];
    if names.len() > 1 {
        for (id, name) in &names {
            audiences.push(Audience {
                value: id.to_string(),
                label: format!("{name} only, privately"),
                checked: draft.to == id.to_string(),
            });
        }
    }
    let no_secrets = view.secrets_policy == Some(sensate_domain::cases::SecretsPolicy::NoSecrets);
    Ok(ThreadPage {
        chrome: Chrome::member(Section::Clinic, member),
        back: "Back to the case",
        back_href: format!("/clinic/cases/{case}"),
        action: format!("/clinic/cases/{case}/messages"),
        notice,
        error,
        lines: lines(&messages, label, "You"),
        audiences,
        draft: draft.text.clone(),
        can_share: no_secrets,
        share_hint: if names.len() > 1 && !no_secrets {
            "Under this case's secrets policy, only a client can share what they said privately, from their portal."
        } else {
            ""
        },
    })
}

async fn clinician_thread(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_clinician_app()?;
    let case = case_id(&id)?;
    let page = clinician_page(
        &state,
        &member,
        case,
        notice_of(&notice),
        None,
        &SendForm::default(),
    )
    .await?;
    Ok(Html(page.render()?))
}

fn recipients(to: &str, me: Option<ClientId>) -> Result<Recipients, MessageError> {
    match to {
        "" | "case" => Ok(Recipients::Case),
        "me" => me.map(Recipients::Privately).ok_or(MessageError::Recipient),
        other => other
            .parse()
            .map(Recipients::Privately)
            .map_err(|_| MessageError::Recipient),
    }
}

async fn clinician_send(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<SendForm>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let case = case_id(&id)?;
    let sent = match recipients(&form.to, None) {
        Ok(to) => {
            state
                .app
                .send_message(&member.signed_in, case, &form.text, to, &member.audit)
                .await
        }
        Err(error) => Err(error),
    };
    match sent {
        Ok(_) => Ok(Redirect::to(&format!("/clinic/cases/{case}/messages?sent")).into_response()),
        Err(MessageError::NotAllowed) => Err(WebError::NotFound),
        Err(MessageError::App(error)) => Err(error.into()),
        Err(other) => {
            let page =
                clinician_page(&state, &member, case, None, Some(other.to_string()), &form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

async fn clinician_share(
    State(state): State<AppState>,
    member: Member,
    Path((id, message)): Path<(String, String)>,
) -> Result<Response, WebError> {
    member.in_clinician_app()?;
    let case = case_id(&id)?;
    let message: Uuid = message.parse().map_err(|_| WebError::NotFound)?;
    match state
        .app
        .share_message(&member.signed_in, case, message, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/clinic/cases/{case}/messages?shared")).into_response()),
        Err(MessageError::NotAllowed) => Err(WebError::NotFound),
        Err(MessageError::App(error)) => Err(error.into()),
        Err(other) => {
            let page = clinician_page(
                &state,
                &member,
                case,
                None,
                Some(other.to_string()),
                &SendForm::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

async fn client_page(
    state: &AppState,
    member: &Member,
    case: CaseId,
    notice: Option<&'static str>,
    error: Option<String>,
    draft: &SendForm,
) -> Result<ThreadPage, WebError> {
    // The client's own open cases: anything else answers as missing.
    let kind = state
        .app
        .my_message_threads(&member.signed_in)
        .await?
        .into_iter()
        .find(|(id, _, _)| *id == case)
        .map(|(_, kind, _)| kind)
        .ok_or(WebError::NotFound)?;
    let messages = state
        .app
        .case_messages(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(WebError::NotFound)?;
    let shared = kind != CaseKind::Individual;
    let label = |private_to: Option<ClientId>| match (private_to, shared) {
        (Some(_), _) => "You and your therapist only".to_owned(),
        (None, true) => {
            if kind == CaseKind::Couple {
                "You, your partner and your therapist".to_owned()
            } else {
                "Everyone in your group and your therapist".to_owned()
            }
        }
        (None, false) => "You and your therapist".to_owned(),
    };
    let audiences = if shared {
        vec![
            Audience {
                value: "case".into(),
                label: if kind == CaseKind::Couple {
                    "My partner and my therapist".into()
                } else {
                    "My group and my therapist".into()
                },
                checked: draft.to != "me",
            },
            Audience {
                value: "me".into(),
                label: "My therapist only".into(),
                checked: draft.to == "me",
            },
        ]
    } else {
        Vec::new()
    };
    Ok(ThreadPage {
        chrome: Chrome::member(Section::Portal, member),
        back: "Back to your portal",
        back_href: "/portal".into(),
        action: format!("/portal/cases/{case}/messages"),
        notice,
        error,
        lines: lines(&messages, label, "You"),
        audiences,
        draft: draft.text.clone(),
        can_share: true,
        share_hint: "",
    })
}

async fn client_thread(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    let case = case_id(&id)?;
    let page = client_page(
        &state,
        &member,
        case,
        notice_of(&notice),
        None,
        &SendForm::default(),
    )
    .await?;
    Ok(Html(page.render()?))
}

async fn client_send(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Form(form): Form<SendForm>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let case = case_id(&id)?;
    let sent = match recipients(&form.to, member.signed_in.client_id) {
        // A client writes to the case or privately to their therapist, never "as"
        // another client.
        Ok(Recipients::Privately(client)) if Some(client) != member.signed_in.client_id => {
            Err(MessageError::Recipient)
        }
        Ok(to) => {
            state
                .app
                .send_message(&member.signed_in, case, &form.text, to, &member.audit)
                .await
        }
        Err(error) => Err(error),
    };
    match sent {
        Ok(_) => Ok(Redirect::to(&format!("/portal/cases/{case}/messages?sent")).into_response()),
        Err(MessageError::NotAllowed) => Err(WebError::NotFound),
        Err(MessageError::App(error)) => Err(error.into()),
        Err(other) => {
            let page =
                client_page(&state, &member, case, None, Some(other.to_string()), &form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

async fn client_share(
    State(state): State<AppState>,
    member: Member,
    Path((id, message)): Path<(String, String)>,
) -> Result<Response, WebError> {
    member.in_own_portal()?;
    let case = case_id(&id)?;
    let message: Uuid = message.parse().map_err(|_| WebError::NotFound)?;
    match state
        .app
        .share_message(&member.signed_in, case, message, &member.audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/portal/cases/{case}/messages?shared")).into_response()),
        Err(MessageError::App(error)) => Err(error.into()),
        Err(_) => Err(WebError::NotFound),
    }
}
