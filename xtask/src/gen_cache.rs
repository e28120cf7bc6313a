//! What `cargo xtask gen` remembers between runs, so that a run with nothing to rebuild does
//! not generate again.
//!
//! A provider's entry records a fingerprint of everything its output depends on (the spec and
//! overlay bytes, the report format and the generator binary itself) together with the report
//! and a digest of every file generation wrote. A later run whose fingerprint matches, and whose
//! generated folder still holds exactly those files with those digests, reuses the report and
//! writes nothing. Anything else (an edited spec, a rebuilt generator, a hand-edited or deleted
//! generated file, a stray file in the folder) misses and generates as before.
//!
//! Entries live beside the running binary (`target/<profile>/gen-cache/`): they belong to that
//! build, and `cargo clean` removes them. Only `gen` in write mode uses them; `gen --check`
//! always generates, so CI never trusts a cache.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::{MessageFormat, Provider};

/// A digest of a file's or an input's bytes. `DefaultHasher::new()` has fixed keys, so it is the
/// same from run to run of one binary, and the binary is part of every fingerprint.
fn digest(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// The generator binary, as its size and modification time: rebuilding it changes both, and
/// reading the whole binary would cost more than the rest of a cached run.
fn generator_identity() -> Option<(u64, u128)> {
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(exe).ok()?;
    let modified = meta.modified().ok()?;
    let nanos = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), nanos))
}

/// Everything one provider's output depends on, or `None` when the generator binary cannot be
/// identified (then nothing is cached).
pub fn fingerprint(
    spec_bytes: &[u8],
    overlay_bytes: Option<&[u8]>,
    format: MessageFormat,
) -> Option<String> {
    let (size, modified) = generator_identity()?;
    let mut hasher = DefaultHasher::new();
    size.hash(&mut hasher);
    modified.hash(&mut hasher);
    spec_bytes.hash(&mut hasher);
    overlay_bytes.hash(&mut hasher);
    (format == MessageFormat::Json).hash(&mut hasher);
    Some(format!("{:016x}", hasher.finish()))
}

/// Where the entries are kept: beside the running binary.
fn cache_dir() -> Option<PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join("gen-cache"))
}

fn entry_path(provider: &Provider) -> Option<PathBuf> {
    Some(cache_dir()?.join(format!("{}.json", provider.module)))
}

/// A provider's report and generated files (relative to the workspace root), when the files on
/// disk are exactly as the entry recorded for `fingerprint`; `None` when it must be generated.
pub fn lookup(
    root: &Path,
    provider: &Provider,
    fingerprint: &str,
) -> Option<(String, Vec<PathBuf>)> {
    let text = fs::read_to_string(entry_path(provider)?).ok()?;
    let entry: Value = serde_json::from_str(&text).ok()?;
    if entry["fingerprint"].as_str()? != fingerprint {
        return None;
    }
    let files = entry["files"].as_object()?;
    let relative_dir = crate::generated_dir(provider);
    let dir = root.join(&relative_dir);
    // The folder must hold those files and nothing else (an extra one would be an orphan).
    let present = fs::read_dir(&dir).ok()?.count();
    if present != files.len() {
        return None;
    }
    for (name, recorded) in files {
        let bytes = fs::read(dir.join(name)).ok()?;
        if format!("{:016x}", digest(&bytes)) != recorded.as_str()? {
            return None;
        }
    }
    let report = entry["report"].as_str()?.to_string();
    Some((
        report,
        files.keys().map(|name| relative_dir.join(name)).collect(),
    ))
}

/// Records what a generation produced. A cache that cannot be written only costs the next run
/// its shortcut, so failures are ignored.
pub fn store(provider: &Provider, fingerprint: &str, report: &str, files: &[(PathBuf, String)]) {
    let Some(path) = entry_path(provider) else {
        return;
    };
    let digests: serde_json::Map<String, Value> = files
        .iter()
        .filter_map(|(relative, contents)| {
            let name = relative.file_name()?.to_str()?.to_string();
            Some((name, json!(format!("{:016x}", digest(contents.as_bytes())))))
        })
        .collect();
    // Files in subfolders are not modelled by the folder count above: cache nothing then.
    if digests.len() != files.len() {
        return;
    }
    let entry = json!({ "fingerprint": fingerprint, "report": report, "files": digests });
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::write(path, entry.to_string());
}

/// Forgets a provider's entry (its generation failed or its files were not all written).
pub fn forget(provider: &Provider) {
    if let Some(path) = entry_path(provider) {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace of its own under the test binary's folder, with one generated folder.
    fn workspace(name: &'static str) -> (PathBuf, Provider) {
        let provider = Provider {
            module: name,
            spec: "specs/unused.yaml",
        };
        let root = cache_dir()
            .expect("a cache folder")
            .join(format!("{name}-root"));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join(crate::generated_dir(&provider))).expect("folder");
        (root, provider)
    }

    fn write_outputs(root: &Path, files: &[(PathBuf, String)]) {
        for (relative, contents) in files {
            fs::write(root.join(relative), contents).expect("written");
        }
    }

    fn outputs(provider: &Provider) -> Vec<(PathBuf, String)> {
        let dir = crate::generated_dir(provider);
        vec![
            (dir.join("mod.rs"), "pub mod types;\n".to_string()),
            (dir.join("types.rs"), "pub struct A;\n".to_string()),
        ]
    }

    #[test]
    fn an_unchanged_run_is_served_from_the_entry() {
        let (root, provider) = workspace("gen-cache-test-hit");
        let files = outputs(&provider);
        write_outputs(&root, &files);
        let key = fingerprint(b"spec", Some(b"overlay"), MessageFormat::Human).expect("key");
        store(&provider, &key, "the report\n", &files);
        let (report, mut paths) = lookup(&root, &provider, &key).expect("a hit");
        paths.sort();
        assert_eq!(report, "the report\n");
        assert_eq!(
            paths,
            files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn any_change_to_inputs_or_outputs_misses() {
        let (root, provider) = workspace("gen-cache-test-miss");
        let files = outputs(&provider);
        write_outputs(&root, &files);
        let key = fingerprint(b"spec", None, MessageFormat::Human).expect("key");
        store(&provider, &key, "report", &files);
        assert!(lookup(&root, &provider, &key).is_some());

        // Another spec, overlay or report format is another fingerprint.
        for other in [
            fingerprint(b"spec2", None, MessageFormat::Human),
            fingerprint(b"spec", Some(b""), MessageFormat::Human),
            fingerprint(b"spec", None, MessageFormat::Json),
        ] {
            let other = other.expect("key");
            assert_ne!(other, key);
            assert!(lookup(&root, &provider, &other).is_none());
        }

        let dir = root.join(crate::generated_dir(&provider));
        // A hand-edited generated file.
        fs::write(dir.join("types.rs"), "pub struct B;\n").expect("edit");
        assert!(lookup(&root, &provider, &key).is_none());
        write_outputs(&root, &files);
        assert!(lookup(&root, &provider, &key).is_some());
        // A stray file in the folder.
        fs::write(dir.join("stray.rs"), "").expect("stray");
        assert!(lookup(&root, &provider, &key).is_none());
        fs::remove_file(dir.join("stray.rs")).expect("removed");
        // A deleted one.
        fs::remove_file(dir.join("mod.rs")).expect("removed");
        assert!(lookup(&root, &provider, &key).is_none());
        write_outputs(&root, &files);
        // A forgotten entry.
        forget(&provider);
        assert!(lookup(&root, &provider, &key).is_none());
    }
}
