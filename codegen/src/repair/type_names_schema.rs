//! `type-names-schema`: a `type` that names a component schema.
//!
//! Some documents write a reference as a type name: `type: HourlyResponse`, where
//! `HourlyResponse` is defined under `components.schemas`. It is not a JSON Schema type, so the
//! `openapiv3` model keeps the schema as "any value" and the field loses its type. When the name
//! is exactly that of a component schema, `type` becomes `$ref` to it (in place, so the other
//! keywords stay beside it for `ref-siblings`). A name that is also a JSON Schema type
//! (`string`) is always the type.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{edit, keywords, RepairLog, Rule, Trigger};
use crate::diagnostics::pointer;

pub const RULE: Rule = Rule {
    name: "type-names-schema",
    run,
    trigger: Trigger::UNUSUAL_TYPE,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    let names: HashSet<String> = document
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    if names.is_empty() {
        return;
    }
    super::walk::schemas(document, |schema, at| repair(schema, at, &names, log));
}

fn repair(schema: &mut Map<String, Value>, at: &str, names: &HashSet<String>, log: &mut RepairLog) {
    let Some(Value::String(name)) = schema.get("type") else {
        return;
    };
    if keywords::TYPES.contains(&name.as_str())
        || !names.contains(name)
        || schema.contains_key("$ref")
    {
        return;
    }
    let target = pointer(["components", "schemas", name.as_str()]);
    let message = format!(
        "\"type\": \"{name}\" names a component schema: rewritten as \"$ref\": \"{target}\""
    );
    edit::rename_key(schema, "type", "$ref");
    schema.insert("$ref".to_string(), Value::String(target));
    log.note(RULE.name, at, message);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;

    #[test]
    fn a_type_naming_a_schema_becomes_a_reference() {
        check(
            &RULE,
            json!({"components": {"schemas": {
                "HourlyResponse": {"type": "object"},
                "a/b": {"type": "string"},
                "Forecast": {"properties": {
                    "hourly": {"type": "HourlyResponse", "description": "By the hour"},
                    "odd": {"type": "a/b"},
                    "plain": {"type": "string"},
                    "unknown": {"type": "Nope"}
                }}
            }}}),
            json!({"components": {"schemas": {
                "HourlyResponse": {"type": "object"},
                "a/b": {"type": "string"},
                "Forecast": {"properties": {
                    "hourly": {"$ref": "#/components/schemas/HourlyResponse", "description": "By the hour"},
                    "odd": {"$ref": "#/components/schemas/a~1b"},
                    "plain": {"type": "string"},
                    "unknown": {"type": "Nope"}
                }}
            }}}),
            &[
                (
                    Note,
                    "#/components/schemas/Forecast/properties/hourly",
                    "\"type\": \"HourlyResponse\" names a component schema: rewritten as \"$ref\": \
                     \"#/components/schemas/HourlyResponse\"",
                ),
                (
                    Note,
                    "#/components/schemas/Forecast/properties/odd",
                    "\"type\": \"a/b\" names a component schema: rewritten as \"$ref\": \"#/components/schemas/a~1b\"",
                ),
            ],
        );
    }

    #[test]
    fn a_schema_named_like_a_type_does_not_capture_it() {
        let unchanged = json!({"components": {"schemas": {"string": {}, "X": {"type": "string"}}}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
