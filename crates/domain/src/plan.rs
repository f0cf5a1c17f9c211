//! Treatment plans: the problems worked on, measurable goals, chosen interventions,
//! the planned number and frequency of sessions, and a review date.
//!
//! Every change is a new revision with its author, time and reason, and earlier
//! revisions stay readable. A plan belongs to a case; its clients read it (without the
//! clinician's own notes) in the portal and acknowledge it.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use crate::client::parse_date;

/// An intervention from the library (shared/reference/clinical.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intervention {
    /// Its id (stored in the plan).
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
}

/// The intervention library.
pub const INTERVENTIONS: &[Intervention] = &[
    Intervention {
        id: "plissit_permission",
        name: "PLISSIT: permission",
    },
    Intervention {
        id: "plissit_information",
        name: "PLISSIT: limited information",
    },
    Intervention {
        id: "plissit_suggestions",
        name: "PLISSIT: specific suggestions",
    },
    Intervention {
        id: "plissit_intensive",
        name: "PLISSIT: intensive therapy",
    },
    Intervention {
        id: "psychoeducation",
        name: "Psychoeducation",
    },
    Intervention {
        id: "sensate_focus",
        name: "Sensate focus",
    },
    Intervention {
        id: "cbt_performance_anxiety",
        name: "CBT for performance anxiety",
    },
    Intervention {
        id: "mindfulness",
        name: "Mindfulness-based sex therapy",
    },
    Intervention {
        id: "communication_skills",
        name: "Communication skills",
    },
    Intervention {
        id: "stop_start",
        name: "Stop-start and squeeze",
    },
    Intervention {
        id: "pelvic_floor",
        name: "Pelvic-floor exercises",
    },
    Intervention {
        id: "dilators",
        name: "Vaginal dilator programme",
    },
    Intervention {
        id: "directed_masturbation",
        name: "Directed masturbation",
    },
    Intervention {
        id: "refer_physician",
        name: "Referral to a physician",
    },
    Intervention {
        id: "refer_pelvic_physio",
        name: "Referral to a pelvic-floor physiotherapist",
    },
];

/// The intervention with this id.
pub fn intervention(id: &str) -> Option<&'static Intervention> {
    INTERVENTIONS.iter().find(|i| i.id == id)
}

/// A measurable goal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// What the client wants to change, in plain words.
    pub goal: String,
    /// How progress is measured, e.g. "FSFI total above 26.55" or "practice twice a week".
    pub measure: String,
    /// By when (`YYYY-MM-DD`).
    pub target_date: String,
}

/// A plan's content, as stored in a revision (sealed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContent {
    /// The problems worked on, one per line (a concern, perhaps with its code).
    pub problems: Vec<String>,
    /// Measurable goals.
    pub goals: Vec<Goal>,
    /// Library interventions chosen (ids).
    pub interventions: Vec<String>,
    /// Interventions written freely.
    pub other_interventions: String,
    /// Planned number of sessions.
    pub planned_sessions: u32,
    /// How often, e.g. "weekly".
    pub frequency: String,
    /// When the plan is reviewed (`YYYY-MM-DD`).
    pub review_date: String,
    /// The clinician's own notes on the plan: never shown to clients.
    pub clinician_notes: String,
}

/// A plan as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct PlanForm {
    /// Problems, one per line.
    pub problems: String,
    /// Goals: (goal, measure, target date), rows left empty are ignored.
    pub goals: Vec<(String, String, String)>,
    /// Chosen library ids.
    pub interventions: Vec<String>,
    /// Free interventions.
    pub other_interventions: String,
    /// Planned sessions.
    pub planned_sessions: String,
    /// Frequency.
    pub frequency: String,
    /// Review date.
    pub review_date: String,
    /// Clinician-only notes.
    pub clinician_notes: String,
    /// Why it changed (required for every revision after the first).
    pub reason: String,
}

/// What is wrong with a plan form; each message names its field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{}", .0.join("; "))]
pub struct PlanProblems(pub Vec<String>);

/// The longest text a plan field holds.
pub const MAX_PLAN_TEXT: usize = 5_000;

