//! The command line of `cargo xtask`: [`parse`] turns the arguments into a [`Command`], with
//! [`lexopt`] reading flags and values (`--out DIR` or `--out=DIR`, in any order). The help
//! text is [`USAGE`]; `cargo xtask <command> --help` shows that command's part of it.

use std::ffi::OsString;

use lexopt::prelude::*;
use lexopt::Parser;

use crate::bench::{Invocation, Options};
use crate::{MessageFormat, Mode};

/// What `cargo xtask`, `cargo xtask help` and `cargo xtask --help` print. Each command's entry
/// starts at two spaces and its other lines are indented further: [`command_help`] relies on it.
pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen            regenerate generated-client/src/<provider>/ from specs/
  gen --check    fail (with a diff) if the checked-in code is stale
  gen [--check] --message-format json
                 print repairs, warnings and errors as JSON lines (for tools)
  gen [--check] --changes-md FILE
                 also write the API change report (since HEAD) as Markdown to FILE
  import <provider> <PAGE>... [--prefer-new]
                 merge the OpenAPI document embedded in each documentation page into
                 specs/<provider>.yaml|json, keeping the pages in specs/sources/<provider>/;
                 (the pages of one call are one change: a component is in conflict only where
                 two pages standing for the spec afterwards define it differently, and every
                 conflict is reported); --prefer-new: where the pages imported now agree, their
                 definition replaces the kept pages' (never chooses between imported pages)
  repaired <provider|spec> [--out FILE]
                 write the repaired spec (OpenAPI 3.0.3) as JSON to FILE or stdout
  contract       validate the repaired specs and test the clients against Prism mocks
                 (installs the tools into target/contract-tools/ on first use)
  crate <SPEC> --out <DIR> [--name <crate-name>]
                 write a standalone crate generated from any OpenAPI 3.0/3.1 document
  stress [--mib N]
                 generate from a synthetic N MiB document (default 50); print time and peak RSS
  corpus         generate every document of tests/corpus and `cargo check` them all
  bench [--runs N] [--vs-progenitor] [--no-check]
                 time generation (release build, median of N runs, default 5) of the provider
                 specs, of nexus, discord and openai from the corpus and of two generated
                 documents (a 3,000-link $ref chain, 20,000 operations), with CPU time, peak
                 RSS and lines, its scaling on a replicated document, and `cargo check` of the
                 nexus crate and of generated-client, against the targets;
                 --vs-progenitor: also progenitor's, built in target/bench/progenitor/;
                 --no-check: skip the `cargo check` part
  test           cargo test --workspace, the contract test, then the corpus check
  help           show this text";

/// The help of the hidden `bench-one`, which `bench` runs for every timed generation.
const BENCH_ONE_USAGE: &str = "  bench-one <SPEC> --out <DIR>
                 generate the crate for SPEC into DIR as `crate` does and print the line
                 `cargo xtask bench` reads (run by the bench, not by hand)";

/// The default size of `cargo xtask stress`, in MiB.
const DEFAULT_STRESS_MIB: usize = 50;

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `gen [--check] [--message-format human|json] [--changes-md FILE]`.
    Gen {
        mode: Mode,
        format: MessageFormat,
        changes_md: Option<String>,
    },
    /// `import <provider> <PAGE>... [--prefer-new]`.
    Import {
        provider: String,
        pages: Vec<String>,
        prefer_new: bool,
    },
    /// `repaired <provider|spec> [--out FILE]`.
    Repaired { target: String, out: Option<String> },
    /// `contract`.
    Contract,
    /// `test`.
    Test,
    /// `crate <SPEC> --out <DIR> [--name <crate-name>]`.
    Crate {
        spec: String,
        out: String,
        name: Option<String>,
    },
    /// `corpus`.
    Corpus,
    /// `stress [--mib N]`.
    Stress { mib: usize },
    /// `bench [--runs N] [--vs-progenitor] [--no-check]` and the hidden `bench-one`.
    Bench(Invocation),
    /// `help [command]`, `--help`, `<command> --help`: the text to print.
    Help(String),
}

/// A command line that does not parse.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("no command given")]
    NoCommand,
    #[error("unknown command `{0}`")]
    UnknownCommand(String),
    /// Something before the command, such as an unknown flag.
    #[error("{0}")]
    BeforeCommand(lexopt::Error),
    /// The command's arguments: an unknown flag, a missing or bad value, a missing argument.
    #[error("cargo xtask {command}: {error}")]
    Invalid {
        command: &'static str,
        error: lexopt::Error,
    },
}

impl UsageError {
    /// The help to show after the error: the command's, or the whole text.
    pub fn help(&self) -> String {
        match self {
            UsageError::Invalid { command, .. } => command_help(command),
            _ => USAGE.to_string(),
        }
    }
}

