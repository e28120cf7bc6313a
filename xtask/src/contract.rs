//! `cargo xtask repaired`, `cargo xtask contract` and `cargo xtask test`.
//!
//! The contract test checks the generated clients against the specs they were generated from,
//! with tools that share no code with rampgen:
//!
//! 1. each provider's repaired spec is written to `target/contract/<provider>.json` and checked
//!    by [openapi-spec-validator](https://pypi.org/project/openapi-spec-validator/);
//! 2. [Prism](https://stoplight.io/open-source/prism) mocks each repaired spec on a loopback
//!    port, validating every request it receives (parameters, security) and answering with
//!    responses built from the spec;
//! 3. `tests/contract.rs` (ignored in a plain `cargo test`) calls the generated clients against
//!    those mocks.
//!
//! Both tools are installed on first use into `target/contract-tools/` (npm and a Python
//! virtual environment); Node.js and Python 3 must be on `PATH`. Every wait is bounded and the
//! mock servers are killed on every path out, including failures. Unix only (`venv/bin`).

use std::fs::{self, File};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::process::{self, cargo, CommandError};
use crate::{repaired_spec, XtaskError, PROVIDERS};

/// The Prism release installed: a pinned major version.
pub const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5";
/// The openapi-spec-validator release installed: a pinned minor version (it is still 0.x).
pub const VALIDATOR_PACKAGE: &str = "openapi-spec-validator==0.9.*";

/// Where the tools are installed, relative to the workspace root.
const TOOLS_DIR: &str = "target/contract-tools";
/// Where the repaired specs and the logs are written, relative to the workspace root.
const WORK_DIR: &str = "target/contract";

/// The longest an install (npm or pip) may take.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
/// The longest a short tool run (a version check, a validation) may take.
const TOOL_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest Prism may take to start listening.
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest a `cargo test` run may take, building included.
const CARGO_TEST_TIMEOUT: Duration = Duration::from_secs(3600);
/// How often a running process or a port is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Why a contract run (or one of its steps) failed.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// A program the contract test needs is not installed.
    #[error(
        "`{program}` was not found on PATH; the contract test needs it {needed_for}. \
         Install it and run `cargo xtask contract` again"
    )]
    MissingProgram {
        program: &'static str,
        needed_for: &'static str,
    },
    /// A file or process operation failed: what was being done (naming the file or the
    /// command), and why.
    #[error("{context}: {error}")]
    Io { context: String, error: io::Error },
    /// Reading or repairing a spec failed.
    #[error(transparent)]
    Spec(#[from] XtaskError),
    /// A program could not be started.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// A process did not finish (or a server did not start) in time.
    #[error("{what} did not finish within {after:?}")]
    Timeout { what: String, after: Duration },
    /// A step ran and reported failure.
    #[error("{what} failed: {detail}")]
    Failed { what: String, detail: String },
}

/// Wraps an `io::Error` with what was being done.
fn io_context(context: impl Into<String>) -> impl FnOnce(io::Error) -> ContractError {
    let context = context.into();
    move |error| ContractError::Io { context, error }
}

/// What `cargo xtask repaired <target>` names: the root a spec path is read from, and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecTarget {
    pub root: PathBuf,
    pub spec: String,
}

/// Resolves `target`: a provider's module name (`ripio`) means its spec under the workspace
/// root; anything else is a spec path relative to the current directory.
pub fn resolve_spec_target(target: &str) -> Result<SpecTarget, String> {
    if let Some(provider) = PROVIDERS.iter().find(|p| p.module == target) {
        return Ok(SpecTarget {
            root: crate::workspace_root(),
            spec: provider.spec.to_string(),
        });
    }
    if Path::new(target).is_file() {
        return Ok(SpecTarget {
            root: PathBuf::from("."),
            spec: target.to_string(),
        });
    }
    let names: Vec<&str> = PROVIDERS.iter().map(|p| p.module).collect();
    Err(format!(
        "`{target}` is neither a provider ({}) nor a spec file",
        names.join(", ")
    ))
}

/// `cargo xtask test`: every workspace test, then the contract test. Both must pass.
pub fn test_all(root: &Path) -> Result<(), ContractError> {
    println!("== cargo test --workspace");
    let mut command = cargo();
    command.args(["test", "--workspace"]).current_dir(root);
    expect_success(
        "cargo test --workspace",
        run_bounded(command, "cargo test --workspace", CARGO_TEST_TIMEOUT)?,
    )?;
    println!("== cargo xtask contract");
    contract(root)
}

