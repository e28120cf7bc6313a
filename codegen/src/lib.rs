//! rampgen's code generator: OpenAPI 3.0/3.1 documents in, a typed Rust client out.
//!
//! The pipeline is load → overlay → repair → parse → lower → emit → format; each stage is one
//! module with a typed value at its boundary. This crate does no file IO: callers pass the spec's
//! text and get the generated files back (see `xtask` for the command-line front end).

pub mod changes;
pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod lint;
pub mod load;
pub mod lower;
pub mod naming;
pub mod overlay;
pub mod parse;
pub mod pointer;
pub mod print;
pub mod render;
pub mod repair;
pub mod report;

use diagnostics::Diagnostic;
use load::{Document, Format};
use report::Report;

/// A spec document as text, with the name it is reported under.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file name shown in reports and the generated header (`specs/ripio.yaml`).
    pub name: &'a str,
    pub text: &'a str,
}

/// What a generation run needs besides the spec.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The command that regenerates the output, named in the do-not-edit header.
    pub command: String,
    /// Path of the hand-written runtime as seen from the generated modules.
    pub runtime_path: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            command: "cargo xtask gen".to_string(),
            runtime_path: "crate::runtime".to_string(),
        }
    }
}

/// One generated file, relative to the provider's module folder (`mod.rs`, `types.rs`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The `lib.rs` of a standalone crate around a generated module placed in `src/api/`, with the
/// runtime taken from `runtime` (e.g. `rampgen_runtime`), re-exported as `runtime`.
pub fn standalone_crate_root(
    api: &ir::Api,
    runtime: &str,
    source: &str,
    command: &str,
) -> Result<String, String> {
    let runtime = syn::parse_str::<syn::Path>(runtime)
        .map_err(|e| format!("`{runtime}` is not a Rust path: {e}"))?;
    let file = emit::crate_root(api, &runtime).map_err(|e| format!("internal error: {e}"))?;
    Ok(format::format(&file, source, command))
}

/// A successful run: the files and what was repaired or guessed on the way.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub api: ir::Api,
    pub report: Report,
}

/// A run that could not produce a client: the report says why (it holds at least one error).
#[derive(Debug, Clone)]
pub struct Failure {
    pub report: Report,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.report.render().trim_end())
    }
}

impl std::error::Error for Failure {}

/// A document after load, overlay and repair: what the `openapiv3` model is parsed from.
#[derive(Debug, Clone)]
pub struct Repaired {
    /// The repaired document (OpenAPI 3.0 form).
    pub value: serde_json::Value,
    /// Positions in the spec as written.
    pub source_map: load::SourceMap,
    /// Every change made, with the moves needed to locate later findings.
    pub log: repair::RepairLog,
    /// The repairs, located; later stages add their findings.
    pub report: Report,
}

/// Stack for the thread the pipeline runs on. serde (through `openapiv3`'s untagged enums) and the
/// recursive stages use stack in proportion to the document's nesting, which `load` bounds; this
/// leaves room for the deepest document it accepts, in debug builds too, whatever the caller's
/// stack (only the pages used are ever touched).
pub(crate) const PIPELINE_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a thread with [`PIPELINE_STACK_BYTES`] of stack, passing its panics on
/// unchanged; if no thread can be started, that is the run's error.
fn with_pipeline_stack<T: Send>(
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> Result<T, Failure> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("rampgen-codegen".into())
            .stack_size(PIPELINE_STACK_BYTES)
            .spawn_scoped(scope, work);
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => {
                let mut report = Report::default();
                let diagnostic = Diagnostic::error(
                    "#",
                    format!("could not start the generator's thread: {error}"),
                );
                report.add_diagnostics(
                    "(generator)",
                    [diagnostic],
                    &load::SourceMap::default(),
                    None,
                );
                Err(Failure { report })
            }
        }
    })
}

/// Runs load → overlay → repair (with the lints that warn where the client will be looser than
/// the document).
pub fn repair_spec(spec: Source<'_>, overlay: Option<Source<'_>>) -> Result<Repaired, Failure> {
    with_pipeline_stack(|| repair_spec_here(spec, overlay))
}

