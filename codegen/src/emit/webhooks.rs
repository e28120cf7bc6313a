//! The `webhooks` module of a provider: the `Event` enum and thin wrappers over the runtime's
//! signature schemes with the provider's parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::type_ref::TypePath;
use crate::ir::{Dispatch, TypeDef, WebhookEvent, WebhookSignature, Webhooks};

/// The whole `webhooks.rs` (small: one header, no chunks).
pub fn emit(webhooks: &Webhooks, defs: &[TypeDef], runtime_path: &syn::Path) -> TokenStream {
    let runtime_import = super::runtime_import(runtime_path);
    let types = TypePath::new(defs, quote!(types::));
    let uses_types = webhooks.events.iter().any(|e| e.payload.named().is_some());
    let types_import = uses_types.then(|| {
        quote!(
            use super::types;
        )
    });
    let event = event_enum(webhooks, &types);
    let parse = parse_fn(webhooks);
    let signature = webhooks.signature.as_ref().map(signature_fns);
    let verify = (webhooks.signature.is_some() && parse.is_some()).then(|| {
        quote! {
            /// Checks the delivery's signature over `body` (the raw bytes, as received), then
            /// parses it: [`verify_signature`] and [`parse`].
            pub fn verify(
                secret: &[u8],
                headers: &runtime::http::HeaderMap,
                body: &[u8],
            ) -> Result<Event, runtime::WebhookError> {
                verify_signature(secret, headers, body)?;
                parse(body)
            }
        }
    });
    let module_docs = if verify.is_some() {
        quote! {
            #![doc = " Webhook deliveries: the documented events, verifying a delivery's signature over"]
            #![doc = " the raw body, parsing it into an [`Event`], and signing test deliveries."]
            #![doc = ""]
            #![doc = " Verify before parsing, over the bytes exactly as received: [`verify`] does both."]
        }
    } else {
        // What the description leaves out (the signature scheme, where the event type is) is
        // reported as a warning by `lower`; only what it says is generated.
        quote! {
            #![doc = " Webhook deliveries: the documented events as an [`Event`]."]
        }
    };
    quote! {
        #module_docs
        #runtime_import
        #types_import

        #signature
        #event
        #parse
        #verify
    }
}

fn event_enum(webhooks: &Webhooks, types: &TypePath) -> TokenStream {
    let unknown = format_ident!("{}", webhooks.unknown_variant);
    let variants = webhooks.events.iter().map(|e| {
        let variant = format_ident!("{}", e.variant);
        let payload = types.rust_type(&e.payload);
        let wire = format!("`{}`", e.name);
        let docs = docs::paragraphs(&[
            Some(&wire),
            e.summary.as_deref().filter(|s| *s != e.name),
            e.description.as_deref(),
        ]);
        quote! { #docs #variant(#payload) }
    });
    let names = webhooks.events.iter().map(|e| {
        let variant = format_ident!("{}", e.variant);
        let name = &e.name;
        quote! { Self::#variant(_) => #name }
    });
    let unknown_docs = match webhooks.dispatch {
        Dispatch::Match => {
            " A delivery none of the documented events matches, kept as received; its event type is empty (this API sends none)."
        }
        _ => " An event type this version of the client does not know, kept as received.",
    };
    quote! {
        /// One webhook delivery, by event.
        // Events are parsed once and handled in place; boxing the larger payloads would only
        // make matching on them harder.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event {
            #(#variants,)*
            #[doc = #unknown_docs]
            #unknown {
                /// The event type as sent.
                event_type: String,
                /// The whole body.
                body: runtime::serde_json::Value,
            },
        }

        impl Event {
            /// The event type as sent on the wire (for an event the provider names, the name
            /// the webhook has in the API description).
            pub fn event_type(&self) -> &str {
                match self {
                    #(#names,)*
                    Self::#unknown { event_type, .. } => event_type,
                }
            }
        }
    }
}

