//! Verifying and signing webhook deliveries: the building blocks a generated `webhooks` module
//! configures with its provider's parameters.
//!
//! Two signature schemes:
//!
//! - [`HmacSha256Header`]: a header carries the hex HMAC-SHA256 of the raw body bytes, keyed
//!   with the shared secret, after an optional prefix (`sha256=…`).
//! - [`BodyHash`]: the body is `{"<data>": {…}, "<hash>": "<hex>"}` and the hash is the hex
//!   SHA-256 of `JSON.stringify(data)` followed by the hex SHA-256 of the secret.
//!
//! Every comparison is constant-time. A [`WebhookError`] says which check failed and never
//! contains the secret or the expected signature.

mod js_json;

use hmac::{Hmac, KeyInit, Mac};
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Why a webhook delivery was refused.
///
/// The message says which check failed; it never contains the secret, the expected signature
/// or the received one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No signature header under any of the accepted names.
    #[error("the signature header is missing (expected one of: {expected})")]
    MissingSignature {
        /// The accepted header names, comma-separated.
        expected: String,
    },
    /// The signature is there but is not in the documented form.
    #[error("the signature in {location} is malformed: {reason}")]
    MalformedSignature {
        /// Where the signature was read: a header or a body field.
        location: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signature is well-formed but was not made with this secret over this body.
    #[error("the signature does not match the body (wrong secret, or the body was changed)")]
    Mismatch,
    /// The body is not JSON, or not a JSON object where one is required.
    #[error("the body is not valid JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// A field the delivery format requires is absent from the body.
    #[error("the body has no `{field}` field")]
    MissingField {
        /// The missing field's name.
        field: &'static str,
    },
    /// A field of the envelope has the wrong JSON type.
    #[error("the body's `{field}` field {reason}")]
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signed content could not be re-serialized as the sender's `JSON.stringify` would.
    #[error("the signed JSON could not be re-serialized: {0}")]
    Reserialize(String),
    /// A documented event's payload does not match its documented schema.
    #[error("the payload of event `{event_type}` does not match its schema: {source}")]
    InvalidPayload {
        /// The event's wire name.
        event_type: String,
        /// Where and how the payload differs.
        #[source]
        source: serde_json::Error,
    },
}

/// A delivery signed the way a sender signs it: the headers to send and the exact body.
/// For users' tests (see the generated `webhooks::sign`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDelivery {
    /// `content-type: application/json` and, for a header scheme, the signature header.
    pub headers: HeaderMap,
    /// The body to send, byte for byte.
    pub body: Vec<u8>,
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

/// A hex HMAC-SHA256 of the raw body in a header, e.g. `X-Signature: sha256=9f86…`.
///
/// The header is looked up under each accepted name, without regard to case (proxies and
/// frameworks rename headers; the generated module lists the spellings a provider is known to
/// use). When the header is present more than once, the delivery is accepted if any value
/// verifies.
///
/// When a prefix is configured, it is required: a value without it is
/// [`WebhookError::MalformedSignature`], not tried as bare hex, so that a value in a form the
/// provider does not document is reported as such rather than as a mismatch. The hex digest
/// may be in either case.
#[derive(Debug, Clone, Copy)]
pub struct HmacSha256Header {
    header_names: &'static [&'static str],
    prefix: &'static str,
}

