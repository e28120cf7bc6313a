//! The intermediate representation: what a generated client contains, in Rust terms.
//!
//! `lower` builds it from the `openapiv3` model; `emit` turns it into tokens and never sees
//! OpenAPI. Every name here is already a valid, unique Rust identifier (see `naming`), kept next
//! to the wire name it stands for, and every node keeps the JSON pointer it came from.
//!
//! Named types are referred to by [`TypeId`], their index in [`Api::types`]. The references of
//! a definition or an operation are visited by one traversal ([`TypeKind::refs`],
//! [`Operation::refs`]) that every pass uses. What the generated code does (serde renames,
//! boxing, the `Accept` header, an operation's shared error body) is decided in `lower` and
//! recorded here: `emit` prints it.

use std::fmt;

pub use crate::pointer::Pointer;

mod auth;

pub use auth::{
    Credentials, CredentialsKind, HmacScheme, KeyEncoding, SignatureEncoding, SignedPart,
    TimestampUnit,
};

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
    /// inline types it introduced. A [`TypeId`] is an index into this list.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Credentials constructors, in the order of `components.securitySchemes`.
    pub credentials: Vec<Credentials>,
    /// The events the API sends (OpenAPI 3.1 `webhooks`); `None` when it documents none.
    pub webhooks: Option<Webhooks>,
}

impl Api {
    /// The definition a reference names.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// The type of this Rust name, if any (a linear search: for tests and one-off look-ups).
    pub fn find_type(&self, name: &str) -> Option<TypeId> {
        self.types
            .iter()
            .position(|def| def.name == name)
            .map(TypeId::from_index)
    }

    /// Calls `visit` on every type reference of the API: each definition's, then each
    /// operation's (by [`TypeKind::refs`] and [`Operation::refs`]), then each webhook payload.
    pub fn for_each_ref_mut(&mut self, mut visit: impl FnMut(&mut TypeRef)) {
        for def in &mut self.types {
            let sites: Vec<TypeSite> = def.kind.refs().map(|(site, _)| site).collect();
            for site in sites {
                if let Some(ty) = def.kind.ref_mut(site) {
                    visit(ty);
                }
            }
        }
        for operation in &mut self.operations {
            let sites: Vec<OperationSite> = operation.refs().map(|(site, _)| site).collect();
            for site in sites {
                if let Some(ty) = operation.ref_mut(site) {
                    visit(ty);
                }
            }
        }
        for event in self.webhooks.iter_mut().flat_map(|hooks| &mut hooks.events) {
            visit(&mut event.payload);
        }
    }

    /// Every type reference of the webhooks' payloads.
    pub fn webhook_refs(&self) -> impl Iterator<Item = &TypeRef> + '_ {
        (self.webhooks.iter()).flat_map(|hooks| hooks.events.iter().map(|event| &event.payload))
    }
}

/// A named type: its index in [`Api::types`]. Ids are given before lowering (components first,
/// in document order), so references and cycles resolve before any type is built.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

impl TypeId {
    pub fn from_index(index: usize) -> Self {
        Self(u32::try_from(index).expect("fewer than 2^32 types"))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Debug for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TypeId({})", self.0)
    }
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
    pub pointer: Pointer,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; `additional` captures the other properties when the
    /// schema says what they are (or allows them explicitly).
    Struct {
        fields: Vec<Field>,
        additional: Option<Additional>,
        /// serde's `rename_all = "camelCase"` names the fields (it spares a `rename` on each
        /// camelCase one); see [`Field::rename`].
        camel_case: bool,
    },
    /// A string enum. Generated enums are open: unknown values are kept, not rejected.
    Enum { variants: Vec<Variant> },
    /// A name for another type (`pub type X = Y;`).
    Alias(TypeRef),
    /// A `oneOf`/`anyOf`: an enum with one variant per branch, each holding that branch's type.
    Union(Union),
}

