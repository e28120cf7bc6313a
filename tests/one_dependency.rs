//! A crate using a generated client needs one dependency: the generated crate; and the runtime
//! it is built on is generic.
//!
//! - The runtime's sources (`generated-client/runtime/`) never name a provider.
//! - Generated code reaches `http`, `serde`, `serde_json` and `uuid` only through the runtime
//!   (`runtime::http::…`): no path in a generated file starts at one of those crates.
//! - A scratch crate in `target/one-dependency/` whose only dependency is `generated-client`
//!   builds and runs (`cargo run --offline`): it builds requests, signs one and decodes
//!   responses. It is pinned to this workspace's lock file and profiles and builds in the target
//!   directory this test was built in (cargo holds no lock on it while tests run), so only the
//!   crates whose features differ from the workspace's build compile again. Measured on a busy
//!   2-core machine: under 2 s when nothing changed, about 18 s when the runtime and its TLS
//!   stack compile again.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::{generate, Settings, Source};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use xtask::workspace_root;

/// The crates generated code names, which it must reach through the runtime.
const REEXPORTED: [&str; 4] = ["http", "serde", "serde_json", "uuid"];

/// Every path in `tokens` that starts at one of [`REEXPORTED`] (`http::…`, `use serde::…`),
/// as `crate::next`. A path that reaches it through another (`runtime::http::…`) is fine.
fn crate_rooted_paths(tokens: TokenStream, found: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => crate_rooted_paths(group.stream(), found),
            TokenTree::Ident(ident) if REEXPORTED.contains(&ident.to_string().as_str()) => {
                let is_colon = |at: usize| matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                let starts_a_path = is_colon(i + 1) && is_colon(i + 2);
                let continues_a_path = i >= 2 && is_colon(i - 1) && is_colon(i - 2);
                if starts_a_path && !continues_a_path {
                    let next = trees.get(i + 3).map_or(String::new(), |t| match t {
                        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => "{…}".into(),
                        other => other.to_string(),
                    });
                    found.push(format!("{ident}::{next}"));
                }
            }
            _ => {}
        }
    }
}

fn assert_reaches_crates_through_the_runtime(name: &str, text: &str) {
    let tokens: TokenStream = text
        .parse()
        .unwrap_or_else(|e| panic!("{name} does not lex: {e}"));
    let mut found = Vec::new();
    crate_rooted_paths(tokens, &mut found);
    assert!(
        found.is_empty(),
        "{name} names crates the runtime re-exports without going through it: {found:?}"
    );
    for attribute in text.lines().filter(|l| l.contains("#[serde(crate")) {
        assert!(
            attribute.contains(r#"crate = "runtime::serde""#),
            "{name}: {attribute}"
        );
    }
}

#[test]
fn generated_files_reach_dependencies_only_through_the_runtime() {
    let root = workspace_root();
    let mut checked = 0;
    for provider in ["ripio", "fonbnk"] {
        let dir = root.join("generated-client/src").join(provider);
        for entry in fs::read_dir(&dir).expect("the generated module") {
            let path = entry.expect("an entry").path();
            let text = fs::read_to_string(&path).expect("readable");
            assert_reaches_crates_through_the_runtime(&path.display().to_string(), &text);
            checked += 1;
        }
    }
    // Documents that use what the providers do not: unions, maps of JSON values, aliases.
    for document in [
        "oai-v3.0-petstore.yaml",
        "oai-v3.1-tictactoe.yaml",
        "readmeio-schema-circular.json",
        "oai-v3.1-webhook-example.json",
    ] {
        let text = fs::read_to_string(root.join("tests/corpus").join(document)).expect("corpus");
        let output = generate(
            Source {
                name: document,
                text: &text,
            },
            None,
            &Settings::default(),
        )
        .unwrap_or_else(|f| panic!("{document}: {}", f.report.render()));
        for file in &output.files {
            let name = format!("{document}: {}", file.path);
            assert_reaches_crates_through_the_runtime(&name, &file.contents);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files_under(&path, files);
        } else {
            files.push(path);
        }
    }
}

#[test]
fn the_runtime_names_no_provider() {
    let mut files = Vec::new();
    files_under(
        &workspace_root().join("generated-client/runtime"),
        &mut files,
    );
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let text = fs::read_to_string(&path).expect("readable").to_lowercase();
        for provider in xtask::PROVIDERS {
            assert!(
                !text.contains(provider.module),
                "{} names the provider {}: its choices belong in the spec or overlay, as data",
                path.display(),
                provider.module
            );
        }
    }
}

