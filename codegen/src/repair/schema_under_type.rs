//! `schema-under-type`: a schema written as the value of `type`.
//!
//! `type` must name a type (`"string"`, `["string", "null"]`); an object there is a schema the
//! author put in the wrong place. Two readings, told apart by the schema around it:
//!
//! - The schema around it is an object schema (it has `properties`, or lists `"type"` in
//!   `required`): the author meant a *property named `type`* (a common field name: `{"type":
//!   "bank", "minAmount": 10}`) and forgot to put it under `properties`. The value moves to
//!   `properties.type` (first among the properties when `type` was written before `properties`),
//!   and the schema's own `type` becomes `"object"`.
//! - Otherwise the author meant the inner schema itself, e.g. `{"description": "…", "type":
//!   {"$ref": "…"}}` for a reference with a description: the inner keywords are merged into the
//!   schema where `type` was, and `type` is removed. A keyword both have keeps the outer value,
//!   with a warning.
//!
//! `misplaced-item-keywords` runs first, so an array item that only gains its properties there
//! is read the first way.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "schema-under-type",
    run,
    trigger: Trigger::UNUSUAL_TYPE,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    // A merged inner schema may itself carry a schema under `type`; each round removes one level.
    while let Some(Value::Object(inner)) = schema.get("type") {
        let shown = edit::render(&Value::Object(inner.clone()));
        let has_properties = schema.get("properties").is_some_and(Value::is_object);
        let type_required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|n| n == "type"));
        if has_properties || type_required {
            if !as_property(schema, pointer, &shown, log) {
                return;
            }
        } else {
            merge_into_schema(schema, pointer, &shown, log);
        }
    }
}

/// The property reading. Returns false when it had to leave the schema as it is.
fn as_property(
    schema: &mut Map<String, Value>,
    pointer: &str,
    shown: &str,
    log: &mut RepairLog,
) -> bool {
    let from = child(pointer, "type");
    let to = child(&child(pointer, "properties"), "type");
    match schema.get("properties") {
        Some(Value::Object(props)) if props.contains_key("type") => {
            log.warn(
                RULE.name,
                from,
                format!(
                    "\"type\" holds a schema ({shown}), not a type name, but the object schema around it already \
                     has a property \"type\"; left as is"
                ),
            );
            return false;
        }
        Some(Value::Object(_)) | None => {}
        Some(_) => return false,
    }
    let type_first = match (
        edit::position(schema, "type"),
        edit::position(schema, "properties"),
    ) {
        (Some(t), Some(p)) => t < p,
        _ => true,
    };
    let Some(value) = schema.insert("type".to_string(), Value::String("object".to_string())) else {
        return false;
    };
    let props = schema
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(props) = props else {
        return false;
    };
    if type_first {
        props.shift_insert(0, "type".to_string(), value);
    } else {
        props.insert("type".to_string(), value);
    }
    log.note(
        RULE.name,
        &from,
        format!(
            "\"type\" holds a schema ({shown}), not a type name; the schema around it has properties, so it is \
             read as a property named \"type\": moved to {to}, and \"type\" set to \"object\""
        ),
    );
    log.moved(from, to);
    true
}

