//! Paginated list operations: recognised from the operation's shape, or declared.
//!
//! A list operation whose results come a page at a time gets, beside its one-page client method,
//! a way to walk every page. Three shapes are recognised (wire names, as most APIs spell them):
//!
//! - **next-link**: the success body is an object with a string `next` (the next page's URL,
//!   absent or `null` on the last page) and one array field (the items);
//! - **cursor**: the body has a string `nextCursor` and one array field, and the operation has a
//!   `cursor` query parameter that takes it back;
//! - **offset**: the operation has `offset` (and usually `limit`) query parameters and the body is
//!   the array itself. Nothing in that shape says the list is paged rather than filtered, so it
//!   is only taken when declared.
//!
//! An operation declares its style (or turns pagination off) with the extension
//! `x-pagination: next-link | cursor | offset | none`, which an overlay can add where the shape is
//! ambiguous. Each paginated operation is reported as a note with its style; a declaration that
//! does not fit the operation is a warning, and the operation stays unpaginated.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{
    Api, Field, OutputField, Pagination, PaginationStyle, ParamLocation, ResponseBody, TypeKind,
    TypeRef,
};
use crate::naming::unraw;

/// The operation extension that declares a style.
pub const EXTENSION: &str = "x-pagination";

/// Sets `pagination` on every operation that is a paginated list, reporting each; `declared`
/// holds each operation's `x-pagination` (see [`declaration`]), by its index.
pub fn recognize(api: &mut Api, declared: &[Option<String>], diagnostics: &mut Vec<Diagnostic>) {
    // A paginated operation's walks are methods of the client beside the operations' own,
    // compared without `r#`: `r#type_pages` and `type_pages` are one identifier.
    let method_names: HashSet<String> = api
        .operations
        .iter()
        .map(|op| unraw(&op.method_name).to_string())
        .collect();
    for index in 0..api.operations.len() {
        let op = &api.operations[index];
        let declared = declared.get(index).cloned().flatten();
        let found = match declared.as_deref() {
            Some("none") => continue,
            Some(style @ ("next-link" | "cursor" | "offset")) => {
                match shape(api, index, Some(style)) {
                    Ok(pagination) => Some(pagination),
                    Err(why) => {
                        diagnostics.push(Diagnostic::warning(
                            &op.pointer,
                            format!(
                                "`{EXTENSION}: {style}` is declared, but {why}: the operation is \
                                 not paginated"
                            ),
                        ));
                        None
                    }
                }
            }
            Some(other) => {
                diagnostics.push(
                    Diagnostic::warning(
                        &op.pointer,
                        format!("`{EXTENSION}: {other}` is not a pagination style: ignored"),
                    )
                    .with_hint("use next-link, cursor, offset or none"),
                );
                None
            }
            None => shape(api, index, None).ok(),
        };
        let Some(pagination) = found else {
            if declared.is_none() && offset_without_envelope(api, index) {
                let op = &api.operations[index];
                diagnostics.push(Diagnostic::new(
                    Severity::Note,
                    &op.pointer,
                    format!(
                        "`{}` takes `offset` and returns a bare list: if it is paged, declare \
                         `{EXTENSION}: offset` in the overlay to walk its pages",
                        op.id
                    ),
                ));
            }
            continue;
        };
        let op = &api.operations[index];
        let walks = [Pagination::PAGES_SUFFIX, Pagination::STREAM_SUFFIX]
            .map(|suffix| format!("{}{suffix}", unraw(&op.method_name)));
        if let Some(taken) = walks.iter().find(|walk| method_names.contains(*walk)) {
            diagnostics.push(
                Diagnostic::warning(
                    &op.pointer,
                    format!(
                        "`{}` is paginated ({}), but `Client::{taken}` is the method of another \
                         operation: not paginated, so that the client keeps both",
                        op.id,
                        pagination.style.name()
                    ),
                )
                .with_hint("rename one of the operations (its operationId) with an overlay"),
            );
            continue;
        }
        let items = pagination
            .items
            .as_ref()
            .map_or("the body".to_string(), |f| format!("`{}`", f.wire_name));
        let how = match &pagination.style {
            PaginationStyle::NextLink { next } => {
                format!("the next page is the link in `{}`", next.wire_name)
            }
            PaginationStyle::Cursor { next, param } => format!(
                "`{}` from `{}` asks for the next page",
                op.params[*param].wire_name, next.wire_name
            ),
            PaginationStyle::Offset { offset, .. } => format!(
                "`{}` advances by the items received, until a short page",
                op.params[*offset].wire_name
            ),
        };
        let how_declared = if declared.is_some() {
            "declared"
        } else {
            "recognised"
        };
        diagnostics.push(Diagnostic::new(
            Severity::Note,
            &op.pointer,
            format!(
                "`{}` is paginated ({}, {how_declared}): items in {items}; {how}; \
                 `Client::{}{}` walks every page",
                op.id,
                pagination.style.name(),
                unraw(&op.method_name),
                Pagination::STREAM_SUFFIX
            ),
        ));
        api.operations[index].pagination = Some(pagination);
    }
}