#[test]
fn the_scanner_finds_crate_rooted_paths() {
    let mut found = Vec::new();
    let text = "use serde::{Deserialize}; fn f(_: http::Method, _: runtime::http::Method, \
                _: Vec<uuid::Uuid>) -> serde_json::Value { my_http::x() }";
    crate_rooted_paths(text.parse().unwrap(), &mut found);
    assert_eq!(
        found,
        [
            "serde::{…}",
            "http::Method",
            "uuid::Uuid",
            "serde_json::Value"
        ]
    );
}

const MAIN: &str = r##"//! Written by tests/one_dependency.rs: a crate whose one dependency is generated-client.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use generated_client::runtime::{self, http::StatusCode, Auth, Operation};
use generated_client::{fonbnk, ripio};

/// A future that is ready at once (signing is), without an async runtime.
fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("not ready"),
    }
}

fn main() {
    let check = ripio::operations::CheckKycAndSendOtp {
        customer_id: "8142b065-79c4-4f48-9e33-11b17bc658d4".parse().expect("a uuid"),
    };
    let request = check.to_request("https://ripio.test").expect("builds");
    println!("request: {} {}", request.method(), request.uri());
    let sent = ripio::operations::CheckKycAndSendOtp::decode_response(
        StatusCode::OK,
        br#"{"detail": "OTP sent"}"#,
    )
    .expect("decodes");
    println!("decoded: {}", sent.detail);

    let signer = fonbnk::signer("client-1", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .expect("a valid secret");
    let mut request = fonbnk::operations::GetKycState {
        email: Some("user@example.com".to_owned()),
        ..Default::default()
    }
    .to_request("https://fonbnk.test")
    .expect("builds");
    ready(signer.authorize(&mut request)).expect("signs");
    println!("signed: {}", request.headers().contains_key("x-signature"));

    let state: fonbnk::types::KycStateResponse =
        runtime::serde_json::from_str(r#"{"passedKyc": true, "kycStatus": "approved"}"#)
            .expect("decodes");
    println!("state: {:?} {:?}", state.passed_kyc, state.kyc_status.map(|s| s.to_string()));
    let _credentials = ripio::client_credentials("https://ripio.test", "id", "secret");
}
"##;

/// The target directory this test was built in (`<target>/debug/deps/one_dependency-…`).
fn target_dir(root: &Path) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| root.join("target"))
}

/// The root manifest's `[profile…]` sections, so that shared dependencies build the same way.
fn profiles(root_manifest: &str) -> &str {
    root_manifest
        .find("\n[profile")
        .map_or("", |at| &root_manifest[at..])
}

#[test]
fn a_crate_depending_on_the_generated_crate_alone_builds_and_calls_operations() {
    let root = workspace_root();
    let scratch = root.join("target/one-dependency");
    fs::create_dir_all(scratch.join("src")).expect("scratch dir");
    let root_manifest = fs::read_to_string(root.join("Cargo.toml")).expect("root manifest");
    let client = root.join("generated-client");
    let manifest = format!(
        "# Written by tests/one_dependency.rs.\n[package]\nname = \"one-dependency\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ngenerated-client = {{ path = \"{}\" }}\n\n[workspace]\n{}",
        client.display().to_string().replace('\\', "/"),
        profiles(&root_manifest)
    );
    fs::write(scratch.join("Cargo.toml"), manifest).expect("write manifest");
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("copy lock");
    fs::write(scratch.join("src/main.rs"), MAIN).expect("write main");

    // The project's one way to run cargo from a test or the xtask: without what cargo set for
    // this test (CARGO_MANIFEST_DIR, CARGO_PKG_NAME, … — ring's build script watches them and
    // would rebuild on every run), with the user's configuration kept; then this test's target
    // folder, so that the dependencies already built are reused.
    let mut command = xtask::process::cargo();
    command
        .args(["run", "--offline", "--quiet"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", target_dir(&root))
        .env_remove("RUSTFLAGS");
    let started = Instant::now();
    let output = command.output().expect("cargo runs");
    println!(
        "built and ran the one-dependency crate in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the one-dependency crate failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "request: POST https://ripio.test/api/v1/customers/8142b065-79c4-4f48-9e33-11b17bc658d4/checkKyc/",
            "decoded: OTP sent",
            "signed: true",
            "state: Some(true) Some(\"approved\")",
        ]
    );
}
