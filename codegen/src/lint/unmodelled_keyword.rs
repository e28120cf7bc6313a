//! `unmodelled-keyword`: schema keywords the generated types do not model.
//!
//! The `openapiv3` model drops JSON Schema keywords it has no field for, and the generator
//! models `not` as "any value": a document that relies on them gets a looser type than it says.
//! Each schema that uses any of them gets one warning naming them all.

use serde_json::{Map, Value};

use crate::repair::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "unmodelled-keyword",
    run,
    trigger: Trigger::ALWAYS,
};

/// Keywords that constrain a value and that the generated types do not check. (Annotations
/// such as `$comment` or `contentMediaType` change no type and are not listed.)
pub const UNMODELLED: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "prefixItems",
    "additionalItems",
    "contains",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$dynamicRef",
    "$recursiveRef",
    "contentSchema",
];

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, at| check(schema, at, log));
}

fn check(schema: &Map<String, Value>, at: &str, log: &mut RepairLog) {
    let used: Vec<String> = UNMODELLED
        .iter()
        .filter(|keyword| schema.contains_key(**keyword))
        .map(|keyword| keyword.to_string())
        .collect();
    if used.is_empty() {
        return;
    }
    let verb = if used.len() == 1 { "is" } else { "are" };
    log.warn(
        RULE.name,
        at,
        format!(
            "{} {verb} not modelled: the generated type accepts values the document rules out",
            edit::quoted(&used)
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Warning;
    use crate::repair::testing::{check as check_rule, schema_doc};

    #[test]
    fn one_warning_per_schema_naming_every_keyword() {
        let document = schema_doc(json!({
            "type": "object",
            "patternProperties": {"^x": {"type": "string"}},
            "if": {"required": ["a"]},
            "then": {"required": ["b"]},
            "properties": {"list": {"type": "array", "prefixItems": [{"type": "string"}]}}
        }));
        check_rule(
            &RULE,
            document.clone(),
            document,
            &[
                (
                    Warning,
                    "#/components/schemas/X",
                    "\"if\", \"then\", \"patternProperties\" are not modelled: the generated type accepts values the \
                     document rules out",
                ),
                (
                    Warning,
                    "#/components/schemas/X/properties/list",
                    "\"prefixItems\" is not modelled: the generated type accepts values the document rules out",
                ),
            ],
        );
    }
}
