//! `oneOf`/`anyOf`.
//!
//! One branch is that branch's type. Inline branches that are all one scalar type are that
//! scalar: strings with listed values become an open string enum whose variants are named by
//! the branches' titles (the "enum written as `oneOf` of `const`s" style); integers, numbers and
//! booleans keep their Rust type and list their values in the docs. Anything else is a
//! [`Union`]: an enum with a variant per branch, in document order.
//!
//! A union is tagged when its `discriminator` can select at least one branch, or when every
//! branch is an object that requires one common property whose listed values differ from branch
//! to branch (what serde's internally tagged enums publish, and Discord's integer `type` codes);
//! else it is untagged. A variant's tag values (strings or integers) are its `mapping` keys,
//! else the values its payload's property lists (the only values that payload accepts; OpenAI's
//! specs rely on this), else the referenced schema's name (OpenAPI's implicit mapping). Branches
//! the discriminator cannot select (not objects, or not declaring the property) are tried in
//! order for values no branch claims.

use std::collections::BTreeSet;

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use super::all_of::ObjectParts;
use super::notes::{self, enum_values, render};
use super::{component, float_kind, integer_kind, shape, string_type, Shape, TypeLowerer};
use crate::diagnostics::{child, Diagnostic};
use crate::ir::{
    FloatKind, IntegerKind, Pointer, TagValue, TypeKind, TypeRef, Union, UnionVariant, Variant,
};
use crate::lower::refs::Refs;
use crate::naming::{type_name, variant_name, Namespace};

/// The scalar types a union of scalars stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
}

/// A union whose branches are all inline schemas of one scalar type.
pub(super) struct ScalarUnion {
    pub(super) scalar: Scalar,
    /// The format the union gives, else the one every branch gives, else empty.
    pub(super) format: String,
    /// The values the branches list, in order, without repeats.
    pub(super) choices: Vec<Choice>,
    /// Some branch allows any value of the type.
    pub(super) open: bool,
}

/// A value of a [`ScalarUnion`], with its branch's title and description when the branch
/// lists only that value.
pub(super) struct Choice {
    pub(super) value: Value,
    pub(super) title: Option<String>,
    pub(super) docs: Option<String>,
    /// The index of the branch that lists it first.
    pub(super) branch: usize,
}

impl ScalarUnion {
    /// The union's type when it needs no definition of its own; `None` for strings with listed
    /// values, which make an enum.
    pub(super) fn scalar_type(&self) -> Option<TypeRef> {
        Some(match self.scalar {
            Scalar::String if !self.choices.is_empty() => return None,
            Scalar::String => string_type(&self.format),
            Scalar::Integer => {
                TypeRef::Integer(integer_kind(&self.format).unwrap_or(IntegerKind::I64))
            }
            Scalar::Number => TypeRef::Float(float_kind(&self.format).unwrap_or(FloatKind::F64)),
            Scalar::Boolean => TypeRef::Bool,
        })
    }

    /// The variants of the string enum: named by their branch's title, else by their value.
    /// `list_at` is the `oneOf`/`anyOf` list.
    fn variants(&self, list_at: &str) -> Vec<Variant> {
        let list_at = Pointer::from_escaped(list_at);
        let mut names = Namespace::new();
        names.claim("Unknown");
        self.choices
            .iter()
            .filter_map(|choice| {
                let wire = choice.value.as_str()?;
                let wanted = variant_name(choice.title.as_deref().unwrap_or(wire));
                Some(Variant {
                    name: names.claim(&wanted),
                    wire_value: wire.to_string(),
                    docs: choice.docs.clone(),
                    pointer: list_at.child(&choice.branch.to_string()),
                })
            })
            .collect()
    }
}

/// The scalar type and format a schema declares beside its `oneOf`/`anyOf`.
fn declared_scalar(schema: &Schema) -> Option<(Scalar, String)> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    let scalar = match any.typ.as_deref()? {
        "string" => Scalar::String,
        "integer" => Scalar::Integer,
        "number" => Scalar::Number,
        "boolean" => Scalar::Boolean,
        _ => return None,
    };
    Some((scalar, any.format.clone().unwrap_or_default()))
}

