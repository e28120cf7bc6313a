//! When a failed attempt is tried again, and how long to wait first: a policy that never
//! repeats a request that could move money twice.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};

/// The default [`RetryPolicy::max_retries`]: 2 (three attempts in all).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default first backoff: 500 ms (then 1 s, 2 s, …, before jitter).
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The default cap on one backoff: 8 s.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest `Retry-After` honoured by default: 30 s. A server asking for longer gets its
/// answer returned at once.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// The default total deadline of a call, across all its attempts and waits: 60 s.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// Which failed attempts are tried again, how often, and how long to wait in between.
///
/// A failure is retried only when repeating the request cannot do the operation twice:
///
/// - a connection that failed before the request was sent (connect error, DNS, TLS
///   handshake) is always retried: the server never saw the request;
/// - `408`, `429`, `502`, `503`, `504` and a connection that dropped after the request may
///   have been sent are retried only when the operation is idempotent: its method is `GET`,
///   `HEAD`, `PUT`, `DELETE` or `OPTIONS`; or the API description declares it idempotent
///   (`x-rampgen-idempotent: true`, see [`super::Operation::IDEMPOTENT`]); or the request
///   carries the idempotency-key header the API documents for it
///   ([`super::Operation::IDEMPOTENCY_KEY`]), so that the server discards a repeat;
/// - nothing else is retried: other statuses, timeouts (the attempt had its whole time),
///   credentials that could not be obtained, bodies that do not decode.
///
/// The wait before retry `n` (1-based) is `initial_backoff × 2ⁿ⁻¹`, capped at `max_backoff`,
/// then jittered to between half and all of it, so that many clients failing together do not
/// retry together. A `Retry-After` header (seconds or an HTTP date) replaces it; when it asks
/// for longer than `max_retry_after`, the call stops at once with the server's answer. No
/// wait or attempt runs past the total `deadline`: each attempt's timeout is cut to what is
/// left of it, and a retry whose wait would end after it is not made.
///
/// A `401` answered with fresh credentials ([`super::Auth::on_unauthorized`]) is a separate,
/// single retry inside one attempt, whatever this policy says.
///
/// The default ([`RetryPolicy::default`]): 2 retries, 500 ms initial and 8 s maximum backoff,
/// `Retry-After` honoured up to 30 s, a 60 s deadline. [`RetryPolicy::none`] makes one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

impl RetryPolicy {
    /// One attempt, never retried (the 401 credential refresh still applies). The deadline
    /// is the default one.
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// At most this many retries after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry, doubled for each further one up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` honoured; a server asking for longer gets its answer
    /// returned at once ([`StopReason::RetryAfterTooLong`]).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The time the whole call may take, all attempts and waits included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The total deadline.
    pub fn total_deadline(&self) -> Duration {
        self.deadline
    }

    /// The most attempts a call makes.
    pub fn max_attempts(&self) -> u32 {
        self.max_retries.saturating_add(1)
    }

    /// The backoff before retry `retry` (1-based), before jitter.
    fn backoff_for(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }

    /// Whether to retry after `attempt` (1-based) failed with `failure`, `elapsed` into the
    /// call, and if so after how long. Pure: `jitter` in `[0, 1)` picks the wait within its
    /// range.
    pub(crate) fn decide(
        &self,
        failure: &Retryable,
        attempt: u32,
        elapsed: Duration,
        jitter: f64,
    ) -> Decision {
        if !failure.safe {
            return Decision::Stop(StopReason::NotIdempotent);
        }
        if attempt >= self.max_attempts() {
            return Decision::Stop(StopReason::AttemptsExhausted { attempts: attempt });
        }
        let wait = match failure.retry_after {
            Some(requested) if requested > self.max_retry_after => {
                return Decision::Stop(StopReason::RetryAfterTooLong {
                    requested,
                    max: self.max_retry_after,
                })
            }
            Some(requested) => requested,
            None => {
                let full = self.backoff_for(attempt);
                full / 2 + full.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0))
            }
        };
        if elapsed.saturating_add(wait) >= self.deadline {
            return Decision::Stop(StopReason::DeadlineExceeded {
                deadline: self.deadline,
            });
        }
        Decision::RetryAfter(wait)
    }
}

