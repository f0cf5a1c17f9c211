//! The intake: what each client tells their therapist before the first sessions, in
//! their own words and in private (a partner never sees the other's answers).
//!
//! The questions follow a sex-therapy assessment: what brings them now, the problem's
//! onset and course, earlier treatment, stressors and life changes, health (conditions,
//! surgeries, medicines and supplements; pregnancy, menopause, chronic illness), sexual
//! history, the relationship, what they hope will change, and two safety questions.
//! A "yes" to a safety question alerts the clinician at once. Every answer is a short
//! choice or free text; nothing here is scored.

use thiserror::Error;

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerKind {
    /// Free text, several lines.
    Text,
    /// One of a fixed set of choices.
    Choice(&'static [(&'static str, &'static str)]),
}

/// A safety question's meaning: which alert a "yes" raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SafetyConcern {
    /// Thoughts of harming themself.
    SelfHarm,
    /// Fear of, or harm from, a partner.
    PartnerHarm,
    /// An answer above the lowest to a questionnaire's critical item (PHQ-9 item 9:
    /// thoughts of being better off dead or of self-harm).
    QuestionnaireSelfHarm,
}

impl SafetyConcern {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SafetyConcern::SelfHarm => "self_harm",
            SafetyConcern::PartnerHarm => "partner_harm",
            SafetyConcern::QuestionnaireSelfHarm => "questionnaire_self_harm",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "self_harm" => Some(SafetyConcern::SelfHarm),
            "partner_harm" => Some(SafetyConcern::PartnerHarm),
            "questionnaire_self_harm" => Some(SafetyConcern::QuestionnaireSelfHarm),
            _ => None,
        }
    }

    /// What the clinician's alert says.
    pub fn alert(self) -> &'static str {
        match self {
            SafetyConcern::SelfHarm => {
                "said yes to having thoughts of harming themself in their intake"
            }
            SafetyConcern::PartnerHarm => {
                "said yes to being afraid of, or hurt by, a partner in their intake"
            }
            SafetyConcern::QuestionnaireSelfHarm => {
                "answered the questionnaire item about thoughts of self-harm above its lowest answer"
            }
        }
    }
}

/// One question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    /// Its stable id (stored with every answer).
    pub id: &'static str,
    /// The section it belongs to.
    pub section: &'static str,
    /// The question as the client reads it.
    pub prompt: &'static str,
    /// A line of help under it, if any.
    pub hint: &'static str,
    /// How it is answered.
    pub kind: AnswerKind,
    /// Whether the intake can be sent without it.
    pub required: bool,
    /// For a safety question: what a "yes" means.
    pub safety: Option<SafetyConcern>,
}

const ONSET: &[(&str, &str)] = &[
    ("under_6_months", "Less than 6 months ago"),
    ("6_to_12_months", "6 to 12 months ago"),
    ("1_to_5_years", "1 to 5 years ago"),
    ("over_5_years", "More than 5 years ago"),
    ("always", "As long as I can remember"),
];

const COURSE: &[(&str, &str)] = &[
    ("better", "Getting better"),
    ("same", "About the same"),
    ("worse", "Getting worse"),
    ("varies", "It comes and goes"),
];

const APPLIES: &[(&str, &str)] = &[
    ("no", "No"),
    ("yes", "Yes"),
    ("not_sure", "Not sure"),
    ("not_relevant", "Does not apply to me"),
];

const SAFETY: &[(&str, &str)] = &[
    ("no", "No"),
    ("yes", "Yes"),
    ("talk", "I would rather talk about this in person"),
];

/// The most characters one free-text answer may hold.
pub const MAX_ANSWER_CHARS: usize = 5_000;

/// Every question, in the order the form shows them.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "reason",
        section: "What brings you",
        prompt: "What brings you to therapy now?",
        hint: "In your own words. A few sentences is plenty.",
        kind: AnswerKind::Text,
        required: true,
        safety: None,
    },
    Question {
        id: "onset",
        section: "What brings you",
        prompt: "When did this begin?",
        hint: "",
        kind: AnswerKind::Choice(ONSET),
        required: false,
        safety: None,
    },
    Question {
        id: "course",
        section: "What brings you",
        prompt: "Since it began, has it been…",
        hint: "",
        kind: AnswerKind::Choice(COURSE),
        required: false,
        safety: None,
    },
    Question {
        id: "earlier_help",
        section: "What brings you",
        prompt: "Have you had help with this before? What was it, and how did it go?",
        hint: "For example counselling, a doctor, a physiotherapist, medicines, books or apps.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "stressors",
        section: "Your life just now",
        prompt: "What is putting you under strain at the moment?",
        hint: "Work, money, family, health, anything else.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "life_changes",
        section: "Your life just now",
        prompt: "Has anything changed in your life recently?",
        hint: "A move, a new baby, a loss, a new relationship or the end of one.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "conditions",
        section: "Your health",
        prompt: "Do you have any health conditions, or have you had surgery?",
        hint: "Include anything that affects your hormones, nerves, blood flow, pelvis or mood.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "medicines",
        section: "Your health",
        prompt: "Which medicines and supplements do you take?",
        hint: "One per line, with the dose if you know it, e.g. \"sertraline 50 mg daily\". Some medicines affect desire, arousal or orgasm, so this matters.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "pregnancy",
        section: "Your health",
        prompt: "Are you pregnant, or have you given birth in the last year?",
        hint: "",
        kind: AnswerKind::Choice(APPLIES),
        required: false,
        safety: None,
    },
    Question {
        id: "menopause",
        section: "Your health",
        prompt: "Are you going through, or past, the menopause?",
        hint: "",
        kind: AnswerKind::Choice(APPLIES),
        required: false,
        safety: None,
    },
    Question {
        id: "chronic_illness",
        section: "Your health",
        prompt: "Do you live with a long-term illness, pain or disability?",
        hint: "",
        kind: AnswerKind::Choice(APPLIES),
        required: false,
        safety: None,
    },
    Question {
        id: "sexual_history",
        section: "Sex and relationships",
        prompt: "What would you like your therapist to know about your sexual history?",
        hint: "Share only what you are comfortable writing; you can say more in person.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "relationship",
        section: "Sex and relationships",
        prompt: "Tell us about your relationship or relationships, past and present.",
        hint: "How you get on, how you talk about sex, what works and what does not.",
        kind: AnswerKind::Text,
        required: false,
        safety: None,
    },
    Question {
        id: "hopes",
        section: "Sex and relationships",
        prompt: "What do you hope will be different after therapy?",
        hint: "",
        kind: AnswerKind::Text,
        required: true,
        safety: None,
    },
    Question {
        id: "self_harm",
        section: "Your safety",
        prompt: "In the last month, have you had thoughts of harming yourself, or of ending your life?",
        hint: "",
        kind: AnswerKind::Choice(SAFETY),
        required: true,
        safety: Some(SafetyConcern::SelfHarm),
    },
    Question {
        id: "partner_harm",
        section: "Your safety",
        prompt: "Are you afraid of a partner, or has a partner hurt you, threatened you or made you do sexual things you did not want?",
        hint: "Your answer is seen only by your therapist, never by a partner.",
        kind: AnswerKind::Choice(SAFETY),
        required: true,
        safety: Some(SafetyConcern::PartnerHarm),
    },
];

