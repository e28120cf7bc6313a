//! Lowering request and response bodies by media type: JSON, forms, multipart, text, bytes.
//!
//! A request body takes one media type of the spec's `content`: the first JSON one, else the
//! first one the runtime encodes (form, multipart, text, binary), else the first one (sent as
//! bytes with a warning). Responses are decoded likewise: JSON typed, text as `String`,
//! anything else as bytes. Multipart bodies with known properties get their own struct, whose
//! `format: binary` fields are bytes.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ReferenceOr, RequestBody, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::refs::Refs;
use super::schema::{AsSchema, ObjectParts, Property, TypeLowerer};
use crate::diagnostics::{child, Diagnostic};
use crate::ir::{
    Body, BodyKind, MultipartForm, MultipartPart, PartKind, Pointer, ResponseBody, TypeRef,
};
use crate::naming::{snake_name, type_name, Namespace};

/// The media type the runtime's JSON encoder sends by default.
pub(super) const JSON: &str = "application/json";

/// The default `content-type` of a file part and of bytes sent for a wildcard media type.
const OCTET_STREAM: &str = "application/octet-stream";

/// What a media type is, for choosing a body and deciding how to encode it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
    /// A media type the runtime has no encoding for: sent and received as bytes.
    Other,
}

/// The media type without parameters, lowercased: `Application/JSON; charset=utf-8` →
/// `application/json`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn classify(media_type: &str) -> Media {
    let essence = essence(media_type);
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    match (kind, subtype) {
        ("application", "json") | ("*", "*") => Media::Json,
        (_, s) if s.ends_with("+json") => Media::Json,
        ("application", "x-www-form-urlencoded") => Media::Form,
        ("multipart", "form-data") => Media::Multipart,
        ("text", _) => Media::Text,
        ("image" | "audio" | "video" | "font", _) => Media::Binary,
        ("application", "octet-stream" | "pdf" | "zip" | "gzip" | "x-tar" | "wasm") => {
            Media::Binary
        }
        _ => Media::Other,
    }
}

/// The media type a request sends for the spec's key: the key itself unless it is a wildcard,
/// which cannot be a `content-type`.
fn sendable(media_type: &str, media: Media) -> String {
    if !media_type.contains('*') {
        return media_type.to_string();
    }
    match media {
        Media::Json => JSON,
        Media::Text => "text/plain",
        _ => OCTET_STREAM,
    }
    .to_string()
}

/// The request body's media type: the first JSON one, else the first one the runtime encodes,
/// else the first one.
fn choose_request_media(
    content: &IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, Media)> {
    let classified = || content.iter().map(|(k, m)| (k, m, classify(k)));
    classified()
        .find(|(_, _, media)| *media == Media::Json)
        .or_else(|| classified().find(|(_, _, media)| *media != Media::Other))
        .or_else(|| classified().next())
}

/// What [`request_body`] needs besides the body itself.
pub(super) struct BodyContext<'b, 't> {
    pub types: &'b mut TypeLowerer<'t>,
    /// The operations module's namespace, where multipart body structs are named.
    pub type_names: &'b mut Namespace,
    /// The request struct's name, which body types are named after.
    pub owner: &'b str,
}

/// Lowers a resolved `requestBody` (at `at`) into the request struct's field `field_name`.
pub(super) fn request_body(
    cx: &mut BodyContext<'_, '_>,
    body: &RequestBody,
    field_name: String,
    at: &str,
) -> Body {
    let lowered = choose_request_media(&body.content).map(|(media_type, content, media)| {
        let content_at = child(&child(at, "content"), media_type);
        let kind = body_kind(cx, content, media, media_type, &content_at);
        (sendable(media_type, media_for(&kind, media)), kind)
    });
    let (media_type, kind) = lowered.unwrap_or_else(|| {
        cx.types.warn(Diagnostic::warning(
            at,
            "the request body lists no media type; it is sent as raw bytes",
        ));
        (OCTET_STREAM.to_string(), BodyKind::Bytes)
    });
    Body {
        name: field_name,
        default_media_type: matches!(kind, BodyKind::Json(_)) && media_type == JSON,
        media_type,
        kind,
        required: body.required,
        docs: body.description.clone(),
        pointer: Pointer::from_escaped(at),
    }
}

