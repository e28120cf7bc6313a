//! HMAC-SHA256 request signing: a client id, a timestamp and a signature of a
//! string built from the request, each sent in a header. Which headers, how the
//! secret and the signature are encoded, the timestamp's unit and what is
//! signed are an [`HmacScheme`]: data that a generated client declares.

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use http::header::{HeaderName, HeaderValue};
use sha2::Sha256;

use super::{Auth, AuthError, AuthFuture, Clock, SystemClock};

/// The longest encoded signature: 32 bytes of HMAC-SHA256 as hex (base64 takes 44).
const MAX_SIGNATURE_LEN: usize = 64;

/// How the client secret is turned into the HMAC key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyEncoding {
    /// Standard base64 (`A–Z a–z 0–9 + /`), `=` padding optional, whitespace
    /// around the whole secret ignored.
    Base64,
    /// Hexadecimal digits (either case), whitespace around the whole secret
    /// ignored.
    Hex,
    /// The secret's bytes as given.
    Raw,
}

/// The unit of the Unix time a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampUnit {
    Seconds,
    Milliseconds,
}

/// How the signature bytes are written in their header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureEncoding {
    /// Standard base64 with padding.
    Base64,
    /// Lowercase hexadecimal.
    Hex,
}

/// One piece of the string to sign; the pieces are signed one after the
/// other, with nothing between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignedPart {
    /// The timestamp in decimal, as sent in its header.
    Timestamp,
    /// The client id, as sent in its header.
    ClientId,
    /// The method, e.g. `GET`.
    Method,
    /// The request's path as sent (percent-encoded), without the query.
    Path,
    /// The path followed by `?query` when there is one, exactly as sent.
    PathAndQuery,
    /// The request body's bytes (nothing for an empty body).
    Body,
    /// Fixed text, e.g. a `:` separator.
    Literal(&'static str),
}

/// An HMAC-SHA256 signing scheme: where its three values go and how each is
/// made. `const`-constructible, so that a generated client can declare its
/// provider's scheme as a constant.
///
/// Header names must be valid lowercase HTTP header names, all different;
/// [`HmacSigner::new`] checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HmacScheme {
    /// The header carrying the client id.
    pub client_id_header: &'static str,
    /// The header carrying the timestamp the signature covers.
    pub timestamp_header: &'static str,
    /// The header carrying the signature.
    pub signature_header: &'static str,
    /// How the client secret encodes the key.
    pub key: KeyEncoding,
    /// The timestamp's unit.
    pub timestamp: TimestampUnit,
    /// The string to sign, piece by piece.
    pub message: &'static [SignedPart],
    /// How the signature is written.
    pub signature: SignatureEncoding,
}

/// Signs every request as its [`HmacScheme`] says.
///
/// Each authorized request gets three headers: the client id, the timestamp
/// (from the [`Clock`], [`SystemClock`] by default) and
/// `encode(HMAC-SHA256(key, message))`, where the key is the decoded client
/// secret and the message the scheme's parts, taken from the built request (so
/// the path and query are exactly what is sent, percent-encoding included).
///
/// A 401 is not retried ([`Auth::on_unauthorized`] returns `false`): a fresh
/// signature with the same key would be refused the same way.
///
/// `Debug` shows the client id and the scheme but never the key.
pub struct HmacSigner {
    scheme: HmacScheme,
    client_id: HeaderValue,
    client_id_header: HeaderName,
    timestamp_header: HeaderName,
    signature_header: HeaderName,
    /// HMAC state already keyed with the decoded secret; cloned per signature.
    mac: Hmac<Sha256>,
    clock: Arc<dyn Clock>,
}

