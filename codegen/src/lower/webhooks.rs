//! Lower: OpenAPI 3.1 `webhooks` and the `x-rampgen-webhook-*` extensions → `ir::Webhooks`.
//! (OpenAPI 3.0 `callbacks` are not modelled: the `unmodelled-section` lint warns for them.)
//!
//! The extensions carry what OpenAPI cannot say, as provider intent (usually in an overlay):
//!
//! - `x-rampgen-webhook-signature` (root): `{scheme: hmac-sha256-header, headers: [...],
//!   prefix: "sha256="}` or `{scheme: body-hash, dataField: data, hashField: hash}`;
//! - `x-rampgen-webhook-event` (root): `{typePointer: /eventType}`, where in a delivery the
//!   event type is; the webhooks are named by their event types;
//! - `x-rampgen-webhook-match` (on a webhook's operation): a JSON pointer that exists only in
//!   that event's deliveries, for providers that send no event type.

use openapiv3::{OpenAPI, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use super::TypeLowerer;
use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{Dispatch, Pointer, TypeRef, WebhookEvent, WebhookSignature, Webhooks};
use crate::naming::{variant_name, Namespace};
use crate::parse;

const SIGNATURE_EXTENSION: &str = "x-rampgen-webhook-signature";
const EVENT_EXTENSION: &str = "x-rampgen-webhook-event";
const MATCH_EXTENSION: &str = "x-rampgen-webhook-match";

/// The scheme as the extension writes it.
#[derive(Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case", deny_unknown_fields)]
enum SignatureExtension {
    HmacSha256Header {
        headers: Vec<String>,
        #[serde(default)]
        prefix: String,
    },
    #[serde(rename_all = "camelCase")]
    BodyHash {
        data_field: String,
        hash_field: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EventExtension {
    type_pointer: String,
}

/// The webhooks of `spec` (read by [`parse::webhooks`]), their payload types lowered through
/// `types`; `None` when there are none.
pub(super) fn lower_webhooks(
    spec: &OpenAPI,
    webhooks: &parse::Webhooks,
    types: &mut TypeLowerer,
) -> (Option<Webhooks>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let signature = signature(spec, &mut diagnostics);
    if webhooks.is_empty() {
        if signature.is_some() {
            diagnostics.push(Diagnostic::warning(
                pointer([SIGNATURE_EXTENSION]),
                "a webhook signature is declared but the document has no `webhooks`; nothing is generated for it",
            ));
        }
        return (None, diagnostics);
    }
    let type_pointer = extension::<EventExtension>(spec, EVENT_EXTENSION, &mut diagnostics)
        .map(|e| e.type_pointer)
        .filter(|p| json_pointer(p, &pointer([EVENT_EXTENSION]), &mut diagnostics));

    let mut variants = Namespace::new();
    let unknown_variant = variants.claim("Unknown");
    // `Unknown` is the catch-all's: an event of that name takes the next free name.
    let mut events = Vec::new();
    for (name, item) in webhooks {
        let at = pointer(["webhooks", name.as_str()]);
        if let Some(event) = lower_event(name, item, &at, types, &mut diagnostics) {
            let variant = variants.claim(&variant_name(name));
            events.push(WebhookEvent { variant, ..event });
        }
    }
    let dispatch = match type_pointer {
        Some(type_pointer) => Dispatch::TypeAt(type_pointer),
        None if !events.is_empty() && events.iter().all(|e| e.match_pointer.is_some()) => {
            Dispatch::Match
        }
        None => {
            diagnostics.push(
                Diagnostic::warning(
                    "#/webhooks",
                    "the webhooks' deliveries cannot be told apart (no event type location, and not every webhook has a field of its own): their payload types and `Event` are generated, `parse` is not",
                )
                .with_hint(format!(
                    "say where the event type is with `{EVENT_EXTENSION}: {{typePointer: /field}}` at the root (webhooks named by their event types), or give each webhook's operation `{MATCH_EXTENSION}: /pointer/to/a/field/only/it/has`, in an overlay"
                )),
            );
            Dispatch::Unknown
        }
    };
    let webhooks = Webhooks {
        signature,
        dispatch,
        events,
        unknown_variant,
    };
    (Some(webhooks), diagnostics)
}

/// One webhook: its one operation's JSON request body is the delivery.
fn lower_event(
    name: &str,
    item: &ReferenceOr<openapiv3::PathItem>,
    at: &str,
    types: &mut TypeLowerer,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<WebhookEvent> {
    let ReferenceOr::Item(item) = item else {
        diagnostics.push(Diagnostic::warning(
            at,
            "a `$ref` webhook is not supported; it is left out (its deliveries parse as the unknown event)",
        ));
        return None;
    };
    let mut operations = item.iter();
    let Some((method, operation)) = operations.next() else {
        diagnostics.push(Diagnostic::warning(
            at,
            "this webhook has no operation; it is left out",
        ));
        return None;
    };
    let at = child(at, method);
    if operations.next().is_some() {
        diagnostics.push(Diagnostic::warning(
            &at,
            "this webhook has more than one operation; only the first is modelled",
        ));
    }
    let hint = format!("{}Webhook", variant_name(name));
    let payload = match &operation.request_body {
        None => {
            diagnostics.push(Diagnostic::warning(
                &at,
                "this webhook documents no request body; its deliveries are kept as any JSON value",
            ));
            TypeRef::Json
        }
        Some(body) => {
            let bodies = &types.refs().request_bodies;
            let body = bodies
                .resolve(body)
                .map(|resolved| resolved.item)
                .map_err(|error| error.message(bodies.name()));
            match body {
                Err(message) => {
                    diagnostics.push(Diagnostic::warning(
                        child(&at, "requestBody"),
                        format!("{message}; the deliveries are kept as any JSON value"),
                    ));
                    TypeRef::Json
                }
                Ok(body) => {
                    let content_at = child(&child(&at, "requestBody"), "content");
                    // The JSON media type if there is one, else the first.
                    let chosen = body
                        .content
                        .iter()
                        .find(|(media, _)| media.contains("json"))
                        .or_else(|| body.content.first());
                    match chosen
                        .and_then(|(media, content)| Some((media, content.schema.as_ref()?)))
                    {
                        Some((media, schema)) => types.lower_type(
                            schema,
                            &hint,
                            &child(&child(&content_at, media), "schema"),
                        ),
                        None => {
                            diagnostics.push(Diagnostic::warning(
                                content_at,
                                "this webhook's body has no schema; its deliveries are kept as any JSON value",
                            ));
                            TypeRef::Json
                        }
                    }
                }
            }
        }
    };
    let match_pointer = match operation.extensions.get(MATCH_EXTENSION) {
        None => None,
        Some(Value::String(p)) => {
            Some(p.clone()).filter(|p| json_pointer(p, &child(&at, MATCH_EXTENSION), diagnostics))
        }
        Some(_) => {
            diagnostics.push(Diagnostic::error(
                child(&at, MATCH_EXTENSION),
                "must be a JSON pointer (a string such as `/data/orderId`)",
            ));
            None
        }
    };
    Some(WebhookEvent {
        name: name.to_string(),
        variant: String::new(),
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        payload,
        match_pointer,
        pointer: Pointer::from_escaped(at),
    })
}

fn signature(spec: &OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Option<WebhookSignature> {
    let at = pointer([SIGNATURE_EXTENSION]);
    match extension::<SignatureExtension>(spec, SIGNATURE_EXTENSION, diagnostics)? {
        SignatureExtension::HmacSha256Header { headers, prefix } => {
            let valid = |h: &String| {
                !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
            };
            if headers.is_empty() || !headers.iter().all(valid) {
                diagnostics.push(Diagnostic::error(
                    child(&at, "headers"),
                    "must list at least one header name, each made of letters, digits, `-` and `_`",
                ));
                return None;
            }
            Some(WebhookSignature::HmacSha256Header {
                headers: headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
                prefix,
            })
        }
        SignatureExtension::BodyHash {
            data_field,
            hash_field,
        } => Some(WebhookSignature::BodyHash {
            data_field,
            hash_field,
        }),
    }
}

/// The root extension `name`, read as `T`; a malformed one is a located error.
fn extension<T: for<'de> Deserialize<'de>>(
    spec: &OpenAPI,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let value = spec.extensions.get(name)?;
    T::deserialize(value)
        .map_err(|error| {
            diagnostics.push(Diagnostic::error(
                pointer([name]),
                format!("not a valid `{name}`: {error}"),
            ));
        })
        .ok()
}

/// Whether `text` is a JSON pointer (empty or starting with `/`); if not, a located error.
fn json_pointer(text: &str, at: &str, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let valid = text.starts_with('/');
    if !valid {
        diagnostics.push(Diagnostic::error(
            at,
            format!("`{text}` is not a JSON pointer to a field (it must start with `/`)"),
        ));
    }
    valid
}