/// An operation's `x-pagination`, when it is a string.
pub(super) fn declaration(operation: &openapiv3::Operation) -> Option<String> {
    operation
        .extensions
        .get(EXTENSION)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The one success body's type, if it is JSON.
fn output(api: &Api, index: usize) -> Option<&TypeRef> {
    match api.operations[index].success.as_slice() {
        [only] => match &only.body {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        },
        _ => None,
    }
}

/// The fields of a named struct type, through aliases (a cycle of aliases has none).
fn struct_fields<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a [Field]> {
    let mut ty = ty;
    for _ in 0..=api.types.len() {
        let TypeRef::Named(id) = ty else {
            return None;
        };
        match &api.types.get(id.index())?.kind {
            TypeKind::Struct { fields, .. } => return Some(fields),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}

/// The item type of a list, through named aliases (`ItemList`, a component that is an array).
fn list_item<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<&'a TypeRef> {
    let mut ty = ty;
    for _ in 0..=api.types.len() {
        match ty {
            TypeRef::List(item) => return Some(item),
            TypeRef::Named(id) => match &api.types.get(id.index())?.kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

fn output_field(field: &Field) -> OutputField {
    OutputField {
        name: field.name.clone(),
        wire_name: field.wire_name.clone(),
        optional: !field.required || field.nullable,
    }
}

fn query_param(api: &Api, index: usize, wire: &str) -> Option<usize> {
    api.operations[index]
        .params
        .iter()
        .position(|p| p.location == ParamLocation::Query && p.wire_name == wire)
}

fn offset_without_envelope(api: &Api, index: usize) -> bool {
    output(api, index).is_some_and(|body| list_item(api, body).is_some())
        && query_param(api, index, "offset").is_some()
}

/// The operation's pagination, if its shape has one (of the `declared` style, when given).
fn shape(api: &Api, index: usize, declared: Option<&str>) -> Result<Pagination, String> {
    let body = output(api, index).ok_or("the operation has no single JSON success body")?;
    if let Some(item) = list_item(api, body) {
        if declared != Some("offset") {
            return Err("the body is a bare list".into());
        }
        let offset =
            query_param(api, index, "offset").ok_or("there is no `offset` query parameter")?;
        let integer = |i: usize| matches!(api.operations[index].params[i].ty, TypeRef::Integer(_));
        if !integer(offset) {
            return Err("`offset` is not an integer".into());
        }
        let limit = query_param(api, index, "limit").filter(|&i| integer(i));
        return Ok(Pagination {
            style: PaginationStyle::Offset { offset, limit },
            items: None,
            item_type: item.clone(),
        });
    }
    let fields = struct_fields(api, body).ok_or("the body is not an object")?;
    let lists: Vec<(&Field, &TypeRef)> = fields
        .iter()
        .filter_map(|f| Some((f, list_item(api, &f.ty)?)))
        .collect();
    let [(items, item_type)] = lists.as_slice() else {
        return Err("the body does not have exactly one array field".into());
    };
    let string_field = |wire: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == wire && f.ty == TypeRef::String)
    };
    let next_link = string_field("next");
    let next_cursor = string_field("nextCursor");
    let cursor = query_param(api, index, "cursor")
        .filter(|&i| api.operations[index].params[i].ty == TypeRef::String);
    let style = match (declared, next_link, next_cursor, cursor) {
        (None | Some("next-link"), Some(next), _, _) => PaginationStyle::NextLink {
            next: output_field(next),
        },
        (None | Some("cursor"), _, Some(next), Some(param)) => PaginationStyle::Cursor {
            next: output_field(next),
            param,
        },
        (Some("next-link"), None, _, _) => return Err("the body has no string `next`".into()),
        (Some("cursor"), _, _, _) => {
            return Err(
                "it needs a string `nextCursor` in the body and a `cursor` query parameter".into(),
            )
        }
        _ => return Err("the body has neither `next` nor `nextCursor`".into()),
    };
    Ok(Pagination {
        style,
        items: Some(output_field(items)),
        item_type: (*item_type).clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, Format};

    fn lower(text: &str) -> (Api, Vec<Diagnostic>) {
        let value = load(text, Format::Yaml).expect("test YAML loads").value;
        let spec: openapiv3::OpenAPI = serde_json::from_value(value).expect("test spec parses");
        crate::lower::lower(&spec)
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /links:
    get:
      operationId: listLinks
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
                  next: {type: string, nullable: true}
                  results: {type: array, items: {type: string}}
  /cursors:
    get:
      operationId: listCursors
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
        - {name: limit, in: query, required: true, schema: {type: integer}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  nextCursor: {type: string}
                  list: {type: array, items: {type: integer}}
  /bare:
    get:
      operationId: listBare
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200':
          description: A list.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /declared:
    get:
      operationId: listDeclared
      x-pagination: offset
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200':
          description: A list.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /wrong:
    get:
      operationId: getWrong
      x-pagination: cursor
      responses:
        '200':
          description: One thing.
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
"#;

    #[test]
    fn styles_are_recognised_from_the_shape_or_declared() {
        let (api, diagnostics) = lower(SPEC);
        let style = |id: &str| {
            api.operations
                .iter()
                .find(|o| o.id == id)
                .and_then(|o| o.pagination.as_ref())
                .map(|p| (p.style.name(), p.items.as_ref().map(|f| f.name.clone())))
        };
        assert_eq!(
            style("listLinks"),
            Some(("next-link", Some("results".into())))
        );
        assert_eq!(style("listCursors"), Some(("cursor", Some("list".into()))));
        assert_eq!(
            style("listBare"),
            None,
            "a bare list is only paged when declared"
        );
        assert_eq!(style("listDeclared"), Some(("offset", None)));
        assert_eq!(style("getWrong"), None);

        let messages: Vec<(Severity, &str)> = diagnostics
            .iter()
            .map(|d| (d.severity, d.message.as_str()))
            .collect();
        assert!(messages.iter().any(|(s, m)| *s == Severity::Note
            && m.starts_with("`listLinks` is paginated (next-link, recognised)")));
        assert!(messages.iter().any(|(s, m)| *s == Severity::Note
            && m.starts_with("`listDeclared` is paginated (offset, declared)")));
        assert!(messages.iter().any(|(s, m)| *s == Severity::Note
            && m.starts_with("`listBare` takes `offset` and returns a bare list")));
        assert!(messages.iter().any(|(s, m)| *s == Severity::Warning
            && m.starts_with("`x-pagination: cursor` is declared, but")));
    }

    #[test]
    fn lists_that_are_array_components_are_pages_too() {
        let spec =
            SPEC.replace(
                "results: {type: array, items: {type: string}}",
                "results: {$ref: '#/components/schemas/Strings'}",
            )
            .replace(
                "              schema: {type: array, items: {type: string}}",
                "              schema: {$ref: '#/components/schemas/Strings'}",
            ) + "components:\n  schemas:\n    Strings: {type: array, items: {type: string}}\n";
        let (api, diagnostics) = lower(&spec);
        let pagination = |id: &str| {
            api.operations
                .iter()
                .find(|o| o.id == id)
                .and_then(|o| o.pagination.clone())
        };
        let links = pagination("listLinks").expect("listLinks is paginated");
        assert_eq!(links.items.map(|f| f.name), Some("results".to_string()));
        assert_eq!(links.item_type, TypeRef::String);
        let declared = pagination("listDeclared").expect("listDeclared is paginated");
        assert_eq!(declared.item_type, TypeRef::String);
        assert!(diagnostics.iter().any(|d| d
            .message
            .starts_with("`listBare` takes `offset` and returns a bare list")));
    }

    #[test]
    fn a_walk_named_like_another_operation_leaves_the_operation_unpaginated_with_a_warning() {
        // `listCursors` is paginated, and `list_cursors_stream` is another operation's method.
        let spec = SPEC.replace(
            "  /bare:\n    get:\n      operationId: listBare",
            "  /bare:\n    get:\n      operationId: listCursorsStream",
        );
        let (api, diagnostics) = lower(&spec);
        let cursors = api
            .operations
            .iter()
            .find(|o| o.id == "listCursors")
            .unwrap();
        assert!(cursors.pagination.is_none());
        let warning = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Warning && d.pointer == cursors.pointer.as_str())
            .expect("a warning at the operation");
        assert!(
            warning
                .message
                .contains("`Client::list_cursors_stream` is the method of another operation"),
            "{}",
            warning.message
        );
        let links = api.operations.iter().find(|o| o.id == "listLinks").unwrap();
        assert!(links.pagination.is_some(), "the others stay paginated");

        // `type` is `r#type` in Rust, and its stream would be `typeStream`'s method.
        let spec = SPEC
            .replace("operationId: listCursors", "operationId: type")
            .replace("operationId: listBare", "operationId: typeStream");
        let (api, _) = lower(&spec);
        let cursors = api.operations.iter().find(|o| o.id == "type").unwrap();
        assert_eq!(cursors.method_name, "r#type");
        assert!(cursors.pagination.is_none());
    }
}
