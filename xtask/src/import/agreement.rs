//! The pages of one `import` call are one change: which definition each component takes.
//!
//! After an import the spec stands for a set of pages: the kept pages the import does not
//! replace, and the pages it imports. A component is in conflict only where two of those pages
//! define it differently. Every conflict is found before anything is merged, so all of them are
//! reported at once, each with the pages on each side. `--prefer-new` lets the imported pages win
//! over kept ones when they agree among themselves; it never chooses between imported pages.

use std::fmt;

use serde_json::{Map, Value};

use super::escape;

/// A page that stands for the spec after the import.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// `sources/<provider>/<file>`.
    pub source: &'a str,
    pub document: &'a Value,
    /// Imported by this call (else a kept page that stays).
    pub new: bool,
}

/// One of the definitions a conflicting component has, with the pages that give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Pages of this import that give the definition.
    pub new: Vec<String>,
    /// Kept pages that give it, or the spec's own path when no page gives the spec's definition.
    pub kept: Vec<String>,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.new.is_empty() {
            parts.push(format!("{} (imported now)", self.new.join(", ")));
        }
        if !self.kept.is_empty() {
            parts.push(format!("{} (kept)", self.kept.join(", ")));
        }
        write!(f, "{}", parts.join(" and "))
    }
}

/// A component that pages standing for the spec define differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// `#/components/schemas/ErrorResponse`
    pub pointer: String,
    /// Each definition, in the order first met (kept pages, then imported pages).
    pub sides: Vec<Side>,
}

impl Conflict {
    /// Whether pages of this import disagree among themselves (`--prefer-new` cannot settle it).
    pub fn among_new(&self) -> bool {
        self.sides.iter().filter(|s| !s.new.is_empty()).count() > 1
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is defined {} ways", self.pointer, self.sides.len())?;
        if self.among_new() {
            write!(f, " (the pages imported now disagree)")?;
        }
        write!(f, ":")?;
        for side in &self.sides {
            write!(f, "\n    by {side}")?;
        }
        Ok(())
    }
}

/// The definition a component takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub section: String,
    pub name: String,
    pub definition: Value,
    /// The first imported page that gives it.
    pub page: String,
    /// The kept definitions `--prefer-new` overrode, if it did.
    pub overrode: Option<Conflict>,
}

impl Decision {
    pub fn pointer(&self) -> String {
        format!(
            "#/components/{}/{}",
            escape(&self.section),
            escape(&self.name)
        )
    }
}

