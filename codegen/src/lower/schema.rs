//! Lowering schemas to named types and type references.
//!
//! Objects become structs and string enums open enums here; `allOf` is merged in `all_of`,
//! `oneOf`/`anyOf` become enums (or scalars) in `union`, `notes` writes the doc lines for what a
//! Rust type cannot say (formats, allowed integers), and `boxing` breaks infinitely large types.

mod all_of;
mod boxing;
mod notes;
mod union;

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{Additional, Field, FloatKind, IntegerKind, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{snake_name, type_name, variant_name, Namespace};

/// A schema classified by what it becomes in Rust, over both the typed and the catch-all
/// (`AnySchema`) forms of the `openapiv3` model.
enum Shape<'s> {
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    StringEnum(Vec<String>),
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
            let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
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
                let values: Vec<String> = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
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

/// The schema a `#/components/schemas/<key>` reference names (following chains of references),
/// with its key.
fn component<'s>(spec: &'s OpenAPI, reference: &str) -> Option<(&'s str, &'s Schema)> {
    let mut reference = reference;
    for _ in 0..32 {
        let key = reference.strip_prefix("#/components/schemas/")?;
        let (key, schema) = spec.components.as_ref()?.schemas.get_key_value(key)?;
        match schema {
            ReferenceOr::Item(schema) => return Some((key.as_str(), schema)),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}

/// An object property as met (directly or through `allOf`), with the pointer it was written at.
struct Property<'s> {
    schema: &'s ReferenceOr<Box<Schema>>,
    pointer: String,
}

/// Properties by wire name, in the order they were met.
type Properties<'s> = IndexMap<String, Property<'s>>;

fn own_properties<'s>(
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    at: &str,
) -> Properties<'s> {
    let properties_at = child(at, "properties");
    properties
        .iter()
        .map(|(name, schema)| {
            let property = Property {
                schema,
                pointer: child(&properties_at, name),
            };
            (name.clone(), property)
        })
        .collect()
}

/// Builds the API's named types. Component schemas are named up front so references (and
/// cycles) resolve before any type is lowered; inline schemas get names as they are met.
pub struct TypeLowerer<'a> {
    spec: &'a OpenAPI,
    names: Namespace,
    component_names: HashMap<String, String>,
    /// The named type made for each inline schema, by where it was written: a schema met again
    /// (through an `allOf` that includes its own parent, say) reuses its type instead of
    /// defining a new one forever.
    inline_names: HashMap<String, String>,
    /// How deep `lower_type` is nested now, bounded by [`MAX_LOWERING_DEPTH`].
    depth: usize,
    slots: Vec<Option<TypeDef>>,
    diagnostics: Vec<Diagnostic>,
}

/// Lowering nested deeper than this is a cycle the other guards missed: the schema is typed as
/// any JSON value with a warning rather than recursing until the stack runs out.
const MAX_LOWERING_DEPTH: usize = 256;

impl<'a> TypeLowerer<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        let mut names = Namespace::for_types();
        let mut component_names = HashMap::new();
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
            component_names.insert(key.clone(), name);
        }
        Self {
            spec,
            names,
            component_names,
            inline_names: HashMap::new(),
            depth: 0,
            slots: Vec::new(),
            diagnostics,
        }
    }

    pub fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let name = self.component_names[key].clone();
            let at = pointer(["components", "schemas", key.as_str()]);
            let slot = self.reserve();
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
                    pointer: at,
                    kind,
                },
            );
        }
    }

    /// The types built so far (with fields that would make a type infinitely large boxed, and
    /// union branches that are the union itself left out) and what went wrong on the way.
    pub fn finish(mut self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        let mut types: Vec<TypeDef> = self.slots.into_iter().flatten().collect();
        self.diagnostics.extend(boxing::alias_cycles(&types));
        self.diagnostics
            .extend(boxing::drop_self_variants(&mut types));
        boxing::box_recursive_fields(&mut types);
        (types, self.diagnostics)
    }

    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The type of the property `wire_name` of the struct `type_name` lowered so far, so that
    /// body lowering (multipart parts) reuses a component's field types instead of defining
    /// its inline types twice.
    pub fn field_type(&self, type_name: &str, wire_name: &str) -> Option<&TypeRef> {
        let def = self
            .slots
            .iter()
            .flatten()
            .find(|def| def.name == type_name)?;
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .find(|field| field.wire_name == wire_name)
                .map(|field| &field.ty),
            _ => None,
        }
    }

    fn reserve(&mut self) -> usize {
        self.slots.push(None);
        self.slots.len() - 1
    }

    fn fill(&mut self, slot: usize, def: TypeDef) {
        self.slots[slot] = Some(def);
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
        match self.component_name(reference) {
            Some(name) => TypeRef::Named(name.to_string()),
            None if !reference.starts_with('#') => {
                self.diagnostics.push(
                    Diagnostic::error(
                        at,
                        format!("`$ref: {reference}` points into another document; external references are not supported"),
                    )
                    .with_hint("bundle the spec into one document first (e.g. `redocly bundle` or `swagger-cli bundle`)"),
                );
                TypeRef::Json
            }
            None => {
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
        reference
            .strip_prefix("#/components/schemas/")
            .and_then(|key| self.component_names.get(key))
            .map(String::as_str)
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
        if let Some(name) = self.inline_names.get(at) {
            return TypeRef::Named(name.clone());
        }
        let wanted = match &schema.schema_data.title {
            Some(title) => type_name(title, hint),
            None => hint.to_string(),
        };
        let name = self.names.claim(&wanted);
        self.inline_names.insert(at.to_string(), name.clone());
        let slot = self.reserve();
        let kind = self.definition(&name, schema, at);
        self.fill(
            slot,
            TypeDef {
                name: name.clone(),
                docs: notes::docs(schema),
                pointer: at.to_string(),
                kind,
            },
        );
        TypeRef::Named(name)
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
                let properties = own_properties(properties, at);
                let additional = additional.map(|a| (a, child(at, "additionalProperties")));
                self.struct_kind(name, &properties, required, additional)
            }
            Shape::StringEnum(values) => TypeKind::Enum {
                variants: variants(&values),
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
        let fields = self.fields(name, properties, required, &mut field_names);
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
        TypeKind::Struct { fields, additional }
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
                    pointer: property.pointer.clone(),
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

fn variants(values: &[String]) -> Vec<Variant> {
    let mut names = Namespace::new();
    names.claim("Unknown");
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .map(|value| Variant {
            name: names.claim(&variant_name(value)),
            wire_value: value.clone(),
            docs: None,
        })
        .collect()
}
