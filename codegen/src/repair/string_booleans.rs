//! `string-booleans`: a boolean field written as a string (`required: optional`).
//!
//! Some documents spell flags as words: `required: "true"`, `required: optional`,
//! `nullable: "false"`. The words that can only mean one thing are read as booleans: `true`,
//! `yes`, `required` → `true`; `false`, `no`, `optional` → `false` (case-insensitive). Fields:
//! `required`, `deprecated`, `allowEmptyValue`, `explode` and `allowReserved` of parameters and
//! headers, and `nullable`, `readOnly`, `writeOnly`, `deprecated` and `uniqueItems` of schemas
//! (a schema's `required` is a list of names, and is not touched). Any other string is left for
//! the parse stage to report.

use serde_json::{Map, Value};

use super::{walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "string-booleans",
    run,
    trigger: Trigger::string_valued(&[
        "required",
        "deprecated",
        "allowEmptyValue",
        "explode",
        "allowReserved",
        "nullable",
        "readOnly",
        "writeOnly",
        "uniqueItems",
    ]),
};

const PARAMETER_FLAGS: &[&str] = &[
    "required",
    "deprecated",
    "allowEmptyValue",
    "explode",
    "allowReserved",
];
const SCHEMA_FLAGS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
];

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::parameters(document, |parameter, pointer| {
        repair(parameter, pointer, PARAMETER_FLAGS, log)
    });
    walk::schemas(document, |schema, pointer| {
        repair(schema, pointer, SCHEMA_FLAGS, log)
    });
}

/// The boolean a word stands for, if it can only mean one.
fn as_boolean(word: &str) -> Option<bool> {
    match word.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "required" => Some(true),
        "false" | "no" | "optional" => Some(false),
        _ => None,
    }
}

fn repair(object: &mut Map<String, Value>, pointer: &str, flags: &[&str], log: &mut RepairLog) {
    for flag in flags {
        let Some(Value::String(word)) = object.get(*flag) else {
            continue;
        };
        let Some(value) = as_boolean(word) else {
            continue;
        };
        let message = format!("\"{flag}\": \"{word}\" (a string) replaced by the boolean {value}");
        object.insert((*flag).to_string(), Value::Bool(value));
        log.note(RULE.name, pointer, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    #[test]
    fn words_become_booleans() {
        check(
            &RULE,
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "q", "in": "query", "required": "optional", "schema": {"type": "string", "nullable": "True"}},
                {"name": "h", "in": "header", "required": "maybe"}
            ]}}}}),
            json!({"paths": {"/a": {"get": {"parameters": [
                {"name": "q", "in": "query", "required": false, "schema": {"type": "string", "nullable": true}},
                {"name": "h", "in": "header", "required": "maybe"}
            ]}}}}),
            &[
                (
                    Note,
                    "#/paths/~1a/get/parameters/0",
                    "\"required\": \"optional\" (a string) replaced by the boolean false",
                ),
                (
                    Note,
                    "#/paths/~1a/get/parameters/0/schema",
                    "\"nullable\": \"True\" (a string) replaced by the boolean true",
                ),
            ],
        );
    }

    #[test]
    fn schema_required_lists_are_not_flags() {
        let unchanged =
            json!({"components": {"schemas": {"A": {"required": ["id"], "readOnly": true}}}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
