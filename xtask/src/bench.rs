//! `cargo xtask bench`: how fast and how lean generation is, measured as users meet it — the
//! release binary, one whole process per document — and held against the project's targets,
//! optionally next to progenitor built and run on the same machine in the same run.
//!
//! The bench builds the release `xtask` and runs it as the hidden `xtask bench-one <SPEC> --out
//! <DIR>` for every timed run; that child generates the crate as `cargo xtask crate` does and
//! ends with a [`ResultLine`] (its peak resident set and the lines it wrote), while the parent
//! times it from spawn to exit. With `--vs-progenitor`, a comparison binary is built in a
//! scratch project under the target folder (its own workspace, so progenitor never becomes a
//! dependency of this one) and prints the same line.

mod generated;
mod measure;
mod progenitor;
mod report;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

pub use measure::{Measurement, ResultLine, Sample, Timing};
pub use report::{CheckResult, DocumentResult, Report, Scaling, ScalingStep, Target, Verdict};

use crate::process::{cargo, checked_output, CommandError};
use crate::standalone::{write_crate, Manifest};
use crate::stress::{peak_rss, replicate};
use crate::{ensure_file_contents, overlay_path, Mode, XtaskError};

/// The documents timed: a short name (the targets use it) and the path from the workspace root.
const DOCUMENTS: [(&str, &str); 5] = [
    ("ripio", "specs/ripio.yaml"),
    ("fonbnk", "specs/fonbnk.json"),
    ("nexus", NEXUS),
    ("discord", "tests/corpus/discord-openapi.json"),
    ("openai", OPENAI),
];

const NEXUS: &str = "tests/corpus/progenitor-nexus.json";
const OPENAI: &str = "tests/corpus/openai-openapi.yaml";

/// The document replicated for the scaling series (the largest), and the one used instead if
/// its replication does not generate.
const SCALING_SEEDS: [&str; 2] = [OPENAI, "tests/corpus/discord-openapi.json"];
const SCALING_COPIES: [usize; 3] = [1, 2, 4];

/// A `bench` or `bench-one` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// `bench [--runs N] [--vs-progenitor] [--no-check]`.
    Bench(Options),
    /// `bench-one <SPEC> --out <DIR>`, hidden: one timed generation, run by `bench`.
    One { spec: String, out: String },
}

/// What `cargo xtask bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Timed runs of everything (after one untimed run).
    pub runs: usize,
    /// Also build and time progenitor on nexus, and `cargo check` its output.
    pub vs_progenitor: bool,
    /// Time `cargo check` of the nexus crate and of generated-client (`--no-check` skips it,
    /// for a quick smoke test).
    pub check: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runs: 5,
            vs_progenitor: false,
            check: true,
        }
    }
}

/// Errors that stop a bench. A missed target is not one: it is reported.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Reading, writing or generating in this process.
    #[error(transparent)]
    Xtask(#[from] XtaskError),
    /// A step failed: what it was, and why (a tool's exit status and output, for instance).
    #[error("{step} failed: {}", why.trim_end())]
    Step { step: String, why: String },
    /// A step's command could not run or failed.
    #[error("{step} failed: {error}")]
    Command { step: String, error: CommandError },
}

/// Runs a parsed command: the whole bench with its report on stdout, or one timed generation.
pub fn run(root: &Path, invocation: &Invocation) -> Result<(), BenchError> {
    match invocation {
        Invocation::One { spec, out } => {
            println!("{}", generate_one(root, spec, out)?);
        }
        Invocation::Bench(options) => {
            let report = bench(root, options)?;
            print!("\n{}", report.render());
        }
    }
    Ok(())
}

/// `bench-one`: generates the crate for `spec` into `out` exactly as `cargo xtask crate` does
/// (both relative to the current folder) and returns the line the bench reads.
pub fn generate_one(root: &Path, spec: &str, out: &str) -> Result<ResultLine, BenchError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let spec = cwd.join(spec).to_string_lossy().into_owned();
    let summary = write_crate(root, &spec, &cwd.join(out), None, Manifest::Standalone)?;
    Ok(ResultLine {
        peak_rss: peak_rss(),
        lines: summary.lines,
    })
}

