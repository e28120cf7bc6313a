//! Snapshots of the code generated for a few small documents of `tests/corpus`, each chosen
//! for a shape the providers' specs do not have: a plain 3.0 API (petstore), 3.1 with nested
//! enum arrays, path-level parameters and webhooks (tictactoe), recursive schemas through
//! arrays and maps (schema-circular), and a document with no paths at all (webhook-example).
//! The whole corpus is compiled by `cargo xtask corpus`.

use std::path::Path;

use codegen::{generate, Settings, Source};

const DOCUMENTS: &[&str] = &[
    "oai-v3.0-petstore.yaml",
    "oai-v3.1-tictactoe.yaml",
    "readmeio-schema-circular.json",
    "oai-v3.1-webhook-example.json",
];

#[test]
fn small_corpus_documents_match_their_snapshots() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for document in DOCUMENTS {
        let text =
            std::fs::read_to_string(corpus.join(document)).expect("the corpus is in tests/corpus");
        let name = format!("tests/corpus/{document}");
        let settings = Settings {
            command: format!("cargo xtask crate {name}"),
            ..Settings::default()
        };
        let output = generate(
            Source {
                name: &name,
                text: &text,
            },
            None,
            &settings,
        )
        .expect("generates");
        for file in output
            .files
            .iter()
            .filter(|f| ["types.rs", "operations.rs", "webhooks.rs"].contains(&f.path.as_str()))
        {
            insta::assert_snapshot!(format!("{document}__{}", file.path), file.contents);
        }
        insta::assert_snapshot!(format!("{document}__report"), output.report.render());
    }
}
