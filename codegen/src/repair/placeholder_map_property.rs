//! `placeholder-map-property`: a map written as an object with one placeholder property.
//!
//! Authors who do not know `additionalProperties` describe a map by writing one entry with a
//! made-up name: `{"type": "object", "properties": {"fieldName": {…}}}` for responses like
//! `{"first_name": {…}, "id_number": {…}}`. When an object schema's only property has a
//! placeholder name, and nothing else pins the object down (no `required`, no
//! `additionalProperties`, no `patternProperties`), the schema is a map keyed by real names:
//! `properties` becomes `additionalProperties` with that property's schema.
//!
//! Placeholder names ([`is_placeholder`], case-insensitive): `fieldName`, `propertyName`, `key`,
//! `keyName`, `additionalProp1` … `additionalProp9` (what Swagger UI writes for map entries), `*`,
//! and any name wrapped in `{}`, `<>` or `[]` (`{id}`, `<name>`). Several properties count as one
//! when all are placeholders with equal schemas (Swagger UI's `additionalProp1`, `2`, `3`).
//! An `example` of the schema that uses the placeholder name literally proves the name is real,
//! and the schema is left alone.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "placeholder-map-property",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// Whether a property name is a stand-in for names only known at run time.
pub fn is_placeholder(name: &str) -> bool {
    const WORDS: &[&str] = &["fieldname", "propertyname", "key", "keyname", "*"];
    let lower = name.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    if let Some(digit) = lower.strip_prefix("additionalprop") {
        return matches!(digit, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9");
    }
    let chars: Vec<char> = name.chars().collect();
    match (chars.first(), chars.last()) {
        (Some(open), Some(close)) if chars.len() >= 3 => {
            matches!((open, close), ('{', '}') | ('<', '>') | ('[', ']'))
        }
        _ => false,
    }
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(Value::Object(props)) = schema.get("properties") else {
        return;
    };
    let Some((name, value)) = props.iter().next() else {
        return;
    };
    let all_placeholders = props.iter().all(|(n, v)| is_placeholder(n) && v == value);
    let untyped_or_object = match schema.get("type") {
        None => true,
        Some(Value::String(t)) => t == "object",
        Some(_) => false,
    };
    let required = schema
        .get("required")
        .is_some_and(|r| !r.as_array().is_some_and(Vec::is_empty));
    let example_uses_name = schema
        .get("example")
        .and_then(Value::as_object)
        .is_some_and(|example| example.contains_key(name));
    if !all_placeholders
        || !untyped_or_object
        || required
        || schema.contains_key("additionalProperties")
        || schema.contains_key("patternProperties")
        || example_uses_name
    {
        return;
    }
    let name = name.clone();
    let value = value.clone();
    let count = props.len();
    let from = child(&child(pointer, "properties"), &name);
    let to = child(pointer, "additionalProperties");
    edit::rename_key(schema, "properties", "additionalProperties");
    schema.insert("additionalProperties".to_string(), value);
    let mut message = if count == 1 {
        format!(
            "the only property, \"{name}\", has a placeholder name, so this object is a map keyed by real names: \
             \"properties\" replaced by \"additionalProperties\" with the schema of \"{name}\""
        )
    } else {
        format!(
            "all {count} properties have placeholder names and the same schema, so this object is a map keyed by \
             real names: \"properties\" replaced by \"additionalProperties\" with the schema of \"{name}\""
        )
    };
    if !schema.contains_key("type") {
        edit::insert_before(
            schema,
            "additionalProperties",
            "type".to_string(),
            Value::String("object".into()),
        );
        message.push_str(", and \"type\": \"object\" added");
    }
    log.note(RULE.name, pointer, message);
    log.moved(from, to);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn placeholder_names() {
        for name in [
            "fieldName",
            "FieldName",
            "key",
            "additionalProp1",
            "*",
            "{field}",
            "<name>",
            "[id]",
        ] {
            assert!(is_placeholder(name), "{name}");
        }
        for name in [
            "field",
            "keys",
            "additionalProp0",
            "additionalProp10",
            "{}",
            "{a",
            "name",
        ] {
            assert!(!is_placeholder(name), "{name}");
        }
    }

    #[test]
    fn a_single_placeholder_property_is_a_map() {
        check(
            &RULE,
            schema_doc(json!({
                "type": "object",
                "description": "Required fields",
                "properties": {"fieldName": {"type": "object", "properties": {"label": {"type": "string"}}}}
            })),
            schema_doc(json!({
                "type": "object",
                "description": "Required fields",
                "additionalProperties": {"type": "object", "properties": {"label": {"type": "string"}}}
            })),
            &[(
                Note,
                "#/components/schemas/X",
                "the only property, \"fieldName\", has a placeholder name, so this object is a map keyed by real \
                 names: \"properties\" replaced by \"additionalProperties\" with the schema of \"fieldName\"",
            )],
        );
    }

    #[test]
    fn swagger_ui_entries_are_a_map() {
        check(
            &RULE,
            schema_doc(json!({"properties": {
                "additionalProp1": {"type": "string"},
                "additionalProp2": {"type": "string"},
                "additionalProp3": {"type": "string"}
            }})),
            schema_doc(json!({"type": "object", "additionalProperties": {"type": "string"}})),
            &[(
                Note,
                "#/components/schemas/X",
                "all 3 properties have placeholder names and the same schema, so this object is a map keyed by \
                 real names: \"properties\" replaced by \"additionalProperties\" with the schema of \
                 \"additionalProp1\", and \"type\": \"object\" added",
            )],
        );
    }

    #[test]
    fn records_the_move() {
        let mut document = schema_doc(json!({"properties": {"key": {"properties": {"a": {}}}}}));
        let mut log = RepairLog::default();
        (RULE.run)(&mut document, &mut log);
        assert_eq!(
            log.original_pointer("#/components/schemas/X/additionalProperties/properties/a"),
            "#/components/schemas/X/properties/key/properties/a"
        );
    }

    #[test]
    fn real_objects_are_left_alone() {
        for schema in [
            json!({"properties": {"key": {"type": "string"}}, "required": ["key"]}),
            json!({"properties": {"key": {"type": "string"}}, "additionalProperties": false}),
            json!({"properties": {"key": {"type": "string"}}, "example": {"key": "abc"}}),
            json!({"properties": {"name": {"type": "string"}}}),
            json!({"properties": {"key": {"type": "string"}, "name": {"type": "string"}}}),
            json!({"type": "array", "properties": {"key": {"type": "string"}}}),
        ] {
            let unchanged = schema_doc(schema);
            check(&RULE, unchanged.clone(), unchanged, &[]);
        }
    }
}