/// The media class the body kind finally sends (a JSON media type whose schema is binary is
/// sent as bytes).
fn media_for(kind: &BodyKind, media: Media) -> Media {
    match (kind, media) {
        (BodyKind::Bytes, Media::Json) => Media::Binary,
        _ => media,
    }
}

fn body_kind(
    cx: &mut BodyContext<'_, '_>,
    content: &MediaType,
    media: Media,
    media_type: &str,
    at: &str,
) -> BodyKind {
    let hint = format!("{}Body", cx.owner);
    match media {
        Media::Json if is_binary_media(cx.types.refs(), content) => BodyKind::Bytes,
        Media::Json => BodyKind::Json(media_schema(cx.types, content, &hint, at)),
        Media::Form => BodyKind::Form(media_schema(cx.types, content, &hint, at)),
        Media::Multipart => multipart_kind(cx, content, at),
        Media::Text => BodyKind::Text,
        Media::Binary => BodyKind::Bytes,
        Media::Other => {
            cx.types.warn(
                Diagnostic::warning(
                    at,
                    format!("request bodies of type {media_type} have no encoding here; the body is sent as raw bytes"),
                )
                .with_hint("the request struct's body field is `Vec<u8>`: encode it yourself"),
            );
            BodyKind::Bytes
        }
    }
}

fn media_schema(types: &mut TypeLowerer, content: &MediaType, hint: &str, at: &str) -> TypeRef {
    match &content.schema {
        Some(schema) => types.lower_type(schema, hint, &child(at, "schema")),
        None => TypeRef::Json,
    }
}

/// A multipart body: a struct of its parts when the schema lists properties, else each
/// top-level property of a value of the schema's type as a text part.
fn multipart_kind(cx: &mut BodyContext<'_, '_>, content: &MediaType, at: &str) -> BodyKind {
    if let Some(form) = multipart_form(cx, content, at) {
        return BodyKind::Multipart(form);
    }
    let ty = media_schema(cx.types, content, &format!("{}Body", cx.owner), at);
    if !matches!(ty, TypeRef::Map(_)) {
        cx.types.warn(
            Diagnostic::warning(
                at,
                "this multipart body's schema lists no properties; each top-level property of the value is sent as a text part",
            )
            .with_hint("file parts need a schema with `properties` of `format: binary`"),
        );
    }
    BodyKind::MultipartFields(ty)
}

fn multipart_form(
    cx: &mut BodyContext<'_, '_>,
    content: &MediaType,
    at: &str,
) -> Option<MultipartForm> {
    let schema = content.schema.as_ref()?;
    let schema_at = child(at, "schema");
    // The parts are the fields a struct of the schema has: gathered the same way.
    let parts = ObjectParts::of_member(cx.types.refs(), schema, &schema_at);
    if parts.properties.is_empty() {
        return None;
    }
    let type_name = cx.type_names.claim(&format!("{}Body", cx.owner));
    let mut field_names = Namespace::new();
    let lowered = parts
        .properties
        .iter()
        .map(|(wire_name, property)| {
            let required = parts.required.contains(wire_name);
            multipart_part(
                cx,
                content,
                (wire_name, property),
                required,
                &type_name,
                &mut field_names,
            )
        })
        .collect();
    let docs = (cx.types.refs().schemas.resolve(schema).ok())
        .and_then(|resolved| resolved.item.schema_data.description.clone());
    Some(MultipartForm {
        type_name,
        docs,
        parts: lowered,
        pointer: Pointer::from_escaped(schema_at),
    })
}

