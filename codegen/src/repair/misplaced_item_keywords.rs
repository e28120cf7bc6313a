//! `misplaced-item-keywords`: properties of the items written beside `items`.
//!
//! An array has no properties; the objects in it do. So in an array schema (one with `items`), a
//! key that is not a schema keyword and whose value looks like a schema (see
//! [`looks_like_schema`](super::keywords::looks_like_schema)) is a property of the item that the
//! author wrote one level too high, e.g.
//! `{"type": "array", "items": {…}, "minAmount": {"type": "number"}}` for responses like
//! `[{"minAmount": 10}]`. Such keys move into the item schema's `properties`, and an item without
//! a `type` becomes `"type": "object"`.
//!
//! Left alone, with a warning: an item that is not an inline object schema (a `$ref`, a tuple, a
//! `"type": "string"`), and a key the item already has as a property. An item whose `type` holds
//! a schema is left for `schema-under-type`, which then reads that `type` as a property too.

use serde_json::{Map, Value};

use super::{edit, keywords, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "misplaced-item-keywords",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    if !schema.contains_key("items") {
        return;
    }
    let strays: Vec<String> = schema
        .iter()
        .filter(|(key, value)| keywords::is_stray(key) && keywords::looks_like_schema(value))
        .map(|(key, _)| key.clone())
        .collect();
    if strays.is_empty() {
        return;
    }
    let items_at = child(pointer, "items");
    let refusal = match schema.get("items") {
        Some(Value::Object(item)) if item.contains_key("$ref") => {
            Some("the item is a \"$ref\", which cannot be given properties here".to_string())
        }
        Some(Value::Object(item)) => match (item.get("type"), item.get("properties")) {
            (_, Some(props)) if !props.is_object() => {
                Some("the item's \"properties\" is not an object".to_string())
            }
            (None | Some(Value::Object(_)), _) => None,
            (Some(Value::String(t)), _) if t == "object" => None,
            (Some(Value::Array(types)), _) if types.iter().any(|t| t == "object") => None,
            (Some(other), _) => Some(format!(
                "the item has \"type\": {}, which cannot have properties",
                edit::render(other)
            )),
        },
        _ => Some("\"items\" is not an object schema".to_string()),
    };
    if let Some(reason) = refusal {
        log.warn(
            RULE.name,
            pointer,
            format!(
                "{} beside \"items\" {} of the item, but {reason}; left as is",
                edit::quoted(&strays),
                if strays.len() == 1 {
                    "looks like a property"
                } else {
                    "look like properties"
                }
            ),
        );
        return;
    }

    let existing: Vec<String> = schema
        .get("items")
        .and_then(|item| item.get("properties"))
        .and_then(Value::as_object)
        .map(|props| {
            strays
                .iter()
                .filter(|s| props.contains_key(s.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut moving = Vec::new();
    for stray in &strays {
        if existing.contains(stray) {
            log.warn(
                RULE.name,
                child(pointer, stray),
                format!(
                    "\"{stray}\" beside \"items\" looks like a property of the item, but the item already has a \
                     property \"{stray}\"; left as is"
                ),
            );
        } else if let Some(value) = schema.shift_remove(stray) {
            moving.push((stray.clone(), value));
        }
    }
    let Some(Value::Object(item)) = schema.get_mut("items") else {
        return;
    };
    let added_type = !item.contains_key("type");
    if added_type {
        item.shift_insert(0, "type".to_string(), Value::String("object".to_string()));
    }
    let props = item
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(props) = props else {
        return;
    };
    let props_at = child(&items_at, "properties");
    for (name, value) in moving {
        let from = child(pointer, &name);
        let to = child(&props_at, &name);
        log.note(
            RULE.name,
            &from,
            format!(
                "\"{name}\" beside \"items\" is not a schema keyword but a schema: moved to {to}, as a property of \
                 the item (an array has no properties; the objects in it do)"
            ),
        );
        log.moved(from, to);
        props.insert(name, value);
    }
    if added_type {
        log.note(
            RULE.name,
            items_at,
            "\"type\": \"object\" added to the item schema, which now has properties",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn moves_stray_schemas_into_the_item() {
        check(
            &RULE,
            schema_doc(json!({
                "type": "array",
                "items": {"description": "A rule", "type": {"$ref": "#/components/schemas/Kind"}},
                "minAmount": {"type": "number"},
                "x-note": {"type": "string"},
                "description": "Rules"
            })),
            schema_doc(json!({
                "type": "array",
                "items": {
                    "description": "A rule",
                    "type": {"$ref": "#/components/schemas/Kind"},
                    "properties": {"minAmount": {"type": "number"}}
                },
                "x-note": {"type": "string"},
                "description": "Rules"
            })),
            &[(
                Note,
                "#/components/schemas/X/minAmount",
                "\"minAmount\" beside \"items\" is not a schema keyword but a schema: moved to \
                 #/components/schemas/X/items/properties/minAmount, as a property of the item (an array has no \
                 properties; the objects in it do)",
            )],
        );
    }

    #[test]
    fn an_untyped_item_becomes_an_object() {
        check(
            &RULE,
            schema_doc(json!({"items": {"properties": {"a": {"type": "string"}}}, "b": {"type": "integer"}})),
            schema_doc(json!({"items": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}})),
            &[
                (
                    Note,
                    "#/components/schemas/X/b",
                    "\"b\" beside \"items\" is not a schema keyword but a schema: moved to \
                     #/components/schemas/X/items/properties/b, as a property of the item (an array has no \
                     properties; the objects in it do)",
                ),
                (
                    Note,
                    "#/components/schemas/X/items",
                    "\"type\": \"object\" added to the item schema, which now has properties",
                ),
            ],
        );
    }

    #[test]
    fn leaves_items_that_cannot_take_properties() {
        for (items, reason) in [
            (
                json!({"type": "string"}),
                "the item has \"type\": \"string\", which cannot have properties",
            ),
            (
                json!({"$ref": "#/components/schemas/A"}),
                "the item is a \"$ref\", which cannot be given properties here",
            ),
            (
                json!([{"type": "string"}]),
                "\"items\" is not an object schema",
            ),
        ] {
            let unchanged =
                schema_doc(json!({"type": "array", "items": items, "size": {"type": "integer"}}));
            check(
                &RULE,
                unchanged.clone(),
                unchanged,
                &[(
                    Warning,
                    "#/components/schemas/X",
                    &format!("\"size\" beside \"items\" looks like a property of the item, but {reason}; left as is"),
                )],
            );
        }
    }

    #[test]
    fn keeps_an_existing_item_property() {
        let unchanged = schema_doc(json!({
            "items": {"type": "object", "properties": {"size": {"type": "string"}}},
            "size": {"type": "integer"}
        }));
        check(
            &RULE,
            unchanged.clone(),
            unchanged,
            &[(
                Warning,
                "#/components/schemas/X/size",
                "\"size\" beside \"items\" looks like a property of the item, but the item already has a property \
                 \"size\"; left as is",
            )],
        );
    }

    #[test]
    fn ignores_keywords_and_non_schemas() {
        let unchanged = schema_doc(
            json!({"items": {}, "maxItems": 3, "label": "x", "extra": {"description": "d"}}),
        );
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
