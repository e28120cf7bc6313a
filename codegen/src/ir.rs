//! The intermediate representation: what a generated client contains, in Rust terms.
//!
//! `lower` builds it from the `openapiv3` model; `emit` turns it into tokens and never sees
//! OpenAPI. Every name here is already a valid, unique Rust identifier (see `naming`), kept next
//! to the wire name it stands for, and every node keeps the JSON pointer it came from.

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
    I32,
    I64,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's error enum (or success enum).
    pub variant: String,
    pub body: ResponseBody,
    pub docs: Option<String>,
}
