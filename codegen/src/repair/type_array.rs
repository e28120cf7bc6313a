//! `type-array`: a list of types, and the `null` type (OpenAPI 3.1) in 3.0 form.
//!
//! OpenAPI 3.0 allows one type name per schema and has no `null` type; nullability is the
//! `nullable: true` flag. So:
//!
//! - `type: ["T"]` → `type: T`; `type: [T, "null"]` → `type: T, nullable: true`.
//! - `type: "null"` or `["null"]` → `nullable: true` and no `type`. 3.0 cannot say "only null":
//!   the schema now accepts any value (or null), a loss of precision, hence a warning. A null
//!   schema that is a branch of `anyOf`/`oneOf` is left for `null-in-anyof`, which removes the
//!   branch and makes the union nullable instead.
//! - Several non-null types → `anyOf` with one schema per type, `nullable: true` if `null` was
//!   listed. The keywords that only apply to one kind of value go to the branches of that kind
//!   (JSON Schema ignores them for other kinds, so this changes nothing): `minLength`, `maxLength`,
//!   `pattern` to `string`; `minimum`, `maximum`, `multipleOf`, … to `integer` and `number`;
//!   `items`, `minItems`, … to `array`; `properties`, `required`, … to `object`; `format` to the
//!   numeric branches if it is a numeric format (`int32`, `double`, …), else to `string`.
//!   Everything else (`description`, `enum`, `default`, …) stays on the outer schema. A schema that
//!   already has `anyOf` is left alone, with a warning.

use serde_json::{Map, Value};

use super::{edit, RepairLog, Rule, Trigger};
use crate::diagnostics::{child, parent};