fn parse_fn(webhooks: &Webhooks) -> Option<TokenStream> {
    let unknown = format_ident!("{}", webhooks.unknown_variant);
    let body = match &webhooks.dispatch {
        Dispatch::Unknown => return None,
        Dispatch::TypeAt(pointer) => {
            let arms = webhooks.events.iter().map(|e| {
                let variant = format_ident!("{}", e.variant);
                let name = &e.name;
                quote! {
                    #name => Event::#variant(runtime::webhook_payload(&event_type, body)?)
                }
            });
            quote! {
                let event_type = runtime::webhook_event_type(&body, #pointer)?;
                Ok(match event_type.as_str() {
                    #(#arms,)*
                    _ => Event::#unknown { event_type, body },
                })
            }
        }
        Dispatch::Match => {
            let checks = webhooks.events.iter().map(|e: &WebhookEvent| {
                let variant = format_ident!("{}", e.variant);
                let name = &e.name;
                let pointer = e.match_pointer.as_deref().unwrap_or_default();
                quote! {
                    if body.pointer(#pointer).is_some() {
                        return Ok(Event::#variant(runtime::webhook_payload(#name, body)?));
                    }
                }
            });
            quote! {
                #(#checks)*
                Ok(Event::#unknown { event_type: String::new(), body })
            }
        }
    };
    Some(quote! {
        /// Parses a delivery into its [`Event`]. A delivery of an undocumented event is
        /// [`Event::Unknown`], not an error; a documented event whose payload does not match
        /// its schema is [`runtime::WebhookError::InvalidPayload`].
        ///
        /// Parsing does not check the signature: check it first (`verify` does both).
        pub fn parse(body: &[u8]) -> Result<Event, runtime::WebhookError> {
            let body = runtime::webhook_body(body)?;
            #body
        }
    })
}

fn signature_fns(signature: &WebhookSignature) -> TokenStream {
    match signature {
        WebhookSignature::HmacSha256Header { headers, prefix } => {
            let shown = headers.join("`, `");
            let scheme_doc = format!(
                " How deliveries are signed: `{prefix}` and the hex HMAC-SHA256 of the raw body, keyed with the shared secret, in the header `{shown}` (any of them, any case)."
            );
            let scheme_doc = docs::line(&scheme_doc);
            quote! {
                #[doc = #scheme_doc]
                pub const SIGNATURE: runtime::HmacSha256Header =
                    runtime::HmacSha256Header::new(&[#(#headers),*], #prefix);

                /// Checks the signature header of a delivery against `body`, the raw bytes as
                /// received (never re-serialized). The comparison is constant-time.
                pub fn verify_signature(
                    secret: &[u8],
                    headers: &runtime::http::HeaderMap,
                    body: &[u8],
                ) -> Result<(), runtime::WebhookError> {
                    SIGNATURE.verify(secret, headers, body)
                }

                /// `body` signed the way the provider signs it, for tests: the headers
                /// (`content-type` and the signature) and the body to send.
                pub fn sign(
                    secret: &[u8],
                    body: &[u8],
                ) -> Result<runtime::SignedDelivery, runtime::WebhookError> {
                    Ok(SIGNATURE.sign_delivery(secret, body))
                }
            }
        }
        WebhookSignature::BodyHash {
            data_field,
            hash_field,
        } => {
            let scheme_doc = format!(
                " How deliveries are signed: the body is `{{\"{data_field}\": …, \"{hash_field}\": \"<hex>\"}}`, the hash being the hex SHA-256 of `JSON.stringify({data_field})` followed by the hex SHA-256 of the secret."
            );
            let scheme_doc = docs::line(&scheme_doc);
            quote! {
                #[doc = #scheme_doc]
                pub const SIGNATURE: runtime::BodyHash = runtime::BodyHash::new(#data_field, #hash_field);

                /// Checks the hash inside a delivery's `body` (the raw bytes, as received).
                /// The comparison is constant-time. `headers` is not read (this provider signs
                /// inside the body); it is taken so that every provider's function is alike.
                pub fn verify_signature(
                    secret: &[u8],
                    headers: &runtime::http::HeaderMap,
                    body: &[u8],
                ) -> Result<(), runtime::WebhookError> {
                    let _ = headers;
                    SIGNATURE.verify(secret, body)
                }

                /// The delivery the provider would send for the payload `data` (any JSON
                /// text), for tests: the headers and the body with its hash.
                pub fn sign(
                    secret: &[u8],
                    data: &[u8],
                ) -> Result<runtime::SignedDelivery, runtime::WebhookError> {
                    SIGNATURE.sign_delivery(secret, data)
                }
            }
        }
    }
}
