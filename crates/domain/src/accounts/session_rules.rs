//! When a signed-in session stops being valid.
//!
//! OWASP ASVS 3.3.2: re-authenticate after 12 hours, or sooner when idle — 15 minutes for
//! staff, 30 for clients ([`Role::idle_timeout_minutes`]). A session is also over when its
//! person is deactivated, signs out, or changes their password or second factor; those
//! delete the session rows, so they need no rule here.

use time::{Duration, OffsetDateTime};

use super::Role;

/// The longest a session lasts, however active.
pub const ABSOLUTE_LIFETIME: Duration = Duration::hours(12);

/// How often a session's last-seen time is written back. Writing it on every request
/// would make every page view a database write; a minute's slack on a 15-minute idle
/// timeout is harmless.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// Whether a session may still be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Usable; `touch` says whether to record this use.
    Active {
        /// True when the last-seen time is older than [`TOUCH_INTERVAL`].
        touch: bool,
    },
    /// Unused for longer than the role's idle timeout.
    IdleExpired,
    /// Older than [`ABSOLUTE_LIFETIME`].
    AbsoluteExpired,
}

/// Decides a session's state at `now`.
pub fn session_state(
    role: Role,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    now: OffsetDateTime,
) -> SessionState {
    if now - created_at >= ABSOLUTE_LIFETIME {
        return SessionState::AbsoluteExpired;
    }
    if now - last_seen_at >= Duration::minutes(role.idle_timeout_minutes()) {
        return SessionState::IdleExpired;
    }
    SessionState::Active {
        touch: now - last_seen_at >= TOUCH_INTERVAL,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const START: OffsetDateTime = datetime!(2026-11-22 09:00 UTC);

    #[test]
    fn a_clinician_session_idles_out_at_15_minutes() {
        let last = START + Duration::hours(1);
        assert!(matches!(
            session_state(Role::Clinician, START, last, last + Duration::seconds(899)),
            SessionState::Active { .. }
        ));
        assert_eq!(
            session_state(Role::Clinician, START, last, last + Duration::minutes(15)),
            SessionState::IdleExpired
        );
    }

    #[test]
    fn a_client_session_idles_out_at_30_minutes() {
        assert!(matches!(
            session_state(Role::Client, START, START, START + Duration::minutes(29)),
            SessionState::Active { .. }
        ));
        assert_eq!(
            session_state(Role::Client, START, START, START + Duration::minutes(30)),
            SessionState::IdleExpired
        );
    }

    #[test]
    fn no_session_outlives_12_hours_however_active() {
        let now = START + Duration::hours(12);
        let last = now - Duration::seconds(5);
        assert_eq!(
            session_state(Role::Client, START, last, now),
            SessionState::AbsoluteExpired
        );
        assert!(matches!(
            session_state(Role::Client, START, last, now - Duration::seconds(1)),
            SessionState::Active { .. }
        ));
    }

    #[test]
    fn use_is_recorded_at_most_once_a_minute() {
        assert_eq!(
            session_state(Role::Owner, START, START, START + Duration::seconds(59)),
            SessionState::Active { touch: false }
        );
        assert_eq!(
            session_state(Role::Owner, START, START, START + Duration::seconds(60)),
            SessionState::Active { touch: true }
        );
    }
}
