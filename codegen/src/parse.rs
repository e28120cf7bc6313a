//! Parse: the repaired JSON value → the typed `openapiv3` model (OpenAPI 3.0).

use std::collections::HashSet;
use std::sync::{mpsc, Mutex, PoisonError};

use openapiv3::{
    Callback, Example, Header, Link, OpenAPI, Operation, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{child, pointer, segments, Diagnostic};

/// How a parse failure's message begins.
const INVALID_HERE: &str = "not a valid OpenAPI 3.0 document here: ";

/// Rounds of "drop the unused components that fail, parse again" before the rest is refused.
/// Each round drops every component that fails on its own, so one round is the rule; a few
/// more cover failures only visible once another is gone.
const MAX_DROP_ROUNDS: usize = 4;

/// A document's path items, for lowering. The `openapiv3` model of an operation is several times
/// the size of its JSON, so a document whose other parts parse is lowered a path item at a
/// time: each is parsed just before lowering reaches it and dropped once lowered, and a large
/// document's operations are never all in the model at once.
#[derive(Debug)]
pub enum PathItems {
    /// Still JSON (`/…` keys only; the `x-` extensions are left out as the model does).
    Json(serde_json::Map<String, Value>),
    /// Parsed with the rest of the document.
    Parsed(openapiv3::Paths),
}

/// A path item, parsed, or the located errors that refuse the document for it.
pub type ParsedPathItem = Result<ReferenceOr<PathItem>, Vec<Diagnostic>>;

/// How many path items the parsing thread may be ahead of lowering: enough to keep both busy,
/// few enough that the parsed model of a large document is never held at once.
const PARSED_AHEAD: usize = 32;

impl PathItems {
    /// Calls `each` with every path and its item, parsed, in document order. JSON items are
    /// parsed on another thread a few items ahead of `each`: deserializing the model is a good
    /// part of lowering's time, and the other core is idle then. Should no thread start, they
    /// are parsed here.
    pub fn for_each(self, mut each: impl FnMut(String, ParsedPathItem)) {
        let items = match self {
            PathItems::Parsed(paths) => {
                for (path, item) in paths {
                    each(path, Ok(item));
                }
                return;
            }
            PathItems::Json(items) => items,
        };
        // Handed to the thread through a lock, so that a thread that does not start loses
        // nothing: the items are still here.
        let pending = Mutex::new(Some(items));
        let take = || {
            pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        };
        std::thread::scope(|scope| {
            let (sender, receiver) = mpsc::sync_channel(PARSED_AHEAD);
            let parser = std::thread::Builder::new()
                .name("rampgen-parse".into())
                .stack_size(crate::PIPELINE_STACK_BYTES)
                .spawn_scoped(scope, || {
                    let sender = sender;
                    for parsed in take().into_iter().flat_map(parsed_items) {
                        if sender.send(parsed).is_err() {
                            return;
                        }
                    }
                });
            if let Ok(parser) = parser {
                for (path, item) in receiver {
                    each(path, item);
                }
                // A panic while parsing goes on as itself, not as the scope's own.
                if let Err(panic) = parser.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        });
        for (path, item) in take().into_iter().flat_map(parsed_items) {
            each(path, item);
        }
    }
}

/// The path items of `items` (the `/…` keys), each parsed, and dropped once it is.
fn parsed_items(
    items: serde_json::Map<String, Value>,
) -> impl Iterator<Item = (String, ParsedPathItem)> {
    items
        .into_iter()
        .filter(|(path, _)| path.starts_with('/'))
        .map(|(path, item)| {
            let parsed = parse_path_item(&path, &item);
            (path, parsed)
        })
}

impl From<openapiv3::Paths> for PathItems {
    fn from(paths: openapiv3::Paths) -> Self {
        PathItems::Parsed(paths)
    }
}

/// Parses one path item; a failure is located as [`parse`] locates it in a whole document.
fn parse_path_item(path: &str, item: &Value) -> ParsedPathItem {
    // `ReferenceOr` is untagged: serde would copy the whole item into a buffer to try each
    // variant. An item without `$ref` can only be a path item.
    let parsed = match item.get("$ref") {
        None => PathItem::deserialize(item).map(ReferenceOr::Item),
        Some(_) => ReferenceOr::<PathItem>::deserialize(item),
    };
    if let Ok(parsed) = parsed {
        return Ok(parsed);
    }
    let at = pointer(["paths", path]);
    let mut found = narrow_path_item(path, item);
    if found.is_empty() {
        found.extend(fails_ref::<PathItem>(item, &at));
    }
    if found.is_empty() {
        found.push((at, "a path item does not parse".to_string()));
    }
    Err(found
        .into_iter()
        .map(|(at, message)| Diagnostic::error(at, format!("{INVALID_HERE}{message}")))
        .collect())
}

/// Parses the document without its paths, which come back as JSON for [`PathItems`] to parse
/// one at a time; components that fail and that nothing uses are left out as in
/// [`parse_dropping_unused`]. When the document without its paths does not parse, it is parsed
/// whole, so that every failure (in its paths too) is reported together, as [`parse`] does.
///
/// The component schemas are parsed one at a time as their JSON is freed (see
/// [`take_schemas`]): a document of thousands of schemas is never held as JSON and as a model at
/// once.
pub fn parse_in_parts(
    value: &mut Value,
) -> Result<(OpenAPI, PathItems, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_version(value).map_err(|d| vec![d])?;
    let paths = value
        .get_mut("paths")
        .filter(|paths| paths.is_object())
        .map(|paths| std::mem::replace(paths, Value::Object(serde_json::Map::new())));
    if let Some(Value::Object(paths)) = paths {
        let schemas = take_schemas(value);
        if let Ok(mut spec) = OpenAPI::deserialize(&*value) {
            if let Some(schemas) = schemas {
                let components = spec.components.get_or_insert_with(Default::default);
                components.schemas = parse_schemas(schemas);
            }
            return Ok((spec, PathItems::Json(paths), Vec::new()));
        }
        // Put back in their places, for the whole document's errors.
        if let (Some(schemas), Some(slot)) = (schemas, schemas_mut(value)) {
            *slot = schemas;
        }
        value["paths"] = Value::Object(paths);
    }
    let (mut spec, dropped) = parse_dropping_unused(value)?;
    let paths = std::mem::take(&mut spec.paths);
    Ok((spec, PathItems::Parsed(paths), dropped))
}

/// Takes `components.schemas` out of `value` when every schema in it parses (checked one at a
/// time, each model dropped at once); else leaves them, for the parse that reports the failure.
fn take_schemas(value: &mut Value) -> Option<serde_json::Map<String, Value>> {
    let schemas = schemas_mut(value)?;
    let all_parse = schemas
        .values()
        .all(|schema| ReferenceOr::<Schema>::deserialize(schema).is_ok());
    all_parse.then(|| std::mem::take(schemas))
}

fn schemas_mut(value: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    value
        .get_mut("components")?
        .get_mut("schemas")?
        .as_object_mut()
}

/// The schemas [`take_schemas`] took, parsed in order, each one's JSON freed once it is parsed.
fn parse_schemas(
    schemas: serde_json::Map<String, Value>,
) -> indexmap::IndexMap<String, ReferenceOr<Schema>> {
    schemas
        .into_iter()
        // Each one parsed when it was taken: none is left out here.
        .filter_map(|(name, schema)| Some((name, ReferenceOr::deserialize(schema).ok()?)))
        .collect()
}

/// Parses like [`parse`], but first leaves out components that fail to deserialize and that
/// nothing refers to: a broken part the client never uses does not refuse the document. Each
/// one left out is a warning (in the returned list); a failure anywhere else, or in a
/// component something refers to, refuses the document as [`parse`] does.
pub fn parse_dropping_unused(
    value: &mut Value,
) -> Result<(OpenAPI, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut dropped = Vec::new();
    for _ in 0..MAX_DROP_ROUNDS {
        let errors = match parse(value) {
            Ok(spec) => return Ok((spec, dropped)),
            Err(errors) => errors,
        };
        let Some(unused) = unused_components(value, &errors) else {
            return Err(errors);
        };
        for (section, name, error) in unused {
            let removed = value
                .get_mut("components")
                .and_then(|c| c.get_mut(section.as_str()))
                .and_then(Value::as_object_mut)
                .and_then(|entries| entries.shift_remove(&name));
            if removed.is_some() {
                let why = error
                    .message
                    .strip_prefix(INVALID_HERE)
                    .unwrap_or(&error.message);
                dropped.push(
                    Diagnostic::warning(
                        pointer(["components", section.as_str(), name.as_str()]),
                        format!(
                            "this component is not valid OpenAPI 3.0 ({why}, at {}) and nothing refers to it: left out",
                            error.pointer
                        ),
                    )
                    .with_hint("fix it with an overlay if the client should have it"),
                );
            }
        }
    }
    parse(value).map(|spec| (spec, dropped))
}

/// For every error, the component it is in — `(section, name, error)` — when every error is in
/// a component that no `$ref` outside it names (nor, for a schema, a discriminator mapping);
/// `None` when some error is elsewhere or in a component that is used.
fn unused_components(
    document: &Value,
    errors: &[Diagnostic],
) -> Option<Vec<(String, String, Diagnostic)>> {
    let mut found = Vec::new();
    for error in errors {
        let parts = segments(&error.pointer);
        let [first, section, name, ..] = parts.as_slice() else {
            return None;
        };
        // Security schemes are used by name from `security`, not by `$ref`.
        if first != "components" || section == "securitySchemes" {
            return None;
        }
        found.push((section.clone(), name.clone(), error.clone()));
    }
    let mut references = HashSet::new();
    let candidates: HashSet<String> = found
        .iter()
        .map(|(section, name, _)| pointer(["components", section.as_str(), name.as_str()]))
        .collect();
    collect_references(document, &candidates, &mut references);
    let used = found.iter().any(|(section, name, _)| {
        let target = pointer(["components", section.as_str(), name.as_str()]);
        references.contains(&target) || (section == "schemas" && references.contains(name))
    });
    (!used).then_some(found)
}

/// Adds to `found` every `$ref` target (up to the component it names) and every discriminator
/// mapping value in `value`, except those inside the components in `skip` (a component that
/// refers to itself is not used by that). Iterative over the document's nodes.
fn collect_references(value: &Value, skip: &HashSet<String>, found: &mut HashSet<String>) {
    let mut stack: Vec<(&Value, String)> = vec![(value, "#".to_string())];
    while let Some((node, at)) = stack.pop() {
        if skip.contains(&at) {
            continue;
        }
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    found.insert(component_of(target).to_string());
                }
                if let Some(Value::Object(mapping)) =
                    map.get("discriminator").and_then(|d| d.get("mapping"))
                {
                    for target in mapping.values().filter_map(Value::as_str) {
                        found.insert(component_of(target).to_string());
                    }
                }
                // Only pointers at component depth need tracking; deeper ones are not skipped.
                for (key, child_value) in map {
                    if child_value.is_object() || child_value.is_array() {
                        let child_at = if at.matches('/').count() < 3 {
                            child(&at, key)
                        } else {
                            String::new()
                        };
                        stack.push((child_value, child_at));
                    }
                }
            }
            Value::Array(items) => {
                for item in items.iter().filter(|v| v.is_object() || v.is_array()) {
                    stack.push((item, String::new()));
                }
            }
            _ => {}
        }
    }
}

