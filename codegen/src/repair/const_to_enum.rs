//! `const-to-enum`: `const` (JSON Schema, OpenAPI 3.1) as a one-value `enum` (3.0).
//!
//! `const: v` means exactly `enum: [v]`. When the schema has no `type`, the type of `v` is added
//! (a 3.0 `enum` without a type is an untyped value; `null` adds `nullable: true` instead). When
//! the schema also has an `enum`, the two together allow `v` only if the enum lists it: the enum
//! becomes `[v]`, with a warning if `v` was not among its values (the schema then allowed nothing;
//! `const` is taken as the intent).

use serde_json::{Map, Value};

use super::{edit, keywords, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "const-to-enum",
    run,
    trigger: Trigger::keys(&["const"]),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(value) = schema.get("const").cloned() else {
        return;
    };
    let shown = edit::render(&value);
    let contradicts = match schema.get("enum") {
        Some(Value::Array(values)) => !values.contains(&value),
        _ => false,
    };
    let had_enum = schema.contains_key("enum");
    schema.shift_remove("enum");
    edit::rename_key(schema, "const", "enum");
    schema.insert("enum".to_string(), Value::Array(vec![value.clone()]));
    let mut message = format!("\"const\": {shown} replaced by \"enum\": [{shown}]");
    if had_enum && !contradicts {
        message.push_str(" (it was one of the values of the existing \"enum\", which it narrows)");
    }
    if !schema.contains_key("type") {
        let inferred = keywords::type_of(&value);
        if inferred == "null" {
            edit::insert_before(schema, "enum", "nullable".to_string(), Value::Bool(true));
            message.push_str(", and \"nullable\": true added");
        } else {
            edit::insert_before(
                schema,
                "enum",
                "type".to_string(),
                Value::String(inferred.to_string()),
            );
            message.push_str(&format!(
                ", and \"type\": \"{inferred}\" added (the type of the value)"
            ));
        }
    }
    if contradicts {
        message.push_str(
            "; the existing \"enum\" did not list the value (the schema allowed nothing), so it was replaced",
        );
        log.warn(RULE.name, pointer, message);
    } else {
        log.note(RULE.name, pointer, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn const_becomes_a_one_value_enum() {
        check(
            &RULE,
            schema_doc(json!({"title": "Kind", "const": "card"})),
            schema_doc(json!({"title": "Kind", "type": "string", "enum": ["card"]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"const\": \"card\" replaced by \"enum\": [\"card\"], and \"type\": \"string\" added (the type of the \
                 value)",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"type": "integer", "const": 3, "enum": [1, 3]})),
            schema_doc(json!({"type": "integer", "enum": [3]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"const\": 3 replaced by \"enum\": [3] (it was one of the values of the existing \"enum\", which it \
                 narrows)",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"const": null})),
            schema_doc(json!({"nullable": true, "enum": [null]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"const\": null replaced by \"enum\": [null], and \"nullable\": true added",
            )],
        );
    }

    #[test]
    fn a_contradicting_enum_is_replaced_with_a_warning() {
        check(
            &RULE,
            schema_doc(json!({"type": "string", "enum": ["a"], "const": "b"})),
            schema_doc(json!({"type": "string", "enum": ["b"]})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"const\": \"b\" replaced by \"enum\": [\"b\"]; the existing \"enum\" did not list the value (the \
                 schema allowed nothing), so it was replaced",
            )],
        );
    }
}
