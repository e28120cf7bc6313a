//! Webhooks: the events an API sends to its users' endpoints (OpenAPI 3.1 `webhooks`), how
//! `parse` tells them apart and how a delivery is signed (`x-rampgen-webhook-*` extensions).

use super::{Pointer, TypeRef};

/// The webhooks module of one API.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// How deliveries are signed; `None` when the document does not say (no verify functions).
    pub signature: Option<WebhookSignature>,
    /// How a delivery's event is recognised.
    pub dispatch: Dispatch,
    /// One per documented webhook, in document order.
    pub events: Vec<WebhookEvent>,
    /// The name of the catch-all variant (`Unknown` unless an event took it).
    pub unknown_variant: String,
}

/// How `parse` recognises the event of a delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Dispatch {
    /// The event type is the string at this JSON pointer; it equals the webhook's name.
    TypeAt(String),
    /// Each event is recognised by a field only it has ([`WebhookEvent::match_pointer`]),
    /// tried in order.
    Match,
    /// The document does not say: no `parse` is generated.
    Unknown,
}

/// A signature scheme, with the provider's parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookSignature {
    /// Hex HMAC-SHA256 of the raw body in a header (any of `headers`, any case), after `prefix`.
    HmacSha256Header {
        headers: Vec<String>,
        prefix: String,
    },
    /// `{"<data_field>": …, "<hash_field>": hex(SHA-256(JSON.stringify(data) ‖ hex(SHA-256(secret))))}`.
    BodyHash {
        data_field: String,
        hash_field: String,
    },
}

/// One documented webhook event.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The webhook's name in the document: the event type on the wire when dispatching by type.
    pub name: String,
    /// The `Event` variant.
    pub variant: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The type of the whole delivery body.
    pub payload: TypeRef,
    /// A JSON pointer that exists only in this event's deliveries (for [`Dispatch::Match`]).
    pub match_pointer: Option<String>,
    /// The webhook's operation in the spec.
    pub pointer: Pointer,
}