/// Where a type reference sits in a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSite {
    /// A struct's field, by index.
    Field(usize),
    /// A struct's map of other properties.
    Additional,
    /// A union's variant, by index.
    Variant(usize),
    /// An alias's target.
    Alias,
}

impl TypeSite {
    /// Whether the definition holds the referenced value inline (a field or a variant), so that
    /// a cycle through it makes the type infinitely large. A map's values are on the heap.
    pub fn by_value(self) -> bool {
        matches!(self, TypeSite::Field(_) | TypeSite::Variant(_))
    }
}

impl TypeKind {
    /// Every type reference of the definition, in order, with where it sits: the one traversal
    /// of a definition's references.
    pub fn refs(&self) -> impl Iterator<Item = (TypeSite, &TypeRef)> + '_ {
        let (fields, additional, variants, alias): (&[Field], _, &[UnionVariant], _) = match self {
            TypeKind::Struct {
                fields, additional, ..
            } => (fields, additional.as_ref(), &[], None),
            TypeKind::Union(union) => (&[], None, &union.variants, None),
            TypeKind::Alias(target) => (&[], None, &[], Some(target)),
            TypeKind::Enum { .. } => (&[], None, &[], None),
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(i, field)| (TypeSite::Field(i), &field.ty));
        let additional = additional.map(|a| (TypeSite::Additional, &a.ty));
        let variants = variants
            .iter()
            .enumerate()
            .filter_map(|(i, variant)| Some((TypeSite::Variant(i), variant.ty.as_ref()?)));
        let alias = alias.map(|target| (TypeSite::Alias, target));
        fields.chain(additional).chain(variants).chain(alias)
    }

    /// The reference at `site` (as [`Self::refs`] gives it), to change it.
    pub fn ref_mut(&mut self, site: TypeSite) -> Option<&mut TypeRef> {
        match (self, site) {
            (TypeKind::Struct { fields, .. }, TypeSite::Field(i)) => {
                Some(&mut fields.get_mut(i)?.ty)
            }
            (TypeKind::Struct { additional, .. }, TypeSite::Additional) => {
                Some(&mut additional.as_mut()?.ty)
            }
            (TypeKind::Union(union), TypeSite::Variant(i)) => {
                union.variants.get_mut(i)?.ty.as_mut()
            }
            (TypeKind::Alias(target), TypeSite::Alias) => Some(target),
            _ => None,
        }
    }
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
    /// The wire name, when serde would not derive it from the field's name (under the struct's
    /// `camel_case` rule): written as `#[serde(rename = …)]`.
    pub rename: Option<String>,
    pub pointer: Pointer,
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub wire_value: String,
    pub docs: Option<String>,
    /// Where the value is listed (an `enum` entry, or the `oneOf` branch that gives it).
    pub pointer: Pointer,
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
    Named(TypeId),
    List(Box<TypeRef>),
    /// A map from string keys (`BTreeMap<String, T>`, ordered so output is deterministic).
    Map(Box<TypeRef>),
    /// `Option<T>` inside a container (a nullable array item or map value).
    Option(Box<TypeRef>),
    /// `Box<T>`: a field that would otherwise make a type infinitely large.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// The wrapped reference of a `Vec`, map, `Option` or `Box`.
    fn inner(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::List(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => Some(inner),
            _ => None,
        }
    }

    /// The reference under any wrappers (`Vec`, map, `Option`, `Box`): a scalar, any JSON
    /// value, or a named type.
    pub fn core(&self) -> &TypeRef {
        let mut ty = self;
        while let Some(inner) = ty.inner() {
            ty = inner;
        }
        ty
    }

    /// The named type at the core of this reference (under any wrappers), if any.
    pub fn named(&self) -> Option<TypeId> {
        match self.core() {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// [`Self::named`], to change it.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::List(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => inner.named_mut(),
            _ => None,
        }
    }

    /// The named type this reference holds by value: through `Option` (and `Box` when
    /// `through_box`), not through a `Vec` or a map, which are on the heap.
    pub fn named_by_value(&self, through_box: bool) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Option(inner) => inner.named_by_value(through_box),
            TypeRef::Boxed(inner) if through_box => inner.named_by_value(through_box),
            _ => None,
        }
    }

    /// The Rust spelling of the reference, for messages (`Vec<Pet>`, `Option<i32>`); named
    /// types are spelled as `types` names them.
    pub fn display<'a>(&'a self, types: &'a [TypeDef]) -> impl fmt::Display + 'a {
        Spelled { ty: self, types }
    }
}

