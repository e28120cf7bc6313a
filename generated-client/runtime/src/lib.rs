//! The hand-written runtime that every generated operation is built on.
//!
//! Generated code only ever calls what this crate exports:
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
//! - [`Transport`] (configured with [`ClientConfig`], overridden per call by
//!   [`CallOptions`]) — runs an operation over `reqwest` with rustls, applying
//!   [`Auth`] credentials, a timeout, a response size limit and a
//!   [`RetryPolicy`], inside `tracing` spans; [`Response`] is a typed body
//!   with its status and headers.
//! - [`HmacSha256Header`], [`BodyHash`] — webhook signature schemes (verify a delivery, over
//!   the bytes received or, for a payload hash, as JavaScript serializes the payload; sign a
//!   test delivery); [`WebhookError`] says which check failed.
//! - [`Paginated`], [`Pages`] — walking a paginated list page by page or as a
//!   stream, following next-page links only to the base URL's origin.
//! - Credentials: [`BearerToken`], [`ClientCredentials`] (the OAuth2
//!   client-credentials grant, RFC 6749) and [`HmacSigner`] (request signing
//!   as an [`HmacScheme`] declares). A generated client builds the last two
//!   from what its spec declares, e.g. `<api>::signer(id, secret)`.
//! - The crates generated code names, re-exported: [`http`], [`serde`],
//!   [`serde_json`], [`uuid`]; a crate using a generated client needs no
//!   dependency of its own on them.
//!
//! The runtime knows no provider: every provider's choice is data the
//! generated code passes in.
//!
//! Module map, one job each: `request` (building requests), `multipart`
//! (encoding multipart bodies), `decode` (reading
//! responses), `error` (the error type callers see), `auth` (credentials),
//! `oauth2` (client-credentials tokens), `signing` (HMAC request signatures),
//! `clock` (time for tokens and signatures), `url` (resolving a spec's
//! relative URLs), `config` (client settings), `call_options` (settings for
//! some calls), `retry` (what is retried and when), `response` (status and
//! headers beside a body), `trace` (spans and events), `transport` (running
//! an exchange), `pagination` (walking pages), `webhook` (verifying
//! deliveries).

mod auth;
mod call_options;
mod clock;
mod config;
mod decode;
mod error;
mod multipart;
mod oauth2;
mod pagination;
mod request;
mod response;
mod retry;
mod signing;
mod trace;
mod transport;
mod url;
mod webhook;

#[cfg(test)]
mod request_tests;
#[cfg(test)]
mod transport_retry_tests;
#[cfg(test)]
mod transport_tests;

// The crates generated code names, re-exported so that a crate using a generated client needs
// no dependency of its own on them: generated code says `runtime::http`, `runtime::serde`, ….
pub use futures_util;
pub use http;
pub use serde;
pub use serde_json;
pub use uuid;

pub use auth::{Auth, AuthError, AuthFuture, BearerToken, NoAuth};
pub use call_options::CallOptions;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ClientConfig, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use decode::{
    decode_bytes, decode_empty, decode_error, decode_json, decode_text, unexpected_status,
    DecodeError, ErrorResponses, NoDocumentedErrors, DECODE_EXCERPT_BYTES,
    MAX_UNEXPECTED_BODY_BYTES,
};
pub use error::{Error, ErrorKind};
pub use multipart::{FileField, Multipart, MultipartForm, OCTET_STREAM};
pub use oauth2::{AccessToken, ClientCredentials, DEFAULT_REFRESH_MARGIN, DEFAULT_TOKEN_LIFETIME};
pub use pagination::{Next, Page, Pages, Paginated, PaginationError, DEFAULT_PAGE_LIMIT};
pub use request::{RequestBuilder, RequestError, RequestPart};
pub use response::{Response, ResponseMeta, DEFAULT_REQUEST_ID_HEADERS};
pub use retry::{
    RetryPolicy, StopReason, DEFAULT_DEADLINE, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
    DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_AFTER,
};
pub use signing::{
    HmacScheme, HmacSigner, KeyEncoding, SignatureEncoding, SignedPart, TimestampUnit,
};
pub use transport::Transport;
pub use url::resolve_url;
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
    /// The spec's `operationId`, for traces.
    const OPERATION_ID: &'static str;
    /// The path as the spec writes it, with `{name}` for parameters: traced instead of the
    /// request's path, which may hold identifiers.
    const PATH_TEMPLATE: &'static str;
    /// The API description declares the operation idempotent (`x-rampgen-idempotent: true`:
    /// the server does it once however often it is sent), so the [`RetryPolicy`] may repeat
    /// it after it may have reached the server, whatever its method. Default `false`.
    const IDEMPOTENT: bool = false;
    /// The idempotency-key header the API documents for this operation (e.g.
    /// `Idempotency-Key`): a request that carries it may be repeated by the [`RetryPolicy`],
    /// as the server discards repeats of a key it has seen. That holds only because
    /// `to_request` is pure: the key comes from the operation's fields, so every attempt sends
    /// the same value (an implementation must never make up a key inside `to_request`).
    /// Default `None`.
    const IDEMPOTENCY_KEY: Option<&'static str> = None;
    /// Pure: builds the exact HTTP request (absolute URI = base_url + path + query).
    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError>;
    /// Pure: status + body → typed success, typed documented error, or another Error.
    fn decode_response(
        status: http::StatusCode,
        body: &[u8],
    ) -> Result<Self::Output, Error<Self::Error>>;
}
