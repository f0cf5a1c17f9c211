//! Emails that tell a client a questionnaire is waiting, and remind them before it
//! closes.
//!
//! The server runs [`App::send_questionnaire_notices`] every few minutes. Each notice
//! is stored with its outbox message in one transaction, keyed by assignment, round and
//! kind, so however often the job runs, and on however many servers, a client gets each
//! notice once.
//!
//! An email leaves the practice's protection, so it says nothing clinical: not which
//! questionnaire, not why, not the client's name. It says a form is waiting in their
//! private portal and when it closes; everything else is behind the sign-in.

use sensate_audit::{Action, Actor, ObjectType};
use sensate_crypto::Binding;
use sensate_crypto::secrecy::ExposeSecret;
use sensate_store::{AssignmentRecord, NoticeKind, NoticeRecord, OutboxRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_log::AuditContext;
use crate::questionnaire_schedule::{Round, open_round, reminder_due};
use crate::{App, AppError};

const NOTICE: ObjectType = ObjectType::from_static("questionnaire_notice");
const OUTBOX: &str = "outbox_message";

/// What one run of the notices job sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoticesSent {
    /// "A questionnaire is waiting" emails.
    pub opened: usize,
    /// "It closes soon" emails.
    pub reminders: usize,
}

fn closing_day(at: OffsetDateTime) -> String {
    let date = at.date();
    format!("{} {} {}", date.day(), date.month(), date.year())
}

fn wording(
    kind: NoticeKind,
    practice: &str,
    closes_at: OffsetDateTime,
    link: &str,
) -> (String, String) {
    let closes = closing_day(closes_at);
    match kind {
        NoticeKind::Opened => (
            format!("A form to fill in for {practice}"),
            format!(
                "Hello,\n\n\
                 Your therapist at {practice} has asked you to fill in a short form in your \
                 private portal. It stays open until {closes} (UTC).\n\n\
                 Sign in to fill it in:\n\n{link}\n\n\
                 Your answers save as you go, so you can stop and come back. If you have \
                 questions about it, ask your therapist.\n"
            ),
        ),
        NoticeKind::Reminder => (
            format!("A reminder from {practice}"),
            format!(
                "Hello,\n\n\
                 A form your therapist at {practice} asked you to fill in is still waiting \
                 in your private portal. It closes on {closes} (UTC).\n\n\
                 Sign in to fill it in:\n\n{link}\n\n\
                 If you would rather not, that is fine: you can talk about it with your \
                 therapist instead.\n"
            ),
        ),
    }
}

impl App {
    /// Sends every notice that is due now: a first notice for each open administration
    /// nobody has been told about, and a reminder where the assignment asks for one and
    /// the administration closes soon. Administrations already answered, clients
    /// without an active portal account, and closed cases get nothing.
    pub async fn send_questionnaire_notices(
        &self,
        link_base: &str,
    ) -> Result<NoticesSent, AppError> {
        let now = self.clock.now();
        let mut sent = NoticesSent::default();
        for assignment in self.store.running_assignments().await? {
            let Some(round) = self.round_needing_notice(&assignment, now).await? else {
                continue;
            };
            let link = format!("{}/portal", link_base.trim_end_matches('/'));
            if self
                .send_notice(&assignment, &round, NoticeKind::Opened, &link, now)
                .await?
            {
                sent.opened += 1;
            } else if reminder_due(&assignment, &round, now)
                && self
                    .send_notice(&assignment, &round, NoticeKind::Reminder, &link, now)
                    .await?
            {
                sent.reminders += 1;
            }
        }
        Ok(sent)
    }

    /// The assignment's open round, when it is still to be answered in an open case.
    async fn round_needing_notice(
        &self,
        assignment: &AssignmentRecord,
        now: OffsetDateTime,
    ) -> Result<Option<Round>, AppError> {
        let sessions = if assignment.before_sessions {
            self.session_starts(assignment.case_id, assignment.client_id)
                .await?
        } else {
            Vec::new()
        };
        let Some(round) = open_round(assignment, now, &sessions) else {
            return Ok(None);
        };
        let case_open = self
            .store
            .case(assignment.case_id)
            .await?
            .is_some_and(|case| case.closed_at.is_none());
        let answered = self
            .store
            .client_responses(assignment.client_id)
            .await?
            .iter()
            .any(|r| {
                r.assignment_id == Some(assignment.id)
                    && r.round == round.number
                    && r.completed_at.is_some()
            });
        Ok((case_open && !answered).then_some(round))
    }

    /// Stores and delivers one notice; false when it was sent before (or there is no
    /// one to send it to).
    async fn send_notice(
        &self,
        assignment: &AssignmentRecord,
        round: &Round,
        kind: NoticeKind,
        link: &str,
        now: OffsetDateTime,
    ) -> Result<bool, AppError> {
        let Some(account) = self.store.account_for_client(assignment.client_id).await? else {
            return Ok(false);
        };
        if !account.is_active() {
            return Ok(false);
        }
        let Some(practice) = self.store.practice(assignment.practice_id).await? else {
            return Ok(false);
        };
        let person = self.open_person(&account).await?;
        let email = person.email.expose_secret().to_owned();
        let (subject, body) = wording(kind, practice.display_name.as_str(), round.closes_at, link);
        let key = self
            .vault
            .practice_key(self.store(), assignment.practice_id)
            .await?;
        let id = Uuid::now_v7();
        let seal = |text: &str, column: &'static str| -> Result<Vec<u8>, AppError> {
            Ok(key
                .seal_str(text, &Binding::new(OUTBOX, column, id))?
                .into_bytes())
        };
        let message = OutboxRecord {
            id,
            practice_id: assignment.practice_id,
            recipient_sealed: seal(&email, "recipient_sealed")?,
            subject_sealed: seal(&subject, "subject_sealed")?,
            body_sealed: seal(&body, "body_sealed")?,
            created_at: now,
            delivered_at: None,
        };
        let notice = NoticeRecord {
            assignment_id: assignment.id,
            round: round.number,
            kind,
            message_id: id,
            sent_at: now,
        };
        let event = self.event_about(
            Actor::System,
            assignment.practice_id,
            Action::Create,
            NOTICE,
            assignment.id,
            &AuditContext::default(),
        );
        if !self
            .store
            .record_notice(&notice, &message, self.audited(vec![event]))
            .await?
        {
            return Ok(false);
        }
        self.deliver(id, &email, &subject, &body).await;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_no_questionnaire_and_no_client() {
        let closes = time::macros::datetime!(2026-12-08 09:00 UTC);
        for kind in [NoticeKind::Opened, NoticeKind::Reminder] {
            let (subject, body) = wording(kind, "Harbour Street", closes, "https://x/portal");
            let text = format!("{subject}\n{body}").to_lowercase();
            for clinical in ["phq", "fsfi", "depress", "sexual", "score", "questionnaire"] {
                assert!(!text.contains(clinical), "{kind:?} mentions {clinical}");
            }
            assert!(body.contains("8 December 2026"));
            assert!(body.contains("https://x/portal"));
        }
    }
}
