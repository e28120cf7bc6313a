//! One benchmark per pipeline stage on the corpus's nexus.json (437 KB, 193 operations), so a
//! regression shows up in the stage that caused it: `cargo bench -p rampgen-codegen`.
//!
//! Each stage is measured on the previous stage's output, prepared once outside the timing.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use proc_macro2::TokenStream;

use codegen::emit::{self, Chunk, EmitSettings, FileTokens, Share};
use codegen::load::{self, Format};
use codegen::{format, lower, parse, print, repair};

fn nexus_text() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/progenitor-nexus.json");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the stage benchmarks read {}: {e}", path.display()))
}

/// An emitted file with its chunks already produced, so `format` is timed alone: its path,
/// header and chunks.
type Emitted = (&'static str, TokenStream, Vec<(usize, Chunk)>);

fn emitted(api: &codegen::ir::Api, settings: &EmitSettings) -> Vec<Emitted> {
    emit::emit(api, settings, Share::ALL)
        .into_iter()
        .map(|file| (file.path, (file.header)(), file.chunks.collect()))
        .collect()
}

fn stages(c: &mut Criterion) {
    let text = nexus_text();
    let loaded = load::load(&text, Format::Json).expect("nexus.json loads");
    let mut repaired = loaded.value.clone();
    repair::repair_document(&mut repaired);
    let parsed = parse::parse(&repaired).expect("nexus.json parses");
    let (api, _) = lower::lower(&parsed);
    let settings = EmitSettings {
        runtime_path: syn::parse_quote!(crate::runtime),
    };
    let files = emitted(&api, &settings);

    let mut group = c.benchmark_group("nexus");
    group.sample_size(20);
    group.bench_function("load", |b| {
        b.iter(|| load::load(black_box(&text), Format::Json).expect("loads"))
    });
    group.bench_function("repair", |b| {
        b.iter_batched(
            || loaded.value.clone(),
            |mut value| repair::repair_document(&mut value),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("parse", |b| {
        b.iter(|| parse::parse(black_box(&repaired)).expect("parses"))
    });
    group.bench_function("lower", |b| b.iter(|| lower::lower(black_box(&parsed))));
    group.bench_function("emit", |b| b.iter(|| emitted(black_box(&api), &settings)));
    group.bench_function("format", |b| {
        b.iter_batched(
            || files.clone(),
            |files| {
                files
                    .into_iter()
                    .map(|(path, header, chunks)| {
                        let file = FileTokens {
                            path,
                            header: Box::new(move || header),
                            chunks: Box::new(chunks.into_iter()),
                        };
                        format::format_tokens(file, "nexus.json", "cargo xtask bench")
                            .expect("formats")
                            .len()
                    })
                    .sum::<usize>()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("emit and format, shared among threads", |b| {
        b.iter(|| {
            print::print_files(
                black_box(&api),
                "crate::runtime",
                "nexus.json",
                "cargo xtask bench",
            )
            .expect("prints")
        })
    });
    group.finish();
}

/// A document whose components form one chain of `links` `$ref`s (`A0` → `A1` → … → an
/// object), used by a JSON body and a multipart body: resolving references must stay linear.
fn ref_chain(links: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..links {
        let next = if i + 1 == links {
            "Target".to_string()
        } else {
            format!("A{}", i + 1)
        };
        let reference = format!("#/components/schemas/{next}");
        schemas.insert(format!("A{i}"), serde_json::json!({ "$ref": reference }));
    }
    schemas.insert(
        "Target".to_string(),
        serde_json::json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}),
    );
    let body = |media: &str| {
        serde_json::json!({"requestBody": {"content": {media: {
            "schema": {"$ref": "#/components/schemas/A0"}}}},
            "responses": {"204": {"description": "done"}}})
    };
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "chain", "version": "1"},
        "paths": {"/json": {"post": body("application/json")},
                  "/upload": {"post": body("multipart/form-data")}},
        "components": {"schemas": schemas},
    })
    .to_string()
}

fn chain_stages(c: &mut Criterion) {
    let text = ref_chain(3000);
    let loaded = load::load(&text, Format::Json).expect("the chain loads");
    let mut repaired = loaded.value.clone();
    repair::repair_document(&mut repaired);
    let parsed = parse::parse(&repaired).expect("the chain parses");

    let mut group = c.benchmark_group("ref chain of 3000");
    group.sample_size(10);
    group.bench_function("repair", |b| {
        b.iter_batched(
            || loaded.value.clone(),
            |mut value| repair::repair_document(&mut value),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("lower", |b| b.iter(|| lower::lower(black_box(&parsed))));
    group.finish();
}

criterion_group!(benches, stages, chain_stages);
criterion_main!(benches);
