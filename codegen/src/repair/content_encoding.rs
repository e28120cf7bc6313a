//! `content-encoding`: a string schema's `contentEncoding` (JSON Schema, OpenAPI 3.1) as the
//! 3.0 `format` that means the same.
//!
//! OpenAPI 3.1 describes binary strings with `contentEncoding`: `base64` (or `base64url`) text
//! is 3.0's `format: byte`, and unencoded raw bytes (`binary`) are 3.0's `format: binary`,
//! which is what makes a multipart property a file part. The `contentEncoding` keyword is kept;
//! a schema that already has a `format`, or whose `type` is not `string`, is left alone, as is
//! any other encoding (`7bit`, `quoted-printable`, …), which describes text.

use serde_json::{Map, Value};

use super::{edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "content-encoding",
    run,
    trigger: Trigger::keys(&["contentEncoding"]),
};

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

/// The 3.0 `format` for a `contentEncoding`, if it has one.
fn format_for(encoding: &str) -> Option<&'static str> {
    match encoding.to_ascii_lowercase().as_str() {
        "base64" | "base64url" => Some("byte"),
        "binary" => Some("binary"),
        _ => None,
    }
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(Value::String(encoding)) = schema.get("contentEncoding") else {
        return;
    };
    let Some(format) = format_for(encoding) else {
        return;
    };
    let is_string = schema.get("type").is_none_or(|t| t == "string");
    if schema.contains_key("format") || !is_string {
        return;
    }
    let message = format!(
        "\"contentEncoding\": \"{encoding}\" also written as \"format\": \"{format}\" (its OpenAPI 3.0 form)"
    );
    edit::insert_after(
        schema,
        "contentEncoding",
        "format".to_string(),
        Value::String(format.to_string()),
    );
    log.note(RULE.name, pointer, message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn binary_and_base64_encodings_become_formats() {
        check(
            &RULE,
            schema_doc(json!({"type": "string", "contentEncoding": "binary"})),
            schema_doc(json!({"type": "string", "contentEncoding": "binary", "format": "binary"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"contentEncoding\": \"binary\" also written as \"format\": \"binary\" (its OpenAPI 3.0 form)",
            )],
        );
        check(
            &RULE,
            schema_doc(json!({"contentEncoding": "base64", "description": "d"})),
            schema_doc(json!({"contentEncoding": "base64", "format": "byte", "description": "d"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"contentEncoding\": \"base64\" also written as \"format\": \"byte\" (its OpenAPI 3.0 form)",
            )],
        );
    }

    #[test]
    fn a_format_another_type_or_a_text_encoding_is_left_alone() {
        for schema in [
            json!({"type": "string", "format": "uri", "contentEncoding": "binary"}),
            json!({"type": "object", "contentEncoding": "binary"}),
            json!({"type": "string", "contentEncoding": "quoted-printable"}),
            json!({"type": "string", "contentEncoding": 7}),
        ] {
            check(&RULE, schema_doc(schema.clone()), schema_doc(schema), &[]);
        }
    }

    #[test]
    fn nested_property_schemas_are_repaired() {
        check(
            &RULE,
            schema_doc(json!({"type": "object", "properties": {"file": {"type": "string", "contentEncoding": "binary"}}})),
            schema_doc(json!({"type": "object", "properties": {"file": {"type": "string", "contentEncoding": "binary", "format": "binary"}}})),
            &[(
                Note,
                "#/components/schemas/X/properties/file",
                "\"contentEncoding\": \"binary\" also written as \"format\": \"binary\" (its OpenAPI 3.0 form)",
            )],
        );
    }
}
