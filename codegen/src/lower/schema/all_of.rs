//! `allOf`: the members' object properties merged into one struct, through `$ref`s and nested
//! `allOf`s, with `required` unioned. One member (beside members and keywords that only
//! annotate, such as `description` or `nullable`) is that member's type; members that are not
//! objects cannot be merged and are reported.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::{component, own_properties, shape, Properties, Shape, TypeLowerer};
use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{TypeKind, TypeRef};
use crate::lower::refs::Refs;

/// An object as gathered from a schema, the schemas its `$ref`s name and its `allOf` members.
#[derive(Default)]
pub(crate) struct ObjectParts<'s> {
    pub(crate) properties: Properties<'s>,
    /// Every member's `required`, in the order met, without repeats.
    pub(crate) required: Vec<String>,
    /// The first member's `additionalProperties` (that is not `false`), with its pointer.
    pub(super) additional: Option<(&'s AdditionalProperties, String)>,
    /// How many object schemas contributed (one without properties counts).
    pub(super) objects: usize,
    /// Members that are neither objects, `allOf`s nor mere annotations: as written, and where.
    pub(super) others: Vec<(&'s ReferenceOr<Schema>, String)>,
}

impl<'s> ObjectParts<'s> {
    /// The parts of an inline schema at `at`.
    pub(super) fn of_schema(refs: &Refs<'s>, schema: &'s Schema, at: &str) -> Self {
        let mut parts = Self::default();
        parts.add_schema(refs, schema, None, at, None, &mut Vec::new());
        parts
    }

    /// The parts of a schema as written (inline or a `$ref`) at `at`: the object a struct of it
    /// has the fields of (a multipart body's parts are gathered the same way).
    pub(crate) fn of_member(refs: &Refs<'s>, member: &'s ReferenceOr<Schema>, at: &str) -> Self {
        let mut parts = Self::default();
        parts.add_member(refs, member, at, None, &mut Vec::new());
        parts
    }

    /// Whether the schema is an object and nothing else.
    pub(super) fn is_object(&self) -> bool {
        self.objects > 0 && self.others.is_empty()
    }

    fn add_member(
        &mut self,
        refs: &Refs<'s>,
        member: &'s ReferenceOr<Schema>,
        at: &str,
        component_at: Option<usize>,
        seen: &mut Vec<usize>,
    ) {
        match member {
            ReferenceOr::Item(schema) => {
                self.add_schema(refs, schema, Some(member), at, component_at, seen)
            }
            ReferenceOr::Reference { reference } => match component(refs, reference) {
                // A component met again is a cycle: what it adds is already here.
                Some((index, _, _)) if seen.contains(&index) => {}
                Some((index, key, schema)) => {
                    seen.push(index);
                    let at = pointer(["components", "schemas", key]);
                    self.add_schema(refs, schema, Some(member), &at, Some(index), seen);
                }
                None => self.others.push((member, at.to_string())),
            },
        }
    }

    fn add_schema(
        &mut self,
        refs: &Refs<'s>,
        schema: &'s Schema,
        written: Option<&'s ReferenceOr<Schema>>,
        at: &str,
        component_at: Option<usize>,
        seen: &mut Vec<usize>,
    ) {
        match shape(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                self.objects += 1;
                self.add_properties(properties, required, additional, at, component_at);
            }
            Shape::AllOf(members) => {
                let list_at = child(at, "allOf");
                for (i, member) in members.iter().enumerate() {
                    let member_at = child(&list_at, &i.to_string());
                    self.add_member(refs, member, &member_at, component_at, seen);
                }
                if let SchemaKind::Any(any) = &schema.schema_kind {
                    if !any.properties.is_empty() {
                        self.objects += 1;
                    }
                    let additional = any.additional_properties.as_ref();
                    let (properties, required) = (&any.properties, &any.required);
                    self.add_properties(properties, required, additional, at, component_at);
                }
            }
            // Annotations, or constraints such as `required` on the other members' properties.
            Shape::Any => {
                if let SchemaKind::Any(any) = &schema.schema_kind {
                    let (properties, required) = (&any.properties, &any.required);
                    self.add_properties(properties, required, None, at, component_at);
                }
            }
            _ => {
                if let Some(written) = written {
                    self.others.push((written, at.to_string()));
                }
            }
        }
    }

    fn add_properties(
        &mut self,
        properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
        at: &str,
        component_at: Option<usize>,
    ) {
        // A later member's property replaces an earlier one of the same name, in place.
        self.properties
            .extend(own_properties(properties, at, component_at));
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        match additional {
            Some(AdditionalProperties::Any(false)) | None => {}
            Some(additional) if self.additional.is_none() => {
                self.additional = Some((additional, child(at, "additionalProperties")));
            }
            Some(_) => {}
        }
    }
}

