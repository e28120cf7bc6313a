//! Emit and format together, the chunks of every file shared among a few threads.
//!
//! Printing (tokens → `syn` → `prettyplease`) is most of a run's time and each chunk is
//! independent, so the threads emit and print from the same IR the work units (each file's
//! header, each type's chunk, each operation's request type and client methods) they claim
//! first in a shared table, and the parts are joined in order: the output is the same
//! whatever the number of threads and whoever printed what. `proc_macro2` tokens cannot cross
//! threads, which is why each thread emits its own.

use std::thread;

use crate::emit::{self, EmitSettings, Share};
use crate::format::{self, PrintedFile};
use crate::ir::Api;
use crate::GeneratedFile;

/// The most threads one run uses: each holds its own tokens and syn trees, so memory grows with
/// their number, and the machines this runs on (2 cores here) gain little beyond a few.
const MAX_THREADS: usize = 4;

/// Stack for the helper threads, as for the pipeline's own (only the pages used are touched).
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The generated files of `api`, formatted, with the header naming `source` and `command`.
pub fn print_files(
    api: &Api,
    runtime_path: &str,
    source: &str,
    command: &str,
) -> Result<Vec<GeneratedFile>, String> {
    let threads = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS);
    print_files_on(api, runtime_path, source, command, threads)
}

/// [`print_files`] on `threads` threads.
fn print_files_on(
    api: &Api,
    runtime_path: &str,
    source: &str,
    command: &str,
    threads: usize,
) -> Result<Vec<GeneratedFile>, String> {
    let claims = emit::claims(api);
    let print = || print_share(api, runtime_path, source, command, Share::claiming(&claims));
    let shares: Vec<Vec<PrintedFile>> = thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|index| {
                thread::Builder::new()
                    .name(format!("rampgen-print-{index}"))
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, print)
            })
            .collect();
        // This thread claims units too; whatever a helper that could not start would have
        // done, this one does.
        let mut shares = vec![print()];
        for helper in helpers.into_iter().flatten() {
            shares.push(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        shares.into_iter().collect::<Result<_, _>>()
    })?;
    Ok(transpose(shares)
        .into_iter()
        .map(|parts| GeneratedFile {
            path: parts.first().map_or("", |p| p.path).to_string(),
            contents: format::join(parts),
        })
        .collect())
}