/// Measures everything `options` asks for, printing progress; scratch files go to
/// `<target>/bench/`.
pub fn bench(root: &Path, options: &Options) -> Result<Report, BenchError> {
    if options.runs == 0 {
        return Err(no_runs());
    }
    let target = target_dir()?.unwrap_or_else(|| root.join("target"));
    let scratch = target.join("bench");
    println!("building the release xtask…");
    let xtask = build_release_xtask(root, &target)?;
    let progenitor = if options.vs_progenitor {
        let dir = scratch.join("progenitor");
        println!(
            "building the progenitor comparison binary in {} (the first build takes about 1.5 min)…",
            dir.display()
        );
        Some(progenitor::build_binary(&dir)?)
    } else {
        None
    };
    let (documents, progenitor_nexus) =
        time_documents(root, &xtask, progenitor.as_deref(), &scratch, options.runs)?;
    let scaling = time_scaling(root, &xtask, &scratch, options.runs)?;
    let check = if options.check {
        Some(time_checks(root, &scratch, options)?)
    } else {
        None
    };
    Ok(Report {
        runs: options.runs,
        documents,
        progenitor_nexus,
        scaling,
        check,
    })
}

/// rampgen on every document and on the [`generated`] ones, and progenitor on nexus when
/// `progenitor` is its binary.
fn time_documents(
    root: &Path,
    xtask: &Path,
    progenitor: Option<&Path>,
    scratch: &Path,
    runs: usize,
) -> Result<(Vec<DocumentResult>, Option<Measurement>), BenchError> {
    let mut jobs = Vec::new();
    // (name, shown, input bytes) of each job's document, in job order.
    let mut inputs: Vec<(&'static str, String, u64)> = Vec::new();
    for (name, path) in DOCUMENTS {
        let spec = root.join(path);
        inputs.push((name, shown(root, path), file_size(&spec)?));
        let out = rampgen_crate(scratch, name);
        jobs.push(Job::rampgen(xtask, &spec, &out, shown(root, path)));
    }
    for document in generated::documents() {
        let spec = scratch.join(format!("generated/{}.json", document.name));
        write_file(&spec, &document.text)?;
        inputs.push((
            document.name,
            document.shown.clone(),
            document.text.len() as u64,
        ));
        let out = rampgen_crate(scratch, document.name);
        jobs.push(Job::rampgen(xtask, &spec, &out, document.shown));
    }
    if let Some(binary) = progenitor {
        let dir = progenitor_crate(scratch);
        progenitor::write_output_manifest(&dir)?;
        let label = format!("{} with progenitor", shown(root, NEXUS));
        jobs.push(Job::progenitor(
            binary,
            &root.join(NEXUS),
            &dir.join("src/lib.rs"),
            label,
        ));
    }
    println!(
        "timing generation: {} jobs, 1 untimed + {runs} timed runs each…",
        jobs.len()
    );
    let mut measured = measure(&jobs, runs)?;
    let progenitor_nexus = match progenitor {
        Some(_) => measured.pop(),
        None => None,
    };
    let documents = inputs
        .into_iter()
        .zip(measured)
        .map(|((name, shown, input_bytes), measured)| DocumentResult {
            name,
            shown,
            input_bytes,
            measured,
        })
        .collect();
    Ok((documents, progenitor_nexus))
}

/// The scaling series on the first seed, or on the second if the first does not generate.
fn time_scaling(
    root: &Path,
    xtask: &Path,
    scratch: &Path,
    runs: usize,
) -> Result<Scaling, BenchError> {
    let [seed, fallback] = SCALING_SEEDS;
    let error = match scaling_series(root, xtask, scratch, seed, runs) {
        Ok(steps) => {
            return Ok(Scaling {
                seed: shown(root, seed),
                note: None,
                steps,
            })
        }
        Err(error) => error.to_string(),
    };
    println!(
        "note: {} replicated did not generate, trying {}: {error}",
        shown(root, seed),
        shown(root, fallback)
    );
    let first_line = error.lines().next().unwrap_or_default();
    Ok(Scaling {
        seed: shown(root, fallback),
        note: Some(format!(
            "{} replicated did not generate ({first_line}), so {} is the seed",
            shown(root, seed),
            shown(root, fallback)
        )),
        steps: scaling_series(root, xtask, scratch, fallback, runs)?,
    })
}

/// Writes `seed` replicated 1×, 2×, 4× as JSON into `scratch/scaling/` and times rampgen on them.
fn scaling_series(
    root: &Path,
    xtask: &Path,
    scratch: &Path,
    seed: &str,
    runs: usize,
) -> Result<Vec<ScalingStep>, BenchError> {
    let value = load_value(&root.join(seed))?;
    let stem = Path::new(seed)
        .file_stem()
        .map_or("seed".into(), |s| s.to_string_lossy());
    let mut jobs = Vec::new();
    let mut inputs = Vec::new();
    for copies in SCALING_COPIES {
        let text = replicate(&value, copies);
        let file = scratch.join(format!("scaling/{stem}-{copies}x.json"));
        write_file(&file, &text)?;
        inputs.push(text.len() as u64);
        let out = rampgen_crate(scratch, &format!("{stem}-{copies}x"));
        let label = format!("{} replicated {copies}×", shown(root, seed));
        jobs.push(Job::rampgen(xtask, &file, &out, label));
    }
    println!(
        "timing generation on {} replicated {:?} times, 1 untimed + {runs} timed runs each…",
        shown(root, seed),
        SCALING_COPIES
    );
    let measured = measure(&jobs, runs)?;
    Ok(SCALING_COPIES
        .into_iter()
        .zip(inputs)
        .zip(measured)
        .map(|((copies, input_bytes), measured)| ScalingStep {
            copies,
            input_bytes,
            measured,
        })
        .collect())
}

/// `cargo check` of the crates the document runs generated from nexus (rampgen's and, with
/// `--vs-progenitor`, progenitor's) and of the workspace's `generated-client`. All share one
/// target folder kept across benches, so their dependencies are built once (on the untimed
/// first run) and stay built; every run then rebuilds only the crate itself, without
/// incremental reuse, which an unchanged file would turn into a no-op.
fn time_checks(root: &Path, scratch: &Path, options: &Options) -> Result<CheckResult, BenchError> {
    let target = scratch.join("check-target");
    let ours = rampgen_crate(scratch, "nexus");
    // Pinned to the versions the project is tested with, as `cargo xtask corpus` does.
    let lock = root.join("Cargo.lock");
    let lock_text = fs::read_to_string(&lock).map_err(io_error(&lock))?;
    write_file(&ours.join("Cargo.lock"), &lock_text)?;
    let mut crates = vec![CheckJob {
        what: "the nexus crate rampgen generated".to_string(),
        dir: ours,
        package: None,
    }];
    if options.vs_progenitor {
        crates.push(CheckJob {
            what: "the nexus crate progenitor generated".to_string(),
            dir: progenitor_crate(scratch),
            package: None,
        });
    }
    crates.push(CheckJob {
        what: "generated-client".to_string(),
        dir: root.to_path_buf(),
        package: Some("generated-client"),
    });
    println!(
        "timing cargo check of the nexus crates and generated-client: 1 untimed run (it builds the dependencies the first time) + {} timed runs each…",
        options.runs
    );
    let times = rounds(&crates, options.runs, |job| job.check_once(&target))?;
    let mut timings: Vec<Timing> = times.iter().filter_map(|times| Timing::of(times)).collect();
    let generated_client = timings.pop().ok_or_else(no_runs)?;
    match timings[..] {
        [rampgen] => Ok(CheckResult {
            rampgen,
            progenitor: None,
            generated_client,
        }),
        [rampgen, progenitor] => Ok(CheckResult {
            rampgen,
            progenitor: Some(progenitor),
            generated_client,
        }),
        _ => Err(no_runs()),
    }
}

/// One crate whose `cargo check` is timed.
struct CheckJob {
    /// What is checked, for errors.
    what: String,
    /// The folder cargo runs in.
    dir: PathBuf,
    /// The workspace package to check (`-p`), or `None` for the crate in `dir`.
    package: Option<&'static str>,
}

impl CheckJob {
    /// One `cargo check`, after marking the crate's root file as changed.
    fn check_once(&self, target: &Path) -> Result<Duration, BenchError> {
        let crate_dir = match self.package {
            Some(package) => self.dir.join(package),
            None => self.dir.clone(),
        };
        touch(&crate_dir.join("src/lib.rs"))?;
        let mut command = cargo();
        command.args(["check", "--quiet"]);
        if let Some(package) = self.package {
            command.args(["-p", package]);
        }
        let (wall, _) = run_step(
            command
                .current_dir(&self.dir)
                .env("CARGO_TARGET_DIR", target)
                .env("CARGO_INCREMENTAL", "0"),
            &format!("cargo check of {} ({})", self.what, self.dir.display()),
        )?;
        Ok(wall)
    }
}

/// Where `bench-one` writes the crate for the document named `name`.
fn rampgen_crate(scratch: &Path, name: &str) -> PathBuf {
    scratch.join(format!("{name}-crate"))
}

/// Where the progenitor comparison binary writes its client for nexus, as a crate.
fn progenitor_crate(scratch: &Path) -> PathBuf {
    scratch.join("progenitor-nexus")
}

/// A generator process timed on one document.
struct Job {
    /// What is generated from what, for errors.
    label: String,
    program: PathBuf,
    args: Vec<OsString>,
}

impl Job {
    /// `xtask bench-one <spec> --out <out>`.
    fn rampgen(xtask: &Path, spec: &Path, out: &Path, document: String) -> Self {
        Self {
            label: format!("{document} with rampgen"),
            program: xtask.to_path_buf(),
            args: vec!["bench-one".into(), spec.into(), "--out".into(), out.into()],
        }
    }

    /// `progenitor-bench <spec> <out.rs>`.
    fn progenitor(binary: &Path, spec: &Path, out: &Path, label: String) -> Self {
        Self {
            label,
            program: binary.to_path_buf(),
            args: vec![spec.into(), out.into()],
        }
    }

    /// Runs the generator once, timed from spawn to exit.
    fn sample(&self) -> Result<Sample, BenchError> {
        let step = format!("generating {}", self.label);
        let cpu_before = measure::children_cpu();
        let (wall, output) = run_step(Command::new(&self.program).args(&self.args), &step)?;
        let cpu = measure::children_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        let stdout = String::from_utf8_lossy(&output.stdout);
        match ResultLine::find(&stdout) {
            Some(result) => Ok(Sample { wall, cpu, result }),
            None => Err(BenchError::Step {
                step,
                why: format!("it printed no result line; its output:\n{stdout}"),
            }),
        }
    }
}

/// Every job over [`rounds`], summarised.
fn measure(jobs: &[Job], runs: usize) -> Result<Vec<Measurement>, BenchError> {
    let samples = rounds(jobs, runs, Job::sample)?;
    samples
        .iter()
        .map(|samples| Measurement::of(samples).ok_or_else(no_runs))
        .collect()
}

/// One untimed run of each job — it fills the caches and fails early on a job that cannot
/// run — then `runs` rounds of one run of each, so that a slow spell of the machine (other
/// builds share it) weighs on all jobs alike rather than on whichever ran during it.
fn rounds<J, T>(
    jobs: &[J],
    runs: usize,
    mut once: impl FnMut(&J) -> Result<T, BenchError>,
) -> Result<Vec<Vec<T>>, BenchError> {
    for job in jobs {
        once(job)?;
    }
    let mut samples: Vec<Vec<T>> = jobs.iter().map(|_| Vec::with_capacity(runs)).collect();
    for _ in 0..runs {
        for (job, samples) in jobs.iter().zip(&mut samples) {
            samples.push(once(job)?);
        }
    }
    Ok(samples)
}

fn no_runs() -> BenchError {
    BenchError::Step {
        step: "benchmarking".to_string(),
        why: "--runs must be at least 1".to_string(),
    }
}

/// `$CARGO_TARGET_DIR` made absolute (cargo reads a relative one from the current folder, and
/// the cargo this bench starts runs elsewhere), or `None` when it is not set.
fn target_dir() -> Result<Option<PathBuf>, BenchError> {
    let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) else {
        return Ok(None);
    };
    let absolute = std::path::absolute(&dir).map_err(io_error(Path::new(&dir)))?;
    Ok(Some(absolute))
}

