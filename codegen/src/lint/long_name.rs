//! `long-name`: a name whose Rust identifier is cut.
//!
//! [`naming`](crate::naming) cuts identifiers at [`MAX_IDENT_LEN`] characters and ends them
//! with a hash of the whole name (the wire name is kept whole). The Rust name is then no longer
//! the name the document uses, so each place is reported: component schema names, property
//! names, string enum values, titles, parameter names and operation ids.

use serde_json::{Map, Value};

use crate::diagnostics::child;
use crate::naming::{is_too_long, MAX_IDENT_LEN};
use crate::repair::{walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "long-name",
    run,
    trigger: Trigger::ALWAYS,
};

fn run(document: &mut Value, log: &mut RepairLog) {
    let schemas = document
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object);
    for name in schemas.into_iter().flat_map(Map::keys) {
        check(name, &child("#/components/schemas", name), log);
    }
    walk::schemas(document, |schema, at| {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in properties.into_iter().flat_map(Map::keys) {
            check(name, &child(&child(at, "properties"), name), log);
        }
        if let Some(Value::String(title)) = schema.get("title") {
            check(title, &child(at, "title"), log);
        }
        let values = schema.get("enum").and_then(Value::as_array);
        for (i, value) in values.into_iter().flatten().enumerate() {
            if let Value::String(value) = value {
                check(value, &child(&child(at, "enum"), &i.to_string()), log);
            }
        }
    });
    walk::parameters(document, |parameter, at| {
        if let Some(Value::String(name)) = parameter.get("name") {
            check(name, &child(at, "name"), log);
        }
    });
    walk::operations(document, |operation, at| {
        if let Some(Value::String(id)) = operation.get("operationId") {
            check(id, &child(at, "operationId"), log);
        }
    });
}

fn check(name: &str, at: &str, log: &mut RepairLog) {
    if !is_too_long(name) {
        return;
    }
    log.warn(
        RULE.name,
        at,
        format!(
            "this name is {} characters long: its Rust identifier is cut to {MAX_IDENT_LEN} characters and \
             ends with a hash of the whole name (the wire name is kept)",
            name.chars().count()
        ),
    );
    log.hint("give the type a shorter `title`, or rename it, with an overlay");
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Severity::Warning;
    use crate::repair::testing::check as check_rule;

    #[test]
    fn long_names_are_reported_where_written() {
        let long = "a".repeat(100);
        let document = json!({
            "paths": {"/a": {"get": {"operationId": long, "parameters": [{"name": long, "in": "query"}]}}},
            "components": {"schemas": {long.clone(): {
                "properties": {long.clone(): {"enum": ["ok", long.clone()]}, "short": {}}
            }}}
        });
        let message = "this name is 100 characters long: its Rust identifier is cut to 64 characters and ends \
                       with a hash of the whole name (the wire name is kept)";
        let schema = format!("#/components/schemas/{long}");
        let property = format!("{schema}/properties/{long}");
        check_rule(
            &RULE,
            document.clone(),
            document,
            &[
                (Warning, schema.as_str(), message),
                (Warning, property.as_str(), message),
                (Warning, &format!("{property}/enum/1"), message),
                (Warning, "#/paths/~1a/get/parameters/0/name", message),
                (Warning, "#/paths/~1a/get/operationId", message),
            ],
        );
    }
}
