//! Stateful fakes of the two providers on loopback, started by the tests themselves.
//!
//! Each fake is a `wiremock` server with one responder that routes every request by method and
//! path and keeps the provider's state (customers, quotes, orders, …) behind a mutex. It checks
//! what the provider checks (Ripio's OAuth2 token and bearer token, Fonbnk's request signature),
//! answers in the shapes and with the values of the providers' documentation pages, and pages its
//! lists (Ripio: `limit`/`offset` with `next` links, or a bare list; Fonbnk: `cursor`/`limit`).

// Each test binary uses a different subset.
#![allow(dead_code)]

pub mod fonbnk;
pub mod ripio;

use serde_json::{json, Value};
use wiremock::{Request, ResponseTemplate};

/// A JSON answer.
pub fn answer(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// The request's JSON body, if it has one.
pub fn body(request: &Request) -> Option<Value> {
    serde_json::from_slice(&request.body).ok()
}

/// The decoded query parameter `name`.
pub fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The path's segments, without the empty ones a trailing `/` leaves.
pub fn segments(request: &Request) -> Vec<String> {
    request
        .url
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A fixed instant, in the providers' date-time format, `n` minutes after the fake's epoch.
pub fn timestamp(n: usize) -> String {
    format!("2026-01-01T{:02}:{:02}:00Z", (n / 60) % 24, n % 60)
}

/// A deterministic version-4-shaped UUID for the `n`th thing of kind `kind` (0–15).
pub fn uuid(kind: u8, n: usize) -> String {
    format!("{kind:x}0000000-0000-4000-8000-{n:012}")
}

/// A Ripio-style error body.
pub fn ripio_error(status: u16, code: u32, kind: &str, message: &str) -> ResponseTemplate {
    answer(
        status,
        json!({"code": code, "type": kind, "detail": {"message": message}, "status": status}),
    )
}