/// Builds this crate in release mode into `target` and returns the binary: the bench times
/// what users run, not the debug build `cargo xtask` itself is.
fn build_release_xtask(root: &Path, target: &Path) -> Result<PathBuf, BenchError> {
    run_step(
        cargo()
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(root)
            .env("CARGO_TARGET_DIR", target),
        "building the release xtask (cargo build --release -p xtask)",
    )?;
    release_binary(target, "xtask", "building the release xtask")
}

/// The release binary `name` that `step` built into `target`; an error if cargo said it built
/// it but it is not there.
fn release_binary(target: &Path, name: &str, step: &str) -> Result<PathBuf, BenchError> {
    let binary = target
        .join("release")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(BenchError::Step {
            step: step.to_string(),
            why: format!("cargo succeeded but {} is not there", binary.display()),
        });
    }
    Ok(binary)
}

/// Runs `command` to its end with its output captured, timing it from spawn to exit. Failing
/// to start it and a non-zero exit are errors naming `step` and the command, with what it
/// wrote on stderr.
fn run_step(command: &mut Command, step: &str) -> Result<(Duration, Output), BenchError> {
    let started = Instant::now();
    let output = checked_output(command);
    let wall = started.elapsed();
    let output = output.map_err(|error| BenchError::Command {
        step: step.to_string(),
        error,
    })?;
    Ok((wall, output))
}

