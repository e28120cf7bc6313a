//! Lowering schemas to named types and type references.
//!
//! Objects become structs and string enums open enums here; `allOf` is merged in `all_of`,
//! `oneOf`/`anyOf` become enums (or scalars) in `union`, `notes` writes the doc lines for what a
//! Rust type cannot say (formats, allowed integers), and `boxing` breaks infinitely large types.

mod all_of;
mod boxing;
mod notes;
mod union;

pub(super) use all_of::ObjectParts;

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::refs::{RefError, Refs};
use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{
    Additional, Api, Field, FloatKind, IntegerKind, Pointer, TypeDef, TypeId, TypeKind, TypeRef,
    Variant,
};
use crate::naming::{serde_camel_case, snake_name, type_name, unraw, variant_name, Namespace};

/// A schema classified by what it becomes in Rust, over both the typed and the catch-all
/// (`AnySchema`) forms of the `openapiv3` model.
enum Shape<'s> {
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    /// Each value with its index in the written `enum` (nulls, which are not variants, skipped).
    StringEnum(Vec<(usize, String)>),
    String(String),
    Integer(String),
    Number(String),
    Boolean,
    /// `allOf` (beside it, an `AnySchema` may have properties of its own).
    AllOf(&'s [ReferenceOr<Schema>]),
    /// `oneOf` or `anyOf` (the keyword, for pointers).
    Union {
        keyword: &'static str,
        branches: &'s [ReferenceOr<Schema>],
    },
    /// No type keyword at all: any JSON value (or a schema that only annotates or constrains).
    Any,
}

fn format_name<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> String {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => {
            heck::ToKebabCase::to_kebab_case(format!("{item:?}").as_str())
        }
        VariantOrUnknownOrEmpty::Unknown(name) => name.clone(),
        VariantOrUnknownOrEmpty::Empty => String::new(),
    }
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(array)) => Shape::Array(array.items.as_ref()),
        SchemaKind::Type(Type::String(string)) => {
            let values: Vec<(usize, String)> = string
                .enumeration
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((i, v.clone()?)))
                .collect();
            if values.is_empty() {
                Shape::String(format_name(&string.format))
            } else {
                Shape::StringEnum(values)
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer(format_name(&integer.format)),
        SchemaKind::Type(Type::Number(number)) => Shape::Number(format_name(&number.format)),
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::OneOf { one_of } => Shape::Union {
            keyword: "oneOf",
            branches: one_of,
        },
        SchemaKind::AnyOf { any_of } => Shape::Union {
            keyword: "anyOf",
            branches: any_of,
        },
        SchemaKind::Not { .. } => Shape::Any,
        SchemaKind::Any(any) => any_shape(any),
    }
}

/// The shape of the catch-all form. `allOf` wins (sibling properties are merged into it); a
/// `oneOf`/`anyOf` beside `properties` only constrains the object (see `warn_ignored_branches`).
fn any_shape(any: &openapiv3::AnySchema) -> Shape<'_> {
    let typ = any.typ.as_deref();
    if !any.all_of.is_empty() {
        Shape::AllOf(&any.all_of)
    } else if any.properties.is_empty() && !any.one_of.is_empty() {
        Shape::Union {
            keyword: "oneOf",
            branches: &any.one_of,
        }
    } else if any.properties.is_empty() && !any.any_of.is_empty() {
        Shape::Union {
            keyword: "anyOf",
            branches: &any.any_of,
        }
    } else if typ == Some("object")
        || !any.properties.is_empty()
        || any.additional_properties.is_some()
    {
        Shape::Object {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        }
    } else if typ == Some("array") || any.items.is_some() {
        Shape::Array(any.items.as_ref())
    } else {
        let format = any.format.clone().unwrap_or_default();
        match typ {
            Some("string") => {
                let values: Vec<(usize, String)> = any
                    .enumeration
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((i, v.as_str()?.to_string())))
                    .collect();
                if values.is_empty() {
                    Shape::String(format)
                } else {
                    Shape::StringEnum(values)
                }
            }
            Some("integer") => Shape::Integer(format),
            Some("number") => Shape::Number(format),
            Some("boolean") => Shape::Boolean,
            _ => Shape::Any,
        }
    }
}