fn multipart_part(
    cx: &mut BodyContext<'_, '_>,
    content: &MediaType,
    (wire_name, property): (&str, &Property<'_>),
    required: bool,
    form_name: &str,
    field_names: &mut Namespace,
) -> MultipartPart {
    let item = match property.schema {
        ReferenceOr::Item(schema) => Some(schema.as_ref()),
        ReferenceOr::Reference { .. } => None,
    };
    let kind = match file_kind(cx.types.refs(), property.schema, &mut Vec::new()) {
        Some(files) => {
            if files.dropped_other_forms {
                cx.types.warn(Diagnostic::warning(
                    &property.pointer,
                    "only the file forms of this `oneOf`/`anyOf` are modelled; the part is sent as file content",
                ));
            }
            files.kind
        }
        None => PartKind::Value(value_type(cx, wire_name, property, form_name)),
    };
    let encoded = content
        .encoding
        .get(wire_name)
        .and_then(|encoding| encoding.content_type.as_deref())
        .and_then(first_concrete_media_type);
    let content_type = match kind {
        PartKind::File | PartKind::Files => Some(encoded.unwrap_or(OCTET_STREAM.to_string())),
        PartKind::Value(_) => encoded,
    };
    MultipartPart {
        name: field_names.claim(&snake_name(wire_name, "field")),
        wire_name: wire_name.to_string(),
        docs: item.and_then(|s| s.schema_data.description.clone()),
        kind,
        required: required && !item.is_some_and(|s| s.schema_data.nullable),
        content_type,
        pointer: Pointer::from_escaped(property.pointer.as_str()),
    }
}

/// The type of a text part: the component's own field type when the property belongs to a
/// component schema (so its inline types are not defined twice), else lowered here.
fn value_type(
    cx: &mut BodyContext<'_, '_>,
    wire_name: &str,
    property: &Property<'_>,
    form_name: &str,
) -> TypeRef {
    let declared =
        (property.component).and_then(|component| cx.types.field_type(component, wire_name));
    if let Some(ty) = declared {
        return ty.clone();
    }
    let hint = format!("{form_name}{}", type_name(wire_name, "Field"));
    cx.types
        .lower_type(property.schema, &hint, &property.pointer)
}

/// An encoding's `contentType` as one sendable media type: the first of a list, unless it is
/// a wildcard.
fn first_concrete_media_type(content_type: &str) -> Option<String> {
    let first = content_type.split(',').next()?.trim();
    (!first.is_empty() && !first.contains('*')).then(|| first.to_string())
}

/// The schema a value as written stands for, through its `$ref`s, with the component it is
/// (if reached through one).
fn resolve_schema<'s, S: AsSchema>(
    refs: &Refs<'s>,
    schema: &'s ReferenceOr<S>,
) -> Option<(&'s Schema, Option<usize>)> {
    match schema {
        ReferenceOr::Item(schema) => Some((schema.as_schema(), None)),
        ReferenceOr::Reference { reference } => {
            let resolved = refs.schemas.resolve_reference(reference).ok()?;
            Some((resolved.item, resolved.entry.map(|(index, _)| index)))
        }
    }
}

/// A property that holds files.
struct Files {
    kind: PartKind,
    /// A `oneOf`/`anyOf` member that is not a file was left out.
    dropped_other_forms: bool,
}

/// Whether a property is a file (`format: binary`), an array of files, or a `oneOf`/`anyOf`
/// of those (then several files, which also covers the single one). `seen` holds the
/// components passed: one met again is a cycle, which holds no file.
fn file_kind<'s, S: AsSchema>(
    refs: &Refs<'s>,
    schema: &'s ReferenceOr<S>,
    seen: &mut Vec<usize>,
) -> Option<Files> {
    let (schema, component) = resolve_schema(refs, schema)?;
    let Some(component) = component else {
        return schema_file_kind(refs, schema, seen);
    };
    if seen.contains(&component) {
        return None;
    }
    seen.push(component);
    let files = schema_file_kind(refs, schema, seen);
    seen.pop();
    files
}

/// [`file_kind`] for a schema reached.
fn schema_file_kind<'s>(
    refs: &Refs<'s>,
    schema: &'s Schema,
    seen: &mut Vec<usize>,
) -> Option<Files> {
    if is_binary(schema) {
        return Some(Files {
            kind: PartKind::File,
            dropped_other_forms: false,
        });
    }
    if array_items(schema)
        .and_then(|items| resolve_schema(refs, items))
        .is_some_and(|(items, _)| is_binary(items))
    {
        return Some(Files {
            kind: PartKind::Files,
            dropped_other_forms: false,
        });
    }
    let members = alternatives(schema);
    let files: Vec<Files> = members
        .iter()
        .filter_map(|member| file_kind(refs, *member, seen))
        .collect();
    if files.is_empty() {
        return None;
    }
    let several = files.len() > 1 || files.iter().any(|f| f.kind == PartKind::Files);
    Some(Files {
        kind: if several {
            PartKind::Files
        } else {
            PartKind::File
        },
        dropped_other_forms: files.len() < members.len()
            || files.iter().any(|f| f.dropped_other_forms),
    })
}

