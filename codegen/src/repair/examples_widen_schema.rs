//! `examples-widen-schema`: a schema that its own examples contradict.
//!
//! A provider's examples are what its API really sends; its schemas are what someone wrote down.
//! Where they disagree, a client built from the schema rejects real responses. Two kinds of
//! disagreement are repaired toward the examples:
//!
//! - an example gives `null` where the schema does not allow it (`txnHash: null` on a
//!   `type: string` field): the schema gets `nullable: true`;
//! - an object example leaves out a property the schema lists in `required`: the property is no
//!   longer required.
//!
//! Examples are read wherever they are written: a schema's `example` (and the further values
//! `examples-to-example` kept in `x-examples`), and the `example`/`examples` of a media type or
//! parameter against its `schema`. They are followed into properties, array items, map values
//! and through `$ref`s to component schemas (a component that an example contradicts is widened
//! for every use: it is the same value the provider sends). Unions and `allOf` are not entered:
//! which branch an example means is not known. Only widening happens, so running the rule again
//! finds nothing more.

use serde_json::{Map, Value};

use super::keywords::{self, Kind};
use super::{edit, examples_to_example, RepairLog, Rule, Trigger};
use crate::diagnostics::push_escaped;

pub const RULE: Rule = Rule {
    name: "examples-widen-schema",
    run,
    trigger: Trigger::keys(&["example", "examples", examples_to_example::EXTRA]),
};

/// One widening, at a schema's pointer (`#/components/schemas/X/properties/y`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fix {
    Nullable {
        schema: String,
        example: String,
    },
    NotRequired {
        schema: String,
        property: String,
        example: String,
    },
}

fn run(document: &mut Value, log: &mut RepairLog) {
    let mut examples = Vec::new();
    collect(document, &mut String::from("#"), &mut examples);
    let mut fixes: Vec<Fix> = Vec::new();
    for (schema, value, example) in &examples {
        check(document, schema, value, example, 0, &mut fixes);
    }
    for fix in fixes {
        apply(document, fix, log);
    }
}

