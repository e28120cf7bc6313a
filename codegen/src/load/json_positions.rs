//! Where each node of a JSON text was written, read in one pass over text that `serde_json`
//! has already accepted.
//!
//! The positions are the YAML reader's, so a finding is reported at the same place whichever
//! reader loaded the document: the root at its first character, a mapping value at its key's
//! opening quote, a sequence item at its first character; lines and columns count from 1,
//! columns in characters. Building the index only records positions, with no value built
//! beside it, which makes it several times cheaper than reading the text as YAML.

use super::positions::{NodeId, Positions};
use crate::diagnostics::Location;

/// Deeper than `serde_json` (128) or the YAML reader accept, so only malformed input stops here.
const MAX_DEPTH: usize = 512;

/// Every node's position, found by pointer (`#`, `#/a/0`); `None` if `text` is not JSON after
/// all (the caller then reports by pointer alone).
pub(crate) fn positions(text: &str) -> Option<Positions> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        column: 1,
        positions: Positions::new(),
    };
    scanner.skip_whitespace();
    let root = scanner.location();
    let root = scanner.positions.root(root);
    scanner.value(root, 0)?;
    scanner.skip_whitespace();
    (scanner.at == scanner.bytes.len()).then_some(scanner.positions)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    /// Byte offset of the next character.
    at: usize,
    /// Line and column (in characters) of `at`.
    line: usize,
    column: usize,
    positions: Positions,
}

impl<'t> Scanner<'t> {
    fn location(&self) -> Location {
        Location {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Moves past one byte, keeping the line and column (continuation bytes of a multi-byte
    /// character do not start a column).
    fn bump(&mut self) {
        match self.bytes.get(self.at) {
            Some(b'\n') => {
                self.line += 1;
                self.column = 1;
            }
            Some(&byte) if byte & 0xC0 != 0x80 => self.column += 1,
            _ => {}
        }
        self.at += 1;
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.bump())
    }

    /// The node at `at` (whitespace skipped), its descendants recorded under `node`.
    fn value(&mut self, node: NodeId, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            b'{' => self.object(node, depth),
            b'[' => self.array(node, depth),
            b'"' => self.string().map(drop),
            _ => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                let start = self.at;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.bump();
                }
                (self.at > start).then_some(())
            }
        }
    }

    fn object(&mut self, node: NodeId, depth: usize) -> Option<()> {
        self.bump();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.bump();
            return Some(());
        }
        loop {
            self.skip_whitespace();
            let key_at = self.location();
            let key = self.string()?;
            let child = self.positions.child(node, &key, key_at);
            self.expect(b':')?;
            self.value(child, depth + 1)?;
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.bump(),
                b'}' => {
                    self.bump();
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, node: NodeId, depth: usize) -> Option<()> {
        self.bump();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.bump();
            return Some(());
        }
        for index in 0usize.. {
            self.skip_whitespace();
            let item = self.positions.item(node, index, self.location());
            self.value(item, depth + 1)?;
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.bump(),
                b']' => {
                    self.bump();
                    return Some(());
                }
                _ => return None,
            }
        }
        None
    }

    /// A string at `at`, unescaped (escapes are rare in keys: those go through `serde_json`).
    fn string(&mut self) -> Option<std::borrow::Cow<'t, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at;
        self.bump();
        let mut escaped = false;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.bump();
                    self.bump();
                }
                _ => self.bump(),
            }
        }
        self.bump();
        let text: &'t str = self.text;
        let quoted = &text[start..self.at];
        if escaped {
            serde_json::from_str::<String>(quoted).ok().map(Into::into)
        } else {
            Some(quoted[1..quoted.len() - 1].into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Option<Location> {
        Some(Location { line, column })
    }

    #[test]
    fn keys_items_and_the_root_are_located() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": null}]},\n  \"d~/e\": \"x\"\n}\n";
        let positions = positions(text).expect("JSON");
        assert_eq!(positions.get("#"), at(1, 1));
        assert_eq!(positions.get("#/a"), at(2, 3));
        assert_eq!(positions.get("#/a/b"), at(2, 9));
        assert_eq!(positions.get("#/a/b/0"), at(2, 15));
        assert_eq!(positions.get("#/a/b/1"), at(2, 18));
        assert_eq!(positions.get("#/a/b/1/c"), at(2, 19));
        assert_eq!(positions.get("#/d~0~1e"), at(3, 3));
        assert_eq!(positions.len(), 7);
    }

    #[test]
    fn columns_count_characters_and_escaped_keys_are_unescaped() {
        let text = "{\"é\": 1, \"\\u00e9\\\"\": [\"ü\", 2]}";
        let positions = positions(text).expect("JSON");
        assert_eq!(positions.get("#/é"), at(1, 2));
        assert_eq!(positions.get("#/é\""), at(1, 10));
        assert_eq!(positions.get("#/é\"/1"), at(1, 28));
    }

    #[test]
    fn text_that_is_not_json_has_no_index() {
        for text in [
            "{\"a\": }",
            "{\"a\" 1}",
            "[1 2]",
            "{\"a\": 1",
            "\"open",
            "{} x",
        ] {
            assert!(positions(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn the_yaml_reader_finds_the_same_positions_in_every_json_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![root.join("specs/fonbnk.json")];
        for entry in std::fs::read_dir(root.join("tests/corpus")).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
        assert!(files.len() > 5, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            let ours = positions(&text).expect("JSON");
            let yaml = super::super::yaml::parse(&text)
                .expect("JSON is YAML")
                .source_map
                .into_positions();
            assert_eq!(ours.len(), yaml.len(), "{}", file.display());
            for (pointer, location) in yaml.to_map() {
                assert_eq!(
                    ours.get(&pointer),
                    Some(location),
                    "{} {pointer}",
                    file.display()
                );
            }
        }
    }
}
