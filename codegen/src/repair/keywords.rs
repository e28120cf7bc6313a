//! The schema keyword table: which keys of a schema object are keywords, and which of them hold
//! subschemas. Rules use it to tell a keyword from a stray key that an author misplaced.

use serde_json::Value;

/// What a schema keyword's value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One subschema (`not`, `items`, `additionalProperties`, …).
    Schema,
    /// A list of subschemas (`allOf`, `oneOf`, `anyOf`, `prefixItems`).
    SchemaList,
    /// A map from names to subschemas (`properties`, `patternProperties`, `$defs`, …).
    SchemaMap,
    /// Data or an annotation, never walked into (`enum`, `default`, `example`, `required`, …).
    Value,
}

/// Keywords of JSON Schema (draft 4 to 2020-12) and of the OpenAPI 3.0/3.1 Schema Object.
const KEYWORDS: &[(&str, Kind)] = &[
    // Subschemas.
    ("not", Kind::Schema),
    ("items", Kind::Schema),
    ("additionalItems", Kind::Schema),
    ("additionalProperties", Kind::Schema),
    ("contains", Kind::Schema),
    ("if", Kind::Schema),
    ("then", Kind::Schema),
    ("else", Kind::Schema),
    ("propertyNames", Kind::Schema),
    ("unevaluatedItems", Kind::Schema),
    ("unevaluatedProperties", Kind::Schema),
    ("contentSchema", Kind::Schema),
    ("allOf", Kind::SchemaList),
    ("oneOf", Kind::SchemaList),
    ("anyOf", Kind::SchemaList),
    ("prefixItems", Kind::SchemaList),
    ("properties", Kind::SchemaMap),
    ("patternProperties", Kind::SchemaMap),
    ("dependentSchemas", Kind::SchemaMap),
    ("$defs", Kind::SchemaMap),
    ("definitions", Kind::SchemaMap),
    // Values and annotations.
    ("type", Kind::Value),
    ("format", Kind::Value),
    ("title", Kind::Value),
    ("description", Kind::Value),
    ("default", Kind::Value),
    ("example", Kind::Value),
    ("examples", Kind::Value),
    ("enum", Kind::Value),
    ("const", Kind::Value),
    ("multipleOf", Kind::Value),
    ("maximum", Kind::Value),
    ("exclusiveMaximum", Kind::Value),
    ("minimum", Kind::Value),
    ("exclusiveMinimum", Kind::Value),
    ("maxLength", Kind::Value),
    ("minLength", Kind::Value),
    ("pattern", Kind::Value),
    ("maxItems", Kind::Value),
    ("minItems", Kind::Value),
    ("uniqueItems", Kind::Value),
    ("maxContains", Kind::Value),
    ("minContains", Kind::Value),
    ("maxProperties", Kind::Value),
    ("minProperties", Kind::Value),
    ("required", Kind::Value),
    ("dependentRequired", Kind::Value),
    ("dependencies", Kind::Value),
    ("contentEncoding", Kind::Value),
    ("contentMediaType", Kind::Value),
    ("deprecated", Kind::Value),
    ("readOnly", Kind::Value),
    ("writeOnly", Kind::Value),
    ("$ref", Kind::Value),
    ("$id", Kind::Value),
    ("id", Kind::Value),
    ("$schema", Kind::Value),
    ("$anchor", Kind::Value),
    ("$dynamicRef", Kind::Value),
    ("$dynamicAnchor", Kind::Value),
    ("$recursiveRef", Kind::Value),
    ("$recursiveAnchor", Kind::Value),
    ("$vocabulary", Kind::Value),
    ("$comment", Kind::Value),
    // OpenAPI additions.
    ("nullable", Kind::Value),
    ("discriminator", Kind::Value),
    ("xml", Kind::Value),
    ("externalDocs", Kind::Value),
];

/// The JSON Schema type names.
pub const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// The kind of `key` if it is a schema keyword.
pub fn kind(key: &str) -> Option<Kind> {
    KEYWORDS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, kind)| *kind)
}

/// Whether `key` is a schema keyword.
pub fn is_keyword(key: &str) -> bool {
    kind(key).is_some()
}

/// Whether `key` is a specification extension (`x-…`), which may hold anything.
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// Whether `key` in a schema object is neither a keyword nor an extension: a key the author
/// misplaced (or misspelt).
pub fn is_stray(key: &str) -> bool {
    !is_keyword(key) && !is_extension(key)
}

/// Whether a value looks like a schema: an object with at least one of the keywords that only a
/// schema has (`type`, `$ref`, its misspelling `ref`, `properties`, `items`, `enum`, or a
/// composition). Used to recognise schemas written where no schema belongs.
pub fn looks_like_schema(value: &Value) -> bool {
    const MARKERS: &[&str] = &[
        "type",
        "$ref",
        "ref",
        "properties",
        "items",
        "enum",
        "allOf",
        "oneOf",
        "anyOf",
    ];
    value
        .as_object()
        .is_some_and(|map| MARKERS.iter().any(|marker| map.contains_key(*marker)))
}

/// Whether a `type` value names only `null` (`"null"` or `["null"]`).
pub fn is_null_type(value: &Value) -> bool {
    match value {
        Value::String(s) => s == "null",
        Value::Array(types) => !types.is_empty() && types.iter().all(|t| t == "null"),
        _ => false,
    }
}

/// The JSON Schema type of a value (`integer` for whole numbers written without a fraction).
pub fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_strays_and_schema_lookalikes() {
        assert_eq!(kind("properties"), Some(Kind::SchemaMap));
        assert_eq!(kind("allOf"), Some(Kind::SchemaList));
        assert_eq!(kind("minAmount"), None);
        assert!(is_stray("minAmount"));
        assert!(!is_stray("x-go-name"));
        assert!(!is_stray("nullable"));
        assert!(looks_like_schema(&json!({"ref": "#/x"})));
        assert!(looks_like_schema(&json!({"type": "number"})));
        assert!(!looks_like_schema(&json!({"description": "no marker"})));
        assert!(!looks_like_schema(&json!("string")));
        assert!(is_null_type(&json!(["null"])));
        assert!(!is_null_type(&json!(["null", "string"])));
        assert!(!is_null_type(&json!([])));
        assert_eq!(type_of(&json!(3)), "integer");
        assert_eq!(type_of(&json!(3.5)), "number");
    }
}