/// Why a call stopped after a failure that is of a retried kind.
///
/// Available as [`super::Error::stop_reason`] on the error that ends the call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The request may have reached the server and the operation is not idempotent, so it
    /// was not repeated: it could otherwise take effect twice.
    NotIdempotent,
    /// The policy's attempts were all made.
    AttemptsExhausted {
        /// How many attempts were made.
        attempts: u32,
    },
    /// The server asked to be retried later than the policy waits.
    RetryAfterTooLong {
        /// What the server's `Retry-After` asked for.
        requested: Duration,
        /// [`RetryPolicy::max_retry_after`].
        max: Duration,
    },
    /// Another attempt would end after the call's total deadline.
    DeadlineExceeded {
        /// [`RetryPolicy::deadline`].
        deadline: Duration,
    },
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::NotIdempotent => f.write_str(
                "not retried: the request may have reached the server and the operation is not idempotent",
            ),
            StopReason::AttemptsExhausted { attempts } => {
                write!(f, "gave up after {attempts} attempts, the retry policy's limit")
            }
            StopReason::RetryAfterTooLong { requested, max } => write!(
                f,
                "not retried: the server asked to retry after {requested:?}, longer than the {max:?} the retry policy waits"
            ),
            StopReason::DeadlineExceeded { deadline } => {
                write!(f, "gave up: another attempt would pass the call's deadline of {deadline:?}")
            }
        }
    }
}

/// What [`RetryPolicy::decide`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Stop; the failure is the call's result.
    Stop(StopReason),
}

/// Why a failed attempt is of a kind that is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// The connection failed before the request was sent.
    Connect,
    /// The connection failed after the request may have been sent.
    Dropped,
    /// The server answered one of the retried statuses.
    Status(StatusCode),
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryReason::Connect => f.write_str("connection failed before the request was sent"),
            RetryReason::Dropped => f.write_str("connection failed after the request was sent"),
            RetryReason::Status(status) => write!(f, "status {}", status.as_u16()),
        }
    }
}

/// A failed attempt of a retried kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Retryable {
    pub(crate) reason: RetryReason,
    /// Repeating the request cannot do the operation twice.
    pub(crate) safe: bool,
    /// What the server's `Retry-After` asked for.
    pub(crate) retry_after: Option<Duration>,
}