/// The reading where the inner schema is what was meant.
fn merge_into_schema(
    schema: &mut Map<String, Value>,
    pointer: &str,
    shown: &str,
    log: &mut RepairLog,
) {
    let from = child(pointer, "type");
    let mut index = edit::position(schema, "type").unwrap_or(0);
    let Some(Value::Object(inner)) = schema.shift_remove("type") else {
        return;
    };
    let mut merged = Vec::new();
    let mut kept = Vec::new();
    for (key, value) in inner {
        if schema.contains_key(&key) {
            kept.push(key);
            continue;
        }
        log.moved(child(&from, &key), child(pointer, &key));
        let index_now = index.min(schema.len());
        schema.shift_insert(index_now, key.clone(), value);
        index = index_now + 1;
        merged.push(key);
    }
    let mut message = format!(
        "\"type\" holds a schema ({shown}), not a type name, and the schema around it has no properties, so that \
         schema is what was meant: its keywords ({}) merged into this schema and \"type\" removed",
        edit::quoted(&merged)
    );
    if kept.is_empty() {
        log.note(RULE.name, from, message);
    } else {
        message.push_str(&format!(
            "; {} kept from the outer schema, the inner values dropped",
            edit::quoted(&kept)
        ));
        log.warn(RULE.name, from, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn in_an_object_schema_it_is_a_property_named_type() {
        let input = schema_doc(json!({
            "description": "A rule",
            "type": {"$ref": "#/components/schemas/Kind"},
            "properties": {"minAmount": {"type": "number"}}
        }));
        let expected = schema_doc(json!({
            "description": "A rule",
            "type": "object",
            "properties": {"type": {"$ref": "#/components/schemas/Kind"}, "minAmount": {"type": "number"}}
        }));
        check(
            &RULE,
            input.clone(),
            expected,
            &[(
                Note,
                "#/components/schemas/X/type",
                "\"type\" holds a schema ({\"$ref\":\"#/components/schemas/Kind\"}), not a type name; the schema \
                 around it has properties, so it is read as a property named \"type\": moved to \
                 #/components/schemas/X/properties/type, and \"type\" set to \"object\"",
            )],
        );
        // `type` was written before `properties`, so it stays the first property.
        let mut document = input;
        (RULE.run)(&mut document, &mut RepairLog::default());
        let names: Vec<&String> = document["components"]["schemas"]["X"]["properties"]
            .as_object()
            .map(|props| props.keys().collect())
            .unwrap_or_default();
        assert_eq!(names, ["type", "minAmount"]);
    }

    #[test]
    fn required_type_also_means_a_property() {
        check(
            &RULE,
            schema_doc(json!({"required": ["type"], "type": {"type": "string"}})),
            schema_doc(json!({"required": ["type"], "type": "object", "properties": {"type": {"type": "string"}}})),
            &[(
                Note,
                "#/components/schemas/X/type",
                "\"type\" holds a schema ({\"type\":\"string\"}), not a type name; the schema around it has \
                 properties, so it is read as a property named \"type\": moved to \
                 #/components/schemas/X/properties/type, and \"type\" set to \"object\"",
            )],
        );
    }

    #[test]
    fn otherwise_the_inner_schema_replaces_type() {
        check(
            &RULE,
            schema_doc(json!({"description": "Kind", "type": {"$ref": "#/components/schemas/Kind"}, "nullable": true})),
            schema_doc(json!({"description": "Kind", "$ref": "#/components/schemas/Kind", "nullable": true})),
            &[(
                Note,
                "#/components/schemas/X/type",
                "\"type\" holds a schema ({\"$ref\":\"#/components/schemas/Kind\"}), not a type name, and the schema \
                 around it has no properties, so that schema is what was meant: its keywords (\"$ref\") merged \
                 into this schema and \"type\" removed",
            )],
        );
    }

    #[test]
    fn nested_schemas_under_type_are_all_unwrapped() {
        let mut log = RepairLog::default();
        let mut document =
            schema_doc(json!({"type": {"type": {"type": "string"}, "description": "d"}}));
        (RULE.run)(&mut document, &mut log);
        assert_eq!(
            document,
            schema_doc(json!({"type": "string", "description": "d"}))
        );
        assert_eq!(log.repairs.len(), 2);
    }

    #[test]
    fn conflicts_keep_the_outer_value() {
        check(
            &RULE,
            schema_doc(json!({"description": "outer", "type": {"description": "inner", "format": "uuid"}})),
            schema_doc(json!({"description": "outer", "format": "uuid"})),
            &[(
                Warning,
                "#/components/schemas/X/type",
                "\"type\" holds a schema ({\"description\":\"inner\",\"format\":\"uuid\"}), not a type name, and the \
                 schema around it has no properties, so that schema is what was meant: its keywords (\"format\") \
                 merged into this schema and \"type\" removed; \"description\" kept from the outer schema, the \
                 inner values dropped",
            )],
        );
    }

    #[test]
    fn an_existing_type_property_is_not_overwritten() {
        let unchanged = schema_doc(
            json!({"type": {"type": "string"}, "properties": {"type": {"type": "integer"}}}),
        );
        check(
            &RULE,
            unchanged.clone(),
            unchanged,
            &[(
                Warning,
                "#/components/schemas/X/type",
                "\"type\" holds a schema ({\"type\":\"string\"}), not a type name, but the object schema around it \
                 already has a property \"type\"; left as is",
            )],
        );
    }
}
