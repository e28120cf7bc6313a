//! JSON pointers (RFC 6901) into a spec document, in their one textual form: a URI fragment,
//! `#` for the root and `#/a/b~1c~0d` for the segments `a`, `b/c`, `d~` (`~` is written `~0`,
//! `/` is written `~1`).

use std::fmt;

/// Where a node is in the spec document. Every IR node that a diagnostic or an API change can
/// name carries one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document's root, `#`.
    pub fn root() -> Self {
        Self("#".to_string())
    }

    /// The pointer to the node reached through `segments` (unescaped) from the root.
    pub fn from_segments<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut pointer = Self::root();
        for segment in segments {
            pointer.push(segment.as_ref());
        }
        pointer
    }

    /// Takes a pointer already in its textual form (`#/a/b~1c`), as `lower` builds them while it
    /// walks the document.
    pub fn from_escaped(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The pointer to the child `segment` (unescaped) of this node.
    pub fn child(&self, segment: &str) -> Self {
        let mut child = self.clone();
        child.push(segment);
        child
    }

    /// Appends one segment (unescaped).
    pub fn push(&mut self, segment: &str) {
        self.0.push('/');
        push_escaped(&mut self.0, segment);
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments from the root, unescaped.
    pub fn segments(&self) -> Vec<String> {
        let body = self.0.strip_prefix('#').unwrap_or(&self.0);
        if body.is_empty() {
            return Vec::new();
        }
        body.trim_start_matches('/')
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect()
    }
}

/// Appends `segment` escaped for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_escaped(out: &mut String, segment: &str) {
    let mut rest = segment;
    // A byte search: both characters are ASCII, and this runs for every node of every walk.
    while let Some(at) = rest.bytes().position(|b| b == b'~' || b == b'/') {
        out.push_str(&rest[..at]);
        out.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// As its text, quoted (IR snapshots stay readable).
impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> Self {
        pointer.0
    }
}

impl From<&Pointer> for String {
    fn from(pointer: &Pointer) -> Self {
        pointer.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_split_back() {
        let p = Pointer::from_segments(["paths", "/api/{id}", "get"]);
        assert_eq!(p.as_str(), "#/paths/~1api~1{id}/get");
        assert_eq!(p.segments(), ["paths", "/api/{id}", "get"]);
        assert_eq!(p.child("a~b").as_str(), "#/paths/~1api~1{id}/get/a~0b");
        assert_eq!(Pointer::root().segments(), Vec::<String>::new());
        assert_eq!(format!("{p:?}"), "\"#/paths/~1api~1{id}/get\"");
    }
}