/// The Rust integer for a `format`; `None` for formats without one (they are noted in docs).
fn integer_kind(format: &str) -> Option<IntegerKind> {
    Some(match format {
        "int8" => IntegerKind::I8,
        "int16" => IntegerKind::I16,
        "int32" => IntegerKind::I32,
        "" | "int64" => IntegerKind::I64,
        "uint8" => IntegerKind::U8,
        "uint16" => IntegerKind::U16,
        "uint32" => IntegerKind::U32,
        "uint64" | "uint" => IntegerKind::U64,
        _ => return None,
    })
}

/// The Rust float for a `format`; `None` for formats without one.
fn float_kind(format: &str) -> Option<FloatKind> {
    match format {
        "float" => Some(FloatKind::F32),
        "" | "double" => Some(FloatKind::F64),
        _ => None,
    }
}

/// A string's Rust type: only `uuid` has a dedicated one; other formats are noted in docs.
fn string_type(format: &str) -> TypeRef {
    match format {
        "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

/// The schema a `#/components/schemas/<key>` reference names (following its chain), with the
/// index and key of the component that defines it.
fn component<'s>(refs: &Refs<'s>, reference: &str) -> Option<(usize, &'s str, &'s Schema)> {
    let resolved = refs.schemas.resolve_reference(reference).ok()?;
    let (index, key) = resolved.entry?;
    Some((index, key, resolved.item))
}

/// An object property as met (directly or through `allOf`), with the pointer it was written at.
pub(crate) struct Property<'s> {
    pub(super) schema: &'s ReferenceOr<Box<Schema>>,
    pub(super) pointer: String,
    /// The component schema that declares it (reached through a `$ref`), if any.
    pub(super) component: Option<usize>,
}

/// Properties by wire name, in the order they were met.
pub(crate) type Properties<'s> = IndexMap<String, Property<'s>>;

fn own_properties<'s>(
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    at: &str,
    component: Option<usize>,
) -> Properties<'s> {
    let properties_at = child(at, "properties");
    properties
        .iter()
        .map(|(name, schema)| {
            let property = Property {
                schema,
                pointer: child(&properties_at, name),
                component,
            };
            (name.clone(), property)
        })
        .collect()
}

/// Builds the API's named types. Component schemas are named up front so references (and
/// cycles) resolve before any type is lowered; inline schemas get names as they are met.
pub struct TypeLowerer<'a> {
    spec: &'a OpenAPI,
    refs: Refs<'a>,
    names: Namespace,
    /// The Rust name of each component schema, by its index (which is its [`TypeId`]).
    component_names: Vec<String>,
    /// The named type made for each inline schema, by where it was written: a schema met again
    /// (through an `allOf` that includes its own parent, say) reuses its type instead of
    /// defining a new one forever.
    inline_types: HashMap<String, TypeId>,
    /// How deep `lower_type` is nested now, bounded by [`MAX_LOWERING_DEPTH`].
    depth: usize,
    /// The definitions by [`TypeId`]: the components' first, then inline types as met.
    slots: Vec<Option<TypeDef>>,
    /// The ids in the order the types are listed: each component followed by the inline types
    /// it introduced, then those the operations introduced.
    order: Vec<TypeId>,
    diagnostics: Vec<Diagnostic>,
}

/// Lowering nested deeper than this is a cycle the other guards missed: the schema is typed as
/// any JSON value with a warning rather than recursing until the stack runs out.
const MAX_LOWERING_DEPTH: usize = 256;

