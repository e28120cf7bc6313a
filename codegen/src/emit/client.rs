//! The `Client` (one async method per operation) and the `Server` enum of documented base URLs.
//!
//! The header holds the `impl Client` block with the client's own methods; each operation's
//! methods are a chunk that continues that block (see [`FileTokens`](super::FileTokens)), so a
//! large API's client is printed a method at a time, on every printing thread.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::operations::output_type_name;
use super::type_ref::TypePath;
use super::{Chunk, Share};
use crate::ir::{Api, Operation, OperationSite};

/// Each operation's methods (the call, and its pages and stream when paginated), as an
/// `impl Client` block that continues the header's: the units from `first_unit` on that
/// `share` claims.
pub fn emit_chunks<'a, 'c: 'a>(
    api: &'a Api,
    share: Share<'c>,
    first_unit: usize,
) -> impl Iterator<Item = (usize, Chunk)> + 'a {
    share.emit(first_unit, &api.operations, move |op| {
        let methods = methods(api, op);
        // The methods go inside the header's `impl Client` block.
        std::iter::once(Chunk::continuing(
            1,
            quote! {
                impl Client {
                    #methods
                }
            },
        ))
    })
}

fn methods(api: &Api, op: &Operation) -> TokenStream {
    let runtime = quote!(runtime);
    let method = format_ident!("{}", op.method_name);
    let request = format_ident!("{}", op.type_name);
    let signature = format!("`{} {}`", op.http_method, op.path);
    let types = TypePath::new(&api.types, quote!(types::));
    let output = output_type_name(op, &types, &quote!(operations::));
    let error = format_ident!("{}", op.error_type_name);
    let docs = docs::paragraphs(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&signature),
    ]);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let paging = super::pagination::client_methods(op, &runtime, &types);
    // A plain function returning the transport's future, not an `async fn`: the same
    // future (and `Send` when it is), without a state machine per operation for the
    // user's compiler to check.
    quote! {
        #docs
        #deprecated
        pub fn #method<'a>(
            &'a self,
            request: &'a operations::#request,
        ) -> impl std::future::Future<
            Output = Result<#output, #runtime::Error<operations::#error>>,
        > + 'a {
            self.transport.execute(request)
        }

        #paging
    }
}

/// The file's inner docs, imports, the `Server` enum, the `Client` struct and the `impl Client`
/// block with the client's own methods, which the chunks continue.
pub fn emit_header(api: &Api, runtime_path: &syn::Path) -> TokenStream {
    let runtime_import = super::runtime_import(runtime_path);
    let runtime = quote!(runtime);
    let server = server_enum(api);
    let client_doc = docs::line(&format!(
        " A client for the {} (version {}).",
        api.title, api.version
    ));
    let operations_import = (!api.operations.is_empty()).then(|| {
        quote!(
            use super::operations;
        )
    });
    let types_import = api
        .operations
        .iter()
        .any(|op| {
            op.refs()
                .any(|(site, ty)| matches!(site, OperationSite::Success(_)) && ty.named().is_some())
        })
        .then(|| {
            quote!(
                use super::types;
            )
        });
    let allow_deprecated = super::allow_deprecated(api);
    quote! {
        #![doc = " The client and the API's documented servers."]
        #allow_deprecated
        #runtime_import
        #operations_import
        #types_import

        #server

        #[doc = #client_doc]
        #[doc = ""]
        #[doc = " Cheap to clone: clones share one connection pool and one set of credentials."]
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: #runtime::Transport,
        }

        impl Client {
            /// Creates a client from a configuration (base URL, credentials, timeout, …).
            pub fn new(config: #runtime::ClientConfig) -> Result<Self, #runtime::ConfigError> {
                Ok(Self { transport: #runtime::Transport::new(config)? })
            }

            /// Creates a client over an existing transport.
            pub fn from_transport(transport: #runtime::Transport) -> Self {
                Self { transport }
            }

            /// The transport this client sends requests through; its `execute_with_response`
            /// runs an operation and returns the body with the response's status and headers.
            pub fn transport(&self) -> &#runtime::Transport {
                &self.transport
            }

            /// A view of this client whose calls use `options` (a timeout, a retry policy,
            /// extra headers). Cheap: it shares the connection pool and credentials.
            pub fn with_options(&self, options: #runtime::CallOptions) -> Self {
                Self { transport: self.transport.with_options(options) }
            }
        }
    }
}

fn server_enum(api: &Api) -> Option<TokenStream> {
    if api.servers.is_empty() {
        return None;
    }
    let names: Vec<_> = api
        .servers
        .iter()
        .map(|s| format_ident!("{}", s.name))
        .collect();
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let variant_docs = api.servers.iter().map(|s| {
        let text = match &s.description {
            Some(description) => format!("{description}: <{}>", s.url),
            None => format!("<{}>", s.url),
        };
        docs::outer(Some(&text))
    });
    Some(quote! {
        /// The base URLs the spec documents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Server {
            #( #variant_docs #names, )*
        }

        impl Server {
            /// The base URL, to pass to `ClientConfig::new`.
            pub const fn url(self) -> &'static str {
                match self {
                    #( Self::#names => #urls, )*
                }
            }
        }
    })
}