/// The scalar type of values all of one JSON type.
fn scalar_of_values(values: &[Value]) -> Option<Scalar> {
    let all = |test: fn(&Value) -> bool| !values.is_empty() && values.iter().all(test);
    if all(Value::is_string) {
        Some(Scalar::String)
    } else if all(|v| v.is_i64() || v.is_u64()) {
        Some(Scalar::Integer)
    } else if all(Value::is_number) {
        Some(Scalar::Number)
    } else if all(Value::is_boolean) {
        Some(Scalar::Boolean)
    } else {
        None
    }
}

/// A branch's scalar type and format. A branch without a type takes the one its values have,
/// else the union's.
fn branch_scalar(branch: &Schema, declared: Option<&(Scalar, String)>) -> Option<(Scalar, String)> {
    match shape(branch) {
        Shape::String(format) => Some((Scalar::String, format)),
        Shape::StringEnum(_) => Some((Scalar::String, String::new())),
        Shape::Integer(format) => Some((Scalar::Integer, format)),
        Shape::Number(format) => Some((Scalar::Number, format)),
        Shape::Boolean => Some((Scalar::Boolean, String::new())),
        Shape::Any => match scalar_of_values(&enum_values(branch)) {
            Some(scalar) => Some((scalar, String::new())),
            None => declared.cloned(),
        },
        _ => None,
    }
}

/// The union as one scalar type, when every branch is an inline schema of that type.
pub(super) fn scalar_union(
    schema: &Schema,
    branches: &[ReferenceOr<Schema>],
) -> Option<ScalarUnion> {
    let declared = declared_scalar(schema);
    let mut union: Option<ScalarUnion> = None;
    let mut formats_differ = false;
    for (index, branch) in branches.iter().enumerate() {
        let ReferenceOr::Item(branch) = branch else {
            return None;
        };
        let (scalar, format) = branch_scalar(branch, declared.as_ref())?;
        let union = union.get_or_insert_with(|| ScalarUnion {
            scalar,
            format: format.clone(),
            choices: Vec::new(),
            open: false,
        });
        if union.scalar != scalar {
            return None;
        }
        formats_differ |= union.format != format;
        add_choices(union, branch, index);
    }
    let mut union = union?;
    match declared {
        Some((_, format)) if !format.is_empty() => union.format = format,
        _ if formats_differ => union.format.clear(),
        _ => {}
    }
    Some(union)
}

fn add_choices(union: &mut ScalarUnion, branch: &Schema, index: usize) {
    let values = enum_values(branch);
    union.open |= values.is_empty();
    let single = values.len() == 1;
    for value in values {
        if union.choices.iter().any(|c| c.value == value) {
            continue;
        }
        let data = &branch.schema_data;
        union.choices.push(Choice {
            value,
            title: data.title.clone().filter(|_| single),
            docs: data.description.clone().filter(|_| single),
            branch: index,
        });
    }
}

/// What a union becomes.
enum Plan<'s> {
    /// The one branch's type.
    Single(&'s ReferenceOr<Schema>, String),
    Scalar(ScalarUnion),
    Enum,
}

fn plan<'s>(
    schema: &Schema,
    keyword: &str,
    branches: &'s [ReferenceOr<Schema>],
    at: &str,
) -> Plan<'s> {
    if let [only] = branches {
        return Plan::Single(only, child(&child(at, keyword), "0"));
    }
    match scalar_union(schema, branches) {
        Some(union) => Plan::Scalar(union),
        None => Plan::Enum,
    }
}

/// How a tagged union picks its variant.
struct Dispatch {
    property: String,
    /// Per branch, the values that select it (none: tried for values no branch claims).
    tags: Vec<Vec<TagValue>>,
}

