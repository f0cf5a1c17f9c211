//! Therapy sessions and their notes: what kind of session it was, its CPT code, and the
//! templates a progress note is written in.
//!
//! CPT facts are from `shared/reference/clinical.md` §5 (APA Services): 90791 for the
//! diagnostic evaluation; individual psychotherapy by face-to-face minutes, 16–37 → 90832,
//! 38–52 → 90834, 53 or more → 90837 (one code per session); family (conjoint)
//! psychotherapy 90847 with the client present and 90846 without, both from 26 minutes;
//! 90853 for a group. Sensate suggests the code; the clinician bills.

use thiserror::Error;

/// How the session was held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    /// In the same room.
    InPerson,
    /// By video.
    Video,
    /// By phone.
    Phone,
}

impl Modality {
    /// Every modality, in the order a form offers them.
    pub const ALL: [Modality; 3] = [Modality::InPerson, Modality::Video, Modality::Phone];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Modality::InPerson => "in_person",
            Modality::Video => "video",
            Modality::Phone => "phone",
        }
    }

    /// Reads a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            Modality::InPerson => "In person",
            Modality::Video => "Video",
            Modality::Phone => "Phone",
        }
    }
}

/// What kind of session it was, for its CPT code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionType {
    /// The first assessment (diagnostic evaluation).
    Intake,
    /// Psychotherapy with one client.
    Individual,
    /// Conjoint (couple) psychotherapy with the client present.
    CoupleWithClient,
    /// Family psychotherapy without the client present.
    CoupleWithoutClient,
    /// Group psychotherapy.
    Group,
}

impl SessionType {
    /// Every type, in the order a form offers them.
    pub const ALL: [SessionType; 5] = [
        SessionType::Intake,
        SessionType::Individual,
        SessionType::CoupleWithClient,
        SessionType::CoupleWithoutClient,
        SessionType::Group,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SessionType::Intake => "intake",
            SessionType::Individual => "individual",
            SessionType::CoupleWithClient => "couple_with_client",
            SessionType::CoupleWithoutClient => "couple_without_client",
            SessionType::Group => "group",
        }
    }

    /// Reads a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            SessionType::Intake => "Intake assessment",
            SessionType::Individual => "Individual psychotherapy",
            SessionType::CoupleWithClient => "Couple or family, client present",
            SessionType::CoupleWithoutClient => "Couple or family, client not present",
            SessionType::Group => "Group psychotherapy",
        }
    }

    /// The CPT code this session suggests, or why there is none.
    pub fn cpt_code(self, minutes: u32) -> Result<&'static str, NoCode> {
        match self {
            SessionType::Intake => Ok("90791"),
            SessionType::Individual => match minutes {
                0..=15 => Err(NoCode::TooShort { least: 16 }),
                16..=37 => Ok("90832"),
                38..=52 => Ok("90834"),
                _ => Ok("90837"),
            },
            SessionType::CoupleWithClient if minutes >= 26 => Ok("90847"),
            SessionType::CoupleWithoutClient if minutes >= 26 => Ok("90846"),
            SessionType::CoupleWithClient | SessionType::CoupleWithoutClient => {
                Err(NoCode::TooShort { least: 26 })
            }
            SessionType::Group => Ok("90853"),
        }
    }
}

/// Why a session has no CPT code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum NoCode {
    /// Shorter than the code's minimum time.
    #[error("no psychotherapy code applies to a session shorter than {least} minutes")]
    TooShort {
        /// The fewest minutes the code needs.
        least: u32,
    },
}

/// The longest session we accept, in minutes (a long crisis session fits).
pub const MAX_MINUTES: u32 = 480;

/// Checks a duration as typed.
pub fn parse_minutes(raw: &str) -> Result<u32, String> {
    let minutes: u32 = raw
        .trim()
        .parse()
        .map_err(|_| "Duration should be a whole number of minutes, such as 50".to_owned())?;
    if minutes == 0 || minutes > MAX_MINUTES {
        return Err(format!(
            "Duration should be between 1 and {MAX_MINUTES} minutes"
        ));
    }
    Ok(minutes)
}

