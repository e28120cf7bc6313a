//! Project automation behind `cargo xtask`: regenerating the checked-in clients and checking
//! that they are up to date. The generator itself (`codegen`) does no IO; this crate does.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{generate, Settings, Source};

pub mod allocator;
pub mod bench;
pub mod changes;
pub mod cli;
pub mod contract;
pub mod corpus;
pub mod gen_cache;
pub mod import;
pub mod process;
pub mod standalone;
pub mod stress;

/// A provider whose client is generated into `generated-client/src/<module>/`.
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    /// Module name in the generated crate.
    pub module: &'static str,
    /// The spec, relative to the workspace root. An overlay, if any, sits next to it as
    /// `<stem>.overlay.yaml`.
    pub spec: &'static str,
}

/// The providers `cargo xtask gen` regenerates.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        module: "ripio",
        spec: "specs/ripio.yaml",
    },
    Provider {
        module: "fonbnk",
        spec: "specs/fonbnk.json",
    },
];

/// Whether to write files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What happened to one generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Unchanged,
    Written,
    Removed,
    /// Check mode: the file on disk differs; the unified diff is from disk to generated.
    Stale {
        diff: String,
    },
    /// Check mode: a file on disk that generation does not produce.
    Orphan,
}

/// The outcome of regenerating one provider.
#[derive(Debug, Clone)]
pub struct ProviderRun {
    pub provider: Provider,
    /// The repair report and warnings, one line each.
    pub report: String,
    pub files: Vec<(PathBuf, FileStatus)>,
}

impl ProviderRun {
    pub fn is_stale(&self) -> bool {
        self.files
            .iter()
            .any(|(_, status)| matches!(status, FileStatus::Stale { .. } | FileStatus::Orphan))
    }
}

