//! `cargo xtask import <provider> <page>...`: the providers publish one documentation page per
//! operation, each embedding a whole OpenAPI document in a fenced code block. This takes the one
//! document out of each page and merges it into `specs/<provider>.yaml|json`, keeping the pages
//! under `specs/sources/<provider>/` and recording on each operation the page it came from
//! (`x-rampgen-source`).
//!
//! [`extract`], [`merge`] and [`import_pages`] are pure (text in, text out); [`import`] reads and
//! writes the files.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::load::{load, Format};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use crate::{Provider, PROVIDERS};

/// The extension that names the page an operation came from, relative to `specs/`.
pub const SOURCE_EXTENSION: &str = "x-rampgen-source";

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The embedded document of one page.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub format: Format,
    /// The line (1-based) of the block's opening fence in the page.
    pub fence_line: usize,
    /// The block's contents as CommonMark reads them: byte for byte for a top-level fence,
    /// without a list item's indentation or a block quote's `>` markers, every line ending
    /// with `\n` (a CRLF page's too).
    pub text: String,
    pub value: Value,
}

/// A component two pages define differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// `#/components/schemas/ErrorResponse`
    pub pointer: String,
    /// Where the definition in the spec came from (a stored page, or the spec itself).
    pub existing: String,
    /// The page being imported.
    pub incoming: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is defined differently by {} and by {}",
            self.pointer, self.existing, self.incoming
        )
    }
}

/// Why an import failed; nothing is written then.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("unknown provider `{0}` (known: {known})", known = known_providers())]
    UnknownProvider(String),
    /// No fenced `yaml`/`json` block holds an OpenAPI document.
    #[error("{page}: {}", no_document(*blocks))]
    NoDocument { page: String, blocks: usize },
    /// The page holds two documents (the lines of their opening fences).
    #[error(
        "{page}:{second}: a second OpenAPI document (the first is at {page}:{first}); \
         a page must embed exactly one"
    )]
    TwoDocuments {
        page: String,
        first: usize,
        second: usize,
    },
    /// The block does not parse, or is not an OpenAPI document (located in the page).
    #[error("{page}:{line}:{column}: {message}")]
    BadBlock {
        page: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Components the page defines differently from the spec (without `--prefer-new`).
    #[error("{}", conflicts_message(.0))]
    Conflicts(Vec<Conflict>),
    /// The spec to merge into does not load.
    #[error("{spec} cannot be merged into: {message}")]
    BadSpec { spec: String, message: String },
    /// Reading or writing `path` failed.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

fn known_providers() -> String {
    let known: Vec<&str> = PROVIDERS.iter().map(|p| p.module).collect();
    known.join(", ")
}

fn no_document(blocks: usize) -> String {
    match blocks {
        0 => "no fenced ```yaml or ```json block (the page should embed the operation's \
              OpenAPI document)"
            .to_string(),
        _ => format!("none of its {blocks} fenced yaml/json blocks is an OpenAPI document"),
    }
}

fn conflicts_message(conflicts: &[Conflict]) -> String {
    let mut message = String::from("the page conflicts with the spec:\n");
    for conflict in conflicts {
        message.push_str(&format!("  {conflict}\n"));
    }
    message + "pass --prefer-new to take the definitions of the page being imported"
}

/// A fenced code block: the language its info string names, where it starts, its contents.
struct Block {
    language: String,
    fence_line: usize,
    text: String,
}

/// The fenced code blocks of a Markdown page, as a CommonMark parser reads them: backtick or
/// tilde fences of any length, in list items and block quotes too, with the contents freed of
/// the container's indentation and `>` markers. An unclosed block runs to the end of its
/// container.
fn blocks(page: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new(page).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    language: language(&info),
                    fence_line: line_at(page, range.start),
                    text: String::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = &mut open {
                    block.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => found.extend(open.take()),
            _ => {}
        }
    }
    found
}