impl<'a> TypeLowerer<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        let mut names = Namespace::for_types();
        let mut component_names = Vec::new();
        let mut diagnostics = Vec::new();
        let mut wanted_by: HashMap<String, String> = HashMap::new();
        for key in spec.components.iter().flat_map(|c| c.schemas.keys()) {
            let wanted = type_name(key, "Schema");
            let name = names.claim(&wanted);
            if name != wanted {
                let reason = match wanted_by.get(&wanted) {
                    Some(first) => format!("the schema `{first}` is also `{wanted}` in Rust"),
                    None => format!("`{wanted}` is a name the generated code uses"),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        pointer(["components", "schemas", key.as_str()]),
                        format!("schema `{key}` is named `{name}`: {reason}"),
                    )
                    .with_hint("rename one of the schemas, or give it a `title` with an overlay"),
                );
            }
            wanted_by.entry(wanted).or_insert_with(|| key.clone());
            component_names.push(name);
        }
        Self {
            spec,
            refs: Refs::new(spec),
            names,
            slots: component_names.iter().map(|_| None).collect(),
            component_names,
            inline_types: HashMap::new(),
            depth: 0,
            order: Vec::new(),
            diagnostics,
        }
    }

    /// The document's `$ref`s, resolved.
    pub(super) fn refs(&self) -> &Refs<'a> {
        &self.refs
    }

    pub fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for (index, (key, schema)) in components.schemas.iter().enumerate() {
            let name = self.component_names[index].clone();
            let at = pointer(["components", "schemas", key.as_str()]);
            let slot = TypeId::from_index(index);
            self.order.push(slot);
            let (docs, kind) = match schema {
                ReferenceOr::Item(schema) => {
                    (notes::docs(schema), self.definition(&name, schema, &at))
                }
                reference => (
                    None,
                    TypeKind::Alias(self.lower_type(reference, &name, &at)),
                ),
            };
            self.fill(
                slot,
                TypeDef {
                    name,
                    docs,
                    pointer: Pointer::from_escaped(at),
                    kind,
                },
            );
        }
    }

    /// Puts the types built into `api` (whose operations refer to them by the ids given while
    /// lowering), in their listed order, with fields that would make a type infinitely large
    /// boxed and union branches that are the union itself left out; returns what went wrong on
    /// the way.
    pub fn finish(self, api: &mut Api) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics;
        // Every reserved slot is filled as soon as its definition is built.
        let order: Vec<TypeId> = (self.order.iter().copied())
            .filter(|id| self.slots[id.index()].is_some())
            .collect();
        let placeholder = || TypeDef {
            name: String::new(),
            docs: None,
            pointer: Pointer::root(),
            kind: TypeKind::Alias(TypeRef::Json),
        };
        api.types = (self.slots.into_iter())
            .map(|slot| slot.unwrap_or_else(placeholder))
            .collect();
        renumber(api, &order);
        diagnostics.extend(boxing::alias_cycles(&api.types));
        diagnostics.extend(boxing::drop_self_variants(&mut api.types));
        boxing::box_recursive_fields(&mut api.types);
        diagnostics
    }

    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The type of the property `wire_name` of the component schema `component` (by index),
    /// once lowered, so that body lowering (multipart parts) reuses a component's field types
    /// instead of defining its inline types twice.
    pub(super) fn field_type(&self, component: usize, wire_name: &str) -> Option<&TypeRef> {
        let def = self.slots.get(component)?.as_ref()?;
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .find(|field| field.wire_name == wire_name)
                .map(|field| &field.ty),
            _ => None,
        }
    }

    /// A new id for an inline type, listed after the types listed so far.
    fn reserve(&mut self) -> TypeId {
        let id = TypeId::from_index(self.slots.len());
        self.slots.push(None);
        self.order.push(id);
        id
    }

    fn fill(&mut self, slot: TypeId, def: TypeDef) {
        self.slots[slot.index()] = Some(def);
    }

    /// The Rust type for a schema used somewhere (a field, an item, a parameter, a body).
    /// `hint` names the inline type this creates, if any (unless the schema has a `title`).
    pub fn lower_type<S: AsSchema>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        at: &str,
    ) -> TypeRef {
        if self.depth >= MAX_LOWERING_DEPTH {
            self.warn(Diagnostic::warning(
                at,
                format!("schemas nest more than {MAX_LOWERING_DEPTH} levels here (a cycle?); typed as any JSON value"),
            ));
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.lower_schema(schema.as_schema(), hint, at),
        };
        self.depth -= 1;
        ty
    }

    /// [`Self::lower_type`] for an inline schema.
    fn lower_schema(&mut self, schema: &Schema, hint: &str, at: &str) -> TypeRef {
        match shape(schema) {
            Shape::Object {
                properties,
                additional,
                ..
            } if properties.is_empty() => self.map_of(additional, hint, at),
            Shape::Object { .. } | Shape::StringEnum(_) => self.inline_definition(schema, hint, at),
            Shape::AllOf(members) => self.all_of_type(schema, members, hint, at),
            Shape::Union { keyword, branches } => {
                self.union_type(schema, keyword, branches, hint, at)
            }
            Shape::Array(items) => self.list_of(items, hint, at),
            Shape::String(format) => string_type(&format),
            Shape::Integer(format) => {
                TypeRef::Integer(integer_kind(&format).unwrap_or(IntegerKind::I64))
            }
            Shape::Number(format) => TypeRef::Float(float_kind(&format).unwrap_or(FloatKind::F64)),
            Shape::Boolean => TypeRef::Bool,
            Shape::Any => TypeRef::Json,
        }
    }

    fn reference(&mut self, reference: &str, at: &str) -> TypeRef {
        match self.refs.schemas.index_of(reference) {
            Ok(index) => TypeRef::Named(TypeId::from_index(index)),
            Err(RefError::Elsewhere(_)) if !reference.starts_with('#') => {
                self.diagnostics.push(
                    Diagnostic::error(
                        at,
                        format!("`$ref: {reference}` points into another document; external references are not supported"),
                    )
                    .with_hint("bundle the spec into one document first (e.g. `redocly bundle` or `swagger-cli bundle`)"),
                );
                TypeRef::Json
            }
            Err(_) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "`$ref: {reference}` does not name a schema in #/components/schemas"
                        ),
                    )
                    .with_hint("define the schema, or fix the reference with an overlay"),
                );
                TypeRef::Json
            }
        }
    }

    /// The Rust name of the component schema a reference names.
    fn component_name(&self, reference: &str) -> Option<&str> {
        let index = self.refs.schemas.index_of(reference).ok()?;
        self.component_names.get(index).map(String::as_str)
    }

    fn list_of(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        at: &str,
    ) -> TypeRef {
        let Some(items) = items else {
            return TypeRef::List(Box::new(TypeRef::Json));
        };
        let item_at = child(at, "items");
        let item = self.lower_type(items, &format!("{hint}Item"), &item_at);
        TypeRef::List(Box::new(nullable_in_container(items, item)))
    }

    fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        at: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.lower_type(
                    schema.as_ref(),
                    &format!("{hint}Value"),
                    &child(at, "additionalProperties"),
                );
                nullable_in_container(schema.as_ref(), value)
            }
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(value))
    }

    fn inline_definition(&mut self, schema: &Schema, hint: &str, at: &str) -> TypeRef {
        if let Some(id) = self.inline_types.get(at) {
            return TypeRef::Named(*id);
        }
        let wanted = match &schema.schema_data.title {
            Some(title) => type_name(title, hint),
            None => hint.to_string(),
        };
        let name = self.names.claim(&wanted);
        let slot = self.reserve();
        self.inline_types.insert(at.to_string(), slot);
        let kind = self.definition(&name, schema, at);
        self.fill(
            slot,
            TypeDef {
                name,
                docs: notes::docs(schema),
                pointer: Pointer::from_escaped(at),
                kind,
            },
        );
        TypeRef::Named(slot)
    }

    /// The body of a named type.
    fn definition(&mut self, name: &str, schema: &Schema, at: &str) -> TypeKind {
        match shape(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } if !properties.is_empty() => {
                self.warn_ignored_branches(schema, at);
                let properties = own_properties(properties, at, None);
                let additional = additional.map(|a| (a, child(at, "additionalProperties")));
                self.struct_kind(name, &properties, required, additional)
            }
            Shape::StringEnum(values) => TypeKind::Enum {
                variants: variants(&values, at),
            },
            Shape::AllOf(members) => self.all_of_definition(name, schema, members, at),
            Shape::Union { keyword, branches } => {
                self.union_definition(name, schema, keyword, branches, at)
            }
            _ => TypeKind::Alias(self.lower_schema(schema, &format!("{name}Inner"), at)),
        }
    }

    /// A struct with `properties` and, when the schema says what they are (or allows them
    /// explicitly), a field for the others.
    fn struct_kind(
        &mut self,
        name: &str,
        properties: &Properties<'_>,
        required: &[String],
        additional: Option<(&AdditionalProperties, String)>,
    ) -> TypeKind {
        let mut field_names = Namespace::new();
        let mut fields = self.fields(name, properties, required, &mut field_names);
        let ty = match additional {
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(schema), at)) => {
                Some(self.lower_type(schema.as_ref(), &format!("{name}Value"), &at))
            }
            _ => None,
        };
        let additional = ty.map(|ty| Additional {
            name: field_names.claim("additional_properties"),
            ty,
        });
        TypeKind::Struct {
            camel_case: decide_renames(&mut fields),
            fields,
            additional,
        }
    }

    fn fields(
        &mut self,
        owner: &str,
        properties: &Properties<'_>,
        required: &[String],
        names: &mut Namespace,
    ) -> Vec<Field> {
        properties
            .iter()
            .map(|(wire_name, property)| {
                let hint = format!("{owner}{}", type_name(wire_name, "Field"));
                let ty = self.lower_type(property.schema, &hint, &property.pointer);
                let (docs, nullable) = match property.schema {
                    ReferenceOr::Item(schema) => (notes::docs(schema), schema.schema_data.nullable),
                    ReferenceOr::Reference { .. } => (None, false),
                };
                Field {
                    name: names.claim(&snake_name(wire_name, "field")),
                    wire_name: wire_name.clone(),
                    docs,
                    ty,
                    required: required.contains(wire_name),
                    nullable,
                    rename: None,
                    pointer: Pointer::from_escaped(property.pointer.as_str()),
                }
            })
            .collect()
    }

    /// A `oneOf`/`anyOf` beside `properties` is taken as a constraint on the object (typically
    /// branches that only list `required`); branches with types of their own are not modelled,
    /// which deserves a warning.
    fn warn_ignored_branches(&mut self, schema: &Schema, at: &str) {
        let SchemaKind::Any(any) = &schema.schema_kind else {
            return;
        };
        for (keyword, branches) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            let only_constraints = branches
                .iter()
                .all(|b| matches!(b, ReferenceOr::Item(s) if matches!(shape(s), Shape::Any)));
            if !only_constraints {
                self.warn(
                    Diagnostic::warning(
                        child(at, keyword),
                        format!("`{keyword}` beside `properties` is not modelled; the struct has the schema's own properties"),
                    )
                    .with_hint("move the shared properties into each branch (an overlay can) to get an enum"),
                );
            }
        }
    }
}

