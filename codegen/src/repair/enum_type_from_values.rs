//! `enum-type-from-values`: `"type": "enum"`.
//!
//! `enum` is not a JSON Schema type; authors who write `"type": "enum"` mean "one of the values
//! listed in `enum`", whose type the values themselves tell: all strings → `string`, all whole
//! numbers → `integer`, numbers → `number`, all booleans → `boolean` (likewise `object`,
//! `array`). A `null` among the values adds `"nullable": true`. Values of mixed types admit no
//! single type: `type` is dropped (the `enum` still constrains the values), with a warning.

use serde_json::{Map, Value};

use super::{keywords, walk, RepairLog, Rule};

pub const RULE: Rule = Rule {
    name: "enum-type-from-values",
    run,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    if schema.get("type").and_then(Value::as_str) != Some("enum") {
        return;
    }
    let values: &[Value] = match schema.get("enum") {
        Some(Value::Array(values)) => values,
        _ => &[],
    };
    let nulls = values.iter().filter(|v| v.is_null()).count();
    let mut types: Vec<&str> = Vec::new();
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
        [single] => {
            let inferred = (*single).to_string();
            schema.insert("type".to_string(), Value::String(inferred.clone()));
            let non_null = if nulls == 0 { "" } else { "non-null " };
            let evidence = if count == 1 {
                let article = if matches!(*single, "integer" | "array" | "object") {
                    "an"
                } else {
                    "a"
                };
                format!("the only {non_null}enum value is {article} {single}")
            } else {
                format!("all {count} {non_null}enum values are {single}s")
            };
            let mut message = format!("\"type\": \"enum\" replaced by \"{inferred}\" ({evidence})");
            if nulls > 0 && schema.get("nullable") != Some(&Value::Bool(true)) {
                schema.insert("nullable".to_string(), Value::Bool(true));
                message.push_str(", and \"nullable\": true added (null is one of the values)");
            }
            log.note(RULE.name, pointer, message);
        }
        [] => {
            schema.shift_remove("type");
            log.warn(
                RULE.name,
                pointer,
                "\"type\": \"enum\" removed: there are no (non-null) enum values to infer a type from",
            );
        }
        several => {
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
    fn leaves_real_types() {
        let unchanged = schema_doc(json!({"type": "string", "enum": ["enum"]}));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
