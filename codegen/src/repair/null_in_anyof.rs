//! `null-in-anyof`: a `{"type": "null"}` branch of `anyOf`/`oneOf` (OpenAPI 3.1).
//!
//! 3.1 writes "T or null" as `anyOf: [T, {"type": "null"}]`; 3.0 has no null type and says
//! `nullable: true` instead. The null branches (`type` `"null"` or `["null"]`) are removed and
//! the schema gets `nullable: true`. What remains:
//!
//! - one `$ref` branch → `allOf: [that]` (the 3.0 idiom for a nullable reference; a bare `$ref`
//!   would drop `nullable`);
//! - one inline branch → its keywords merged into the schema when none of them is already there
//!   (so `nullable` sits beside the branch's `type`, where 3.0 reads it), else `anyOf: [it]`;
//! - no branch → the schema only allowed null: `nullable: true` is all 3.0 can say (a warning);
//! - several branches → they stay, with `nullable: true` beside them.

use serde_json::{Map, Value};

use super::{edit, keywords, walk, RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "null-in-anyof",
    run,
    trigger: Trigger::keys(&["anyOf", "oneOf"]),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn is_null_branch(branch: &Value) -> bool {
    branch.get("type").is_some_and(keywords::is_null_type)
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null_branch) {
            continue;
        }
        let list_at = child(pointer, key);
        let mut kept: Vec<(usize, Value)> = Vec::new();
        let mut removed = 0;
        for (i, branch) in branches.iter().enumerate() {
            if is_null_branch(branch) {
                removed += 1;
            } else {
                kept.push((i, branch.clone()));
            }
        }
        let what = if removed == 1 {
            format!(
                "the {{\"type\": \"null\"}} branch of \"{key}\" removed and \"nullable\": true set"
            )
        } else {
            format!("the {removed} {{\"type\": \"null\"}} branches of \"{key}\" removed and \"nullable\": true set")
        };
        let index = edit::position(schema, key).unwrap_or(0);
        schema.shift_remove(key);
        let mut severity_warn = false;
        let outcome = match kept.as_slice() {
            [] => {
                severity_warn = true;
                "; no branch remains, so the schema only allowed null, which OpenAPI 3.0 cannot say: it now \
                 accepts any value or null"
                    .to_string()
            }
            [(i, Value::Object(branch))] if is_plain_ref(branch) => {
                let at = child(&list_at, &i.to_string());
                let mut members = match schema.shift_remove("allOf") {
                    Some(Value::Array(members)) => members,
                    _ => Vec::new(),
                };
                let position = members.len();
                members.push(Value::Object(branch.clone()));
                schema.shift_insert(
                    index.min(schema.len()),
                    "allOf".to_string(),
                    Value::Array(members),
                );
                log.moved(at, child(&child(pointer, "allOf"), &position.to_string()));
                "; the one remaining branch, a \"$ref\", became \"allOf\": [it] so that \"nullable\" applies to it"
                    .to_string()
            }
            [(i, Value::Object(branch))] if branch.keys().all(|k| !schema.contains_key(k)) => {
                let at = child(&list_at, &i.to_string());
                let start = index.min(schema.len());
                for (offset, (k, v)) in branch.iter().enumerate() {
                    log.moved(child(&at, k), child(pointer, k));
                    schema.shift_insert(start + offset, k.clone(), v.clone());
                }
                "; the one remaining branch merged into the schema".to_string()
            }
            _ => {
                let remaining: Vec<Value> = kept.iter().map(|(_, b)| b.clone()).collect();
                for (new, (old, _)) in kept.iter().enumerate() {
                    if new != *old {
                        log.moved(
                            child(&list_at, &old.to_string()),
                            child(&list_at, &new.to_string()),
                        );
                    }
                }
                schema.shift_insert(
                    index.min(schema.len()),
                    key.to_string(),
                    Value::Array(remaining),
                );
                String::new()
            }
        };
        schema.insert("nullable".to_string(), Value::Bool(true));
        let message = format!("{what}{outcome}");
        if severity_warn {
            log.warn(RULE.name, pointer, message);
        } else {
            log.note(RULE.name, pointer, message);
        }
    }
}

/// A branch that is only a reference (extensions aside).
fn is_plain_ref(branch: &Map<String, Value>) -> bool {
    branch.get("$ref").is_some_and(Value::is_string)
        && branch
            .keys()
            .all(|k| k == "$ref" || keywords::is_extension(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{Note, Warning};
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn a_nullable_reference_becomes_all_of() {
        check(
            &RULE,
            schema_doc(json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            schema_doc(json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})),
            &[(
                Note,
                "#/components/schemas/X",
                "the {\"type\": \"null\"} branch of \"anyOf\" removed and \"nullable\": true set; the one remaining \
                 branch, a \"$ref\", became \"allOf\": [it] so that \"nullable\" applies to it",
            )],
        );
    }

    #[test]
    fn one_inline_branch_is_merged() {
        check(
            &RULE,
            schema_doc(json!({"description": "d", "oneOf": [{"type": ["null"]}, {"type": "string", "format": "uuid"}]})),
            schema_doc(json!({"description": "d", "type": "string", "format": "uuid", "nullable": true})),
            &[(
                Note,
                "#/components/schemas/X",
                "the {\"type\": \"null\"} branch of \"oneOf\" removed and \"nullable\": true set; the one remaining \
                 branch merged into the schema",
            )],
        );
        check(
            &RULE,
            schema_doc(
                json!({"description": "d", "anyOf": [{"type": "string", "description": "e"}, {"type": "null"}]}),
            ),
            schema_doc(
                json!({"description": "d", "anyOf": [{"type": "string", "description": "e"}], "nullable": true}),
            ),
            &[(
                Note,
                "#/components/schemas/X",
                "the {\"type\": \"null\"} branch of \"anyOf\" removed and \"nullable\": true set",
            )],
        );
    }

    #[test]
    fn several_branches_stay() {
        let mut log = RepairLog::default();
        let mut document = schema_doc(
            json!({"anyOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]}),
        );
        (RULE.run)(&mut document, &mut log);
        assert_eq!(
            document,
            schema_doc(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
            )
        );
        assert_eq!(
            log.original_pointer("#/components/schemas/X/anyOf/0"),
            "#/components/schemas/X/anyOf/1"
        );
    }

    #[test]
    fn only_null_warns() {
        check(
            &RULE,
            schema_doc(json!({"anyOf": [{"type": "null"}]})),
            schema_doc(json!({"nullable": true})),
            &[(
                Warning,
                "#/components/schemas/X",
                "the {\"type\": \"null\"} branch of \"anyOf\" removed and \"nullable\": true set; no branch remains, \
                 so the schema only allowed null, which OpenAPI 3.0 cannot say: it now accepts any value or null",
            )],
        );
    }

    #[test]
    fn unions_without_null_are_left_alone() {
        let unchanged =
            schema_doc(json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}]}));
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