/// The commands, as named on the command line.
const COMMANDS: &[&str] = &[
    "gen",
    "import",
    "repaired",
    "contract",
    "crate",
    "stress",
    "corpus",
    "bench",
    "bench-one",
    "test",
    "help",
];

/// Parses the arguments after `cargo xtask`.
pub fn parse<I>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut parser = Parser::from_args(args);
    let name = match parser.next().map_err(UsageError::BeforeCommand)? {
        None => return Err(UsageError::NoCommand),
        Some(Long("help") | Short('h')) => return Ok(Command::Help(USAGE.to_string())),
        Some(Value(name)) => name.string().map_err(UsageError::BeforeCommand)?,
        Some(other) => return Err(UsageError::BeforeCommand(other.unexpected())),
    };
    let Some(&command) = COMMANDS.iter().find(|c| **c == name) else {
        return Err(UsageError::UnknownCommand(name));
    };
    let parsed = match command {
        "gen" => gen(&mut parser),
        "import" => import(&mut parser),
        "repaired" => repaired(&mut parser),
        "crate" => standalone_crate(&mut parser),
        "stress" => stress(&mut parser),
        "bench" => bench(&mut parser),
        "bench-one" => bench_one(&mut parser),
        "contract" => no_arguments(&mut parser, command, Command::Contract),
        "corpus" => no_arguments(&mut parser, command, Command::Corpus),
        "test" => no_arguments(&mut parser, command, Command::Test),
        _ => help(&mut parser),
    };
    parsed.map_err(|error| UsageError::Invalid { command, error })
}

/// The help of one command: its entries in [`USAGE`] (the whole text for `help`).
pub fn command_help(command: &str) -> String {
    let entries = match command {
        "help" => return USAGE.to_string(),
        "bench-one" => BENCH_ONE_USAGE.to_string(),
        _ => {
            let mut entries = Vec::new();
            let mut in_entry = false;
            for line in USAGE.lines() {
                if let Some(entry) = line.strip_prefix("  ").filter(|l| !l.starts_with(' ')) {
                    in_entry = entry.split_whitespace().next() == Some(command);
                }
                if in_entry && line.starts_with("  ") {
                    entries.push(line);
                }
            }
            entries.join("\n")
        }
    };
    format!("cargo xtask {command}:\n{entries}")
}

/// `command`'s help, as a parsed command.
fn help_of(command: &str) -> Command {
    Command::Help(command_help(command))
}

/// `Short('h')` or `Long("help")`.
fn is_help(arg: &lexopt::Arg<'_>) -> bool {
    matches!(arg, Long("help") | Short('h'))
}

/// `gen [--check] [--message-format human|json] [--changes-md FILE]`, in any order.
fn gen(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut mode = Mode::Write;
    let mut format = MessageFormat::Human;
    let mut changes_md = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("check") => mode = Mode::Check,
            Long("message-format") => {
                format = match parser.value()?.string()?.as_str() {
                    "human" => MessageFormat::Human,
                    "json" => MessageFormat::Json,
                    other => {
                        return Err(format!(
                            "--message-format takes `human` or `json`, not `{other}`"
                        )
                        .into())
                    }
                }
            }
            Long("changes-md") => changes_md = Some(parser.value()?.string()?),
            arg if is_help(&arg) => return Ok(help_of("gen")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Gen {
        mode,
        format,
        changes_md,
    })
}

/// `import <provider> <PAGE>... [--prefer-new]`, the flag anywhere.
fn import(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut provider = None;
    let mut pages = Vec::new();
    let mut prefer_new = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("prefer-new") => prefer_new = true,
            Value(value) if provider.is_none() => provider = Some(value.string()?),
            Value(page) => pages.push(page.string()?),
            arg if is_help(&arg) => return Ok(help_of("import")),
            arg => return Err(arg.unexpected()),
        }
    }
    let provider = provider.ok_or_else(|| missing("<provider>"))?;
    if pages.is_empty() {
        return Err(missing("<PAGE> (at least one documentation page)"));
    }
    Ok(Command::Import {
        provider,
        pages,
        prefer_new,
    })
}

/// `repaired <provider|spec> [--out FILE]`.
fn repaired(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut target = None;
    let mut out = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("out") => out = Some(parser.value()?.string()?),
            Value(value) if target.is_none() => target = Some(value.string()?),
            arg if is_help(&arg) => return Ok(help_of("repaired")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Repaired {
        target: target.ok_or_else(|| missing("<provider|spec>"))?,
        out,
    })
}

