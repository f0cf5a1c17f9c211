//! How an attempt ended. Denied and failed attempts are audited as carefully as allowed ones:
//! a run of denials is how probing for other people's records shows up in the trail.

use crate::vocabulary::vocabulary;

vocabulary! {
    /// How the attempt recorded in an audit row ended.
    pub enum Outcome ("outcome") {
        /// The access policy allowed it, and it was done.
        Allowed = "allowed",
        /// The access policy (or a sign-in check) refused it; nothing was shown or changed.
        Denied = "denied",
        /// It was allowed but did not complete because of an error.
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn the_outcome_codes_already_released_never_change() {
        let codes: Vec<&str> = Outcome::ALL.iter().map(|outcome| outcome.code()).collect();
        assert_eq!(codes, ["allowed", "denied", "failed"]);
    }

    #[test]
    fn every_outcome_reads_back_from_its_code() {
        for &outcome in Outcome::ALL {
            assert_eq!(outcome.code().parse::<Outcome>(), Ok(outcome));
        }
        assert!("ok".parse::<Outcome>().is_err());
    }
}
