//! The time, as the application sees it.
//!
//! Session timeouts and throttling depend on the time; tests move a [`ManualClock`]
//! forward instead of sleeping for fifteen minutes.

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Where the application reads the time from.
pub trait Clock: Send + Sync + 'static {
    /// The current UTC time, in whole microseconds.
    fn now(&self) -> OffsetDateTime;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        sensate_domain::clock::now()
    }
}

/// A clock that stands still until moved: for tests of timeouts and back-off.
#[derive(Debug)]
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    /// A clock showing the system's time now.
    pub fn starting_now() -> Self {
        Self(Mutex::new(sensate_domain::clock::now()))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