struct Spelled<'a> {
    ty: &'a TypeRef,
    types: &'a [TypeDef],
}

impl fmt::Display for Spelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wrapped = |f: &mut fmt::Formatter<'_>, outer: &str, inner: &TypeRef| {
            let inner = Spelled {
                ty: inner,
                types: self.types,
            };
            write!(f, "{outer}<{inner}>")
        };
        match self.ty {
            TypeRef::String => f.write_str("String"),
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::Integer(kind) => f.write_str(kind.rust_name()),
            TypeRef::Float(kind) => f.write_str(kind.rust_name()),
            TypeRef::Uuid => f.write_str("Uuid"),
            TypeRef::Json => f.write_str("serde_json::Value"),
            TypeRef::Named(id) => match self.types.get(id.index()) {
                Some(def) => f.write_str(&def.name),
                None => write!(f, "{id:?}"),
            },
            TypeRef::List(inner) => wrapped(f, "Vec", inner),
            TypeRef::Map(inner) => {
                let inner = Spelled {
                    ty: inner,
                    types: self.types,
                };
                write!(f, "BTreeMap<String, {inner}>")
            }
            TypeRef::Option(inner) => wrapped(f, "Option", inner),
            TypeRef::Boxed(inner) => wrapped(f, "Box", inner),
        }
    }
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

impl IntegerKind {
    /// The Rust type's name: `i32`, `u64`, …
    pub fn rust_name(self) -> &'static str {
        match self {
            IntegerKind::I8 => "i8",
            IntegerKind::I16 => "i16",
            IntegerKind::I32 => "i32",
            IntegerKind::I64 => "i64",
            IntegerKind::U8 => "u8",
            IntegerKind::U16 => "u16",
            IntegerKind::U32 => "u32",
            IntegerKind::U64 => "u64",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FloatKind {
    F32,
    F64,
}

impl FloatKind {
    /// The Rust type's name: `f32` or `f64`.
    pub fn rust_name(self) -> &'static str {
        match self {
            FloatKind::F32 => "f32",
            FloatKind::F64 => "f64",
        }
    }
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
    /// The operation is declared idempotent (`x-rampgen-idempotent: true`): the server does it
    /// once however often it is sent, so the runtime may retry it whatever its method.
    pub idempotent: bool,
    /// The wire name of the documented idempotency-key header parameter (`Idempotency-Key`,
    /// `X-Idempotency-Key`), if the operation has one: a request carrying it may be retried.
    pub idempotency_key: Option<String>,
    pub success: Vec<Response>,
    pub errors: Vec<Response>,
    /// How to walk the operation's pages, when it is a paginated list (see `lower::pagination`).
    pub pagination: Option<Pagination>,
    /// Every documented error decodes into the same type: the error enum gets a `body()`
    /// accessor for it.
    pub errors_share_body: bool,
    /// Set when other operations document the very same errors (or, like it, none): their
    /// error enums are one shared type, and `error_type_name` is an alias of it.
    pub shared_errors: Option<SharedErrors>,
    /// The `Accept` header, when a documented response is not JSON (JSON alone is the
    /// runtime's default): the responses' media types, in order, without repeats.
    pub accept: Option<String>,
    pub pointer: Pointer,
}

/// An error type that several operations share (see [`Operation::shared_errors`]): one
/// definition, its derives and its decoder instead of one per operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedErrors {
    /// The shared enum's name (in the operations module, or the runtime's).
    pub type_name: String,
    /// How many operations use it.
    pub operations: usize,
    pub defined: SharedDefinition,
}

