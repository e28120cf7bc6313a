//! Load: spec text (YAML or JSON) → a JSON value plus a map from JSON pointer to source position.
//!
//! YAML goes through a YAML 1.2 event parser that records every node's position as it builds
//! the value. JSON is parsed by `serde_json` (faster, and its syntax errors are more precise for
//! JSON); its positions are read by a one-pass index of the text, with the YAML reader's
//! conventions, when they are first asked for (the pipeline asks on another thread while the
//! repair rules run).

mod json_positions;
mod positions;
mod source_map;
mod yaml;

pub use source_map::SourceMap;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};

/// The text format of a spec document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// Guesses the format from a file name, falling back to the content.
    pub fn detect(file_name: &str, text: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// A loaded document: its value and where each node came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    pub source_map: SourceMap,
}

/// The text of a spec file: UTF-8, with invalid bytes reported at their line and column.
pub fn decode_text(bytes: &[u8]) -> Result<&str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        let byte = bytes.get(error.valid_up_to()).copied().unwrap_or_default();
        Diagnostic::error(
            "#",
            format!(
                "the file is not UTF-8: byte 0x{byte:02x} at offset {}",
                error.valid_up_to()
            ),
        )
        .at(Some(Location { line, column }))
        .with_hint(
            "OpenAPI documents are UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)",
        )
    })
}

/// Parses `text` into a [`Document`]. Syntax errors come back as a located [`Diagnostic`].
pub fn load(text: &str, format: Format) -> Result<Document, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error("#", "the document is empty")
            .at(Some(Location { line: 1, column: 1 }))
            .with_hint("expected an OpenAPI 3.0 or 3.1 document in YAML or JSON"));
    }
    match format {
        Format::Json => match serde_json::from_str::<Value>(text) {
            Ok(value) => Ok(Document {
                value,
                source_map: SourceMap::deferred(text),
            }),
            Err(error) => {
                let location = Location {
                    line: error.line().max(1),
                    column: error.column().max(1),
                };
                // serde_json stops at the same depth as the YAML reader; say so in its words.
                if error.to_string().starts_with("recursion limit exceeded") {
                    return Err(too_deep(location));
                }
                Err(Diagnostic::error("#", format!("invalid JSON: {error}")).at(Some(location)))
            }
        },
        Format::Yaml => yaml::parse(text),
    }
}

/// The refusal of a document nested deeper than the later stages' recursion allows.
fn too_deep(location: Location) -> Diagnostic {
    Diagnostic::error(
        "#",
        format!(
            "the document is nested more than {} levels deep",
            yaml::MAX_DEPTH
        ),
    )
    .at(Some(location))
    .with_hint(
        "no OpenAPI document needs this depth; check the file for a generated or corrupted section",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_values_and_locations() {
        let text = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\nlist: [1, 2.5, true, null, ~, 'x']\n";
        let doc = load(text, Format::Yaml).unwrap();
        assert_eq!(doc.value["openapi"], json!("3.1.0"));
        assert_eq!(doc.value["info"]["version"], json!("1"));
        assert_eq!(
            doc.value["paths"]["/a"]["get"]["responses"]["200"]["description"],
            json!("ok")
        );
        assert_eq!(doc.value["list"], json!([1, 2.5, true, null, null, "x"]));
        assert_eq!(
            doc.source_map.get("#/info/title"),
            Some(Location { line: 3, column: 3 })
        );
        assert_eq!(
            doc.source_map.get("#/paths/~1a/get"),
            Some(Location { line: 7, column: 5 })
        );
        assert_eq!(
            doc.source_map.get("#/list/1"),
            Some(Location {
                line: 11,
                column: 11
            })
        );
    }

    #[test]
    fn json_locations_on_one_line() {
        let text = r#"{"a":{"b":[1,{"c":"d"}]}}"#;
        let doc = load(text, Format::Json).unwrap();
        assert_eq!(doc.value, json!({"a": {"b": [1, {"c": "d"}]}}));
        assert_eq!(
            doc.source_map.get("#/a/b"),
            Some(Location { line: 1, column: 7 })
        );
        assert_eq!(
            doc.source_map.get("#/a/b/1/c"),
            Some(Location {
                line: 1,
                column: 15
            })
        );
    }

    #[test]
    fn json_syntax_error_is_located() {
        let err = load("{\n  \"a\": [1,,2]\n}", Format::Json).unwrap_err();
        assert_eq!(err.location.map(|l| l.line), Some(2));
        assert!(err.message.starts_with("invalid JSON"), "{}", err.message);
    }

    #[test]
    fn yaml_syntax_error_is_located() {
        let err = load("a: [1, 2\nb: c\n", Format::Yaml).unwrap_err();
        assert!(err.location.is_some());
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let depth = 10_000;
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let err = load(&json, Format::Json).unwrap_err();
        assert!(
            err.message.contains("nested more than 128"),
            "{}",
            err.message
        );
        let yaml = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let err = load(&yaml, Format::Yaml).unwrap_err();
        assert!(
            err.message.contains("nested more than 128"),
            "{}",
            err.message
        );
        assert!(err.location.is_some());
        let fine = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(load(&fine, Format::Yaml).is_ok());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_text(b"a: 1\nb: caf\xe9\n").unwrap_err();
        assert_eq!(err.location, Some(Location { line: 2, column: 7 }));
        assert!(err.message.contains("0xe9"), "{}", err.message);
        assert_eq!(decode_text("ok: é".as_bytes()), Ok("ok: é"));
    }

    #[test]
    fn empty_document_is_refused() {
        assert!(load("  \n", Format::Yaml)
            .unwrap_err()
            .message
            .contains("empty"));
    }

    #[test]
    fn quoted_scalars_stay_strings_and_anchors_resolve() {
        let doc = load(
            "a: &x {k: '1'}\nb: *x\nc: \"true\"\nd: 0x1f\ne: .inf\n",
            Format::Yaml,
        )
        .unwrap();
        assert_eq!(doc.value["b"], json!({"k": "1"}));
        assert_eq!(doc.value["c"], json!("true"));
        assert_eq!(doc.value["d"], json!(31));
        assert!(
            doc.value["e"].is_string(),
            "infinity has no JSON form: kept as text"
        );
    }

    #[test]
    fn nested_aliases_are_refused_at_the_anchor() {
        // Nine levels of nine aliases: 9^9 nodes from under 600 bytes.
        let mut text = String::from("a0: &a0 [lol]\n");
        for level in 1..=9 {
            let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
        }
        // Without the budget this would build 9^9 nodes; refused, it returns at once (speed
        // is the benchmark's to measure, not a timed test's).
        let err = load(&text, Format::Yaml).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
        // a5 copies a4 nine times; the copies of a4 cross the budget.
        assert_eq!(err.location.map(|l| l.line), Some(5), "the anchor a4");
        // Reuse within the budget is fine, and copies count the whole subtree.
        let fine = "a: &x {k: [1, 2, {m: 3}]}\nb: *x\nc: [*x, *x]\n";
        assert_eq!(
            load(fine, Format::Yaml).unwrap().value["c"][1]["k"][2]["m"],
            3
        );
    }

    #[test]
    fn missing_location_falls_back_to_nearest_ancestor() {
        let doc = load("a:\n  b: 1\n", Format::Yaml).unwrap();
        assert_eq!(
            doc.source_map.locate("#/a/b/c/d"),
            Some(Location { line: 2, column: 3 })
        );
    }
}
