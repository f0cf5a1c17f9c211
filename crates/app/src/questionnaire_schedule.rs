//! When a questionnaire is open to answer: the rounds of an assignment.
//!
//! An assignment runs once, every N weeks, or before each of the client's sessions.
//! Each administration ("round") opens, stays open for some days, and closes; a client
//! answers a round at most once. Rounds are numbered so a response and a notice can say
//! which administration they belong to without any other table:
//! - once: round 0;
//! - every N weeks: 0, 1, 2… counted from the start;
//! - before each session: the session's start as seconds since 1970. A session moved
//!   to another time is a new round, which is what the client experiences too.
//!
//! A round before a session opens `open_days` ahead of it (or when the questionnaire
//! was assigned, if later) and closes when the session starts: answers given in the
//! waiting room count, answers given afterwards would describe a different fortnight.

use sensate_store::AssignmentRecord;
use time::{Duration, OffsetDateTime};

/// One administration of an assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Round {
    /// Its number (see the module documentation).
    pub number: i64,
    /// When it opened.
    pub opens_at: OffsetDateTime,
    /// When it closes.
    pub closes_at: OffsetDateTime,
}

/// The administration open at `now`, if any. `sessions` are the start times of the
/// client's sessions in the assignment's case, in any order; only a "before each
/// session" assignment reads them.
pub(crate) fn open_round(
    assignment: &AssignmentRecord,
    now: OffsetDateTime,
    sessions: &[OffsetDateTime],
) -> Option<Round> {
    if assignment.ended_at.is_some() || now < assignment.starts_at {
        return None;
    }
    let open_for = Duration::days(assignment.open_days);
    if assignment.before_sessions {
        return sessions
            .iter()
            .filter(|&&starts| starts > now && starts - open_for <= now)
            .min()
            .map(|&starts| Round {
                number: starts.unix_timestamp().max(0),
                opens_at: (starts - open_for).max(assignment.starts_at),
                closes_at: starts,
            });
    }
    let (number, opens_at) = match assignment.every_weeks {
        Some(weeks) if weeks > 0 => {
            let number = (now - assignment.starts_at).whole_weeks() / weeks;
            (
                number,
                assignment.starts_at + Duration::weeks(number * weeks),
            )
        }
        _ => (0, assignment.starts_at),
    };
    let closes_at = opens_at + open_for;
    (now < closes_at).then_some(Round {
        number,
        opens_at,
        closes_at,
    })
}

/// Whether a reminder is due for `round` at `now`: the assignment asks for one, the
/// round closes within that many days, and the round was open longer than that (a
/// round that opened inside its own reminder window gets only its first notice, not
/// two emails at once).
pub(crate) fn reminder_due(
    assignment: &AssignmentRecord,
    round: &Round,
    now: OffsetDateTime,
) -> bool {
    let Some(days) = assignment.reminder_days else {
        return false;
    };
    let lead = Duration::days(days);
    round.closes_at - round.opens_at > lead && now >= round.closes_at - lead
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensate_domain::{CaseId, ClientId, PracticeId};
    use uuid::Uuid;

    fn assignment(every_weeks: Option<i64>, open_days: i64) -> AssignmentRecord {
        AssignmentRecord {
            id: Uuid::now_v7(),
            practice_id: PracticeId::new(),
            case_id: CaseId::new(),
            client_id: ClientId::new(),
            instrument_sealed: Vec::new(),
            every_weeks,
            before_sessions: false,
            reminder_days: None,
            starts_at: time::macros::datetime!(2026-12-01 09:00 UTC),
            open_days,
            assigned_by: sensate_domain::AccountId::new(),
            assigned_at: time::macros::datetime!(2026-12-01 09:00 UTC),
            ended_at: None,
        }
    }

    fn number(round: Option<Round>) -> Option<i64> {
        round.map(|r| r.number)
    }

    #[test]
    fn a_repeating_assignment_opens_each_round_for_its_days() {
        let every_two = assignment(Some(2), 7);
        let start = every_two.starts_at;
        assert_eq!(
            open_round(&every_two, start, &[]),
            Some(Round {
                number: 0,
                opens_at: start,
                closes_at: start + Duration::days(7)
            })
        );
        assert_eq!(
            open_round(&every_two, start + Duration::days(7), &[]),
            None,
            "closed at 7 days"
        );
        assert_eq!(
            open_round(&every_two, start + Duration::days(15), &[]),
            Some(Round {
                number: 1,
                opens_at: start + Duration::days(14),
                closes_at: start + Duration::days(21)
            })
        );
        assert_eq!(
            open_round(&every_two, start - Duration::minutes(1), &[]),
            None
        );
        let once = assignment(None, 3);
        assert_eq!(
            number(open_round(&once, start + Duration::days(2), &[])),
            Some(0)
        );
        assert_eq!(open_round(&once, start + Duration::days(30), &[]), None);
        let ended = AssignmentRecord {
            ended_at: Some(start),
            ..assignment(Some(1), 7)
        };
        assert_eq!(open_round(&ended, start + Duration::days(1), &[]), None);
    }

    #[test]
    fn a_round_before_a_session_opens_ahead_of_it_and_closes_when_it_starts() {
        let before = AssignmentRecord {
            before_sessions: true,
            ..assignment(None, 3)
        };
        let start = before.starts_at;
        let first = start + Duration::days(5);
        let second = start + Duration::days(12);
        let past = start - Duration::days(2);
        let sessions = [second, past, first];
        assert_eq!(
            open_round(&before, start + Duration::days(1), &sessions),
            None,
            "four days ahead of the first session is too early"
        );
        assert_eq!(
            open_round(&before, start + Duration::days(2), &sessions),
            Some(Round {
                number: first.unix_timestamp(),
                opens_at: first - Duration::days(3),
                closes_at: first
            }),
            "opens exactly three days ahead"
        );
        assert_eq!(
            open_round(&before, first, &sessions),
            None,
            "closed once the session starts"
        );
        assert_eq!(
            number(open_round(&before, second - Duration::hours(1), &sessions)),
            Some(second.unix_timestamp())
        );
        assert_eq!(
            open_round(&before, start + Duration::days(2), &[]),
            None,
            "no sessions, nothing to prepare for"
        );
        let late = AssignmentRecord {
            starts_at: first - Duration::days(1),
            ..before.clone()
        };
        assert_eq!(
            open_round(&late, first - Duration::hours(2), &sessions).map(|r| r.opens_at),
            Some(first - Duration::days(1)),
            "assigned inside the window, it opened when assigned"
        );
    }

    #[test]
    fn a_reminder_comes_once_the_close_is_near_and_only_for_a_long_enough_round() {
        let weekly = AssignmentRecord {
            reminder_days: Some(2),
            ..assignment(Some(1), 7)
        };
        let start = weekly.starts_at;
        let round = open_round(&weekly, start, &[]).unwrap();
        assert!(!reminder_due(&weekly, &round, start + Duration::days(4)));
        assert!(reminder_due(&weekly, &round, start + Duration::days(5)));
        let silent = AssignmentRecord {
            reminder_days: None,
            ..weekly.clone()
        };
        assert!(!reminder_due(&silent, &round, start + Duration::days(6)));
        let short = AssignmentRecord {
            reminder_days: Some(2),
            ..assignment(None, 2)
        };
        let round = open_round(&short, start, &[]).unwrap();
        assert!(
            !reminder_due(&short, &round, start + Duration::days(1)),
            "a two-day round with a two-day reminder gets its first notice only"
        );
    }
}
