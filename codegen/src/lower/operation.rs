//! Lowering paths and operations: parameters, bodies, documented responses, security.

use std::collections::HashMap;

use openapiv3::{
    OpenAPI, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, ReferenceOr,
    StatusCode,
};

use super::body::{self, BodyContext};
use super::refs::Section;
use super::schema::TypeLowerer;
use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{
    Body, Operation, Param, ParamLocation, PathPart, Pointer, Response, ResponseBody,
    SharedDefinition, SharedErrors, StatusMatch, TypeRef,
};
use crate::naming::{snake_name, status_variant, type_name, Namespace};
use crate::parse::PathItems;

struct Names {
    methods: Namespace,
    types: Namespace,
    /// Where each wanted method name was first used, to name it when a later one collides.
    first_use: HashMap<String, String>,
}

/// The operations of a document, lowered from its path items in document order.
pub(super) struct LoweredOperations {
    pub operations: Vec<Operation>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each operation's `x-pagination`, by its index in `operations`.
    pub pagination_declared: Vec<Option<String>>,
    /// The errors of path items that do not parse: they refuse the document (once one is met,
    /// the rest are only parsed, for their own errors).
    pub refused: Vec<Diagnostic>,
}

pub(super) fn lower_operations(
    spec: &OpenAPI,
    paths: PathItems,
    types: &mut TypeLowerer,
) -> LoweredOperations {
    let mut names = Names {
        methods: Namespace::for_client_methods(),
        types: Namespace::for_types(),
        first_use: HashMap::new(),
    };
    let mut lowered = LoweredOperations {
        operations: Vec::new(),
        diagnostics: Vec::new(),
        pagination_declared: Vec::new(),
        refused: Vec::new(),
    };
    paths.for_each(|path, item| {
        let item = match item {
            Ok(item) if lowered.refused.is_empty() => item,
            Ok(_) => return,
            Err(errors) => {
                lowered.refused.extend(errors);
                return;
            }
        };
        let item_at = pointer(["paths", path.as_str()]);
        let ReferenceOr::Item(item) = item else {
            lowered.diagnostics.push(Diagnostic::error(
                &item_at,
                "a `$ref` path item is not supported; its operations are skipped",
            ));
            return;
        };
        for (method, operation) in item.iter() {
            let at = child(&item_at, method);
            let result = lower_operation(
                spec,
                types,
                &mut names,
                &path,
                method,
                operation,
                &item.parameters,
                &at,
            );
            match result {
                Ok(lowered_operation) => {
                    lowered.operations.push(lowered_operation);
                    lowered
                        .pagination_declared
                        .push(super::pagination::declaration(operation));
                }
                Err(diagnostic) => lowered.diagnostics.push(diagnostic),
            }
        }
    });
    share_errors(&mut lowered.operations, &mut names.types);
    lowered
}

/// The name of the error enum that the largest group of operations documenting the same
/// errors shares.
const SHARED_ERRORS_NAME: &str = "ApiError";

/// The runtime's error type for operations that document no errors.
const NO_DOCUMENTED_ERRORS: &str = "NoDocumentedErrors";

/// Gives every group of operations that document the very same errors (statuses, variants,
/// bodies and their docs; at least two operations) one shared error enum: APIs commonly answer
/// many operations' failures alike, and one enum then serves them, each operation's error name
/// staying as an alias. The largest group's enum is `ApiError`; the others are named after
/// their variants (`UnauthorizedOrNotFoundError`). Operations that document no errors share the
/// runtime's `NoDocumentedErrors`.
fn share_errors(operations: &mut [Operation], names: &mut Namespace) {
    // Keyed by each error's status, variant, body and docs.
    type Key<'a> = Vec<(StatusMatch, &'a str, &'a ResponseBody, Option<&'a str>)>;
    let mut groups: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut undocumented = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        if op.errors.is_empty() {
            undocumented.push(index);
            continue;
        }
        let key: Key = op
            .errors
            .iter()
            .map(|r| (r.status, r.variant.as_str(), &r.body, r.docs.as_deref()))
            .collect();
        groups.entry(key).or_default().push(index);
    }
    // Largest first; among equals the group whose first operation comes first.
    let mut groups: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|members| members.len() >= 2)
        .collect();
    groups.sort_by_key(|members| (std::cmp::Reverse(members.len()), members[0]));
    for &index in &undocumented {
        operations[index].shared_errors = Some(SharedErrors {
            type_name: NO_DOCUMENTED_ERRORS.to_string(),
            operations: undocumented.len(),
            defined: SharedDefinition::Runtime,
        });
    }
    for (rank, members) in groups.iter().enumerate() {
        let wanted = match rank {
            0 => SHARED_ERRORS_NAME.to_string(),
            _ => variants_name(&operations[members[0]].errors),
        };
        let type_name = names.claim(&wanted);
        for (position, &index) in members.iter().enumerate() {
            operations[index].shared_errors = Some(SharedErrors {
                type_name: type_name.clone(),
                operations: members.len(),
                defined: if position == 0 {
                    SharedDefinition::Here
                } else {
                    SharedDefinition::Elsewhere
                },
            });
        }
    }
}