impl HmacSha256Header {
    /// A scheme reading the signature from any of `header_names` (each value of each name is
    /// tried; one that matches is enough), after `prefix` (empty for none).
    pub const fn new(header_names: &'static [&'static str], prefix: &'static str) -> Self {
        assert!(
            !header_names.is_empty(),
            "a signature header needs at least one name"
        );
        HmacSha256Header {
            header_names,
            prefix,
        }
    }

    /// The accepted header names, the one [`sign`](Self::sign)'s value is meant for first.
    pub const fn header_names(&self) -> &'static [&'static str] {
        self.header_names
    }

    /// Checks the signature in `headers` against `body`, the raw bytes as received.
    pub fn verify(
        &self,
        secret: &[u8],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let mut first_error = None;
        let values = headers.iter().filter(|(name, _)| {
            self.header_names
                .iter()
                .any(|accepted| name.as_str().eq_ignore_ascii_case(accepted))
        });
        for (name, value) in values {
            match self.verify_value(secret, name.as_str(), value.as_bytes(), body) {
                Ok(()) => return Ok(()),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(
            first_error.unwrap_or_else(|| WebhookError::MissingSignature {
                expected: self.header_names.join(", "),
            }),
        )
    }

    fn verify_value(
        &self,
        secret: &[u8],
        header: &str,
        value: &[u8],
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let malformed = |reason| WebhookError::MalformedSignature {
            location: format!("header `{header}`"),
            reason,
        };
        let hex = value
            .trim_ascii()
            .strip_prefix(self.prefix.as_bytes())
            .ok_or_else(|| malformed("it does not start with the documented prefix"))?;
        let expected_len = <Sha256 as Digest>::output_size();
        let signature =
            decode_hex(hex, expected_len).map_err(|reason| malformed(reason.message()))?;
        // `verify_slice` compares in constant time.
        hmac(secret, body)
            .verify_slice(&signature)
            .map_err(|_| WebhookError::Mismatch)
    }

    /// The header value a sender puts on `body`: the prefix and the lowercase hex HMAC-SHA256.
    /// For signing test deliveries.
    pub fn sign(&self, secret: &[u8], body: &[u8]) -> String {
        let mut value = String::from(self.prefix);
        value.push_str(&encode_hex(&hmac(secret, body).finalize().into_bytes()));
        value
    }
}

impl HmacSha256Header {
    /// `body` (sent unchanged) with its signature under the first accepted header name.
    pub fn sign_delivery(&self, secret: &[u8], body: &[u8]) -> SignedDelivery {
        let mut headers = json_headers();
        let name = HeaderName::from_bytes(self.header_names[0].as_bytes())
            .expect("the accepted header names are valid header names");
        let mut value = HeaderValue::from_str(&self.sign(secret, body))
            .expect("a prefix and hex digits form a valid header value");
        // Kept out of `Debug` output, like every credential the runtime handles.
        value.set_sensitive(true);
        headers.insert(name, value);
        SignedDelivery {
            headers,
            body: body.to_vec(),
        }
    }
}

fn hmac(secret: &[u8], body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length (long ones are hashed first), so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .expect("HMAC-SHA256 accepts a key of any length");
    mac.update(body);
    mac
}

/// A hash of the JSON payload and the secret inside the body:
/// `{"<data>": {…}, "<hash>": hex(SHA-256(JSON.stringify(data) ‖ hex(SHA-256(secret))))}`.
///
/// `JSON.stringify(data)` is what the sender hashed. When the `data` value in the body is
/// compact (no whitespace outside strings), its bytes as received are taken: a sender that
/// serializes the body with `JSON.stringify` writes exactly the text it hashed. Otherwise (the
/// body was pretty-printed on the way, or by a test tool) the value is re-serialized the way
/// JavaScript's `JSON.parse` then `JSON.stringify` would: key order as received (array-index
/// keys first), JavaScript's number formatting and string escaping.
#[derive(Debug, Clone, Copy)]
pub struct BodyHash {
    data_field: &'static str,
    hash_field: &'static str,
}

impl BodyHash {
    /// A scheme with the signed payload in `data_field` and the hash in `hash_field`.
    pub const fn new(data_field: &'static str, hash_field: &'static str) -> Self {
        BodyHash {
            data_field,
            hash_field,
        }
    }

    /// The field holding the signed payload.
    pub const fn data_field(&self) -> &'static str {
        self.data_field
    }

    /// Checks the hash in `body` against its payload.
    pub fn verify(&self, secret: &[u8], body: &[u8]) -> Result<(), WebhookError> {
        let envelope = self.envelope(body)?;
        let hash_raw = envelope.hash.ok_or(WebhookError::MissingField {
            field: self.hash_field,
        })?;
        let data = envelope.data.ok_or(WebhookError::MissingField {
            field: self.data_field,
        })?;
        let hash: &str =
            serde_json::from_str(hash_raw.get()).map_err(|_| WebhookError::InvalidField {
                field: self.hash_field,
                reason: "is not a string",
            })?;
        let received =
            decode_hex(hash.as_bytes(), <Sha256 as Digest>::output_size()).map_err(|reason| {
                WebhookError::MalformedSignature {
                    location: format!("body field `{}`", self.hash_field),
                    reason: reason.message(),
                }
            })?;
        let expected = self.digest(secret, data.get().as_bytes())?;
        if bool::from(expected.as_slice().ct_eq(&received)) {
            Ok(())
        } else {
            Err(WebhookError::Mismatch)
        }
    }

    /// The payload value of `body`, as received.
    pub fn payload<'a>(&self, body: &'a [u8]) -> Result<&'a RawValue, WebhookError> {
        self.envelope(body)?.data.ok_or(WebhookError::MissingField {
            field: self.data_field,
        })
    }

    /// A complete body for `data` (any JSON text): `{"<data>":<data>,"<hash>":"<hex>"}`, with
    /// `data` written compactly as `JSON.stringify` would. For signing test deliveries.
    pub fn sign(&self, secret: &[u8], data: &[u8]) -> Result<Vec<u8>, WebhookError> {
        let compact = reserialize(data)?;
        let hash = encode_hex(&self.digest(secret, compact.as_bytes())?);
        let field = |name: &str| serde_json::Value::from(name).to_string();
        let body = format!(
            "{{{}:{compact},{}:\"{hash}\"}}",
            field(self.data_field),
            field(self.hash_field)
        );
        Ok(body.into_bytes())
    }

    /// The complete body for the payload `data` (see [`sign`](Self::sign)); no signature header.
    pub fn sign_delivery(
        &self,
        secret: &[u8],
        data: &[u8],
    ) -> Result<SignedDelivery, WebhookError> {
        Ok(SignedDelivery {
            headers: json_headers(),
            body: self.sign(secret, data)?,
        })
    }

    /// `SHA-256(JSON.stringify(data) ‖ hex(SHA-256(secret)))`, from the raw text of `data`.
    fn digest(&self, secret: &[u8], data: &[u8]) -> Result<Vec<u8>, WebhookError> {
        let mut hasher = Sha256::new();
        if js_json::is_compact(data) {
            hasher.update(data);
        } else {
            hasher.update(reserialize(data)?.as_bytes());
        }
        hasher.update(encode_hex(&Sha256::digest(secret)).as_bytes());
        Ok(hasher.finalize().to_vec())
    }

    /// The two envelope fields, as raw JSON text; a repeated field takes its last value, as in
    /// JavaScript.
    fn envelope<'a>(&self, body: &'a [u8]) -> Result<Envelope<'a>, WebhookError> {
        let fields: Vec<(String, &'a RawValue)> = serde_json::from_slice::<Fields<'a>>(body)
            .map_err(WebhookError::InvalidJson)?
            .0;
        let mut envelope = Envelope {
            data: None,
            hash: None,
        };
        for (name, value) in fields {
            if name == self.data_field {
                envelope.data = Some(value);
            } else if name == self.hash_field {
                envelope.hash = Some(value);
            }
        }
        Ok(envelope)
    }
}

