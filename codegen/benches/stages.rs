//! One benchmark per pipeline stage on the corpus's nexus.json (437 KB, 193 operations), so a
//! regression shows up in the stage that caused it: `cargo bench -p rampgen-codegen`.
//!
//! Each stage is measured on the previous stage's output, prepared once outside the timing.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use proc_macro2::TokenStream;

use codegen::emit::{self, EmitSettings, FileTokens, Share};
use codegen::load::{self, Format};
use codegen::{format, lower, parse, print, repair};

fn nexus_text() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/progenitor-nexus.json");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the stage benchmarks read {}: {e}", path.display()))
}

/// An emitted file with its chunks already produced, so `format` is timed alone.
type Emitted = (&'static str, TokenStream, Vec<(usize, TokenStream)>);

fn emitted(api: &codegen::ir::Api, settings: &EmitSettings) -> Vec<Emitted> {
    emit::emit(api, settings, Share::ALL)
        .into_iter()
        .map(|file| (file.path, file.header, file.chunks.collect()))
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
                    .map(|(path, header, tokens)| {
                        let file = FileTokens {
                            path,
                            header,
                            chunks: Box::new(tokens.into_iter()),
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

criterion_group!(benches, stages);
criterion_main!(benches);
