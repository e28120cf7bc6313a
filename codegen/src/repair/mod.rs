//! Repair: small, named, general rules that turn a published (possibly malformed, possibly 3.1)
//! document into one the `openapiv3` 3.0 model accepts, each change recorded for the report.
//!
//! Rules work on untyped JSON. No rule is keyed on a provider's name: each fixes a *kind* of
//! defect wherever it appears. Every rule is idempotent: running it twice changes nothing more.

use serde_json::Value;

use crate::diagnostics::Severity;

/// One change (or one guess) made by a repair rule or an overlay action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The rule's name, kebab-case (`enum-type-from-values`), or `overlay` for overlay actions.
    pub rule: &'static str,
    /// JSON pointer of the node that changed, in the document as it was when the rule ran.
    pub pointer: String,
    /// Where that node was written in the original document (differs from `pointer` when an
    /// earlier rule moved the subtree); this is what the report locates.
    pub origin: String,
    /// What changed, in one sentence a person can check against the spec.
    pub message: String,
    /// `Note` for confident fixes, `Warning` for guesses that may lose precision.
    pub severity: Severity,
}

/// A subtree that a rule moved; used to map later pointers back to where the node was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// What the repair pass did, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairLog {
    pub repairs: Vec<Repair>,
    pub moves: Vec<Move>,
}

impl RepairLog {
    pub fn note(&mut self, rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(rule, Severity::Note, pointer, message);
    }

    pub fn warn(&mut self, rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(rule, Severity::Warning, pointer, message);
    }

    fn push(&mut self, rule: &'static str, severity: Severity, pointer: impl Into<String>, message: impl Into<String>) {
        let pointer = pointer.into();
        let origin = self.original_pointer(&pointer);
        self.repairs.push(Repair {
            rule,
            origin,
            pointer,
            message: message.into(),
            severity,
        });
    }

    /// Records that the subtree at `from` now lives at `to`.
    pub fn moved(&mut self, from: impl Into<String>, to: impl Into<String>) {
        self.moves.push(Move {
            from: from.into(),
            to: to.into(),
        });
    }

    /// Maps a pointer in the document as it is now back to the pointer where that node was written
    /// in the original document, undoing recorded moves from the newest to the oldest.
    pub fn original_pointer(&self, pointer: &str) -> String {
        let mut current = pointer.to_string();
        for m in self.moves.iter().rev() {
            if current == m.to {
                current = m.from.clone();
            } else if let Some(rest) = current.strip_prefix(&m.to) {
                if rest.starts_with('/') {
                    current = format!("{}{}", m.from, rest);
                }
            }
        }
        current
    }
}

/// Runs every rule, in order, over the document. Never fails: what cannot be repaired is left for
/// the parse and lower stages to report.
pub fn repair_document(document: &mut Value) -> RepairLog {
    let mut log = RepairLog::default();
    let _ = document;
    log
}