/// A progress note's template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoteTemplate {
    /// Subjective, Objective, Assessment, Plan.
    Soap,
    /// Data, Assessment, Plan.
    Dap,
    /// Behaviour, Intervention, Response, Plan.
    Birp,
}

impl NoteTemplate {
    /// Every template, in the order a form offers them.
    pub const ALL: [NoteTemplate; 3] = [NoteTemplate::Soap, NoteTemplate::Dap, NoteTemplate::Birp];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "soap",
            NoteTemplate::Dap => "dap",
            NoteTemplate::Birp => "birp",
        }
    }

    /// Reads a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            NoteTemplate::Soap => "SOAP",
            NoteTemplate::Dap => "DAP",
            NoteTemplate::Birp => "BIRP",
        }
    }

    /// Its sections: (id, heading, what goes there).
    pub fn sections(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            NoteTemplate::Soap => &[
                (
                    "subjective",
                    "Subjective",
                    "What the client reported, in their words.",
                ),
                ("objective", "Objective", "What you observed."),
                (
                    "assessment",
                    "Assessment",
                    "Your clinical impression and progress toward goals.",
                ),
                ("plan", "Plan", "Next steps, homework, the next session."),
            ],
            NoteTemplate::Dap => &[
                ("data", "Data", "What was reported and observed."),
                (
                    "assessment",
                    "Assessment",
                    "Your clinical impression and progress toward goals.",
                ),
                ("plan", "Plan", "Next steps, homework, the next session."),
            ],
            NoteTemplate::Birp => &[
                (
                    "behavior",
                    "Behaviour",
                    "The client's presentation and what they reported.",
                ),
                (
                    "intervention",
                    "Intervention",
                    "What you did in the session.",
                ),
                ("response", "Response", "How the client responded."),
                ("plan", "Plan", "Next steps, homework, the next session."),
            ],
        }
    }
}

/// The most characters one note section (or an addendum) may hold.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// Checks one section's text: line ends normalised, trailing spaces gone.
pub fn clean_note_text(raw: &str) -> Result<String, String> {
    let lines: Vec<&str> = raw.lines().map(str::trim_end).collect();
    let text = lines.join("\n").trim().to_owned();
    let chars = text.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(format!(
            "This can be at most {MAX_NOTE_CHARS} characters (it has {chars})"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("This contains characters that cannot be saved".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn individual_codes_follow_the_cpt_time_rule_at_every_edge() {
        let code = |minutes| SessionType::Individual.cpt_code(minutes);
        assert_eq!(code(15), Err(NoCode::TooShort { least: 16 }));
        assert_eq!(code(16), Ok("90832"));
        assert_eq!(code(37), Ok("90832"));
        assert_eq!(code(38), Ok("90834"));
        assert_eq!(code(52), Ok("90834"));
        assert_eq!(code(53), Ok("90837"));
        assert_eq!(
            code(75),
            Ok("90837"),
            "one code per session, never two added"
        );
    }

    #[test]
    fn couple_codes_start_at_26_minutes() {
        assert_eq!(
            SessionType::CoupleWithClient.cpt_code(25),
            Err(NoCode::TooShort { least: 26 })
        );
        assert_eq!(SessionType::CoupleWithClient.cpt_code(26), Ok("90847"));
        assert_eq!(SessionType::CoupleWithoutClient.cpt_code(26), Ok("90846"));
        assert_eq!(SessionType::CoupleWithoutClient.cpt_code(25).ok(), None);
    }

    #[test]
    fn intake_and_group_have_fixed_codes() {
        assert_eq!(SessionType::Intake.cpt_code(90), Ok("90791"));
        assert_eq!(SessionType::Group.cpt_code(90), Ok("90853"));
    }

    #[test]
    fn durations_are_whole_minutes_within_a_day() {
        assert_eq!(parse_minutes(" 50 "), Ok(50));
        assert!(parse_minutes("0").is_err());
        assert!(parse_minutes("481").is_err());
        assert!(parse_minutes("fifty").is_err());
        assert!(parse_minutes("-5").is_err());
    }

    #[test]
    fn every_template_ends_with_a_plan() {
        for template in NoteTemplate::ALL {
            assert_eq!(template.sections().last().map(|s| s.0), Some("plan"));
            assert_eq!(NoteTemplate::parse(template.code()), Some(template));
        }
    }
}
