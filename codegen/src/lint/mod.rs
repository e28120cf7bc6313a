//! Lint: after repair, the places where the generated client will be looser than the document,
//! each reported as a located warning so that nothing degrades silently.
//!
//! A lint reads the repaired document and changes nothing; it logs through the same
//! [`RepairLog`] as the repair rules (so its findings are located where the node was written,
//! through any moves) under its own name. Each lint reports a node once.
//!
//! | lint | warns about |
//! |---|---|
//! | `unknown-type` | a `type` that is no JSON Schema type (typed as any JSON value) |
//! | `unmodelled-keyword` | schema keywords the generated types do not check (`not`, `if`, `patternProperties`, …) |
//! | `unmodelled-section` | webhooks, callbacks, response links and response headers (no client code) |
//! | `long-name` | a name whose Rust identifier is cut to [`crate::naming::MAX_IDENT_LEN`] characters |

mod long_name;
mod unknown_type;
mod unmodelled_keyword;
mod unmodelled_section;

use serde_json::Value;

use crate::repair::{RepairLog, Rule};

/// Every lint, in the order they run.
pub const LINTS: &[Rule] = &[
    unknown_type::RULE,
    unmodelled_keyword::RULE,
    unmodelled_section::RULE,
    long_name::RULE,
];

/// Runs every lint over the repaired document, logging its warnings.
pub fn lint_document(document: &mut Value, log: &mut RepairLog) {
    for lint in LINTS {
        (lint.run)(document, log);
    }
}