impl TypeLowerer<'_> {
    /// [`TypeLowerer::lower_type`] for a `oneOf`/`anyOf`.
    pub(super) fn union_type(
        &mut self,
        schema: &Schema,
        keyword: &str,
        branches: &[ReferenceOr<Schema>],
        hint: &str,
        at: &str,
    ) -> TypeRef {
        match plan(schema, keyword, branches, at) {
            Plan::Single(branch, branch_at) => self.lower_type(branch, hint, &branch_at),
            Plan::Scalar(union) => match union.scalar_type() {
                Some(ty) => ty,
                None => self.inline_definition(schema, hint, at),
            },
            Plan::Enum => self.inline_definition(schema, hint, at),
        }
    }

    /// The body of a named type that is a `oneOf`/`anyOf`.
    pub(super) fn union_definition(
        &mut self,
        name: &str,
        schema: &Schema,
        keyword: &str,
        branches: &[ReferenceOr<Schema>],
        at: &str,
    ) -> TypeKind {
        match plan(schema, keyword, branches, at) {
            Plan::Single(ReferenceOr::Item(branch), branch_at) => {
                self.definition(name, branch, &branch_at)
            }
            Plan::Single(reference, branch_at) => {
                TypeKind::Alias(self.lower_type(reference, name, &branch_at))
            }
            Plan::Scalar(union) => match union.scalar_type() {
                Some(ty) => TypeKind::Alias(ty),
                None => TypeKind::Enum {
                    variants: union.variants(&child(at, keyword)),
                },
            },
            Plan::Enum => self.union_enum(name, schema, keyword, branches, at),
        }
    }

    /// An enum with a variant per branch (branches of the same type share one).
    fn union_enum(
        &mut self,
        name: &str,
        schema: &Schema,
        keyword: &str,
        branches: &[ReferenceOr<Schema>],
        at: &str,
    ) -> TypeKind {
        let list_at = child(at, keyword);
        let dispatch = self.dispatch(schema, branches, &list_at, at);
        let mut names = Namespace::new();
        let fallback = names.claim("Unknown");
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let tags = dispatch
                .as_ref()
                .and_then(|d| d.tags.get(i).cloned())
                .unwrap_or_default();
            let variant = names.claim(&self.variant_name(branch, tags.first()));
            let branch_at = child(&list_at, &i.to_string());
            let ty = self.lower_type(branch, &format!("{name}{variant}"), &branch_at);
            let docs = match branch {
                ReferenceOr::Item(schema) => notes::docs(schema),
                ReferenceOr::Reference { .. } => None,
            };
            add_variant(
                &mut variants,
                UnionVariant {
                    name: variant,
                    ty: Some(ty),
                    docs,
                    tags,
                    pointer: Pointer::from_escaped(branch_at),
                },
            );
        }
        let tag = dispatch.map(|d| d.property);
        if tag.is_none() && variants.len() == 1 {
            if let Some(UnionVariant { ty: Some(ty), .. }) = variants.pop() {
                return TypeKind::Alias(ty);
            }
        }
        // A variant that holds any JSON value, tried for whatever no tag selects, already keeps
        // what no other variant accepts.
        let catches_all = variants
            .iter()
            .any(|v| v.tags.is_empty() && v.ty == Some(TypeRef::Json));
        let fallback = (!catches_all).then_some(fallback);
        TypeKind::Union(Union {
            variants,
            tag,
            fallback,
            tag_implied: false,
        })
    }

    /// A variant's name: the referenced type's, else the branch's title, else its tag value, its
    /// one listed value, or what kind of value it holds.
    fn variant_name(&self, branch: &ReferenceOr<Schema>, tag: Option<&TagValue>) -> String {
        let schema = match branch {
            ReferenceOr::Reference { reference } => {
                return self
                    .component_name(reference)
                    .unwrap_or("Value")
                    .to_string();
            }
            ReferenceOr::Item(schema) => schema,
        };
        if let Some(title) = &schema.schema_data.title {
            return type_name(title, "Variant");
        }
        match tag {
            Some(TagValue::String(tag)) => return variant_name(tag),
            Some(TagValue::Integer(tag)) => return variant_name(&tag.to_string()),
            None => {}
        }
        if let [value] = enum_values(schema).as_slice() {
            return variant_name(&render(value));
        }
        kind_name(schema)
    }

    /// How the union picks its variant: by its `discriminator` when it can select at least one
    /// branch (branches it cannot select are reported), by an inferred tag property, or
    /// untagged (`None`).
    fn dispatch(
        &mut self,
        schema: &Schema,
        branches: &[ReferenceOr<Schema>],
        list_at: &str,
        at: &str,
    ) -> Option<Dispatch> {
        let refs = self.refs();
        let objects: Vec<Option<ObjectParts<'_>>> = branches
            .iter()
            .enumerate()
            .map(|(i, branch)| {
                let parts = ObjectParts::of_member(refs, branch, &child(list_at, &i.to_string()));
                parts.is_object().then_some(parts)
            })
            .collect();
        let Some(discriminator) = &schema.schema_data.discriminator else {
            return inferred_dispatch(refs, &objects);
        };
        let property = &discriminator.property_name;
        let mut tags = Vec::new();
        let mut untagged = Vec::new();
        for (i, (branch, parts)) in branches.iter().zip(&objects).enumerate() {
            match explicit_tags(refs, discriminator, branch, parts.as_ref()) {
                Ok(values) => tags.push(values),
                Err(reason) => {
                    untagged.push(format!("branch {i} {reason}"));
                    tags.push(Vec::new());
                }
            }
        }
        if !one_kind(&tags) {
            untagged.push("the values mix strings and integers".to_string());
            tags.iter_mut().for_each(Vec::clear);
        }
        let honoured = tags.iter().any(|t| !t.is_empty());
        if !untagged.is_empty() {
            let (message, hint) = if honoured {
                (
                    format!(
                        "the discriminator `{property}` cannot select every branch ({}); those are tried in order for values no other branch claims",
                        untagged.join(", ")
                    ),
                    "give each branch an object schema that declares the property",
                )
            } else {
                (
                    format!(
                        "the discriminator `{property}` cannot be honoured ({}); the union is untagged",
                        untagged.join(", ")
                    ),
                    "a value becomes the first variant whose type accepts it",
                )
            };
            self.warn(Diagnostic::warning(child(at, "discriminator"), message).with_hint(hint));
        }
        honoured.then(|| Dispatch {
            property: property.clone(),
            tags,
        })
    }
}

