//! `ref-keyword`: `"ref"` written for `"$ref"`.
//!
//! `ref` is not a schema keyword, so a schema `{"ref": "#/components/schemas/X"}` silently
//! accepts anything instead of referring to `X`. An object key `ref` with a string value, in a
//! schema that has no `$ref`, can only be a misspelt reference: rename it (in place, keeping the
//! key order). A schema that already has `$ref` is left alone (the `ref` key is then unused).

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "ref-keyword",
    run,
    trigger: Trigger::keys(&["ref"]),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    if schema.contains_key("$ref") {
        return;
    }
    let Some(Value::String(target)) = schema.get("ref") else {
        return;
    };
    let message =
        format!("\"ref\": \"{target}\" renamed to \"$ref\" (\"ref\" is not a schema keyword)");
    edit::rename_key(schema, "ref", "$ref");
    log.note(RULE.name, pointer, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn renames_ref_to_dollar_ref() {
        check(
            &RULE,
            schema_doc(json!({"properties": {"type": {"ref": "#/components/schemas/T"}}})),
            schema_doc(json!({"properties": {"type": {"$ref": "#/components/schemas/T"}}})),
            &[(
                Note,
                "#/components/schemas/X/properties/type",
                "\"ref\": \"#/components/schemas/T\" renamed to \"$ref\" (\"ref\" is not a schema keyword)",
            )],
        );
    }

    #[test]
    fn leaves_non_strings_and_existing_refs() {
        let unchanged = schema_doc(json!({
            "properties": {
                "a": {"ref": {"type": "string"}},
                "b": {"$ref": "#/components/schemas/B", "ref": "#/components/schemas/C"}
            }
        }));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }

    #[test]
    fn a_property_named_ref_is_not_a_keyword() {
        let unchanged = schema_doc(json!({"properties": {"ref": {"type": "string"}}}));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
