//! The intermediate representation: what a generated client contains, in Rust terms.
//!
//! `lower` builds it from the `openapiv3` model; `emit` turns it into tokens and never sees
//! OpenAPI. Every name here is already a valid, unique Rust identifier (see `naming`), kept next
//! to the wire name it stands for, and every node keeps the JSON pointer it came from.

mod webhooks;

pub use webhooks::{Dispatch, WebhookEvent, WebhookSignature, Webhooks};

/// One API: everything one provider's module contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// Named types, in a stable order: components in document order, each followed by the
    /// inline types it introduced.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The events the API sends (OpenAPI 3.1 `webhooks`); `None` when it documents none.
    pub webhooks: Option<Webhooks>,
}

/// A documented base URL, as a variant of the generated `Server` enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub name: String,
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    pub pointer: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; `additional` captures the other properties when the
    /// schema says what they are (or allows them explicitly).
    Struct {
        fields: Vec<Field>,
        additional: Option<Additional>,
    },
    /// A string enum. Generated enums are open: unknown values are kept, not rejected.
    Enum { variants: Vec<Variant> },
    /// A name for another type (`pub type X = Y;`).
    Alias(TypeRef),
    /// A `oneOf`/`anyOf`: an enum with one variant per branch, each holding that branch's type.
    Union(Union),
}

/// The field that keeps an object's properties beyond the named ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    pub name: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    /// The spec lists the field in `required`.
    pub required: bool,
    /// The spec allows `null`.
    pub nullable: bool,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub wire_value: String,
    pub docs: Option<String>,
}

/// A Rust type, by shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    Integer(IntegerKind),
    Float(FloatKind),
    Uuid,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// A type defined in the API's `types` module.
    Named(String),
    List(Box<TypeRef>),
    /// A map from string keys (`BTreeMap<String, T>`, ordered so output is deterministic).
    Map(Box<TypeRef>),
    /// `Option<T>` inside a container (a nullable array item or map value).
    Option(Box<TypeRef>),
    /// `Box<T>`: a field that would otherwise make a type infinitely large.
    Boxed(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegerKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FloatKind {
    F32,
    F64,
}

/// One operation: a request struct, its error enum, and a client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (or the name derived when it has none).
    pub id: String,
    /// The client method (snake_case).
    pub method_name: String,
    /// The request struct (UpperCamelCase).
    pub type_name: String,
    /// The enum of documented error responses.
    pub error_type_name: String,
    /// The enum of success responses, when they have different bodies (else `None`: the
    /// output is the one success body's type).
    pub success_type_name: Option<String>,
    /// `GET`, `POST`, …
    pub http_method: String,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The spec requires credentials for this operation.
    pub authenticated: bool,
    pub success: Vec<Response>,
    pub errors: Vec<Response>,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

/// An operation's request body: one media type of the spec's `requestBody.content`.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The request struct's field that holds it.
    pub name: String,
    /// The media type sent as `content-type`, as the spec writes it (`application/json`, …;
    /// a wildcard such as `*/*` becomes a concrete type).
    pub media_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub docs: Option<String>,
}

/// How a request body is encoded, decided by its media type.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `*/*`, `…+json`) of this type.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: the value's fields as `name=value` pairs.
    Form(TypeRef),
    /// `multipart/form-data` with known parts: a struct emitted beside the operation.
    Multipart(MultipartForm),
    /// `multipart/form-data` whose schema has no fixed properties (a map, a union): each
    /// top-level property of the value is sent as a text part.
    MultipartFields(TypeRef),
    /// Text (`text/*`), sent from a `String`.
    Text,
    /// Raw bytes (`application/octet-stream`, images, any other media type), from a `Vec<u8>`.
    Bytes,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

/// How a documented response's body is decoded, decided by its media type.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content documented: any body is ignored (`()`).
    Empty,
    /// JSON of this type.
    Json(TypeRef),
    /// Text (`text/*`), decoded as UTF-8 into a `String`.
    Text { media_type: String },
    /// Any other media type (binary, images, …): the raw bytes, as a `Vec<u8>`.
    Bytes { media_type: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's error enum (or success enum).
    pub variant: String,
    pub body: ResponseBody,
    pub docs: Option<String>,
}

/// A `multipart/form-data` request body with known parts, emitted as a struct beside the
/// operation (its file parts are bytes, which the schema types do not model).
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartForm {
    /// The struct's name, unique among the operations module's items.
    pub type_name: String,
    pub docs: Option<String>,
    /// The parts, in the schema's property order.
    pub parts: Vec<MultipartPart>,
    pub pointer: String,
}

/// One field of a [`MultipartForm`]: a part (or, for arrays, several parts of one name).
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    pub name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub kind: PartKind,
    /// The schema lists the property in `required` (and does not allow `null`).
    pub required: bool,
    /// The part's `content-type` from the media type's `encoding`, when the spec gives one.
    pub content_type: Option<String>,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A value sent as text (scalars, arrays as repeated parts) or JSON (objects).
    Value(TypeRef),
    /// One file (`format: binary`): `Vec<u8>`.
    File,
    /// Several files under one name (an array of `format: binary`): `Vec<Vec<u8>>`.
    Files,
}

/// A `oneOf`/`anyOf` as an enum whose variants hold the branches' types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The branches, in document order.
    pub variants: Vec<UnionVariant>,
    /// The property whose value selects the variant (the discriminator, given or inferred);
    /// `None`: untagged, the first variant whose type accepts the value is taken.
    pub tag: Option<String>,
    /// The variant that keeps any other value as JSON, so a shape the spec did not list does not
    /// fail the whole response. `None` when a branch already accepts any value.
    pub fallback: Option<String>,
    /// The variants' payloads leave the tag out, since the variant implies it: serializing
    /// writes it. Only for tagged unions whose variants each have exactly one string value.
    pub tag_implied: bool,
}

/// One branch of a [`Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    /// The payload; `None` when the variant carries nothing but its tag.
    pub ty: Option<TypeRef>,
    pub docs: Option<String>,
    /// The values of [`Union::tag`] that select this variant; variants that share a value are
    /// tried in order. In a tagged union, a variant without values is tried (in order) for the
    /// values no variant claims; in an untagged union, no variant has values.
    pub tags: Vec<TagValue>,
    pub pointer: String,
}

/// A value of a union's tag property. All the values of one union are of one kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagValue {
    String(String),
    Integer(i64),
}