pub const RULE: Rule = Rule {
    name: "type-array",
    run,
    trigger: Trigger::UNUSUAL_TYPE,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    super::walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// Keywords that apply to values of one kind only.
const FAMILIES: &[(&[&str], &[&str])] = &[
    (
        &["string"],
        &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        &["integer", "number"],
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        &["array"],
        &[
            "items",
            "prefixItems",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
    ),
    (
        &["object"],
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "discriminator",
        ],
    ),
];

/// Whether the schema at `pointer` is a branch of `anyOf`/`oneOf`.
pub fn is_union_branch(pointer: &str) -> bool {
    let Some(list) = parent(pointer) else {
        return false;
    };
    let index = &pointer[list.len()..];
    (list.ends_with("/anyOf") || list.ends_with("/oneOf"))
        && index.len() > 1
        && index[1..].bytes().all(|b| b.is_ascii_digit())
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(declared) = schema.get("type") else {
        return;
    };
    let shown = edit::render(declared);
    let mut names: Vec<String> = Vec::new();
    match declared {
        Value::String(name) if name == "null" => names.push(name.clone()),
        Value::Array(list) => {
            for entry in list {
                let Some(name) = entry.as_str() else {
                    log.warn(
                        RULE.name,
                        pointer,
                        format!(
                            "\"type\": {shown} lists something other than type names; left as is"
                        ),
                    );
                    return;
                };
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
        _ => return,
    }
    let nullable = names.iter().any(|n| n == "null");
    let others: Vec<String> = names.into_iter().filter(|n| n != "null").collect();
    match others.as_slice() {
        [] if !nullable => {
            schema.shift_remove("type");
            log.warn(
                RULE.name,
                pointer,
                "\"type\": [] (no type allows no value) removed",
            );
        }
        [] if is_union_branch(pointer) => {}
        [] => {
            schema.shift_remove("type");
            schema.insert("nullable".to_string(), Value::Bool(true));
            log.warn(
                RULE.name,
                pointer,
                format!(
                    "\"type\": {shown} replaced by \"nullable\": true without a type: OpenAPI 3.0 has no null type, so \
                     the schema now also accepts values other than null"
                ),
            );
        }
        [single] => {
            schema.insert("type".to_string(), Value::String(single.clone()));
            let mut message = format!("\"type\": {shown} replaced by \"type\": \"{single}\"");
            if nullable {
                edit::insert_after(schema, "type", "nullable".to_string(), Value::Bool(true));
                message.push_str(", \"nullable\": true");
            }
            log.note(RULE.name, pointer, message);
        }
        several => split(schema, pointer, several, nullable, &shown, log),
    }
}

/// Several non-null types: one `anyOf` branch per type.
fn split(
    schema: &mut Map<String, Value>,
    pointer: &str,
    types: &[String],
    nullable: bool,
    shown: &str,
    log: &mut RepairLog,
) {
    if schema.contains_key("anyOf") {
        log.warn(
            RULE.name,
            pointer,
            format!("\"type\": {shown} lists several types, but the schema already has \"anyOf\"; left as is"),
        );
        return;
    }
    let anyof_at = child(pointer, "anyOf");
    let mut branches: Vec<Map<String, Value>> = types
        .iter()
        .map(|t| {
            let mut branch = Map::new();
            branch.insert("type".to_string(), Value::String(t.clone()));
            branch
        })
        .collect();
    let numeric_format = schema
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| {
            matches!(f, "float" | "double") || f.starts_with("int") || f.starts_with("uint")
        });
    let keys: Vec<String> = schema.keys().cloned().collect();
    let mut moved: Vec<String> = Vec::new();
    for key in keys {
        let kinds: Vec<&str> = if key == "format" {
            if numeric_format {
                vec!["integer", "number"]
            } else {
                vec!["string"]
            }
        } else {
            FAMILIES
                .iter()
                .find(|(_, keywords)| keywords.contains(&key.as_str()))
                .map(|(kinds, _)| kinds.to_vec())
                .unwrap_or_default()
        };
        let targets: Vec<usize> = (0..types.len())
            .filter(|&i| kinds.contains(&types[i].as_str()))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let Some(value) = schema.shift_remove(&key) else {
            continue;
        };
        let mut to = Vec::new();
        for i in targets {
            let branch_at = child(&anyof_at, &i.to_string());
            log.moved(child(pointer, &key), child(&branch_at, &key));
            branches[i].insert(key.clone(), value.clone());
            to.push(types[i].clone());
        }
        moved.push(format!("\"{key}\" to {}", to.join(" and ")));
    }
    let index = edit::position(schema, "type").unwrap_or(0);
    schema.shift_remove("type");
    let anyof = Value::Array(branches.into_iter().map(Value::Object).collect());
    schema.shift_insert(index.min(schema.len()), "anyOf".to_string(), anyof);
    let mut message = format!("\"type\": {shown} replaced by \"anyOf\" with one schema per type");
    if nullable {
        edit::insert_after(schema, "anyOf", "nullable".to_string(), Value::Bool(true));
        message.push_str(", and \"nullable\": true");
    }
    if !moved.is_empty() {
        message.push_str(&format!(
            "; keywords for one kind of value moved to its branch: {}",
            moved.join(", ")
        ));
    }
    log.note(RULE.name, pointer, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn a_type_and_null_becomes_nullable() {
        check(
            &RULE,
            schema_doc(json!({"type": ["string", "null"], "format": "date-time"})),
            schema_doc(json!({"type": "string", "nullable": true, "format": "date-time"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"type\": [\"string\",\"null\"] replaced by \"type\": \"string\", \"nullable\": true",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"type": ["integer"]})),
            schema_doc(json!({"type": "integer"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"type\": [\"integer\"] replaced by \"type\": \"integer\"",
            )],
        );
    }

    #[test]
    fn null_alone_becomes_untyped_nullable() {
        check(
            &RULE,
            schema_doc(json!({"type": "null", "description": "Always null"})),
            schema_doc(json!({"description": "Always null", "nullable": true})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": \"null\" replaced by \"nullable\": true without a type: OpenAPI 3.0 has no null type, so \
                 the schema now also accepts values other than null",
            )],
        );
    }

    #[test]
    fn null_branches_are_left_for_null_in_anyof() {
        let unchanged = schema_doc(
            json!({"anyOf": [{"type": "string"}, {"type": "null"}], "oneOf": [{"type": ["null"]}]}),
        );
        check(&RULE, unchanged.clone(), unchanged, &[]);
        assert!(is_union_branch("#/a/anyOf/12"));
        assert!(!is_union_branch("#/a/allOf/1"));
        assert!(!is_union_branch("#/a/properties/anyOf"));
    }

    #[test]
    fn several_types_become_any_of() {
        check(
            &RULE,
            schema_doc(json!({
                "description": "An id",
                "type": ["string", "integer", "null"],
                "minLength": 1,
                "minimum": 0,
                "format": "int64",
                "enum": ["a", 1]
            })),
            schema_doc(json!({
                "description": "An id",
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "integer", "minimum": 0, "format": "int64"}
                ],
                "nullable": true,
                "enum": ["a", 1]
            })),
            &[(
                Note,
                "#/components/schemas/X",
                "\"type\": [\"string\",\"integer\",\"null\"] replaced by \"anyOf\" with one schema per type, and \
                 \"nullable\": true; keywords for one kind of value moved to its branch: \"minLength\" to string, \
                 \"minimum\" to integer, \"format\" to integer",
            )],
        );
    }

    #[test]
    fn numeric_keywords_go_to_every_numeric_branch() {
        let mut document =
            schema_doc(json!({"type": ["number", "integer", "boolean"], "maximum": 9}));
        let mut log = RepairLog::default();
        (RULE.run)(&mut document, &mut log);
        assert_eq!(
            document,
            schema_doc(json!({"anyOf": [
                {"type": "number", "maximum": 9},
                {"type": "integer", "maximum": 9},
                {"type": "boolean"}
            ]}))
        );
        assert_eq!(
            log.original_pointer("#/components/schemas/X/anyOf/1/maximum"),
            "#/components/schemas/X/maximum"
        );
    }

    #[test]
    fn odd_type_lists() {
        check(
            &RULE,
            schema_doc(json!({"type": []})),
            schema_doc(json!({})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": [] (no type allows no value) removed",
            )],
        );
        let unchanged = schema_doc(json!({"type": ["string", {"$ref": "#/x"}]}));
        check(
            &RULE,
            unchanged.clone(),
            unchanged,
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": [\"string\",{\"$ref\":\"#/x\"}] lists something other than type names; left as is",
            )],
        );
        let unchanged = schema_doc(json!({"type": ["string", "integer"], "anyOf": []}));
        check(
            &RULE,
            unchanged.clone(),
            unchanged,
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": [\"string\",\"integer\"] lists several types, but the schema already has \"anyOf\"; left \
                 as is",
            )],
        );
    }
}