/// Every example of the document: (the schema it exemplifies, the value, where it is written).
fn collect(value: &Value, at: &mut String, found: &mut Vec<(String, Value, String)>) {
    match value {
        Value::Object(map) => {
            // A media type or parameter: `schema` beside `example`/`examples`.
            if let Some(Value::Object(_)) = map.get("schema") {
                let schema = format!("{at}/schema");
                if let Some(example) = map.get("example") {
                    found.push((schema.clone(), example.clone(), format!("{at}/example")));
                }
                for (name, named) in map
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(example) = named.get("value") {
                        let mut where_ = format!("{at}/examples/");
                        push_escaped(&mut where_, name);
                        found.push((schema.clone(), example.clone(), format!("{where_}/value")));
                    }
                }
            }
            // A schema: its own example and the further ones kept by `examples-to-example`.
            if is_schema(map) {
                if let Some(example) = map.get("example") {
                    found.push((at.clone(), example.clone(), format!("{at}/example")));
                }
                let extra = map
                    .get(examples_to_example::EXTRA)
                    .and_then(Value::as_array);
                for (index, example) in extra.into_iter().flatten().enumerate() {
                    let where_ = format!("{at}/{}/{index}", examples_to_example::EXTRA);
                    found.push((at.clone(), example.clone(), where_));
                }
            }
            let schema = is_schema(map);
            for (key, child) in map {
                // Example values and other data are not walked into.
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) || key == examples_to_example::EXTRA
                {
                    continue;
                }
                let len = at.len();
                at.push('/');
                push_escaped(at, key);
                match (schema, keywords::kind(key), child) {
                    // `properties` and the like: their keys are names, not keywords (a property
                    // named `schema` or `example` is no media type), so each value is walked
                    // as the subschema it is.
                    (true, Some(Kind::SchemaMap), Value::Object(subschemas)) => {
                        for (name, subschema) in subschemas {
                            let len = at.len();
                            at.push('/');
                            push_escaped(at, name);
                            collect(subschema, at, found);
                            at.truncate(len);
                        }
                    }
                    _ => collect(child, at, found),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{index}"));
                collect(item, at, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether an object with an `example` is a schema (rather than a parameter or media type,
/// whose `example` is read against their `schema`).
fn is_schema(map: &Map<String, Value>) -> bool {
    !map.contains_key("schema") && !map.contains_key("in") && !map.contains_key("content")
}

/// The schema at `pointer` (`#/…`), following `$ref`s to local components (at most a few hops,
/// so a `$ref` cycle ends); with its own pointer.
fn resolve<'a>(document: &'a Value, pointer: &str) -> Option<(&'a Map<String, Value>, String)> {
    let mut pointer = pointer.to_string();
    for _ in 0..8 {
        let schema = document.pointer(pointer.strip_prefix('#')?)?.as_object()?;
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with("#/") => pointer = target.to_string(),
            Some(_) => return None,
            None => return Some((schema, pointer)),
        }
    }
    None
}

/// Whether a schema accepts `null` as it stands.
fn allows_null(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || !schema.contains_key("type")
            && !schema.contains_key("properties")
            && !schema.contains_key("items")
            && !schema.contains_key("enum")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null))
}

/// Compares `value` with the schema at `pointer`, recording the widenings it needs.
fn check(
    document: &Value,
    pointer: &str,
    value: &Value,
    example: &str,
    depth: usize,
    fixes: &mut Vec<Fix>,
) {
    // Examples are small; the bound only keeps a pathological one from running long.
    if depth > 64 {
        return;
    }
    let direct = document
        .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
        .and_then(Value::as_object);
    let Some((schema, at)) = resolve(document, pointer) else {
        return;
    };
    let unions = ["oneOf", "anyOf", "allOf"];
    if unions.iter().any(|k| schema.contains_key(*k)) {
        return;
    }
    if value.is_null() {
        // A `$ref` with `nullable` beside it allows null where it is used.
        let at_use = direct.is_some_and(|d| d.get("nullable") == Some(&Value::Bool(true)));
        if !allows_null(schema) && !at_use {
            push(
                fixes,
                Fix::Nullable {
                    schema: pointer.to_string(),
                    example: example.to_string(),
                },
            );
        }
        return;
    }
    match value {
        Value::Object(fields) => {
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !fields.contains_key(name) {
                    push(
                        fixes,
                        Fix::NotRequired {
                            schema: at.clone(),
                            property: name.to_string(),
                            example: example.to_string(),
                        },
                    );
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                let child = if properties.is_some_and(|p| p.contains_key(name)) {
                    let mut child = format!("{at}/properties/");
                    push_escaped(&mut child, name);
                    child
                } else if schema
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                {
                    format!("{at}/additionalProperties")
                } else {
                    continue;
                };
                check(document, &child, field, example, depth + 1, fixes);
            }
        }
        Value::Array(items) if schema.get("items").is_some_and(Value::is_object) => {
            let child = format!("{at}/items");
            for item in items {
                check(document, &child, item, example, depth + 1, fixes);
            }
        }
        _ => {}
    }
}

fn push(fixes: &mut Vec<Fix>, fix: Fix) {
    let same_target = |f: &Fix| match (f, &fix) {
        (Fix::Nullable { schema: a, .. }, Fix::Nullable { schema: b, .. }) => a == b,
        (
            Fix::NotRequired {
                schema: a,
                property: p,
                ..
            },
            Fix::NotRequired {
                schema: b,
                property: q,
                ..
            },
        ) => a == b && p == q,
        _ => false,
    };
    if !fixes.iter().any(same_target) {
        fixes.push(fix);
    }
}

fn apply(document: &mut Value, fix: Fix, log: &mut RepairLog) {
    match fix {
        Fix::Nullable { schema, example } => {
            let Some(target) = schema_mut(document, &schema) else {
                return;
            };
            edit::insert_after(target, "type", "nullable".to_string(), Value::Bool(true));
            log.note(
                RULE.name,
                schema,
                format!(
                    "the example at {example} is null, which the schema does not allow: \
                     \"nullable\": true added (the example shows what the provider sends)"
                ),
            );
        }
        Fix::NotRequired {
            schema,
            property,
            example,
        } => {
            let Some(target) = schema_mut(document, &schema) else {
                return;
            };
            let Some(Value::Array(required)) = target.get_mut("required") else {
                return;
            };
            required.retain(|name| name.as_str() != Some(property.as_str()));
            if required.is_empty() {
                target.shift_remove("required");
            }
            log.note(
                RULE.name,
                schema,
                format!(
                    "the example at {example} has no \"{property}\", which the schema requires: \
                     \"{property}\" is no longer required (the example shows what the provider sends)"
                ),
            );
        }
    }
}

fn schema_mut<'a>(document: &'a mut Value, pointer: &str) -> Option<&'a mut Map<String, Value>> {
    document
        .pointer_mut(pointer.strip_prefix('#').unwrap_or(pointer))?
        .as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check as check_rule, schema_doc};
    use serde_json::json;

    #[test]
    fn a_null_example_makes_the_property_nullable() {
        check_rule(
            &RULE,
            schema_doc(json!({"type": "object", "properties": {
                "hash": {"type": "string", "example": null},
                "id": {"type": "string"}
            }})),
            schema_doc(json!({"type": "object", "properties": {
                "hash": {"type": "string", "nullable": true, "example": null},
                "id": {"type": "string"}
            }})),
            &[(
                Note,
                "#/components/schemas/X/properties/hash",
                "the example at #/components/schemas/X/properties/hash/example is null, which the \
                 schema does not allow: \"nullable\": true added (the example shows what the \
                 provider sends)",
            )],
        );
    }

    #[test]
    fn an_object_example_without_a_required_property_makes_it_optional() {
        check_rule(
            &RULE,
            schema_doc(json!({
                "type": "object",
                "required": ["id", "kind"],
                "properties": {"id": {"type": "string"}, "kind": {"type": "string"}},
                "example": {"id": "a"}
            })),
            schema_doc(json!({
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "kind": {"type": "string"}},
                "example": {"id": "a"}
            })),
            &[(
                Note,
                "#/components/schemas/X",
                "the example at #/components/schemas/X/example has no \"kind\", which the schema \
                 requires: \"kind\" is no longer required (the example shows what the provider \
                 sends)",
            )],
        );
    }

    #[test]
    fn media_examples_are_followed_through_refs_into_items() {
        let document = |nullable: bool| {
            let mut hash = json!({"type": "string"});
            if nullable {
                hash["nullable"] = json!(true);
            }
            json!({
                "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/T"}},
                    "examples": {"one": {"value": [{"hash": "0x1"}, {"hash": null}]}}
                }}}}}}},
                "components": {"schemas": {"T": {"type": "object", "properties": {"hash": hash}}}}
            })
        };
        check_rule(
            &RULE,
            document(false),
            document(true),
            &[(
                Note,
                "#/components/schemas/T/properties/hash",
                "the example at #/paths/~1a/get/responses/200/content/application~1json/examples/one/value \
                 is null, which the schema does not allow: \"nullable\": true added (the example \
                 shows what the provider sends)",
            )],
        );
    }

    #[test]
    fn properties_named_schema_and_example_are_no_media_type() {
        // Read as a media type, the `example` property's schema would be an example of the
        // `schema` property and take `a` out of its `required`.
        let unchanged = schema_doc(json!({"type": "object", "properties": {
            "schema": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            "example": {"type": "object", "properties": {"b": {"type": "string"}}}
        }}));
        check_rule(&RULE, unchanged.clone(), unchanged, &[]);
    }

    #[test]
    fn examples_that_fit_and_unions_change_nothing() {
        let fits = schema_doc(json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "note": {"type": "string", "nullable": true},
                "any": {}
            },
            "example": {"id": "a", "note": null, "any": null}
        }));
        check_rule(&RULE, fits.clone(), fits, &[]);
        let union = schema_doc(json!({
            "oneOf": [{"type": "string"}, {"type": "integer"}],
            "example": null
        }));
        check_rule(&RULE, union.clone(), union, &[]);
    }
}
