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
#[derive(Debug, Clone)]
pub struct Positions {
    /// Each node's line and column, by [`NodeId`]; line 0 until recorded (the root may never
    /// be). 32 bits each: a longer line or file is not located (see [`Packed`]).
    locations: Vec<Packed>,
    /// A node's children, by parent and segment.
    children: HashMap<(u32, Segment), u32>,
    /// Each escaped key once (`$ref`, `type`, `properties` recur by the thousand), numbered.
    keys: HashMap<Box<str>, u32>,
    /// Scratch space for escaping a segment.
    segment: String,
}

/// A child's place under its parent: an array item's index, or an object member's key (its
/// number in [`Positions::keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Segment {
    Index(u32),
    Key(u32),
}

/// The array index a pointer segment spells: digits, without a leading zero (RFC 6901).
fn index(segment: &str) -> Option<u32> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let canonical = segment == "0" || !segment.starts_with('0');
    (digits && canonical)
        .then(|| segment.parse().ok())
        .flatten()
}

/// A location in 8 bytes; `(0, 0)` is none.
#[derive(Debug, Clone, Copy, Default)]
struct Packed {
    line: u32,
    column: u32,
}

impl Packed {
    fn of(at: Location) -> Self {
        // Past 4 billion lines or columns a node is simply not located.
        match (u32::try_from(at.line), u32::try_from(at.column)) {
            (Ok(line), Ok(column)) => Packed { line, column },
            _ => Packed::default(),
        }
    }

    fn location(self) -> Option<Location> {
        (self.line > 0).then_some(Location {
            line: self.line as usize,
            column: self.column as usize,
        })
    }
}

impl Default for Positions {
    fn default() -> Self {
        Self::new()
    }
}

impl Positions {
    pub(crate) const ROOT: NodeId = NodeId(0);

    pub(crate) fn new() -> Self {
        Self {
            locations: vec![Packed::default()],
            children: HashMap::new(),
            keys: HashMap::new(),
            segment: String::new(),
        }
    }

    /// Records where the root was written.
    pub(crate) fn root(&mut self, at: Location) -> NodeId {
        self.locations[0] = Packed::of(at);
        Self::ROOT
    }

    /// Records where the member `key` (unescaped) of `parent` was written; a key written twice
    /// is where it was written last, as the value is the last one.
    pub(crate) fn child(&mut self, parent: NodeId, key: &str, at: Location) -> NodeId {
        self.segment.clear();
        push_escaped(&mut self.segment, key);
        let key = match self.keys.get(self.segment.as_str()) {
            Some(&key) => key,
            None => {
                let key = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
                self.keys.insert(Box::from(self.segment.as_str()), key);
                key
            }
        };
        self.insert(parent, Segment::Key(key), at)
    }

    /// Records where item `index` of `parent` was written.
    pub(crate) fn item(&mut self, parent: NodeId, index: usize, at: Location) -> NodeId {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        self.insert(parent, Segment::Index(index), at)
    }

    fn insert(&mut self, parent: NodeId, segment: Segment, at: Location) -> NodeId {
        let next = u32::try_from(self.locations.len()).unwrap_or(u32::MAX);
        let id = *self.children.entry((parent.0, segment)).or_insert(next);
        if id == next {
            self.locations.push(Packed::of(at));
        } else if let Some(slot) = self.locations.get_mut(id as usize) {
            *slot = Packed::of(at);
        }
        NodeId(id)
    }

    /// Where the node at `pointer` was written, if it was recorded.
    pub fn get(&self, pointer: &str) -> Option<Location> {
        let rest = pointer.strip_prefix('#')?;
        let mut node = 0u32;
        if let Some(path) = rest.strip_prefix('/') {
            for segment in path.split('/') {
                // An array's items are found by index, an object's members by key (which may
                // be digits too: a parent is one or the other).
                let item = index(segment)
                    .and_then(|index| self.children.get(&(node, Segment::Index(index))));
                node = match item {
                    Some(&item) => item,
                    None => {
                        let key = *self.keys.get(segment)?;
                        *self.children.get(&(node, Segment::Key(key)))?
                    }
                };
            }
        } else if !rest.is_empty() {
            return None;
        }
        self.locations.get(node as usize)?.location()
    }

    /// How many nodes have a recorded position.
    pub fn len(&self) -> usize {
        self.locations
            .iter()
            .filter(|l| l.location().is_some())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every recorded node by its whole pointer, to compare indexes in tests.
    #[cfg(test)]
    pub(crate) fn to_map(&self) -> HashMap<String, Location> {
        let mut keys = vec![""; self.keys.len()];
        for (key, &number) in &self.keys {
            keys[number as usize] = key;
        }
        let mut parents: Vec<Option<(u32, String)>> = vec![None; self.locations.len()];
        for ((parent, segment), &id) in &self.children {
            let segment = match segment {
                Segment::Index(index) => index.to_string(),
                Segment::Key(key) => keys[*key as usize].to_string(),
            };
            parents[id as usize] = Some((*parent, segment));
        }
        let pointer = |mut id: u32| {
            let mut segments = Vec::new();
            while let Some((parent, segment)) = &parents[id as usize] {
                segments.push(segment.as_str());
                id = *parent;
            }
            segments.reverse();
            std::iter::once("#")
                .chain(segments)
                .collect::<Vec<_>>()
                .join("/")
        };
        (0..self.locations.len())
            .filter_map(|id| Some((pointer(id as u32), self.locations[id].location()?)))
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
        let codes = positions.child(root, "codes", at(6));
        positions.child(codes, "200", at(7));
        assert_eq!(positions.get("#/codes/200"), Some(at(7)));
        assert_eq!(positions.get("#/a~1b~0c/items/00"), None);
        assert_eq!(positions.get("#/a/b~c"), None);
        assert_eq!(positions.get("a"), None);
        assert_eq!(positions.len(), 7);
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
