//! `examples-to-example`: a schema's `examples` list (JSON Schema, OpenAPI 3.1) as `example` (3.0).
//!
//! A 3.0 schema has one `example`; 3.1 schemas list `examples`. The first listed example becomes
//! `example` (unless the schema already has one); the others are kept in `x-examples`, so that
//! what checks examples still sees every one. Examples are documentation only, so nothing a
//! client does changes. Only schemas are touched: in media
//! types, parameters and headers `examples` is a map of Example Objects, valid in 3.0, and the
//! walker never visits those as schemas. An `examples` that is not a list is left alone.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "examples-to-example",
    run,
    trigger: Trigger::keys(&["examples"]),
};

/// Where the examples beyond the first are kept.
pub const EXTRA: &str = "x-examples";

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(Value::Array(examples)) = schema.get("examples") else {
        return;
    };
    let count = examples.len();
    if schema.contains_key(EXTRA) {
        // Someone's own `x-examples` (a vendor extension): moving the list there would replace it.
        log.warn(
            RULE.name,
            pointer,
            format!(
                "\"examples\" ({}) left as written: the schema already has \"{EXTRA}\", which \
                 moving them would replace; the 3.0 model reads neither",
                edit::count(count, "value")
            ),
        );
        return;
    }
    let first = examples.first().cloned();
    let message = match first {
        _ if schema.contains_key("example") => {
            edit::rename_key(schema, "examples", EXTRA);
            format!(
                "\"examples\" ({}) moved to \"{EXTRA}\": the schema already has an \"example\"",
                edit::count(count, "value")
            )
        }
        Some(first) => {
            let shown = edit::render(&first);
            let rest: Vec<Value> = examples.iter().skip(1).cloned().collect();
            edit::rename_key(schema, "examples", "example");
            schema.insert("example".to_string(), first);
            if count == 1 {
                format!("\"examples\": [{shown}] replaced by \"example\": {shown}")
            } else {
                schema.insert(EXTRA.to_string(), Value::Array(rest));
                format!(
                    "\"examples\" ({count} values) replaced by \"example\": {shown}, the first of them (an OpenAPI \
                     3.0 schema has one example); the others kept in \"{EXTRA}\""
                )
            }
        }
        None => {
            schema.shift_remove("examples");
            "\"examples\": [] removed".to_string()
        }
    };
    log.note(RULE.name, pointer, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn keeps_the_first_example() {
        check(
            &RULE,
            schema_doc(json!({"type": "string", "examples": ["a", "b"]})),
            schema_doc(json!({"type": "string", "example": "a", "x-examples": ["b"]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"examples\" (2 values) replaced by \"example\": \"a\", the first of them (an OpenAPI 3.0 schema has \
                 one example); the others kept in \"x-examples\"",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"example": 1, "examples": [2]})),
            schema_doc(json!({"example": 1, "x-examples": [2]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"examples\" (1 value) moved to \"x-examples\": the schema already has an \"example\"",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"examples": [1, 2], "x-examples": {"vendor": 3}})),
            schema_doc(json!({"examples": [1, 2], "x-examples": {"vendor": 3}})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"examples\" (2 values) left as written: the schema already has \"x-examples\", which \
                 moving them would replace; the 3.0 model reads neither",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"examples": []})),
            schema_doc(json!({})),
            &[(Note, "#/components/schemas/X", "\"examples\": [] removed")],
        );
    }

    #[test]
    fn media_type_examples_are_not_schemas() {
        let unchanged = json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": "object", "examples": {"named": {"value": 1}}},
            "examples": {"one": {"value": {"a": 1}}}
        }}}}}}}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
