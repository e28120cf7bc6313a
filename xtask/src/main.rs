//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;

use xtask::{run, workspace_root, FileStatus, Mode};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen            regenerate generated-client/src/<provider>/ from specs/
  gen --check    fail (with a diff) if the checked-in code is stale
  help           show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["gen"] => gen(Mode::Write),
        ["gen", "--check"] => gen(Mode::Check),
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn gen(mode: Mode) -> ExitCode {
    let root = workspace_root();
    let runs = match run(&root, mode) {
        Ok(runs) => runs,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = false;
    for run in &runs {
        println!("{} ({})", run.provider.module, run.provider.spec);
        for line in run.report.lines() {
            println!("  {line}");
        }
        for (path, status) in &run.files {
            match status {
                FileStatus::Unchanged => {}
                FileStatus::Written => println!("  wrote {}", path.display()),
                FileStatus::Removed => println!("  removed {}", path.display()),
                FileStatus::Stale { diff } => {
                    stale = true;
                    println!("  stale {}\n{diff}", path.display());
                }
                FileStatus::Orphan => {
                    stale = true;
                    println!("  orphan {} (no longer generated)", path.display());
                }
            }
        }
        if run.files.iter().all(|(_, s)| *s == FileStatus::Unchanged) {
            println!("  up to date");
        }
    }
    if stale {
        eprintln!(
            "error: the generated clients are stale; run `cargo xtask gen` and commit the result"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
