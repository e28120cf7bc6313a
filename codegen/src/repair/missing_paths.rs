//! `missing-paths`: a document without `paths`.
//!
//! OpenAPI 3.1 makes `paths` optional (a document may describe only webhooks or components);
//! 3.0 requires it, and the parse stage rejects a document without it. An absent `paths` means
//! "no operations", which 3.0 writes as `"paths": {}`.

use serde_json::{Map, Value};

use super::{RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "missing-paths",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    let Value::Object(root) = document else {
        return;
    };
    if root.contains_key("paths") {
        return;
    }
    root.insert("paths".to_string(), Value::Object(Map::new()));
    log.note(
        RULE.name,
        "#",
        "\"paths\": {} added: the document has no paths (allowed by OpenAPI 3.1, required by 3.0)",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    #[test]
    fn adds_empty_paths() {
        check(
            &RULE,
            json!({"openapi": "3.1.0", "webhooks": {}}),
            json!({"openapi": "3.1.0", "webhooks": {}, "paths": {}}),
            &[(
                Note,
                "#",
                "\"paths\": {} added: the document has no paths (allowed by OpenAPI 3.1, required by 3.0)",
            )],
        );
        let unchanged = json!({"paths": {"/a": {}}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
