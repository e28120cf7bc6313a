//! Parse: the repaired JSON value → the typed `openapiv3` model (OpenAPI 3.0).

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{child, pointer, Diagnostic};

/// Deserializes the document; a mismatch is reported at the JSON pointer where it happened,
/// with every other operation or component that fails on its own reported too.
pub fn parse(value: &Value) -> Result<OpenAPI, Vec<Diagnostic>> {
    check_version(value).map_err(|d| vec![d])?;
    // Tracking the path costs an allocation per key: only a document that fails pays for it.
    if let Ok(spec) = OpenAPI::deserialize(value) {
        return Ok(spec);
    }
    serde_path_to_error::deserialize::<_, OpenAPI>(value).map_err(|error| {
        let at = pointer(error.path().iter().filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        }));
        // The model's untagged enums hide where inside them a mismatch was; look closer.
        let mut found = narrow(value);
        if found.is_empty() {
            found.push((at, error.inner().to_string()));
        }
        found
            .into_iter()
            .map(|(at, message)| {
                Diagnostic::error(
                    at,
                    format!("not a valid OpenAPI 3.0 document here: {message}"),
                )
            })
            .collect()
    })
}

/// Finds, for each operation and component that fails to deserialize on its own, the
/// innermost well-known node that fails.
fn narrow(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let paths = document.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let item_pointer = pointer(["paths", path.as_str()]);
        for (key, operation) in item.as_object().into_iter().flatten() {
            let at = child(&item_pointer, key);
            if key == "parameters" {
                found.extend(each_ref::<Parameter>(operation, &at));
                continue;
            }
            if !matches!(
                key.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            ) {
                continue;
            }
            if let Some(failure) =
                operation_failure(operation, &at).or_else(|| fails::<Operation>(operation, &at))
            {
                found.push(failure);
            }
        }
    }
    let components = document.get("components");
    let sections: [(&str, Check); 4] = [
        ("schemas", |v, at| schema_failure(v, at)),
        ("parameters", |v, at| fails_ref::<Parameter>(v, at)),
        ("responses", |v, at| fails_ref::<Response>(v, at)),
        ("requestBodies", |v, at| fails_ref::<RequestBody>(v, at)),
    ];
    for (section, check) in sections {
        let entries = components
            .and_then(|c| c.get(section))
            .and_then(Value::as_object);
        for (name, value) in entries.into_iter().flatten() {
            found.extend(check(
                value,
                &pointer(["components", section, name.as_str()]),
            ));
        }
    }
    found
}

/// Finds the first failure in one node: (pointer, message).
type Check = fn(&Value, &str) -> Option<(String, String)>;

fn operation_failure(operation: &Value, at: &str) -> Option<(String, String)> {
    if let Some(parameters) = operation.get("parameters") {
        if let Some(found) = each_ref::<Parameter>(parameters, &child(at, "parameters")) {
            return Some(found);
        }
    }
    if let Some(body) = operation.get("requestBody") {
        if let Some(found) = fails_ref::<RequestBody>(body, &child(at, "requestBody")) {
            return Some(found);
        }
    }
    let responses = operation.get("responses").and_then(Value::as_object);
    for (code, response) in responses.into_iter().flatten() {
        let at = child(&child(at, "responses"), code);
        if let Some(found) = fails_ref::<Response>(response, &at) {
            return Some(found);
        }
    }
    None
}

/// Descends into a schema's subschemas so the innermost broken one is named.
fn schema_failure(schema: &Value, at: &str) -> Option<(String, String)> {
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, property) in properties.into_iter().flatten() {
        if let Some(found) = schema_failure(property, &child(&child(at, "properties"), name)) {
            return Some(found);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = schema.get(key).filter(|v| v.is_object()) {
            if let Some(found) = schema_failure(sub, &child(at, key)) {
                return Some(found);
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(found) = schema_failure(sub, &child(&child(at, key), &i.to_string())) {
                return Some(found);
            }
        }
    }
    fails_ref::<Schema>(schema, at)
}

fn each_ref<T: DeserializeOwned>(list: &Value, at: &str) -> Option<(String, String)> {
    let items = list.as_array();
    items
        .into_iter()
        .flatten()
        .enumerate()
        .find_map(|(i, item)| fails_ref::<T>(item, &child(at, &i.to_string())))
}

/// Like [`fails`] for a node that may be a `$ref`: the untagged `ReferenceOr` hides the path
/// of the error, so an inline node is checked as `T` itself.
fn fails_ref<T: DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    if value.get("$ref").is_some() {
        fails::<ReferenceOr<T>>(value, at)
    } else {
        fails::<T>(value, at)
    }
}