/// A document's path as shown: the corpus's from `corpus/`, and a spec's with a note when an
/// overlay beside it takes part.
fn shown(root: &Path, path: &str) -> String {
    let short = path.strip_prefix("tests/").unwrap_or(path);
    if root.join(overlay_path(path)).is_file() {
        format!("{short} (+ overlay)")
    } else {
        short.to_string()
    }
}

/// A YAML or JSON document as a JSON value.
fn load_value(path: &Path) -> Result<Value, BenchError> {
    let text = fs::read_to_string(path).map_err(io_error(path))?;
    let name = path.to_string_lossy();
    let format = codegen::load::Format::detect(&name, &text);
    codegen::load::load(&text, format)
        .map(|document| document.value)
        .map_err(|diagnostic| BenchError::Step {
            step: format!("reading {}", path.display()),
            why: format!("{}: {}", diagnostic.pointer, diagnostic.message),
        })
}

fn file_size(path: &Path) -> Result<u64, BenchError> {
    Ok(fs::metadata(path).map_err(io_error(path))?.len())
}

/// Writes `contents` to `path` unless it already holds them, so that cargo sees no change.
fn write_file(path: &Path, contents: &str) -> Result<(), BenchError> {
    ensure_file_contents(path, contents, Mode::Write)?;
    Ok(())
}

