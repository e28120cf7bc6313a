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

use std::sync::atomic::{AtomicBool, Ordering};

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
    /// The header, emitted when called if this [`Share`] claims it (else empty).
    pub header: Box<dyn FnOnce() -> TokenStream + 'a>,
    /// The chunks this [`Share`] claims, each with its position among all the file's chunks;
    /// claimed one by one as the iterator is advanced.
    pub chunks: Box<dyn Iterator<Item = (usize, Chunk)> + 'a>,
}

/// The tokens of one work unit, or of one part of a unit too large to print at once (a list
/// of thousands of enum variants, fields or match arms).
#[derive(Clone)]
pub struct Chunk {
    pub tokens: TokenStream,
    /// `0`: the tokens are items of their own. `n > 0`: they are one item, `n` blocks deep,
    /// whose innermost block continues the innermost of the `n` blocks that end the text
    /// printed before it: the client's methods continue the header's `impl Client` block (1);
    /// more of an enum's variants continue its `enum` block (1), more of a `match`'s arms its
    /// `impl`, `fn` and `match` blocks (3). prettyplease prints an item's members alike at the
    /// same depth, so the file reads as if the item were printed whole.
    pub continues: usize,
}

impl Chunk {
    /// Items of their own.
    pub fn items(tokens: TokenStream) -> Self {
        Self {
            tokens,
            continues: 0,
        }
    }

    /// One item whose innermost of `depth` blocks continues the text before it.
    pub fn continuing(depth: usize, tokens: TokenStream) -> Self {
        Self {
            tokens,
            continues: depth,
        }
    }
}

/// The work units of one API's files: each file's header, then every type's chunks, every
/// operation's request type and every operation's client methods. Threads printing together
/// claim them as they go, so a thread held up by a large unit leaves the rest to the others.
mod unit {
    pub const MOD_RS: usize = 0;
    pub const TYPES_HEADER: usize = 1;
    pub const OPERATIONS_HEADER: usize = 2;
    pub const CLIENT_HEADER: usize = 3;
    pub const AUTH: usize = 4;
    pub const WEBHOOKS: usize = 5;
    /// The first chunk's unit: types', then operations', then the client's.
    pub const CHUNKS: usize = 6;
}

/// A table of claims, one per work unit of `api`, all unclaimed.
pub fn claims(api: &Api) -> Vec<AtomicBool> {
    // Each operation has two chunks: its request type and its client methods.
    let units = unit::CHUNKS + types::unit_count(api) + 2 * api.operations.len();
    (0..units).map(|_| AtomicBool::new(false)).collect()
}

/// What one of the threads printing an API emits: the work units it claims first in a table
/// shared by all of them (or, alone, every unit).
#[derive(Debug, Clone, Copy)]
pub struct Share<'c> {
    claims: Option<&'c [AtomicBool]>,
}

impl<'c> Share<'c> {
    /// Every unit, on one thread.
    pub const ALL: Share<'static> = Share { claims: None };

    /// A share of the units in `claims` (from [`claims`]), taken as they are reached.
    pub fn claiming(claims: &'c [AtomicBool]) -> Self {
        Self {
            claims: Some(claims),
        }
    }

    /// Whether this share does `unit`: it is the first to ask.
    fn take(self, unit: usize) -> bool {
        match self.claims {
            None => true,
            // One atomic swap per unit: exactly one asker sees `false`.
            Some(claims) => claims
                .get(unit)
                .is_some_and(|claimed| !claimed.swap(true, Ordering::Relaxed)),
        }
    }

    /// `items` with their positions (the units from `first_unit` on), keeping those this share
    /// claims, each emitted by `emit` as one or more chunks (made as they are reached).
    fn emit<'a, T, C>(
        self,
        first_unit: usize,
        items: &'a [T],
        emit: impl Fn(&'a T) -> C + 'a,
    ) -> impl Iterator<Item = (usize, Chunk)> + 'a
    where
        'c: 'a,
        C: IntoIterator<Item = Chunk> + 'a,
    {
        items
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.take(first_unit + i))
            .flat_map(move |(i, item)| emit(item).into_iter().map(move |chunk| (i, chunk)))
    }
}

/// The files of one provider module, in the order they are written, with the headers and
/// chunks `share` claims when it reaches them.
pub fn emit<'a, 'c: 'a>(
    api: &'a Api,
    settings: &'a EmitSettings,
    share: Share<'c>,
) -> Vec<FileTokens<'a>> {
    let runtime = &settings.runtime_path;
    let types_chunks = unit::CHUNKS;
    let operations_chunks = unit::CHUNKS + types::unit_count(api);
    let client_chunks = operations_chunks + api.operations.len();
    let mut files = vec![
        FileTokens {
            path: "mod.rs",
            header: claimed(share, unit::MOD_RS, move || module_root(api)),
            chunks: Box::new(std::iter::empty()),
        },
        FileTokens {
            path: "types.rs",
            header: claimed(share, unit::TYPES_HEADER, move || {
                types::emit_header(api, runtime)
            }),
            chunks: Box::new(types::emit_chunks(api, share, types_chunks)),
        },
        FileTokens {
            path: "operations.rs",
            header: claimed(share, unit::OPERATIONS_HEADER, move || {
                operations::emit_header(api, runtime)
            }),
            chunks: Box::new(operations::emit_chunks(api, share, operations_chunks)),
        },
        FileTokens {
            path: "client.rs",
            header: claimed(share, unit::CLIENT_HEADER, move || {
                client::emit_header(api, runtime)
            }),
            chunks: Box::new(client::emit_chunks(api, share, client_chunks)),
        },
    ];
    if !api.credentials.is_empty() {
        files.push(FileTokens {
            path: "auth.rs",
            header: claimed(share, unit::AUTH, move || {
                auth::emit(&api.credentials, runtime)
            }),
            chunks: Box::new(std::iter::empty()),
        });
    }
    if let Some(hooks) = &api.webhooks {
        files.push(FileTokens {
            path: "webhooks.rs",
            header: claimed(share, unit::WEBHOOKS, move || {
                webhooks::emit(hooks, &api.types, runtime)
            }),
            chunks: Box::new(std::iter::empty()),
        });
    }
    files
}

/// A header that `emit`s its tokens if `share` claims `unit` when it is called, and is empty
/// otherwise: each header is printed by one share.
fn claimed<'a, 'c: 'a>(
    share: Share<'c>,
    unit: usize,
    emit: impl FnOnce() -> TokenStream + 'a,
) -> Box<dyn FnOnce() -> TokenStream + 'a> {
    Box::new(move || {
        if share.take(unit) {
            emit()
        } else {
            TokenStream::new()
        }
    })
}

fn module_root(api: &Api) -> TokenStream {
    let title = docs::line(&format!(
        " Client for the {} (version {}).",
        api.title, api.version
    ));
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
    let title = docs::line(&format!(
        " Client for the {} (version {}), generated by rampgen.",
        api.title, api.version
    ));
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

/// `#![allow(deprecated)]` for a module that names deprecated operations, when the API has
/// any: the module itself uses them; users' uses still warn.
fn allow_deprecated(api: &Api) -> Option<TokenStream> {
    api.operations
        .iter()
        .any(|op| op.deprecated)
        .then(|| quote!(#![allow(deprecated)]))
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
