//! The `operations` module: per operation, a request struct (its inputs), an enum of its
//! documented errors, and the pure request builder and response decoder that connect them to
//! HTTP through the runtime's `Operation` trait.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::request_body;
use super::type_ref::TypePath;
use super::{docs, Chunk, Share};
use crate::ir::{
    Api, BodyKind, Operation, ParamLocation, PathPart, Response, ResponseBody, SharedDefinition,
    StatusMatch, TypeDef,
};

#[cfg(test)]
pub fn emit(api: &Api, runtime_path: &syn::Path) -> TokenStream {
    let header = emit_header(api, runtime_path);
    let operations = emit_chunks(api, Share::ALL, 0).map(|(_, chunk)| chunk.tokens);
    quote! { #header #(#operations)* }
}

/// Lazily, one token chunk per operation that `share` claims (the operations are the units
/// from `first_unit` on).
pub fn emit_chunks<'a, 'c: 'a>(
    api: &'a Api,
    share: Share<'c>,
    first_unit: usize,
) -> impl Iterator<Item = (usize, Chunk)> + 'a {
    let runtime: syn::Path = syn::parse_quote!(runtime);
    share.emit(first_unit, &api.operations, move |op| {
        std::iter::once(Chunk::items(operation(op, &api.types, &runtime)))
    })
}

/// The module's header: docs, imports, and the error enums operations share.
pub fn emit_header(api: &Api, runtime_path: &syn::Path) -> TokenStream {
    let runtime_import = (!api.operations.is_empty()).then(|| super::runtime_import(runtime_path));
    let runtime: syn::Path = syn::parse_quote!(runtime);
    let shared_errors: Vec<TokenStream> = api.operations.iter().filter_map(|op| {
        let shared = op
            .shared_errors
            .as_ref()
            .filter(|shared| shared.defined == SharedDefinition::Here)?;
        let name = format_ident!("{}", shared.type_name);
        let doc = format!(
            " The documented errors of the {} operations that document the same ones (each also names it by its `…Error` alias).",
            shared.operations
        );
        let types = TypePath::new(&api.types, quote!(types::));
        Some(error_enum(op, &name, &doc, &types, &runtime))
    }).collect();
    let uses_types =
        (api.operations.iter()).any(|op| op.refs().any(|(_, ty)| ty.named().is_some()));
    let types_import = uses_types.then(|| {
        quote!(
            use super::types;
        )
    });
    let allow_deprecated = super::allow_deprecated(api);
    quote! {
        #![doc = " One request struct per operation, with its documented errors."]
        #![doc = ""]
        #![doc = " Each struct implements the runtime's `Operation`: `to_request` builds the exact HTTP"]
        #![doc = " request without sending it, and `decode_response` turns a status and body into the"]
        #![doc = " typed result. [`Client`](super::Client) runs both."]
        #allow_deprecated
        #runtime_import
        #types_import
        #(#shared_errors)*
    }
}

fn operation(op: &Operation, named: &[TypeDef], runtime: &syn::Path) -> TokenStream {
    let name = format_ident!("{}", op.type_name);
    let error_name = format_ident!("{}", op.error_type_name);
    let types = TypePath::new(named, quote!(types::));
    let signature = format!("`{} {}`", op.http_method, op.path);
    let docs = docs::paragraphs(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&signature),
    ]);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let mut fields: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let field = format_ident!("{}", p.name);
            let ty = types.rust_type(&p.ty);
            let ty = if p.required { ty } else { quote!(Option<#ty>) };
            let docs = docs::outer(p.docs.as_deref());
            quote! { #docs pub #field: #ty }
        })
        .collect();
    if let Some(body) = &op.body {
        let field = format_ident!("{}", body.name);
        let ty = request_body::field_type(body, &types);
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        let docs = docs::outer(Some(body.docs.as_deref().unwrap_or("The request body.")));
        fields.push(quote! { #docs pub #field: #ty });
    }
    let all_optional =
        op.params.iter().all(|p| !p.required) && op.body.as_ref().is_none_or(|b| !b.required);
    let default = all_optional.then(|| quote!(Default,));
    let multipart = op.body.as_ref().and_then(|body| match &body.kind {
        BodyKind::Multipart(form) => Some(request_body::multipart_struct(
            form,
            &op.type_name,
            runtime,
            &types,
        )),
        _ => None,
    });

    let errors = match &op.shared_errors {
        Some(shared) if shared.defined == SharedDefinition::Runtime => {
            let doc = format!(
                " [`{}`] documents no error responses: any status other than its successes is `ErrorKind::UnexpectedStatus`.",
                op.type_name
            );
            let shared_name = format_ident!("{}", shared.type_name);
            quote! {
                #[doc = #doc]
                pub type #error_name = #runtime::#shared_name;
            }
        }
        Some(shared) => {
            let shared_name = format_ident!("{}", shared.type_name);
            let doc = format!(
                " The documented error responses of [`{}`]: [`{}`], which {} operations share.",
                op.type_name, shared.type_name, shared.operations
            );
            quote! {
                #[doc = #doc]
                pub type #error_name = #shared_name;
            }
        }
        None => {
            let doc = format!(" The documented error responses of [`{}`].", op.type_name);
            error_enum(op, &error_name, &doc, &types, runtime)
        }
    };
    let (output, success_enum) = output_type(op, &types);
    let authenticated = op.authenticated;
    let operation_id = &op.id;
    let path_template = &op.path;
    let idempotent = op.idempotent.then(|| {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    });
    let idempotency_key = op
        .idempotency_key
        .as_ref()
        .map(|header| quote!(const IDEMPOTENCY_KEY: Option<&'static str> = Some(#header);));
    let to_request = to_request(op, runtime);
    let decode = decode_response(op, runtime);
    let paginated = super::pagination::paginated_impl(op, runtime, &types);

    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields,)*
        }

        #multipart

        #errors

        #success_enum

        impl #runtime::Operation for #name {
            type Output = #output;
            type Error = #error_name;
            const AUTHENTICATED: bool = #authenticated;
            const OPERATION_ID: &'static str = #operation_id;
            const PATH_TEMPLATE: &'static str = #path_template;
            #idempotent
            #idempotency_key

            #to_request
            #decode
        }

        #paginated
    }
}

