//! `swallowed-properties`: sibling properties nested inside a property's schema.
//!
//! In a `properties` map, a property's schema that carries keys which are not schema keywords but
//! whose values look like schemas has swallowed properties that the author indented one level too
//! deep: `{"kycStatus": {"type": "enum", "enum": […], "reachedKycLimit": {"type": "boolean"}}}`
//! for responses like `{"kycStatus": "approved", "reachedKycLimit": false}`. Each such key moves
//! out to the enclosing `properties` map, right after the property that swallowed it.
//!
//! When the swallowing property is itself an object schema, the key might instead be one of *its*
//! properties written beside its `properties`. The rule then looks at the `example` of the
//! enclosing schema and of the property: an example that has the key beside the property (or
//! inside it) decides. Without one it still takes the sibling reading, with a warning.
//!
//! Array schemas are left to `misplaced-item-keywords`. A key that already exists where it would
//! move is left where it is, with a warning.

use serde_json::{Map, Value};

use super::{edit, keywords, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "swallowed-properties",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// Where a swallowed key goes, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Beside the property; the property cannot have properties.
    Sibling,
    /// Beside the property, because an example shows it there.
    SiblingByExample,
    /// Beside the property, for want of evidence.
    SiblingByDefault,
    /// Into the property's own `properties`, because an example shows it there.
    Own,
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let plan = plan(schema);
    if plan.is_empty() {
        return;
    }
    let props_at = child(pointer, "properties");
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    let mut last_moved: Option<(String, String)> = None;
    for (owner, key, reading) in plan {
        let owner_at = child(&props_at, &owner);
        let from = child(&owner_at, &key);
        let Some(Value::Object(owner_schema)) = props.get_mut(&owner) else {
            continue;
        };
        let owner_type = match owner_schema.get("type") {
            Some(t) => format!("\"type\": {}", edit::render(t)),
            None => "no \"type\"".to_string(),
        };
        if reading == Reading::Own {
            let inner = owner_schema
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(inner) = inner else {
                continue;
            };
            if inner.contains_key(&key) {
                log.warn(
                    RULE.name,
                    from,
                    format!("\"{key}\" is not a schema keyword, but \"{owner}\" already has a property \"{key}\"; left as is"),
                );
                continue;
            }
            let to = child(&child(&owner_at, "properties"), &key);
            let Some(value) = owner_schema.shift_remove(&key) else {
                continue;
            };
            if let Some(Value::Object(inner)) = owner_schema.get_mut("properties") {
                inner.insert(key.clone(), value);
            }
            log.note(
                RULE.name,
                &from,
                format!(
                    "\"{key}\" is not a schema keyword of property \"{owner}\" but a schema, and the example shows \
                     it inside \"{owner}\": moved to {to}, as a property of \"{owner}\""
                ),
            );
            log.moved(from, to);
            continue;
        }
        if props.contains_key(&key) {
            log.warn(
                RULE.name,
                from,
                format!(
                    "\"{key}\" is not a schema keyword of property \"{owner}\" but a schema, and looks like a \
                     sibling property, but a property \"{key}\" already exists; left as is"
                ),
            );
            continue;
        }
        let Some(value) = props
            .get_mut(&owner)
            .and_then(Value::as_object_mut)
            .and_then(|owner_schema| owner_schema.shift_remove(&key))
        else {
            continue;
        };
        // Keep the written order: the first key swallowed by `owner` goes right after it, the
        // next right after that one.
        let after = match &last_moved {
            Some((previous_owner, previous_key)) if *previous_owner == owner => {
                previous_key.clone()
            }
            _ => owner.clone(),
        };
        edit::insert_after(props, &after, key.clone(), value);
        last_moved = Some((owner.clone(), key.clone()));
        let to = child(&props_at, &key);
        let why = match reading {
            Reading::Sibling => format!("property \"{owner}\" ({owner_type}) is not an object schema"),
            Reading::SiblingByExample => {
                format!("the example shows it beside property \"{owner}\", not inside it")
            }
            _ => format!(
                "it may be a property of \"{owner}\" or its sibling, and no example decides, so the sibling \
                 reading (a property nested one level too deep) was taken"
            ),
        };
        let message = format!(
            "\"{key}\" is not a schema keyword of property \"{owner}\" but a schema, and {why}: moved to {to}, as a \
             sibling property of \"{owner}\""
        );
        if reading == Reading::SiblingByDefault {
            log.warn(RULE.name, &from, message);
        } else {
            log.note(RULE.name, &from, message);
        }
        log.moved(from, to);
    }
}

