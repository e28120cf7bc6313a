//! `--vs-progenitor`: progenitor, built and checked in scratch projects under the bench folder.
//! Each has its own `[workspace]` table, so progenitor never becomes a dependency of this
//! workspace and its lock file never enters ours.

use std::fs;
use std::path::{Path, PathBuf};

use super::{io_error, release_binary, run_step, write_file, BenchError};
use crate::process::cargo;

/// The comparison binary: progenitor as its documentation uses it (tokens, `syn`,
/// `prettyplease`), reading the spec with `serde_json` as `cargo progenitor` does.
const BINARY_MANIFEST: &str = r#"# Written by `cargo xtask bench --vs-progenitor`; rewritten on every run.
[package]
name = "progenitor-bench"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
progenitor = { version = "=0.15.1", default-features = false }
openapiv3 = "2"
serde_json = "1"
prettyplease = "0.2"
syn = { version = "2", features = ["full"] }

# Its own workspace: not a member of rampgen's.
[workspace]
"#;

const BINARY_MAIN: &str = include_str!("progenitor_main.rs.txt");

/// The crate that holds progenitor's output for nexus as its `src/lib.rs`: the dependencies
/// that output needs, as progenitor 0.15.1 documents them. The package name differs from the
/// rampgen crate's (`progenitor-nexus`, after the file), so both can share a target folder.
const OUTPUT_MANIFEST: &str = r#"# Written by `cargo xtask bench --vs-progenitor`; rewritten on every run.
[package]
name = "nexus-by-progenitor"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
doctest = false

[dependencies]
progenitor-client = "=0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "query"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde"] }
uuid = { version = "1", features = ["serde"] }
regress = "0.12"
futures = "0.3"
bytes = "1"
serde_urlencoded = "0.7"
base64 = "0.23"
rand = "0.10"

# Its own workspace: not a member of rampgen's.
[workspace]
"#;

/// Writes the comparison project into `dir` and builds it (release, into `dir/target`);
/// returns the binary. Files are rewritten only when they change, so later runs reuse the build.
pub fn build_binary(dir: &Path) -> Result<PathBuf, BenchError> {
    write_file(&dir.join("Cargo.toml"), BINARY_MANIFEST)?;
    write_file(&dir.join("src/main.rs"), BINARY_MAIN)?;
    let target = dir.join("target");
    run_step(
        cargo()
            .args(["build", "--release", "--quiet"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target),
        &format!(
            "building the progenitor comparison binary in {}",
            dir.display()
        ),
    )?;
    release_binary(
        &target,
        "progenitor-bench",
        "building the progenitor comparison binary",
    )
}

/// Writes the manifest of the crate in `dir` whose `src/lib.rs` is progenitor's output, which
/// the comparison binary writes there.
pub fn write_output_manifest(dir: &Path) -> Result<(), BenchError> {
    write_file(&dir.join("Cargo.toml"), OUTPUT_MANIFEST)?;
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(io_error(&src))
}
