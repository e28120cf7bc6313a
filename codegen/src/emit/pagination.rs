//! Paginated operations: the request struct's `runtime::Paginated` impl (in the operations file)
//! and the client's `<operation>_pages` and `<operation>_stream` methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::type_ref::TypePath;
use crate::ir::{Operation, OutputField, Pagination, PaginationStyle};
use crate::naming::unraw;

/// `impl runtime::Paginated for <Op>`, for a paginated operation.
pub fn paginated_impl(
    op: &Operation,
    runtime: &syn::Path,
    types: &TypePath,
) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let name = format_ident!("{}", op.type_name);
    let item = types.rust_type(&pagination.item_type);
    let items = match &pagination.items {
        Some(field) => take(field, quote!(output)),
        None => quote!(output),
    };
    let next = match &pagination.style {
        PaginationStyle::NextLink { next } => {
            let link = optional(next, quote!(output));
            quote! {
                let next = #link
                    .filter(|link| !link.is_empty())
                    .map(#runtime::Next::Link);
            }
        }
        PaginationStyle::Cursor { next, param } => {
            let cursor = optional(next, quote!(output));
            let param = &op.params[*param];
            let field = format_ident!("{}", param.name);
            let value = if param.required {
                quote!(cursor)
            } else {
                quote!(Some(cursor))
            };
            quote! {
                let next = #cursor
                    .filter(|cursor| !cursor.is_empty() && !items.is_empty())
                    .map(|cursor| {
                        #runtime::Next::Request(Self { #field: #value, ..self.clone() })
                    });
            }
        }
        PaginationStyle::Offset { offset, limit } => {
            let offset = &op.params[*offset];
            let offset_field = format_ident!("{}", offset.name);
            let offset_type = types.rust_type(&offset.ty);
            let current = if offset.required {
                quote!(self.#offset_field)
            } else {
                quote!(self.#offset_field.unwrap_or(0))
            };
            let advanced = quote!(#current + received as #offset_type);
            let advanced = if offset.required {
                advanced
            } else {
                quote!(Some(#advanced))
            };
            // A page that holds fewer items than the limit asked for is the last.
            let full = limit.map(|i| &op.params[i]).map(|limit| {
                let limit_field = format_ident!("{}", limit.name);
                if limit.required {
                    quote!(&& received as i128 >= self.#limit_field as i128)
                } else {
                    quote!(&& self.#limit_field.is_none_or(|limit| received as i128 >= limit as i128))
                }
            });
            quote! {
                let received = items.len();
                let next = (received > 0 #full).then(|| {
                    #runtime::Next::Request(Self { #offset_field: #advanced, ..self.clone() })
                });
            }
        }
    };
    Some(quote! {
        impl #runtime::Paginated for #name {
            type Item = #item;
            fn split_page(&self, output: Self::Output) -> #runtime::Page<Self> {
                let items = #items;
                #next
                #runtime::Page { items, next }
            }
        }
    })
}

/// The items field of the output, an empty list when absent.
fn take(field: &OutputField, output: TokenStream) -> TokenStream {
    let name = format_ident!("{}", field.name);
    if field.optional {
        quote!(#output.#name.unwrap_or_default())
    } else {
        quote!(#output.#name)
    }
}

/// A field of the output as an `Option`.
fn optional(field: &OutputField, output: TokenStream) -> TokenStream {
    let name = format_ident!("{}", field.name);
    if field.optional {
        quote!(#output.#name)
    } else {
        quote!(Some(#output.#name))
    }
}

/// The client's `<operation>_pages` and `<operation>_stream` methods, for a paginated operation.
pub fn client_methods(
    op: &Operation,
    runtime: &TokenStream,
    types: &TypePath,
) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let request = format_ident!("{}", op.type_name);
    let error = format_ident!("{}", op.error_type_name);
    let item = types.rust_type(&pagination.item_type);
    // `type` is `r#type`, but `type_pages` needs no `r#`.
    let method = unraw(&op.method_name);
    let pages = format_ident!("{method}{}", Pagination::PAGES_SUFFIX);
    let stream = format_ident!("{method}{}", Pagination::STREAM_SUFFIX);
    let one_page = &op.method_name;
    let pages_doc = format!(
        " The pages of [`Client::{one_page}`], one request each, starting with `request` \
         ({} pagination).",
        pagination.style.name()
    );
    let stream_doc = format!(
        " Every item of [`Client::{one_page}`], page after page, starting with `request`; \
         `{pages}(request).with_page_limit(n).into_stream()` bounds the pages fetched."
    );
    Some(quote! {
        #[doc = #pages_doc]
        #[doc = ""]
        #[doc = " A link to the next page is followed only to the base URL's origin."]
        pub fn #pages(
            &self,
            request: operations::#request,
        ) -> #runtime::Pages<'_, operations::#request> {
            #runtime::Pages::new(&self.transport, request)
        }

        #[doc = #stream_doc]
        pub fn #stream(
            &self,
            request: operations::#request,
        ) -> impl #runtime::futures_util::Stream<
            Item = Result<#item, #runtime::Error<operations::#error>>,
        > + Unpin + '_ {
            #runtime::Pages::new(&self.transport, request).into_stream()
        }
    })
}