/// The members of a `oneOf` or `anyOf`.
fn alternatives(schema: &Schema) -> Vec<&ReferenceOr<Schema>> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
            members.iter().collect()
        }
        SchemaKind::Any(any) => any.one_of.iter().chain(&any.any_of).collect(),
        _ => Vec::new(),
    }
}

fn array_items(schema: &Schema) -> Option<&ReferenceOr<Box<Schema>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref(),
        SchemaKind::Any(any) if any.typ.as_deref() == Some("array") => any.items.as_ref(),
        _ => None,
    }
}

/// `type: string, format: binary`: raw bytes.
fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Item(format) => *format == StringFormat::Binary,
            VariantOrUnknownOrEmpty::Unknown(format) => format == "binary",
            VariantOrUnknownOrEmpty::Empty => false,
        },
        SchemaKind::Any(any) => {
            any.format.as_deref() == Some("binary")
                && matches!(any.typ.as_deref(), None | Some("string"))
        }
        _ => false,
    }
}

/// A media type whose schema is `format: binary` carries bytes, whatever its name says.
fn is_binary_media(refs: &Refs<'_>, content: &MediaType) -> bool {
    content
        .schema
        .as_ref()
        .and_then(|schema| resolve_schema(refs, schema))
        .is_some_and(|(schema, _)| is_binary(schema))
}

/// How a documented response's body is decoded: the first JSON media type, typed; else the
/// first media type, as text (`text/*`) or bytes.
pub(super) fn response_body(
    types: &mut TypeLowerer,
    content: &IndexMap<String, MediaType>,
    hint: &str,
    at: &str,
) -> ResponseBody {
    let json = content.iter().find(|(key, _)| classify(key) == Media::Json);
    let Some((media_type, media)) = json.or_else(|| content.iter().next()) else {
        return ResponseBody::Empty;
    };
    let media_type = media_type.clone();
    match classify(&media_type) {
        Media::Json if is_binary_media(types.refs(), media) => ResponseBody::Bytes { media_type },
        Media::Json => {
            let media_at = child(&child(at, "content"), &media_type);
            ResponseBody::Json(media_schema(types, media, hint, &media_at))
        }
        Media::Text => ResponseBody::Text { media_type },
        _ => ResponseBody::Bytes { media_type },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_classified_by_essence() {
        let cases = [
            ("application/json", Media::Json),
            ("Application/JSON; charset=utf-8", Media::Json),
            ("application/vnd.api+json", Media::Json),
            ("*/*", Media::Json),
            ("application/x-www-form-urlencoded", Media::Form),
            ("multipart/form-data", Media::Multipart),
            ("text/plain", Media::Text),
            ("text/csv", Media::Text),
            ("image/png", Media::Binary),
            ("application/octet-stream", Media::Binary),
            ("application/pdf", Media::Binary),
            ("application/xml", Media::Other),
            ("multipart/mixed", Media::Other),
        ];
        for (media_type, expected) in cases {
            assert_eq!(classify(media_type), expected, "{media_type}");
        }
    }

    #[test]
    fn wildcards_are_not_sent_as_content_types() {
        assert_eq!(sendable("*/*", Media::Json), "application/json");
        assert_eq!(sendable("text/*", Media::Text), "text/plain");
        assert_eq!(sendable("image/*", Media::Binary), OCTET_STREAM);
        assert_eq!(sendable("text/csv", Media::Text), "text/csv");
    }

    #[test]
    fn encoding_content_types_take_the_first_concrete_one() {
        assert_eq!(
            first_concrete_media_type("image/png, image/jpeg").as_deref(),
            Some("image/png")
        );
        assert_eq!(first_concrete_media_type("image/*"), None);
        assert_eq!(first_concrete_media_type(""), None);
    }
}
