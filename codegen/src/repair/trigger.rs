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

/// Keys are the document's own: a randomly seeded hasher, so that no document can be written to
/// make them collide (as a fixed hash such as FxHash would allow), fast on short keys.
type KeySet = HashSet<String, foldhash::fast::RandomState>;

/// What a document must contain for a rule to have anything to do.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    /// Any of these keys, on any object.
    keys: &'static [&'static str],
    /// Any of these keys with a string value, on any object.
    string_valued: &'static [&'static str],
    /// Any of these shapes.
    shapes: Shapes,
    /// Run whatever the document contains.
    always: bool,
}

/// Shapes a rule may look for, beyond a key.
#[derive(Debug, Clone, Copy, Default)]
struct Shapes {
    /// A `type` that is not one of the type names (`string`, …, `object`): a list, an object,
    /// `"null"`, or a word such as `int` or `enum`.
    unusual_type: bool,
    /// An object with `$ref` and another key.
    ref_with_siblings: bool,
}

impl Shapes {
    fn any_of(self, found: Shapes) -> bool {
        (self.unusual_type && found.unusual_type)
            || (self.ref_with_siblings && found.ref_with_siblings)
    }
}

impl Trigger {
    const NOTHING: Trigger = Trigger {
        keys: &[],
        string_valued: &[],
        shapes: Shapes {
            unusual_type: false,
            ref_with_siblings: false,
        },
        always: false,
    };

    /// Run on every document.
    pub const ALWAYS: Trigger = Trigger {
        always: true,
        ..Trigger::NOTHING
    };

    /// Run where some `type` is not one of the type names.
    pub const UNUSUAL_TYPE: Trigger = Trigger::NOTHING.or_unusual_type();

    /// Run where an object has `$ref` and another key.
    pub const REF_WITH_SIBLINGS: Trigger = Trigger {
        shapes: Shapes {
            unusual_type: false,
            ref_with_siblings: true,
        },
        ..Trigger::NOTHING
    };

    /// Run where any of `keys` appears.
    pub const fn keys(keys: &'static [&'static str]) -> Trigger {
        Trigger {
            keys,
            ..Trigger::NOTHING
        }
    }

    /// Run where any of `keys` has a string value.
    pub const fn string_valued(keys: &'static [&'static str]) -> Trigger {
        Trigger {
            string_valued: keys,
            ..Trigger::NOTHING
        }
    }

    /// Run also where some `type` is not one of the type names.
    pub const fn or_unusual_type(self) -> Trigger {
        Trigger {
            shapes: Shapes {
                unusual_type: true,
                ref_with_siblings: self.shapes.ref_with_siblings,
            },
            ..self
        }
    }

    /// Whether a document with `facts` may give the rule something to do.
    pub fn is_met_by(&self, facts: &Facts) -> bool {
        self.always
            || self.shapes.any_of(facts.shapes)
            || self.keys.iter().any(|key| facts.keys.contains(*key))
            || self
                .string_valued
                .iter()
                .any(|key| facts.string_valued.contains(*key))
    }
}

/// The type names OpenAPI 3.0 knows.
const TYPE_NAMES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// What a document contains, as far as [`Trigger`]s ask.
#[derive(Debug, Default)]
pub struct Facts {
    /// Every key of every object in the document.
    keys: KeySet,
    /// Every key that has a string value somewhere.
    string_valued: KeySet,
    shapes: Shapes,
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
                        note(&mut facts.keys, key);
                        if key == "type"
                            && !matches!(value, Value::String(name) if TYPE_NAMES.contains(&name.as_str()))
                        {
                            facts.shapes.unusual_type = true;
                        }
                        match value {
                            Value::String(_) => note(&mut facts.string_valued, key),
                            Value::Object(_) | Value::Array(_) => stack.push(value),
                            _ => {}
                        }
                        if key == "$ref" && map.len() > 1 {
                            facts.shapes.ref_with_siblings = true;
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

/// Adds `key` to `set` unless it is there (a look-up, not an allocation, for the usual case).
fn note(set: &mut KeySet, key: &str) {
    if !set.contains(key) {
        set.insert(key.to_string());
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
        assert!(!facts.shapes.unusual_type);
        assert!(!Trigger::UNUSUAL_TYPE.is_met_by(&facts));
        assert!(Trigger::keys(&["x", "const"]).is_met_by(&facts));
        assert!(!Trigger::keys(&["anyOf"]).is_met_by(&facts));
        assert!(Trigger::ALWAYS.is_met_by(&Facts::default()));
        assert!(Trigger::string_valued(&["type"]).is_met_by(&facts));
        assert!(!Trigger::string_valued(&["items", "const"]).is_met_by(&facts));
        assert!(!Trigger::REF_WITH_SIBLINGS.is_met_by(&facts));
        let reference = |r: Value| Facts::of(&json!({"properties": {"p": r}}));
        assert!(!Trigger::REF_WITH_SIBLINGS.is_met_by(&reference(json!({"$ref": "#/a"}))));
        assert!(Trigger::REF_WITH_SIBLINGS
            .is_met_by(&reference(json!({"$ref": "#/a", "nullable": true}))));
        for unusual in [
            json!("int"),
            json!(["string", "null"]),
            json!({"type": "string"}),
            json!("null"),
        ] {
            let facts = Facts::of(&json!({"properties": {"p": {"type": unusual}}}));
            assert!(facts.shapes.unusual_type, "{unusual}");
            assert!(Trigger::keys(&["enum"]).or_unusual_type().is_met_by(&facts));
        }
    }
}
