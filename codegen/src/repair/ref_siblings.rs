//! `ref-siblings`: keywords beside `$ref`.
//!
//! In OpenAPI 3.0 a schema with `$ref` is a Reference Object: every other keyword beside it is
//! ignored (and the `openapiv3` model drops them), while 3.1 (JSON Schema 2020-12) applies them
//! all. Authors write `{"$ref": "…", "description": "…", "nullable": true}` meaning the 3.1
//! reading, so the reference moves into `allOf` (`{"allOf": [{"$ref": "…"}], "description": …}`),
//! which 3.0 evaluates exactly like that: the referenced schema *and* the siblings. An existing
//! `allOf` gets the reference as its first member.
//!
//! Siblings that are only `x-` extensions are left beside `$ref`: they carry no validation or
//! documentation a client needs, and wrapping for them alone would turn every annotated reference
//! into a one-member `allOf`.

use serde_json::{json, Map, Value};

use super::{edit, keywords, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "ref-siblings",
    run,
    trigger: Trigger::REF_WITH_SIBLINGS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(Value::String(target)) = schema.get("$ref") else {
        return;
    };
    let target = target.clone();
    let siblings: Vec<String> = schema
        .keys()
        .filter(|k| *k != "$ref" && !keywords::is_extension(k))
        .cloned()
        .collect();
    if siblings.is_empty() {
        return;
    }
    if schema.get("allOf").is_some_and(|all| !all.is_array()) {
        log.warn(
            RULE.name,
            pointer,
            "\"$ref\" has sibling keywords, but \"allOf\" beside it is not a list; left as is",
        );
        return;
    }
    let reference = json!({"$ref": target});
    let from = child(pointer, "$ref");
    let to = child(&child(pointer, "allOf"), "0");
    if let Some(Value::Array(members)) = schema.get_mut("allOf") {
        members.insert(0, reference);
        schema.shift_remove("$ref");
        log.moved(from, child(&to, "$ref"));
        log.note(
            RULE.name,
            pointer,
            format!(
                "\"$ref\" has sibling keywords ({}), which OpenAPI 3.0 ignores: the reference moved to the front of \
                 the existing \"allOf\" so that they apply",
                edit::quoted(&siblings)
            ),
        );
        return;
    }
    edit::rename_key(schema, "$ref", "allOf");
    schema.insert("allOf".to_string(), Value::Array(vec![reference]));
    log.moved(from, child(&to, "$ref"));
    log.note(
        RULE.name,
        pointer,
        format!(
            "\"$ref\" has sibling keywords ({}), which OpenAPI 3.0 ignores: rewritten as \"allOf\": [{{\"$ref\": \
             \"{target}\"}}] beside them so that they apply",
            edit::quoted(&siblings)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};

    #[test]
    fn siblings_survive_through_all_of() {
        check(
            &RULE,
            schema_doc(json!({"description": "The owner", "$ref": "#/components/schemas/User", "nullable": true})),
            schema_doc(json!({
                "description": "The owner",
                "allOf": [{"$ref": "#/components/schemas/User"}],
                "nullable": true
            })),
            &[(
                Note,
                "#/components/schemas/X",
                "\"$ref\" has sibling keywords (\"description\", \"nullable\"), which OpenAPI 3.0 ignores: rewritten as \
                 \"allOf\": [{\"$ref\": \"#/components/schemas/User\"}] beside them so that they apply",
            )],
        );
    }

    #[test]
    fn joins_an_existing_all_of() {
        check(
            &RULE,
            schema_doc(json!({"$ref": "#/components/schemas/A", "allOf": [{"required": ["id"]}]})),
            schema_doc(json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"required": ["id"]}]})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"$ref\" has sibling keywords (\"allOf\"), which OpenAPI 3.0 ignores: the reference moved to the \
                 front of the existing \"allOf\" so that they apply",
            )],
        );
    }

    #[test]
    fn plain_refs_and_extension_siblings_are_left_alone() {
        for schema in [
            json!({"$ref": "#/components/schemas/A"}),
            json!({"$ref": "#/components/schemas/A", "x-internal": true}),
        ] {
            let unchanged = schema_doc(schema);
            check(&RULE, unchanged.clone(), unchanged, &[]);
        }
    }
}
