//! A mutation fuzzer with a fixed seed: the provider specs and the small corpus documents,
//! mutated structurally (nodes removed, replaced, renamed, copied elsewhere — which makes
//! cycles and dangling references) and textually (truncated, bytes changed), drive
//! load → repair → lower → emit → format. The property: the generator never panics, and
//! whenever it produces code, that code parses with `syn`.
//!
//! `RAMPGEN_FUZZ_CASES=N` runs more cases per document (CI runs the default). A failing case
//! is written to `target/fuzz-failures/`; keep it in `tests/fuzz_regressions/` once fixed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::{generate, Settings, Source};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const DEFAULT_CASES_PER_DOCUMENT: usize = 150;
const SEED: u64 = 0x7261_6d70_6765_6e21; // "rampgen!"

/// The documents to mutate: both provider specs and the corpus documents under 25 KB.
fn seeds() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = vec![
        root.join("specs/ripio.yaml"),
        root.join("specs/fonbnk.json"),
    ];
    let corpus = root.join("tests/corpus");
    let mut small: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("tests/corpus is in the repository")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml")
            )
        })
        .filter(|p| {
            std::fs::metadata(p)
                .map(|m| m.len() < 25_000)
                .unwrap_or(false)
        })
        .collect();
    small.sort();
    files.extend(small);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable seed");
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                text,
            )
        })
        .collect()
}

/// Parses a seed (YAML or JSON) into a value to mutate, through the generator's own loader.
fn value_of(name: &str, text: &str) -> Value {
    codegen::load::load(text, codegen::load::Format::detect(name, text))
        .expect("seeds load")
        .value
}

/// Every pointer in the document, as paths of keys.
fn paths(value: &Value) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (key, child) in children {
            let mut child_path: Vec<String> = path.clone();
            child_path.push(key);
            out.push(child_path.clone());
            stack.push((child_path, child));
        }
    }
    out
}

fn node_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, key| match node {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

const ODD_KEYS: &[&str] = &[
    "",
    "type",
    "$ref",
    "ref",
    "123",
    "a b",
    "日本",
    "self",
    "enum",
    "items",
    "properties",
    "allOf",
    "oneOf",
    "additionalProperties",
    "required",
    "nullable",
    "default",
    "x-y",
    "Type",
    "TYPE",
];

fn odd_value(rng: &mut StdRng, document: &Value) -> Value {
    let schemas: Vec<String> = document["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let some_schema = if schemas.is_empty() {
        "Nope".to_string()
    } else {
        schemas[rng.random_range(0..schemas.len())].clone()
    };
    match rng.random_range(0..18) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(1e308),
        5 => json!(""),
        6 => json!("x"),
        7 => json!([]),
        8 => json!({}),
        9 => json!({"$ref": format!("#/components/schemas/{some_schema}")}),
        10 => json!({"$ref": "#/components/schemas/Nope"}),
        11 => json!({"$ref": "other.yaml#/X"}),
        12 => json!({"type": "enum", "enum": ["a", 1, null]}),
        13 => json!({"type": ["string", "null"], "const": "c"}),
        14 => {
            json!({"allOf": [{"$ref": format!("#/components/schemas/{some_schema}")}, {"type": "string"}]})
        }
        15 => {
            json!({"oneOf": [{"type": "integer"}, {"$ref": format!("#/components/schemas/{some_schema}")}], "discriminator": {"propertyName": "kind"}})
        }
        16 => {
            json!({"type": "object", "properties": {"type": {"type": "string", "enum": ["", "-", "1"]}}, "additionalProperties": {"$ref": format!("#/components/schemas/{some_schema}")}})
        }
        _ => json!({"type": "array"}),
    }
}