/// The language an info string names, lowercased: its first word (`yaml` in `yaml
/// ramps-api/openapi.json GET /x`), before any attributes (`json{title="x"}`, `yaml,linenos`),
/// or the first class of an attribute block (`{.yaml title="x"}`).
fn language(info: &str) -> String {
    let info = info.trim();
    let word = match info.strip_prefix('{') {
        Some(attributes) => attributes
            .split(|c: char| c.is_whitespace() || c == '}')
            .find_map(|a| a.strip_prefix('.'))
            .unwrap_or(""),
        None => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or(""),
    };
    word.to_ascii_lowercase()
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn block_format(language: &str) -> Option<Format> {
    match language {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Whether a block's text reads like an OpenAPI (or Swagger) document, before parsing it.
fn looks_like_openapi(text: &str, format: Format) -> bool {
    match format {
        Format::Yaml => text
            .lines()
            .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:")),
        Format::Json => text.contains("\"openapi\"") || text.contains("\"swagger\""),
    }
}

/// Takes the one OpenAPI document out of a documentation page. `page` names the page in errors.
pub fn extract(page: &str, text: &str) -> Result<Extracted, ImportError> {
    let candidates: Vec<(Block, Format)> = blocks(text)
        .into_iter()
        .filter_map(|b| block_format(&b.language).map(|f| (b, f)))
        .collect();
    let documents: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, (b, f))| looks_like_openapi(&b.text, *f))
        .map(|(i, _)| i)
        .collect();
    let chosen = match (documents.as_slice(), candidates.len()) {
        ([first, second, ..], _) => {
            return Err(ImportError::TwoDocuments {
                page: page.to_string(),
                first: candidates[*first].0.fence_line,
                second: candidates[*second].0.fence_line,
            })
        }
        ([only], _) => *only,
        ([], 1) => 0,
        ([], blocks) => {
            return Err(ImportError::NoDocument {
                page: page.to_string(),
                blocks,
            })
        }
    };
    let (block, format) = candidates.into_iter().nth(chosen).expect("index in range");
    let document = load(&block.text, format).map_err(|d| {
        let (line, column) = d.location.map_or((0, 1), |l| (l.line, l.column));
        ImportError::BadBlock {
            page: page.to_string(),
            line: block.fence_line + line.max(1),
            column,
            message: format!("the embedded document does not parse: {}", d.message),
        }
    })?;
    let is_openapi = document
        .value
        .as_object()
        .is_some_and(|o| o.contains_key("openapi") || o.contains_key("swagger"));
    if !is_openapi {
        return Err(ImportError::BadBlock {
            page: page.to_string(),
            line: block.fence_line,
            column: 1,
            message: "the embedded block is not an OpenAPI document (no `openapi` key)".into(),
        });
    }
    Ok(Extracted {
        format,
        fence_line: block.fence_line,
        text: block.text,
        value: document.value,
    })
}

/// A page already kept under `specs/sources/<provider>/`, with its document.
#[derive(Debug, Clone)]
pub struct KnownPage {
    /// `sources/<provider>/<file>`, as recorded in `x-rampgen-source`.
    pub source: String,
    pub value: Value,
}

/// What a merge did, one line per item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub lines: Vec<String>,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn without_source(operation: &Value) -> Value {
    let mut operation = operation.clone();
    if let Some(object) = operation.as_object_mut() {
        object.shift_remove(SOURCE_EXTENSION);
    }
    operation
}

fn with_source(operation: &Value, source: &str) -> Value {
    let mut operation = operation.clone();
    if let Some(object) = operation.as_object_mut() {
        object.insert(SOURCE_EXTENSION.into(), Value::String(source.into()));
    }
    operation
}