/// `UnauthorizedOrNotFoundError`, `BadRequestUnauthorizedOrNotFoundError`: a shared error
/// enum named after its variants.
fn variants_name(errors: &[Response]) -> String {
    let mut name = String::new();
    for (i, response) in errors.iter().enumerate() {
        if i > 0 && i + 1 == errors.len() {
            name.push_str("Or");
        }
        name.push_str(&response.variant);
    }
    name.push_str("Error");
    name
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    spec: &OpenAPI,
    types: &mut TypeLowerer,
    names: &mut Names,
    path: &str,
    method: &str,
    operation: &SpecOperation,
    path_parameters: &[ReferenceOr<Parameter>],
    at: &str,
) -> Result<Operation, Diagnostic> {
    let id = operation
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method} {path}"));
    let wanted = snake_name(&id, "operation");
    let method_name = names.methods.claim(&wanted);
    if method_name != wanted {
        let warning = match names.first_use.get(&wanted) {
            Some(earlier) => Diagnostic::warning(
                at,
                format!("`{id}` is also the name of the operation at {earlier} in Rust; this one is `{method_name}`"),
            ),
            None => Diagnostic::warning(
                at,
                format!("`{id}` is the name of one of the client's own methods (`{wanted}`) in Rust; this operation's is `{method_name}`"),
            ),
        };
        types.warn(warning.with_hint("operationIds must be unique: rename one (with an overlay)"));
    }
    names
        .first_use
        .entry(wanted)
        .or_insert_with(|| at.to_string());
    let type_name = names.types.claim(&type_name(&id, "Operation"));
    let error_type_name = names.types.claim(&format!("{type_name}Error"));

    let mut field_names = Namespace::new();
    let params = parameters(
        types,
        operation,
        path_parameters,
        &type_name,
        &mut field_names,
        at,
    )?;
    let path_parts = path_template(path, &params, at)?;
    let body = request_body(types, names, operation, &type_name, &mut field_names, at)?;

    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut variants = Namespace::new();
    let responses_at = child(at, "responses");
    let documented = operation
        .responses
        .responses
        .iter()
        .map(|(code, r)| (Some(code), r));
    for (code, response) in documented.chain(operation.responses.default.iter().map(|r| (None, r)))
    {
        let (status, key) = match code {
            Some(StatusCode::Code(code)) => (StatusMatch::Code(*code), code.to_string()),
            Some(StatusCode::Range(range)) => (StatusMatch::Range(*range), format!("{range}XX")),
            None => (StatusMatch::Default, "default".to_string()),
        };
        let response_at = child(&responses_at, &key);
        let resolved = resolve(&types.refs().responses, response, &response_at)?;
        let variant = variants.claim(&match status {
            StatusMatch::Code(code) => status_variant(code),
            StatusMatch::Range(range) => format!("Status{range}xx"),
            StatusMatch::Default => "Default".to_string(),
        });
        let is_success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
        let hint = if is_success {
            format!("{type_name}Response")
        } else {
            format!("{type_name}{variant}")
        };
        let body = body::response_body(types, &resolved.content, &hint, &response_at);
        let lowered = Response {
            status,
            variant,
            body,
            docs: Some(resolved.description.clone()).filter(|d| !d.is_empty()),
            pointer: Pointer::from_escaped(response_at),
        };
        if is_success {
            success.push(lowered);
        } else {
            errors.push(lowered);
        }
    }

    let bodies_differ = success
        .iter()
        .any(|r| !same_rust_type(&r.body, &success[0].body));
    let success_type_name =
        bodies_differ.then(|| names.types.claim(&format!("{type_name}Success")));

    let idempotent = declared_idempotent(operation, types, at);
    let idempotency_key = params
        .iter()
        .find(|p| p.location == ParamLocation::Header && is_idempotency_key(&p.wire_name))
        .map(|p| p.wire_name.clone());

    let security = operation.security.as_ref().or(spec.security.as_ref());
    let authenticated =
        security.is_some_and(|alternatives| alternatives.iter().any(|r| !r.is_empty()));

    Ok(Operation {
        id,
        method_name,
        type_name,
        error_type_name,
        success_type_name,
        http_method: method.to_ascii_uppercase(),
        path: path.to_string(),
        path_parts,
        params,
        body,
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        deprecated: operation.deprecated,
        authenticated,
        idempotent,
        idempotency_key,
        errors_share_body: errors_share_body(&errors),
        shared_errors: None,
        accept: accept(&success, &errors),
        success,
        errors,
        pagination: None,
        pointer: Pointer::from_escaped(at),
    })
}

