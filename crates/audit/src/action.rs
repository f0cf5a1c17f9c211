//! What was done: the closed list of actions an audit row can record, in the words an owner
//! reads in the trail ("read", "export", "sign_in_failed").

use crate::vocabulary::vocabulary;

vocabulary! {
    /// What an actor did, or tried to do, to a record (or to their own session).
    ///
    /// The list only grows: a new action is a new line with a new code, and no code is ever
    /// changed or removed (rows written with it must keep verifying). `#[non_exhaustive]` so
    /// that adding one is not a breaking change for code that matches on it.
    #[non_exhaustive]
    pub enum Action ("action") {
        /// Opened or viewed one record (a client's file, a note, a questionnaire result).
        Read = "read",
        /// Viewed a list or search results that show clinical data (a client list, say).
        List = "list",
        /// Created a record.
        Create = "create",
        /// Changed a record.
        Update = "update",
        /// Deleted a record.
        Delete = "delete",
        /// Took records out of Sensate: a download, a printout, an export file, a backup.
        Export = "export",
        /// Gave a record to someone else: a referral letter, a partner's copy, a colleague.
        Share = "share",
        /// Signed in.
        SignIn = "sign_in",
        /// A sign-in that was refused (wrong password, locked account, unknown user). Recorded
        /// with [`Outcome::Denied`](crate::Outcome::Denied), so owners can list failed
        /// sign-ins by action alone.
        SignInFailed = "sign_in_failed",
        /// Signed out (or the session was ended for them).
        SignOut = "sign_out",
        /// Gave someone access: a colleague assigned to a client, a role granted.
        AccessGranted = "access_granted",
        /// Took access away: an assignment ended, a role removed, a user deactivated.
        AccessRevoked = "access_revoked",
    }
}

#[cfg(test)]
mod tests {
    use super::Action;
    use crate::vocabulary::is_code;

    #[test]
    fn the_action_codes_already_released_never_change() {
        let codes: Vec<&str> = Action::ALL.iter().map(|action| action.code()).collect();
        assert_eq!(
            codes,
            [
                "read",
                "list",
                "create",
                "update",
                "delete",
                "export",
                "share",
                "sign_in",
                "sign_in_failed",
                "sign_out",
                "access_granted",
                "access_revoked",
            ]
        );
    }

    #[test]
    fn every_action_reads_back_from_its_code() {
        for &action in Action::ALL {
            assert!(is_code(action.code(), 40));
            assert_eq!(action.code().parse::<Action>(), Ok(action));
            assert_eq!(action.to_string(), action.code());
        }
    }

    #[test]
    fn an_unknown_action_code_is_refused() {
        assert!("browse".parse::<Action>().is_err());
        assert!("Read".parse::<Action>().is_err());
    }
}
