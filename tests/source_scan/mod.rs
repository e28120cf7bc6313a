//! A scan of Rust sources for what must not be in them (printing and logging macros, for
//! instance), over whole files: only the items under `#[cfg(test)]` are left out — inline test
//! modules wherever they are in the file, and the files of out-of-line ones (`#[cfg(test)] mod
//! x;`, `#[path = "x_tests.rs"]` included). The files are parsed with `syn`, so comments and
//! string literals never count, and macro arguments are searched too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, ImplItem, Item};

/// What the scan looks for.
#[derive(Debug, Clone, Copy)]
pub struct Forbidden<'a> {
    /// Macros by name (`println` finds `println!(…)`, `std::println!(…)`).
    pub macros: &'a [&'a str],
    /// Crates by name (`log` finds `log::info!(…)` and `use log::info;`).
    pub crates: &'a [&'a str],
}

/// One use of something forbidden: the file and what it uses (`println!`, `log::`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub file: PathBuf,
    pub what: String,
}

/// Scans every `.rs` file under `roots` (recursively), leaving out test-only code. Returns the
/// files scanned and what was found. A root that cannot be read, or a file that does not
/// parse, is a panic: a scan must not pass by looking at nothing.
pub fn scan_tree(roots: &[PathBuf], forbidden: Forbidden<'_>) -> (Vec<PathBuf>, Vec<Finding>) {
    let mut files = Vec::new();
    for root in roots {
        rust_files(root, &mut files);
    }
    files.sort();
    let parsed: Vec<(PathBuf, syn::File)> = files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            (path, file)
        })
        .collect();
    let test_files: BTreeSet<PathBuf> = parsed
        .iter()
        .flat_map(|(path, file)| test_module_files(path, &file.items))
        .collect();
    let mut scanned = Vec::new();
    let mut findings = Vec::new();
    for (path, file) in parsed {
        if test_files.contains(&path) {
            continue;
        }
        for what in scan_file(file, forbidden) {
            findings.push(Finding {
                file: path.clone(),
                what,
            });
        }
        scanned.push(path);
    }
    (scanned, findings)
}

/// What `file` uses of `forbidden` outside its `#[cfg(test)]` items, in order.
pub fn scan_file(mut file: syn::File, forbidden: Forbidden<'_>) -> Vec<String> {
    strip_test_items(&mut file.items);
    let mut found = Vec::new();
    search(file.to_token_stream(), forbidden, &mut found);
    found
}

/// Parses `text` and scans it with [`scan_file`].
pub fn scan_text(text: &str, forbidden: Forbidden<'_>) -> Vec<String> {
    scan_file(syn::parse_file(text).expect("parses"), forbidden)
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

/// Removes `#[cfg(test)]` items, in inline modules and impl blocks too.
fn strip_test_items(items: &mut Vec<Item>) {
    items.retain(|item| !is_cfg_test(item_attrs(item)));
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    strip_test_items(items);
                }
            }
            Item::Impl(block) => block.items.retain(|item| match item {
                ImplItem::Fn(f) => !is_cfg_test(&f.attrs),
                ImplItem::Const(c) => !is_cfg_test(&c.attrs),
                ImplItem::Type(t) => !is_cfg_test(&t.attrs),
                _ => true,
            }),
            _ => {}
        }
    }
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The files of the out-of-line `#[cfg(test)] mod x;` declared at the top of `file`.
fn test_module_files(file: &Path, items: &[Item]) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let owns_its_folder = file
        .file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
    items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(module) if module.content.is_none() && is_cfg_test(&module.attrs) => {
                Some(module)
            }
            _ => None,
        })
        .map(|module| {
            let explicit = module.attrs.iter().find_map(|attr| {
                let syn::Meta::NameValue(pair) = &attr.meta else {
                    return None;
                };
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(path),
                    ..
                }) = &pair.value
                else {
                    return None;
                };
                attr.path().is_ident("path").then(|| path.value())
            });
            let name = module.ident.to_string();
            match explicit {
                Some(path) => dir.join(path),
                None if owns_its_folder => dir.join(format!("{name}.rs")),
                None => {
                    let stem = file.file_stem().unwrap_or_default();
                    dir.join(stem).join(format!("{name}.rs"))
                }
            }
        })
        .collect()
}

/// Finds `name!(…)` for a forbidden macro and `name::` for a forbidden crate, in every group.
fn search(tokens: TokenStream, forbidden: Forbidden<'_>, found: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (at, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => search(group.stream(), forbidden, found),
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let punct = |offset: usize, c: char| matches!(tokens.get(at + offset), Some(TokenTree::Punct(p)) if p.as_char() == c);
                let invoked =
                    punct(1, '!') && matches!(tokens.get(at + 2), Some(TokenTree::Group(_)));
                if invoked && forbidden.macros.contains(&name.as_str()) {
                    found.push(format!("{name}!"));
                }
                if punct(1, ':') && punct(2, ':') && forbidden.crates.contains(&name.as_str()) {
                    found.push(format!("{name}::"));
                }
            }
            _ => {}
        }
    }
}
