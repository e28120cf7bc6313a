//! Wall-clock time for credentials that depend on it (token expiry, request
//! timestamps), replaceable so that tests can pin it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current Unix time in milliseconds.
///
/// [`super::ClientCredentials`] uses it to decide when a cached token has
/// expired and [`super::HmacSigner`] to stamp requests. The default is
/// [`SystemClock`]; tests use [`ManualClock`].
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    fn now_millis(&self) -> u64;
}

/// The system's wall clock. A clock set before 1970 reads as `0`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            })
    }
}

/// A clock that only moves when told to, for tests.
///
/// Clones share the same time: keep one clone, hand another to the
/// credentials, then [`ManualClock::set`] or [`ManualClock::advance`] it.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    millis: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock reading `millis` milliseconds since the Unix epoch.
    pub fn new(millis: u64) -> Self {
        ManualClock {
            millis: Arc::new(AtomicU64::new(millis)),
        }
    }

    /// Sets the time to `millis` milliseconds since the Unix epoch (it may go
    /// backwards).
    pub fn set(&self, millis: u64) {
        self.millis.store(millis, Ordering::SeqCst);
    }

    /// Moves the time forward by `by` (saturating at `u64::MAX` ms).
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        // `fetch_update` with a closure that always returns `Some` cannot fail.
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(by))
            });
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.millis.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_reads_a_plausible_time() {
        // 2023-11-14 and 2100-01-01, in ms.
        let now = SystemClock.now_millis();
        assert!(now > 1_700_000_000_000, "{now}");
        assert!(now < 4_102_444_800_000, "{now}");
    }

    #[test]
    fn manual_clock_clones_share_the_time() {
        let clock = ManualClock::new(1_000);
        let other = clock.clone();
        assert_eq!(other.now_millis(), 1_000);
        clock.advance(Duration::from_millis(1_500));
        assert_eq!(other.now_millis(), 2_500);
        other.set(10);
        assert_eq!(clock.now_millis(), 10);
    }

    #[test]
    fn manual_clock_advance_saturates() {
        let clock = ManualClock::new(u64::MAX - 1);
        clock.advance(Duration::from_secs(10));
        assert_eq!(clock.now_millis(), u64::MAX);
    }
}