/// The statuses retried for idempotent operations.
pub(crate) fn is_retried_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Whether `method` may be repeated without doing more than once (RFC 9110 §9.2.2; `TRACE`
/// left out: no API operation uses it).
pub(crate) fn is_idempotent_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// A `Retry-After` value (RFC 9110 §10.2.3): delay seconds, or an HTTP date read against
/// `now` (a date in the past means at once). `None` when it is neither.
pub(crate) fn parse_retry_after(value: &[u8], now: SystemTime) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "very long".
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)`, different on every call: enough randomness to spread retries, drawn
/// from the standard library's per-process hash keys instead of a random number crate.
pub(crate) fn jitter() -> f64 {
    let bits = RandomState::new().build_hasher().finish();
    // The top 53 bits, as a fraction.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(safe: bool, retry_after: Option<Duration>) -> Retryable {
        Retryable {
            reason: RetryReason::Status(StatusCode::SERVICE_UNAVAILABLE),
            safe,
            retry_after,
        }
    }

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn defaults_are_as_documented() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_attempts(), 3);
        assert_eq!(policy.backoff_for(1), Duration::from_millis(500));
        assert_eq!(policy.backoff_for(2), Duration::from_secs(1));
        assert_eq!(policy.backoff_for(5), Duration::from_secs(8));
        assert_eq!(policy.backoff_for(40), Duration::from_secs(8));
        assert_eq!(policy.total_deadline(), Duration::from_secs(60));
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
    }

    #[test]
    fn backoff_is_jittered_between_half_and_all_of_it() {
        let policy = RetryPolicy::default();
        let low = policy.decide(&failure(true, None), 2, Duration::ZERO, 0.0);
        let high = policy.decide(&failure(true, None), 2, Duration::ZERO, 0.999_999);
        assert_eq!(low, Decision::RetryAfter(500 * MS));
        match high {
            Decision::RetryAfter(wait) => assert!(wait > 999 * MS && wait <= 1000 * MS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_request_that_may_have_arrived_is_not_repeated_unless_safe() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(&failure(false, None), 1, Duration::ZERO, 0.5),
            Decision::Stop(StopReason::NotIdempotent)
        );
    }

    #[test]
    fn attempts_stop_at_the_limit() {
        let policy = RetryPolicy::default().max_retries(1);
        assert!(matches!(
            policy.decide(&failure(true, None), 1, Duration::ZERO, 0.5),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            policy.decide(&failure(true, None), 2, Duration::ZERO, 0.5),
            Decision::Stop(StopReason::AttemptsExhausted { attempts: 2 })
        );
    }

    #[test]
    fn retry_after_replaces_the_backoff_up_to_its_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let asked = Some(Duration::from_secs(7));
        assert_eq!(
            policy.decide(&failure(true, asked), 1, Duration::ZERO, 0.5),
            Decision::RetryAfter(Duration::from_secs(7))
        );
        let asked = Some(Duration::from_secs(3600));
        assert_eq!(
            policy.decide(&failure(true, asked), 1, Duration::ZERO, 0.5),
            Decision::Stop(StopReason::RetryAfterTooLong {
                requested: Duration::from_secs(3600),
                max: Duration::from_secs(10),
            })
        );
    }

    #[test]
    fn no_wait_ends_past_the_deadline() {
        let policy = RetryPolicy::default().deadline(Duration::from_secs(2));
        // The first wait is 250-500 ms: after 1.8 s it would end past 2 s.
        assert_eq!(
            policy.decide(&failure(true, None), 1, 1800 * MS, 0.0),
            Decision::Stop(StopReason::DeadlineExceeded {
                deadline: Duration::from_secs(2)
            })
        );
        assert!(matches!(
            policy.decide(&failure(true, None), 1, 1000 * MS, 0.0),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            parse_retry_after(b"120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(b" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(b"99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        // 2015-10-21T07:28:00Z is `now`; ten seconds later.
        assert_eq!(
            parse_retry_after(b"Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after(b"Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(b"-5", now), None);
        assert_eq!(parse_retry_after(b"soon", now), None);
        assert_eq!(parse_retry_after(b"", now), None);
        assert_eq!(parse_retry_after(b"\xff", now), None);
    }

    #[test]
    fn only_the_documented_statuses_and_methods_are_retried() {
        let retried: Vec<u16> = (100..600)
            .filter(|&code| is_retried_status(StatusCode::from_u16(code).unwrap()))
            .collect();
        assert_eq!(retried, [408, 429, 502, 503, 504]);
        assert!(is_idempotent_method(&Method::PUT));
        assert!(!is_idempotent_method(&Method::POST));
        assert!(!is_idempotent_method(&Method::PATCH));
    }

    #[test]
    fn jitter_is_a_fraction_that_varies() {
        let draws: Vec<f64> = (0..64).map(|_| jitter()).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)), "{draws:?}");
        assert!(draws.windows(2).any(|w| w[0] != w[1]), "{draws:?}");
    }

    #[test]
    fn stop_reasons_say_why() {
        let shown = StopReason::NotIdempotent.to_string();
        assert!(shown.contains("not idempotent"), "{shown}");
        let shown = StopReason::AttemptsExhausted { attempts: 3 }.to_string();
        assert!(shown.contains("3 attempts"), "{shown}");
        let shown = StopReason::RetryAfterTooLong {
            requested: Duration::from_secs(3600),
            max: Duration::from_secs(30),
        }
        .to_string();
        assert!(shown.contains("3600s") && shown.contains("30s"), "{shown}");
    }
}
