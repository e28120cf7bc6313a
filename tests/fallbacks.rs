//! ARCHITECTURE.md's table of fallbacks and the code that warns are kept together: every row's
//! code is in the file it names, every repair rule and lint that can warn is listed, and every
//! `Diagnostic::warning` in `codegen/src` carries a phrase its file's rows list.

use std::path::{Path, PathBuf};

/// One row of the table: its codes (rule names or message phrases) and files.
struct Row {
    codes: Vec<String>,
    files: Vec<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `` `…` `` spans of a table cell (a `` \` `` inside one is a literal backtick).
fn spans(cell: &str) -> Vec<String> {
    let cell = cell.replace("\\`", "\u{0}");
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|span| span.replace('\u{0}', "`"))
        .collect()
}

fn table() -> Vec<Row> {
    let text = read(&root().join("ARCHITECTURE.md"));
    let start = text
        .find("## Fallbacks and their warnings")
        .expect("ARCHITECTURE.md has the fallbacks section");
    let section = &text[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    section[..end]
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| fallback"))
        .map(|line| {
            // Cells are split on ` | `, which no code contains.
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            assert_eq!(cells.len(), 3, "a row of three cells: {line}");
            Row {
                codes: spans(cells[1]),
                files: spans(cells[2]),
            }
        })
        .collect()
}

/// The part of a source file before its tests.
fn without_tests(source: &str) -> &str {
    source.find("#[cfg(test)]").map_or(source, |i| &source[..i])
}

fn rule_names() -> Vec<(&'static str, PathBuf)> {
    let repair = codegen::repair::RULES.iter().map(|rule| {
        (
            rule.name,
            format!("codegen/src/repair/{}.rs", rule.name.replace('-', "_")),
        )
    });
    let lint = codegen::lint::LINTS.iter().map(|rule| {
        (
            rule.name,
            format!("codegen/src/lint/{}.rs", rule.name.replace('-', "_")),
        )
    });
    repair
        .chain(lint)
        .map(|(name, file)| (name, root().join(file)))
        .collect()
}

#[test]
fn every_listed_code_is_in_its_file() {
    let rows = table();
    assert!(rows.len() >= 20, "the table lost rows");
    let rules = rule_names();
    for row in &rows {
        assert!(!row.codes.is_empty() && !row.files.is_empty());
        let sources: Vec<String> = row
            .files
            .iter()
            .map(|file| without_tests(&read(&root().join(file))).to_string())
            .collect();
        for code in &row.codes {
            let found = match rules.iter().find(|(name, _)| name == code) {
                Some((_, file)) => {
                    row.files.iter().any(|f| root().join(f) == *file)
                        && without_tests(&read(file)).contains(".warn(")
                }
                None => sources.iter().any(|source| source.contains(code.as_str())),
            };
            assert!(found, "`{code}` is not a warning of {:?}", row.files);
        }
    }
}

#[test]
fn every_rule_that_warns_is_listed() {
    let listed: Vec<String> = table().into_iter().flat_map(|row| row.codes).collect();
    for (name, file) in rule_names() {
        if without_tests(&read(&file)).contains(".warn(") {
            assert!(
                listed.iter().any(|code| code == name),
                "`{name}` can warn but ARCHITECTURE.md's fallback table does not list it"
            );
        }
    }
}

#[test]
fn every_stage_warning_is_listed() {
    let rows = table();
    let mut stack = vec![root().join("codegen/src")];
    let mut sites = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                if name != "tests" {
                    stack.push(path);
                }
                continue;
            }
            if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let source = read(&path);
            let source = without_tests(&source);
            let relative = path
                .strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            let phrases: Vec<&String> = rows
                .iter()
                .filter(|row| row.files.contains(&relative))
                .flat_map(|row| &row.codes)
                .collect();
            for (at, _) in source.match_indices("Diagnostic::warning(") {
                sites += 1;
                // The message and hint follow within a few lines.
                let end = (at + 600).min(source.len());
                let end = (end..=source.len())
                    .find(|&i| source.is_char_boundary(i))
                    .unwrap_or(source.len());
                let call = &source[at..end];
                assert!(
                    phrases.iter().any(|phrase| call.contains(phrase.as_str())),
                    "a warning in {relative} is not in ARCHITECTURE.md's fallback table:\n{}",
                    &call[..call.len().min(300)]
                );
            }
        }
    }
    assert!(
        sites >= 10,
        "found only {sites} warnings: is the scan looking in the right place?"
    );
}
