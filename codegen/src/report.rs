//! The report of a generation run: every repair and every diagnostic, located in its file.

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::SourceMap;
use crate::repair::RepairLog;

/// One line of the report: a diagnostic and the file it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file as the user named it (`specs/fonbnk.json`).
    pub file: String,
    /// For repairs, the rule that made the change.
    pub rule: Option<&'static str>,
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// `file:line:col  #/pointer  rule: message` for repairs, `… severity: message` otherwise.
    pub fn render(&self) -> String {
        let d = &self.diagnostic;
        let place = match d.location {
            Some(location) => format!("{}:{}:{}", self.file, location.line, location.column),
            None => self.file.clone(),
        };
        let label = match (self.rule, d.severity) {
            (Some(rule), Severity::Note) => rule.to_string(),
            (Some(rule), severity) => format!("{rule} ({severity})"),
            (None, severity) => severity.to_string(),
        };
        let mut line = format!("{place}  {}  {label}: {}", d.pointer, d.message);
        if let Some(hint) = &d.hint {
            line.push_str(&format!(" (hint: {hint})"));
        }
        line
    }
}

/// Everything a run has to tell the user, in the order it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// Adds the repairs of `log`, located in `file` through `source_map`.
    pub fn add_repairs(&mut self, file: &str, log: &RepairLog, source_map: &SourceMap) {
        for repair in &log.repairs {
            let mut diagnostic = Diagnostic::new(
                repair.severity,
                repair.origin.clone(),
                repair.message.clone(),
            )
            .at(source_map.locate(&repair.origin));
            diagnostic.hint = repair.hint.clone();
            self.findings.push(Finding {
                file: file.to_string(),
                rule: Some(repair.rule),
                diagnostic,
            });
        }
    }

    /// Adds diagnostics about `file`, locating those that have no position yet. Pointers into
    /// the repaired document are mapped back to where the node was written.
    pub fn add_diagnostics(
        &mut self,
        file: &str,
        diagnostics: impl IntoIterator<Item = Diagnostic>,
        source_map: &SourceMap,
        log: Option<&RepairLog>,
    ) {
        for mut diagnostic in diagnostics {
            if let Some(log) = log {
                diagnostic.pointer = log.original_pointer(&diagnostic.pointer);
            }
            if diagnostic.location.is_none() {
                diagnostic.location = source_map.locate(&diagnostic.pointer);
            }
            self.findings.push(Finding {
                file: file.to_string(),
                rule: None,
                diagnostic,
            });
        }
    }

    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.diagnostic.severity == Severity::Error)
    }

    /// The report, one finding per line.
    pub fn render(&self) -> String {
        self.findings.iter().map(|f| f.render() + "\n").collect()
    }
}
