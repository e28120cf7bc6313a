//! `case-duplicate-schemas`: one schema defined twice under names that differ only in case.
//!
//! Documents assembled from several pages name the same schema as each page's author spelled it
//! (`OfframpNetwork` on one page, `OffRampNetwork` on another, with the same content). Generated
//! as written, that is two Rust types a user must convert between. When component schemas have
//! names equal but for case *and* identical content, the first in document order is the
//! canonical one: every `$ref` to another is pointed at it, and the other becomes a `$ref` to it
//! (an alias, so code naming it still compiles). Schemas whose content differs in any way
//! (a description, an enum value) are left alone: they may be meant to differ.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{component_schema, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "case-duplicate-schemas",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    let Some(schemas) = document
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
    else {
        return;
    };
    // (duplicate, canonical), in document order.
    let mut aliases: Vec<(String, String)> = Vec::new();
    // The earlier names under each lowercased name, in document order: one look-up per schema,
    // not a comparison with every earlier one.
    let mut by_lowercase: HashMap<String, Vec<&String>> = HashMap::new();
    for (name, schema) in schemas {
        let earlier = by_lowercase.entry(name.to_lowercase()).or_default();
        if !is_alias(schema) {
            if let Some(canonical) = earlier.iter().find(|e| schemas[e.as_str()] == *schema) {
                aliases.push((name.clone(), (*canonical).clone()));
            }
        }
        earlier.push(name);
    }
    if aliases.is_empty() {
        return;
    }

    // Point every reference at the canonical schema (references as written: names escaped).
    let mut counts = vec![0usize; aliases.len()];
    let by_reference: HashMap<String, (usize, String)> = aliases
        .iter()
        .enumerate()
        .map(|(index, (duplicate, canonical))| {
            (
                component_schema(duplicate),
                (index, component_schema(canonical)),
            )
        })
        .collect();
    walk::schemas(document, |schema, _| {
        let Some(Value::String(target)) = schema.get_mut("$ref") else {
            return;
        };
        if let Some((index, canonical)) = by_reference.get(target.as_str()) {
            *target = canonical.clone();
            counts[*index] += 1;
        }
    });
    let Some(schemas) = document
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for ((duplicate, canonical), count) in aliases.iter().zip(counts) {
        schemas.insert(
            duplicate.clone(),
            json!({"$ref": component_schema(canonical)}),
        );
        log.note(
            RULE.name,
            component_schema(duplicate),
            format!(
                "`{duplicate}` has the same content as `{canonical}` under a name that differs \
                 only in case: one type, `{canonical}`; `{duplicate}` is now an alias of it{}",
                match count {
                    0 => String::new(),
                    1 => " and the $ref to it points to it".to_string(),
                    n => format!(" and the {n} $refs to it point to it"),
                }
            ),
        );
    }
}

/// Whether a schema is only a `$ref` (already an alias).
fn is_alias(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|s: &Map<String, Value>| s.len() == 1 && s.contains_key("$ref"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;

    #[test]
    fn a_case_variant_with_the_same_content_becomes_an_alias() {
        let network = json!({"type": "string", "enum": ["CELO", "POLYGON"]});
        check(
            &RULE,
            json!({"components": {"schemas": {
                "OfframpNetwork": network,
                "Order": {"type": "object", "properties": {
                    "network": {"$ref": "#/components/schemas/OffRampNetwork"},
                    "other": {"$ref": "#/components/schemas/OfframpNetwork"}
                }},
                "OffRampNetwork": network,
            }}}),
            json!({"components": {"schemas": {
                "OfframpNetwork": network,
                "Order": {"type": "object", "properties": {
                    "network": {"$ref": "#/components/schemas/OfframpNetwork"},
                    "other": {"$ref": "#/components/schemas/OfframpNetwork"}
                }},
                "OffRampNetwork": {"$ref": "#/components/schemas/OfframpNetwork"},
            }}}),
            &[(
                Note,
                "#/components/schemas/OffRampNetwork",
                "`OffRampNetwork` has the same content as `OfframpNetwork` under a name that \
                 differs only in case: one type, `OfframpNetwork`; `OffRampNetwork` is now an \
                 alias of it and the $ref to it points to it",
            )],
        );
    }

    #[test]
    fn different_content_or_different_names_are_left_alone() {
        let unchanged = json!({"components": {"schemas": {
            "OfframpAsset": {"type": "string", "enum": ["USDC"]},
            "OffRampAsset": {"type": "string", "enum": ["USDC", "USDT"]},
            "Asset": {"type": "string", "enum": ["USDC"]},
        }}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }
}
