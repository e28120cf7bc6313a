//! `dangling-ref`: a `$ref` to a component schema that is not defined.
//!
//! `{"$ref": "#/components/schemas/X"}` where the document defines no schema `X` cannot be
//! resolved, yet the author clearly meant *some* value there. Rather than drop the property (and
//! lose it silently), the rule defines `X` as an unconstrained schema, so the field survives as
//! "any JSON value", and warns at every place that refers to it: an overlay (or the provider)
//! should supply the real definition.
//!
//! Only references of the exact form `#/components/schemas/<name>` are handled; references to
//! other missing components, or into a schema, are left for later stages to report as errors.

use serde_json::{json, Map, Value};

use super::{walk, RepairLog, Rule, Trigger};
use crate::diagnostics::{pointer, segments};

pub const RULE: Rule = Rule {
    name: "dangling-ref",
    run,
    trigger: Trigger::ALWAYS,
};

const PREFIX: &str = "#/components/schemas/";

fn run(document: &mut Value, log: &mut RepairLog) {
    let mut references: Vec<(String, String)> = Vec::new();
    walk::schemas(document, |schema, pointer| {
        if let Some(Value::String(target)) = schema.get("$ref") {
            if let Some(name) = schema_name(target) {
                references.push((pointer.to_string(), name));
            }
        }
    });
    let defined = |document: &Value, name: &str| {
        document
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object)
            .is_some_and(|schemas| schemas.contains_key(name))
    };
    let missing: Vec<String> = references
        .iter()
        .filter(|(_, name)| !defined(document, name))
        .map(|(_, name)| name.clone())
        .collect();
    for (referrer, name) in references {
        if !missing.contains(&name) {
            continue;
        }
        if !defined(document, &name) {
            let Some(schemas) = schemas_mut(document) else {
                // `components` or `components.schemas` is not an object: later stages report it.
                return;
            };
            schemas.insert(
                name.clone(),
                json!({"description": "Referenced by the document but never defined; any JSON value is accepted."}),
            );
        }
        log.warn(
            RULE.name,
            referrer,
            format!(
                "\"$ref\" points to {}, which is not defined: defined it as an unconstrained schema (any JSON value \
                 is accepted)",
                pointer(["components", "schemas", name.as_str()])
            ),
        );
        log.hint(format!(
            "if the provider documents what `{name}` is, add it in the overlay beside the spec: \
             an action with `target: $.components.schemas` and `update: {{{name}: <schema>}}`"
        ));
    }
}

/// The schema name of a `#/components/schemas/<name>` reference (unescaped).
fn schema_name(target: &str) -> Option<String> {
    let rest = target.strip_prefix(PREFIX)?;
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    segments(target).pop()
}

/// `components.schemas`, created if absent; `None` if something else is in the way.
fn schemas_mut(document: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = document.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Warning;
    use crate::repair::testing::check;

    #[test]
    fn defines_missing_schemas_and_warns_at_each_use() {
        check(
            &RULE,
            json!({"components": {"schemas": {
                "A": {"properties": {
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "other": {"$ref": "#/components/schemas/Kind"},
                    "b": {"$ref": "#/components/schemas/A"}
                }}
            }}}),
            json!({"components": {"schemas": {
                "A": {"properties": {
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "other": {"$ref": "#/components/schemas/Kind"},
                    "b": {"$ref": "#/components/schemas/A"}
                }},
                "Kind": {"description": "Referenced by the document but never defined; any JSON value is accepted."}
            }}}),
            &[
                (
                    Warning,
                    "#/components/schemas/A/properties/kind",
                    "\"$ref\" points to #/components/schemas/Kind, which is not defined: defined it as an \
                     unconstrained schema (any JSON value is accepted)",
                ),
                (
                    Warning,
                    "#/components/schemas/A/properties/other",
                    "\"$ref\" points to #/components/schemas/Kind, which is not defined: defined it as an \
                     unconstrained schema (any JSON value is accepted)",
                ),
            ],
        );
    }

    #[test]
    fn creates_components_and_ignores_other_refs() {
        check(
            &RULE,
            json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"a/b": {"schema": {
                "items": {"$ref": "#/components/schemas/A~1B"},
                "not": {"$ref": "#/components/schemas/C/properties/x"},
                "allOf": [{"$ref": "other.json#/X"}]
            }}}}}}}}}),
            json!({
                "paths": {"/a": {"get": {"responses": {"200": {"content": {"a/b": {"schema": {
                    "items": {"$ref": "#/components/schemas/A~1B"},
                    "not": {"$ref": "#/components/schemas/C/properties/x"},
                    "allOf": [{"$ref": "other.json#/X"}]
                }}}}}}}},
                "components": {"schemas": {"A/B": {
                    "description": "Referenced by the document but never defined; any JSON value is accepted."
                }}}
            }),
            &[(
                Warning,
                "#/paths/~1a/get/responses/200/content/a~1b/schema/items",
                "\"$ref\" points to #/components/schemas/A~1B, which is not defined: defined it as an unconstrained \
                 schema (any JSON value is accepted)",
            )],
        );
        let unchanged = json!({"components": [], "paths": {"/a": {"parameters": [{"schema": {"$ref": "#/components/schemas/Z"}}]}}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
