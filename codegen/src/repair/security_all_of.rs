//! `security-all-of`: the parts of a signed request listed as alternatives.
//!
//! A security requirement *list* means "any one of these"; a requirement *object* with several
//! schemes means "all of these together". Providers that sign requests often publish each signing
//! header as its own scheme and then list them as alternatives
//! (`[{"ClientId": []}, {"Timestamp": []}, {"Signature": []}]`), which would let a client send
//! only one of them, and no server accepts that: a signature is worthless without the timestamp
//! and the client id it signs.
//!
//! The heuristic, applied to the top-level `security` and to every operation's: the list has two
//! or more alternatives; each names exactly one scheme, all different; every scheme is defined in
//! `components.securitySchemes` as `type: apiKey`, `in: header`; and at least one header name
//! contains `signature`, `timestamp` or `nonce` (case-insensitive), the marks of request signing.
//! Then the alternatives are merged into one requirement object, in the written order. Plain
//! alternatives (an API key *or* a bearer token, or two API keys without a signature) do not
//! match and are left alone.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "security-all-of",
    run,
    trigger: Trigger::keys(&["security"]),
};

const SIGNING_MARKS: &[&str] = &["signature", "timestamp", "nonce"];

fn run(document: &mut Value, log: &mut RepairLog) {
    let schemes = document
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Value::Object(root) = document {
        repair(root, "#", &schemes, log);
    }
    walk::operations(document, |operation, pointer| {
        repair(operation, pointer, &schemes, log)
    });
}

/// Repairs the `security` list of the root or of an operation.
fn repair(
    owner: &mut Map<String, Value>,
    pointer: &str,
    schemes: &Map<String, Value>,
    log: &mut RepairLog,
) {
    let Some(Value::Array(alternatives)) = owner.get_mut("security") else {
        return;
    };
    let Some((names, headers)) = signed_request(alternatives, schemes) else {
        return;
    };
    let mut merged = Map::new();
    for alternative in alternatives.drain(..) {
        if let Value::Object(requirement) = alternative {
            merged.extend(requirement);
        }
    }
    alternatives.push(Value::Object(merged));
    let signing: Vec<&String> = headers
        .iter()
        .filter(|h| {
            SIGNING_MARKS
                .iter()
                .any(|mark| h.to_ascii_lowercase().contains(mark))
        })
        .collect();
    log.note(
        RULE.name,
        child(pointer, "security"),
        format!(
            "{} alternative security requirements ({}) merged into one requirement: all are apiKey headers ({}), \
             and {} {} a signed request, which is only valid with all of them sent together",
            names.len(),
            edit::quoted(&names),
            edit::quoted(&headers),
            edit::quoted(&signing),
            if signing.len() == 1 { "marks" } else { "mark" },
        ),
    );
}

/// The scheme names and header names, if the list is the parts of a signed request.
fn signed_request(
    alternatives: &[Value],
    schemes: &Map<String, Value>,
) -> Option<(Vec<String>, Vec<String>)> {
    if alternatives.len() < 2 {
        return None;
    }
    let mut names = Vec::new();
    let mut headers = Vec::new();
    for alternative in alternatives {
        let requirement = alternative.as_object()?;
        if requirement.len() != 1 {
            return None;
        }
        let name = requirement.keys().next()?;
        if names.contains(name) {
            return None;
        }
        let scheme = schemes.get(name)?;
        let is_header_key = scheme.get("type").and_then(Value::as_str) == Some("apiKey")
            && scheme.get("in").and_then(Value::as_str) == Some("header");
        let header = scheme.get("name").and_then(Value::as_str)?;
        if !is_header_key {
            return None;
        }
        names.push(name.clone());
        headers.push(header.to_string());
    }
    let signed = headers.iter().any(|h| {
        SIGNING_MARKS
            .iter()
            .any(|mark| h.to_ascii_lowercase().contains(mark))
    });
    signed.then_some((names, headers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    fn schemes() -> Value {
        json!({"securitySchemes": {
            "Client": {"type": "apiKey", "in": "header", "name": "x-client-id"},
            "Time": {"type": "apiKey", "in": "header", "name": "X-Timestamp"},
            "Sig": {"type": "apiKey", "in": "header", "name": "x-signature"},
            "Key": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            "Query": {"type": "apiKey", "in": "query", "name": "signature"},
            "Bearer": {"type": "http", "scheme": "bearer"}
        }})
    }

    #[test]
    fn merges_signing_headers_at_the_top_and_in_operations() {
        check(
            &RULE,
            json!({
                "security": [{"Client": []}, {"Time": []}, {"Sig": []}],
                "paths": {"/a": {"get": {"security": [{"Client": []}, {"Sig": []}]}}},
                "components": schemes()
            }),
            json!({
                "security": [{"Client": [], "Time": [], "Sig": []}],
                "paths": {"/a": {"get": {"security": [{"Client": [], "Sig": []}]}}},
                "components": schemes()
            }),
            &[
                (
                    Note,
                    "#/security",
                    "3 alternative security requirements (\"Client\", \"Time\", \"Sig\") merged into one requirement: \
                     all are apiKey headers (\"x-client-id\", \"X-Timestamp\", \"x-signature\"), and \
                     \"X-Timestamp\", \"x-signature\" mark a signed request, which is only valid with all of them \
                     sent together",
                ),
                (
                    Note,
                    "#/paths/~1a/get/security",
                    "2 alternative security requirements (\"Client\", \"Sig\") merged into one requirement: all are \
                     apiKey headers (\"x-client-id\", \"x-signature\"), and \"x-signature\" marks a signed request, \
                     which is only valid with all of them sent together",
                ),
            ],
        );
    }

    #[test]
    fn real_alternatives_are_left_alone() {
        for security in [
            json!([{"Client": []}, {"Key": []}]),
            json!([{"Key": []}, {"Bearer": []}]),
            json!([{"Sig": []}, {"Query": []}]),
            json!([{"Sig": []}, {"Missing": []}]),
            json!([{"Sig": [], "Client": []}, {"Time": []}]),
            json!([{"Sig": []}]),
            json!([{"Sig": []}, {"Sig": []}]),
            json!({"Sig": []}),
        ] {
            let unchanged = json!({"security": security, "components": schemes()});
            check(&RULE, unchanged.clone(), unchanged, &[]);
        }
    }
}