/// Errors that stop a run.
///
/// The xtask's error messages are whole: they name the file or command and end with the
/// cause, so no cause is also given as a `source` (a printer walking the chain would repeat
/// it).
#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    /// Reading or writing `path` failed.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The generator refused `spec`; `report` is its rendered report.
    #[error("could not generate a client from {spec}:\n{}", report.trim_end())]
    Generation { spec: String, report: String },
    /// A program could not be run.
    #[error(transparent)]
    Command(#[from] process::CommandError),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> XtaskError + '_ {
    move |error| XtaskError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// The overlay that belongs to a spec: `specs/x.json` → `specs/x.overlay.yaml`.
pub fn overlay_path(spec: &str) -> PathBuf {
    let spec = Path::new(spec);
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    spec.with_file_name(format!("{stem}.overlay.yaml"))
}

/// A spec's text and its overlay's (`<stem>.overlay.yaml` beside it), as the generator takes
/// them. `spec` is the path shown in reports, resolved against `root`.
#[derive(Debug, Clone)]
pub struct SpecFiles {
    pub spec_name: String,
    pub spec_text: String,
    pub overlay: Option<(String, String)>,
}

impl SpecFiles {
    pub fn read(root: &Path, spec: &str) -> Result<Self, XtaskError> {
        let spec_path = root.join(spec);
        let bytes = fs::read(&spec_path).map_err(io_error(&spec_path))?;
        let spec_text = match codegen::load::decode_text(&bytes) {
            Ok(text) => text.to_string(),
            Err(diagnostic) => {
                let mut report = codegen::report::Report::default();
                report.add_diagnostics(
                    spec,
                    [diagnostic],
                    &codegen::load::SourceMap::default(),
                    None,
                );
                // Shown with the invalid bytes replaced, so the line can still be read.
                let lossy = String::from_utf8_lossy(&bytes);
                let mut sources = codegen::render::Sources::new();
                sources.add(spec, &lossy);
                return Err(XtaskError::Generation {
                    spec: spec.to_string(),
                    report: codegen::render::render_human(&report, &sources),
                });
            }
        };
        let overlay_rel = overlay_path(spec);
        let overlay_abs = root.join(&overlay_rel);
        let overlay = match fs::read_to_string(&overlay_abs) {
            Ok(text) => Some((overlay_rel.to_string_lossy().replace('\\', "/"), text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => {
                return Err(XtaskError::Io {
                    path: overlay_abs,
                    error,
                })
            }
        };
        Ok(Self {
            spec_name: spec.replace('\\', "/"),
            spec_text,
            overlay,
        })
    }

    pub fn spec(&self) -> Source<'_> {
        Source {
            name: &self.spec_name,
            text: &self.spec_text,
        }
    }

    pub fn overlay(&self) -> Option<Source<'_>> {
        self.overlay
            .as_ref()
            .map(|(name, text)| Source { name, text })
    }

    /// The generator's refusal, as an error of this run (rendered for people).
    pub fn refused(&self, failure: codegen::Failure) -> XtaskError {
        self.refused_as(failure, MessageFormat::Human)
    }

    /// The generator's refusal, rendered in `format`.
    pub fn refused_as(&self, failure: codegen::Failure, format: MessageFormat) -> XtaskError {
        XtaskError::Generation {
            spec: self.spec_name.clone(),
            report: self.render(&failure.report, format),
        }
    }

    /// Renders a report about these files: repairs one per line, warnings and errors with the
    /// source line they are about (or as JSON lines, for tools).
    pub fn render(&self, report: &codegen::report::Report, format: MessageFormat) -> String {
        match format {
            MessageFormat::Human => {
                let mut sources = codegen::render::Sources::new();
                sources.add(&self.spec_name, &self.spec_text);
                if let Some((name, text)) = &self.overlay {
                    sources.add(name, text);
                }
                codegen::render::render_human(report, &sources)
            }
            MessageFormat::Json => codegen::render::render_json(report),
        }
    }
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageFormat {
    /// For people: source excerpts, hints.
    #[default]
    Human,
    /// One JSON object per line, for tools.
    Json,
}

/// Generates one provider in memory: the files (path relative to the workspace root and
/// contents) and the report.
pub fn generate_provider(
    root: &Path,
    provider: &Provider,
) -> Result<(Vec<(PathBuf, String)>, String), XtaskError> {
    generate_provider_as(root, provider, MessageFormat::Human)
}

/// [`generate_provider`] with the report rendered in `format`.
pub fn generate_provider_as(
    root: &Path,
    provider: &Provider,
    format: MessageFormat,
) -> Result<(Vec<(PathBuf, String)>, String), XtaskError> {
    let files = SpecFiles::read(root, provider.spec)?;
    generate_from(&files, provider, format)
}

/// The folder a provider's modules are generated into, relative to the workspace root.
pub fn generated_dir(provider: &Provider) -> PathBuf {
    Path::new("generated-client/src").join(provider.module)
}

/// [`generate_provider_as`] on files already read.
fn generate_from(
    files: &SpecFiles,
    provider: &Provider,
    format: MessageFormat,
) -> Result<(Vec<(PathBuf, String)>, String), XtaskError> {
    let output = generate(files.spec(), files.overlay(), &Settings::default())
        .map_err(|f| files.refused_as(f, format))?;
    let dir = generated_dir(provider);
    let report = files.render(&output.report, format);
    let generated = output
        .files
        .into_iter()
        .map(|file| (dir.join(file.path), file.contents))
        .collect();
    Ok((generated, report))
}

/// Makes `path` hold `contents` (write mode) or reports whether it does (check mode). Writes
/// only when the contents differ, so unchanged files keep their timestamps.
pub fn ensure_file_contents(
    path: &Path,
    contents: &str,
    mode: Mode,
) -> Result<FileStatus, XtaskError> {
    let current = match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(XtaskError::Io {
                path: path.to_path_buf(),
                error,
            })
        }
    };
    if current.as_deref() == Some(contents) {
        return Ok(FileStatus::Unchanged);
    }
    match mode {
        Mode::Write => {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(io_error(dir))?;
            }
            fs::write(path, contents).map_err(io_error(path))?;
            Ok(FileStatus::Written)
        }
        Mode::Check => {
            let old = current.unwrap_or_default();
            let diff = similar::TextDiff::from_lines(old.as_str(), contents)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (checked in)", path.display()),
                    &format!("{} (generated)", path.display()),
                )
                .to_string();
            Ok(FileStatus::Stale { diff })
        }
    }
}