/// Marks `file` as changed for cargo: a new modification time, the same contents.
fn touch(file: &Path) -> Result<(), BenchError> {
    fs::File::options()
        .write(true)
        .open(file)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(io_error(file))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BenchError + '_ {
    move |error| {
        BenchError::Xtask(XtaskError::Io {
            path: path.to_path_buf(),
            error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_interleave_the_jobs_after_one_untimed_run_each() {
        let mut order = Vec::new();
        let samples = rounds(&["a", "b"], 2, |job| {
            order.push(*job);
            Ok(order.len())
        });
        assert_eq!(order, ["a", "b", "a", "b", "a", "b"]);
        assert_eq!(samples.ok(), Some(vec![vec![3, 5], vec![4, 6]]));
    }

    #[test]
    fn failed_steps_are_named_with_the_reason() {
        let missing = run_step(&mut Command::new("./no-such-program"), "running nothing");
        let message = missing.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("running nothing failed: could not run `./no-such-program`: "),
            "{message}"
        );
        // This test binary refuses an unknown flag with a non-zero exit.
        let mut refused = Command::new(std::env::current_exe().unwrap());
        let failed = run_step(refused.arg("--no-such-flag"), "asking politely");
        let message = failed.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("asking politely failed: `")
                && message.contains(" --no-such-flag` ended with exit status"),
            "{message}"
        );
    }

    #[test]
    fn documents_are_shown_from_the_corpus_folder() {
        let root = crate::workspace_root();
        assert_eq!(shown(&root, NEXUS), "corpus/progenitor-nexus.json");
        assert_eq!(
            shown(&root, "specs/ripio.yaml"),
            "specs/ripio.yaml (+ overlay)"
        );
        assert_eq!(
            shown(&root, "specs/fonbnk.json"),
            "specs/fonbnk.json (+ overlay)"
        );
    }
}
