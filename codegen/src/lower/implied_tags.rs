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

use std::collections::BTreeSet;

use super::schema::{decide_renames, renumber};
use crate::ir::{Api, TagValue, TypeDef, TypeId, TypeKind, TypeRef};

/// Rewrites every union whose tags are implied by its variants; see the module docs.
pub(super) fn imply_tags(api: &mut Api) {
    let uses = count_uses(api);
    let plans: Vec<(usize, Vec<Payload>)> = api
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, def)| Some((i, plan(def, &api.types, &uses)?)))
        .collect();
    if plans.is_empty() {
        return;
    }

    let mut removed = BTreeSet::new();
    for (union_at, payloads) in plans {
        for (variant, payload) in payloads.iter().enumerate() {
            removed.insert(payload.tag_enum);
            let TypeKind::Struct {
                fields, camel_case, ..
            } = &mut api.types[payload.struct_at].kind
            else {
                continue;
            };
            fields.remove(payload.field_at);
            // serde's naming of the fields left is decided again without the tag.
            *camel_case = decide_renames(fields);
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
    let kept: Vec<TypeId> = (0..api.types.len())
        .filter(|at| !removed.contains(at))
        .map(TypeId::from_index)
        .collect();
    renumber(api, &kept);
}

/// Where one variant's tag lives: the payload struct, the tag field in it, the tag's enum.
struct Payload {
    struct_at: usize,
    field_at: usize,
    tag_enum: usize,
}

/// The payloads of `def`'s variants, when `def` is a union whose tags can all be implied.
fn plan(def: &TypeDef, types: &[TypeDef], uses: &[usize]) -> Option<Vec<Payload>> {
    let TypeKind::Union(union) = &def.kind else {
        return None;
    };
    let tag = union.tag.as_deref()?;
    if union.variants.is_empty() {
        return None;
    }
    let used_once = |id: TypeId| uses.get(id.index()) == Some(&1);
    let mut values = BTreeSet::new();
    let mut payloads = Vec::new();
    for variant in &union.variants {
        let [TagValue::String(value)] = variant.tags.as_slice() else {
            return None;
        };
        if !values.insert(value) {
            return None;
        }
        let Some(TypeRef::Named(payload)) = variant.ty else {
            return None;
        };
        let struct_at = payload.index();
        let TypeKind::Struct {
            fields,
            additional: None,
            ..
        } = &types.get(struct_at)?.kind
        else {
            return None;
        };
        let field_at = fields.iter().position(|f| f.wire_name == tag)?;
        let field = &fields[field_at];
        let TypeRef::Named(tag_type) = field.ty else {
            return None;
        };
        let tag_enum = tag_type.index();
        let TypeKind::Enum { variants } = &types.get(tag_enum)?.kind else {
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

/// How many times each named type (by index) is referred to, from types, operations and
/// webhooks.
fn count_uses(api: &Api) -> Vec<usize> {
    let mut uses = vec![0; api.types.len()];
    let from_types = api
        .types
        .iter()
        .flat_map(|def| def.kind.refs().map(|(_, ty)| ty));
    let from_operations = (api.operations.iter()).flat_map(|op| op.refs().map(|(_, ty)| ty));
    for ty in from_types.chain(from_operations).chain(api.webhook_refs()) {
        if let Some(count) = ty.named().and_then(|id| uses.get_mut(id.index())) {
            *count += 1;
        }
    }
    uses
}