/// Regenerates (or checks) every provider.
pub fn run(root: &Path, mode: Mode) -> Result<Vec<ProviderRun>, XtaskError> {
    run_as(root, mode, MessageFormat::Human)
}

/// [`run`] with the reports rendered in `format`.
pub fn run_as(
    root: &Path,
    mode: Mode,
    format: MessageFormat,
) -> Result<Vec<ProviderRun>, XtaskError> {
    let mut runs = Vec::new();
    for provider in PROVIDERS {
        let inputs = SpecFiles::read(root, provider.spec)?;
        let fingerprint = match mode {
            Mode::Write => gen_cache::fingerprint(
                inputs.spec_text.as_bytes(),
                inputs.overlay.as_ref().map(|(_, text)| text.as_bytes()),
                format,
            ),
            Mode::Check => None,
        };
        if let Some((report, files)) = fingerprint
            .as_deref()
            .and_then(|key| gen_cache::lookup(root, provider, key))
        {
            runs.push(ProviderRun {
                provider: *provider,
                report,
                files: files
                    .into_iter()
                    .map(|path| (path, FileStatus::Unchanged))
                    .collect(),
            });
            continue;
        }
        if mode == Mode::Write {
            // Forgotten before the files change, so a run that fails halfway leaves no entry.
            gen_cache::forget(provider);
        }
        let (files, report) = generate_from(&inputs, provider, format)?;
        let mut statuses = Vec::new();
        for (relative, contents) in &files {
            let status = ensure_file_contents(&root.join(relative), contents, mode)?;
            statuses.push((relative.clone(), status));
        }
        statuses.extend(orphans(root, provider, &files, mode)?);
        if let Some(key) = &fingerprint {
            gen_cache::store(provider, key, &report, &files);
        }
        runs.push(ProviderRun {
            provider: *provider,
            report,
            files: statuses,
        });
    }
    Ok(runs)
}

/// Files in a provider's generated folder that generation no longer produces: removed in
/// write mode, reported in check mode.
fn orphans(
    root: &Path,
    provider: &Provider,
    files: &[(PathBuf, String)],
    mode: Mode,
) -> Result<Vec<(PathBuf, FileStatus)>, XtaskError> {
    let dir = generated_dir(provider);
    let abs = root.join(&dir);
    let entries = match fs::read_dir(&abs) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(XtaskError::Io { path: abs, error }),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(&abs))?;
        let relative = dir.join(entry.file_name());
        if files.iter().any(|(path, _)| *path == relative) {
            continue;
        }
        let status = match mode {
            Mode::Write => {
                fs::remove_file(entry.path()).map_err(io_error(&entry.path()))?;
                FileStatus::Removed
            }
            Mode::Check => FileStatus::Orphan,
        };
        found.push((relative, status));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// Reads a spec and the overlay beside it (if any) and runs the generator's repair pass, as
/// `generate_provider` does before generating. `spec` is the path as shown in reports and is
/// read relative to `root`. Returns the repaired document as pretty-printed JSON and the
/// repair report.
pub fn repaired_spec(root: &Path, spec: &str) -> Result<(String, String), XtaskError> {
    let files = SpecFiles::read(root, spec)?;
    let repaired =
        codegen::repair_spec(files.spec(), files.overlay()).map_err(|f| files.refused(f))?;
    let mut value = repaired.value;
    // The repaired document is OpenAPI 3.0, which has no `webhooks` section: the generator reads
    // them from the repaired value, and the text for other tools carries them as the
    // `x-webhooks` extension, as 3.0 tools read them, so that a validator accepts the document.
    if let Some(document) = value.as_object_mut() {
        if let Some(webhooks) = document.remove("webhooks") {
            document.insert("x-webhooks".to_string(), webhooks);
        }
    }
    // `{:#}` is serde_json's pretty printer; key order is the document's (preserve_order).
    Ok((format!("{value:#}\n"), repaired.report.render()))
}
