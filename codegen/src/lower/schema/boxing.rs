//! Cycles by value. A struct field or union variant whose type contains its own type by value
//! (directly or through other structs, unions, aliases or `Option`) would make the type
//! infinitely large: it is boxed. A union variant that holds its own union through unions and
//! aliases alone adds no value and would make deserialization recurse forever: it is dropped.
//!
//! Every walk goes over the definitions' references with [`TypeKind::refs`].

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, TypeSite};

/// Drops the union variants that are their own union (through unions and aliases), with a
/// warning for each.
pub(super) fn drop_self_variants(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let mut to_drop = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        if let TypeKind::Union(union) = &def.kind {
            for (v, variant) in union.variants.iter().enumerate() {
                let Some(ty) = &variant.ty else { continue };
                let walk = Walk {
                    types,
                    target: TypeId::from_index(owner),
                    through_box: true,
                    follows: |kind: &TypeKind, _| matches!(kind, TypeKind::Union(_)),
                };
                if walk.reaches(ty, &mut BTreeSet::new()) {
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

/// A search for `target` from a type, following aliases, `Option` (and `Box` if asked), and the
/// by-value members of the definitions `follows` accepts.
struct Walk<'t, F> {
    types: &'t [TypeDef],
    target: TypeId,
    through_box: bool,
    follows: F,
}

impl<'t, F: Fn(&TypeKind, TypeSite) -> bool> Walk<'t, F> {
    fn reaches(&self, ty: &TypeRef, seen: &mut BTreeSet<TypeId>) -> bool {
        let Some(id) = ty.named_by_value(self.through_box) else {
            return false;
        };
        if id == self.target {
            return true;
        }
        if !seen.insert(id) {
            return false;
        }
        let Some(def) = self.types.get(id.index()) else {
            return false;
        };
        def.kind.refs().any(|(site, inner)| {
            let followed =
                site == TypeSite::Alias || (site.by_value() && (self.follows)(&def.kind, site));
            followed && self.reaches(inner, seen)
        })
    }
}

/// Wraps in `Box` every field and variant whose type reaches its owner by value.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let mut to_box = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        let walk = Walk {
            types,
            target: TypeId::from_index(owner),
            through_box: false,
            follows: |_: &TypeKind, _| true,
        };
        for (site, ty) in def.kind.refs().filter(|(site, _)| site.by_value()) {
            if walk.reaches(ty, &mut BTreeSet::new()) {
                to_box.push((owner, site));
            }
        }
    }
    for (owner, site) in to_box {
        if let Some(ty) = types[owner].kind.ref_mut(site) {
            let inner = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Boxed(Box::new(inner));
        }
    }
}

/// Aliases that lead back to themselves (`A` is `B`, `B` is `A`): a cycle of `$ref`s with no
/// structure in it describes no value at all, and `pub type` cycles do not compile. Each cycle
/// is reported once, from its first type, in one pass over the aliases.
pub(super) fn alias_cycles(types: &[TypeDef]) -> Vec<Diagnostic> {
    let target = |at: usize| match &types[at].kind {
        TypeKind::Alias(TypeRef::Named(next)) => Some(next.index()).filter(|&n| n < types.len()),
        _ => None,
    };
    // Each alias has at most one target, so the aliases form chains that end or close a
    // cycle: follow each chain once, marking where it has been.
    const UNSEEN: usize = usize::MAX;
    let mut walked_from = vec![UNSEEN; types.len()];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for start in 0..types.len() {
        let mut at = start;
        while walked_from[at] == UNSEEN {
            walked_from[at] = start;
            match target(at) {
                Some(next) => at = next,
                None => break,
            }
        }
        // Met again on this walk: `at` is on a cycle no earlier walk reached.
        if walked_from[at] == start && target(at).is_some() {
            let mut cycle = vec![at];
            let mut next = target(at);
            while let Some(n) = next.filter(|&n| n != at) {
                cycle.push(n);
                next = target(n);
            }
            if next == Some(at) {
                cycles.push(cycle);
            }
        }
    }
    // Reported in type order, from the cycle's first type.
    for cycle in &mut cycles {
        let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        cycle.rotate_left(first);
    }
    cycles.sort_by_key(|cycle| cycle[0]);
    cycles
        .into_iter()
        .map(|cycle| {
            let def = &types[cycle[0]];
            let names: Vec<&str> = cycle.iter().map(|&at| types[at].name.as_str()).collect();
            Diagnostic::error(
                &def.pointer,
                format!(
                    "the `$ref`s {} -> {} form a cycle with no schema in it",
                    names.join(" -> "),
                    def.name
                ),
            )
            .with_hint("one of these schemas must describe a value (an object, a string, …)")
        })
        .collect()
}