fn object_mut<'a>(
    parent: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    parent
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// Merges the document of the page `source` (`sources/<provider>/<file>`) into `base`: paths and
/// operations added or replaced (each operation marked with its page), components added, equal
/// ones folded, differing ones a [`Conflict`] unless `prefer_new` (or the definition came from an
/// earlier version of the same page). `known` are the pages kept so far, used to name where a
/// definition came from; `spec` names the spec when no page does.
pub fn merge(
    base: &mut Value,
    spec: &str,
    incoming: &Value,
    source: &str,
    known: &[KnownPage],
    prefer_new: bool,
) -> Result<MergeReport, ImportError> {
    let bad_spec = |message: &str| ImportError::BadSpec {
        spec: spec.to_string(),
        message: message.to_string(),
    };
    let base_object = base
        .as_object_mut()
        .ok_or_else(|| bad_spec("the document is not a mapping"))?;
    let incoming = incoming
        .as_object()
        .ok_or_else(|| bad_spec("the page's document is not a mapping"))?;
    let mut report = MergeReport::default();

    // Components first: a conflict fails the import before anything else is reported.
    let mut conflicts = Vec::new();
    if let Some(Value::Object(sections)) = incoming.get("components") {
        let components = object_mut(base_object, "components")
            .ok_or_else(|| bad_spec("`components` is not a mapping"))?;
        for (section, entries) in sections {
            let Value::Object(entries) = entries else {
                continue;
            };
            let target = object_mut(components, section)
                .ok_or_else(|| bad_spec("a components section is not a mapping"))?;
            for (name, definition) in entries {
                let pointer = format!("#/components/{}/{}", escape(section), escape(name));
                match target.get(name) {
                    None => {
                        target.insert(name.clone(), definition.clone());
                        report.lines.push(format!("added {pointer}"));
                    }
                    Some(existing) if existing == definition => {}
                    Some(existing) => {
                        let defines = |page: &KnownPage| {
                            page.value.pointer(&format!(
                                "/components/{}/{}",
                                escape(section),
                                escape(name)
                            )) == Some(existing)
                        };
                        let other = known.iter().find(|p| p.source != source && defines(p));
                        let earlier_self = known.iter().any(|p| p.source == source && defines(p));
                        match other {
                            None if earlier_self => {
                                report.lines.push(format!("updated {pointer}"));
                            }
                            _ => {
                                let conflict = Conflict {
                                    pointer: pointer.clone(),
                                    existing: other
                                        .map_or_else(|| spec.to_string(), |p| p.source.clone()),
                                    incoming: source.to_string(),
                                };
                                if !prefer_new {
                                    conflicts.push(conflict);
                                    continue;
                                }
                                report
                                    .lines
                                    .push(format!("replaced ({conflict}; --prefer-new)"));
                            }
                        }
                        target.insert(name.clone(), definition.clone());
                    }
                }
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(ImportError::Conflicts(conflicts));
    }

    if let Some(Value::Object(paths)) = incoming.get("paths") {
        let target =
            object_mut(base_object, "paths").ok_or_else(|| bad_spec("`paths` is not a mapping"))?;
        for (path, item) in paths {
            let Value::Object(item) = item else {
                continue;
            };
            let target_item =
                object_mut(target, path).ok_or_else(|| bad_spec("a path item is not a mapping"))?;
            for (key, value) in item {
                if !METHODS.contains(&key.as_str()) {
                    target_item.insert(key.clone(), value.clone());
                    continue;
                }
                let operation = with_source(value, source);
                let what = format!("{} {path}", key.to_ascii_uppercase());
                match target_item.get(key) {
                    None => report.lines.push(format!("added {what}")),
                    Some(existing) if without_source(existing) == without_source(value) => {}
                    Some(_) => report.lines.push(format!("replaced {what}")),
                }
                target_item.insert(key.clone(), operation);
            }
        }
    }

    // Lists of named things: add what the base lacks.
    for (key, id) in [("tags", "name"), ("servers", "url")] {
        let Some(Value::Array(items)) = incoming.get(key) else {
            continue;
        };
        let target = base_object
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(target) = target {
            for item in items {
                if !target.iter().any(|t| t.get(id) == item.get(id)) {
                    target.push(item.clone());
                }
            }
        }
    }
    for (key, value) in incoming {
        if !base_object.contains_key(key) {
            base_object.insert(key.clone(), value.clone());
        }
    }

    // Operations that predate the records (a spec first written byte for byte from a page):
    // name the kept page that defines them.
    if let Some(Value::Object(paths)) = base_object.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else {
                continue;
            };
            for (method, operation) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) || operation.get(SOURCE_EXTENSION).is_some()
                {
                    continue;
                }
                let pointer = format!("/paths/{}/{method}", escape(path));
                let page = known.iter().find(|p| {
                    p.value.pointer(&pointer).map(without_source) == Some(without_source(operation))
                });
                if let Some(page) = page {
                    *operation = with_source(operation, &page.source);
                }
            }
        }
    }
    Ok(report)
}

/// One page to import: its file name (kept as `sources/<provider>/<file name>`) and text.
#[derive(Debug, Clone, Copy)]
pub struct PageText<'a> {
    pub file_name: &'a str,
    pub text: &'a str,
}

/// The merged spec and what was done.
#[derive(Debug, Clone)]
pub struct Imported {
    pub spec_text: String,
    pub lines: Vec<String>,
}