/// The extension that declares an operation idempotent: only an overlay that has read the
/// provider's word that repeats are deduplicated should set it.
const IDEMPOTENT_EXTENSION: &str = "x-rampgen-idempotent";

/// Whether the operation carries `x-rampgen-idempotent: true`; any value other than a boolean
/// is a located warning and counts as `false`.
fn declared_idempotent(operation: &SpecOperation, types: &mut TypeLowerer, at: &str) -> bool {
    match operation.extensions.get(IDEMPOTENT_EXTENSION) {
        None => false,
        Some(serde_json::Value::Bool(declared)) => *declared,
        Some(_) => {
            types.warn(
                Diagnostic::warning(
                    child(at, IDEMPOTENT_EXTENSION),
                    format!("`{IDEMPOTENT_EXTENSION}` is not a boolean; the operation is not treated as idempotent"),
                )
                .with_hint("write `true` only if the provider documents that repeats of this operation take effect once"),
            );
            false
        }
    }
}

/// Whether a header parameter is an idempotency key, by the names APIs give it.
fn is_idempotency_key(wire_name: &str) -> bool {
    ["idempotency-key", "x-idempotency-key"]
        .iter()
        .any(|name| wire_name.eq_ignore_ascii_case(name))
}

/// Whether every documented error decodes into one type (there is at least one, with a body).
fn errors_share_body(errors: &[Response]) -> bool {
    let Some(first) = errors.first().and_then(|r| r.body.value_type()) else {
        return false;
    };
    errors
        .iter()
        .all(|r| r.body.value_type().as_ref() == Some(&first))
}

/// The `Accept` header: the documented responses' media types (JSON ones as
/// `application/json`), in order and without repeats, when one of them is not JSON.
fn accept(success: &[Response], errors: &[Response]) -> Option<String> {
    let mut media_types: Vec<&str> = Vec::new();
    let mut other_than_json = false;
    for response in success.iter().chain(errors) {
        let media_type = match &response.body {
            ResponseBody::Empty => continue,
            ResponseBody::Json(_) => body::JSON,
            ResponseBody::Text { media_type } | ResponseBody::Bytes { media_type } => {
                other_than_json = true;
                media_type
            }
        };
        if !media_types.contains(&media_type) {
            media_types.push(media_type);
        }
    }
    other_than_json.then(|| media_types.join(", "))
}

/// The definition a value as written stands for, or a located error.
fn resolve<'s, T>(
    section: &Section<'s, T>,
    value: &'s ReferenceOr<T>,
    at: &str,
) -> Result<&'s T, Diagnostic> {
    section
        .resolve(value)
        .map(|resolved| resolved.item)
        .map_err(|error| Diagnostic::error(at, error.message(section.name())))
}

