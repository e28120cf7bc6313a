//! `unmodelled-section`: parts of an API the generated client has no code for.
//!
//! - `callbacks` of an operation (OpenAPI 3.0): requests the provider sends, not the client; one
//!   warning per operation. (OpenAPI 3.1 `webhooks` are modelled: see `lower/webhooks.rs`, which
//!   warns where it leaves a webhook out.)
//! - `links` of a response: follow-up calls the client does not make for you.
//! - `headers` of a response (inline, or a response component's): the generated client returns
//!   the body only.

use serde_json::{Map, Value};

use crate::diagnostics::child;
use crate::repair::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "unmodelled-section",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    // Operations under `webhooks` are lowered as webhooks, which warn for themselves.
    walk::operations(document, |operation, at| {
        if at.starts_with("#/paths/") {
            check_operation(operation, at, log);
        }
    });
    check_component_responses(document, log);
}

fn check_operation(operation: &Map<String, Value>, at: &str, log: &mut RepairLog) {
    if let Some(Value::Object(callbacks)) = operation.get("callbacks") {
        if !callbacks.is_empty() {
            let names: Vec<&String> = callbacks.keys().collect();
            log.warn(
                RULE.name,
                child(at, "callbacks"),
                format!(
                    "callbacks are not modelled: no code is generated for {}",
                    edit::quoted(&names)
                ),
            );
        }
    }
    let responses = operation.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        check_response(response, &child(&child(at, "responses"), status), log);
    }
}

/// The response components, where a response that operations refer to writes its headers.
fn check_component_responses(document: &Value, log: &mut RepairLog) {
    let responses = document
        .get("components")
        .and_then(|c| c.get("responses"))
        .and_then(Value::as_object);
    for (name, response) in responses.into_iter().flatten() {
        check_response(response, &child("#/components/responses", name), log);
    }
}

fn check_response(response: &Value, response_at: &str, log: &mut RepairLog) {
    for (key, what) in [
        (
            "headers",
            "response headers are not modelled: the generated client returns the body only",
        ),
        (
            "links",
            "response links are not modelled: the generated client does not follow them",
        ),
    ] {
        if response
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
        {
            log.warn(RULE.name, child(response_at, key), what);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Warning;
    use crate::repair::testing::check;

    #[test]
    fn callbacks_links_and_headers_are_reported_and_webhooks_left_to_lowering() {
        let document = json!({
            "components": {"responses": {"Limited": {
                "description": "too many",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}}
            }}},
            "webhooks": {"newPet": {"post": {"callbacks": {"x": {}}}}},
            "paths": {"/a": {"post": {
                "callbacks": {"done": {}},
                "responses": {"200": {
                    "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                    "links": {"next": {}}
                }, "204": {"headers": {}}}
            }}}
        });
        check(
            &RULE,
            document.clone(),
            document,
            &[
                (
                    Warning,
                    "#/paths/~1a/post/callbacks",
                    "callbacks are not modelled: no code is generated for \"done\"",
                ),
                (
                    Warning,
                    "#/paths/~1a/post/responses/200/headers",
                    "response headers are not modelled: the generated client returns the body only",
                ),
                (
                    Warning,
                    "#/paths/~1a/post/responses/200/links",
                    "response links are not modelled: the generated client does not follow them",
                ),
                (
                    Warning,
                    "#/components/responses/Limited/headers",
                    "response headers are not modelled: the generated client returns the body only",
                ),
            ],
        );
    }
}
