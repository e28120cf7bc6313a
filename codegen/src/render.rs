//! Rendering findings for people (source excerpts, the way rustc shows errors) and for tools
//! (one JSON object per line).

use std::collections::HashMap;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde_json::{json, Value};

use crate::diagnostics::{Location, Severity};
use crate::report::{Finding, Report};

/// The texts of the files a report talks about, by the name used in the report.
#[derive(Debug, Default, Clone)]
pub struct Sources<'a> {
    texts: HashMap<&'a str, &'a str>,
}

impl<'a> Sources<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: &'a str, text: &'a str) -> &mut Self {
        self.texts.insert(name, text);
        self
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.texts.get(name).copied()
    }
}

/// Widest line shown; longer lines (a one-line JSON spec) are cut around the span.
const TERM_WIDTH: usize = 120;

/// Renders every finding: repairs (notes) as one report line each, warnings and errors with the
/// offending source line and the fix when there is one.
pub fn render_human(report: &Report, sources: &Sources<'_>) -> String {
    let renderer = Renderer::plain().term_width(TERM_WIDTH);
    let mut out = String::new();
    for finding in &report.findings {
        if finding.diagnostic.severity == Severity::Note {
            out.push_str(&finding.render());
            out.push('\n');
            continue;
        }
        out.push_str(&render_one(&renderer, finding, sources));
        out.push_str("\n\n");
    }
    out
}

fn render_one(renderer: &Renderer, finding: &Finding, sources: &Sources<'_>) -> String {
    let d = &finding.diagnostic;
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let title = match finding.rule {
        Some(rule) => format!("{rule}: {}", d.message),
        None => d.message.clone(),
    };
    let place = match d.location {
        Some(Location { line, column }) => format!("{}:{line}:{column}", finding.file),
        None => finding.file.clone(),
    };
    let mut group: Group<'_> = Group::with_title(level.primary_title(title));
    let span = sources
        .get(&finding.file)
        .zip(d.location)
        .and_then(|(text, location)| span_at(text, location).map(|span| (text, span)));
    match span {
        Some((text, span)) => {
            // The root pointer says nothing about where (a syntax error); leave the mark bare.
            let label = (d.pointer != "#").then_some(d.pointer.as_str());
            group = group.element(
                Snippet::source(text)
                    .path(finding.file.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span).label(label)),
            );
        }
        None => {
            group = group.element(Level::NOTE.message(format!("at {place}  {}", d.pointer)));
        }
    }
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    renderer.render(&[group])
}

/// The byte range of the token starting at `location` (1-based line, 1-based character
/// column): up to the next delimiter, at least one character.
fn span_at(text: &str, location: Location) -> Option<Range<usize>> {
    let line_start = if location.line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(location.line - 2)
            .map(|(i, _)| i + 1)?
    };
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let start = line
        .char_indices()
        .nth(location.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let token = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, ':' | ',' | '}' | ']' | '\r') || c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i);
    let end = start + token.max(rest.chars().next().map_or(0, char::len_utf8));
    Some(line_start + start..line_start + end)
}

/// One JSON object per finding, for tools (`--message-format json`).
pub fn render_json(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|finding| {
            let d = &finding.diagnostic;
            let value: Value = json!({
                "severity": d.severity.to_string(),
                "file": finding.file,
                "line": d.location.map(|l| l.line),
                "column": d.location.map(|l| l.column),
                "pointer": d.pointer,
                "rule": finding.rule,
                "message": d.message,
                "hint": d.hint,
            });
            value.to_string() + "\n"
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn finding(severity: Severity, line: usize, column: usize) -> Finding {
        Finding {
            file: "spec.yaml".into(),
            rule: None,
            diagnostic: Diagnostic::new(severity, "#/paths/~1a", "something is wrong")
                .at(Some(Location { line, column }))
                .with_hint("fix it like this"),
        }
    }

    #[test]
    fn errors_show_the_source_line_the_pointer_and_the_hint() {
        let text = "openapi: 3.0.3\npaths:\n  /a: 5\n";
        let report = Report {
            findings: vec![finding(Severity::Error, 3, 3)],
        };
        let mut sources = Sources::new();
        sources.add("spec.yaml", text);
        let out = render_human(&report, &sources);
        assert!(out.contains("error: something is wrong"), "{out}");
        assert!(out.contains("spec.yaml:3:3"), "{out}");
        assert!(out.contains("/a: 5"), "{out}");
        assert!(out.contains("#/paths/~1a"), "{out}");
        assert!(out.contains("help: fix it like this"), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let text = format!("{{\"a\":\"{}\",\"bad\":1}}", "x".repeat(5000));
        let column = text.find("\"bad\"").unwrap() + 1;
        let report = Report {
            findings: vec![finding(Severity::Warning, 1, column)],
        };
        let mut sources = Sources::new();
        sources.add("spec.yaml", &text);
        let out = render_human(&report, &sources);
        assert!(
            out.lines().all(|l| l.chars().count() <= TERM_WIDTH + 20),
            "{out}"
        );
        assert!(out.contains("\"bad\""), "{out}");
    }

    #[test]
    fn without_the_source_the_location_is_still_named() {
        let report = Report {
            findings: vec![finding(Severity::Error, 2, 1)],
        };
        let out = render_human(&report, &Sources::new());
        assert!(out.contains("at spec.yaml:2:1  #/paths/~1a"), "{out}");
    }

    #[test]
    fn json_has_one_object_per_finding() {
        let report = Report {
            findings: vec![
                finding(Severity::Error, 2, 1),
                finding(Severity::Warning, 3, 4),
            ],
        };
        let out = render_json(&report);
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["severity"], "warning");
        assert_eq!(lines[1]["line"], 3);
        assert_eq!(lines[0]["hint"], "fix it like this");
    }

    #[test]
    fn spans_never_go_past_the_text() {
        for (line, column) in [(1, 1), (1, 99), (9, 1), (0, 0)] {
            if let Some(span) = span_at("ab\ncd", Location { line, column }) {
                assert!(span.end <= 5);
            }
        }
    }
}