/// The question with this id.
pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

/// Why an answer was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AnswerError {
    /// A required question left empty (only when sending the intake).
    #[error("Please answer this question")]
    Required,
    /// Text too long.
    #[error("This answer can be at most {MAX_ANSWER_CHARS} characters (it has {0})")]
    TooLong(usize),
    /// A choice that is not one of the question's.
    #[error("Please choose one of the answers shown")]
    UnknownChoice,
    /// A control character other than a line break or tab.
    #[error("This answer contains characters that cannot be saved")]
    ControlCharacter,
}

impl Question {
    /// Checks an answer as typed; an empty answer is `None` (not answered yet).
    pub fn check(&self, raw: &str) -> Result<Option<String>, AnswerError> {
        let lines: Vec<&str> = raw.lines().map(str::trim_end).collect();
        let text = lines.join("\n").trim().to_owned();
        if text.is_empty() {
            return Ok(None);
        }
        match self.kind {
            AnswerKind::Choice(choices) => {
                if choices.iter().any(|(code, _)| *code == text) {
                    Ok(Some(text))
                } else {
                    Err(AnswerError::UnknownChoice)
                }
            }
            AnswerKind::Text => {
                let chars = text.chars().count();
                if chars > MAX_ANSWER_CHARS {
                    return Err(AnswerError::TooLong(chars));
                }
                if text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    return Err(AnswerError::ControlCharacter);
                }
                Ok(Some(text))
            }
        }
    }

    /// True when this answer to a safety question should alert the clinician.
    pub fn raises_alert(&self, answer: &str) -> bool {
        self.safety.is_some() && answer == "yes"
    }

    /// The words shown for a stored answer (a choice's label, or the text itself).
    pub fn show(&self, answer: &str) -> String {
        match self.kind {
            AnswerKind::Choice(choices) => choices
                .iter()
                .find(|(code, _)| *code == answer)
                .map_or_else(|| answer.to_owned(), |(_, label)| (*label).to_owned()),
            AnswerKind::Text => answer.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_are_unique() {
        let mut ids: Vec<&str> = QUESTIONS.iter().map(|q| q.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), QUESTIONS.len());
    }

    #[test]
    fn the_intake_covers_what_the_assessment_needs() {
        for id in [
            "reason",
            "onset",
            "course",
            "earlier_help",
            "stressors",
            "life_changes",
            "conditions",
            "medicines",
            "pregnancy",
            "menopause",
            "chronic_illness",
            "sexual_history",
            "relationship",
            "hopes",
            "self_harm",
            "partner_harm",
        ] {
            assert!(question(id).is_some(), "{id}");
        }
    }

    #[test]
    fn only_a_yes_to_a_safety_question_raises_an_alert() {
        let self_harm = question("self_harm").unwrap();
        assert!(self_harm.raises_alert("yes"));
        assert!(!self_harm.raises_alert("no"));
        assert!(!self_harm.raises_alert("talk"));
        assert!(!question("pregnancy").unwrap().raises_alert("yes"));
    }

    #[test]
    fn answers_are_checked_against_their_question() {
        let onset = question("onset").unwrap();
        assert_eq!(onset.check("always"), Ok(Some("always".into())));
        assert_eq!(onset.check("yesterday"), Err(AnswerError::UnknownChoice));
        assert_eq!(onset.check("  "), Ok(None));
        let reason = question("reason").unwrap();
        assert_eq!(
            reason.check("Pain during sex.  \r\nSince the birth."),
            Ok(Some("Pain during sex.\nSince the birth.".into()))
        );
        let long = "x".repeat(MAX_ANSWER_CHARS + 1);
        assert_eq!(
            reason.check(&long),
            Err(AnswerError::TooLong(MAX_ANSWER_CHARS + 1))
        );
        assert_eq!(reason.check("a\u{0}b"), Err(AnswerError::ControlCharacter));
    }

    #[test]
    fn a_stored_choice_is_shown_in_words() {
        assert_eq!(question("course").unwrap().show("worse"), "Getting worse");
        assert_eq!(question("reason").unwrap().show("my words"), "my words");
    }
}
