//! Where each node of a loaded document was written.

use std::sync::{Arc, OnceLock};

use super::positions::Positions;
use crate::diagnostics::{parent, Location};

/// Maps JSON pointers (`#/a/b`) to the position of the node in the source text. For a value in a
/// mapping the position is that of its key, which is where a reader looks for it.
///
/// A JSON document's positions are read when first asked for ([`SourceMap::prepare`] asks early,
/// from another thread), so that loading does not wait for them.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    positions: OnceLock<Positions>,
    /// The JSON text the positions are read from on first use.
    deferred: Option<Arc<str>>,
}

impl SourceMap {
    pub(crate) fn from_positions(positions: Positions) -> Self {
        Self {
            positions: OnceLock::from(positions),
            deferred: None,
        }
    }

    /// A map whose positions are read from `json` when first needed.
    pub(crate) fn deferred(json: &str) -> Self {
        Self {
            positions: OnceLock::new(),
            deferred: Some(Arc::from(json)),
        }
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| match &self.deferred {
            // The text already parsed as JSON; should the index still refuse it, findings are
            // reported by pointer alone rather than not at all.
            Some(text) => super::json_positions::positions(text).unwrap_or_default(),
            None => Positions::default(),
        })
    }

    #[cfg(test)]
    pub(crate) fn into_positions(mut self) -> Positions {
        self.positions();
        self.positions.take().unwrap_or_default()
    }

    /// Reads the positions now if they are deferred (on another thread, while the caller
    /// works, so that the first look-up does not wait for them).
    pub fn prepare(&self) {
        self.positions();
    }

    /// The positions are still to be read from the text.
    pub fn is_deferred(&self) -> bool {
        self.deferred.is_some() && self.positions.get().is_none()
    }

    /// The exact position of the node at `pointer`, if it was in the source.
    pub fn get(&self, pointer: &str) -> Option<Location> {
        self.positions().get(pointer)
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
        self.positions().len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions().is_empty()
    }
}
