//! `openapi-version`: `openapi: 3.1.x` → `3.0.3`.
//!
//! The parse stage models OpenAPI 3.0. The rules after this one rewrite the 3.1 forms the
//! document uses into their 3.0 equivalents, so the document is declared 3.0.3 (the last 3.0
//! release). The declared version is kept in `x-original-openapi`, right after `openapi`, so the
//! report and generated docs can say what was published.

use serde_json::Value;

use super::{edit, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "openapi-version",
    run,
    trigger: Trigger::ALWAYS,
};

const TARGET: &str = "3.0.3";

fn run(document: &mut Value, log: &mut RepairLog) {
    let Value::Object(root) = document else {
        return;
    };
    let Some(Value::String(version)) = root.get("openapi") else {
        return;
    };
    if !(version == "3.1" || version.starts_with("3.1.")) {
        return;
    }
    let original = version.clone();
    root.insert("openapi".to_string(), Value::String(TARGET.to_string()));
    edit::insert_after(
        root,
        "openapi",
        "x-original-openapi".to_string(),
        Value::String(original.clone()),
    );
    log.note(
        RULE.name,
        "#/openapi",
        format!(
            "\"openapi\": \"{original}\" replaced by \"{TARGET}\" (the 3.1 forms are rewritten by the rules that \
             follow); the original kept in \"x-original-openapi\""
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    #[test]
    fn declares_3_0_3() {
        check(
            &RULE,
            json!({"openapi": "3.1.0", "info": {}}),
            json!({"openapi": "3.0.3", "x-original-openapi": "3.1.0", "info": {}}),
            &[(
                Note,
                "#/openapi",
                "\"openapi\": \"3.1.0\" replaced by \"3.0.3\" (the 3.1 forms are rewritten by the rules that \
                 follow); the original kept in \"x-original-openapi\"",
            )],
        );
    }

    #[test]
    fn leaves_other_versions() {
        for document in [
            json!({"openapi": "3.0.1"}),
            json!({"openapi": 3.1}),
            json!({"swagger": "2.0"}),
            json!([]),
        ] {
            check(&RULE, document.clone(), document, &[]);
        }
    }
}