/// Decides every component the imported pages define. `spec_components` are the spec's
/// `components` now; `all_kept` every kept page (including those the import replaces), to tell
/// a definition of the spec's own from one a replaced page gave. Returns the decisions, or
/// every conflict.
pub fn decide(
    pages: &[Page<'_>],
    spec_components: Option<&Map<String, Value>>,
    all_kept: &[&Value],
    spec: &str,
    prefer_new: bool,
) -> Result<Vec<Decision>, Vec<Conflict>> {
    let mut decisions = Vec::new();
    let mut conflicts = Vec::new();
    for (section, name) in imported_components(pages) {
        let pointer = format!("/components/{}/{}", escape(&section), escape(&name));
        // Each distinct definition, with its side.
        let mut definitions: Vec<(Value, Side)> = Vec::new();
        let mut add = |definition: &Value, page: &str, new: bool| {
            let index = match definitions.iter().position(|(d, _)| d == definition) {
                Some(index) => index,
                None => {
                    definitions.push((
                        definition.clone(),
                        Side {
                            new: Vec::new(),
                            kept: Vec::new(),
                        },
                    ));
                    definitions.len() - 1
                }
            };
            let side = &mut definitions[index].1;
            if new { &mut side.new } else { &mut side.kept }.push(page.to_string());
        };
        // Kept pages first, so a conflict reads "what the spec says" before "what is new".
        for page in pages.iter().filter(|p| !p.new) {
            if let Some(definition) = page.document.pointer(&pointer) {
                add(definition, page.source, false);
            }
        }
        let current = spec_components
            .and_then(|c| c.get(&section))
            .and_then(|s| s.get(&name));
        if let Some(current) = current {
            let from_a_page = all_kept
                .iter()
                .any(|d| d.pointer(&pointer) == Some(current));
            if !from_a_page {
                add(current, spec, false);
            }
        }
        for page in pages.iter().filter(|p| p.new) {
            if let Some(definition) = page.document.pointer(&pointer) {
                add(definition, page.source, true);
            }
        }

        let conflict = Conflict {
            pointer: format!("#{pointer}"),
            sides: definitions.iter().map(|(_, side)| side.clone()).collect(),
        };
        let imported: Vec<&(Value, Side)> = definitions
            .iter()
            .filter(|(_, s)| !s.new.is_empty())
            .collect();
        let [(definition, side)] = imported.as_slice() else {
            // Two imported pages disagree: never settled silently.
            conflicts.push(conflict);
            continue;
        };
        let overrode = if definitions.len() == 1 {
            None
        } else if prefer_new {
            Some(conflict)
        } else {
            conflicts.push(conflict);
            continue;
        };
        decisions.push(Decision {
            section: section.clone(),
            name: name.clone(),
            definition: definition.clone(),
            page: side.new[0].clone(),
            overrode,
        });
    }
    if conflicts.is_empty() {
        Ok(decisions)
    } else {
        Err(conflicts)
    }
}

/// The (section, name) of every component an imported page defines, in page order.
fn imported_components(pages: &[Page<'_>]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for page in pages.iter().filter(|p| p.new) {
        let Some(Value::Object(sections)) = page.document.get("components") else {
            continue;
        };
        for (section, entries) in sections {
            let Value::Object(entries) = entries else {
                continue;
            };
            for name in entries.keys() {
                let key = (section.clone(), name.clone());
                if !found.contains(&key) {
                    found.push(key);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn page<'a>(source: &'a str, document: &'a Value, new: bool) -> Page<'a> {
        Page {
            source,
            document,
            new,
        }
    }

    fn schema(name: &str, description: &str) -> Value {
        json!({"components": {"schemas": {name: {"type": "object", "description": description}}}})
    }

    #[test]
    fn pages_that_agree_decide_and_a_changed_component_needs_every_holder_updated() {
        let old = schema("A", "old");
        let new = schema("A", "new");
        // Both pages that defined A are imported with the same change: no conflict.
        let decided = decide(
            &[page("p1", &new, true), page("p2", &new, true)],
            old.get("components").and_then(Value::as_object),
            &[&old, &old],
            "spec",
            false,
        )
        .expect("the update is consistent");
        assert_eq!(decided.len(), 1);
        assert_eq!(decided[0].definition["description"], "new");
        assert_eq!(decided[0].page, "p1");
        assert_eq!(decided[0].overrode, None);

        // A kept page still says otherwise: a conflict naming both sides.
        let conflicts = decide(
            &[page("kept", &old, false), page("p1", &new, true)],
            old.get("components").and_then(Value::as_object),
            &[&old, &old],
            "spec",
            false,
        )
        .unwrap_err();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            conflicts[0].to_string(),
            "#/components/schemas/A is defined 2 ways:\n    by kept (kept)\n    by p1 (imported now)"
        );
        assert!(!conflicts[0].among_new());

        // --prefer-new settles it for the imported page.
        let decided = decide(
            &[page("kept", &old, false), page("p1", &new, true)],
            None,
            &[&old],
            "spec",
            true,
        )
        .expect("--prefer-new");
        assert!(decided[0].overrode.is_some());
    }

    #[test]
    fn imported_pages_that_disagree_are_never_settled() {
        let one = schema("A", "one");
        let two = schema("A", "two");
        let conflicts = decide(
            &[page("p1", &one, true), page("p2", &two, true)],
            None,
            &[],
            "spec",
            true,
        )
        .unwrap_err();
        assert!(conflicts[0].among_new());
        assert!(conflicts[0]
            .to_string()
            .contains("the pages imported now disagree"));
    }

    #[test]
    fn a_definition_of_the_spec_own_is_a_side() {
        let edited = schema("A", "edited by hand");
        let new = schema("A", "new");
        let conflicts = decide(
            &[page("p1", &new, true)],
            edited.get("components").and_then(Value::as_object),
            &[],
            "specs/x.yaml",
            false,
        )
        .unwrap_err();
        assert_eq!(
            conflicts[0].sides[0],
            Side {
                new: vec![],
                kept: vec!["specs/x.yaml".into()]
            }
        );
    }
}
