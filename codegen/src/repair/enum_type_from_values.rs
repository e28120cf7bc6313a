//! `enum-type-from-values`: `"type": "enum"`.
//!
//! `enum` is not a JSON Schema type; authors who write `"type": "enum"` mean "one of the values
//! listed in `enum`", whose type the values themselves tell: all strings → `string`, all whole
//! numbers → `integer`, numbers → `number`, all booleans → `boolean` (likewise `object`,
//! `array`). A `null` among the values adds `"nullable": true`. Values of mixed types admit no
//! single type: `type` is dropped (the `enum` still constrains the values), with a warning.
//!
//! An `enum` with no `type` at all is read the same way: its values tell the type, which is
//! added; values of several types (or none) leave the schema untyped — any JSON value — and say
//! so, since the generated field then loses its typing.

use serde_json::{Map, Value};

use super::{keywords, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "enum-type-from-values",
    run,
    trigger: Trigger::keys(&["enum"]).or_unusual_type(),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// Keywords beside which an `enum` without `type` is not the whole story: the type comes from
/// the reference or the composition.
const TYPED_ELSEWHERE: [&str; 5] = ["$ref", "allOf", "anyOf", "oneOf", "not"];

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    match schema.get("type") {
        Some(Value::String(name)) if name == "enum" => {}
        None if schema.get("enum").is_some_and(Value::is_array)
            && !TYPED_ELSEWHERE.iter().any(|k| schema.contains_key(*k)) =>
        {
            return add_missing_type(schema, pointer, log);
        }
        _ => return,
    }
    let values: Vec<Value> = match schema.get("enum") {
        Some(Value::Array(values)) => values.clone(),
        _ => Vec::new(),
    };
    match values_type(&values) {
        (Ok(single), count, nulls) => {
            let (evidence, nullable) = set_type(schema, single, count, nulls);
            let mut message = format!("\"type\": \"enum\" replaced by \"{single}\" ({evidence})");
            if nullable {
                message.push_str(", and \"nullable\": true added (null is one of the values)");
            }
            log.note(RULE.name, pointer, message);
        }
        (Err(several), _, _) if several.is_empty() => {
            schema.shift_remove("type");
            log.warn(
                RULE.name,
                pointer,
                "\"type\": \"enum\" removed: there are no (non-null) enum values to infer a type from",
            );
        }
        (Err(several), _, _) => {
            let listed = several.join(", ");
            schema.shift_remove("type");
            log.warn(
                RULE.name,
                pointer,
                format!("\"type\": \"enum\" removed: the enum values are of several types ({listed}), so no single type fits"),
            );
        }
    }
}

