//! Where each node of a loaded document was written.

use std::collections::HashMap;

use crate::diagnostics::{parent, Location};

/// Maps JSON pointers (`#/a/b`) to the position of the node in the source text. For a value in a
/// mapping the position is that of its key, which is where a reader looks for it.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    positions: HashMap<String, Location>,
}

impl SourceMap {
    pub(crate) fn insert(&mut self, pointer: String, location: Location) {
        self.positions.insert(pointer, location);
    }

    /// The exact position of the node at `pointer`, if it was in the source.
    pub fn get(&self, pointer: &str) -> Option<Location> {
        self.positions.get(pointer).copied()
    }

    /// The position of the node at `pointer` or, for a node that was not in the source (added by a
    /// repair), of its nearest ancestor that was.
    pub fn locate(&self, pointer: &str) -> Option<Location> {
        let mut current = pointer;
        loop {
            if let Some(location) = self.get(current) {
                return Some(location);
            }
            current = parent(current)?;
        }
    }

    /// How many nodes have a recorded position.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}
