//! `unknown-type`: a `type` that is no JSON Schema type, after `type-names-schema` and
//! `type-alias` have read what they can. The `openapiv3` model keeps such a schema as "any
//! value", so the field is typed `serde_json::Value`.

use serde_json::{Map, Value};

use crate::repair::{edit, keywords, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "unknown-type",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, at| check(schema, at, log));
}

fn check(schema: &Map<String, Value>, at: &str, log: &mut RepairLog) {
    let unknown: Vec<&str> = match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let unknown: Vec<&str> = unknown
        .into_iter()
        .filter(|name| !keywords::TYPES.contains(name))
        .collect();
    if unknown.is_empty() {
        return;
    }
    // Rendered shortened: a hostile document may write a megabyte as a type name.
    let listed: Vec<String> = unknown
        .iter()
        .map(|name| edit::render(&Value::String(name.to_string())))
        .collect();
    log.warn(
        RULE.name,
        at,
        format!(
            "\"type\": {} is not a JSON Schema type: the value is typed as any JSON value",
            listed.join(", ")
        ),
    );
    log.hint(
        "write one of string, number, integer, boolean, array, object, or a \"$ref\" (an overlay can)",
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Warning;
    use crate::repair::testing::{check as check_rule, schema_doc};

    #[test]
    fn unknown_types_are_reported_once_per_schema() {
        let document = schema_doc(json!({"properties": {
            "a": {"type": "HourlyRespons"},
            "b": {"type": ["string", "thing", "other"]},
            "c": {"type": "integer"}
        }}));
        check_rule(
            &RULE,
            document.clone(),
            document,
            &[
                (
                    Warning,
                    "#/components/schemas/X/properties/a",
                    "\"type\": \"HourlyRespons\" is not a JSON Schema type: the value is typed as any JSON value",
                ),
                (
                    Warning,
                    "#/components/schemas/X/properties/b",
                    "\"type\": \"thing\", \"other\" is not a JSON Schema type: the value is typed as any JSON value",
                ),
            ],
        );
    }
}
