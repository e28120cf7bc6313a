//! The document walker: visits every schema and every operation of an OpenAPI document, wherever
//! it sits, tolerating any JSON value where an object is expected.
//!
//! Schemas are visited *pre-order* (a schema before its subschemas) and a schema's subschemas are
//! read after its visit returns, so a rule that moves a stray subtree into a proper place (or
//! hoists one into the parent) has it visited at its new place in the same pass.
//!
//! Schema positions: `components.schemas.*`; `schema` and `content.*.schema` of parameters and
//! headers (in paths, path items, operations, `components.parameters`, `components.headers`,
//! response headers and encoding headers); `content.*.schema` of request bodies and responses
//! (inline and under `components`); and the same under `webhooks`, `components.pathItems` and
//! callbacks. Inside a schema, every subschema keyword of the [keyword table](super::keywords) is
//! followed; so, to reach schemas that a malformed document put in odd places, are a `type` whose
//! value is an object and any non-keyword, non-extension key whose value looks like a schema.
//! Data keywords (`example`, `default`, `enum`, …) are never entered.

use serde_json::{Map, Value};

use super::keywords::{self, Kind};
use crate::diagnostics::push_escaped;

/// Receives the objects the walker finds; every method has an empty default.
pub trait Visitor {
    /// A schema object at `pointer`; subschemas are walked after this returns.
    fn schema(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let _ = (schema, pointer);
    }

    /// An operation object at `pointer` (`#/paths/~1pets/get`); walked into after this returns.
    fn operation(&mut self, operation: &mut Map<String, Value>, pointer: &str) {
        let _ = (operation, pointer);
    }

    /// A parameter or header object at `pointer`; walked into after this returns.
    fn parameter(&mut self, parameter: &mut Map<String, Value>, pointer: &str) {
        let _ = (parameter, pointer);
    }
}

/// Calls `visit` on every schema object of the document.
pub fn schemas(document: &mut Value, visit: impl FnMut(&mut Map<String, Value>, &str)) {
    struct Schemas<F>(F);
    impl<F: FnMut(&mut Map<String, Value>, &str)> Visitor for Schemas<F> {
        fn schema(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
            (self.0)(schema, pointer)
        }
    }
    walk(document, &mut Schemas(visit));
}

/// Calls `visit` on every operation object of the document (paths, webhooks, path items under
/// `components`, callbacks).
pub fn operations(document: &mut Value, visit: impl FnMut(&mut Map<String, Value>, &str)) {
    struct Operations<F>(F);
    impl<F: FnMut(&mut Map<String, Value>, &str)> Visitor for Operations<F> {
        fn operation(&mut self, operation: &mut Map<String, Value>, pointer: &str) {
            (self.0)(operation, pointer)
        }
    }
    walk(document, &mut Operations(visit));
}

/// Calls `visit` on every parameter and header object of the document.
pub fn parameters(document: &mut Value, visit: impl FnMut(&mut Map<String, Value>, &str)) {
    struct Parameters<F>(F);
    impl<F: FnMut(&mut Map<String, Value>, &str)> Visitor for Parameters<F> {
        fn parameter(&mut self, parameter: &mut Map<String, Value>, pointer: &str) {
            (self.0)(parameter, pointer)
        }
    }
    walk(document, &mut Parameters(visit));
}

/// Walks the whole document.
pub fn walk(document: &mut Value, visitor: &mut dyn Visitor) {
    let at = &mut At(String::from("#"));
    for (key, value) in entries(document) {
        match key.as_str() {
            "paths" | "webhooks" => at.enter(key, |at| {
                for (name, item) in entries(value) {
                    at.enter(name, |at| path_item(item, at, visitor));
                }
            }),
            "components" => at.enter(key, |at| components(value, at, visitor)),
            _ => {}
        }
    }
}

/// The pointer of the node being walked, grown and shrunk in place: walking a large document
/// allocates nothing per node, and visitors copy the pointer only when they log something.
struct At(String);

impl At {
    /// Runs `walk` with `segment` appended to the pointer.
    fn enter<R>(&mut self, segment: &str, walk: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.0.len();
        self.0.push('/');
        push_escaped(&mut self.0, segment);
        let result = walk(self);
        self.0.truncate(len);
        result
    }

