//! Where each node of a loaded document was written, as a tree of nodes keyed by their parent
//! and their own segment, so the index takes memory in proportion to the number of nodes: a
//! node forty levels deep does not store the forty segments above it (as a table of whole
//! pointers did, which made a deeply nested document's index many times its size).

use std::collections::HashMap;

use crate::diagnostics::Location;
use crate::pointer::push_escaped;

/// A node of the index: the root is [`Positions::ROOT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeId(u32);

/// Every recorded node's position, found by pointer (`#`, `#/a/0`).
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// Each node's position, by [`NodeId`]; `None` until recorded (the root may be recorded
    /// after its children are known, or never).
    locations: Vec<Option<Location>>,
    /// A node's children, by (parent, escaped segment).
    children: HashMap<(u32, Box<str>), u32>,
    /// Scratch space for escaping a segment.
    segment: String,
}

impl Positions {
    pub(crate) const ROOT: NodeId = NodeId(0);

    pub(crate) fn new() -> Self {
        Self {
            locations: vec![None],
            children: HashMap::new(),
            segment: String::new(),
        }
    }

    /// Records where the root was written.
    pub(crate) fn root(&mut self, at: Location) -> NodeId {
        self.locations[0] = Some(at);
        Self::ROOT
    }

    /// Records where the member `key` (unescaped) of `parent` was written; a key written twice
    /// is where it was written last, as the value is the last one.
    pub(crate) fn child(&mut self, parent: NodeId, key: &str, at: Location) -> NodeId {
        self.segment.clear();
        push_escaped(&mut self.segment, key);
        self.insert(parent, at)
    }

    /// Records where item `index` of `parent` was written.
    pub(crate) fn item(&mut self, parent: NodeId, index: usize, at: Location) -> NodeId {
        use std::fmt::Write;
        self.segment.clear();
        let _ = write!(self.segment, "{index}");
        self.insert(parent, at)
    }

    /// Records the node under `parent` at the segment in [`Self::segment`].
    fn insert(&mut self, parent: NodeId, at: Location) -> NodeId {
        let next = u32::try_from(self.locations.len()).unwrap_or(u32::MAX);
        let id = *self
            .children
            .entry((parent.0, Box::from(self.segment.as_str())))
            .or_insert(next);
        if id == next {
            self.locations.push(Some(at));
        } else if let Some(slot) = self.locations.get_mut(id as usize) {
            *slot = Some(at);
        }
        NodeId(id)
    }

    /// Where the node at `pointer` was written, if it was recorded.
    pub fn get(&self, pointer: &str) -> Option<Location> {
        let rest = pointer.strip_prefix('#')?;
        let mut node = 0u32;
        if let Some(path) = rest.strip_prefix('/') {
            for segment in path.split('/') {
                node = *self.children.get(&(node, Box::from(segment)))?;
            }
        } else if !rest.is_empty() {
            return None;
        }
        *self.locations.get(node as usize)?
    }

    /// How many nodes have a recorded position.
    pub fn len(&self) -> usize {
        self.locations.iter().filter(|l| l.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every recorded node by its whole pointer, to compare indexes in tests.
    #[cfg(test)]
    pub(crate) fn to_map(&self) -> HashMap<String, Location> {
        let mut parents = vec![None; self.locations.len()];
        for ((parent, segment), &id) in &self.children {
            parents[id as usize] = Some((*parent, segment));
        }
        let pointer = |mut id: u32| {
            let mut segments = Vec::new();
            while let Some((parent, segment)) = parents[id as usize] {
                segments.push(&**segment);
                id = parent;
            }
            segments.reverse();
            std::iter::once("#")
                .chain(segments)
                .collect::<Vec<_>>()
                .join("/")
        };
        (0..self.locations.len())
            .filter_map(|id| Some((pointer(id as u32), self.locations[id]?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Location {
        Location { line, column: 1 }
    }

    #[test]
    fn nodes_are_found_by_pointer_with_escaped_segments() {
        let mut positions = Positions::new();
        let root = positions.root(at(1));
        let a = positions.child(root, "a/b~c", at(2));
        let items = positions.child(a, "items", at(3));
        positions.item(items, 0, at(4));
        positions.child(root, "", at(5));
        assert_eq!(positions.get("#"), Some(at(1)));
        assert_eq!(positions.get("#/a~1b~0c"), Some(at(2)));
        assert_eq!(positions.get("#/a~1b~0c/items/0"), Some(at(4)));
        assert_eq!(positions.get("#/"), Some(at(5)));
        assert_eq!(positions.get("#/a~1b~0c/items/1"), None);
        assert_eq!(positions.get("#/a/b~c"), None);
        assert_eq!(positions.get("a"), None);
        assert_eq!(positions.len(), 5);
        assert_eq!(positions.to_map()["#/a~1b~0c/items/0"], at(4));
    }

    #[test]
    fn a_key_written_twice_is_where_it_was_written_last() {
        let mut positions = Positions::new();
        let root = positions.root(at(1));
        let first = positions.child(root, "k", at(2));
        let second = positions.child(root, "k", at(3));
        assert_eq!(first, second);
        assert_eq!(positions.get("#/k"), Some(at(3)));
        assert_eq!(positions.len(), 2);
    }
}