/// Adds a variant unless an earlier one holds the same type: an untagged union would never
/// choose the later one, and a tagged one selects the earlier one by the later one's tags too.
fn add_variant(variants: &mut Vec<UnionVariant>, variant: UnionVariant) {
    match variants.iter_mut().find(|v| v.ty == variant.ty) {
        Some(earlier) => {
            for tag in variant.tags {
                if !earlier.tags.contains(&tag) {
                    earlier.tags.push(tag);
                }
            }
        }
        None => variants.push(variant),
    }
}

/// A variant name for an inline branch with nothing better to go by.
fn kind_name(schema: &Schema) -> String {
    let kind = match shape(schema) {
        Shape::Object { properties, .. } if properties.len() == 1 => {
            let only = properties.keys().next().map(String::as_str).unwrap_or("");
            return type_name(only, "Object");
        }
        Shape::Object { properties, .. } if properties.is_empty() => "Map",
        Shape::Object { .. } | Shape::AllOf(_) => "Object",
        Shape::Array(_) => "Array",
        Shape::StringEnum(_) => "Enum",
        Shape::String(_) => "String",
        Shape::Integer(_) => "Integer",
        Shape::Number(_) => "Number",
        Shape::Boolean => "Boolean",
        Shape::Union { .. } => "Union",
        Shape::Any => "Value",
    };
    kind.to_string()
}

/// A branch's tag values under an explicit discriminator, or why it has none.
fn explicit_tags(
    refs: &Refs<'_>,
    discriminator: &Discriminator,
    branch: &ReferenceOr<Schema>,
    parts: Option<&ObjectParts<'_>>,
) -> Result<Vec<TagValue>, &'static str> {
    let property = &discriminator.property_name;
    let parts = parts.ok_or("is not an object")?;
    let declared = parts
        .properties
        .get(property)
        .ok_or("does not declare the property")?;
    let mut values = mapped_values(discriminator, branch);
    if values.is_empty() {
        values = tag_values(refs, declared.schema);
    }
    if values.is_empty() {
        values = implicit_value(branch).into_iter().collect();
    }
    if values.is_empty() {
        return Err("is inline, lists no values and has no `mapping` entry");
    }
    Ok(values)
}

