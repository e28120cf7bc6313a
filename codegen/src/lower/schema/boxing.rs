//! Cycles by value. A struct field or union variant whose type contains its own type by value
//! (directly or through other structs, unions, aliases or `Option`) would make the type
//! infinitely large: it is boxed. A union variant that holds its own union through unions and
//! aliases alone adds no value and would make deserialization recurse forever: it is dropped.
//!
//! Every walk goes over the definitions' references with [`TypeKind::refs`].

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, TypeSite};

/// Drops the union variants that are their own union (through unions and aliases), with a
/// warning for each.
pub(super) fn drop_self_variants(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    // A variant holds its own union when the union is reachable from the variant's type over
    // the edges of unions' members and aliases: the two are in one component.
    let component = components_by_value(types, true, |kind| matches!(kind, TypeKind::Union(_)));
    let mut to_drop = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        if let TypeKind::Union(union) = &def.kind {
            for (v, variant) in union.variants.iter().enumerate() {
                let target = variant.ty.as_ref().and_then(|ty| ty.named_by_value(true));
                if target.is_some_and(|t| component.get(t.index()) == Some(&component[owner])) {
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

/// Wraps in `Box` every field and variant whose type reaches its owner by value.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    // The owner holds the member's type by value, so the member's type reaches the owner back
    // exactly when both are in one component of the by-value graph.
    let component = components_by_value(types, false, |_| true);
    let mut to_box = Vec::new();
    for (owner, def) in types.iter().enumerate() {
        for (site, ty) in def.kind.refs().filter(|(site, _)| site.by_value()) {
            let target = ty.named_by_value(false);
            if target.is_some_and(|t| component.get(t.index()) == Some(&component[owner])) {
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

/// The strongly connected component of every type in the graph whose edges are aliases and
/// the by-value members (fields, variants) of the definitions `follows` accepts, each leading
/// to the named type the member holds by value (through `Option`, and `Box` if
/// `through_box`). Linear in the definitions: a long chain of types that hold the next one
/// costs no more than it has links.
fn components_by_value(
    types: &[TypeDef],
    through_box: bool,
    follows: impl Fn(&TypeKind) -> bool,
) -> Vec<usize> {
    strongly_connected(types.len(), |at, next| {
        let kind = &types[at].kind;
        let followed = follows(kind);
        next.extend(
            kind.refs()
                .filter(|(site, _)| *site == TypeSite::Alias || (followed && site.by_value()))
                .filter_map(|(_, ty)| ty.named_by_value(through_box))
                .map(TypeId::index)
                .filter(|&to| to < types.len()),
        );
    })
}

/// Tarjan's strongly connected components over nodes `0..count`, with an explicit stack (a
/// chain of thousands of types must not overflow the thread's stack). `edges(node, out)` pushes
/// the node's successors. Returns each node's component number.
fn strongly_connected(count: usize, edges: impl Fn(usize, &mut Vec<usize>)) -> Vec<usize> {
    let mut search = Tarjan {
        index: vec![UNVISITED; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        component: vec![UNVISITED; count],
        stack: Vec::new(),
        frames: Vec::new(),
        next_index: 0,
        components: 0,
    };
    for root in 0..count {
        if search.index[root] != UNVISITED {
            continue;
        }
        search.enter(root, &edges);
        while let Some((node, successors)) = search.frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.pop() {
                if search.index[next] == UNVISITED {
                    search.enter(next, &edges);
                } else if search.on_stack[next] {
                    search.low[node] = search.low[node].min(search.index[next]);
                }
                continue;
            }
            search.leave(node);
        }
    }
    search.component
}

const UNVISITED: usize = usize::MAX;

/// The state of [`strongly_connected`]'s depth-first search.
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    component: Vec<usize>,
    stack: Vec<usize>,
    /// The path of the search: each node with its successors still to visit.
    frames: Vec<(usize, Vec<usize>)>,
    next_index: usize,
    components: usize,
}

impl Tarjan {
    fn enter(&mut self, node: usize, edges: &impl Fn(usize, &mut Vec<usize>)) {
        self.index[node] = self.next_index;
        self.low[node] = self.next_index;
        self.next_index += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        let mut successors = Vec::new();
        edges(node, &mut successors);
        successors.reverse();
        self.frames.push((node, successors));
    }

    /// All of `node`'s successors are visited: it passes its low link to its parent, and closes
    /// a component if it is the component's root.
    fn leave(&mut self, node: usize) {
        self.frames.pop();
        if let Some(&(parent, _)) = self.frames.last() {
            self.low[parent] = self.low[parent].min(self.low[node]);
        }
        if self.low[node] == self.index[node] {
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                self.component[member] = self.components;
                if member == node {
                    break;
                }
            }
            self.components += 1;
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

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    fn components(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
        strongly_connected(count, |node, out| {
            out.extend(
                edges
                    .iter()
                    .filter(|(from, _)| *from == node)
                    .map(|(_, to)| *to),
            );
        })
    }

    fn same(component: &[usize], a: usize, b: usize) -> bool {
        component[a] == component[b]
    }

    #[test]
    fn cycles_are_components_and_a_chain_is_not() {
        // 0 → 1 → 2 → 0 is a cycle; 2 → 3 → 4 leaves it; 4 → 4 is a self-loop; 5 stands alone.
        let c = components(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 4)]);
        assert!(same(&c, 0, 1) && same(&c, 1, 2));
        assert!(!same(&c, 2, 3) && !same(&c, 3, 4) && !same(&c, 4, 5));
        let distinct: std::collections::BTreeSet<_> = c.iter().collect();
        assert_eq!(distinct.len(), 4);
    }

    #[test]
    fn two_cycles_joined_both_ways_are_one_component() {
        let c = components(4, &[(0, 1), (1, 0), (2, 3), (3, 2), (1, 2), (3, 0)]);
        assert!(c.iter().all(|&x| x == c[0]));
    }

    #[test]
    fn a_long_chain_closing_on_itself_does_not_overflow_the_stack() {
        let count = 200_000;
        let c = strongly_connected(count, |node, out| out.push((node + 1) % count));
        assert!(c.iter().all(|&x| x == c[0]));
        let open = strongly_connected(count, |node, out| {
            if node + 1 < count {
                out.push(node + 1)
            }
        });
        let distinct: std::collections::BTreeSet<_> = open.iter().collect();
        assert_eq!(distinct.len(), count);
    }
}