/// The swallowed keys of each property, in the written order, with the reading for each.
fn plan(schema: &Map<String, Value>) -> Vec<(String, String, Reading)> {
    let Some(Value::Object(props)) = schema.get("properties") else {
        return Vec::new();
    };
    let outer_example = schema.get("example").and_then(Value::as_object);
    let mut plan = Vec::new();
    for (owner, owner_schema) in props {
        let Value::Object(owner_schema) = owner_schema else {
            continue;
        };
        if owner_schema.contains_key("items") {
            continue;
        }
        let is_object = match owner_schema.get("type") {
            Some(Value::String(t)) => t == "object",
            Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
            _ => false,
        } || owner_schema.get("properties").is_some_and(Value::is_object);
        let owner_example = outer_example
            .and_then(|example| example.get(owner))
            .and_then(Value::as_object)
            .or_else(|| owner_schema.get("example").and_then(Value::as_object));
        for (key, value) in owner_schema {
            if !keywords::is_stray(key) || !keywords::looks_like_schema(value) {
                continue;
            }
            let reading = if !is_object {
                Reading::Sibling
            } else if outer_example.is_some_and(|example| example.contains_key(key)) {
                Reading::SiblingByExample
            } else if owner_example.is_some_and(|example| example.contains_key(key)) {
                Reading::Own
            } else {
                Reading::SiblingByDefault
            };
            plan.push((owner.clone(), key.clone(), reading));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn moves_swallowed_properties_out_after_their_host() {
        let input = schema_doc(json!({
            "type": "object",
            "properties": {
                "status": {
                    "type": "enum",
                    "enum": ["a", "b"],
                    "statusText": {"type": "string"},
                    "limited": {"type": "boolean"}
                },
                "last": {"type": "string"}
            }
        }));
        let expected = schema_doc(json!({
            "type": "object",
            "properties": {
                "status": {"type": "enum", "enum": ["a", "b"]},
                "statusText": {"type": "string"},
                "limited": {"type": "boolean"},
                "last": {"type": "string"}
            }
        }));
        check(
            &RULE,
            input.clone(),
            expected,
            &[
                (
                    Note,
                    "#/components/schemas/X/properties/status/statusText",
                    "\"statusText\" is not a schema keyword of property \"status\" but a schema, and property \
                     \"status\" (\"type\": \"enum\") is not an object schema: moved to \
                     #/components/schemas/X/properties/statusText, as a sibling property of \"status\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/status/limited",
                    "\"limited\" is not a schema keyword of property \"status\" but a schema, and property \
                     \"status\" (\"type\": \"enum\") is not an object schema: moved to \
                     #/components/schemas/X/properties/limited, as a sibling property of \"status\"",
                ),
            ],
        );
        let mut document = input;
        (RULE.run)(&mut document, &mut RepairLog::default());
        let names: Vec<&String> = document["components"]["schemas"]["X"]["properties"]
            .as_object()
            .map(|props| props.keys().collect())
            .unwrap_or_default();
        assert_eq!(names, ["status", "statusText", "limited", "last"]);
    }

    #[test]
    fn object_hosts_follow_the_example() {
        check(
            &RULE,
            schema_doc(json!({
                "properties": {
                    "user": {"type": "object", "properties": {}, "email": {"type": "string"}},
                    "owner": {"type": "object", "properties": {}, "since": {"type": "string"}}
                },
                "example": {"user": {"email": "a@b.c"}, "owner": {}, "since": "2024"}
            })),
            schema_doc(json!({
                "properties": {
                    "user": {"type": "object", "properties": {"email": {"type": "string"}}},
                    "owner": {"type": "object", "properties": {}},
                    "since": {"type": "string"}
                },
                "example": {"user": {"email": "a@b.c"}, "owner": {}, "since": "2024"}
            })),
            &[
                (
                    Note,
                    "#/components/schemas/X/properties/user/email",
                    "\"email\" is not a schema keyword of property \"user\" but a schema, and the example shows it \
                     inside \"user\": moved to #/components/schemas/X/properties/user/properties/email, as a \
                     property of \"user\"",
                ),
                (
                    Note,
                    "#/components/schemas/X/properties/owner/since",
                    "\"since\" is not a schema keyword of property \"owner\" but a schema, and the example shows it \
                     beside property \"owner\", not inside it: moved to #/components/schemas/X/properties/since, as \
                     a sibling property of \"owner\"",
                ),
            ],
        );
    }

    #[test]
    fn object_hosts_without_evidence_warn() {
        check(
            &RULE,
            schema_doc(json!({"properties": {"user": {"type": "object", "email": {"type": "string"}}}})),
            schema_doc(json!({"properties": {"user": {"type": "object"}, "email": {"type": "string"}}})),
            &[(
                Warning,
                "#/components/schemas/X/properties/user/email",
                "\"email\" is not a schema keyword of property \"user\" but a schema, and it may be a property of \
                 \"user\" or its sibling, and no example decides, so the sibling reading (a property nested one \
                 level too deep) was taken: moved to #/components/schemas/X/properties/email, as a sibling \
                 property of \"user\"",
            )],
        );
    }

    #[test]
    fn keeps_existing_siblings_and_skips_arrays() {
        let unchanged = schema_doc(json!({
            "properties": {
                "a": {"type": "string", "b": {"type": "string"}},
                "b": {"type": "integer"},
                "list": {"type": "array", "items": {}, "size": {"type": "integer"}}
            }
        }));
        check(
            &RULE,
            unchanged.clone(),
            unchanged,
            &[(
                Warning,
                "#/components/schemas/X/properties/a/b",
                "\"b\" is not a schema keyword of property \"a\" but a schema, and looks like a sibling property, \
                 but a property \"b\" already exists; left as is",
            )],
        );
    }
}
