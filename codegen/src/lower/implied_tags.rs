//! Tags the variant implies.
//!
//! In a tagged union whose inline payloads each declare the tag as a one-value enum
//! (`"state": {"enum": ["creating"]}`: serde's internally tagged enums as dropshot publishes
//! them), the variant already says the tag's value. The payload structs leave the field out,
//! the one-value enums are not generated, a payload left with nothing becomes a unit variant,
//! and the union writes the tag itself when serialized. Users write `DiskState::Creating`
//! rather than `DiskState::Creating(DiskStateCreating { state: DiskStateCreatingState::Creating
//! })`, and the crate has two types and six impls fewer per variant to compile.
//!
//! A union is rewritten only as a whole, and only when nothing else can see the difference:
//! each payload struct and each tag enum is used by that union alone, every variant has exactly
//! one string tag value, and no payload keeps unknown properties (which would capture the tag).

use std::collections::{BTreeSet, HashMap};

use crate::ir::{Api, BodyKind, PartKind, ResponseBody, TagValue, TypeDef, TypeKind, TypeRef};

/// Rewrites every union whose tags are implied by its variants; see the module docs.
pub(super) fn imply_tags(api: &mut Api) {
    let uses = count_uses(api);
    let index: HashMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let plans: Vec<(usize, Vec<Payload>)> = api
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, def)| Some((i, plan(def, &api.types, &index, &uses)?)))
        .collect();

    let mut removed = BTreeSet::new();
    for (union_at, payloads) in plans {
        for (variant, payload) in payloads.iter().enumerate() {
            removed.insert(payload.tag_enum);
            let TypeKind::Struct { fields, .. } = &mut api.types[payload.struct_at].kind else {
                continue;
            };
            fields.remove(payload.field_at);
            if fields.is_empty() {
                removed.insert(payload.struct_at);
                if let TypeKind::Union(union) = &mut api.types[union_at].kind {
                    union.variants[variant].ty = None;
                }
            }
        }
        if let TypeKind::Union(union) = &mut api.types[union_at].kind {
            union.tag_implied = true;
        }
    }
    api.types = std::mem::take(&mut api.types)
        .into_iter()
        .enumerate()
        .filter(|(at, _)| !removed.contains(at))
        .map(|(_, def)| def)
        .collect();
}

/// Where one variant's tag lives: the payload struct, the tag field in it, the tag's enum.
struct Payload {
    struct_at: usize,
    field_at: usize,
    tag_enum: usize,
}

/// The payloads of `def`'s variants, when `def` is a union whose tags can all be implied.
fn plan(
    def: &TypeDef,
    types: &[TypeDef],
    index: &HashMap<&str, usize>,
    uses: &HashMap<String, usize>,
) -> Option<Vec<Payload>> {
    let TypeKind::Union(union) = &def.kind else {
        return None;
    };
    let tag = union.tag.as_deref()?;
    if union.variants.is_empty() {
        return None;
    }
    let used_once = |name: &str| uses.get(name) == Some(&1);
    let mut values = BTreeSet::new();
    let mut payloads = Vec::new();
    for variant in &union.variants {
        let [TagValue::String(value)] = variant.tags.as_slice() else {
            return None;
        };
        if !values.insert(value) {
            return None;
        }
        let Some(TypeRef::Named(payload)) = &variant.ty else {
            return None;
        };
        let struct_at = *index.get(payload.as_str())?;
        let TypeKind::Struct {
            fields,
            additional: None,
        } = &types[struct_at].kind
        else {
            return None;
        };
        let field_at = fields.iter().position(|f| f.wire_name == tag)?;
        let field = &fields[field_at];
        let TypeRef::Named(tag_type) = &field.ty else {
            return None;
        };
        let tag_enum = *index.get(tag_type.as_str())?;
        let TypeKind::Enum { variants } = &types[tag_enum].kind else {
            return None;
        };
        let one_value = matches!(variants.as_slice(), [only] if only.wire_value == *value);
        if !one_value
            || !field.required
            || field.nullable
            || !used_once(payload)
            || !used_once(tag_type)
        {
            return None;
        }
        payloads.push(Payload {
            struct_at,
            field_at,
            tag_enum,
        });
    }
    Some(payloads)
}

/// How many times each named type is referred to, from types and operations.
fn count_uses(api: &Api) -> HashMap<String, usize> {
    let mut uses = HashMap::new();
    let mut count = |ty: &TypeRef| count_in(ty, &mut uses);
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct { fields, additional } => {
                fields.iter().for_each(|f| count(&f.ty));
                additional.iter().for_each(|a| count(&a.ty));
            }
            TypeKind::Union(union) => union
                .variants
                .iter()
                .flat_map(|v| &v.ty)
                .for_each(&mut count),
            TypeKind::Alias(ty) => count(ty),
            TypeKind::Enum { .. } => {}
        }
    }
    for operation in &api.operations {
        operation.params.iter().for_each(|p| count(&p.ty));
        match operation.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::MultipartFields(ty)) => {
                count(ty)
            }
            Some(BodyKind::Multipart(form)) => {
                for part in &form.parts {
                    if let PartKind::Value(ty) = &part.kind {
                        count(ty);
                    }
                }
            }
            Some(BodyKind::Text | BodyKind::Bytes) | None => {}
        }
        for response in operation.success.iter().chain(&operation.errors) {
            if let ResponseBody::Json(ty) = &response.body {
                count(ty);
            }
        }
    }
    uses
}

fn count_in(ty: &TypeRef, uses: &mut HashMap<String, usize>) {
    match ty {
        TypeRef::Named(name) => *uses.entry(name.clone()).or_default() += 1,
        TypeRef::List(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Boxed(inner) => count_in(inner, uses),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::Integer(_)
        | TypeRef::Float(_)
        | TypeRef::Uuid
        | TypeRef::Json => {}
    }
}
