//! `cargo xtask stress --mib N`: generation on a synthetic document of about N MiB, made by
//! replicating a real one (the corpus's nexus.json) under renamed schemas and paths, with the
//! time and the peak resident memory it took — the check that memory stays proportional to
//! the input, not worse.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use codegen::{generate, Settings, Source};

use crate::XtaskError;

/// What a stress run measured.
#[derive(Debug, Clone)]
pub struct StressReport {
    pub input_bytes: usize,
    pub copies: usize,
    pub operations: usize,
    pub types: usize,
    pub generated_lines: usize,
    pub elapsed: Duration,
    /// Peak resident set of this process (`VmHWM`), when the platform reports it.
    pub peak_rss_bytes: Option<u64>,
}

/// Builds a document of at least `mib` MiB from `seed` and generates a client from it.
pub fn stress(seed_path: &Path, mib: usize) -> Result<StressReport, XtaskError> {
    let seed_text = std::fs::read_to_string(seed_path).map_err(|error| XtaskError::Io {
        path: seed_path.to_path_buf(),
        error,
    })?;
    let seed: Value = serde_json::from_str(&seed_text).map_err(|e| XtaskError::Generation {
        spec: seed_path.display().to_string(),
        report: format!("the stress seed is not JSON: {e}"),
    })?;
    let target = mib * 1024 * 1024;
    let compact_len = seed.to_string().len();
    let copies = target.div_ceil(compact_len.max(1)).max(1);
    let text = replicate(&seed, copies);
    drop(seed);

    let started = Instant::now();
    let output = generate(
        Source {
            name: "stress.json",
            text: &text,
        },
        None,
        &Settings::default(),
    )
    .map_err(|f| XtaskError::Generation {
        spec: "stress.json".to_string(),
        report: f.report.render(),
    })?;
    let elapsed = started.elapsed();
    Ok(StressReport {
        input_bytes: text.len(),
        copies,
        operations: output.api.operations.len(),
        types: output.api.types.len(),
        generated_lines: output
            .files
            .iter()
            .map(|f| f.contents.lines().count())
            .sum(),
        elapsed,
        peak_rss_bytes: peak_rss(),
    })
}

/// `copies` copies of the seed's schemas and paths in one document, each copy's names and
/// references suffixed so that nothing collides.
pub fn replicate(seed: &Value, copies: usize) -> String {
    let mut schemas = Map::new();
    let mut paths = Map::new();
    for copy in 0..copies {
        let suffix = format!("C{copy}");
        let renamed = rename_refs(seed, &suffix);
        if let Some(map) = renamed["components"]["schemas"].as_object() {
            for (name, schema) in map {
                schemas.insert(format!("{name}{suffix}"), schema.clone());
            }
        }
        if let Some(map) = renamed["paths"].as_object() {
            for (path, item) in map {
                let mut item = item.clone();
                suffix_operation_ids(&mut item, &suffix);
                paths.insert(format!("/c{copy}{path}"), item);
            }
        }
    }
    let mut document = seed.clone();
    document["components"]["schemas"] = Value::Object(schemas);
    document["paths"] = Value::Object(paths);
    document.to_string()
}

fn rename_refs(value: &Value, suffix: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, v)| match (key.as_str(), v) {
                    ("$ref", Value::String(target))
                        if target.starts_with("#/components/schemas/") =>
                    {
                        (key.clone(), Value::String(format!("{target}{suffix}")))
                    }
                    _ => (key.clone(), rename_refs(v, suffix)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| rename_refs(v, suffix)).collect()),
        other => other.clone(),
    }
}

fn suffix_operation_ids(item: &mut Value, suffix: &str) {
    if let Some(map) = item.as_object_mut() {
        for operation in map.values_mut() {
            if let Some(Value::String(id)) = operation.get_mut("operationId") {
                id.push_str(suffix);
            }
        }
    }
}

/// The process's peak resident set, from `/proc/self/status` (Linux).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