/// Applies one structural mutation.
fn mutate(rng: &mut StdRng, document: &mut Value) {
    let all = paths(document);
    let target = all[rng.random_range(0..all.len())].clone();
    match rng.random_range(0..4) {
        // Remove the node from its parent.
        0 => {
            if let Some((last, parent)) = target.split_last() {
                match node_mut(document, parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // Replace it with an odd value.
        1 => {
            let replacement = odd_value(rng, document);
            if let Some(node) = node_mut(document, &target) {
                *node = replacement;
            }
        }
        // Rename its key.
        2 => {
            if let Some((last, parent)) = target.split_last() {
                let new_key = ODD_KEYS[rng.random_range(0..ODD_KEYS.len())];
                if let Some(Value::Object(map)) = node_mut(document, parent) {
                    if let Some(value) = map.shift_remove(last) {
                        map.insert(new_key.to_string(), value);
                    }
                }
            }
        }
        // Copy another subtree into it (self-similar and recursive shapes).
        _ => {
            let source = all[rng.random_range(0..all.len())].clone();
            let copied = node_mut(document, &source).map(|v| v.clone());
            if let (Some(copied), Some(node)) = (copied, node_mut(document, &target)) {
                if let Value::Object(map) = node {
                    map.insert(
                        ODD_KEYS[rng.random_range(0..ODD_KEYS.len())].to_string(),
                        copied,
                    );
                } else {
                    *node = copied;
                }
            }
        }
    }
}

/// Applies one textual mutation to the serialized document.
fn mutate_text(rng: &mut StdRng, text: &mut String) {
    if text.is_empty() {
        return;
    }
    let at = rng.random_range(0..text.len());
    let at = (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    match rng.random_range(0..3) {
        0 => text.truncate(at),
        1 => text.insert(
            at,
            ['{', '}', '[', '"', ':', ',', '\\', '\n', 'é'][rng.random_range(0..9)],
        ),
        _ => {
            let end = (at + rng.random_range(1..20)).min(text.len());
            let end = (end..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            text.replace_range(at..end, "");
        }
    }
}

/// Runs the generator on `text`; `Err` describes a broken property.
fn check(name: &str, text: &str) -> Result<bool, String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        generate(Source { name, text }, None, &Settings::default())
    }));
    match outcome {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("the generator panicked: {message}"))
        }
        Ok(Err(_refused)) => Ok(false),
        Ok(Ok(output)) => {
            for file in &output.files {
                if let Err(e) = syn::parse_file(&file.contents) {
                    return Err(format!("generated {} does not parse: {e}", file.path));
                }
            }
            Ok(true)
        }
    }
}

fn save_failure(name: &str, case: usize, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}-{case}.json"));
    let _ = std::fs::write(&path, text);
    path
}

#[test]
fn mutated_documents_never_panic_and_generated_code_parses() {
    let cases: usize = std::env::var("RAMPGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES_PER_DOCUMENT);
    let mut rng = StdRng::seed_from_u64(SEED);
    let in_progress = save_failure("in-progress", 0, "");
    let mut failures = Vec::new();
    let (mut total, mut generated) = (0usize, 0usize);
    for (name, text) in seeds() {
        let original = value_of(&name, &text);
        for case in 0..cases {
            let mut document = original.clone();
            for _ in 0..rng.random_range(1..=4) {
                mutate(&mut rng, &mut document);
            }
            let mut mutated = serde_json::to_string(&document).expect("serializes");
            if rng.random_bool(0.15) {
                mutate_text(&mut rng, &mut mutated);
            }
            let shown = format!("{name}.mutated.json");
            total += 1;
            // A stack overflow aborts the process before any report: the case is on disk first.
            let _ = std::fs::write(&in_progress, &mutated);
            match check(&shown, &mutated) {
                Ok(true) => generated += 1,
                Ok(false) => {}
                Err(problem) => {
                    let saved = save_failure(&name, case, &mutated);
                    failures.push(format!(
                        "{name} case {case}: {problem} (input: {})",
                        saved.display()
                    ));
                }
            }
        }
    }
    println!(
        "fuzz: {total} cases, {generated} generated code, {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        generated > total / 4,
        "too few cases reach code generation: {generated} of {total}"
    );
}

/// Inputs that once broke a property, kept so they never break it again.
#[test]
fn kept_regressions_still_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fuzz_regressions exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if let Err(problem) = check(&name, &text) {
            panic!("{}: {problem}", file.display());
        }
    }
}