    /// Runs `walk` with the array index `index` appended to the pointer.
    fn enter_index<R>(&mut self, index: usize, walk: impl FnOnce(&mut Self) -> R) -> R {
        use std::fmt::Write;
        let len = self.0.len();
        // Writing into a `String` cannot fail.
        let _ = write!(self.0, "/{index}");
        let result = walk(self);
        self.0.truncate(len);
        result
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn components(components: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (key, value) in entries(components) {
        at.enter(key, |at| {
            for (name, component) in entries(value) {
                at.enter(name, |at| match key.as_str() {
                    "schemas" => schema(component, at, visitor),
                    "parameters" | "headers" => parameter(component, at, visitor),
                    "requestBodies" | "responses" => body(component, at, visitor),
                    "callbacks" => callback(component, at, visitor),
                    "pathItems" => path_item(component, at, visitor),
                    _ => {}
                });
            }
        });
    }
}

fn path_item(item: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (key, value) in entries(item) {
        if key == "parameters" {
            at.enter(key, |at| parameter_list(value, at, visitor));
        } else if METHODS.contains(&key.as_str()) {
            at.enter(key, |at| operation(value, at, visitor));
        }
    }
}

fn parameter_list(list: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (i, param) in elements(list) {
        at.enter_index(i, |at| parameter(param, at, visitor));
    }
}

fn operation(operation: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    if let Value::Object(map) = operation {
        visitor.operation(map, &at.0);
    }
    for (key, value) in entries(operation) {
        match key.as_str() {
            "parameters" => at.enter(key, |at| parameter_list(value, at, visitor)),
            "requestBody" => at.enter(key, |at| body(value, at, visitor)),
            "responses" => at.enter(key, |at| {
                for (status, response) in entries(value) {
                    at.enter(status, |at| body(response, at, visitor));
                }
            }),
            "callbacks" => at.enter(key, |at| {
                for (name, cb) in entries(value) {
                    at.enter(name, |at| callback(cb, at, visitor));
                }
            }),
            _ => {}
        }
    }
}

fn callback(callback: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (expression, item) in entries(callback) {
        at.enter(expression, |at| path_item(item, at, visitor));
    }
}

/// A parameter or a header: a `schema`, or `content` media types.
fn parameter(parameter: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    if let Value::Object(map) = parameter {
        visitor.parameter(map, &at.0);
    }
    for (key, value) in entries(parameter) {
        match key.as_str() {
            "schema" => at.enter(key, |at| schema(value, at, visitor)),
            "content" => at.enter(key, |at| content(value, at, visitor)),
            _ => {}
        }
    }
}

/// A request body or a response: `content` media types and (responses) `headers`.
fn body(body: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (key, value) in entries(body) {
        match key.as_str() {
            "content" => at.enter(key, |at| content(value, at, visitor)),
            "headers" => at.enter(key, |at| {
                for (name, header) in entries(value) {
                    at.enter(name, |at| parameter(header, at, visitor));
                }
            }),
            _ => {}
        }
    }
}

fn content(content: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (media, media_type) in entries(content) {
        at.enter(media, |at| {
            for (key, value) in entries(media_type) {
                match key.as_str() {
                    "schema" => at.enter(key, |at| schema(value, at, visitor)),
                    "encoding" => at.enter(key, |at| {
                        for (property, encoding) in entries(value) {
                            at.enter(property, |at| body(encoding, at, visitor));
                        }
                    }),
                    _ => {}
                }
            }
        });
    }
}

/// A schema and, after its visit, its subschemas.
fn schema(node: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    let Value::Object(map) = node else {
        return;
    };
    visitor.schema(map, &at.0);
    for (key, value) in map.iter_mut() {
        match keywords::kind(key) {
            Some(Kind::Schema) => at.enter(key, |at| match value {
                // `items` as a list is the draft-4 tuple form.
                Value::Array(_) if key == "items" => schema_list(value, at, visitor),
                _ => schema(value, at, visitor),
            }),
            Some(Kind::SchemaList) => at.enter(key, |at| schema_list(value, at, visitor)),
            Some(Kind::SchemaMap) => at.enter(key, |at| {
                for (name, sub) in entries(value) {
                    at.enter(name, |at| schema(sub, at, visitor));
                }
            }),
            // A schema written under `type` (a malformed document).
            Some(Kind::Value) if key == "type" && value.is_object() => {
                at.enter(key, |at| schema(value, at, visitor))
            }
            Some(Kind::Value) => {}
            // A schema written under a key that is no keyword (a malformed document).
            None if keywords::is_stray(key) && keywords::looks_like_schema(value) => {
                at.enter(key, |at| schema(value, at, visitor))
            }
            None => {}
        }
    }
}

fn schema_list(list: &mut Value, at: &mut At, visitor: &mut dyn Visitor) {
    for (i, sub) in elements(list) {
        at.enter_index(i, |at| schema(sub, at, visitor));
    }
}

/// The entries of an object; nothing for any other value.
fn entries(value: &mut Value) -> impl Iterator<Item = (&String, &mut Value)> {
    value
        .as_object_mut()
        .into_iter()
        .flat_map(|map| map.iter_mut())
}

/// The elements of an array, with their indices; nothing for any other value.
fn elements(value: &mut Value) -> impl Iterator<Item = (usize, &mut Value)> {
    value
        .as_array_mut()
        .into_iter()
        .flat_map(|list| list.iter_mut().enumerate())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visited(mut document: Value) -> Vec<String> {
        let mut seen = Vec::new();
        schemas(&mut document, |_, pointer| seen.push(pointer.to_string()));
        seen
    }

    #[test]
    fn visits_every_schema_position() {
        let document = json!({
            "paths": {
                "/a/{id}": {
                    "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                    "post": {
                        "parameters": [{"name": "q", "in": "query", "content": {"application/json": {"schema": {}}}}],
                        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                        "responses": {
                            "200": {
                                "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                                "content": {"application/json": {"schema": {"type": "array", "items": {}}}}
                            }
                        },
                        "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"a/b": {"schema": {}}}}}}}}
                    }
                }
            },
            "webhooks": {"hook": {"post": {"requestBody": {"content": {"a/b": {"schema": {}}}}}}},
            "components": {
                "schemas": {
                    "A": {
                        "properties": {"p": {"allOf": [{}, {"not": {}}]}},
                        "additionalProperties": {"prefixItems": [{}]},
                        "example": {"type": "string"}
                    }
                },
                "parameters": {"P": {"schema": {}}},
                "headers": {"H": {"schema": {}}},
                "requestBodies": {"B": {"content": {"a/b": {"schema": {}}}}},
                "responses": {"R": {"content": {"a/b": {"schema": {}}}}}
            }
        });
        assert_eq!(
            visited(document),
            [
                "#/paths/~1a~1{id}/parameters/0/schema",
                "#/paths/~1a~1{id}/post/parameters/0/content/application~1json/schema",
                "#/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
                "#/paths/~1a~1{id}/post/responses/200/headers/X-Rate/schema",
                "#/paths/~1a~1{id}/post/responses/200/content/application~1json/schema",
                "#/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/items",
                "#/paths/~1a~1{id}/post/callbacks/cb/{$request.body#~1url}/post/requestBody/content/a~1b/schema",
                "#/webhooks/hook/post/requestBody/content/a~1b/schema",
                "#/components/schemas/A",
                "#/components/schemas/A/properties/p",
                "#/components/schemas/A/properties/p/allOf/0",
                "#/components/schemas/A/properties/p/allOf/1",
                "#/components/schemas/A/properties/p/allOf/1/not",
                "#/components/schemas/A/additionalProperties",
                "#/components/schemas/A/additionalProperties/prefixItems/0",
                "#/components/parameters/P/schema",
                "#/components/headers/H/schema",
                "#/components/requestBodies/B/content/a~1b/schema",
                "#/components/responses/R/content/a~1b/schema",
            ]
        );
    }

    #[test]
    fn enters_schemas_in_odd_places_but_not_data() {
        let document = json!({"components": {"schemas": {"A": {
            "type": "array",
            "items": {"type": {"$ref": "#/components/schemas/B"}},
            "minAmount": {"type": "number"},
            "x-extra": {"type": "string"},
            "default": {"type": "string"},
            "note": {"description": "no schema marker"}
        }}}});
        assert_eq!(
            visited(document),
            [
                "#/components/schemas/A",
                "#/components/schemas/A/items",
                "#/components/schemas/A/items/type",
                "#/components/schemas/A/minAmount",
            ]
        );
    }

    #[test]
    fn tolerates_any_value() {
        for document in [
            json!(null),
            json!([1, 2]),
            json!({"paths": [], "components": "x"}),
            json!({"paths": {"/a": {"get": {"parameters": {"x": 1}, "responses": [1]}}}}),
            json!({"components": {"schemas": {"A": true, "B": {"properties": [], "allOf": {}, "items": [true, {}]}}}}),
        ] {
            let _ = visited(document);
        }
    }

    #[test]
    fn visits_operations() {
        let mut document = json!({
            "paths": {"/a": {"get": {}, "summary": "s", "parameters": []}},
            "webhooks": {"w": {"post": {}}},
            "components": {"pathItems": {"I": {"put": {}}}}
        });
        let mut seen = Vec::new();
        operations(&mut document, |_, pointer| seen.push(pointer.to_string()));
        assert_eq!(
            seen,
            [
                "#/paths/~1a/get",
                "#/webhooks/w/post",
                "#/components/pathItems/I/put"
            ]
        );
    }

    #[test]
    fn visits_parameters_and_headers() {
        let mut document = json!({
            "paths": {"/a": {"parameters": [{}], "get": {"responses": {"200": {"headers": {"H": {}}}}}}},
            "components": {"headers": {"G": {}}}
        });
        let mut seen = Vec::new();
        parameters(&mut document, |_, pointer| seen.push(pointer.to_string()));
        assert_eq!(
            seen,
            [
                "#/paths/~1a/parameters/0",
                "#/paths/~1a/get/responses/200/headers/H",
                "#/components/headers/G"
            ]
        );
    }
}
