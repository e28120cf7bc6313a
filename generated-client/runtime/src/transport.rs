//! Running an [`Operation`] over `reqwest` (rustls): credentials, timeout, size limit, one 401 retry.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderValue, USER_AGENT};
use http::StatusCode;

use super::config::redact_userinfo;
use super::{Auth, AuthError, ClientConfig, ConfigError, Error, Operation};

/// At most this much memory is reserved up front for a body, whatever its
/// announced `content-length`; the buffer grows as bytes actually arrive.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// Runs operations against one API: a validated [`ClientConfig`] and an HTTP
/// client.
///
/// Cloning is cheap (it shares the client and credentials). `Debug` never
/// shows credentials.
///
/// The client built by [`Transport::new`] uses rustls, follows no redirects
/// (a redirect would otherwise carry credentials, or a signature meant for
/// one URL, to whatever host the `location` header names; the 3xx response is
/// returned to the operation's decoder instead) and has no timeout of its
/// own: [`Transport::execute`] enforces the configured one on each attempt.
/// It needs a Tokio runtime with the time driver enabled.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    timeout: Duration,
    user_agent: HeaderValue,
    max_response_bytes: usize,
    auth: Arc<dyn Auth>,
    client: reqwest::Client,
}

impl fmt::Debug for Transport {
    /// Shows the settings but not the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Transport")
            .field("base_url", &redact_userinfo(&inner.base_url))
            .field("timeout", &inner.timeout)
            .field("user_agent", &inner.user_agent)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("auth", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Why one exchange failed, before it is typed for an operation.
enum Failure {
    Auth(AuthError),
    Transport(reqwest::Error),
    TooLarge { limit: usize },
}

impl Failure {
    fn into_error<E>(self, timeout: Duration) -> Error<E> {
        match self {
            Failure::Auth(e) => Error::Auth(e),
            Failure::Transport(e) if e.is_timeout() => Error::Timeout(timeout),
            Failure::Transport(e) => Error::Transport(e),
            Failure::TooLarge { limit } => Error::BodyTooLarge { limit },
        }
    }
}

/// Checks that `base_url` is an absolute http(s) URL without credentials,
/// query or fragment; returns it without trailing `/`.
fn validate_base_url(base_url: &str) -> Result<String, ConfigError> {
    let trimmed = base_url.trim_end_matches('/');
    let uri: http::Uri = trimmed
        .parse()
        .map_err(|_| ConfigError::new("base_url is not a valid URL"))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(ConfigError::new(
            "base_url must start with http:// or https://",
        ));
    }
    let Some(authority) = uri.authority() else {
        return Err(ConfigError::new("base_url has no host"));
    };
    if authority.as_str().contains('@') {
        return Err(ConfigError::new(
            "base_url must not contain user information; give credentials with ClientConfig::auth",
        ));
    }
    if uri.query().is_some() || trimmed.contains('#') {
        return Err(ConfigError::new(
            "base_url must not contain a query or a fragment",
        ));
    }
    Ok(trimmed.to_owned())
}

impl Transport {
    /// Validates `config` (base URL, timeout, user agent) and builds the HTTP
    /// client (rustls, no redirects) unless one was given.
    pub fn new(config: ClientConfig) -> Result<Self, ConfigError> {
        let base_url = validate_base_url(&config.base_url)?;
        if config.timeout.is_zero() {
            return Err(ConfigError::new("timeout must be greater than zero"));
        }
        let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
            ConfigError::new("user_agent contains characters not allowed in an HTTP header value")
        })?;
        let client = match config.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .use_rustls_tls()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| ConfigError::with_source("the HTTP client could not be built", e))?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                base_url,
                timeout: config.timeout,
                user_agent,
                max_response_bytes: config.max_response_bytes,
                auth: config.auth,
                client,
            }),
        })
    }

    /// The validated base URL, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Runs `operation`: builds its request, adds credentials when it requires
    /// them, sends it, reads the body (at most `max_response_bytes`) and
    /// decodes the response. The timeout covers each attempt from obtaining
    /// credentials to the last body byte. A 401 on an authenticated operation
    /// is retried once, with a freshly built and authorized request, when
    /// [`Auth::on_unauthorized`] says so.
    ///
    /// No error holds the credentials the request carried: when decoding fails
    /// or gives a documented error and the body echoes a header value that the
    /// [`Auth`] marked sensitive (at least 8 bytes; for `Bearer <token>`, the
    /// token alone too), the body is decoded again with each copy replaced by
    /// `<redacted>`.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error<O::Error>> {
        let first = self.attempt(operation).await?;
        let retry = match &first.sent_credentials {
            Some(headers) if first.status == StatusCode::UNAUTHORIZED => {
                self.inner.auth.on_unauthorized(headers)
            }
            _ => false,
        };
        let last = if retry {
            self.attempt(operation).await?
        } else {
            first
        };
        let decoded = O::decode_response(last.status, &last.body);
        if decoded.is_err() {
            let redacted = last
                .sent_credentials
                .as_ref()
                .and_then(|sent| redact_credentials(&last.body, sent));
            if let Some(redacted) = redacted {
                // The server echoed credentials this request carried (a gateway's error
                // page, a debugging endpoint): the error is decoded again from a body
                // without them, so that its fields, `Debug` and `Display` never hold them.
                return match O::decode_response(last.status, &redacted) {
                    Err(error) => Err(error),
                    Ok(_) => Err(super::unexpected_status(last.status, &redacted)),
                };
            }
        }
        decoded
    }

    /// One attempt, under the timeout.
    async fn attempt<O: Operation>(&self, operation: &O) -> Result<Answer, Error<O::Error>> {
        let request = operation.to_request(&self.inner.base_url)?;
        let timeout = self.inner.timeout;
        match tokio::time::timeout(timeout, self.exchange(O::AUTHENTICATED, request)).await {
            Ok(result) => result.map_err(|failure| failure.into_error(timeout)),
            Err(_elapsed) => Err(Error::Timeout(timeout)),
        }
    }

    /// Authorizes (if asked), sends `request` and reads the bounded body.
    async fn exchange(
        &self,
        authenticated: bool,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<Answer, Failure> {
        let mut sent_credentials = None;
        if authenticated {
            self.inner
                .auth
                .authorize(&mut request)
                .await
                .map_err(Failure::Auth)?;
            // Kept so that, on a 401, the auth can tell which credentials were refused.
            sent_credentials = Some(request.headers().clone());
        }
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert_with(|| self.inner.user_agent.clone());
        let request = reqwest::Request::try_from(request).map_err(Failure::Transport)?;
        let mut response = self
            .inner
            .client
            .execute(request)
            .await
            .map_err(Failure::Transport)?;
        let status = response.status();
        let limit = self.inner.max_response_bytes;
        let announced = response.content_length();
        if announced.is_some_and(|len| len > limit as u64) {
            return Err(Failure::TooLarge { limit });
        }
        let reserve = announced
            .map_or(0, |len| len as usize)
            .min(MAX_PREALLOCATION);
        let mut body = Vec::with_capacity(reserve);
        while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
            if chunk.len() > limit - body.len() {
                return Err(Failure::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            body,
            sent_credentials,
        })
    }
}

