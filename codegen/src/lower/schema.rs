//! Lowering schemas to named types and type references.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
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
    AllOf(&'s [ReferenceOr<Schema>]),
    Union(&'static str),
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
                let format = match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                        "date-time".to_string()
                    }
                    other => format_name(other),
                };
                Shape::String(format)
            } else {
                Shape::StringEnum(values)
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer(format_name(&integer.format)),
        SchemaKind::Type(Type::Number(number)) => Shape::Number(format_name(&number.format)),
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::OneOf { .. } => Shape::Union("oneOf"),
        SchemaKind::AnyOf { .. } => Shape::Union("anyOf"),
        SchemaKind::Not { .. } => Shape::Any,
        SchemaKind::Any(any) => {
            let typ = any.typ.as_deref();
            if !any.all_of.is_empty() && any.properties.is_empty() {
                Shape::AllOf(&any.all_of)
            } else if !any.one_of.is_empty() {
                Shape::Union("oneOf")
            } else if !any.any_of.is_empty() {
                Shape::Union("anyOf")
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
    }
}

/// Builds the API's named types. Component schemas are named up front so references (and
/// cycles) resolve before any type is lowered; inline schemas get names as they are met.
pub struct TypeLowerer<'a> {
    spec: &'a OpenAPI,
    names: Namespace,
    component_names: HashMap<String, String>,
    slots: Vec<Option<TypeDef>>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> TypeLowerer<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        let mut names = Namespace::for_types();
        let mut component_names = HashMap::new();
        for key in spec.components.iter().flat_map(|c| c.schemas.keys()) {
            let name = names.claim(&type_name(key, "Schema"));
            component_names.insert(key.clone(), name);
        }
        Self {
            spec,
            names,
            component_names,
            slots: Vec::new(),
            diagnostics: Vec::new(),
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
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    self.definition(&name, schema, &at),
                ),
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

    /// The types built so far (with fields that would make a type infinitely large boxed) and
    /// what went wrong on the way.
    pub fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        let mut types: Vec<TypeDef> = self.slots.into_iter().flatten().collect();
        box_recursive_fields(&mut types);
        (types, self.diagnostics)
    }

    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
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
        let schema = match schema {
            ReferenceOr::Reference { reference } => return self.reference(reference, at),
            ReferenceOr::Item(schema) => schema.as_schema(),
        };
        match shape(schema) {
            Shape::Object {
                properties,
                additional,
                ..
            } if properties.is_empty() => self.map_of(additional, hint, at),
            Shape::Object { .. } | Shape::StringEnum(_) => self.inline_definition(schema, hint, at),
            Shape::AllOf(members) => match members {
                [only] => self.lower_type(only, hint, &child(&child(at, "allOf"), "0")),
                _ => self.inline_definition(schema, hint, at),
            },
            Shape::Array(items) => self.list_of(items, hint, at),
            Shape::String(format) => match format.as_str() {
                "uuid" => TypeRef::Uuid,
                _ => TypeRef::String,
            },
            Shape::Integer(format) => TypeRef::Integer(match format.as_str() {
                "int32" => IntegerKind::I32,
                "uint32" => IntegerKind::U32,
                "uint64" | "uint" => IntegerKind::U64,
                _ => IntegerKind::I64,
            }),
            Shape::Number(format) => TypeRef::Float(match format.as_str() {
                "float" => FloatKind::F32,
                _ => FloatKind::F64,
            }),
            Shape::Boolean => TypeRef::Bool,
            Shape::Union(keyword) => {
                self.warn(
                    Diagnostic::warning(
                        at,
                        format!("`{keyword}` is not modelled yet; typed as any JSON value"),
                    )
                    .with_hint("the value is kept as `serde_json::Value`"),
                );
                TypeRef::Json
            }
            Shape::Any => TypeRef::Json,
        }
    }

    fn reference(&mut self, reference: &str, at: &str) -> TypeRef {
        let target = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|key| self.component_names.get(key));
        match target {
            Some(name) => TypeRef::Named(name.clone()),
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
        let wanted = match &schema.schema_data.title {
            Some(title) => type_name(title, hint),
            None => hint.to_string(),
        };
        let name = self.names.claim(&wanted);
        let slot = self.reserve();
        let kind = self.definition(&name, schema, at);
        self.fill(
            slot,
            TypeDef {
                name: name.clone(),
                docs: schema.schema_data.description.clone(),
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
                let mut field_names = Namespace::new();
                let fields = self.fields(name, properties, required, at, &mut field_names);
                let ty = match additional {
                    Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
                    Some(AdditionalProperties::Schema(schema)) => Some(self.lower_type(
                        schema.as_ref(),
                        &format!("{name}Value"),
                        &child(at, "additionalProperties"),
                    )),
                    _ => None,
                };
                let additional = ty.map(|ty| Additional {
                    name: field_names.claim("additional_properties"),
                    ty,
                });
                TypeKind::Struct { fields, additional }
            }
            Shape::StringEnum(values) => TypeKind::Enum {
                variants: variants(&values),
            },
            Shape::AllOf(members) if members.len() > 1 => self.merged(name, members, at),
            _ => TypeKind::Alias(self.lower_type(
                &ReferenceOr::Item(schema.clone()),
                &format!("{name}Inner"),
                at,
            )),
        }
    }

    fn fields(
        &mut self,
        owner: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &str,
        names: &mut Namespace,
    ) -> Vec<Field> {
        let properties_at = child(at, "properties");
        properties
            .iter()
            .map(|(wire_name, property)| {
                let field_at = child(&properties_at, wire_name);
                let hint = format!("{owner}{}", type_name(wire_name, "Field"));
                let ty = self.lower_type(property, &hint, &field_at);
                let (docs, nullable) = match property {
                    ReferenceOr::Item(schema) => (
                        schema.schema_data.description.clone(),
                        schema.schema_data.nullable,
                    ),
                    ReferenceOr::Reference { .. } => (None, false),
                };
                Field {
                    name: names.claim(&snake_name(wire_name, "field")),
                    wire_name: wire_name.clone(),
                    docs,
                    ty,
                    required: required.contains(wire_name),
                    nullable,
                    pointer: field_at,
                }
            })
            .collect()
    }

    /// `allOf` of object schemas: one struct with every member's properties.
    fn merged(&mut self, name: &str, members: &[ReferenceOr<Schema>], at: &str) -> TypeKind {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let resolved = match member {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|key| self.spec.components.as_ref()?.schemas.get(key))
                    .and_then(|s| s.as_item()),
            };
            match resolved.map(shape) {
                Some(Shape::Object {
                    properties: p,
                    required: r,
                    ..
                }) => {
                    properties.extend(p.iter().map(|(k, v)| (k.clone(), v.clone())));
                    required.extend(r.iter().cloned());
                }
                _ => {
                    self.warn(Diagnostic::warning(
                        child(&child(at, "allOf"), &i.to_string()),
                        "this `allOf` member is not an object schema; its constraints are not modelled",
                    ));
                }
            }
        }
        TypeKind::Struct {
            fields: self.fields(name, &properties, &required, at, &mut Namespace::new()),
            additional: None,
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

/// Boxes struct fields whose type contains the struct itself by value (directly or through
/// other structs, aliases or `Option`), which would otherwise make the type infinitely large.
fn box_recursive_fields(types: &mut [TypeDef]) {
    let by_name: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut to_box = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            for (f, field) in fields.iter().enumerate() {
                let mut seen = BTreeSet::new();
                if reaches_by_value(types, &by_name, &field.ty, owner, &mut seen) {
                    to_box.push((owner, f));
                }
            }
        }
    }
    for (owner, f) in to_box {
        if let TypeKind::Struct { fields, .. } = &mut types[owner].kind {
            let ty = std::mem::replace(&mut fields[f].ty, TypeRef::Json);
            fields[f].ty = TypeRef::Boxed(Box::new(ty));
        }
    }
}

fn reaches_by_value(
    types: &[TypeDef],
    by_name: &HashMap<String, usize>,
    ty: &TypeRef,
    target: usize,
    seen: &mut BTreeSet<usize>,
) -> bool {
    match ty {
        TypeRef::Named(name) => {
            let Some(&index) = by_name.get(name) else {
                return false;
            };
            if index == target {
                return true;
            }
            if !seen.insert(index) {
                return false;
            }
            match &types[index].kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .any(|f| reaches_by_value(types, by_name, &f.ty, target, seen)),
                TypeKind::Alias(inner) => reaches_by_value(types, by_name, inner, target, seen),
                TypeKind::Enum { .. } => false,
            }
        }
        TypeRef::Option(inner) => reaches_by_value(types, by_name, inner, target, seen),
        _ => false,
    }
}
