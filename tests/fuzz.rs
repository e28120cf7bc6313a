//! A mutation fuzzer with a fixed seed: the provider specs and the small corpus documents,
//! mutated structurally (nodes removed, replaced, renamed, copied elsewhere — which makes
//! cycles and dangling references; chains of `$ref`s, wide `allOf`/`oneOf`, long and non-ASCII
//! names grafted in) and textually (truncated, bytes changed, or written as YAML with anchors
//! and nested aliases), drive load → repair → lower → emit → format. The properties: the
//! generator never panics, never runs past a per-case time limit (a hang), and whenever it
//! produces code, that code parses with `syn`.
//!
//! `RAMPGEN_FUZZ_CASES=N` runs N cases per document (CI runs the default; the total is printed);
//! `RAMPGEN_FUZZ_CASE_SECS` sets the per-case limit (default 30 s, for a debug build on a busy
//! machine); `RAMPGEN_FUZZ_DEADLINE_SECS` stops starting cases after that long (a time-boxed long
//! run reports how many it ran); `RAMPGEN_FUZZ_SEED` replaces the fixed seed (so that a long run
//! can be split across processes). Cases go round the documents, so a deadline cuts every document
//! alike. A failing case is written to `target/fuzz-failures/`; keep it in
//! `tests/fuzz_regressions/` once fixed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

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
    "Crédito",
    "Transferência",
    "имя_клиента",
    "金额",
    "😀",
    "int",
    "bool",
    "webhooks",
    "not",
    "patternProperties",
];

/// Values for `type` beyond the JSON Schema ones: aliases, casings, schema names, junk.
const ODD_TYPES: &[&str] = &[
    "int",
    "long",
    "bool",
    "String",
    "Integer",
    "datetime",
    "uuid",
    "double",
    "file",
    "decimal",
    "timestamp",
    "Pet",
    "HourlyResponse",
    "",
    "any",
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
    match rng.random_range(0..22) {
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
        18 => json!({"type": ODD_TYPES[rng.random_range(0..ODD_TYPES.len())]}),
        19 => json!({"type": some_schema}),
        20 => json!({"type": "object", "properties": {long_name(rng): {"type": "string"}}}),
        21 => json!({"not": {"type": "string"}, "if": {}, "then": {}, "prefixItems": [{}]}),
        _ => json!({"type": "array"}),
    }
}

/// A name long enough to be cut, sometimes very long, sometimes not ASCII.
fn long_name(rng: &mut StdRng) -> String {
    let unit = ["a", "é", "ж", "字", "_", "A1"][rng.random_range(0..6)];
    let length = [65, 100, 1_000, 20_000][rng.random_range(0..4)];
    unit.repeat(length)
}

/// Grafts a shape the plain mutations rarely make: a chain of `$ref`s ending at an existing
/// schema, a wide `allOf`/`oneOf` of references, or a schema under a long name.
fn graft(rng: &mut StdRng, document: &mut Value) {
    let names: Vec<String> = document["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let pick = |rng: &mut StdRng| -> String {
        if names.is_empty() {
            "Missing".to_string()
        } else {
            names[rng.random_range(0..names.len())].clone()
        }
    };
    let mut added: Vec<(String, Value)> = Vec::new();
    match rng.random_range(0..4) {
        0 => {
            let links = rng.random_range(2..300);
            let end = pick(rng);
            for i in 0..links {
                let next = if i + 1 == links {
                    end.clone()
                } else {
                    format!("Chain{}", i + 1)
                };
                added.push((
                    format!("Chain{i}"),
                    json!({"$ref": format!("#/components/schemas/{next}")}),
                ));
            }
        }
        1 => {
            let keyword = ["allOf", "oneOf", "anyOf"][rng.random_range(0..3)];
            let branches: Vec<Value> = (0..rng.random_range(2..200))
                .map(|_| json!({"$ref": format!("#/components/schemas/{}", pick(rng))}))
                .collect();
            added.push(("Wide".to_string(), json!({keyword: branches})));
        }
        2 => added.push((
            long_name(rng),
            json!({"type": "object", "properties": {long_name(rng): {"type": "integer"}}}),
        )),
        _ => {
            let type_name = pick(rng);
            added.push((
                "Typed".to_string(),
                json!({"type": "object", "properties": {"a": {"type": type_name}}}),
            ));
        }
    }
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.extend(added);
    }
}