fn status_doc(response: &Response) -> String {
    let status = match response.status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(range) => format!("{range}XX"),
        StatusMatch::Default => "Any other status".to_string(),
    };
    match &response.docs {
        Some(docs) => format!("{status}: {docs}"),
        None => status,
    }
}

/// The Rust type a response body decodes into, or `None` for no body.
fn body_type(body: &ResponseBody, types: &TypePath) -> Option<TokenStream> {
    body.value_type().map(|ty| types.rust_type(&ty))
}

fn error_variant(response: &Response, types: &TypePath) -> TokenStream {
    let variant = format_ident!("{}", response.variant);
    let docs = docs::outer(Some(&status_doc(response)));
    match body_type(&response.body, types) {
        None => quote! { #docs #variant },
        Some(ty) => quote! { #docs #variant(#ty) },
    }
}

/// The operation's success type as written in a module that reaches named types through
/// `types` and the operations module through `operations`.
pub(super) fn output_type_name(
    op: &Operation,
    types: &TypePath<'_>,
    operations: &TokenStream,
) -> TokenStream {
    match &op.success_type_name {
        Some(name) => {
            let name = format_ident!("{}", name);
            quote!(#operations #name)
        }
        None => op
            .success
            .first()
            .and_then(|r| body_type(&r.body, types))
            .unwrap_or_else(|| quote!(())),
    }
}

/// The enum `name` of `op`'s documented errors, with its body accessor and its decoder.
fn error_enum(
    op: &Operation,
    name: &proc_macro2::Ident,
    doc: &str,
    types: &TypePath,
    runtime: &syn::Path,
) -> TokenStream {
    let variants = op.errors.iter().map(|r| error_variant(r, types));
    let body = shared_error_body(op, name, types);
    let decode = decode_errors(&op.errors, runtime);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }

        #body

        impl #runtime::ErrorResponses for #name {
            #decode
        }
    }
}