/// Imports `pages` (in order) into the spec `spec` (its current text, `None` if it does not
/// exist). Into an empty spec the first page's block is taken byte for byte; after a merge the
/// spec is written in its own format (YAML or pretty JSON).
pub fn import_pages(
    spec: &str,
    spec_text: Option<&str>,
    module: &str,
    pages: &[PageText<'_>],
    known: &[KnownPage],
    prefer_new: bool,
) -> Result<Imported, ImportError> {
    let format = Format::detect(spec, spec_text.unwrap_or(""));
    let mut known = known.to_vec();
    let mut lines = Vec::new();
    // The spec as text (unchanged so far) or as a merged value.
    let mut text: Option<String> = spec_text
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string);
    let mut value: Option<Value> = None;
    let mut merged = false;
    for page in pages {
        let source = format!("sources/{module}/{}", page.file_name);
        let extracted = extract(page.file_name, page.text)?;
        if text.is_none() && value.is_none() {
            lines.push(format!(
                "{spec}: written from {} (line {}), byte for byte",
                page.file_name, extracted.fence_line
            ));
            text = Some(extracted.text.clone());
            value = Some(extracted.value.clone());
        } else {
            if value.is_none() {
                let current = text.as_deref().unwrap_or("");
                let document = load(current, Format::detect(spec, current)).map_err(|d| {
                    ImportError::BadSpec {
                        spec: spec.to_string(),
                        message: d.render(spec),
                    }
                })?;
                value = Some(document.value);
            }
            let base = value.as_mut().expect("set above");
            let report = merge(base, spec, &extracted.value, &source, &known, prefer_new)?;
            lines.extend(
                report
                    .lines
                    .into_iter()
                    .map(|l| format!("{}: {l}", page.file_name)),
            );
            merged = true;
        }
        known.retain(|k| k.source != source);
        known.push(KnownPage {
            source,
            value: extracted.value,
        });
    }
    let spec_text = match (merged, value) {
        (true, Some(value)) => serialize(&value, format, spec)?,
        _ => text.unwrap_or_default(),
    };
    Ok(Imported { spec_text, lines })
}

/// The spec in its format: YAML through `serde_norway`, JSON pretty-printed (key order kept).
pub fn serialize(value: &Value, format: Format, spec: &str) -> Result<String, ImportError> {
    match format {
        Format::Yaml => serde_norway::to_string(value).map_err(|e| ImportError::BadSpec {
            spec: spec.to_string(),
            message: format!("cannot write YAML: {e}"),
        }),
        Format::Json => Ok(format!("{value:#}\n")),
    }
}

fn provider(module: &str) -> Result<&'static Provider, ImportError> {
    PROVIDERS
        .iter()
        .find(|p| p.module == module)
        .ok_or_else(|| ImportError::UnknownProvider(module.to_string()))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |error| ImportError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// The pages kept for a provider, in file-name order, with their documents (pages whose
/// document no longer extracts are skipped).
pub fn kept_pages(root: &Path, module: &str) -> Result<Vec<KnownPage>, ImportError> {
    let dir = root.join("specs/sources").join(module);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(ImportError::Io { path: dir, error }),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(&dir))?;
        if entry.path().is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let mut pages = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let text = fs::read_to_string(&path).map_err(io(&path))?;
        if let Ok(extracted) = extract(&name, &text) {
            pages.push(KnownPage {
                source: format!("sources/{module}/{name}"),
                value: extracted.value,
            });
        }
    }
    Ok(pages)
}