/// Credentials shorter than this are not searched for in a response body: too
/// short to be a real secret, and cutting them out would mangle the body.
const MIN_REDACTED_LEN: usize = 8;

/// What an echoed credential is replaced with.
const REDACTED: &[u8] = b"<redacted>";

/// `body` with every copy of the sensitive values among `sent` (the headers an
/// [`Auth`] marked sensitive: `Bearer <token>`, signatures, …) cut out, and for
/// `<scheme> <credential>` values the credential alone too; `None` when the
/// body holds none of them.
fn redact_credentials(body: &[u8], sent: &http::HeaderMap) -> Option<Vec<u8>> {
    let mut secrets: Vec<&[u8]> = Vec::new();
    for value in sent.values().filter(|value| value.is_sensitive()) {
        let bytes = value.as_bytes();
        secrets.push(bytes.trim_ascii());
        if let Some(space) = bytes.iter().position(|&b| b == b' ') {
            secrets.push(bytes[space + 1..].trim_ascii());
        }
    }
    secrets.retain(|secret| secret.len() >= MIN_REDACTED_LEN);
    // Longest first, so that `Bearer <token>` goes whole before `<token>` is looked for.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    let mut redacted: Option<Vec<u8>> = None;
    for secret in secrets {
        let current = redacted.as_deref().unwrap_or(body);
        if let Some(replaced) = replace_all(current, secret) {
            redacted = Some(replaced);
        }
    }
    redacted
}