fn text(raw: &str, field: &str, problems: &mut Vec<String>) -> String {
    let lines: Vec<&str> = raw.lines().map(str::trim_end).collect();
    let text = lines.join("\n").trim().to_owned();
    if text.chars().count() > MAX_PLAN_TEXT {
        problems.push(format!("{field} can be at most {MAX_PLAN_TEXT} characters"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        problems.push(format!("{field} contains characters that cannot be saved"));
    }
    text
}

impl PlanForm {
    /// Checks the form. `first` is true when the case has no plan yet (no reason needed);
    /// `today` bounds the dates (a target or review date is not in the past).
    pub fn parse(&self, first: bool, today: Date) -> Result<(PlanContent, String), PlanProblems> {
        let mut problems = Vec::new();
        let problem_text = text(&self.problems, "Problems", &mut problems);
        let problem_lines: Vec<String> = problem_text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if problem_lines.is_empty() {
            problems.push("Problems: name at least one problem the plan works on".into());
        }
        let mut goals = Vec::new();
        for (number, (goal, measure, target)) in self.goals.iter().enumerate() {
            let goal = text(goal, "Goal", &mut problems);
            let measure = text(measure, "Measure", &mut problems);
            let target = target.trim().to_owned();
            if goal.is_empty() && measure.is_empty() && target.is_empty() {
                continue;
            }
            let row = number + 1;
            if goal.is_empty() {
                problems.push(format!("Goal {row}: say what should change"));
            }
            if measure.is_empty() {
                problems.push(format!(
                    "Goal {row}: say how it will be measured, so progress can be seen"
                ));
            }
            match parse_date(&target) {
                None => problems.push(format!("Goal {row}: give a target date such as 2027-03-01")),
                Some(date) if date < today => {
                    problems.push(format!("Goal {row}: the target date is in the past"))
                }
                Some(_) => {}
            }
            goals.push(Goal {
                goal,
                measure,
                target_date: target,
            });
        }
        if goals.is_empty() {
            problems.push("Goals: set at least one measurable goal".into());
        }
        let mut interventions = Vec::new();
        for id in &self.interventions {
            match intervention(id) {
                Some(known) if !interventions.iter().any(|i: &String| i == known.id) => {
                    interventions.push(known.id.to_owned())
                }
                Some(_) => {}
                None => problems
                    .push("Interventions: choose from the list, or write others in the box".into()),
            }
        }
        let other_interventions = text(
            &self.other_interventions,
            "Other interventions",
            &mut problems,
        );
        if interventions.is_empty() && other_interventions.is_empty() {
            problems.push("Interventions: choose at least one".into());
        }
        let planned_sessions = match self.planned_sessions.trim().parse::<u32>() {
            Ok(n @ 1..=200) => n,
            _ => {
                problems.push("Planned sessions: a whole number from 1 to 200".into());
                0
            }
        };
        let frequency = text(&self.frequency, "Frequency", &mut problems);
        if frequency.is_empty() {
            problems.push("Frequency: say how often, such as weekly".into());
        }
        let review_date = self.review_date.trim().to_owned();
        match parse_date(&review_date) {
            None => problems.push("Review date: give a date such as 2027-01-15".into()),
            Some(date) if date < today => {
                problems.push("Review date: the date is in the past".into())
            }
            Some(_) => {}
        }
        let clinician_notes = text(&self.clinician_notes, "Clinician notes", &mut problems);
        let reason = text(&self.reason, "Reason for the change", &mut problems);
        if !first && reason.is_empty() {
            problems.push("Reason for the change: say why the plan is changing".into());
        }
        if !problems.is_empty() {
            return Err(PlanProblems(problems));
        }
        Ok((
            PlanContent {
                problems: problem_lines,
                goals,
                interventions,
                other_interventions,
                planned_sessions,
                frequency,
                review_date,
                clinician_notes,
            },
            reason,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn today() -> Date {
        Date::from_calendar_date(2026, Month::November, 30).unwrap()
    }

    fn form() -> PlanForm {
        PlanForm {
            problems: "F52.21 Erectile difficulties with performance anxiety\n".into(),
            goals: vec![
                (
                    "Erections firm enough for sex most times".into(),
                    "IIEF erectile function domain above 25".into(),
                    "2027-03-01".into(),
                ),
                (String::new(), String::new(), String::new()),
            ],
            interventions: vec!["sensate_focus".into(), "cbt_performance_anxiety".into()],
            other_interventions: String::new(),
            planned_sessions: "12".into(),
            frequency: "weekly".into(),
            review_date: "2027-01-15".into(),
            clinician_notes: "Watch for avoidance.".into(),
            reason: String::new(),
        }
    }

    #[test]
    fn a_complete_first_plan_needs_no_reason() {
        let (content, reason) = form().parse(true, today()).unwrap();
        assert_eq!(content.goals.len(), 1, "empty goal rows are ignored");
        assert_eq!(content.planned_sessions, 12);
        assert_eq!(reason, "");
    }

    #[test]
    fn a_revision_needs_a_reason() {
        let problems = form().parse(false, today()).unwrap_err();
        assert_eq!(
            problems.0,
            vec!["Reason for the change: say why the plan is changing".to_owned()]
        );
    }

    #[test]
    fn a_goal_must_be_measurable_and_dated() {
        let mut bad = form();
        bad.goals = vec![("Feel closer".into(), String::new(), "2026-01-01".into())];
        let problems = bad.parse(true, today()).unwrap_err().0;
        assert!(
            problems.contains(
                &"Goal 1: say how it will be measured, so progress can be seen".to_owned()
            )
        );
        assert!(problems.contains(&"Goal 1: the target date is in the past".to_owned()));
    }

    #[test]
    fn everything_wrong_is_named_at_once() {
        let problems = PlanForm::default().parse(true, today()).unwrap_err().0;
        assert_eq!(problems.len(), 6, "{problems:?}");
    }

    #[test]
    fn unknown_interventions_are_refused() {
        let mut bad = form();
        bad.interventions = vec!["laying_on_of_hands".into()];
        assert!(bad.parse(true, today()).is_err());
    }
}