fn fails<T: DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|error| {
            let mut at = at.to_string();
            for segment in error.path().iter() {
                if let serde_path_to_error::Segment::Map { key } = segment {
                    at = child(&at, key);
                } else if let serde_path_to_error::Segment::Seq { index } = segment {
                    at = child(&at, &index.to_string());
                }
            }
            (at, error.inner().to_string())
        })
}

fn check_version(value: &Value) -> Result<(), Diagnostic> {
    if value.get("swagger").is_some() {
        return Err(
            Diagnostic::error("#/swagger", "Swagger 2.0 documents are not supported")
                .with_hint("convert it to OpenAPI 3 first, e.g. with swagger2openapi"),
        );
    }
    match value.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0") => Ok(()),
        Some(version) => Err(Diagnostic::error(
            "#/openapi",
            format!("OpenAPI version {version} is not supported (expected 3.0.x or 3.1.x)"),
        )),
        None => Err(
            Diagnostic::error("#", "the document has no `openapi` version field")
                .with_hint("an OpenAPI document starts with `openapi: 3.1.0` (or 3.0.x)"),
        ),
    }
}

/// The document's OpenAPI 3.1 `webhooks`, which the 3.0 model has no place for: each path item
/// read on its own, one that does not parse reported (as a warning) and left out.
pub fn webhooks(value: &Value) -> (Webhooks, Vec<Diagnostic>) {
    let mut webhooks = Webhooks::new();
    let mut diagnostics = Vec::new();
    let Some(entries) = value.get("webhooks") else {
        return (webhooks, diagnostics);
    };
    let Some(entries) = entries.as_object() else {
        diagnostics.push(Diagnostic::warning(
            "#/webhooks",
            "`webhooks` is not an object; no webhooks are generated",
        ));
        return (webhooks, diagnostics);
    };
    for (name, item) in entries {
        let at = pointer(["webhooks", name.as_str()]);
        match ReferenceOr::<PathItem>::deserialize(item) {
            Ok(item) => {
                webhooks.insert(name.clone(), item);
            }
            Err(error) => diagnostics.push(Diagnostic::warning(
                at,
                format!("not a valid webhook (path item) here: {error}; it is left out"),
            )),
        }
    }
    (webhooks, diagnostics)
}

/// Webhooks by name, in document order.
pub type Webhooks = indexmap::IndexMap<String, ReferenceOr<PathItem>>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_point_at_the_offending_node() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}
        });
        let errors = parse(&doc).unwrap_err();
        assert_eq!(
            errors[0].pointer,
            "#/paths/~1a/get/responses/200/description"
        );
    }

    #[test]
    fn swagger_and_missing_version_are_refused_clearly() {
        let first = |doc| parse(&doc).unwrap_err().remove(0).message;
        assert!(first(json!({"swagger": "2.0"})).contains("Swagger 2.0"));
        assert!(first(json!({"info": {}})).contains("no `openapi`"));
        assert!(first(json!({"openapi": "4.0.0"})).contains("4.0.0"));
    }

    #[test]
    fn every_failing_operation_and_component_is_reported() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": 5}}}},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}, "parameters": [{"name": "x"}]}}
            },
            "components": {"schemas": {"S": {"type": "object", "properties": {"p": {"type": 7}}}}}
        });
        let pointers: Vec<String> = parse(&doc)
            .unwrap_err()
            .into_iter()
            .map(|d| d.pointer)
            .collect();
        assert_eq!(pointers.len(), 3, "{pointers:?}");
        assert!(
            pointers[0].starts_with("#/paths/~1a/get/responses/200"),
            "{pointers:?}"
        );
        assert!(
            pointers[1].starts_with("#/paths/~1b/get/parameters/0"),
            "{pointers:?}"
        );
        assert!(
            pointers[2].starts_with("#/components/schemas/S/properties/p"),
            "{pointers:?}"
        );
    }
}
