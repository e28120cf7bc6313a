//! Fonbnk-style request signing: a client id, a timestamp and an
//! HMAC-SHA256 signature of `"{timestamp}:{endpoint}"` on every request.

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use http::header::{HeaderName, HeaderValue};
use sha2::Sha256;

use super::{Auth, AuthError, AuthFuture, Clock, SystemClock};

/// The header carrying the client id.
const CLIENT_ID: HeaderName = HeaderName::from_static("x-client-id");
/// The header carrying the Unix time in milliseconds the signature covers.
const TIMESTAMP: HeaderName = HeaderName::from_static("x-timestamp");
/// The header carrying the base64 signature.
const SIGNATURE: HeaderName = HeaderName::from_static("x-signature");
/// The length of the base64 text (with padding) of an HMAC-SHA256: 32 bytes → 44 characters.
const SIGNATURE_LEN: usize = 44;

/// Signs every request the way Fonbnk requires.
///
/// Each authorized request gets three headers:
///
/// - `x-client-id: <client id>`
/// - `x-timestamp: <Unix time in ms>` (from the [`Clock`], [`SystemClock`] by default)
/// - `x-signature: base64(HMAC-SHA256(key, "{timestamp}:{endpoint}"))`
///
/// where the key is the base64-decoded client secret and `endpoint` is the
/// request's path followed by `?query` when there is one, taken from the
/// built request's URI (so it is exactly what is sent, percent-encoding
/// included), e.g. `/api/kyc/state?email=user%40example.com`.
///
/// A 401 is not retried ([`Auth::on_unauthorized`] returns `false`): a fresh
/// signature with the same key would be refused the same way.
///
/// `Debug` shows the client id but never the key.
pub struct HmacSigner {
    client_id: HeaderValue,
    /// HMAC state already keyed with the decoded secret; cloned per signature.
    mac: Hmac<Sha256>,
    clock: Arc<dyn Clock>,
}

impl HmacSigner {
    /// A signer for `client_id` with the client secret as issued by Fonbnk:
    /// base64 text of the HMAC key.
    ///
    /// The secret must use the standard base64 alphabet (`A–Z a–z 0–9 + /`);
    /// the trailing `=` padding may be present or left out, and whitespace
    /// around the whole secret (e.g. a newline read from a file) is ignored.
    /// Anything else — the URL-safe alphabet (`-`, `_`), inner whitespace,
    /// wrong padding, or a secret that decodes to no bytes — is refused here,
    /// with an error that does not repeat the secret. The client id must be
    /// non-empty and a valid HTTP header value.
    pub fn new(
        client_id: impl Into<String>,
        client_secret_base64: &str,
    ) -> Result<Self, AuthError> {
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
        // The decode error names the offending character and its offset: a
        // piece of the secret, so it is not passed on.
        let key = STANDARD_PAD_INDIFFERENT
            .decode(client_secret_base64.trim_ascii())
            .map_err(|_| {
                AuthError::new(
                    "the client secret is not valid base64 (expected the standard alphabet A-Z a-z 0-9 + /, with or without = padding)",
                )
            })?;
        if key.is_empty() {
            return Err(AuthError::new("the client secret is empty"));
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .map_err(|_| AuthError::new("the client secret cannot be used as an HMAC key"))?;
        Ok(HmacSigner {
            client_id,
            mac,
            clock: Arc::new(SystemClock),
        })
    }

    /// Uses `clock` for the `x-timestamp` header instead of the system clock.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The base64 signature of `"{timestamp_ms}:{endpoint}"`, exactly as sent
    /// in `x-signature`. Pure; for tests and debugging.
    pub fn sign(&self, timestamp_ms: u64, endpoint: &str) -> String {
        let mut digits = itoa::Buffer::new();
        let signature = self.signature(digits.format(timestamp_ms).as_bytes(), endpoint);
        std::str::from_utf8(&signature)
            .expect("base64 is ASCII")
            .to_owned()
    }

    /// The base64 signature of `"{timestamp}:{endpoint}"`, `timestamp` already in decimal.
    ///
    /// Written into an array rather than a `String`: the header value copies it anyway.
    fn signature(&self, timestamp: &[u8], endpoint: &str) -> [u8; SIGNATURE_LEN] {
        let mut mac = self.mac.clone();
        mac.update(timestamp);
        mac.update(b":");
        mac.update(endpoint.as_bytes());
        let mut text = [0; SIGNATURE_LEN];
        let written = STANDARD
            .encode_slice(mac.finalize().into_bytes(), &mut text)
            .expect("44 bytes hold the base64 of a 32-byte HMAC-SHA256");
        debug_assert_eq!(written, SIGNATURE_LEN);
        text
    }

    /// Adds the three headers to `request`, signing its path and query.
    fn apply(&self, request: &mut http::Request<Vec<u8>>) -> Result<(), AuthError> {
        let uri = request.uri();
        let endpoint = uri
            .path_and_query()
            .map_or_else(|| uri.path(), |pq| pq.as_str());
        // The timestamp is written once, for both the signature and its header.
        let mut digits = itoa::Buffer::new();
        let timestamp = digits.format(self.clock.now_millis()).as_bytes();
        let mut signature = HeaderValue::from_bytes(&self.signature(timestamp, endpoint))
            .map_err(|_| AuthError::new("the request signature is not a valid header value"))?;
        signature.set_sensitive(true);
        let timestamp = HeaderValue::from_bytes(timestamp)
            .map_err(|_| AuthError::new("the request timestamp is not a valid header value"))?;
        let headers = request.headers_mut();
        headers.insert(CLIENT_ID, self.client_id.clone());
        headers.insert(TIMESTAMP, timestamp);
        headers.insert(SIGNATURE, signature);
        Ok(())
    }
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSigner")
            .field(
                "client_id",
                &String::from_utf8_lossy(self.client_id.as_bytes()),
            )
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

#[cfg(test)]
mod client_id_tests {
    use super::HmacSigner;

    #[test]
    fn non_ascii_client_ids_are_refused() {
        let err = HmacSigner::new("clïent", "AAECAwQFBgcICQoLDA0ODxA=").unwrap_err();
        assert!(err.to_string().contains("non-ASCII"), "{err}");
    }
}