impl HmacSigner {
    /// A signer for `client_id` with `client_secret`, encoded as the scheme's
    /// [`KeyEncoding`] says.
    ///
    /// A secret that does not decode, or decodes to no bytes, is refused here
    /// with an error that does not repeat the secret. The client id must be
    /// non-empty ASCII and a valid HTTP header value; the scheme's header names
    /// must be valid, lowercase and different.
    pub fn new(
        scheme: HmacScheme,
        client_id: impl Into<String>,
        client_secret: &str,
    ) -> Result<Self, AuthError> {
        let client_id_header = header_name(scheme.client_id_header)?;
        let timestamp_header = header_name(scheme.timestamp_header)?;
        let signature_header = header_name(scheme.signature_header)?;
        if client_id_header == timestamp_header
            || client_id_header == signature_header
            || timestamp_header == signature_header
        {
            return Err(AuthError::new(
                "the signing scheme names the same header twice",
            ));
        }
        let client_id = client_id.into();
        if client_id.is_empty() {
            return Err(AuthError::new("the client id is empty"));
        }
        let invalid_client_id = || {
            AuthError::new(
                "the client id contains characters not allowed in an HTTP header value (control characters or non-ASCII)",
            )
        };
        // `from_str` lets bytes 0x80-0xFF through (obs-text); a client id is ASCII.
        if !client_id.is_ascii() {
            return Err(invalid_client_id());
        }
        let mut client_id = HeaderValue::from_str(&client_id).map_err(|_| invalid_client_id())?;
        client_id.set_sensitive(true);
        let key = decode_key(scheme.key, client_secret)?;
        if key.is_empty() {
            return Err(AuthError::new("the client secret is empty"));
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .map_err(|_| AuthError::new("the client secret cannot be used as an HMAC key"))?;
        Ok(HmacSigner {
            scheme,
            client_id,
            client_id_header,
            timestamp_header,
            signature_header,
            mac,
            clock: Arc::new(SystemClock),
        })
    }

    /// Uses `clock` for the timestamp instead of the system clock.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The scheme this signer follows.
    pub fn scheme(&self) -> &HmacScheme {
        &self.scheme
    }

    /// The signature of `request` at the Unix time `now_millis`, exactly as
    /// sent in the signature header. Pure; for tests and debugging.
    pub fn sign(&self, request: &http::Request<Vec<u8>>, now_millis: u64) -> String {
        let mut digits = itoa::Buffer::new();
        let timestamp = digits.format(self.timestamp(now_millis)).as_bytes();
        let (text, len) = self.signature(timestamp, request);
        std::str::from_utf8(&text[..len])
            .expect("base64 and hex are ASCII")
            .to_owned()
    }

    fn timestamp(&self, now_millis: u64) -> u64 {
        match self.scheme.timestamp {
            TimestampUnit::Seconds => now_millis / 1000,
            TimestampUnit::Milliseconds => now_millis,
        }
    }

    /// The encoded signature of the scheme's message for `request`, `timestamp`
    /// already in decimal, and its length.
    ///
    /// Written into an array rather than a `String`: the header value copies it anyway.
    fn signature(
        &self,
        timestamp: &[u8],
        request: &http::Request<Vec<u8>>,
    ) -> ([u8; MAX_SIGNATURE_LEN], usize) {
        let mut mac = self.mac.clone();
        let uri = request.uri();
        for part in self.scheme.message {
            let bytes: &[u8] = match part {
                SignedPart::Timestamp => timestamp,
                SignedPart::ClientId => self.client_id.as_bytes(),
                SignedPart::Method => request.method().as_str().as_bytes(),
                SignedPart::Path => uri.path().as_bytes(),
                SignedPart::PathAndQuery => uri
                    .path_and_query()
                    .map_or_else(|| uri.path(), |pq| pq.as_str())
                    .as_bytes(),
                SignedPart::Body => request.body(),
                SignedPart::Literal(text) => text.as_bytes(),
            };
            mac.update(bytes);
        }
        let digest = mac.finalize().into_bytes();
        let mut text = [0; MAX_SIGNATURE_LEN];
        let len = match self.scheme.signature {
            SignatureEncoding::Base64 => STANDARD
                .encode_slice(digest, &mut text)
                .expect("64 bytes hold the base64 of a 32-byte HMAC-SHA256"),
            SignatureEncoding::Hex => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                for (pair, byte) in text.chunks_exact_mut(2).zip(digest) {
                    pair[0] = DIGITS[usize::from(byte >> 4)];
                    pair[1] = DIGITS[usize::from(byte & 0x0f)];
                }
                2 * digest.len()
            }
        };
        (text, len)
    }

    /// Adds the three headers to `request`, signing it.
    fn apply(&self, request: &mut http::Request<Vec<u8>>) -> Result<(), AuthError> {
        // The timestamp is written once, for both the signature and its header.
        let mut digits = itoa::Buffer::new();
        let timestamp = digits
            .format(self.timestamp(self.clock.now_millis()))
            .as_bytes();
        let (text, len) = self.signature(timestamp, request);
        let mut signature = HeaderValue::from_bytes(&text[..len])
            .map_err(|_| AuthError::new("the request signature is not a valid header value"))?;
        signature.set_sensitive(true);
        let timestamp = HeaderValue::from_bytes(timestamp)
            .map_err(|_| AuthError::new("the request timestamp is not a valid header value"))?;
        let headers = request.headers_mut();
        headers.insert(self.client_id_header.clone(), self.client_id.clone());
        headers.insert(self.timestamp_header.clone(), timestamp);
        headers.insert(self.signature_header.clone(), signature);
        Ok(())
    }
}

/// A header name from the scheme, checked; `from_static` keeps later clones free.
fn header_name(name: &'static str) -> Result<HeaderName, AuthError> {
    let valid = HeaderName::from_bytes(name.as_bytes()).is_ok()
        && !name.bytes().any(|b| b.is_ascii_uppercase());
    if valid {
        Ok(HeaderName::from_static(name))
    } else {
        Err(AuthError::new(format!(
            "the signing scheme's header name `{}` is not a valid lowercase HTTP header name",
            name.escape_debug()
        )))
    }
}

/// The HMAC key from the secret. Decode errors name the offending character
/// and its offset, a piece of the secret, so they are not passed on.
fn decode_key(encoding: KeyEncoding, secret: &str) -> Result<Vec<u8>, AuthError> {
    match encoding {
        KeyEncoding::Base64 => STANDARD_PAD_INDIFFERENT
            .decode(secret.trim_ascii())
            .map_err(|_| {
                AuthError::new(
                    "the client secret is not valid base64 (expected the standard alphabet A-Z a-z 0-9 + /, with or without = padding)",
                )
            }),
        KeyEncoding::Hex => decode_hex(secret.trim_ascii().as_bytes()).ok_or_else(|| {
            AuthError::new(
                "the client secret is not valid hex (expected an even number of digits 0-9 a-f A-F)",
            )
        }),
        KeyEncoding::Raw => Ok(secret.as_bytes().to_vec()),
    }
}

fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    if text.len() % 2 != 0 {
        return None;
    }
    text.chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSigner")
            .field(
                "client_id",
                &String::from_utf8_lossy(self.client_id.as_bytes()),
            )
            .field("scheme", &self.scheme)
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Auth for HmacSigner {
    fn authorize<'a>(&'a self, request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        Box::pin(std::future::ready(self.apply(request)))
    }

    /// `false`: the same key would produce a signature refused the same way.
    fn on_unauthorized(&self, _refused: &http::HeaderMap) -> bool {
        false
    }
}

#[cfg(test)]
#[path = "signing_tests.rs"]
mod tests;