/// `cargo xtask import`: merges `pages` into the provider's spec under `root`, then keeps the
/// pages in `specs/sources/<provider>/`. Nothing is written unless every page imports.
pub fn import(
    root: &Path,
    module: &str,
    pages: &[PathBuf],
    prefer_new: bool,
) -> Result<Imported, ImportError> {
    let provider = provider(module)?;
    let spec_path = root.join(provider.spec);
    let spec_text = match fs::read_to_string(&spec_path) {
        Ok(text) => Some(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(ImportError::Io {
                path: spec_path,
                error,
            })
        }
    };
    let mut texts = Vec::new();
    for page in pages {
        let text = fs::read_to_string(page).map_err(io(page))?;
        let name = page
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "page".to_string());
        texts.push((name, text));
    }
    let page_texts: Vec<PageText<'_>> = texts
        .iter()
        .map(|(file_name, text)| PageText { file_name, text })
        .collect();
    let known = kept_pages(root, module)?;
    let imported = import_pages(
        provider.spec,
        spec_text.as_deref(),
        module,
        &page_texts,
        &known,
        prefer_new,
    )?;
    if let Some(dir) = spec_path.parent() {
        fs::create_dir_all(dir).map_err(io(dir))?;
    }
    if spec_text.as_deref() != Some(imported.spec_text.as_str()) {
        fs::write(&spec_path, &imported.spec_text).map_err(io(&spec_path))?;
    }
    let sources = root.join("specs/sources").join(module);
    fs::create_dir_all(&sources).map_err(io(&sources))?;
    for (name, text) in &texts {
        let kept = sources.join(name);
        fs::write(&kept, text).map_err(io(&kept))?;
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_one_document_among_other_blocks() {
        let page = "# Page\n\n```json\n{\"a\": 1}\n```\n\n````yaml spec.json GET /x\nopenapi: 3.1.0\ninfo: {title: T, version: '1'}\n````\n\n```\nGET /x\n```\n";
        let extracted = extract("p.md", page).expect("extracts");
        assert_eq!(extracted.fence_line, 7);
        assert_eq!(
            extracted.text,
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
        );
    }

    #[test]
    fn a_page_without_a_block_or_with_two_documents_is_refused() {
        let none = extract("p.md", "# nothing\n```\ncode\n```\n").unwrap_err();
        assert!(none.to_string().starts_with("p.md: no fenced"), "{none}");
        let two = "```yaml\nopenapi: 3.1.0\n```\ntext\n```json\n{\"openapi\": \"3.1.0\"}\n```\n";
        let error = extract("p.md", two).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.md:5: a second OpenAPI document (the first is at p.md:1)"),
            "{error}"
        );
    }

    #[test]
    fn a_block_that_does_not_parse_is_located_in_the_page() {
        let page = "intro\n\n```yaml\nopenapi: 3.1.0\ninfo: [unclosed\n```\n";
        let error = extract("p.md", page).unwrap_err();
        let ImportError::BadBlock { line, .. } = &error else {
            panic!("{error}")
        };
        assert!(*line >= 5, "{error}");
        assert!(error.to_string().starts_with("p.md:"), "{error}");
    }

    /// The smallest OpenAPI document `extract` accepts, as YAML.
    const DOCUMENT: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

    #[test]
    fn a_fence_in_a_list_item_loses_the_item_indentation() {
        // In a nested list, the fence is indented past the three spaces of a top-level one.
        let page = "- Steps:\n\n  1. Save this:\n\n     ```yaml\n     openapi: 3.1.0\n     info:\n       title: T\n       version: '1'\n     ```\n  2. Import it.\n";
        let extracted = extract("p.md", page).expect("extracts");
        assert_eq!(extracted.fence_line, 5);
        assert_eq!(
            extracted.text,
            "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n"
        );
        assert_eq!(extracted.value["info"]["title"], "T");
    }

    #[test]
    fn a_fence_in_a_block_quote_loses_the_markers() {
        let page = "> Note\n>\n> ```yaml\n> openapi: 3.1.0\n> info:\n>   title: T\n>   version: '1'\n> ```\n";
        let extracted = extract("p.md", page).expect("extracts");
        assert_eq!(extracted.fence_line, 3);
        assert_eq!(
            extracted.text,
            "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n"
        );
    }

    #[test]
    fn a_longer_fence_holds_shorter_ones() {
        // A description with a Markdown code sample in it: the ``` lines are contents.
        let page = "````yaml\nopenapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n  description: |\n    ```\n    curl /x\n    ```\n````\n\n```json\n{}\n```\n";
        let extracted = extract("p.md", page).expect("extracts");
        assert_eq!(extracted.fence_line, 1);
        assert_eq!(
            extracted.value["info"]["description"],
            "```\ncurl /x\n```\n"
        );
    }

    #[test]
    fn tilde_fences_and_info_strings_with_attributes_name_the_language() {
        for (open, close) in [
            ("~~~yaml", "~~~"),
            ("~~~~ YAML title=\"openapi.yaml\"", "~~~~~~"),
            ("```yaml{title=\"openapi.yaml\"}", "```"),
            ("```yaml,linenos", "```"),
            ("``` {.yaml .numberLines}", "```"),
        ] {
            let page = format!("Intro\n\n{open}\n{DOCUMENT}{close}\n\nAfter.\n");
            let extracted = extract("p.md", &page).unwrap_or_else(|e| panic!("{open}: {e}"));
            assert_eq!(extracted.fence_line, 3, "{open}");
            assert_eq!(extracted.text, DOCUMENT, "{open}");
        }
    }

    #[test]
    fn a_page_with_crlf_line_endings_extracts_with_lf() {
        let page =
            "# Page\r\n\r\n```yaml\r\nopenapi: 3.1.0\r\ninfo: {title: T, version: '1'}\r\n```\r\n";
        let extracted = extract("p.md", page).expect("extracts");
        assert_eq!(extracted.fence_line, 3);
        assert_eq!(extracted.text, DOCUMENT);
    }

    #[test]
    fn an_indented_code_block_is_not_a_document() {
        let page = "Text\n\n    openapi: 3.1.0\n    info: {title: T, version: '1'}\n";
        let error = extract("p.md", page).unwrap_err();
        assert!(error.to_string().starts_with("p.md: no fenced"), "{error}");
    }

    #[test]
    fn an_unknown_provider_is_named_with_the_known_ones() {
        let error = import(Path::new("."), "acme", &[], false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown provider `acme` (known: ripio, fonbnk)"
        );
    }
}
