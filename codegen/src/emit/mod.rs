//! Emit: the IR → Rust syntax trees, with `quote!`. This module never sees OpenAPI: everything
//! it needs (names, wire names, docs, types) is in the IR.

mod auth;
mod client;
mod docs;
mod operations;
mod pagination;
mod request_body;
mod type_ref;
mod types;
mod webhooks;

#[cfg(test)]
mod operations_tests;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// What the emitted code needs to know about where it will live.
#[derive(Clone)]
pub struct EmitSettings {
    /// Path of the hand-written runtime as seen from the generated modules, e.g. `crate::runtime`.
    pub runtime_path: syn::Path,
}

/// One generated file as tokens: its header (inner docs, imports, small items) and the rest in
/// chunks of one or more items, produced lazily so that printing a huge API never holds its
/// whole syntax tree.
pub struct FileTokens<'a> {
    /// Relative to the provider's folder: `mod.rs`, `types.rs`, …
    pub path: &'static str,
    pub header: TokenStream,
    /// The chunks of this [`Share`], each with its position among all the file's chunks.
    pub chunks: Box<dyn Iterator<Item = (usize, TokenStream)> + 'a>,
}

/// Which chunks of each file one of several threads emits: those at positions `i` with
/// `i % count == index`, so that large and small items spread evenly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub index: usize,
    pub count: usize,
}

impl Share {
    /// Every chunk, on one thread.
    pub const ALL: Share = Share { index: 0, count: 1 };

    fn includes(self, position: usize) -> bool {
        position % self.count.max(1) == self.index
    }

    /// `items` with their positions, keeping those of this share, each emitted by `emit`.
    fn emit<'a, T>(
        self,
        items: &'a [T],
        emit: impl Fn(&'a T) -> TokenStream + 'a,
    ) -> impl Iterator<Item = (usize, TokenStream)> + 'a {
        items
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.includes(*i))
            .map(move |(i, item)| (i, emit(item)))
    }
}

/// The files of one provider module, in the order they are written, with the chunks of
/// `share`. Each header belongs to one share; the others' are empty.
pub fn emit<'a>(api: &'a Api, settings: &EmitSettings, share: Share) -> Vec<FileTokens<'a>> {
    let runtime = &settings.runtime_path;
    let (types_header, types) = types::emit_parts(api, runtime, share);
    let (operations_header, operations) = operations::emit_parts(api, runtime, share);
    let mut files = vec![
        FileTokens {
            path: "mod.rs",
            header: owned_by(share, 0, || module_root(api)),
            chunks: Box::new(std::iter::empty()),
        },
        FileTokens {
            path: "types.rs",
            header: owned_by(share, 0, || types_header),
            chunks: Box::new(types),
        },
        FileTokens {
            path: "operations.rs",
            header: owned_by(share, 0, || operations_header),
            chunks: Box::new(operations),
        },
        FileTokens {
            path: "client.rs",
            // The largest header-only file goes to the last share, which has no other header.
            header: owned_by(share, share.count.max(1) - 1, || client::emit(api, runtime)),
            chunks: Box::new(std::iter::empty()),
        },
    ];
    if !api.credentials.is_empty() {
        files.push(FileTokens {
            path: "auth.rs",
            header: owned_by(share, 0, || auth::emit(&api.credentials, runtime)),
            chunks: Box::new(std::iter::empty()),
        });
    }
    if let Some(hooks) = &api.webhooks {
        files.push(FileTokens {
            path: "webhooks.rs",
            header: owned_by(share, 0, || webhooks::emit(hooks, &api.types, runtime)),
            chunks: Box::new(std::iter::empty()),
        });
    }
    files
}

/// `emit()` for the share `owner`, nothing for the others: each header is printed once.
fn owned_by(share: Share, owner: usize, emit: impl FnOnce() -> TokenStream) -> TokenStream {
    if share.index == owner {
        emit()
    } else {
        TokenStream::new()
    }
}

fn module_root(api: &Api) -> TokenStream {
    let title = format!(" Client for the {} (version {}).", api.title, api.version);
    let description = docs::inner(api.description.as_deref());
    let server_export = (!api.servers.is_empty()).then(|| {
        quote!(
            pub use client::Server;
        )
    });
    let auth = (!api.credentials.is_empty()).then(|| {
        let names = auth::exported_names(&api.credentials);
        quote!(
            mod auth;
            pub use auth::{#(#names),*};
        )
    });
    let webhooks = api.webhooks.is_some().then(|| {
        quote! {
            #![doc = ""]
            #![doc = " The events the API sends to your endpoint, and how to verify them, are in [`webhooks`]."]
        }
    });
    let webhooks_module = api.webhooks.is_some().then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = " Types live in [`types`], one request struct per operation in [`operations`], and"]
        #![doc = " [`Client`] sends them."]
        #webhooks

        mod client;
        pub mod operations;
        pub mod types;
        #webhooks_module

        pub use client::Client;
        #server_export
        #auth
    }
}

/// The root (`lib.rs`) of a standalone crate whose API module is `api/`: re-exports the runtime
/// at `runtime` as `runtime` (so `crate::runtime` resolves) and the API's items.
pub fn crate_root(api: &Api, runtime: &syn::Path) -> Result<syn::File, syn::Error> {
    let title = format!(
        " Client for the {} (version {}), generated by rampgen.",
        api.title, api.version
    );
    let reexport = match runtime.segments.last() {
        Some(last) if last.ident == "runtime" => quote!(pub use #runtime;),
        _ => quote!(pub use #runtime as runtime;),
    };
    let tokens = quote! {
        #![doc = #title]

        #reexport

        #[rustfmt::skip]
        mod api;
        pub use api::*;
    };
    syn::parse2(tokens)
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
