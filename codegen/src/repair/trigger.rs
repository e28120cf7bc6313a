//! When a rule can have anything to do.
//!
//! Every rule walks the whole document, and most fix a defect that needs a particular key: no
//! `const` anywhere, nothing for `const-to-enum` to rewrite. [`Facts`] are read in one pass over
//! the document (every object key anywhere, examples included, and whether some `type` is not
//! one of the six type names); a rule whose [`Trigger`] they do not meet is not run. A trigger
//! must be a necessary condition of the rule doing anything: the tests run every rule on every
//! document the repository has, triggered and not, and compare.

use std::collections::HashSet;

use serde_json::Value;

/// What a document must contain for a rule to have anything to do.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    /// Any of these keys, on any object.
    keys: &'static [&'static str],
    /// A `type` that is not one of the type names (`string`, …, `object`): a list, an object,
    /// `"null"`, or a word such as `int` or `enum`.
    unusual_type: bool,
    /// Run whatever the document contains.
    always: bool,
}

impl Trigger {
    /// Run on every document.
    pub const ALWAYS: Trigger = Trigger {
        keys: &[],
        unusual_type: false,
        always: true,
    };

    /// Run where some `type` is not one of the type names.
    pub const UNUSUAL_TYPE: Trigger = Trigger {
        keys: &[],
        unusual_type: true,
        always: false,
    };

    /// Run where any of `keys` appears.
    pub const fn keys(keys: &'static [&'static str]) -> Trigger {
        Trigger {
            keys,
            unusual_type: false,
            always: false,
        }
    }

    /// Run also where some `type` is not one of the type names.
    pub const fn or_unusual_type(self) -> Trigger {
        Trigger {
            unusual_type: true,
            ..self
        }
    }

    /// Whether a document with `facts` may give the rule something to do.
    pub fn is_met_by(&self, facts: &Facts) -> bool {
        self.always
            || (self.unusual_type && facts.unusual_type)
            || self.keys.iter().any(|key| facts.keys.contains(*key))
    }
}

/// The type names OpenAPI 3.0 knows.
const TYPE_NAMES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// What a document contains, as far as [`Trigger`]s ask.
#[derive(Debug, Default)]
pub struct Facts {
    /// Every key of every object in the document.
    keys: HashSet<String>,
    /// Some `type` is not a string naming one of [`TYPE_NAMES`].
    unusual_type: bool,
}

impl Facts {
    /// Reads `document` in one pass (iterative: nesting is bounded by the loader, not here).
    pub fn of(document: &Value) -> Facts {
        let mut facts = Facts::default();
        let mut stack = vec![document];
        while let Some(node) = stack.pop() {
            match node {
                Value::Object(map) => {
                    for (key, value) in map {
                        if !facts.keys.contains(key.as_str()) {
                            facts.keys.insert(key.clone());
                        }
                        if key == "type"
                            && !matches!(value, Value::String(name) if TYPE_NAMES.contains(&name.as_str()))
                        {
                            facts.unusual_type = true;
                        }
                        if value.is_object() || value.is_array() {
                            stack.push(value);
                        }
                    }
                }
                Value::Array(items) => {
                    stack.extend(items.iter().filter(|v| v.is_object() || v.is_array()));
                }
                _ => {}
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn facts_hold_every_key_and_notice_unusual_types() {
        let facts = Facts::of(&json!({
            "a": {"type": "string", "items": [{"const": 1}]},
            "example": {"nested": {"type": "integer"}}
        }));
        for key in ["a", "type", "items", "const", "example", "nested"] {
            assert!(facts.keys.contains(key), "{key}");
        }
        assert!(!facts.unusual_type);
        assert!(!Trigger::UNUSUAL_TYPE.is_met_by(&facts));
        assert!(Trigger::keys(&["x", "const"]).is_met_by(&facts));
        assert!(!Trigger::keys(&["anyOf"]).is_met_by(&facts));
        assert!(Trigger::ALWAYS.is_met_by(&Facts::default()));
        for unusual in [
            json!("int"),
            json!(["string", "null"]),
            json!({"type": "string"}),
            json!("null"),
        ] {
            let facts = Facts::of(&json!({"properties": {"p": {"type": unusual}}}));
            assert!(facts.unusual_type, "{unusual}");
            assert!(Trigger::keys(&["enum"]).or_unusual_type().is_met_by(&facts));
        }
    }
}
