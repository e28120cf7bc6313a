//! `missing-responses`: an operation without `responses`.
//!
//! OpenAPI 3.1 makes an operation's `responses` optional; 3.0 requires it, and the parse stage
//! rejects an operation without it. An absent `responses` documents nothing about the responses,
//! which 3.0 can only write as an empty `"responses": {}`: every status is then undocumented, and
//! the client keeps the raw response.

use serde_json::{Map, Value};

use super::{walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "missing-responses",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::operations(document, |operation, pointer| {
        if operation.contains_key("responses") {
            return;
        }
        operation.insert("responses".to_string(), Value::Object(Map::new()));
        log.note(
            RULE.name,
            pointer,
            "\"responses\": {} added: the operation documents no responses (allowed by OpenAPI 3.1, required by 3.0)",
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    #[test]
    fn adds_empty_responses() {
        check(
            &RULE,
            json!({"paths": {"/a": {"get": {"operationId": "a"}, "put": {"responses": {"200": {}}}}}}),
            json!({"paths": {"/a": {"get": {"operationId": "a", "responses": {}}, "put": {"responses": {"200": {}}}}}}),
            &[(
                Note,
                "#/paths/~1a/get",
                "\"responses\": {} added: the operation documents no responses (allowed by OpenAPI 3.1, required by \
                 3.0)",
            )],
        );
    }
}