/// `crate <SPEC> --out <DIR> [--name <crate-name>]`.
fn standalone_crate(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("out") => out = Some(parser.value()?.string()?),
            Long("name") => name = Some(parser.value()?.string()?),
            Value(value) if spec.is_none() => spec = Some(value.string()?),
            arg if is_help(&arg) => return Ok(help_of("crate")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Crate {
        spec: spec.ok_or_else(|| missing("<SPEC>"))?,
        out: out.ok_or_else(|| missing("--out <DIR>"))?,
        name,
    })
}

/// `stress [--mib N]`.
fn stress(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut mib = DEFAULT_STRESS_MIB;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("mib") => mib = parser.value()?.parse()?,
            arg if is_help(&arg) => return Ok(help_of("stress")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Stress { mib })
}

/// `bench [--runs N] [--vs-progenitor] [--no-check]`, in any order; N at least 1.
fn bench(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut options = Options::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("runs") => {
                options.runs = parser.value()?.parse()?;
                if options.runs == 0 {
                    return Err("--runs must be at least 1".into());
                }
            }
            Long("vs-progenitor") => options.vs_progenitor = true,
            Long("no-check") => options.check = false,
            arg if is_help(&arg) => return Ok(help_of("bench")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Bench(Invocation::Bench(options)))
}

/// `bench-one <SPEC> --out <DIR>`.
fn bench_one(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let mut spec = None;
    let mut out = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("out") => out = Some(parser.value()?.string()?),
            Value(value) if spec.is_none() => spec = Some(value.string()?),
            arg if is_help(&arg) => return Ok(help_of("bench-one")),
            arg => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Bench(Invocation::One {
        spec: spec.ok_or_else(|| missing("<SPEC>"))?,
        out: out.ok_or_else(|| missing("--out <DIR>"))?,
    }))
}

/// A command without arguments (only `--help`).
fn no_arguments(
    parser: &mut Parser,
    name: &str,
    command: Command,
) -> Result<Command, lexopt::Error> {
    match parser.next()? {
        None => Ok(command),
        Some(arg) if is_help(&arg) => Ok(help_of(name)),
        Some(Value(value)) => Err(format!(
            "takes no arguments (got `{}`); see `cargo xtask {name} --help`",
            value.to_string_lossy()
        )
        .into()),
        Some(arg) => Err(arg.unexpected()),
    }
}

/// `help [command]`: the whole text, or the named command's.
fn help(parser: &mut Parser) -> Result<Command, lexopt::Error> {
    let topic = match parser.next()? {
        None => return Ok(help_of("help")),
        Some(arg) if is_help(&arg) => return Ok(help_of("help")),
        Some(Value(topic)) => topic.string()?,
        Some(arg) => return Err(arg.unexpected()),
    };
    if let Some(arg) = parser.next()? {
        return Err(arg.unexpected());
    }
    match COMMANDS.iter().find(|c| **c == topic) {
        Some(command) => Ok(help_of(command)),
        None => Err(format!("unknown command `{topic}`").into()),
    }
}

