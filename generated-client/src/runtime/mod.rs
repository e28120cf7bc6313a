//! The hand-written runtime that every generated operation is built on.
//!
//! Generated code only ever calls what this module exports:
//!
//! - [`Operation`] — one API operation: a pure request function and a pure
//!   response decoder.
//! - [`RequestBuilder`] — builds the exact HTTP request, percent-encoding path
//!   parameters, form-encoding the query and validating header values.
//! - [`MultipartForm`], [`Multipart`] — `multipart/form-data` bodies, which
//!   `RequestBuilder::multipart_body` encodes.
//! - [`decode_json`], [`decode_text`], [`decode_bytes`], [`decode_empty`],
//!   [`unexpected_status`] — turn a status and a body into a typed result or an
//!   [`Error`].
//! - [`Transport`] (configured with [`ClientConfig`]) — runs an operation over
//!   `reqwest` with rustls, applying [`Auth`] credentials, a timeout and a
//!   response size limit.
//! - [`HmacSha256Header`], [`BodyHash`] — webhook signature schemes (verify a delivery over the
//!   bytes received, sign a test delivery); [`WebhookError`] says which check failed.
//!
//! Module map, one job each: `request` (building requests), `multipart`
//! (encoding multipart bodies), `decode` (reading
//! responses), `error` (the error type callers see), `auth` (credentials),
//! `config` (client settings), `transport` (running an exchange), `webhook` (verifying
//! deliveries).

mod auth;
mod clock;
mod config;
mod decode;
mod error;
mod multipart;
mod oauth2;
mod request;
mod signing;
mod transport;
mod webhook;

#[cfg(test)]
mod request_tests;
#[cfg(test)]
mod transport_tests;

// The crates generated code names, re-exported so that a crate using a generated client needs
// no dependency of its own on them: generated code says `runtime::http`, `runtime::serde`, ….
pub use http;
pub use serde;
pub use serde_json;
pub use uuid;

pub use auth::{Auth, AuthError, AuthFuture, BearerToken, NoAuth};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ClientConfig, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use decode::{
    decode_bytes, decode_empty, decode_json, decode_text, unexpected_status, DecodeError,
    DECODE_EXCERPT_BYTES, MAX_UNEXPECTED_BODY_BYTES,
};
pub use error::Error;
pub use multipart::{FileField, Multipart, MultipartForm, OCTET_STREAM};
pub use oauth2::{AccessToken, ClientCredentials, DEFAULT_REFRESH_MARGIN, DEFAULT_TOKEN_LIFETIME};
pub use request::{RequestBuilder, RequestError, RequestPart};
pub use signing::HmacSigner;
pub use transport::Transport;
pub use webhook::{
    webhook_body, webhook_event_type, webhook_payload, BodyHash, HmacSha256Header, SignedDelivery,
    WebhookError,
};

/// One API operation, as generated from the specification.
///
/// Both methods are pure: building the request and decoding the response
/// never touch the network, so they can be tested (and reused with another
/// HTTP stack) on their own. [`Transport::execute`] joins them up.
pub trait Operation {
    /// Decoded success body (a generated type, `()` for no body).
    type Output;
    /// The operation's documented error responses (a generated enum).
    type Error;
    /// Whether the spec requires credentials for this operation.
    const AUTHENTICATED: bool;
    /// Pure: builds the exact HTTP request (absolute URI = base_url + path + query).
    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError>;
    /// Pure: status + body → typed success, typed documented error, or another Error.
    fn decode_response(
        status: http::StatusCode,
        body: &[u8],
    ) -> Result<Self::Output, Error<Self::Error>>;
}
