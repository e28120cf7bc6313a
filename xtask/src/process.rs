//! Running other programs: every cargo the xtask starts is built by [`cargo`], so all of them
//! see the same environment, and every failure to run a program names the command.

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output};

/// A command that could not start, or that ended unsuccessfully.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The program could not be started (not installed, not executable, …).
    #[error("could not run `{command}`: {error}")]
    Start { command: String, error: io::Error },
    /// It ran and ended with `status`; `stderr` is what it wrote there, if captured.
    #[error("`{command}` ended with {status}{}", stderr_suffix(stderr))]
    Failed {
        command: String,
        status: ExitStatus,
        stderr: String,
    },
}

impl CommandError {
    /// Whether the program itself was not found.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CommandError::Start { error, .. } if error.kind() == io::ErrorKind::NotFound)
    }
}

fn stderr_suffix(stderr: &str) -> String {
    match stderr.trim_end() {
        "" => String::new(),
        stderr => format!(":\n{stderr}"),
    }
}

/// A command running the cargo that runs this xtask (`$CARGO`, else the one on `PATH`), so
/// that the same toolchain builds everything.
///
/// The environment is the xtask's, less what `cargo run` (or `cargo test`) set to describe the
/// package it ran — `CARGO_PKG_*`, `CARGO_MANIFEST_*`, `CARGO_CRATE_NAME`, `CARGO_BIN_NAME`,
/// `CARGO_PRIMARY_PACKAGE`: they describe the xtask, not what the child builds, and build
/// scripts that watch them (ring's watches `CARGO_MANIFEST_DIR`) would rerun, and everything
/// above them rebuild, each time a plain `cargo test` and `cargo xtask` alternate. The user's
/// configuration is kept — `CARGO_HOME`, `CARGO_BUILD_*`, `CARGO_PROFILE_*`, `CARGO_TERM_*`,
/// `CARGO_INCREMENTAL`, `RUSTFLAGS` and the like, `RUSTUP_TOOLCHAIN` — so that the children
/// build as the user asked and, with the same flags, share the artifacts already built.
/// `CARGO_TARGET_DIR` is kept too, made absolute: the children run in other folders.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(describes_the_running_package) {
            command.env_remove(name);
        }
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        if let Ok(absolute) = std::path::absolute(Path::new(&dir)) {
            command.env("CARGO_TARGET_DIR", absolute);
        }
    }
    command
}

/// Whether `name` is one of the variables cargo sets for the package it runs.
fn describes_the_running_package(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || matches!(
            name,
            "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
        )
}

/// The command line as a person would type it (arguments with spaces quoted), for messages.
pub fn shown(command: &Command) -> String {
    let quoted = |word: &OsStr| {
        let word = word.to_string_lossy();
        if word.is_empty() || word.contains(char::is_whitespace) {
            format!("'{word}'")
        } else {
            word.into_owned()
        }
    };
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(quoted)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Starts `command` as it is set up (standard streams included).
pub fn spawn(command: &mut Command) -> Result<Child, CommandError> {
    command.spawn().map_err(|error| CommandError::Start {
        command: shown(command),
        error,
    })
}

/// Runs `command` to its end with its output captured. Only failing to start it is an error;
/// the exit status is the caller's to judge.
pub fn output(command: &mut Command) -> Result<Output, CommandError> {
    command.output().map_err(|error| CommandError::Start {
        command: shown(command),
        error,
    })
}

/// [`output`], and an unsuccessful exit is an error too, with what it wrote on stderr.
pub fn checked_output(command: &mut Command) -> Result<Output, CommandError> {
    let output = output(command)?;
    if !output.status.success() {
        return Err(CommandError::Failed {
            command: shown(command),
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_shown_as_typed() {
        let mut command = Command::new("cargo");
        command.args(["check", "--quiet", "a b", ""]);
        assert_eq!(shown(&command), "cargo check --quiet 'a b' ''");
    }

    #[test]
    fn a_missing_program_is_named() {
        let error = output(Command::new("./no-such-program").arg("--version")).unwrap_err();
        assert!(error.is_not_found(), "{error}");
        let message = error.to_string();
        assert!(
            message.starts_with("could not run `./no-such-program --version`: "),
            "{message}"
        );
    }

    #[test]
    fn a_failed_command_is_named_with_its_status_and_stderr() {
        // This test binary refuses an unknown flag, on stderr, with a non-zero exit.
        let mut command = Command::new(std::env::current_exe().unwrap());
        let error = checked_output(command.arg("--no-such-flag")).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(" --no-such-flag` ended with exit status: ")
                && message.contains("--no-such-flag"),
            "{message}"
        );
        assert!(message.contains(":\n"), "stderr shown: {message}");
    }

    #[test]
    fn cargo_drops_what_describes_the_running_package_and_keeps_the_configuration() {
        for name in [
            "CARGO_PKG_NAME",
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_CRATE_NAME",
        ] {
            assert!(describes_the_running_package(name), "{name}");
        }
        for name in [
            "CARGO",
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_INCREMENTAL",
            "CARGO_PROFILE_RELEASE_LTO",
            "CARGO_BUILD_JOBS",
        ] {
            assert!(!describes_the_running_package(name), "{name}");
        }
        // `cargo test` sets CARGO_MANIFEST_DIR for this test: the command removes it.
        let command = cargo();
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        assert!(
            removed.contains(&"CARGO_MANIFEST_DIR".to_string()),
            "{removed:?}"
        );
        assert!(
            !removed.iter().any(|name| name == "CARGO_HOME"),
            "{removed:?}"
        );
    }
}
