//! The API change report of `cargo xtask gen`: the IR of a provider's spec as committed (`git
//! show HEAD:<spec>` and its overlay) compared with the IR of the working tree
//! (`codegen::changes`), located in the specs.

use std::path::Path;
use std::process::Command;

use codegen::changes::{api_changes, render_markdown, render_text, Change, ChangeKind};
use codegen::load::{load, Format, SourceMap};

use crate::process;
use crate::{overlay_path, Provider, SpecFiles};

/// The changes between two versions of one spec, with what is needed to locate them.
#[derive(Debug, Clone)]
pub struct ApiChanges {
    pub spec: String,
    pub changes: Vec<Change>,
    old_map: SourceMap,
    new_map: SourceMap,
}

fn source_map(files: &SpecFiles) -> SourceMap {
    load(
        &files.spec_text,
        Format::detect(&files.spec_name, &files.spec_text),
    )
    .map(|d| d.source_map)
    .unwrap_or_default()
}

fn lower(files: &SpecFiles) -> Result<codegen::ir::Api, String> {
    codegen::lower_spec(files.spec(), files.overlay())
        .map(|(api, _)| api)
        .map_err(|failure| failure.to_string())
}

/// Whether a change is about something that only the old spec has.
fn in_old_spec(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::OperationRemoved
            | ChangeKind::ParamRemoved
            | ChangeKind::BodyRemoved
            | ChangeKind::TypeRemoved
            | ChangeKind::FieldRemoved
            | ChangeKind::EnumValueRemoved
            | ChangeKind::ResponseRemoved
    )
}

impl ApiChanges {
    /// Compares the IR of `old` with that of `new` (both name the same spec).
    pub fn compare(old: &SpecFiles, new: &SpecFiles) -> Result<Self, String> {
        let old_api =
            lower(old).map_err(|e| format!("the previous version does not generate: {e}"))?;
        let new_api = lower(new)?;
        Ok(Self {
            spec: new.spec_name.clone(),
            changes: api_changes(&old_api, &new_api),
            old_map: source_map(old),
            new_map: source_map(new),
        })
    }

    /// Where a change is: `specs/x.yaml:12:5  #/pointer` (`specs/x.yaml@HEAD:…` for removals).
    pub fn locate(&self, change: &Change) -> String {
        let (file, map) = if in_old_spec(change.kind) {
            (format!("{}@HEAD", self.spec), &self.old_map)
        } else {
            (self.spec.clone(), &self.new_map)
        };
        match map.locate(change.pointer.as_str()) {
            Some(at) => format!("{file}:{}:{}  {}", at.line, at.column, change.pointer),
            None => format!("{file}  {}", change.pointer),
        }
    }

    /// One line per change, breaking ones first, then a count.
    pub fn text(&self) -> String {
        render_text(&self.changes, &|c| self.locate(c))
    }

    /// Markdown for a pull request, titled `title`.
    pub fn markdown(&self, title: &str) -> String {
        render_markdown(title, &self.changes, &|c| self.locate(c))
    }
}

/// A file as committed at `HEAD`: `Ok(None)` when git knows no such file there, `Err` when git
/// cannot be asked.
fn at_head(root: &Path, path: &str) -> Result<Option<String>, String> {
    let output = process::output(
        Command::new("git")
            .arg("show")
            .arg(format!("HEAD:./{path}"))
            .current_dir(root),
    )
    .map_err(|e| e.to_string())?;
    if output.status.success() {
        return String::from_utf8(output.stdout)
            .map(Some)
            .map_err(|_| format!("{path} at HEAD is not UTF-8"));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(stderr.trim().to_string())
    }
}

/// The changes of a provider's API since `HEAD`, or why there is nothing to compare with.
pub fn changes_since_head(root: &Path, provider: &Provider) -> Result<ApiChanges, String> {
    let new = SpecFiles::read(root, provider.spec).map_err(|e| e.to_string())?;
    let no_previous = |why: String| format!("no previous version to compare ({why})");
    let old_spec = at_head(root, provider.spec)
        .map_err(no_previous)?
        .ok_or_else(|| no_previous(format!("{} is not in HEAD", provider.spec)))?;
    let overlay_rel = overlay_path(provider.spec)
        .to_string_lossy()
        .replace('\\', "/");
    let old_overlay = at_head(root, &overlay_rel)
        .map_err(no_previous)?
        .map(|text| (overlay_rel, text));
    let old = SpecFiles {
        spec_name: new.spec_name.clone(),
        spec_text: old_spec,
        overlay: old_overlay,
    };
    ApiChanges::compare(&old, &new)
}
