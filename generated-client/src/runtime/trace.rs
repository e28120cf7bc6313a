//! The `tracing` spans and events of a call, in one place so that what they record is easy
//! to check: operation id, method, path template, status, attempt number, elapsed time and
//! retry reasons. Never a query string, a header value or a body: those may hold secrets or
//! personal data.
//!
//! - span `call` (INFO): `operation`, `method`, `path` (the template), then `status`,
//!   `attempts` and `elapsed_ms` when it ends;
//! - span `attempt` (DEBUG), inside it: `attempt` (1-based), then `status` and `elapsed_ms`;
//! - event (DEBUG) when a 401 is answered with fresh credentials;
//! - event (INFO) before a retry: `reason`, `delay_ms`;
//! - event (INFO) when a failure of a retried kind ends the call: `stop`.

use std::time::{Duration, Instant};

use http::{Method, StatusCode};
use tracing::field::Empty;
use tracing::Span;

use super::retry::RetryReason;
use super::StopReason;

/// The span of one call.
pub(crate) fn call(operation_id: &'static str, path_template: &'static str) -> Span {
    tracing::info_span!(
        "call",
        operation = operation_id,
        method = Empty,
        path = path_template,
        status = Empty,
        attempts = Empty,
        elapsed_ms = Empty,
    )
}

/// The span of one attempt of a call.
pub(crate) fn attempt(number: u32) -> Span {
    tracing::debug_span!(
        "attempt",
        attempt = number,
        status = Empty,
        elapsed_ms = Empty
    )
}

/// Records the request's method on the call span (known once the request is built).
pub(crate) fn method(span: &Span, method: &Method) {
    span.record("method", method.as_str());
}

/// Records how a span (call or attempt) ended.
pub(crate) fn finished(span: &Span, status: Option<StatusCode>, started: Instant) {
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    span.record("elapsed_ms", millis(started.elapsed()));
}

/// Records how many attempts a call made.
pub(crate) fn attempts(span: &Span, attempts: u32) {
    span.record("attempts", attempts);
}

/// A 401 is retried once with fresh credentials.
pub(crate) fn refreshing_credentials() {
    tracing::debug!("credentials refused (401); retrying once with fresh ones");
}

/// A failed attempt is retried after `delay`.
pub(crate) fn retrying(reason: RetryReason, delay: Duration) {
    tracing::info!(reason = %reason, delay_ms = millis(delay), "retrying");
}

/// A failure of a retried kind ends the call.
pub(crate) fn stopped(reason: RetryReason, stop: &StopReason) {
    tracing::info!(reason = %reason, stop = %stop, "not retrying");
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