/// What an `allOf` becomes.
enum Plan<'s> {
    /// One member's type (the only one, or the first of several that cannot be merged).
    Member(&'s ReferenceOr<Schema>, String),
    /// A struct of the merged members.
    Struct(ObjectParts<'s>),
    /// Nothing but annotations: any value.
    Any,
}

/// Whether a member only annotates (`description`, `nullable`, …) and says nothing of the type
/// (a member that makes properties `required` does).
fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let requires = matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.required.is_empty());
    matches!(shape(schema), Shape::Any) && !requires
}

/// Whether a schema has object keywords beside its `allOf`, which make it a member too.
fn has_own_properties(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty())
}

/// The one union member of an `allOf` whose object members add only optional properties (a
/// union of events, say, each of which may also carry a `stream_id`): a struct of those
/// properties would lose the union's content, while the union loses only optional extras.
fn decorated_union<'s>(
    refs: &Refs<'s>,
    parts: &ObjectParts<'s>,
) -> Option<(&'s ReferenceOr<Schema>, String)> {
    let [(member, member_at)] = parts.others.as_slice() else {
        return None;
    };
    let schema = match member {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => component(refs, reference)?.2,
    };
    let is_union = matches!(shape(schema), Shape::Union { .. });
    (is_union && parts.objects > 0 && parts.required.is_empty())
        .then(|| (*member, member_at.clone()))
}

impl<'a> TypeLowerer<'a> {
    /// [`TypeLowerer::lower_type`] for an `allOf`.
    pub(super) fn all_of_type(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        at: &str,
    ) -> TypeRef {
        match self.all_of_plan(schema, members, at) {
            Plan::Member(member, member_at) => self.lower_type(member, hint, &member_at),
            Plan::Struct(_) => self.inline_definition(schema, hint, at),
            Plan::Any => TypeRef::Json,
        }
    }

    /// The body of a named type that is an `allOf`.
    pub(super) fn all_of_definition(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        at: &str,
    ) -> TypeKind {
        match self.all_of_plan(schema, members, at) {
            Plan::Member(ReferenceOr::Item(member), member_at) => {
                self.definition(name, member, &member_at)
            }
            Plan::Member(reference, member_at) => {
                TypeKind::Alias(self.lower_type(reference, name, &member_at))
            }
            Plan::Struct(parts) => {
                for (_, other_at) in &parts.others {
                    self.warn(Diagnostic::warning(
                        other_at,
                        "this `allOf` member is not an object schema; its constraints are not modelled",
                    ));
                }
                let additional = parts.additional.clone();
                self.struct_kind(name, &parts.properties, &parts.required, additional)
            }
            Plan::Any => TypeKind::Alias(TypeRef::Json),
        }
    }

    fn all_of_plan<'s>(
        &mut self,
        schema: &'s Schema,
        members: &'s [ReferenceOr<Schema>],
        at: &str,
    ) -> Plan<'s>
    where
        'a: 's,
    {
        let list_at = child(at, "allOf");
        let mut typed = members
            .iter()
            .enumerate()
            .filter(|(_, member)| !is_annotation(member));
        if let (Some((i, only)), None) = (typed.next(), typed.next()) {
            if !has_own_properties(schema) {
                return Plan::Member(only, child(&list_at, &i.to_string()));
            }
        }
        let parts = ObjectParts::of_schema(self.refs(), schema, at);
        if let Some((union, union_at)) = decorated_union(self.refs(), &parts) {
            self.warn(
                Diagnostic::warning(
                    at,
                    "the `allOf` members cannot be merged (a union and objects); typed as the union",
                )
                .with_hint("the object members add only optional properties, which are not modelled"),
            );
            return Plan::Member(union, union_at);
        }
        if parts.objects > 0 {
            return Plan::Struct(parts);
        }
        let mut others = parts.others.into_iter();
        let Some((first, first_at)) = others.next() else {
            return Plan::Any;
        };
        if others.next().is_some() {
            self.warn(
                Diagnostic::warning(
                    at,
                    "the `allOf` members cannot be merged (none is an object); typed as the first",
                )
                .with_hint("the other members' constraints are not modelled"),
            );
        }
        Plan::Member(first, first_at)
    }
}
