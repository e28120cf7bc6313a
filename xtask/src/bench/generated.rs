//! Documents the bench writes itself, for shapes no corpus document has at scale: a long chain
//! of `$ref`s (work per link must not grow with the chain) and a very wide API (many
//! operations, each with its own parameters and a response sharing a few hundred schemas).

use serde_json::{json, Map, Value};

/// A generated document: the short name the targets use, what the table shows, and its text.
pub struct Generated {
    pub name: &'static str,
    pub shown: String,
    pub text: String,
}

/// Links in the `$ref` chain.
pub const CHAIN_LINKS: usize = 3_000;
/// Operations in the wide document.
pub const OPERATIONS: usize = 20_000;
/// Component schemas the wide document's responses share.
const SHARED_SCHEMAS: usize = 200;

/// Both generated documents, as compact JSON.
pub fn documents() -> Vec<Generated> {
    vec![
        Generated {
            name: "ref-chain",
            shown: format!("generated: a chain of {CHAIN_LINKS} $refs"),
            text: ref_chain(CHAIN_LINKS).to_string(),
        },
        Generated {
            name: "operations",
            shown: format!("generated: {OPERATIONS} operations"),
            text: operations(OPERATIONS).to_string(),
        },
    ]
}

fn document(paths: Value, schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Generated", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// One operation returning `S0`; `S0` is `S1`, …, and the last link an object.
pub fn ref_chain(links: usize) -> Value {
    let mut schemas = Map::new();
    for i in 0..links.saturating_sub(1) {
        schemas.insert(
            format!("S{i}"),
            json!({"$ref": format!("#/components/schemas/S{}", i + 1)}),
        );
    }
    schemas.insert(
        format!("S{}", links.saturating_sub(1)),
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
    );
    let paths = json!({"/chain": {"get": {
        "operationId": "getChain",
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/S0"}
        }}}}
    }}});
    document(paths, schemas)
}

/// `count` operations, each a `GET /r{i}/{id}` with its path parameter, answering one of
/// [`SHARED_SCHEMAS`] object schemas. 20,000 of them are just under 5 MiB of JSON.
pub fn operations(count: usize) -> Value {
    let mut schemas = Map::new();
    for i in 0..SHARED_SCHEMAS {
        schemas.insert(
            format!("Resource{i}"),
            json!({"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "count": {"type": "integer", "format": "int64"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }}),
        );
    }
    let mut paths = Map::new();
    for i in 0..count {
        paths.insert(
            format!("/r{i}/{{id}}"),
            json!({"get": {
                "operationId": format!("get{i}"),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/Resource{}", i % SHARED_SCHEMAS)}
                }}}}
            }}),
        );
    }
    document(Value::Object(paths), schemas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_documents_have_their_shapes() {
        let chain = ref_chain(4);
        let schemas = &chain["components"]["schemas"];
        assert_eq!(schemas["S0"]["$ref"], "#/components/schemas/S1");
        assert_eq!(schemas["S3"]["type"], "object");
        let wide = operations(3);
        assert_eq!(wide["paths"].as_object().map(Map::len), Some(3));
        assert_eq!(wide["paths"]["/r2/{id}"]["get"]["operationId"], "get2");
        let full = operations(OPERATIONS).to_string().len();
        assert!(
            full <= 5 << 20,
            "{full} bytes: the target is for documents up to 5 MiB"
        );
    }
}