/// `JSON.stringify(JSON.parse(data))`.
fn reserialize(data: &[u8]) -> Result<String, WebhookError> {
    js_json::stringify(data).map_err(|e| WebhookError::Reserialize(e.to_string()))
}

struct Envelope<'a> {
    data: Option<&'a RawValue>,
    hash: Option<&'a RawValue>,
}

/// A JSON object's members in order, values unparsed.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

/// The body of a delivery as JSON: the first step of a generated `webhooks::parse`.
pub fn webhook_body(body: &[u8]) -> Result<serde_json::Value, WebhookError> {
    serde_json::from_slice(body).map_err(WebhookError::InvalidJson)
}

/// The event type: the string at `pointer` (a JSON pointer such as `/eventType`) in `body`.
pub fn webhook_event_type(
    body: &serde_json::Value,
    pointer: &'static str,
) -> Result<String, WebhookError> {
    let field = pointer.trim_start_matches('/');
    match body.pointer(pointer) {
        None => Err(WebhookError::MissingField { field }),
        Some(serde_json::Value::String(event_type)) => Ok(event_type.clone()),
        Some(_) => Err(WebhookError::InvalidField {
            field,
            reason: "is not a string",
        }),
    }
}

/// A documented event's typed payload, read from the whole `body`.
pub fn webhook_payload<T: DeserializeOwned>(
    event_type: &str,
    body: serde_json::Value,
) -> Result<T, WebhookError> {
    serde_json::from_value(body).map_err(|source| WebhookError::InvalidPayload {
        event_type: event_type.to_owned(),
        source,
    })
}

/// Why a hex signature could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HexError {
    Length,
    Digit,
}

impl HexError {
    fn message(self) -> &'static str {
        match self {
            HexError::Length => "it is not a hex SHA-256 digest (wrong length)",
            HexError::Digit => "it is not a hex SHA-256 digest (a character is not a hex digit)",
        }
    }
}

/// Hex text of exactly `len` bytes, in either case.
fn decode_hex(text: &[u8], len: usize) -> Result<Vec<u8>, HexError> {
    if text.len() != 2 * len {
        return Err(HexError::Length);
    }
    let nibble = |c: u8| char::from(c).to_digit(16).ok_or(HexError::Digit);
    text.chunks_exact(2)
        .map(|pair| Ok((nibble(pair[0])? << 4 | nibble(pair[1])?) as u8))
        .collect()
}

/// Lowercase hex.
fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
#[path = "webhook_tests.rs"]
mod tests;