fn repair_spec_here(spec: Source<'_>, overlay: Option<Source<'_>>) -> Result<Repaired, Failure> {
    let Document { value, source_map } =
        load::load(spec.text, Format::detect(spec.name, spec.text))
            .map_err(|d| refuse(spec.name, [d], &load::SourceMap::default()))?;
    std::thread::scope(|scope| {
        // A JSON document's positions are read on another core while the rules run: the
        // report needs them next. Should no thread start, the first look-up reads them.
        if source_map.is_deferred() {
            let _ = std::thread::Builder::new()
                .name("rampgen-positions".into())
                .spawn_scoped(scope, || source_map.prepare());
        }
        repair_loaded(spec, overlay, value, &source_map)
    })
    .map(|(value, log, report)| Repaired {
        value,
        source_map,
        log,
        report,
    })
}

/// The refusal of `file` for `diagnostics`, located through `map`.
fn refuse(
    file: &str,
    diagnostics: impl IntoIterator<Item = Diagnostic>,
    map: &load::SourceMap,
) -> Failure {
    let mut report = Report::default();
    report.add_diagnostics(file, diagnostics, map, None);
    Failure { report }
}

/// Overlay, rules and lints on a loaded document, and the report of what they did.
fn repair_loaded(
    spec: Source<'_>,
    overlay: Option<Source<'_>>,
    mut value: serde_json::Value,
    source_map: &load::SourceMap,
) -> Result<(serde_json::Value, repair::RepairLog, Report), Failure> {
    let mut log = repair::RepairLog::default();
    if let Some(overlay) = overlay {
        let overlay_doc = load::load(overlay.text, Format::detect(overlay.name, overlay.text))
            .map_err(|d| refuse(overlay.name, [d], &load::SourceMap::default()))?;
        if let Err(diagnostics) = overlay::apply_overlay(&mut value, &overlay_doc.value, &mut log) {
            return Err(refuse(overlay.name, diagnostics, &overlay_doc.source_map));
        }
    }
    let rules = repair::repair_document(&mut value);
    log.extend(rules);
    lint::lint_document(&mut value, &mut log);
    let mut report = Report::default();
    report.add_repairs(spec.name, &log, source_map);
    Ok((value, log, report))
}

/// Runs load → overlay → repair → parse → lower and returns the IR with the report so far.
pub fn lower_spec(
    spec: Source<'_>,
    overlay: Option<Source<'_>>,
) -> Result<(ir::Api, Report), Failure> {
    with_pipeline_stack(|| lower_spec_here(spec, overlay))
}

fn lower_spec_here(
    spec: Source<'_>,
    overlay: Option<Source<'_>>,
) -> Result<(ir::Api, Report), Failure> {
    let Repaired {
        mut value,
        source_map,
        log,
        mut report,
    } = repair_spec_here(spec, overlay)?;
    let parsed = parse::parse_in_parts(&mut value);
    let (webhooks, webhook_diagnostics) = parse::webhooks(&value);
    report.add_diagnostics(spec.name, webhook_diagnostics, &source_map, Some(&log));
    // The untyped document is not needed past this point (its paths, parsed and lowered one
    // at a time, are freed as they go): a large spec is never held twice.
    drop(value);
    let (parsed, paths) = match parsed {
        Ok((parsed, paths, dropped)) => {
            report.add_diagnostics(spec.name, dropped, &source_map, Some(&log));
            (parsed, paths)
        }
        Err(diagnostics) => {
            report.add_diagnostics(spec.name, diagnostics, &source_map, Some(&log));
            return Err(Failure { report });
        }
    };
    let (api, diagnostics) = lower::lower_with_webhooks(&parsed, paths, &webhooks);
    report.add_diagnostics(spec.name, diagnostics, &source_map, Some(&log));
    if report.has_errors() {
        return Err(Failure { report });
    }
    Ok((api, report))
}

/// Generates the client module for one spec (with its optional overlay).
pub fn generate(
    spec: Source<'_>,
    overlay: Option<Source<'_>>,
    settings: &Settings,
) -> Result<Output, Failure> {
    with_pipeline_stack(|| generate_here(spec, overlay, settings))
}

fn generate_here(
    spec: Source<'_>,
    overlay: Option<Source<'_>>,
    settings: &Settings,
) -> Result<Output, Failure> {
    let (api, report) = lower_spec_here(spec, overlay)?;
    let internal = |message: String| {
        let mut report = report.clone();
        report.add_diagnostics(
            spec.name,
            [Diagnostic::error("#", message)],
            &load::SourceMap::default(),
            None,
        );
        Failure { report }
    };
    let files = print::print_files(&api, &settings.runtime_path, spec.name, &settings.command)
        .map_err(internal)?;
    Ok(Output { files, api, report })
}