/// The non-null values' one type (`Err` with the types found when there are several or none),
/// how many non-null values there are, and how many nulls.
fn values_type(values: &[Value]) -> (Result<&'static str, Vec<&'static str>>, usize, usize) {
    let nulls = values.iter().filter(|v| v.is_null()).count();
    let mut types: Vec<&'static str> = Vec::new();
    for value in values.iter().filter(|v| !v.is_null()) {
        let t = keywords::type_of(value);
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.len() == 2 && types.contains(&"integer") && types.contains(&"number") {
        types = vec!["number"];
    }
    let count = values.len() - nulls;
    match types.as_slice() {
        [single] => (Ok(*single), count, nulls),
        _ => (Err(types), count, nulls),
    }
}

/// `enum` without `type`: the values' type is added, or the schema stays untyped with a warning.
fn add_missing_type(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let values: Vec<Value> = match schema.get("enum") {
        Some(Value::Array(values)) => values.clone(),
        _ => return,
    };
    match values_type(&values) {
        (Ok(single), count, nulls) => {
            let (evidence, nullable) = set_type(schema, single, count, nulls);
            let mut message = format!("\"type\": \"{single}\" added ({evidence})");
            if nullable {
                message.push_str(", and \"nullable\": true (null is one of the values)");
            }
            log.note(RULE.name, pointer, message);
        }
        (Err(several), _, _) if several.is_empty() => log.warn(
            RULE.name,
            pointer,
            "an `enum` without `type` and no (non-null) values to infer one from: the schema stays untyped (any JSON value)",
        ),
        (Err(several), _, _) => log.warn(
            RULE.name,
            pointer,
            format!(
                "an `enum` without `type` whose values are of several types ({}): the schema stays untyped (any JSON value)",
                several.join(", ")
            ),
        ),
    }
}

/// Sets `type` to `single` (the type of the `count` non-null values), and `nullable` when one of
/// the values is null; the evidence for the message, and whether `nullable` was added.
fn set_type(
    schema: &mut Map<String, Value>,
    single: &str,
    count: usize,
    nulls: usize,
) -> (String, bool) {
    schema.insert("type".to_string(), Value::String(single.to_string()));
    let non_null = if nulls == 0 { "" } else { "non-null " };
    let evidence = if count == 1 {
        format!(
            "the only {non_null}enum value is {} {single}",
            article(single)
        )
    } else {
        format!("all {count} {non_null}enum values are {single}s")
    };
    let add_nullable = nulls > 0 && schema.get("nullable") != Some(&Value::Bool(true));
    if add_nullable {
        schema.insert("nullable".to_string(), Value::Bool(true));
    }
    (evidence, add_nullable)
}

fn article(type_name: &str) -> &'static str {
    if matches!(type_name, "integer" | "array" | "object") {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    fn infers(values: Value, expected: Value, message: &str) {
        check(
            &RULE,
            schema_doc(json!({"type": "enum", "enum": values.clone()})),
            schema_doc(expected),
            &[(Note, "#/components/schemas/X", message)],
        );
    }

    #[test]
    fn infers_the_type_from_the_values() {
        infers(
            json!(["initiated", "approved", "rejected", "invalid"]),
            json!({"type": "string", "enum": ["initiated", "approved", "rejected", "invalid"]}),
            "\"type\": \"enum\" replaced by \"string\" (all 4 enum values are strings)",
        );
        infers(
            json!([1, 2]),
            json!({"type": "integer", "enum": [1, 2]}),
            "\"type\": \"enum\" replaced by \"integer\" (all 2 enum values are integers)",
        );
        infers(
            json!([1, 2.5]),
            json!({"type": "number", "enum": [1, 2.5]}),
            "\"type\": \"enum\" replaced by \"number\" (all 2 enum values are numbers)",
        );
        infers(
            json!([true]),
            json!({"type": "boolean", "enum": [true]}),
            "\"type\": \"enum\" replaced by \"boolean\" (the only enum value is a boolean)",
        );
        infers(
            json!(["a", null]),
            json!({"type": "string", "enum": ["a", null], "nullable": true}),
            "\"type\": \"enum\" replaced by \"string\" (the only non-null enum value is a string), and \
             \"nullable\": true added (null is one of the values)",
        );
    }

    #[test]
    fn mixed_or_missing_values_drop_the_type() {
        check(
            &RULE,
            schema_doc(json!({"type": "enum", "enum": ["a", 1]})),
            schema_doc(json!({"enum": ["a", 1]})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": \"enum\" removed: the enum values are of several types (string, integer), so no single \
                 type fits",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"type": "enum"})),
            schema_doc(json!({})),
            &[(
                Warning,
                "#/components/schemas/X",
                "\"type\": \"enum\" removed: there are no (non-null) enum values to infer a type from",
            )],
        );
    }

    #[test]
    fn an_enum_without_type_gets_its_values_type() {
        check(
            &RULE,
            schema_doc(json!({"enum": [1, 2, 3]})),
            schema_doc(json!({"enum": [1, 2, 3], "type": "integer"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"type\": \"integer\" added (all 3 enum values are integers)",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"enum": ["a", null]})),
            schema_doc(json!({"enum": ["a", null], "type": "string", "nullable": true})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"type\": \"string\" added (the only non-null enum value is a string), and \
                 \"nullable\": true (null is one of the values)",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"enum": [true, 1]})),
            schema_doc(json!({"enum": [true, 1]})),
            &[(
                Warning,
                "#/components/schemas/X",
                "an `enum` without `type` whose values are of several types (boolean, integer): the schema \
                 stays untyped (any JSON value)",
            )],
        );
        // The type comes from elsewhere.
        let referenced =
            schema_doc(json!({"enum": [1], "allOf": [{"$ref": "#/components/schemas/Y"}]}));
        check(&RULE, referenced.clone(), referenced, &[]);
    }

    #[test]
    fn leaves_real_types() {
        let unchanged = schema_doc(json!({"type": "string", "enum": ["enum"]}));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
