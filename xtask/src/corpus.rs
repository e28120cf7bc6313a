//! `cargo xtask corpus`: every OpenAPI document in `tests/corpus/` generates a crate, and all
//! of them are checked by one `cargo check` of a scratch workspace. Documents the generator
//! refuses must be listed, with the reason, in `tests/corpus-refused.txt` (the goal: none).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::process;
use crate::standalone::{crate_name_for, write_crate, CrateSummary, Manifest};
use crate::XtaskError;

/// The outcome for one document.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    pub file: String,
    pub bytes: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Generated(CrateSummary),
    Refused(String),
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct CorpusReport {
    pub documents: Vec<DocumentResult>,
    /// Problems that fail the run: unexpected refusals, stale expectations, compile errors.
    pub failures: Vec<String>,
    pub check_time: Duration,
    pub total_time: Duration,
}

/// The documents of the corpus folder, sorted by name.
pub fn corpus_documents(dir: &Path) -> Result<Vec<PathBuf>, XtaskError> {
    let entries = fs::read_dir(dir).map_err(|error| XtaskError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads `file  reason` lines (blank lines and `#` comments ignored).
pub fn read_expected_refusals(path: &Path) -> Result<BTreeMap<String, String>, XtaskError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(error) => {
            return Err(XtaskError::Io {
                path: path.to_path_buf(),
                error,
            })
        }
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once(char::is_whitespace) {
            Some((file, reason)) => (file.to_string(), reason.trim().to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect())
}

/// The corpus beside the checkout (`tests/corpus`), generated into `target/corpus/`.
pub fn run_corpus_with_defaults(root: &Path) -> Result<CorpusReport, XtaskError> {
    let corpus = root.join("tests/corpus");
    run_corpus(root, &corpus, &root.join("target/corpus"))
}

/// Generates every document into `scratch/<crate>/` and checks them all with one `cargo check`.
pub fn run_corpus(root: &Path, corpus: &Path, scratch: &Path) -> Result<CorpusReport, XtaskError> {
    let started = Instant::now();
    let expected = read_expected_refusals(&root.join("tests/corpus-refused.txt"))?;
    if scratch.exists() {
        fs::remove_dir_all(scratch).map_err(|error| XtaskError::Io {
            path: scratch.to_path_buf(),
            error,
        })?;
    }
    let mut documents = Vec::new();
    let mut failures = Vec::new();
    let mut members = Vec::new();
    for spec in corpus_documents(corpus)? {
        let file = spec
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        let name = crate_name_for(&spec);
        // Named relative to the workspace, so reports and headers do not depend on the machine.
        let shown = relative_to(root, &spec);
        let outcome = match write_crate(
            root,
            &shown,
            &scratch.join(&name),
            Some(&name),
            Manifest::Member,
        ) {
            Ok(summary) => {
                members.push(name);
                if expected.contains_key(&file) {
                    failures.push(format!(
                        "{file} now generates: remove it from tests/corpus-refused.txt"
                    ));
                }
                Outcome::Generated(summary)
            }
            Err(XtaskError::Generation { report, .. }) => {
                if !expected.contains_key(&file) {
                    failures.push(format!("{file} was refused:\n{}", report.trim_end()));
                }
                Outcome::Refused(first_error(&report))
            }
            Err(other) => return Err(other),
        };
        documents.push(DocumentResult {
            file,
            bytes,
            outcome,
        });
    }

    let check_started = Instant::now();
    if !members.is_empty() {
        write_workspace(root, scratch, &members)?;
        failures.extend(cargo_check(root, scratch)?);
    }
    Ok(CorpusReport {
        documents,
        failures,
        check_time: check_started.elapsed(),
        total_time: started.elapsed(),
    })
}

/// `path` as seen from `root` (`tests/corpus/x.json`), or as is when it is elsewhere.
fn relative_to(root: &Path, path: &Path) -> String {
    let (Ok(root), Ok(path)) = (root.canonicalize(), path.canonicalize()) else {
        return path.to_string_lossy().into_owned();
    };
    match (root.parent(), path.strip_prefix(&root)) {
        (_, Ok(inside)) => inside.to_string_lossy().into_owned(),
        (Some(parent), Err(_)) => match path.strip_prefix(parent) {
            Ok(beside) => format!("../{}", beside.to_string_lossy()),
            Err(_) => path.to_string_lossy().into_owned(),
        },
        (None, Err(_)) => path.to_string_lossy().into_owned(),
    }
}

fn first_error(report: &str) -> String {
    report
        .lines()
        .find(|line| line.contains("  error: "))
        .unwrap_or_else(|| report.lines().next().unwrap_or("refused"))
        .to_string()
}

/// A workspace over the generated crates, pinned to this project's lock file so the check
/// uses the dependency versions the project is tested with.
fn write_workspace(root: &Path, scratch: &Path, members: &[String]) -> Result<(), XtaskError> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: one crate per corpus document.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    let write = |path: PathBuf, contents: &[u8]| {
        fs::write(&path, contents).map_err(|error| XtaskError::Io { path, error })
    };
    write(scratch.join("Cargo.toml"), manifest.as_bytes())?;
    let lock = root.join("Cargo.lock");
    let lock_text = fs::read(&lock).map_err(|error| XtaskError::Io { path: lock, error })?;
    write(scratch.join("Cargo.lock"), &lock_text)
}

/// Runs `cargo check` over the scratch workspace; each error line is a failure.
fn cargo_check(root: &Path, scratch: &Path) -> Result<Vec<String>, XtaskError> {
    let output = process::output(
        process::cargo()
            .args([
                "check",
                "--workspace",
                "--message-format",
                "short",
                "--quiet",
            ])
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", root.join("target/corpus-target")),
    )?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut errors: Vec<String> = stderr
        .lines()
        .filter(|line| line.contains("error"))
        .map(|line| line.replace(&scratch.to_string_lossy().into_owned(), "<corpus>"))
        .collect();
    if errors.is_empty() {
        errors.push(format!("cargo check failed:\n{stderr}"));
    }
    Ok(errors)
}

/// The per-document table for the report and the closing note.
pub fn render_table(report: &CorpusReport) -> String {
    let mut out = String::from(
        "| document | size | operations | types | generated lines | generation | result |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    for doc in &report.documents {
        let size = format!("{:.1} KiB", doc.bytes as f64 / 1024.0);
        let row = match &doc.outcome {
            Outcome::Generated(s) => format!(
                "| {} | {size} | {} | {} | {} | {:.1} ms | generated |\n",
                doc.file,
                s.operations,
                s.types,
                s.lines,
                s.generation.as_secs_f64() * 1000.0
            ),
            Outcome::Refused(reason) => format!(
                "| {} | {size} | – | – | – | – | refused: {reason} |\n",
                doc.file
            ),
        };
        out.push_str(&row);
    }
    out
}