fn parameters(
    types: &mut TypeLowerer,
    operation: &SpecOperation,
    path_parameters: &[ReferenceOr<Parameter>],
    owner: &str,
    field_names: &mut Namespace,
    at: &str,
) -> Result<Vec<Param>, Diagnostic> {
    let mut resolved: Vec<(&Parameter, String)> = Vec::new();
    let path_level = path_parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{}/parameters/{i}", parent_of(at))));
    let operation_level = operation
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{at}/parameters/{i}")));
    for (parameter, parameter_at) in path_level.chain(operation_level) {
        let parameter = resolve(&types.refs().parameters, parameter, &parameter_at)?;
        let data = parameter.parameter_data_ref();
        // An operation's parameter overrides a path-level one with the same name and location.
        resolved.retain(|(p, _)| {
            !(p.parameter_data_ref().name == data.name
                && std::mem::discriminant(*p) == std::mem::discriminant(parameter))
        });
        resolved.push((parameter, parameter_at));
    }
    let mut params = Vec::new();
    for (parameter, parameter_at) in resolved {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let hint = format!("{owner}{}", type_name(&data.name, "Param"));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                types.lower_type(schema, &hint, &child(&parameter_at, "schema"))
            }
            ParameterSchemaOrContent::Content(_) => {
                types.warn(Diagnostic::warning(
                    &parameter_at,
                    "a parameter described by `content` is sent as JSON text",
                ));
                TypeRef::Json
            }
        };
        if location == ParamLocation::Header && is_ignored_header(&data.name) {
            types.warn(Diagnostic::warning(
                &parameter_at,
                format!(
                    "header parameter `{}` is ignored, as OpenAPI requires: the request sets it from the body, the responses or the credentials",
                    data.name
                ),
            ));
            continue;
        }
        params.push(Param {
            name: field_names.claim(&snake_name(&data.name, "param")),
            wire_name: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            docs: data.description.clone(),
            pointer: Pointer::from_escaped(parameter_at),
        });
    }
    Ok(params)
}

fn parent_of(at: &str) -> &str {
    at.rfind('/').map_or(at, |i| &at[..i])
}

/// Splits `/a/{id}/b` into literals and references to the declared path parameters.
fn path_template(path: &str, params: &[Param], at: &str) -> Result<Vec<PathPart>, Diagnostic> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|i| open + i).ok_or_else(|| {
            Diagnostic::error(at, format!("the path `{path}` has an unclosed `{{`"))
        })?;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            .ok_or_else(|| {
                Diagnostic::error(
                    at,
                    format!("the path uses `{{{name}}}` but declares no path parameter `{name}`"),
                )
                .with_hint("declare it under `parameters` with `in: path`")
            })?;
        parts.push(PathPart::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    Ok(parts)
}

/// Header parameters named `Accept`, `Content-Type` or `Authorization` "SHALL be ignored"
/// (OpenAPI 3.0, Parameter Object): the runtime sets these headers.
fn is_ignored_header(name: &str) -> bool {
    ["accept", "content-type", "authorization"]
        .iter()
        .any(|ignored| name.eq_ignore_ascii_case(ignored))
}

/// Whether two response bodies decode into the same Rust type (text and bytes bodies do,
/// whatever their media types).
fn same_rust_type(a: &ResponseBody, b: &ResponseBody) -> bool {
    match (a, b) {
        (ResponseBody::Text { .. }, ResponseBody::Text { .. })
        | (ResponseBody::Bytes { .. }, ResponseBody::Bytes { .. }) => true,
        _ => a == b,
    }
}

fn request_body(
    types: &mut TypeLowerer,
    names: &mut Names,
    operation: &SpecOperation,
    owner: &str,
    field_names: &mut Namespace,
    at: &str,
) -> Result<Option<Body>, Diagnostic> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body_at = child(at, "requestBody");
    let body = resolve(&types.refs().request_bodies, body, &body_at)?;
    let mut cx = BodyContext {
        types,
        type_names: &mut names.types,
        owner,
    };
    let field_name = field_names.claim("body");
    Ok(Some(body::request_body(
        &mut cx, body, field_name, &body_at,
    )))
}