/// `cargo xtask contract`: install the tools if needed, validate the repaired specs, mock them
/// with Prism and run `tests/contract.rs` against the mocks.
pub fn contract(root: &Path) -> Result<(), ContractError> {
    let started = Instant::now();
    let tools = Tools::ensure(root)?;
    let work = root.join(WORK_DIR);
    fs::create_dir_all(&work).map_err(io_context(format!("creating {}", work.display())))?;
    let specs = write_repaired_specs(root, &work)?;
    validate_specs(&tools, &specs, &work)?;
    let mocks = start_mocks(&tools, &specs, &work)?;
    let outcome = run_contract_tests(root, &mocks);
    let logs = stop_mocks(mocks);
    match &outcome {
        Ok(()) => {
            for (provider, log) in &logs {
                println!("Prism log for {provider}: {}", relative(root, log));
            }
            println!(
                "contract test passed in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Err(_) => logs
            .iter()
            .for_each(|(provider, log)| print_log(provider, log)),
    }
    outcome
}

/// Paths of the installed tools.
#[derive(Debug)]
struct Tools {
    prism: PathBuf,
    validator: PathBuf,
}

impl Tools {
    /// Checks that Node.js and Python are available and installs Prism and the validator under
    /// `target/contract-tools/` unless the pinned versions are already there.
    fn ensure(root: &Path) -> Result<Tools, ContractError> {
        require_program("node", "to run Prism (Node.js 18.20 or later)")?;
        require_program(
            "python3",
            "to run openapi-spec-validator (Python 3.10 or later)",
        )?;
        let dir = root.join(TOOLS_DIR);
        fs::create_dir_all(&dir).map_err(io_context(format!("creating {}", dir.display())))?;
        let tools = Tools {
            prism: ensure_prism(&dir)?,
            validator: ensure_validator(&dir)?,
        };
        let version = tool_output(Command::new(&tools.prism).arg("--version"), "prism")?;
        println!(
            "Prism {} ({})",
            version.trim(),
            relative(root, &tools.prism)
        );
        Ok(tools)
    }
}

/// Fails with [`ContractError::MissingProgram`] unless `program --version` runs (bounded by
/// [`TOOL_TIMEOUT`]).
fn require_program(program: &'static str, needed_for: &'static str) -> Result<(), ContractError> {
    let spawned = process::spawn(
        Command::new(program)
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let child = match spawned {
        Ok(child) => child,
        Err(error) if error.is_not_found() => {
            return Err(ContractError::MissingProgram {
                program,
                needed_for,
            })
        }
        Err(error) => return Err(error.into()),
    };
    let what = format!("`{program} --version`");
    let status = wait_bounded(child, &what, TOOL_TIMEOUT)?;
    if status.success() {
        return Ok(());
    }
    Err(ContractError::Failed {
        what,
        detail: format!("{status}; the contract test needs it {needed_for}"),
    })
}

/// Installs Prism with npm into `dir` unless the stamp says this pin is installed; returns
/// the `prism` executable.
fn ensure_prism(dir: &Path) -> Result<PathBuf, ContractError> {
    let prism = dir.join("node_modules/.bin/prism");
    let stamp = dir.join(".prism-installed");
    if prism.is_file() && is_stamped(&stamp, PRISM_PACKAGE) {
        return Ok(prism);
    }
    require_program("npm", "to install Prism")?;
    println!("installing {PRISM_PACKAGE} into {}", dir.display());
    let mut command = Command::new("npm");
    command
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .arg(PRISM_PACKAGE);
    let what = format!("npm install {PRISM_PACKAGE}");
    expect_success(&what, run_bounded(command, &what, INSTALL_TIMEOUT)?)?;
    stamp_installed(&stamp, PRISM_PACKAGE)?;
    Ok(prism)
}

/// Creates a virtual environment in `dir/venv` and installs openapi-spec-validator into it
/// unless the stamp says this pin is installed; returns the `openapi-spec-validator` script.
fn ensure_validator(dir: &Path) -> Result<PathBuf, ContractError> {
    let venv = dir.join("venv");
    let validator = venv.join("bin/openapi-spec-validator");
    let stamp = venv.join(".validator-installed");
    if validator.is_file() && is_stamped(&stamp, VALIDATOR_PACKAGE) {
        return Ok(validator);
    }
    println!("installing {VALIDATOR_PACKAGE} into {}", venv.display());
    if !venv.join("bin/pip").is_file() {
        let mut command = Command::new("python3");
        command.args(["-m", "venv"]).arg(&venv);
        let what = "python3 -m venv (on Debian/Ubuntu this needs the python3-venv package)";
        expect_success(what, run_bounded(command, what, INSTALL_TIMEOUT)?)?;
    }
    let mut command = Command::new(venv.join("bin/pip"));
    command
        .args(["install", "--disable-pip-version-check", "--quiet"])
        .arg(VALIDATOR_PACKAGE);
    let what = format!("pip install {VALIDATOR_PACKAGE}");
    expect_success(&what, run_bounded(command, &what, INSTALL_TIMEOUT)?)?;
    stamp_installed(&stamp, VALIDATOR_PACKAGE)?;
    Ok(validator)
}

/// Whether `stamp` records an install of exactly `package`.
fn is_stamped(stamp: &Path, package: &str) -> bool {
    fs::read_to_string(stamp).is_ok_and(|text| text.trim() == package)
}

/// Records a finished install of `package`, so that the next run skips it.
fn stamp_installed(stamp: &Path, package: &str) -> Result<(), ContractError> {
    fs::write(stamp, format!("{package}\n"))
        .map_err(io_context(format!("writing {}", stamp.display())))
}

/// A provider's repaired spec, written for the tools.
#[derive(Debug)]
struct RepairedSpec {
    provider: &'static str,
    path: PathBuf,
}

/// Writes `<work>/<provider>.json` for every provider (the repair report is not repeated here;
/// `cargo xtask gen` prints it).
fn write_repaired_specs(root: &Path, work: &Path) -> Result<Vec<RepairedSpec>, ContractError> {
    PROVIDERS
        .iter()
        .map(|provider| {
            let (json, _report) = repaired_spec(root, provider.spec)?;
            let path = work.join(format!("{}.json", provider.module));
            fs::write(&path, json).map_err(io_context(format!("writing {}", path.display())))?;
            println!(
                "wrote the repaired {} ({})",
                relative(root, &path),
                provider.spec
            );
            Ok(RepairedSpec {
                provider: provider.module,
                path,
            })
        })
        .collect()
}

/// Runs openapi-spec-validator on every repaired spec, printing what it says; fails if it
/// rejects any of them (after checking all, so that every complaint is shown).
fn validate_specs(tools: &Tools, specs: &[RepairedSpec], work: &Path) -> Result<(), ContractError> {
    let mut rejected = Vec::new();
    for spec in specs {
        let mut command = Command::new(&tools.validator);
        command.arg(&spec.path);
        let log = work.join(format!("validate-{}.log", spec.provider));
        let what = format!("openapi-spec-validator {}", spec.path.display());
        let status = run_logged(command, &what, &log, TOOL_TIMEOUT)?;
        let said = fs::read_to_string(&log).unwrap_or_default();
        println!(
            "openapi-spec-validator ({}): {}",
            spec.provider,
            said.trim()
        );
        if !status.success() {
            rejected.push(spec.provider);
        }
    }
    if rejected.is_empty() {
        return Ok(());
    }
    Err(ContractError::Failed {
        what: "openapi-spec-validator".to_string(),
        detail: format!(
            "it rejected the repaired spec of {} (see above)",
            rejected.join(", ")
        ),
    })
}

/// A running Prism mock server. Dropping it kills the process.
#[derive(Debug)]
struct MockServer {
    provider: &'static str,
    port: u16,
    log: PathBuf,
    child: Option<Child>,
}

impl MockServer {
    /// Starts `prism mock --errors` for `spec` on a free loopback port, with its output in
    /// `<work>/prism-<provider>.log`. It is not listening yet: see [`Self::wait_until_listening`].
    fn spawn(tools: &Tools, spec: &RepairedSpec, work: &Path) -> Result<MockServer, ContractError> {
        let port = free_port()?;
        let log = work.join(format!("prism-{}.log", spec.provider));
        let mut command = Command::new(&tools.prism);
        command
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .arg(&spec.path)
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0");
        let child = spawn_logged(command, &log)?;
        Ok(MockServer {
            provider: spec.provider,
            port,
            log,
            child: Some(child),
        })
    }

    /// The base URL the server answers at.
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Polls the port until Prism accepts a connection, Prism exits, or the timeout passes.
    fn wait_until_listening(&mut self) -> Result<(), ContractError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + PRISM_START_TIMEOUT;
        let what = format!("Prism for {}", self.provider);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child
                    .try_wait()
                    .map_err(io_context(format!("checking on {what}")))?
                {
                    return Err(ContractError::Failed {
                        what,
                        detail: format!("it exited ({status}) before listening on {address}"),
                    });
                }
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok() {
                return Ok(());
            }
            sleep(POLL_INTERVAL);
        }
        Err(ContractError::Timeout {
            what: format!("{what} (waiting for it to listen on {address})"),
            after: PRISM_START_TIMEOUT,
        })
    }

    /// The environment variable `tests/contract.rs` reads this server's URL from.
    fn env_var(&self) -> String {
        format!("RAMPGEN_PRISM_{}_URL", self.provider.to_ascii_uppercase())
    }

    /// Kills the server (if it is still running) and waits for it to exit.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // An error here means it has already exited; `wait` reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts a mock server per spec and waits until all listen. They are all spawned first, so
/// that they start in parallel; on an error, the ones started are dropped, which kills them.
fn start_mocks(
    tools: &Tools,
    specs: &[RepairedSpec],
    work: &Path,
) -> Result<Vec<MockServer>, ContractError> {
    let mut mocks = specs
        .iter()
        .map(|spec| MockServer::spawn(tools, spec, work))
        .collect::<Result<Vec<_>, _>>()?;
    for mock in &mut mocks {
        if let Err(error) = mock.wait_until_listening() {
            mock.kill();
            print_log(mock.provider, &mock.log);
            return Err(error);
        }
        println!("Prism mocks {} at {}", mock.provider, mock.url());
    }
    Ok(mocks)
}

/// Kills every mock server; returns where their logs are.
fn stop_mocks(mocks: Vec<MockServer>) -> Vec<(&'static str, PathBuf)> {
    mocks
        .into_iter()
        .map(|mut mock| {
            mock.kill();
            (mock.provider, mock.log.clone())
        })
        .collect()
}

/// A loopback port that is free now (the OS picks it; it is released for Prism to bind).
fn free_port() -> Result<u16, ContractError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(io_context("finding a free loopback port"))
}

/// Runs `tests/contract.rs` (its ignored tests) with the mocks' URLs in the environment.
fn run_contract_tests(root: &Path, mocks: &[MockServer]) -> Result<(), ContractError> {
    let mut command = cargo();
    command
        .args(["test", "-p", "rampgen-tests", "--test", "contract"])
        .args(["--", "--ignored", "--test-threads", "1"])
        .current_dir(root);
    for mock in mocks {
        command.env(mock.env_var(), mock.url());
    }
    let what = "cargo test -p rampgen-tests --test contract -- --ignored";
    expect_success(what, run_bounded(command, what, CARGO_TEST_TIMEOUT)?)
}

/// Prints a Prism log (after a failure).
fn print_log(provider: &str, log: &Path) {
    match fs::read_to_string(log) {
        Ok(text) => {
            eprintln!("---- Prism log for {provider} ({}) ----", log.display());
            eprintln!("{}", text.trim_end());
            eprintln!("---- end of Prism log for {provider} ----");
        }
        Err(error) => eprintln!("(could not read {}: {error})", log.display()),
    }
}

/// Runs a command with inherited output; kills it if it runs longer than `timeout`.
fn run_bounded(
    mut command: Command,
    what: &str,
    timeout: Duration,
) -> Result<ExitStatus, ContractError> {
    let child = process::spawn(&mut command)?;
    wait_bounded(child, what, timeout)
}

/// Runs a command with stdout and stderr written to `log`; kills it after `timeout`.
fn run_logged(
    command: Command,
    what: &str,
    log: &Path,
    timeout: Duration,
) -> Result<ExitStatus, ContractError> {
    let child = spawn_logged(command, log)?;
    wait_bounded(child, what, timeout)
}

/// Starts a command with stdout and stderr written (together) to `log`.
fn spawn_logged(mut command: Command, log: &Path) -> Result<Child, ContractError> {
    let file = File::create(log).map_err(io_context(format!("creating {}", log.display())))?;
    let stderr = file
        .try_clone()
        .map_err(io_context(format!("sharing {}", log.display())))?;
    Ok(process::spawn(
        command.stdin(Stdio::null()).stdout(file).stderr(stderr),
    )?)
}

/// Waits for `child`, polling; kills and reaps it if it runs longer than `timeout`.
fn wait_bounded(
    mut child: Child,
    what: &str,
    timeout: Duration,
) -> Result<ExitStatus, ContractError> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child
            .try_wait()
            .map_err(io_context(format!("waiting for {what}")))?
        {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ContractError::Timeout {
                what: what.to_string(),
                after: timeout,
            });
        }
        sleep(POLL_INTERVAL);
    }
}

/// Turns an unsuccessful exit into [`ContractError::Failed`].
fn expect_success(what: &str, status: ExitStatus) -> Result<(), ContractError> {
    if status.success() {
        Ok(())
    } else {
        Err(ContractError::Failed {
            what: what.to_string(),
            detail: status.to_string(),
        })
    }
}

/// Runs a short tool command and returns its stdout (bounded by [`TOOL_TIMEOUT`]). Meant for
/// short output (a version line): stdout is read after the exit, so it must fit in the pipe.
fn tool_output(command: &mut Command, what: &str) -> Result<String, ContractError> {
    let mut child = process::spawn(
        command
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .stdout(Stdio::piped()),
    )?;
    let stdout = child.stdout.take();
    expect_success(what, wait_bounded(child, what, TOOL_TIMEOUT)?)?;
    let mut text = String::new();
    if let Some(mut stdout) = stdout {
        io::Read::read_to_string(&mut stdout, &mut text)
            .map_err(io_context(format!("reading the output of {what}")))?;
    }
    Ok(text)
}

/// `path` relative to `root` when it is inside it, for shorter messages.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
