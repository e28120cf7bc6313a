//! Emit: the IR → Rust syntax trees, with `quote!`. This module never sees OpenAPI: everything
//! it needs (names, wire names, docs, types) is in the IR.

mod client;
mod docs;
mod operations;
mod type_ref;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// A generated module file before formatting: its path relative to the provider's folder
/// (`mod.rs`, `types.rs`, …) and its contents.
#[derive(Clone)]
pub struct EmittedFile {
    pub path: &'static str,
    pub file: syn::File,
}

/// What the emitted code needs to know about where it will live.
#[derive(Clone)]
pub struct EmitSettings {
    /// Path of the hand-written runtime as seen from the generated modules, e.g. `crate::runtime`.
    pub runtime_path: syn::Path,
}

/// Emits the files of one provider module. Fails only if the IR holds a name that is not a valid
/// identifier, which `naming` prevents; the error says which.
pub fn emit(api: &Api, settings: &EmitSettings) -> Result<Vec<EmittedFile>, syn::Error> {
    let runtime = &settings.runtime_path;
    Ok(vec![
        file("mod.rs", module_root(api))?,
        file("types.rs", types::emit(api))?,
        file("operations.rs", operations::emit(api, runtime))?,
        file("client.rs", client::emit(api, runtime))?,
    ])
}

fn file(path: &'static str, tokens: TokenStream) -> Result<EmittedFile, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("generated {path} does not parse: {error}"),
        )
    })?;
    Ok(EmittedFile { path, file })
}

fn module_root(api: &Api) -> TokenStream {
    let title = format!(" Client for the {} (version {}).", api.title, api.version);
    let description = docs::inner(api.description.as_deref());
    let server_export = (!api.servers.is_empty()).then(|| {
        quote!(
            pub use client::Server;
        )
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = " Types live in [`types`], one request struct per operation in [`operations`], and"]
        #![doc = " [`Client`] sends them."]

        mod client;
        pub mod operations;
        pub mod types;

        pub use client::Client;
        #server_export
    }
}

/// `use <runtime path>;` so generated code can say `runtime::X` (aliased when the path's last
/// segment is not `runtime`).
fn runtime_import(path: &syn::Path) -> TokenStream {
    let is_named_runtime = path.segments.last().is_some_and(|s| s.ident == "runtime");
    if is_named_runtime {
        quote!(use #path;)
    } else {
        quote!(use #path as runtime;)
    }
}
