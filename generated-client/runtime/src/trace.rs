//! The `tracing` spans and events of a call, in one place so that what they record is easy
//! to check: operation id, method, path template, status, attempt number, elapsed time and
//! retry reasons. Never a query string, a header value or a body: those may hold secrets or
//! personal data.
//!
//! - span `call` (INFO): `operation`, `path` (the template), `method` once the request is
//!   built, then `status` (of the last response, if any), `attempts` and `elapsed_ms` when it
//!   ends;
//! - span `attempt` (DEBUG), inside it: `attempt` (1-based), then `status` and `elapsed_ms`;
//! - event (DEBUG) when a 401 is answered with fresh credentials;
//! - event (INFO) before a retry: `attempt` (the one that failed), `reason`, `delay_ms`;
//! - event (INFO) when a failure of a retried kind ends the call: `attempt`, `reason`, `stop`.

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

/// Records how an attempt ended: the status, if the server answered.
pub(crate) fn attempt_finished(span: &Span, status: Option<StatusCode>, started: Instant) {
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    span.record("elapsed_ms", millis(started.elapsed()));
}

/// Records how a call ended: the last status, if the server answered, and the attempts made.
pub(crate) fn call_finished(
    span: &Span,
    status: Option<StatusCode>,
    attempts: u32,
    started: Instant,
) {
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    span.record("attempts", attempts);
    span.record("elapsed_ms", millis(started.elapsed()));
}

/// A 401 is retried once with fresh credentials.
pub(crate) fn refreshing_credentials() {
    tracing::debug!("credentials refused (401); retrying once with fresh ones");
}

/// Failed attempt `attempt` is retried after `delay`.
pub(crate) fn retrying(attempt: u32, reason: RetryReason, delay: Duration) {
    tracing::info!(attempt, reason = %reason, delay_ms = millis(delay), "retrying");
}

/// Failed attempt `attempt`, of a retried kind, ends the call.
pub(crate) fn stopped(attempt: u32, reason: RetryReason, stop: &StopReason) {
    tracing::info!(attempt, reason = %reason, stop = %stop, "not retrying");
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