/// Where a shared error type is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedDefinition {
    /// From this operation's errors (it is the first that uses the type).
    Here,
    /// From another operation's errors.
    Elsewhere,
    /// In the runtime: `NoDocumentedErrors`, for operations that document no errors.
    Runtime,
}

/// The JSON bodies' types of `responses`, each with its site.
fn response_refs(
    responses: &[Response],
    site: fn(usize) -> OperationSite,
) -> impl Iterator<Item = (OperationSite, &TypeRef)> + '_ {
    responses
        .iter()
        .enumerate()
        .filter_map(move |(i, response)| match &response.body {
            ResponseBody::Json(ty) => Some((site(i), ty)),
            _ => None,
        })
}

/// Where a type reference sits in an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationSite {
    /// A parameter, by index.
    Param(usize),
    /// The request body's type (JSON, form or multipart fields).
    Body,
    /// A part of a multipart body, by index.
    Part(usize),
    /// A success response's body, by index.
    Success(usize),
    /// An error response's body, by index.
    Error(usize),
    /// The item type of a paginated list.
    PageItem,
}

impl OperationSite {
    /// Whether users build the value to send it (a parameter or the request body).
    pub fn is_input(self) -> bool {
        matches!(
            self,
            OperationSite::Param(_) | OperationSite::Body | OperationSite::Part(_)
        )
    }
}

impl Operation {
    /// Every type reference of the operation, in order, with where it sits: the one traversal
    /// of an operation's references.
    pub fn refs(&self) -> impl Iterator<Item = (OperationSite, &TypeRef)> + '_ {
        let params = self
            .params
            .iter()
            .enumerate()
            .map(|(i, param)| (OperationSite::Param(i), &param.ty));
        let body = self.body.as_ref().map(|body| &body.kind);
        let body_type = body
            .and_then(BodyKind::type_ref)
            .map(|ty| (OperationSite::Body, ty));
        let parts = match body {
            Some(BodyKind::Multipart(form)) => form.parts.as_slice(),
            _ => &[],
        };
        let parts = parts
            .iter()
            .enumerate()
            .filter_map(|(i, part)| match &part.kind {
                PartKind::Value(ty) => Some((OperationSite::Part(i), ty)),
                PartKind::File | PartKind::Files => None,
            });
        params
            .chain(body_type)
            .chain(parts)
            .chain(response_refs(&self.success, OperationSite::Success))
            .chain(response_refs(&self.errors, OperationSite::Error))
            .chain(
                self.pagination
                    .as_ref()
                    .map(|pagination| (OperationSite::PageItem, &pagination.item_type)),
            )
    }

    /// The reference at `site` (as [`Self::refs`] gives it), to change it.
    pub fn ref_mut(&mut self, site: OperationSite) -> Option<&mut TypeRef> {
        match site {
            OperationSite::Param(i) => Some(&mut self.params.get_mut(i)?.ty),
            OperationSite::Body => self.body.as_mut()?.kind.type_ref_mut(),
            OperationSite::Part(i) => match &mut self.body.as_mut()?.kind {
                BodyKind::Multipart(form) => match &mut form.parts.get_mut(i)?.kind {
                    PartKind::Value(ty) => Some(ty),
                    _ => None,
                },
                _ => None,
            },
            OperationSite::Success(i) => self.success.get_mut(i)?.body.json_mut(),
            OperationSite::Error(i) => self.errors.get_mut(i)?.body.json_mut(),
            OperationSite::PageItem => Some(&mut self.pagination.as_mut()?.item_type),
        }
    }
}

/// A list operation whose results come a page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// The output's field that holds the page's items (`None`: the output is the list).
    pub items: Option<OutputField>,
    /// The type of one item.
    pub item_type: TypeRef,
}