/// The document as YAML whose first schemas are anchored and aliased, sometimes nested
/// ("billion laughs"): the loader must expand them within its budget or refuse them.
fn yaml_with_aliases(rng: &mut StdRng, document: &Value) -> String {
    let mut text = String::from("x-fuzz-aliases:\n  a0: &a0 [lol, {k: v}]\n");
    let levels = rng.random_range(1..12);
    let width = rng.random_range(1..10);
    for level in 1..=levels {
        let aliases = vec![format!("*a{}", level - 1); width].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{aliases}]\n"));
    }
    // The rest of the document as flow-style JSON, which is YAML, key by key.
    for (key, value) in document.as_object().into_iter().flatten() {
        text.push_str(&format!(
            "{}: {}\n",
            serde_json::to_string(key).unwrap_or_default(),
            value
        ));
    }
    text
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

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs [`check`] on its own thread, waiting at most `limit`: `Err` also for a hang (the
/// thread is left behind; the run stops at the first hang).
fn check_within(name: &str, text: &str, limit: Duration) -> Result<bool, String> {
    let (send, receive) = mpsc::channel();
    let (name, text) = (name.to_string(), text.to_string());
    std::thread::spawn(move || {
        let _ = send.send(check(&name, &text));
    });
    match receive.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("the generator ran past {limit:?} (a hang)")),
    }
}

#[test]
fn mutated_documents_never_panic_or_hang_and_generated_code_parses() {
    let cases = env_number("RAMPGEN_FUZZ_CASES").map_or(DEFAULT_CASES_PER_DOCUMENT, |n| n as usize);
    let limit = Duration::from_secs(env_number("RAMPGEN_FUZZ_CASE_SECS").unwrap_or(30));
    let deadline = env_number("RAMPGEN_FUZZ_DEADLINE_SECS").map(Duration::from_secs);
    // Another seed gives another run of cases, so a long run can be split across processes.
    let mut rng = StdRng::seed_from_u64(env_number("RAMPGEN_FUZZ_SEED").unwrap_or(SEED));
    let in_progress = save_failure("in-progress", 0, "");
    let mut failures = Vec::new();
    let (mut total, mut generated) = (0usize, 0usize);
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    let seeds: Vec<(String, Value)> = seeds()
        .into_iter()
        .map(|(name, text)| {
            let value = value_of(&name, &text);
            (name, value)
        })
        .collect();
    'cases: for case in 0..cases {
        for (name, original) in &seeds {
            if deadline.is_some_and(|d| started.elapsed() > d) {
                println!("fuzz: deadline reached after case {case} of {cases} per document");
                break 'cases;
            }
            let mut document = original.clone();
            for _ in 0..rng.random_range(1..=4) {
                mutate(&mut rng, &mut document);
            }
            if rng.random_bool(0.2) {
                graft(&mut rng, &mut document);
            }
            let (mut mutated, shown) = if rng.random_bool(0.1) {
                (
                    yaml_with_aliases(&mut rng, &document),
                    format!("{name}.mutated.yaml"),
                )
            } else {
                let text = serde_json::to_string(&document).expect("serializes");
                (text, format!("{name}.mutated.json"))
            };
            if rng.random_bool(0.15) {
                mutate_text(&mut rng, &mut mutated);
            }
            total += 1;
            // A stack overflow aborts the process before any report: the case is on disk first.
            let _ = std::fs::write(&in_progress, &mutated);
            let case_started = Instant::now();
            let outcome = check_within(&shown, &mutated, limit);
            slowest = slowest.max(case_started.elapsed());
            match outcome {
                Ok(true) => generated += 1,
                Ok(false) => {}
                Err(problem) => {
                    let hang = problem.contains("a hang");
                    let saved = save_failure(name, case, &mutated);
                    failures.push(format!(
                        "{name} case {case}: {problem} (input: {})",
                        saved.display()
                    ));
                    if hang {
                        break 'cases;
                    }
                }
            }
            if total % 10_000 == 0 {
                eprintln!(
                    "fuzz: {total} cases in {:.0?}, {generated} generated, {} failures, slowest {slowest:.2?}",
                    started.elapsed(),
                    failures.len()
                );
            }
        }
    }
    println!(
        "fuzz: {total} cases in {:.1?}, {generated} generated code, {} failures, slowest case {slowest:.2?}",
        started.elapsed(),
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
