//! The `auth` module: one ready constructor per credentials the spec declares, built on the
//! runtime's `ClientCredentials` and `HmacSigner`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, runtime_import};
use crate::ir::{
    Credentials, CredentialsKind, HmacScheme, KeyEncoding, SignatureEncoding, SignedPart,
    TimestampUnit,
};

/// The whole file (written only when the spec declares credentials to construct).
pub fn emit(credentials: &[Credentials], runtime_path: &syn::Path) -> TokenStream {
    let runtime_import = runtime_import(runtime_path);
    let items = credentials.iter().map(constructor);
    quote! {
        #![doc = " Credentials as the spec declares them, ready to pass to `ClientConfig::auth`."]

        #runtime_import

        #(#items)*
    }
}

/// The names `mod.rs` re-exports.
pub fn exported_names(credentials: &[Credentials]) -> Vec<syn::Ident> {
    credentials
        .iter()
        .flat_map(|c| {
            let function = format_ident!("{}", c.name);
            match c.kind {
                CredentialsKind::Hmac(_) => vec![scheme_const(c), function],
                CredentialsKind::ClientCredentials { .. } => vec![function],
            }
        })
        .collect()
}

fn scheme_const(credentials: &Credentials) -> syn::Ident {
    format_ident!("{}_SCHEME", credentials.name.to_ascii_uppercase())
}

fn constructor(credentials: &Credentials) -> TokenStream {
    let name = format_ident!("{}", credentials.name);
    let scheme_name = &credentials.scheme;
    match &credentials.kind {
        CredentialsKind::ClientCredentials { token_url } => {
            let doc = format!(
                " OAuth2 client credentials for the API at `base_url`, with tokens from `{token_url}` (the `{scheme_name}` security scheme's client-credentials flow)."
            );
            let doc = docs::line(&doc);
            quote! {
                #[doc = #doc]
                pub fn #name(
                    base_url: &str,
                    client_id: impl Into<String>,
                    client_secret: impl Into<String>,
                ) -> runtime::ClientCredentials {
                    runtime::ClientCredentials::new(
                        runtime::resolve_url(base_url, #token_url),
                        client_id,
                        client_secret,
                    )
                }
            }
        }
        CredentialsKind::Hmac(scheme) => {
            let constant = scheme_const(credentials);
            let const_doc = format!(
                " How the `{scheme_name}` security scheme signs requests: {}.",
                describe(scheme)
            );
            let const_doc = docs::line(&const_doc);
            let function_doc = format!(
                " A signer for `client_id` with `client_secret` as issued ({} key), following [`{constant}`].",
                key_text(scheme.key)
            );
            let function_doc = docs::line(&function_doc);
            let value = scheme_value(scheme);
            quote! {
                #[doc = #const_doc]
                pub const #constant: runtime::HmacScheme = #value;

                #[doc = #function_doc]
                pub fn #name(
                    client_id: impl Into<String>,
                    client_secret: &str,
                ) -> Result<runtime::HmacSigner, runtime::AuthError> {
                    runtime::HmacSigner::new(#constant, client_id, client_secret)
                }
            }
        }
    }
}

fn scheme_value(scheme: &HmacScheme) -> TokenStream {
    let HmacScheme {
        client_id_header,
        timestamp_header,
        signature_header,
        ..
    } = scheme;
    let key = format_ident!(
        "{}",
        match scheme.key {
            KeyEncoding::Base64 => "Base64",
            KeyEncoding::Hex => "Hex",
            KeyEncoding::Raw => "Raw",
        }
    );
    let timestamp = format_ident!(
        "{}",
        match scheme.timestamp {
            TimestampUnit::Seconds => "Seconds",
            TimestampUnit::Milliseconds => "Milliseconds",
        }
    );
    let signature = format_ident!(
        "{}",
        match scheme.signature {
            SignatureEncoding::Base64 => "Base64",
            SignatureEncoding::Hex => "Hex",
        }
    );
    let parts = scheme.message.iter().map(|part| match part {
        SignedPart::Timestamp => quote!(runtime::SignedPart::Timestamp),
        SignedPart::ClientId => quote!(runtime::SignedPart::ClientId),
        SignedPart::Method => quote!(runtime::SignedPart::Method),
        SignedPart::Path => quote!(runtime::SignedPart::Path),
        SignedPart::PathAndQuery => quote!(runtime::SignedPart::PathAndQuery),
        SignedPart::Body => quote!(runtime::SignedPart::Body),
        SignedPart::Literal(text) => quote!(runtime::SignedPart::Literal(#text)),
    });
    quote! {
        runtime::HmacScheme {
            client_id_header: #client_id_header,
            timestamp_header: #timestamp_header,
            signature_header: #signature_header,
            key: runtime::KeyEncoding::#key,
            timestamp: runtime::TimestampUnit::#timestamp,
            message: &[#(#parts),*],
            signature: runtime::SignatureEncoding::#signature,
        }
    }
}

/// The scheme in words, for the constant's doc comment.
fn describe(scheme: &HmacScheme) -> String {
    let message: String = scheme
        .message
        .iter()
        .map(|part| match part {
            SignedPart::Timestamp => "{timestamp}".to_string(),
            SignedPart::ClientId => "{client id}".to_string(),
            SignedPart::Method => "{method}".to_string(),
            SignedPart::Path => "{path}".to_string(),
            SignedPart::PathAndQuery => "{path?query}".to_string(),
            SignedPart::Body => "{body}".to_string(),
            SignedPart::Literal(text) => text.clone(),
        })
        .collect();
    let unit = match scheme.timestamp {
        TimestampUnit::Seconds => "s",
        TimestampUnit::Milliseconds => "ms",
    };
    let encoding = match scheme.signature {
        SignatureEncoding::Base64 => "base64",
        SignatureEncoding::Hex => "hex",
    };
    format!(
        "`{}`, `{}` (Unix time in {unit}) and `{}` = {encoding}(HMAC-SHA256(key, `{message}`))",
        scheme.client_id_header, scheme.timestamp_header, scheme.signature_header,
    )
}

fn key_text(key: KeyEncoding) -> &'static str {
    match key {
        KeyEncoding::Base64 => "base64",
        KeyEncoding::Hex => "hex",
        KeyEncoding::Raw => "raw",
    }
}
