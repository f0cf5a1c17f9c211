//! Back-off after failed sign-ins, per network address and per account.
//!
//! The rule (how long to wait after how many failures) is the domain's
//! [`wait_after`](sensate_domain::accounts::wait_after); the counts live in the
//! database so every process behind a load balancer shares them. Subjects are keyed
//! digests, so the table holds neither addresses nor IPs.

use std::net::IpAddr;

use sensate_domain::accounts::{WINDOW, wait_after};
use time::Duration;

use crate::{App, AppError};

/// Too many recent failures: try again after `retry_after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    /// How long until the next attempt will be checked.
    pub retry_after: Duration,
}

impl Throttled {
    /// Whole seconds to wait, rounded up (for `Retry-After` and the message).
    pub fn seconds(&self) -> i64 {
        let whole = self.retry_after.whole_seconds();
        if self.retry_after > Duration::seconds(whole) {
            whole + 1
        } else {
            whole.max(1)
        }
    }
}

/// The subjects one attempt is counted against.
pub(crate) struct Subjects {
    ip: Option<[u8; 32]>,
    account: Option<[u8; 32]>,
}

impl Subjects {
    /// Each subject with how many of its failures count as one: a network address
    /// may be an office or a household sharing one IP, so it gets four times the
    /// allowance of a single account.
    fn each(&self) -> impl Iterator<Item = (&[u8; 32], u32)> {
        self.ip
            .iter()
            .map(|key| (key, IP_SHARE))
            .chain(self.account.iter().map(|key| (key, 1)))
    }
}

/// How many people may plausibly share one network address.
const IP_SHARE: u32 = 4;

impl App {
    /// The subjects for an attempt from `ip` at the account found by `email_lookup`.
    pub(crate) fn subjects(&self, ip: Option<IpAddr>, account: Option<&str>) -> Subjects {
        Subjects {
            ip: ip.map(|ip| {
                self.vault
                    .throttle_subject(&format!("ip:{}", network_of(ip)))
            }),
            account: account
                .map(|account| self.vault.throttle_subject(&format!("account:{account}"))),
        }
    }

    /// Refuses an attempt while any subject is still waiting out its back-off.
    pub(crate) async fn check_throttle(
        &self,
        subjects: &Subjects,
    ) -> Result<Result<(), Throttled>, AppError> {
        let now = self.clock.now();
        let mut longest = Duration::ZERO;
        for (subject, share) in subjects.each() {
            let failures = self.store.failures(subject, now - WINDOW).await?;
            if let Some(last) = failures.last_at {
                let remaining = last + wait_after(failures.count / share) - now;
                longest = longest.max(remaining);
            }
        }
        Ok(if longest > Duration::ZERO {
            Err(Throttled {
                retry_after: longest,
            })
        } else {
            Ok(())
        })
    }

    /// Counts a failure against every subject.
    pub(crate) async fn record_failure(&self, subjects: &Subjects) -> Result<(), AppError> {
        let now = self.clock.now();
        for (subject, _) in subjects.each() {
            self.store
                .record_failure(subject, now, now - WINDOW)
                .await?;
        }
        Ok(())
    }

    /// Forgets the failures of the account subject after a success. The network's
    /// count stays: a success on one account must not reset guessing at others.
    pub(crate) async fn clear_account_failures(&self, account: &str) -> Result<(), AppError> {
        let subject = self.vault.throttle_subject(&format!("account:{account}"));
        self.store.clear_failures(&subject).await?;
        Ok(())
    }
}

/// IPv6 clients usually hold a whole /64, so counting single addresses would let one
/// client rotate through billions; count the network instead.
fn network_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
    }
}