/// `haystack` with every `needle` replaced by [`REDACTED`], or `None` if there is none.
fn replace_all(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED);
        rest = &rest[at + needle.len()..];
    }
    if out.is_empty() {
        return None;
    }
    out.extend_from_slice(rest);
    Some(out)
}

/// What one attempt got back.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    /// The request's headers after `authorize`, for authenticated operations.
    sent_credentials: Option<http::HeaderMap>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_refuses_bad_base_urls() {
        for base in [
            "api.example.com",
            "ftp://api.example.com",
            "https://user:pw@api.example.com",
            "https://api.example.com?x=1",
            "https://api.example.com#frag",
            "",
        ] {
            let err = Transport::new(ClientConfig::new(base)).unwrap_err();
            assert!(err.to_string().contains("base_url"), "{base}: {err}");
            assert!(!err.to_string().contains("pw"), "{err}");
        }
    }

    #[test]
    fn new_trims_trailing_slashes_and_keeps_a_prefix() {
        let transport = Transport::new(ClientConfig::new("http://127.0.0.1:9/prefix//")).unwrap();
        assert_eq!(transport.base_url(), "http://127.0.0.1:9/prefix");
    }

    fn sensitive(value: &str) -> HeaderValue {
        let mut value = HeaderValue::from_str(value).unwrap();
        value.set_sensitive(true);
        value
    }

    #[test]
    fn redact_credentials_cuts_echoed_sensitive_values_only() {
        let mut sent = http::HeaderMap::new();
        sent.insert("authorization", sensitive("Bearer tok-0123456789"));
        sent.insert("x-signature", sensitive("c2lnbmF0dXJlLWJ5dGVz"));
        sent.insert("x-timestamp", HeaderValue::from_static("1700000000000"));
        sent.insert("x-client-id", sensitive("short"));
        let body = br#"{"auth":"Bearer tok-0123456789","token":"tok-0123456789","sig":"c2lnbmF0dXJlLWJ5dGVz","ts":"1700000000000","id":"short"}"#;
        let redacted = String::from_utf8(redact_credentials(body, &sent).unwrap()).unwrap();
        assert_eq!(
            redacted,
            r#"{"auth":"<redacted>","token":"<redacted>","sig":"<redacted>","ts":"1700000000000","id":"short"}"#
        );
        assert_eq!(redact_credentials(b"nothing echoed", &sent), None);
        assert_eq!(redact_credentials(b"", &sent), None);
        assert_eq!(redact_credentials(body, &http::HeaderMap::new()), None);
    }

    #[test]
    fn new_refuses_zero_timeout_and_bad_user_agent() {
        let err =
            Transport::new(ClientConfig::new("https://x.com").timeout(Duration::ZERO)).unwrap_err();
        assert!(err.to_string().contains("timeout"), "{err}");
        let err =
            Transport::new(ClientConfig::new("https://x.com").user_agent("a\nb")).unwrap_err();
        assert!(err.to_string().contains("user_agent"), "{err}");
    }
}