/// `ErrorResponses::decode`: each documented error's status to its variant, exact codes
/// first, then ranges, then `default`, as OpenAPI specifies (`StatusMatch`'s order); any
/// other status is unexpected.
fn decode_errors(errors: &[Response], runtime: &syn::Path) -> TokenStream {
    let signature = quote! {
        fn decode(
            status: #runtime::http::StatusCode,
            body: &[u8],
        ) -> Result<Self, #runtime::Error<Self>>
    };
    match errors {
        [] => {
            return quote! {
                #signature {
                    Err(#runtime::unexpected_status(status, body))
                }
            }
        }
        // Every status is this error: no match to write.
        [only] if only.status == StatusMatch::Default => {
            let value = variant_value(only, &quote!(Self), runtime);
            return quote! {
                #signature {
                    Ok(#value)
                }
            };
        }
        _ => {}
    }
    let mut ordered: Vec<&Response> = errors.iter().collect();
    ordered.sort_by_key(|r| r.status);
    let mut arms: Vec<TokenStream> = ordered
        .iter()
        .map(|response| {
            let pattern = status_pattern(response.status);
            let value = variant_value(response, &quote!(Self), runtime);
            quote!(#pattern => #value)
        })
        .collect();
    if !errors.iter().any(|r| r.status == StatusMatch::Default) {
        arms.push(quote!(_ => return Err(#runtime::unexpected_status(status, body))));
    }
    quote! {
        #signature {
            let error = match status.as_u16() {
                #(#arms,)*
            };
            Ok(error)
        }
    }
}

/// `Enum::Variant(decoded body)`, or `Enum::Variant` for a response without a body (whatever
/// body came is ignored).
fn variant_value(response: &Response, ty: &TokenStream, runtime: &syn::Path) -> TokenStream {
    let variant = format_ident!("{}", response.variant);
    if response.body == ResponseBody::Empty {
        quote!(#ty::#variant)
    } else {
        let decoded = decode_body(&response.body, runtime);
        quote!(#ty::#variant(#decoded))
    }
}

/// When every documented error carries the same body type, an accessor for it, so callers
/// can read the provider's error (e.g. its `type`) whatever the status.
fn shared_error_body(
    op: &Operation,
    error_name: &proc_macro2::Ident,
    types: &TypePath,
) -> Option<TokenStream> {
    if !op.errors_share_body {
        return None;
    }
    let ty = body_type(&op.errors.first()?.body, types)?;
    let variants = op.errors.iter().map(|r| format_ident!("{}", r.variant));
    Some(quote! {
        impl #error_name {
            /// The error body, which has the same shape for every documented status.
            pub fn body(&self) -> &#ty {
                match self {
                    #( Self::#variants(body) )|* => body,
                }
            }
        }
    })
}

/// The success type, and the enum that defines it when success bodies differ by status.
fn output_type(op: &Operation, types: &TypePath) -> (TokenStream, Option<TokenStream>) {
    let output = output_type_name(op, types, &quote!());
    let Some(enum_name) = &op.success_type_name else {
        return (output, None);
    };
    let name = format_ident!("{}", enum_name);
    let variants = op.success.iter().map(|r| error_variant(r, types));
    let doc = format!(
        " The success responses of [`{}`], which differ by status.",
        op.type_name
    );
    let definition = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }
    };
    (output, Some(definition))
}

fn to_request(op: &Operation, runtime: &syn::Path) -> TokenStream {
    let method = format_ident!("{}", op.http_method);
    let path = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(.path(#text)),
        PathPart::Param(index) => {
            let param = &op.params[*index];
            let wire = &param.wire_name;
            let field = format_ident!("{}", param.name);
            quote!(.path_param(#wire, &self.#field))
        }
    });
    let others = op.params.iter().filter_map(|param| {
        let wire = &param.wire_name;
        let field = format_ident!("{}", param.name);
        match param.location {
            ParamLocation::Query => Some(quote!(.query(#wire, &self.#field))),
            ParamLocation::Header => Some(quote!(.header(#wire, &self.#field))),
            ParamLocation::Cookie => Some(quote!(.cookie(#wire, &self.#field))),
            ParamLocation::Path => None,
        }
    });
    let accept = accept(op);
    let body = op.body.as_ref().map(request_body::builder_call);
    quote! {
        fn to_request(&self, base_url: &str) -> Result<#runtime::http::Request<Vec<u8>>, #runtime::RequestError> {
            #runtime::RequestBuilder::new(#runtime::http::Method::#method, base_url)
                #(#path)*
                #(#others)*
                #accept
                #body
                .build()
        }
    }
}

/// `.accept(…)` when the operation sets the `Accept` header.
fn accept(op: &Operation) -> Option<TokenStream> {
    let value = op.accept.as_deref()?;
    Some(quote!(.accept(#value)))
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(range) => {
            let low = Literal::u16_unsuffixed(range * 100);
            let high = Literal::u16_unsuffixed(range * 100 + 99);
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    }
}

fn decode_body(body: &ResponseBody, runtime: &syn::Path) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(#runtime::decode_empty(status, body)?),
        ResponseBody::Json(_) => quote!(#runtime::decode_json(status, body)?),
        ResponseBody::Text { .. } => quote!(#runtime::decode_text(status, body)?),
        ResponseBody::Bytes { .. } => quote!(#runtime::decode_bytes(status, body)?),
    }
}

/// `decode_response`: the success statuses (all `2XX`: lower puts every other status among
/// the errors), then every other status through the error enum's [`decode_errors`].
fn decode_response(op: &Operation, runtime: &syn::Path) -> TokenStream {
    let mut ordered: Vec<&Response> = op.success.iter().collect();
    ordered.sort_by_key(|r| r.status);
    let mut arms: Vec<TokenStream> = ordered
        .iter()
        .map(|response| {
            let pattern = status_pattern(response.status);
            let value = match &op.success_type_name {
                None => {
                    let decoded = decode_body(&response.body, runtime);
                    quote!(Ok(#decoded))
                }
                Some(success) => {
                    let success = format_ident!("{}", success);
                    if response.body == ResponseBody::Empty {
                        // The body is still checked as documented (empty: anything goes).
                        let decoded = decode_body(&response.body, runtime);
                        let variant = format_ident!("{}", response.variant);
                        quote!({ #decoded; Ok(#success::#variant) })
                    } else {
                        let value = variant_value(response, &quote!(#success), runtime);
                        quote!(Ok(#value))
                    }
                }
            };
            quote!(#pattern => #value)
        })
        .collect();
    if op.success.is_empty() {
        arms.push(quote!(200..=299 => Ok(#runtime::decode_empty(status, body)?)));
    }
    arms.push(quote!(_ => Err(#runtime::decode_error(status, body))));
    quote! {
        fn decode_response(
            status: #runtime::http::StatusCode,
            body: &[u8],
        ) -> Result<Self::Output, #runtime::Error<Self::Error>> {
            match status.as_u16() {
                #(#arms,)*
            }
        }
    }
}