impl Pagination {
    /// The suffix of the client's method that walks the pages: `<method>_pages`.
    pub const PAGES_SUFFIX: &'static str = "_pages";
    /// The suffix of the client's method that streams the items: `<method>_stream`.
    pub const STREAM_SUFFIX: &'static str = "_stream";
}

/// A field of an operation's output struct.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputField {
    /// The Rust field name.
    pub name: String,
    /// The property's name on the wire.
    pub wire_name: String,
    /// The field is an `Option`.
    pub optional: bool,
}

/// Where the next page comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationStyle {
    /// An envelope with a link to the next page (`next`), requested as given.
    NextLink { next: OutputField },
    /// A cursor from the output (`nextCursor`) sent back as a query parameter (`cursor`).
    Cursor {
        next: OutputField,
        /// Index into `Operation::params`.
        param: usize,
    },
    /// `offset` advanced by the number of items received, until a page is short of `limit`.
    Offset {
        /// Index into `Operation::params`.
        offset: usize,
        /// Index into `Operation::params`.
        limit: Option<usize>,
    },
}

impl PaginationStyle {
    /// The style's name in reports and overlays.
    pub fn name(&self) -> &'static str {
        match self {
            PaginationStyle::NextLink { .. } => "next-link",
            PaginationStyle::Cursor { .. } => "cursor",
            PaginationStyle::Offset { .. } => "offset",
        }
    }
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

impl ParamLocation {
    /// The spec's name for it (`in: query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    /// Where the operation lists it (`…/get/parameters/0`, or the path item's list).
    pub pointer: Pointer,
}

/// An operation's request body: one media type of the spec's `requestBody.content`.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The request struct's field that holds it.
    pub name: String,
    /// The media type sent as `content-type`, as the spec writes it (`application/json`, …;
    /// a wildcard such as `*/*` becomes a concrete type).
    pub media_type: String,
    /// The runtime's encoder sends `media_type` by itself (`application/json` for JSON), so the
    /// request need not name it.
    pub default_media_type: bool,
    pub kind: BodyKind,
    pub required: bool,
    pub docs: Option<String>,
    /// The operation's `requestBody`.
    pub pointer: Pointer,
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

impl BodyKind {
    /// The type of a JSON, form or multipart-fields body.
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::MultipartFields(ty) => Some(ty),
            BodyKind::Multipart(_) | BodyKind::Text | BodyKind::Bytes => None,
        }
    }

    fn type_ref_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::MultipartFields(ty) => Some(ty),
            BodyKind::Multipart(_) | BodyKind::Text | BodyKind::Bytes => None,
        }
    }
}

/// Which statuses a documented response covers. Ordered as OpenAPI matches them: exact codes,
/// then ranges, then `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

/// How a documented response's body is decoded, decided by its media type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

impl ResponseBody {
    fn json_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        }
    }

    /// The Rust type the body decodes into (`String` for text, `Vec<u8>` for bytes); `None`
    /// for no body.
    pub fn value_type(&self) -> Option<TypeRef> {
        match self {
            ResponseBody::Empty => None,
            ResponseBody::Json(ty) => Some(ty.clone()),
            ResponseBody::Text { .. } => Some(TypeRef::String),
            ResponseBody::Bytes { .. } => {
                Some(TypeRef::List(Box::new(TypeRef::Integer(IntegerKind::U8))))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's error enum (or success enum).
    pub variant: String,
    pub body: ResponseBody,
    pub docs: Option<String>,
    /// The status's entry under `responses`.
    pub pointer: Pointer,
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
    pub pointer: Pointer,
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
    /// The part's `content-type`: from the media type's `encoding` when the spec gives one,
    /// else `application/octet-stream` for files; `None` for a value part without one.
    pub content_type: Option<String>,
    /// The property.
    pub pointer: Pointer,
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
    pub pointer: Pointer,
}

/// A value of a union's tag property. All the values of one union are of one kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagValue {
    String(String),
    Integer(i64),
}
