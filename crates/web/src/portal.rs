//! The client portal: what is waiting for a client, and what to expect from therapy.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sensate_domain::cases::CaseKind;
use serde::Deserialize;

use crate::page::{Chrome, Section};
use crate::routes::Routes;
use crate::session::Member;
use crate::{AppState, WebError};

pub(crate) fn router() -> Routes {
    Routes::new().get("/portal", waiting)
}

/// One thing waiting for the client, as a link.
struct Item {
    href: String,
    label: String,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "portal.html")]
struct WaitingPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    items: Vec<Item>,
    /// A link to each open case's messages.
    threads: Vec<Item>,
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    signed: Option<String>,
    #[serde(default)]
    agreed: Option<String>,
    #[serde(default)]
    acknowledged: Option<String>,
}

async fn waiting(
    State(state): State<AppState>,
    member: Member,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, WebError> {
    member.in_own_portal()?;
    let waiting = state.app.waiting(&member.signed_in, &member.audit).await?;
    let mut items = Vec::new();
    if let Some((_, earlier)) = &waiting.consent {
        items.push(Item {
            href: "/portal/consent".into(),
            label: if *earlier {
                "Read and sign the updated consent page".into()
            } else {
                "Read and sign the consent page".into()
            },
            hint: "How therapy here works, what stays private, and your rights.",
        });
    }
    if waiting.intake_due && member.signed_in.client_id.is_some() {
        items.push(Item {
            href: "/portal/intake".into(),
            label: "Answer your intake questions".into(),
            hint: "What brings you, your health and your history. Save and come back at any time.",
        });
    }
    for due in state.app.my_due_questionnaires(&member.signed_in).await? {
        items.push(Item {
            href: format!("/portal/questionnaires/{}", due.assignment),
            label: if due.started {
                format!("Finish the {}", due.name)
            } else {
                format!("Answer the {}", due.name)
            },
            hint: "A short questionnaire your therapist asked for. It saves as you go.",
        });
    }
    for case in state.app.plans_waiting(&member.signed_in).await? {
        items.push(Item {
            href: format!("/portal/cases/{case}/plan"),
            label: "Read your treatment plan".into(),
            hint: "What you and your therapist agreed to work on, and how.",
        });
    }
    for policy in &waiting.policies {
        items.push(Item {
            href: format!("/portal/cases/{}/secrets-policy", policy.case_id),
            label: "Agree to how your therapist handles what one of you says alone".into(),
            hint: "For your couple sessions.",
        });
    }
    let mut threads = Vec::new();
    for (case, kind, new) in state.app.my_message_threads(&member.signed_in).await? {
        let href = format!("/portal/cases/{case}/messages");
        if new > 0 {
            items.push(Item {
                href: href.clone(),
                label: if new == 1 {
                    "Read your new message".into()
                } else {
                    format!("Read your {new} new messages")
                },
                hint: "From your therapist or your sessions together.",
            });
        }
        let (label, hint) = match kind {
            CaseKind::Couple => (
                "Messages for you and your partner",
                "You can also write to your therapist alone.",
            ),
            CaseKind::Group => (
                "Messages for your group",
                "You can also write to your therapist alone.",
            ),
            CaseKind::Individual => (
                "Messages with your therapist",
                "For arranging care and short updates between sessions.",
            ),
        };
        threads.push(Item {
            href,
            label: label.into(),
            hint,
        });
    }
    Ok(Html(
        WaitingPage {
            chrome: Chrome::member(Section::Portal, &member),
            notice: if notice.signed.is_some() {
                Some("Thank you. Your signature is recorded.")
            } else if notice.agreed.is_some() {
                Some("Thank you. Your agreement is recorded.")
            } else if notice.acknowledged.is_some() {
                Some("Thank you. Your therapist can see that you have read your plan.")
            } else {
                None
            },
            items,
            threads,
        }
        .render()?,
    ))
}