fn print_share(
    api: &Api,
    runtime_path: &str,
    source: &str,
    command: &str,
    share: Share,
) -> Result<Vec<PrintedFile>, String> {
    let runtime_path = syn::parse_str::<syn::Path>(runtime_path)
        .map_err(|e| format!("the runtime path `{runtime_path}` is not a Rust path: {e}"))?;
    let settings = EmitSettings { runtime_path };
    let mut files = emit::emit(api, &settings, share);
    // The files are reached last to first (when the client was one unit, the largest, this
    // kept a thread from printing it alone at the end); the parts go back in file order.
    files.reverse();
    let mut printed = files
        .into_iter()
        .map(|file| {
            format::print_file(file, source, command).map_err(|e| format!("internal error: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    printed.reverse();
    Ok(printed)
}

/// Per thread, per file → per file, per thread.
fn transpose(shares: Vec<Vec<PrintedFile>>) -> Vec<Vec<PrintedFile>> {
    let mut files: Vec<Vec<PrintedFile>> = Vec::new();
    for share in shares {
        for (i, file) in share.into_iter().enumerate() {
            match files.get_mut(i) {
                Some(parts) => parts.push(file),
                None => files.push(vec![file]),
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::print_files_on;
    use crate::{lower_spec, Source};

    const SPEC: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
    post:
      operationId: createPet
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        '201': {description: created}
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
components:
  schemas:
    Pet: {type: object, required: [name], properties: {name: {type: string}, kind: {$ref: '#/components/schemas/Kind'}}}
    Kind: {type: string, enum: [cat, dog]}
    Error: {type: object, properties: {message: {type: string}}}
    Owner: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
";

    /// The files of [`SPEC`], printed on `threads` threads.
    fn printed(threads: usize) -> Vec<crate::GeneratedFile> {
        let spec = Source {
            name: "spec.yaml",
            text: SPEC,
        };
        let (api, _) = lower_spec(spec, None).expect("the test spec lowers");
        print_files_on(
            &api,
            "crate::runtime",
            "spec.yaml",
            "cargo xtask gen",
            threads,
        )
        .expect("prints")
    }

    #[test]
    fn the_output_does_not_depend_on_the_number_of_threads() {
        let one = printed(1);
        assert_eq!(one.len(), 4);
        assert!(one.iter().all(|f| f.contents.starts_with("// @generated")));
        for threads in 2..=5 {
            assert_eq!(printed(threads), one, "{threads} threads");
        }
    }

    #[test]
    fn the_client_printed_a_method_at_a_time_is_its_impl_block_printed_whole() {
        let files = printed(2);
        let client = files
            .iter()
            .find(|f| f.path == "client.rs")
            .expect("a client file");
        let parsed = syn::parse_file(&client.contents).expect("the client parses");
        let impl_blocks = parsed
            .items
            .iter()
            .filter(|item| matches!(item, syn::Item::Impl(i) if quote::ToTokens::to_token_stream(&i.self_ty).to_string() == "Client"))
            .count();
        assert_eq!(impl_blocks, 1, "{}", client.contents);
        for method in [
            "fn new",
            "fn with_options",
            "fn list_pets",
            "fn create_pet",
            "fn get_pet",
        ] {
            assert!(client.contents.contains(method), "{method}");
        }
        let whole = crate::format::format(&parsed, "spec.yaml", "cargo xtask gen");
        assert_eq!(client.contents, whole);
    }

    #[test]
    fn a_type_of_thousands_of_members_printed_a_batch_at_a_time_is_the_type_printed_whole() {
        // 2,500 values and 2,300 properties: three batches each, the last one short.
        let values: Vec<String> = (0..2_500)
            .map(|i| {
                format!(
                    "'value-{i}{}'",
                    ["", "_ñ", " long ".repeat(12).as_str()][i % 3]
                )
            })
            .collect();
        let properties: Vec<String> = (0..2_300)
            .map(|i| format!("p{i}Name: {{type: integer, description: 'Property {i}.'}}"))
            .collect();
        let spec = format!(
            "openapi: 3.0.3
info: {{title: T, version: '1'}}
paths: {{}}
components:
  schemas:
    Big: {{type: string, enum: [{}]}}
    Wide: {{type: object, required: [p0Name, p7Name], additionalProperties: true, properties: {{{}}}}}
",
            values.join(", "),
            properties.join(", ")
        );
        let (api, _) = lower_spec(
            Source {
                name: "spec.yaml",
                text: &spec,
            },
            None,
        )
        .expect("the test spec lowers");
        for threads in [1, 2] {
            let files = print_files_on(
                &api,
                "crate::runtime",
                "spec.yaml",
                "cargo xtask gen",
                threads,
            )
            .expect("prints");
            let types = files
                .iter()
                .find(|f| f.path == "types.rs")
                .expect("a types file");
            let parsed = syn::parse_file(&types.contents).expect("the types parse");
            let names: Vec<String> = parsed
                .items
                .iter()
                .map(|item| match item {
                    syn::Item::Enum(e) => format!("enum {} {}", e.ident, e.variants.len()),
                    syn::Item::Struct(s) => format!("struct {} {}", s.ident, s.fields.len()),
                    syn::Item::Impl(i) => format!(
                        "impl {} {}",
                        quote::ToTokens::to_token_stream(&i.self_ty),
                        i.items.len()
                    ),
                    _ => "other".to_string(),
                })
                .filter(|name| name != "other")
                .collect();
            assert_eq!(
                names,
                [
                    "enum Big 2501",
                    "impl Big 1",
                    "impl Big 1",
                    "impl Big 1",
                    "impl Big 1",
                    "impl Big 1",
                    "struct Wide 2301",
                ],
                "{threads} threads"
            );
            // One `match` of every value and the fallback in each method, not one per batch.
            let matches: Vec<(String, usize)> = parsed
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(i) => Some(&i.items),
                    _ => None,
                })
                .flatten()
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some(f),
                    _ => None,
                })
                .flat_map(|f| {
                    f.block.stmts.iter().map(|stmt| match stmt {
                        syn::Stmt::Expr(syn::Expr::Match(m), _) => {
                            (f.sig.ident.to_string(), m.arms.len())
                        }
                        _ => (f.sig.ident.to_string(), 0),
                    })
                })
                .filter(|(name, _)| name == "as_str" || name == "from")
                .collect();
            assert_eq!(
                matches,
                [("as_str".to_string(), 2_501), ("from".to_string(), 2_501)]
            );
            let whole = crate::format::format(&parsed, "spec.yaml", "cargo xtask gen");
            assert!(
                types.contents == whole,
                "{threads} threads: the batches differ from the whole"
            );
        }
    }
}
