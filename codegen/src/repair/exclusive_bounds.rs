//! `exclusive-bounds`: numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema, OpenAPI 3.1)
//! in 3.0 form.
//!
//! In 3.1 `exclusiveMinimum: n` is itself the bound ("greater than n"); in 3.0 it is a flag on
//! `minimum`. So `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`. When the schema
//! also has a `minimum` (both apply in 3.1), the stricter bound wins: a `minimum` above `n` makes
//! the exclusive bound redundant, and it is dropped. The same holds for the maximum, mirrored.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "exclusive-bounds",
    run,
    trigger: Trigger::keys(&["exclusiveMinimum", "exclusiveMaximum"]),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(limit)) = schema.get(exclusive).cloned() else {
            continue;
        };
        let limit_f = limit.as_f64().unwrap_or(0.0);
        let existing = schema.get(bound).and_then(Value::as_f64);
        let stricter = existing.is_some_and(|b| if lower { b > limit_f } else { b < limit_f });
        if stricter {
            schema.shift_remove(exclusive);
            log.note(
                RULE.name,
                pointer,
                format!(
                    "\"{exclusive}\": {limit} removed: \"{bound}\": {} is already stricter",
                    schema.get(bound).map(edit::render).unwrap_or_default()
                ),
            );
            continue;
        }
        schema.shift_remove(bound);
        edit::insert_before(
            schema,
            exclusive,
            bound.to_string(),
            Value::Number(limit.clone()),
        );
        schema.insert(exclusive.to_string(), Value::Bool(true));
        let replaced = match existing {
            Some(b) => format!(" (replacing the weaker \"{bound}\": {b})"),
            None => String::new(),
        };
        log.note(
            RULE.name,
            pointer,
            format!("\"{exclusive}\": {limit} replaced by \"{bound}\": {limit}, \"{exclusive}\": true{replaced}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn numeric_bounds_become_flags() {
        check(
            &RULE,
            schema_doc(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5})),
            schema_doc(json!({
                "type": "number",
                "minimum": 0,
                "exclusiveMinimum": true,
                "maximum": 1.5,
                "exclusiveMaximum": true
            })),
            &[
                (
                    Note,
                    "#/components/schemas/X",
                    "\"exclusiveMinimum\": 0 replaced by \"minimum\": 0, \"exclusiveMinimum\": true",
                ),
                (
                    Note,
                    "#/components/schemas/X",
                    "\"exclusiveMaximum\": 1.5 replaced by \"maximum\": 1.5, \"exclusiveMaximum\": true",
                ),
            ],
        );
    }

    #[test]
    fn the_stricter_bound_wins() {
        check(
            &RULE,
            schema_doc(json!({"minimum": 5, "exclusiveMinimum": 1, "maximum": 10, "exclusiveMaximum": 8})),
            schema_doc(json!({"minimum": 5, "maximum": 8, "exclusiveMaximum": true})),
            &[
                (
                    Note,
                    "#/components/schemas/X",
                    "\"exclusiveMinimum\": 1 removed: \"minimum\": 5 is already stricter",
                ),
                (
                    Note,
                    "#/components/schemas/X",
                    "\"exclusiveMaximum\": 8 replaced by \"maximum\": 8, \"exclusiveMaximum\": true (replacing the \
                     weaker \"maximum\": 10)",
                ),
            ],
        );
    }

    #[test]
    fn boolean_flags_are_already_3_0() {
        let unchanged = schema_doc(json!({"minimum": 0, "exclusiveMinimum": true}));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
