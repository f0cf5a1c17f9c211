//! How hard Sensate pushes back on repeated failed sign-ins.
//!
//! Counted per account and per network address, in the database (so every process
//! behind a load balancer sees the same counts). The first few failures cost nothing;
//! after that each one doubles the wait before the next attempt is even checked, up to
//! 15 minutes — which keeps one account well under OWASP ASVS 2.2.1's ceiling of 100
//! failed attempts an hour while a person who mistypes twice is never slowed down.

use time::Duration;

/// Failures allowed before any wait.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::minutes(15);
/// Failures older than this are forgotten.
pub const WINDOW: Duration = Duration::hours(1);

/// How long to refuse attempts after `failures` recent failures: none for the first
/// [`FREE_FAILURES`], then 2 s, 4 s, 8 s … up to [`MAX_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    let seconds = 2_i64.saturating_mul(1_i64 << doublings);
    Duration::seconds(seconds).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_five_failures_cost_nothing() {
        for failures in 0..FREE_FAILURES {
            assert_eq!(wait_after(failures), Duration::ZERO);
        }
    }

    #[test]
    fn each_later_failure_doubles_the_wait() {
        assert_eq!(wait_after(5), Duration::seconds(2));
        assert_eq!(wait_after(6), Duration::seconds(4));
        assert_eq!(wait_after(9), Duration::seconds(32));
    }

    #[test]
    fn the_wait_never_exceeds_15_minutes() {
        assert_eq!(wait_after(14), MAX_WAIT);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT);
    }

    #[test]
    fn at_most_100_attempts_fit_in_an_hour() {
        // Attempts possible in an hour if each waits the full back-off after the fifth.
        let mut elapsed = Duration::ZERO;
        let mut attempts = 0;
        while elapsed < WINDOW {
            elapsed += wait_after(attempts);
            attempts += 1;
        }
        assert!(attempts <= 100, "{attempts}");
    }
}