/// `#/components/<section>/<name>` of a reference into a component, or the reference itself.
fn component_of(target: &str) -> &str {
    let mut slashes = target.match_indices('/').skip(3);
    match slashes.next() {
        Some((end, _)) if target.starts_with("#/components/") => &target[..end],
        _ => target,
    }
}

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
            .map(|(at, message)| Diagnostic::error(at, format!("{INVALID_HERE}{message}")))
            .collect()
    })
}

/// Finds, for each operation and component that fails to deserialize on its own, the
/// innermost well-known node that fails.
fn narrow(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let paths = document.get("paths").and_then(Value::as_object);
    // Only `/…` keys are path items (the model leaves the others out).
    for (path, item) in paths.into_iter().flatten() {
        if path.starts_with('/') {
            found.extend(narrow_path_item(path, item));
        }
    }
    let components = document.get("components");
    let sections: [(&str, Check); 9] = [
        ("schemas", |v, at| schema_failure(v, at)),
        ("parameters", |v, at| fails_ref::<Parameter>(v, at)),
        ("responses", |v, at| fails_ref::<Response>(v, at)),
        ("requestBodies", |v, at| fails_ref::<RequestBody>(v, at)),
        ("headers", |v, at| fails_ref::<Header>(v, at)),
        ("examples", |v, at| fails_ref::<Example>(v, at)),
        ("links", |v, at| fails_ref::<Link>(v, at)),
        ("callbacks", |v, at| fails_ref::<Callback>(v, at)),
        ("securitySchemes", |v, at| {
            fails_ref::<SecurityScheme>(v, at)
        }),
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

/// The innermost well-known node that fails in each of a path item's operations and in its
/// parameters.
fn narrow_path_item(path: &str, item: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let item_pointer = pointer(["paths", path]);
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
    fn an_invalid_component_nothing_uses_is_left_out_with_a_warning() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {
                "parameters": {"NoName": {"in": "query", "schema": {"$ref": "#/components/parameters/NoName"}}},
                "schemas": {"Fine": {"type": "string"}}
            }
        });
        let (spec, warnings) = parse_dropping_unused(&mut doc).expect("parses without it");
        assert!(spec.components.unwrap().parameters.is_empty());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/components/parameters/NoName");
        assert!(
            warnings[0].message.contains("nothing refers to it"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn an_unused_schema_that_fails_is_left_out_and_a_used_one_kept() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Used"}}}
            }}}}},
            "components": {"schemas": {
                "Used": {"type": "string"},
                "Odd": {"type": "object", "properties": {"a": {"type": 7}}},
                "SelfRef": {"type": "object", "properties": {"me": {"$ref": "#/components/schemas/SelfRef"}, "b": {"type": 7}}}
            }}
        });
        let (spec, warnings) = parse_dropping_unused(&mut doc).expect("parses without them");
        let schemas = spec.components.unwrap().schemas;
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Used"]);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/components/schemas/Odd", "#/components/schemas/SelfRef"]
        );
    }

    #[test]
    fn an_invalid_component_in_use_still_refuses_the_document() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/NoName"}],
                "responses": {"200": {"description": "ok"}}
            }}},
            "components": {"parameters": {"NoName": {"in": "query"}}}
        });
        let errors = parse_dropping_unused(&mut doc).unwrap_err();
        assert!(
            errors[0]
                .pointer
                .starts_with("#/components/parameters/NoName"),
            "{errors:?}"
        );
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}},
            "components": {"parameters": {"NoName": {"in": "query"}}}
        });
        assert!(
            parse_dropping_unused(&mut doc).is_err(),
            "an error outside components"
        );
    }

    #[test]
    fn swagger_and_missing_version_are_refused_clearly() {
        let first = |doc| parse(&doc).unwrap_err().remove(0).message;
        assert!(first(json!({"swagger": "2.0"})).contains("Swagger 2.0"));
        assert!(first(json!({"info": {}})).contains("no `openapi`"));
        assert!(first(json!({"openapi": "4.0.0"})).contains("4.0.0"));
    }

    /// The errors of every path item that [`PathItems`] parses, in order.
    fn path_item_errors(paths: PathItems) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        paths.for_each(|_, item| errors.extend(item.err().into_iter().flatten()));
        errors
    }

    #[test]
    fn path_items_parsed_one_at_a_time_fail_where_the_whole_document_does() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": 5}}}},
                "x-note": {"get": "not a path item: an extension"},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}, "parameters": [{"name": "x"}]}},
                "/c": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/d": "not an object"
            },
            "components": {"schemas": {"S": {"type": "string"}}}
        });
        let whole = parse(&doc).unwrap_err();
        let (spec, paths, dropped) = parse_in_parts(&mut doc).expect("all but the paths parse");
        assert!(dropped.is_empty() && spec.paths.paths.is_empty());
        assert!(matches!(paths, PathItems::Json(_)), "{paths:?}");
        let one_at_a_time = path_item_errors(paths);
        let located = |errors: &[Diagnostic]| -> Vec<(String, String)> {
            errors
                .iter()
                .map(|e| (e.pointer.clone(), e.message.clone()))
                .collect()
        };
        assert_eq!(located(&one_at_a_time)[..2], located(&whole)[..2]);
        assert_eq!(one_at_a_time.len(), 3, "{one_at_a_time:?}");
        assert_eq!(one_at_a_time[2].pointer, "#/paths/~1d");
        assert!(one_at_a_time[2].message.starts_with(INVALID_HERE));
    }

    #[test]
    fn a_document_whose_other_parts_fail_is_parsed_whole_as_before() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {"p": {"type": 7}}}}}
        });
        let whole = parse(&doc).unwrap_err();
        let in_parts = parse_in_parts(&mut doc).unwrap_err();
        assert_eq!(in_parts.len(), 2);
        assert_eq!(
            in_parts.iter().map(|e| &e.pointer).collect::<Vec<_>>(),
            whole.iter().map(|e| &e.pointer).collect::<Vec<_>>()
        );
        // An unused broken component is left out, and the paths come back parsed with the rest.
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"Odd": {"type": "object", "properties": {"a": {"type": 7}}}}}
        });
        let (_, paths, dropped) = parse_in_parts(&mut doc).expect("parses without `Odd`");
        assert_eq!(dropped.len(), 1);
        let PathItems::Parsed(paths) = paths else {
            panic!("parsed whole: {paths:?}");
        };
        assert_eq!(paths.paths.keys().collect::<Vec<_>>(), ["/a"]);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
            "ok"
        );
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