fn missing(what: &str) -> lexopt::Error {
    format!("missing {what}").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Command {
        parse(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    fn refused(args: &[&str]) -> String {
        match parse(args) {
            Ok(command) => panic!("{args:?} parsed as {command:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn gen_flags_parse_in_any_order() {
        assert_eq!(
            parsed(&["gen"]),
            Command::Gen {
                mode: Mode::Write,
                format: MessageFormat::Human,
                changes_md: None
            }
        );
        assert_eq!(
            parsed(&[
                "gen",
                "--changes-md",
                "c.md",
                "--message-format=json",
                "--check"
            ]),
            Command::Gen {
                mode: Mode::Check,
                format: MessageFormat::Json,
                changes_md: Some("c.md".to_string())
            }
        );
    }

    #[test]
    fn every_command_parses_with_its_documented_flags() {
        assert_eq!(
            parsed(&["import", "ripio", "a.md", "--prefer-new", "b.md"]),
            Command::Import {
                provider: "ripio".to_string(),
                pages: vec!["a.md".to_string(), "b.md".to_string()],
                prefer_new: true,
            }
        );
        assert_eq!(
            parsed(&["repaired", "fonbnk", "--out", "r.json"]),
            Command::Repaired {
                target: "fonbnk".to_string(),
                out: Some("r.json".to_string())
            }
        );
        assert_eq!(
            parsed(&["crate", "s.yaml", "--out", "dir", "--name", "api"]),
            Command::Crate {
                spec: "s.yaml".to_string(),
                out: "dir".to_string(),
                name: Some("api".to_string())
            }
        );
        assert_eq!(parsed(&["stress"]), Command::Stress { mib: 50 });
        assert_eq!(
            parsed(&["stress", "--mib", "1"]),
            Command::Stress { mib: 1 }
        );
        assert_eq!(parsed(&["contract"]), Command::Contract);
        assert_eq!(parsed(&["corpus"]), Command::Corpus);
        assert_eq!(parsed(&["test"]), Command::Test);
    }

    #[test]
    fn bench_flags_parse_in_any_order() {
        assert_eq!(
            parsed(&["bench"]),
            Command::Bench(Invocation::Bench(Options::default()))
        );
        assert_eq!(
            parsed(&["bench", "--no-check", "--runs", "3", "--vs-progenitor"]),
            Command::Bench(Invocation::Bench(Options {
                runs: 3,
                vs_progenitor: true,
                check: false,
            }))
        );
        assert_eq!(
            parsed(&["bench-one", "a.yaml", "--out", "dir"]),
            Command::Bench(Invocation::One {
                spec: "a.yaml".to_string(),
                out: "dir".to_string(),
            })
        );
    }

    #[test]
    fn bad_command_lines_are_refused_with_the_reason() {
        for (args, reason) in [
            (
                &["bench", "--runs"][..],
                "cargo xtask bench: missing argument for option '--runs'",
            ),
            (
                &["bench", "--runs", "0"],
                "cargo xtask bench: --runs must be at least 1",
            ),
            (
                &["bench", "--runs", "many"],
                "cargo xtask bench: cannot parse argument \"many\"",
            ),
            (
                &["bench", "--fast"],
                "cargo xtask bench: invalid option '--fast'",
            ),
            (
                &["bench-one", "a.yaml"],
                "cargo xtask bench-one: missing --out <DIR>",
            ),
            (
                &["bench-one", "a.yaml", "--out"],
                "cargo xtask bench-one: missing argument",
            ),
            (
                &["gen", "--chek"],
                "cargo xtask gen: invalid option '--chek'",
            ),
            (
                &["gen", "--message-format", "xml"],
                "cargo xtask gen: --message-format takes `human` or `json`, not `xml`",
            ),
            (
                &["gen", "--check=yes"],
                "cargo xtask gen: unexpected argument for option '--check'",
            ),
            (&["import", "ripio"], "cargo xtask import: missing <PAGE>"),
            (
                &["import", "ripio", "--prefer-old", "a.md"],
                "cargo xtask import: invalid option '--prefer-old'",
            ),
            (
                &["repaired"],
                "cargo xtask repaired: missing <provider|spec>",
            ),
            (
                &["repaired", "a", "b"],
                "cargo xtask repaired: unexpected argument",
            ),
            (
                &["crate", "s.yaml"],
                "cargo xtask crate: missing --out <DIR>",
            ),
            (
                &["stress", "--mib", "-1"],
                "cargo xtask stress: cannot parse argument \"-1\"",
            ),
            (
                &["corpus", "now"],
                "cargo xtask corpus: takes no arguments (got `now`)",
            ),
            (&["frobnicate"], "unknown command `frobnicate`"),
            (&["--verbose", "gen"], "invalid option '--verbose'"),
            (
                &["help", "frobnicate"],
                "cargo xtask help: unknown command `frobnicate`",
            ),
        ] {
            let message = refused(args);
            assert!(message.starts_with(reason), "{args:?}: {message}");
        }
        assert!(matches!(parse([] as [&str; 0]), Err(UsageError::NoCommand)));
    }

    #[test]
    fn help_is_the_whole_text_or_one_commands_part() {
        for args in [&["help"][..], &["--help"], &["-h"], &["help", "help"]] {
            assert_eq!(parsed(args), Command::Help(USAGE.to_string()), "{args:?}");
        }
        let gen = command_help("gen");
        assert_eq!(
            gen.lines().filter(|l| l.starts_with("  gen")).count(),
            4,
            "{gen}"
        );
        assert!(gen.contains("--changes-md FILE"), "{gen}");
        assert!(!gen.contains("import"), "{gen}");
        for args in [&["gen", "--help"][..], &["gen", "-h"], &["help", "gen"]] {
            assert_eq!(parsed(args), Command::Help(gen.clone()), "{args:?}");
        }
        // Every command has help; every entry in the text is a command.
        for command in COMMANDS {
            let help = command_help(command);
            assert!(help.lines().count() > 1, "{command}: {help}");
        }
        for line in USAGE
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        {
            let name = line.split_whitespace().next().unwrap_or_default();
            assert!(COMMANDS.contains(&name), "{line}");
        }
        let bench = command_help("bench");
        assert!(
            bench.contains("--no-check: skip the `cargo check` part"),
            "{bench}"
        );
        assert_eq!(
            parsed(&["crate", "--help"]),
            Command::Help(command_help("crate"))
        );
        assert_eq!(
            parsed(&["test", "--help"]),
            Command::Help(command_help("test"))
        );
    }
}