/// Lets `lower_type` take both `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
pub trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

fn nullable_in_container<S: AsSchema>(schema: &ReferenceOr<S>, ty: TypeRef) -> TypeRef {
    match schema {
        ReferenceOr::Item(s) if s.as_schema().schema_data.nullable => TypeRef::Option(Box::new(ty)),
        _ => ty,
    }
}

/// The variants of a string enum at `at`, one per distinct value (in the order listed), each
/// located at its index in the written `enum`.
fn variants(values: &[(usize, String)], at: &str) -> Vec<Variant> {
    let mut names = Namespace::new();
    names.claim("Unknown");
    let mut seen = BTreeSet::new();
    let enum_at = Pointer::from_escaped(child(at, "enum"));
    values
        .iter()
        .filter(|(_, value)| seen.insert(value.as_str()))
        .map(|(i, value)| Variant {
            name: names.claim(&variant_name(value)),
            wire_value: value.clone(),
            docs: None,
            pointer: enum_at.child(&i.to_string()),
        })
        .collect()
}

/// How serde names a struct's fields: with `rename_all = "camelCase"` when some field's wire
/// name is the camelCase of its Rust name (it spares a `rename` on each of those), and a
/// `rename` on each field whose wire name serde would not derive. Returns whether the struct
/// uses camelCase.
pub(super) fn decide_renames(fields: &mut [Field]) -> bool {
    let camel_case = fields.iter().any(|f| {
        let rust_name = unraw(&f.name);
        f.wire_name != rust_name && f.wire_name == serde_camel_case(rust_name)
    });
    for field in fields {
        let rust_name = unraw(&field.name);
        let derived = if camel_case {
            serde_camel_case(rust_name)
        } else {
            rust_name.to_string()
        };
        field.rename = (derived != field.wire_name).then(|| field.wire_name.clone());
    }
    camel_case
}

/// Keeps the types listed in `order` (ids into `api.types` as it is), in that order, and
/// renumbers every reference of the API to match. A reference to a type left out becomes any
/// JSON value (no pass leaves one).
pub(super) fn renumber(api: &mut Api, order: &[TypeId]) {
    let mut new_ids: Vec<Option<TypeId>> = vec![None; api.types.len()];
    for (position, id) in order.iter().enumerate() {
        new_ids[id.index()] = Some(TypeId::from_index(position));
    }
    let mut old: Vec<Option<TypeDef>> = std::mem::take(&mut api.types)
        .into_iter()
        .map(Some)
        .collect();
    api.types = order
        .iter()
        .filter_map(|id| old.get_mut(id.index())?.take())
        .collect();
    api.for_each_ref_mut(|ty| {
        let Some(id) = ty.named_mut() else { return };
        match new_ids.get(id.index()).copied().flatten() {
            Some(new) => *id = new,
            None => {
                debug_assert!(false, "a reference to a type left out");
                *ty = TypeRef::Json;
            }
        }
    });
}
