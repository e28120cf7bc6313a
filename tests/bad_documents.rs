//! Bad input never panics: every document in `tests/bad_documents/` gets the diagnostics in its
//! snapshot (rendered as `cargo xtask gen` prints them), and generated extremes — nesting at and
//! past the loader's bound, an enum of 100,000 values, a 1 MiB property name, a chain of 3,000
//! `$ref`s — are handled without a crash, in bounded time.

use std::path::{Path, PathBuf};

use codegen::load::{load, Format};
use codegen::render::{render_human, Sources};
use codegen::report::Report;
use codegen::{generate, Settings, Source};

fn catalogue() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bad_documents");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/bad_documents exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    files.sort();
    files
}

/// Runs the generator the way `cargo xtask gen` does and renders what it says.
fn outcome(name: &str, bytes: &[u8]) -> String {
    let text = match codegen::load::decode_text(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            let mut report = Report::default();
            report.add_diagnostics(
                name,
                [diagnostic],
                &codegen::load::SourceMap::default(),
                None,
            );
            // Shown with the invalid bytes replaced, as the xtask does.
            let lossy = String::from_utf8_lossy(bytes);
            let mut sources = Sources::new();
            sources.add(name, &lossy);
            return format!("refused\n{}", render_human(&report, &sources));
        }
    };
    let mut sources = Sources::new();
    sources.add(name, text);
    match generate(Source { name, text }, None, &Settings::default()) {
        Ok(output) => format!(
            "generated {} operations and {} types\n{}",
            output.api.operations.len(),
            output.api.types.len(),
            render_human(&output.report, &sources)
        ),
        Err(failure) => format!("refused\n{}", render_human(&failure.report, &sources)),
    }
}

#[test]
fn every_bad_document_gets_its_expected_diagnostics() {
    let files = catalogue();
    assert!(files.len() >= 23, "the catalogue lost documents: {files:?}");
    for path in files {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("a file name");
        let bytes = std::fs::read(&path).expect("readable");
        let shown = format!("tests/bad_documents/{file}");
        insta::assert_snapshot!(format!("bad_document__{file}"), outcome(&shown, &bytes));
    }
}

/// The nesting the loader accepts, in its own words: "nested more than 128 levels deep" is
/// refused. Levels count the document itself and the innermost scalar.
const DEEPEST_ACCEPTED: usize = 128;

/// A document whose schema `Deep` nests objects until its innermost scalar (a `type`) is
/// `levels` levels deep: the document, `components`, `schemas` and `Deep` are four, each
/// nested object schema adds two (`properties`, `a`), an `items` one, the scalar one.
fn deep_document(levels: usize, format: Format) -> String {
    let containers = levels - 1;
    let objects = (containers - 4) / 2;
    let items = (containers - 4) % 2 == 1;
    match format {
        Format::Json => {
            let mut schema = String::from("{\"type\": \"string\"}");
            if items {
                schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
            }
            for _ in 0..objects {
                schema = format!("{{\"type\": \"object\", \"properties\": {{\"a\": {schema}}}}}");
            }
            format!(
                "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Deep\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
            )
        }
        Format::Yaml => {
            let mut text = String::from(
                "openapi: 3.0.3\ninfo:\n  title: Deep\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n",
            );
            let mut indent = String::from("      ");
            for _ in 0..objects {
                text.push_str(&format!(
                    "{indent}type: object\n{indent}properties:\n{indent}  a:\n"
                ));
                indent.push_str("    ");
            }
            if items {
                text.push_str(&format!("{indent}type: array\n{indent}items:\n"));
                indent.push_str("  ");
            }
            text + &format!("{indent}type: string\n")
        }
    }
}

/// `deep_document` in `format` run through the whole generator.
fn generate_deep(levels: usize, format: Format) -> String {
    let name = match format {
        Format::Json => "deep.json",
        Format::Yaml => "deep.yaml",
    };
    outcome(name, deep_document(levels, format).as_bytes())
}

#[test]
fn the_nesting_bound_is_exact() {
    for format in [Format::Json, Format::Yaml] {
        let deepest = generate_deep(DEEPEST_ACCEPTED, format);
        // 61 nested object schemas, `Deep` the outermost.
        assert!(
            deepest.starts_with("generated 0 operations and 61 types"),
            "{format:?}: {deepest}"
        );
        for levels in [DEEPEST_ACCEPTED + 1, 1_000] {
            let said = generate_deep(levels, format);
            assert!(said.starts_with("refused"), "{format:?} {levels}: {said}");
            assert!(
                said.contains("the document is nested more than 128 levels deep"),
                "{format:?} {levels}: {said}"
            );
        }
    }
}

#[test]
fn the_loader_refuses_any_depth_without_recursing_per_level() {
    // `load` is the one stage that sees the input unbounded, and it runs on the caller's
    // thread (unlike `generate`). On half a MiB of stack, a million levels of JSON or flow
    // YAML would overflow a loader that recursed once per level, whatever its frame size
    // (block YAML grows with the square of its depth: a thousand levels of it).
    let depth = 1_000_000;
    let said = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let flow_yaml = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            [
                load(&json, Format::Json),
                load(&flow_yaml, Format::Yaml),
                load(&deep_document(1_000, Format::Yaml), Format::Yaml),
            ]
            .map(|loaded| loaded.map(|_| ()).map_err(|refusal| refusal.message))
        })
        .expect("thread starts")
        .join()
        .expect("no stack overflow or panic");
    for refused in said {
        assert_eq!(
            refused,
            Err("the document is nested more than 128 levels deep".to_string())
        );
    }
}