/// A tag property every branch requires, whose listed values differ from branch to branch.
fn inferred_dispatch(refs: &Refs<'_>, objects: &[Option<ObjectParts<'_>>]) -> Option<Dispatch> {
    let objects: Vec<&ObjectParts<'_>> =
        objects.iter().map(Option::as_ref).collect::<Option<_>>()?;
    let first = objects.first()?;
    first.properties.keys().find_map(|name| {
        let mut claimed = BTreeSet::new();
        let tags = objects
            .iter()
            .map(|parts| {
                let property = parts
                    .properties
                    .get(name)
                    .filter(|_| parts.required.contains(name))?;
                let values = tag_values(refs, property.schema);
                let fresh = !values.is_empty() && values.iter().all(|v| claimed.insert(v.clone()));
                fresh.then_some(values)
            })
            .collect::<Option<Vec<_>>>()
            .filter(|tags| one_kind(tags))?;
        Some(Dispatch {
            property: name.clone(),
            tags,
        })
    })
}

/// The `mapping` keys that name a branch's reference (written `#/components/schemas/X` or `X`).
fn mapped_values(discriminator: &Discriminator, branch: &ReferenceOr<Schema>) -> Vec<TagValue> {
    let ReferenceOr::Reference { reference } = branch else {
        return Vec::new();
    };
    let key = reference.strip_prefix("#/components/schemas/");
    discriminator
        .mapping
        .iter()
        .filter(|(_, target)| *target == reference || key == Some(target.as_str()))
        .map(|(value, _)| TagValue::String(value.clone()))
        .collect()
}

/// OpenAPI's implicit tag value for a referenced branch: the schema's name.
fn implicit_value(branch: &ReferenceOr<Schema>) -> Option<TagValue> {
    match branch {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(|name| TagValue::String(name.to_string())),
        ReferenceOr::Item(_) => None,
    }
}

/// The values a property allows (strings or integers), through `$ref`s and one-member
/// `allOf`/`oneOf`/`anyOf` (how a nullable enum is often written); empty when it allows any. A
/// component met again is a cycle, which allows any value.
fn tag_values(refs: &Refs<'_>, property: &ReferenceOr<Box<Schema>>) -> Vec<TagValue> {
    let mut seen = Vec::new();
    let mut schema = match property {
        ReferenceOr::Item(schema) => schema.as_ref(),
        ReferenceOr::Reference { reference } => match component(refs, reference) {
            Some((index, _, schema)) => {
                seen.push(index);
                schema
            }
            None => return Vec::new(),
        },
    };
    while let [only] = single_members(schema) {
        schema = match only {
            ReferenceOr::Item(inner) => inner,
            ReferenceOr::Reference { reference } => match component(refs, reference) {
                Some((index, _, _)) if seen.contains(&index) => return Vec::new(),
                Some((index, _, inner)) => {
                    seen.push(index);
                    inner
                }
                None => return Vec::new(),
            },
        };
    }
    enum_values(schema)
        .iter()
        .filter_map(|value| match value {
            Value::String(s) => Some(TagValue::String(s.clone())),
            other => other.as_i64().map(TagValue::Integer),
        })
        .collect()
}

/// The members of a schema's `allOf`/`oneOf`/`anyOf` that wraps others (not beside an `enum`).
fn single_members(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of: members }
        | SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members } => members,
        SchemaKind::Any(any) if any.enumeration.is_empty() => {
            [&any.all_of, &any.one_of, &any.any_of]
                .into_iter()
                .find(|members| !members.is_empty())
                .map(Vec::as_slice)
                .unwrap_or_default()
        }
        _ => &[],
    }
}

/// Whether the tag values are all strings or all integers (one `match` can test them).
fn one_kind(tags: &[Vec<TagValue>]) -> bool {
    let mut kinds = tags
        .iter()
        .flatten()
        .map(|tag| matches!(tag, TagValue::String(_)));
    match kinds.next() {
        Some(first) => kinds.all(|kind| kind == first),
        None => true,
    }
}
