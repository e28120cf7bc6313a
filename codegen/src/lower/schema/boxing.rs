//! Cycles by value. A struct field or union variant whose type contains its own type by value
//! (directly or through other structs, unions, aliases or `Option`) would make the type
//! infinitely large: it is boxed. A union variant that holds its own union through unions and
//! aliases alone adds no value and would make deserialization recurse forever: it is dropped.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};

fn index_by_name(types: &[TypeDef]) -> HashMap<String, usize> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect()
}

/// Drops the union variants that are their own union (through unions and aliases), with a
/// warning for each.
pub(super) fn drop_self_variants(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let by_name = index_by_name(types);
    let mut to_drop = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        if let TypeKind::Union(union) = &def.kind {
            for (v, variant) in union.variants.iter().enumerate() {
                let mut seen = BTreeSet::new();
                let Some(ty) = &variant.ty else { continue };
                if is_itself(types, &by_name, ty, owner, &mut seen) {
                    to_drop.push((owner, v));
                }
            }
        }
    }
    let mut diagnostics = Vec::new();
    for (owner, v) in to_drop.into_iter().rev() {
        if let TypeKind::Union(union) = &mut types[owner].kind {
            let variant = union.variants.remove(v);
            diagnostics.push(Diagnostic::warning(
                variant.pointer,
                "this branch is the union itself (through other unions), which adds no value and would recurse forever; left out",
            ));
        }
    }
    diagnostics.reverse();
    diagnostics
}

/// Whether `ty` is the union `target` through unions, aliases and wrappers alone.
fn is_itself(
    types: &[TypeDef],
    by_name: &HashMap<String, usize>,
    ty: &TypeRef,
    target: usize,
    seen: &mut BTreeSet<usize>,
) -> bool {
    let walk = Walk {
        types,
        by_name,
        target,
        through_box: true,
        through: union_members,
    };
    walk.reaches(ty, seen)
}

/// A union's variants; nothing for other definitions.
fn union_members(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Union(_) => members(kind),
        _ => Vec::new(),
    }
}

/// A search for `target` from a type, following aliases, `Option` (and `Box` if asked) and
/// the members `through` gives for each definition met.
struct Walk<'t, F> {
    types: &'t [TypeDef],
    by_name: &'t HashMap<String, usize>,
    target: usize,
    through_box: bool,
    through: F,
}

impl<'t, F: Fn(&'t TypeKind) -> Vec<&'t TypeRef>> Walk<'t, F> {
    fn reaches(&self, ty: &'t TypeRef, seen: &mut BTreeSet<usize>) -> bool {
        match ty {
            TypeRef::Named(name) => {
                let Some(&index) = self.by_name.get(name) else {
                    return false;
                };
                if index == self.target {
                    return true;
                }
                if !seen.insert(index) {
                    return false;
                }
                let kind = &self.types[index].kind;
                let next = match kind {
                    TypeKind::Alias(inner) => vec![inner],
                    _ => (self.through)(kind),
                };
                next.into_iter().any(|inner| self.reaches(inner, seen))
            }
            TypeRef::Option(inner) => self.reaches(inner, seen),
            TypeRef::Boxed(inner) if self.through_box => self.reaches(inner, seen),
            _ => false,
        }
    }
}

/// Wraps in `Box` every field and variant whose type reaches its owner by value.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let by_name = index_by_name(types);
    let mut to_box = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        for (slot, ty) in members(&def.kind).into_iter().enumerate() {
            let mut seen = BTreeSet::new();
            if reaches_by_value(types, &by_name, ty, owner, &mut seen) {
                to_box.push((owner, slot));
            }
        }
    }
    for (owner, slot) in to_box {
        if let Some(ty) = members_mut(&mut types[owner].kind).into_iter().nth(slot) {
            let inner = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Boxed(Box::new(inner));
        }
    }
}

/// The types a definition holds by value: a struct's fields, a union's variants.
fn members(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .collect(),
        TypeKind::Enum { .. } | TypeKind::Alias(_) => Vec::new(),
    }
}

/// [`members`], to change them (same order).
fn members_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(union) => union
            .variants
            .iter_mut()
            .filter_map(|v| v.ty.as_mut())
            .collect(),
        TypeKind::Enum { .. } | TypeKind::Alias(_) => Vec::new(),
    }
}

/// Whether `ty` holds the type `target` by value (through fields, variants, aliases and
/// `Option`, not through a `Box`, `Vec` or map, which are already on the heap).
fn reaches_by_value(
    types: &[TypeDef],
    by_name: &HashMap<String, usize>,
    ty: &TypeRef,
    target: usize,
    seen: &mut BTreeSet<usize>,
) -> bool {
    let walk = Walk {
        types,
        by_name,
        target,
        through_box: false,
        through: members,
    };
    walk.reaches(ty, seen)
}

/// Aliases that lead back to themselves (`A` is `B`, `B` is `A`): a cycle of `$ref`s with no
/// structure in it describes no value at all, and `pub type` cycles do not compile.
pub(super) fn alias_cycles(types: &[TypeDef]) -> Vec<Diagnostic> {
    let aliases: HashMap<&str, (&str, &TypeDef)> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Alias(TypeRef::Named(target)) => {
                Some((def.name.as_str(), (target.as_str(), def)))
            }
            _ => None,
        })
        .collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for def in types {
        let start = def.name.as_str();
        if reported.contains(start) || !aliases.contains_key(start) {
            continue;
        }
        let mut chain = vec![start];
        let mut current = start;
        while let Some((next, _)) = aliases.get(current) {
            if *next == start {
                reported.extend(chain.iter().copied());
                diagnostics.push(
                    Diagnostic::error(
                        &def.pointer,
                        format!(
                            "the `$ref`s {} -> {start} form a cycle with no schema in it",
                            chain.join(" -> ")
                        ),
                    )
                    .with_hint(
                        "one of these schemas must describe a value (an object, a string, …)",
                    ),
                );
                break;
            }
            if chain.contains(next) {
                break;
            }
            chain.push(next);
            current = next;
        }
    }
    diagnostics
}
