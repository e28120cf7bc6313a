//! `type-alias`: a `type` written as another language's name for a JSON Schema type.
//!
//! Documents written from code, or by hand, say `type: int`, `type: bool`, `type: String` or
//! `type: datetime`. None is a JSON Schema type, so the `openapiv3` model keeps the schema as
//! "any value" and the field loses its type. Each name below has one unambiguous reading, which
//! becomes `type` (and `format`, unless the schema already has one):
//!
//! | written | becomes |
//! |---|---|
//! | any casing of a type (`String`, `Integer`, `BOOLEAN`, `Object`, …) | that type |
//! | `int`, `integer32`, `int32` | `integer` (`int32` for the last two; `int` is 32 bits in some languages and 64 in others, so no format) |
//! | `long`, `int64`, `integer64` | `integer`, `int64` |
//! | `bool` | `boolean` |
//! | `str`, `text` | `string` |
//! | `float`, `double` | `number`, that format |
//! | `decimal`, `numeric` | `number` |
//! | `date` | `string`, `date` |
//! | `datetime`, `dateTime`, `date_time` | `string`, `date-time` |
//! | `uuid`, `guid` | `string`, `uuid` |
//! | `file`, `binary` (Swagger 2's `type: file`) | `string`, `binary` |
//! | `dict`, `map`, `hash` | `object` |
//! | `list` | `array` |
//!
//! `timestamp` is left alone: it is written both for seconds since the epoch and for text.
//! Aliases are matched without regard to case. Names inside a list of types
//! (`type: [int, "null"]`) are mapped the same way. A `type` that is still not a type after this
//! rule and `type-names-schema` is reported by the `unknown-type` lint.

use serde_json::{Map, Value};

use super::{edit, keywords, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "type-alias",
    run,
    trigger: Trigger::UNUSUAL_TYPE,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    super::walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// The JSON Schema type and format an alias stands for.
pub(crate) fn meaning(alias: &str) -> Option<(&'static str, Option<&'static str>)> {
    let lower = alias.to_ascii_lowercase();
    if let Some(&canonical) = keywords::TYPES.iter().find(|t| **t == lower) {
        return Some((canonical, None));
    }
    Some(match lower.as_str() {
        "int" => ("integer", None),
        "int32" | "integer32" => ("integer", Some("int32")),
        "long" | "int64" | "integer64" => ("integer", Some("int64")),
        "bool" => ("boolean", None),
        "str" | "text" => ("string", None),
        "float" => ("number", Some("float")),
        "double" => ("number", Some("double")),
        "decimal" | "numeric" => ("number", None),
        "date" => ("string", Some("date")),
        "datetime" | "date-time" | "date_time" => ("string", Some("date-time")),
        "uuid" | "guid" => ("string", Some("uuid")),
        "file" | "binary" => ("string", Some("binary")),
        "dict" | "map" | "hash" => ("object", None),
        "list" => ("array", None),
        _ => return None,
    })
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    match schema.get_mut("type") {
        Some(Value::String(written)) => {
            if keywords::TYPES.contains(&written.as_str()) {
                return;
            }
            let Some((canonical, format)) = meaning(written) else {
                return;
            };
            let written = std::mem::replace(written, canonical.to_string());
            let mut message = format!("\"type\": \"{written}\" read as \"{canonical}\"");
            if let Some(format) = format {
                if schema.contains_key("format") {
                    message.push_str(" (its own \"format\" kept)");
                } else {
                    schema.insert("format".to_string(), Value::String(format.to_string()));
                    message.push_str(&format!(" with \"format\": \"{format}\""));
                }
            }
            log.note(RULE.name, pointer, message);
        }
        Some(Value::Array(types)) => {
            let mut renamed = Vec::new();
            let mut formats = Vec::new();
            for entry in types.iter_mut() {
                let Value::String(written) = entry else {
                    continue;
                };
                if keywords::TYPES.contains(&written.as_str()) {
                    continue;
                }
                if let Some((canonical, format)) = meaning(written) {
                    renamed.push(format!("\"{written}\" as \"{canonical}\""));
                    formats.extend(format);
                    *written = canonical.to_string();
                }
            }
            // `[long, null]` is one type and null: the type's format is the schema's. Types
            // of several formats have no one format to give.
            let one_type = types.iter().filter(|t| t.as_str() != Some("null")).count() == 1;
            if renamed.is_empty() {
                return;
            }
            let mut message = format!("in the list of types, read {}", renamed.join(", "));
            match formats.as_slice() {
                [] => {}
                _ if schema.contains_key("format") => {
                    message.push_str(" (its own \"format\" kept)");
                }
                [format] if one_type => {
                    schema.insert("format".to_string(), Value::String(format.to_string()));
                    message.push_str(&format!(" with \"format\": \"{format}\""));
                }
                _ => message.push_str(&format!(
                    " (the formats {} not kept: the types have no one format)",
                    edit::quoted(&formats)
                )),
            }
            log.note(RULE.name, pointer, message);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};

    #[test]
    fn aliases_become_types_and_formats() {
        check(
            &RULE,
            schema_doc(json!({"properties": {
                "a": {"type": "int"},
                "b": {"type": "bool"},
                "c": {"type": "String", "maxLength": 3},
                "d": {"type": "datetime"},
                "e": {"type": "long", "format": "int32"},
                "f": {"type": "uuid"},
                "g": {"type": "string"}
            }})),
            schema_doc(json!({"properties": {
                "a": {"type": "integer"},
                "b": {"type": "boolean"},
                "c": {"type": "string", "maxLength": 3},
                "d": {"type": "string", "format": "date-time"},
                "e": {"type": "integer", "format": "int32"},
                "f": {"type": "string", "format": "uuid"},
                "g": {"type": "string"}
            }})),
            &[
                (
                    Note,
                    "#/components/schemas/X/properties/a",
                    "\"type\": \"int\" read as \"integer\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/b",
                    "\"type\": \"bool\" read as \"boolean\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/c",
                    "\"type\": \"String\" read as \"string\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/d",
                    "\"type\": \"datetime\" read as \"string\" with \"format\": \"date-time\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/e",
                    "\"type\": \"long\" read as \"integer\" (its own \"format\" kept)",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/f",
                    "\"type\": \"uuid\" read as \"string\" with \"format\": \"uuid\"",
                ),
            ],
        );
    }

    #[test]
    fn lists_of_types_and_unknown_names() {
        check(
            &RULE,
            schema_doc(json!({"type": ["Int", "null"]})),
            schema_doc(json!({"type": ["integer", "null"]})),
            &[(
                Note,
                "#/components/schemas/X",
                "in the list of types, read \"Int\" as \"integer\"",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"type": ["Int32", "null"]})),
            schema_doc(json!({"type": ["integer", "null"], "format": "int32"})),
            &[(
                Note,
                "#/components/schemas/X",
                "in the list of types, read \"Int32\" as \"integer\" with \"format\": \"int32\"",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"type": ["long", "datetime"]})),
            schema_doc(json!({"type": ["integer", "string"]})),
            &[(
                Note,
                "#/components/schemas/X",
                "in the list of types, read \"long\" as \"integer\", \"datetime\" as \"string\" \
                 (the formats \"int64\", \"date-time\" not kept: the types have no one format)",
            )],
        );
        let unknown = schema_doc(json!({"type": "HourlyResponse"}));
        check(&RULE, unknown.clone(), unknown, &[]);
    }
}