#[test]
fn generation_does_not_depend_on_the_callers_stack() {
    // The later stages recurse with the nesting: on the deepest accepted document they need
    // more than 2 MiB of stack in a debug build (serde's untagged enums in `openapiv3`). From
    // a quarter-MiB thread this passes only because `generate` runs them on its own stack.
    let said = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| generate_deep(DEEPEST_ACCEPTED, Format::Json))
        .expect("thread starts")
        .join()
        .expect("no stack overflow or panic");
    assert!(
        said.starts_with("generated 0 operations and 61 types"),
        "{said}"
    );
}

#[test]
fn an_enum_of_a_hundred_thousand_values_generates() {
    let values: Vec<String> = (0..100_000).map(|i| format!("\"value-{i}\"")).collect();
    let doc = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Big enum\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Big\": {{\"type\": \"string\", \"enum\": [{}]}}}}}}}}",
        values.join(",")
    );
    let output = generate(
        Source {
            name: "big-enum.json",
            text: &doc,
        },
        None,
        &Settings::default(),
    )
    .expect("a big enum is fine");
    let types = output
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("Value99999"),
        "the last value has a variant"
    );
    assert!(types.contents.contains("\"value-99999\""));
}

#[test]
fn a_property_name_of_one_mebibyte_becomes_a_short_identifier_with_a_warning() {
    let name = "n".repeat(1 << 20);
    let doc = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Long\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Record\": {{\"type\": \"object\", \"properties\": {{\"{name}\": {{\"type\": \"string\"}}}}}}}}}}}}"
    );
    let output = generate(
        Source {
            name: "long.json",
            text: &doc,
        },
        None,
        &Settings::default(),
    )
    .expect("a long name is fine");
    let codegen::ir::TypeKind::Struct { fields, .. } = &output.api.types[0].kind else {
        panic!("a struct: {:?}", output.api.types[0].kind);
    };
    assert!(fields[0].name.len() <= 64, "{}", fields[0].name);
    assert!(fields[0].name.starts_with("nnnn"), "{}", fields[0].name);
    assert_eq!(fields[0].wire_name, name, "the wire name is kept whole");
    let warned = output
        .report
        .findings
        .iter()
        .filter(|f| f.rule == Some("long-name"));
    assert_eq!(warned.count(), 1);
}

/// A chain of `$ref`s: `S0` → `S1` → … → `S2999` → an object.
fn ref_chain(links: usize) -> String {
    let mut schemas: Vec<String> = (0..links - 1)
        .map(|i| {
            format!(
                "\"S{i}\": {{\"$ref\": \"#/components/schemas/S{}\"}}",
                i + 1
            )
        })
        .collect();
    schemas.push(format!(
        "\"S{}\": {{\"type\": \"object\", \"properties\": {{\"a\": {{\"type\": \"string\"}}}}}}",
        links - 1
    ));
    format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Chain\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{{}}}}}}}",
        schemas.join(", ")
    )
}

// How long a chain takes is measured by the benchmark (`cargo xtask bench`: the generated
// 3,000-link chain, with its < 50 ms target, and `codegen/benches/stages.rs`), not here: timed
// tests fail on busy machines. These tests hold that a chain this long is accepted at all.
#[test]
fn a_chain_of_three_thousand_refs_loads_repairs_and_parses() {
    let doc = ref_chain(3_000);
    let repaired = codegen::repair_spec(
        Source {
            name: "chain.json",
            text: &doc,
        },
        None,
    )
    .expect("repairs");
    codegen::parse::parse(&repaired.value).expect("parses");
}

#[test]
fn a_chain_of_three_thousand_refs_generates() {
    let doc = ref_chain(3_000);
    let said = outcome("chain.json", doc.as_bytes());
    assert!(said.starts_with("generated"), "{said}");
}

#[test]
fn names_outside_ascii_keep_their_letters_and_their_wire_form() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bad_documents/non-ascii-names.yaml");
    let text = std::fs::read_to_string(path).expect("readable");
    let output = generate(
        Source {
            name: "non-ascii-names.yaml",
            text: &text,
        },
        None,
        &Settings::default(),
    )
    .expect("generates");
    let file = |name: &str| {
        output
            .files
            .iter()
            .find(|f| f.path == name)
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    let types = file("types.rs");
    for expected in [
        "pub enum MetodoDePago",
        "Credito",
        "Debito",
        "Transferencia",
        "XianJin",
        "Nao",
        "pub metodo:",
        "pub imia_klienta:",
        "pub jin_e:",
        "\"Crédito\"",
        "\"Transferência\"",
        "\"método\"",
        "\"имя_клиента\"",
        "\"金额\"",
    ] {
        assert!(
            types.contains(expected),
            "types.rs lacks {expected}:\n{types}"
        );
    }
    for lost in ["CrDito", "TransferNcia", "m_todo", "field_2", "Empty"] {
        assert!(!types.contains(lost), "types.rs has {lost}:\n{types}");
    }
    let operations = file("operations.rs");
    assert!(operations.contains("pub ano:"), "{operations}");
    assert!(operations.contains("\"año\""), "{operations}");
}
