//! Documents the bench writes itself, for shapes no corpus document has at scale: a long chain
//! of `$ref`s (work per link must not grow with the chain), a very wide API (many operations,
//! each with its own parameters and a response sharing a few hundred schemas), and documents of
//! just under 5 MiB that each push one dimension as far ([`SHAPES`]): "any document up to
//! 5 MiB" is held to its targets on more than one shape.

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

/// What the shaped documents fill: just under 5 MiB of compact JSON, with room for the
/// operations that reach their schemas.
const SHAPE_BYTES: usize = (5 << 20) - (64 << 10);

/// The documents of one pushed dimension each: their short names (the targets use them) and
/// what the table shows.
pub const SHAPES: [(&str, &str); 5] = [
    ("wide-enum", "generated: one enum of 5 MiB of values"),
    (
        "wide-object",
        "generated: one object of 5 MiB of properties",
    ),
    ("nested", "generated: objects nested 40 levels deep"),
    ("unions", "generated: oneOfs of 60 branches"),
    (
        "linked-objects",
        "generated: objects each holding the previous",
    ),
];

/// Every generated document, as compact JSON.
pub fn documents() -> Vec<Generated> {
    let mut documents = vec![
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
    ];
    for (name, shown) in SHAPES {
        documents.push(Generated {
            name,
            shown: shown.to_string(),
            text: shape(name, SHAPE_BYTES).to_string(),
        });
    }
    documents
}

/// The shaped document `name` of about `bytes` bytes of compact JSON (an empty API for a name
/// that is not one of [`SHAPES`]).
pub fn shape(name: &str, bytes: usize) -> Value {
    const TYPES: [&str; 4] = ["string", "integer", "number", "boolean"];
    let get = |id: String, schema: &str| {
        json!({"get": {
            "operationId": id,
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{schema}")}
            }}}}
        }})
    };
    let mut paths = Map::new();
    let mut schemas = Map::new();
    match name {
        "wide-enum" => {
            let suffixes = ["Crédito", "débito", "año", "ok"];
            let values = fill_list(bytes, |i| json!(format!("VALUE_{i}_{}", suffixes[i % 4])));
            schemas.insert("Big".into(), json!({"type": "string", "enum": values}));
            paths.insert("/big".into(), get("getBig".into(), "Big"));
        }
        "wide-object" => {
            let properties = fill_map(bytes, |i| {
                let property =
                    json!({"type": TYPES[i % 4], "description": format!("Property {i}.")});
                (format!("property{i}Name"), property)
            });
            schemas.insert(
                "Wide".into(),
                json!({"type": "object", "properties": properties}),
            );
            paths.insert("/wide".into(), get("getWide".into(), "Wide"));
        }
        "nested" => {
            fn level(depth: usize) -> Value {
                match depth {
                    0 => json!({"type": "string"}),
                    _ => json!({"type": "object", "properties": {
                        format!("level{depth}"): level(depth - 1),
                        "n": {"type": "integer"}
                    }}),
                }
            }
            schemas = fill_map(bytes, |i| (format!("Deep{i}"), level(40)));
        }
        "unions" => {
            const LEAVES: usize = 200;
            for i in 0..LEAVES {
                schemas.insert(
                    format!("Leaf{i}"),
                    json!({"type": "object", "properties": {
                        "kind": {"type": "string", "enum": [format!("leaf{i}")]},
                        "v": {"type": "integer"}
                    }}),
                );
            }
            schemas.extend(fill_map(bytes.saturating_sub(16 << 10), |i| {
                let branches: Vec<Value> = (0..60)
                    .map(|j| json!({"$ref": format!("#/components/schemas/Leaf{}", (i + j) % LEAVES)}))
                    .collect();
                (format!("Union{i}"), json!({"oneOf": branches}))
            }));
        }
        "linked-objects" => {
            schemas = fill_map(bytes, |i| {
                let mut properties: Map<String, Value> = (0..8)
                    .map(|j| {
                        let field = json!({"type": TYPES[(i + j) % 4], "description": format!("Field {j} of {i}.")});
                        (format!("field{j}"), field)
                    })
                    .collect();
                if i > 0 {
                    let previous = format!("#/components/schemas/Linked{}", i - 1);
                    properties.insert("previous".into(), json!({"$ref": previous}));
                }
                let object =
                    json!({"type": "object", "required": ["field0"], "properties": properties});
                (format!("Linked{i}"), object)
            });
        }
        _ => {}
    }
    // A few operations reach the schemas, as in a real API.
    if paths.is_empty() {
        let names: Vec<String> = schemas.keys().step_by(50).cloned().collect();
        for (i, name) in names.iter().enumerate() {
            paths.insert(format!("/s{i}"), get(format!("get{i}"), name));
        }
    }
    document(Value::Object(paths), schemas)
}

/// `make(0)`, `make(1)`, … while their JSON text stays within `bytes`.
fn fill_list(bytes: usize, mut make: impl FnMut(usize) -> Value) -> Vec<Value> {
    let mut list = Vec::new();
    let mut size = 0;
    loop {
        let item = make(list.len());
        size += item.to_string().len() + 1;
        if size > bytes {
            return list;
        }
        list.push(item);
    }
}

/// The entries `make(0)`, `make(1)`, … while their JSON text stays within `bytes`.
fn fill_map(bytes: usize, mut make: impl FnMut(usize) -> (String, Value)) -> Map<String, Value> {
    let mut map = Map::new();
    let mut size = 0;
    loop {
        let (key, value) = make(map.len());
        size += key.len() + value.to_string().len() + 4;
        if size > bytes {
            return map;
        }
        map.insert(key, value);
    }
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

    #[test]
    fn each_shape_is_just_under_5_mib_and_pushes_its_dimension() {
        for (name, _) in SHAPES {
            let document = shape(name, SHAPE_BYTES);
            let size = document.to_string().len();
            assert!(
                (SHAPE_BYTES - (256 << 10)..=5 << 20).contains(&size),
                "{name}: {size} bytes"
            );
            let schemas = document["components"]["schemas"]
                .as_object()
                .expect("schemas");
            let paths = document["paths"].as_object().expect("paths");
            assert!(!paths.is_empty(), "{name}: no operation");
            match name {
                "wide-enum" => {
                    assert!(schemas["Big"]["enum"].as_array().map_or(0, Vec::len) > 200_000)
                }
                "wide-object" => assert!(
                    schemas["Wide"]["properties"]
                        .as_object()
                        .map_or(0, Map::len)
                        > 60_000
                ),
                "nested" => assert!(document
                    .pointer("/components/schemas/Deep0/properties/level40/properties/level39")
                    .is_some()),
                "unions" => {
                    assert!(schemas["Union0"]["oneOf"].as_array().map_or(0, Vec::len) == 60)
                }
                "linked-objects" => assert_eq!(
                    schemas["Linked1"]["properties"]["previous"]["$ref"],
                    "#/components/schemas/Linked0"
                ),
                _ => unreachable!("{name}"),
            }
        }
    }
}
