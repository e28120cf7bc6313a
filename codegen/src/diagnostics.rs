//! Diagnostics: what went wrong (or was guessed), where in the spec, and how to fix it.

use std::fmt;

use crate::pointer::Pointer;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A change the generator made with confidence; shown in the repair report.
    Note,
    /// Something the generator had to guess or work around; the output may be looser than intended.
    Warning,
    /// The document cannot be turned into a client as it stands.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A position in a source file (both 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// One finding about a spec document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer (RFC 6901) of the node the diagnostic is about, e.g. `#/components/schemas/Pet`.
    pub pointer: String,
    /// Where that node starts in the source file, when known.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is a known fix.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer, message)
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer, message)
    }

    pub fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Renders the diagnostic as one line: `file:line:col  #/pointer  severity: message (hint)`.
    pub fn render(&self, file: &str) -> String {
        let place = match self.location {
            Some(Location { line, column }) => format!("{file}:{line}:{column}"),
            None => file.to_string(),
        };
        let mut line = format!(
            "{place}  {}  {}: {}",
            self.pointer, self.severity, self.message
        );
        if let Some(hint) = &self.hint {
            line.push_str(&format!(" (hint: {hint})"));
        }
        line
    }
}

/// Builds a JSON pointer string (`#/a/b~1c`) from raw path segments, escaping per RFC 6901
/// (the text of a [`Pointer`]).
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    Pointer::from_segments(segments).into()
}

/// Appends one escaped segment to a pointer.
pub fn child(parent: &str, segment: &str) -> String {
    let mut out = String::with_capacity(parent.len() + segment.len() + 1);
    out.push_str(parent);
    out.push('/');
    push_escaped(&mut out, segment);
    out
}

pub(crate) use crate::pointer::push_escaped;

/// Splits a `#/a/b` pointer back into unescaped segments.
pub fn segments(pointer: &str) -> Vec<String> {
    Pointer::from_escaped(pointer).segments()
}

/// The pointer of the parent node, or `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    if pointer == "#" || pointer.is_empty() {
        return None;
    }
    pointer.rfind('/').map(|i| &pointer[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_split_round_trip() {
        let p = pointer(["paths", "/api/{id}", "get"]);
        assert_eq!(p, "#/paths/~1api~1{id}/get");
        assert_eq!(segments(&p), vec!["paths", "/api/{id}", "get"]);
        assert_eq!(parent(&p), Some("#/paths/~1api~1{id}"));
        assert_eq!(parent("#"), None);
        assert_eq!(child("#/a", "b~c"), "#/a/b~0c");
    }
}
