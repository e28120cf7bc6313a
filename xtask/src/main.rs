//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;

use xtask::changes::changes_since_head;
use xtask::cli::{self, Command};
use xtask::contract::{self, resolve_spec_target};
use xtask::corpus::{render_table, run_corpus_with_defaults};
use xtask::standalone::{write_crate, Manifest};
use xtask::{repaired_spec, run_as, workspace_root, FileStatus, MessageFormat, Mode};

// The generator is allocation-bound; mimalloc makes a whole run a fifth faster than glibc's
// malloc, and its peak on very large documents lower (see README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Ends the process quietly, as other command-line tools do, when what it prints is piped into a
/// reader that stops early (`cargo xtask gen | head`): Rust ignores `SIGPIPE`, and `println!`
/// then panics on the closed pipe.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    xtask::allocator::return_freed_memory_soon();
    quiet_on_closed_pipe();
    let command = match cli::parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(cli::UsageError::NoCommand) => {
            eprintln!("{}", cli::USAGE);
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{}", error.help());
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Gen {
            mode,
            format,
            changes_md,
        } => gen(mode, format, changes_md),
        Command::Import {
            provider,
            pages,
            prefer_new,
        } => import(&provider, &pages, prefer_new),
        Command::Repaired { target, out } => repaired(&target, out.as_deref()),
        Command::Contract => report(contract::contract(&workspace_root())),
        Command::Test => match report(contract::test_all(&workspace_root())) {
            code if code == ExitCode::SUCCESS => {
                println!("== cargo xtask corpus");
                corpus()
            }
            failure => failure,
        },
        Command::Crate { spec, out, name } => standalone_crate(&spec, &out, name.as_deref()),
        Command::Corpus => corpus(),
        Command::Bench(invocation) => report(xtask::bench::run(&workspace_root(), &invocation)),
        Command::Stress { mib } => stress(mib),
        Command::Help(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
    }
}

fn gen(mode: Mode, format: MessageFormat, changes_md: Option<String>) -> ExitCode {
    let root = workspace_root();
    let runs = match run_as(&root, mode, format) {
        Ok(runs) => runs,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = false;
    let mut markdown = String::new();
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
        let unchanged = run.files.iter().all(|(_, s)| *s == FileStatus::Unchanged);
        if unchanged {
            println!("  up to date");
        }
        if !unchanged || changes_md.is_some() {
            let title = format!("{} ({})", run.provider.module, run.provider.spec);
            match changes_since_head(&root, &run.provider) {
                Ok(changes) => {
                    println!("  API changes since HEAD:");
                    for line in changes.text().lines() {
                        println!("    {line}");
                    }
                    markdown.push_str(&changes.markdown(&title));
                }
                Err(why) => {
                    println!("  API changes: {why}");
                    markdown.push_str(&format!("### {title}\n\n{why}\n"));
                }
            }
            markdown.push('\n');
        }
    }
    if let Some(path) = &changes_md {
        if let Err(error) = std::fs::write(path, markdown.trim_end().to_string() + "\n") {
            eprintln!("error: writing {path}: {error}");
            return ExitCode::FAILURE;
        }
        println!("wrote the API change report to {path}");
    }
    if stale {
        eprintln!(
            "error: the generated clients are stale; run `cargo xtask gen` and commit the result"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `cargo xtask import`: pages are read relative to the current folder.
fn import(provider: &str, pages: &[String], prefer_new: bool) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| workspace_root());
    let pages: Vec<std::path::PathBuf> = pages.iter().map(|p| cwd.join(p)).collect();
    match xtask::import::import(&workspace_root(), provider, &pages, prefer_new) {
        Ok(imported) => {
            for line in &imported.lines {
                println!("{line}");
            }
            println!(
                "imported {} page(s); run `cargo xtask gen` to regenerate",
                pages.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask repaired`: the repaired document on stdout or in `out`, the report on stderr.
fn repaired(target: &str, out: Option<&str>) -> ExitCode {
    let target = match resolve_spec_target(target) {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let (json, repairs) = match repaired_spec(&target.root, &target.spec) {
        Ok(repaired) => repaired,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprint!("{repairs}");
    let Some(out) = out else {
        print!("{json}");
        return ExitCode::SUCCESS;
    };
    let written = std::path::Path::new(out)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(out, json));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing {out}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a failed step's error and turns the outcome into an exit code.
fn report<E: std::fmt::Display>(outcome: Result<(), E>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn standalone_crate(spec: &str, out: &str, name: Option<&str>) -> ExitCode {
    let root = workspace_root();
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.clone());
    let spec = cwd.join(spec);
    let spec_shown = spec.to_string_lossy().into_owned();
    match write_crate(
        &root,
        &spec_shown,
        &cwd.join(out),
        name,
        Manifest::Standalone,
    ) {
        Ok(summary) => {
            print!("{}", summary.report);
            println!(
                "wrote crate `{}` to {} ({} operations, {} types, {} lines)",
                summary.name,
                summary.dir.display(),
                summary.operations,
                summary.types,
                summary.lines
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn corpus() -> ExitCode {
    let root = workspace_root();
    match run_corpus_with_defaults(&root) {
        Ok(report) => {
            print!("{}", render_table(&report));
            println!(
                "corpus: {} documents in {:.1} s (cargo check {:.1} s)",
                report.documents.len(),
                report.total_time.as_secs_f64(),
                report.check_time.as_secs_f64()
            );
            if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                for failure in &report.failures {
                    eprintln!("error: {failure}");
                }
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn stress(mib: usize) -> ExitCode {
    let seed = workspace_root().join("tests/corpus/progenitor-nexus.json");
    match xtask::stress::stress(&seed, mib) {
        Ok(report) => {
            let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
            println!(
                "stress: {:.1} MiB input ({} copies of nexus.json): {} operations, {} types, {} generated lines in {:.1} s",
                mib(report.input_bytes as u64),
                report.copies,
                report.operations,
                report.types,
                report.generated_lines,
                report.elapsed.as_secs_f64()
            );
            match report.peak_rss_bytes {
                Some(peak) => println!(
                    "stress: peak RSS {:.0} MiB ({:.1}x the input)",
                    mib(peak),
                    peak as f64 / report.input_bytes as f64
                ),
                None => println!("stress: peak RSS not available on this platform"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
