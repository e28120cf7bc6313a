//! Running an [`Operation`] over `reqwest` (rustls): credentials, timeout, size limit, retries
//! under a [`super::RetryPolicy`], one 401 retry, per-call options and `tracing` spans.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use http::header::{HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, StatusCode};
use tracing::Instrument;

use super::config::redact_userinfo;
use super::retry::{self, Decision, RetryReason, Retryable};
use super::{
    trace, Auth, AuthError, CallOptions, ClientConfig, ConfigError, Error, ErrorKind, Operation,
    Response, ResponseMeta, RetryPolicy, StopReason,
};

/// At most this much memory is reserved up front for a body, whatever its
/// announced `content-length`; the buffer grows as bytes actually arrive.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// Runs operations against one API: a validated [`ClientConfig`] and an HTTP
/// client.
///
/// Cloning is cheap (it shares the client and credentials), and so is
/// [`Transport::with_options`]. `Debug` never shows credentials.
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
    /// Overrides for the calls made through this view ([`Transport::with_options`]).
    options: Option<Arc<CallOptions>>,
}

struct Inner {
    base_url: String,
    timeout: Duration,
    user_agent: HeaderValue,
    max_response_bytes: usize,
    auth: Arc<dyn Auth>,
    client: reqwest::Client,
    retry: RetryPolicy,
    request_id_headers: Box<[HeaderName]>,
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
            .field("retry", &inner.retry)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Why one exchange failed, before it is typed for an operation.
enum Failure {
    Auth(AuthError),
    Transport(reqwest::Error),
    Timeout,
    TooLarge { limit: usize },
}

impl Failure {
    /// A failure of the HTTP exchange, without reqwest's copy of the request URL: its path and
    /// query can hold personal data (an email, a phone number) or a key, and errors are logged.
    fn transport(error: reqwest::Error) -> Self {
        Failure::Transport(error.without_url())
    }

    fn into_error<E>(self, timeout: Duration) -> Error<E> {
        match self {
            Failure::Auth(e) => ErrorKind::Auth(e),
            Failure::Transport(e) if e.is_timeout() => ErrorKind::Timeout(timeout),
            Failure::Transport(e) => ErrorKind::Transport(e),
            Failure::Timeout => ErrorKind::Timeout(timeout),
            Failure::TooLarge { limit } => ErrorKind::BodyTooLarge { limit },
        }
        .into()
    }

    /// Why the failure is of a retried kind, if it is: a connection that failed before the
    /// request was sent, or after it may have been. Timeouts are not retried (the attempt
    /// had its whole time), nor are credentials that could not be obtained.
    fn retry_reason(&self) -> Option<RetryReason> {
        match self {
            Failure::Transport(e) if e.is_connect() => Some(RetryReason::Connect),
            Failure::Transport(e) if e.is_timeout() || e.is_builder() => None,
            Failure::Transport(_) => Some(RetryReason::Dropped),
            Failure::Auth(_) | Failure::Timeout | Failure::TooLarge { .. } => None,
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
    /// Validates `config` (base URL, timeout, deadline, user agent) and builds the HTTP
    /// client (rustls, no redirects) unless one was given.
    pub fn new(config: ClientConfig) -> Result<Self, ConfigError> {
        let base_url = validate_base_url(&config.base_url)?;
        if config.timeout.is_zero() {
            return Err(ConfigError::new("timeout must be greater than zero"));
        }
        if config.retry.total_deadline().is_zero() {
            return Err(ConfigError::new(
                "the retry policy's deadline must be greater than zero",
            ));
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
                retry: config.retry,
                request_id_headers: config.request_id_headers.into_boxed_slice(),
            }),
            options: None,
        })
    }

    /// The validated base URL, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A view of this transport whose calls use `options` (timeout, retry policy, extra
    /// headers) on top of the configuration and of this view's own options. Cheap: it
    /// shares the HTTP client and credentials.
    pub fn with_options(&self, options: CallOptions) -> Transport {
        let options = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Transport {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    /// Runs `operation`: builds its request, adds credentials when it requires
    /// them, sends it, reads the body (at most `max_response_bytes`) and
    /// decodes the response. The timeout covers each attempt from obtaining
    /// credentials to the last body byte. Failures that are safe to repeat are
    /// retried under the [`RetryPolicy`] (see there for which). A 401 on an
    /// authenticated operation is retried once more, with a freshly built and
    /// authorized request, when [`Auth::on_unauthorized`] says so.
    ///
    /// The error keeps how many attempts were made, why the call stopped and the
    /// last response's status and headers ([`Error::attempts`],
    /// [`Error::stop_reason`], [`Error::response`]).
    ///
    /// No error holds the credentials the request carried: when decoding fails
    /// or gives a documented error and the body echoes a header value that the
    /// [`Auth`] marked sensitive (at least 8 bytes; for `Bearer <token>`, the
    /// token alone too), the body is decoded again with each copy replaced by
    /// `<redacted>`.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error<O::Error>> {
        let outcome = self.run(operation).await?;
        match decode::<O>(&outcome.answer) {
            Ok(output) => Ok(output),
            Err(error) => Err(self.with_call(error, outcome)),
        }
    }

    /// Runs `operation` like [`Transport::execute`], and returns the decoded body with the
    /// response's status, headers and request id, and the number of attempts made.
    pub async fn execute_with_response<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<Response<O::Output>, Error<O::Error>> {
        let outcome = self.run(operation).await?;
        match decode::<O>(&outcome.answer) {
            Ok(output) => {
                let attempts = outcome.attempts;
                let meta = self.meta(outcome.answer);
                Ok(Response::new(meta, attempts, output))
            }
            Err(error) => Err(self.with_call(error, outcome)),
        }
    }

    /// `error` with what the call saw.
    fn with_call<E>(&self, error: Error<E>, outcome: Outcome) -> Error<E> {
        let attempts = outcome.attempts;
        let stop = outcome.stop;
        let meta = self.meta(outcome.answer);
        error.with_call(attempts, stop, Some(meta))
    }

    fn meta(&self, answer: Answer) -> ResponseMeta {
        ResponseMeta::new(
            answer.status,
            answer.headers,
            &self.inner.request_id_headers,
        )
    }

    fn retry_policy(&self) -> &RetryPolicy {
        self.options
            .as_ref()
            .and_then(|options| options.retry.as_ref())
            .unwrap_or(&self.inner.retry)
    }

    fn timeout(&self) -> Duration {
        self.options
            .as_ref()
            .and_then(|options| options.timeout)
            .unwrap_or(self.inner.timeout)
    }

    /// Attempts `operation` until it gets an answer that is not retried, or the policy says
    /// stop; the error of a failed exchange is typed here, an answer is decoded by the caller.
    async fn run<O: Operation>(&self, operation: &O) -> Result<Outcome, Error<O::Error>> {
        let span = trace::call(O::OPERATION_ID, O::PATH_TEMPLATE);
        let started = Instant::now();
        let result = self
            .retry_loop(operation, started, &span)
            .instrument(span.clone())
            .await;
        let (status, attempts) = match &result {
            Ok(outcome) => (Some(outcome.answer.status), outcome.attempts),
            Err(error) => (error.status(), error.attempts()),
        };
        trace::call_finished(&span, status, attempts, started);
        result
    }

    async fn retry_loop<O: Operation>(
        &self,
        operation: &O,
        started: Instant,
        span: &tracing::Span,
    ) -> Result<Outcome, Error<O::Error>> {
        let policy = self.retry_policy();
        let timeout = self.timeout();
        let mut attempts = 0;
        loop {
            attempts += 1;
            // No attempt outlives the call's deadline.
            let remaining = policy.total_deadline().saturating_sub(started.elapsed());
            let timeout = timeout.min(remaining);
            let attempt_span = trace::attempt(attempts);
            let attempt_started = Instant::now();
            let attempted = self
                .attempt(operation, timeout)
                .instrument(attempt_span.clone())
                .await;
            let Attempted {
                method,
                repeatable,
                result,
            } = attempted?;
            if attempts == 1 {
                trace::method(span, &method);
            }
            let status = result.as_ref().ok().map(|answer| answer.status);
            trace::attempt_finished(&attempt_span, status, attempt_started);
            let retryable = match &result {
                Ok(answer) => retryable_answer(answer, repeatable),
                Err(failure) => retryable_failure(failure, repeatable),
            };
            let stop = match retryable {
                None => None,
                Some(failure) => {
                    let elapsed = started.elapsed();
                    let decision = policy.decide(&failure, attempts, elapsed, retry::jitter());
                    // Told inside the attempt's span, which closes before any wait.
                    match decision {
                        Decision::RetryAfter(wait) => {
                            attempt_span
                                .in_scope(|| trace::retrying(attempts, failure.reason, wait));
                            drop(attempt_span);
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        Decision::Stop(stop) => {
                            attempt_span
                                .in_scope(|| trace::stopped(attempts, failure.reason, &stop));
                            Some(stop)
                        }
                    }
                }
            };
            return match result {
                Ok(answer) => Ok(Outcome {
                    answer,
                    attempts,
                    stop,
                }),
                Err(failure) => Err(failure.into_error(timeout).with_call(attempts, stop, None)),
            };
        }
    }

    /// One attempt, with its single 401 retry, both within `timeout`: `Err` only when the
    /// request cannot be built.
    async fn attempt<O: Operation>(
        &self,
        operation: &O,
        timeout: Duration,
    ) -> Result<Attempted, Error<O::Error>> {
        let started = Instant::now();
        let first = self.exchange_once(operation, timeout).await?;
        let refresh = match &first.result {
            Ok(Answer {
                status: StatusCode::UNAUTHORIZED,
                sent_credentials: Some(sent),
                ..
            }) => self.inner.auth.on_unauthorized(sent),
            _ => false,
        };
        if !refresh {
            return Ok(first);
        }
        trace::refreshing_credentials();
        // The retry with fresh credentials gets what is left of the attempt's time, so an
        // attempt never runs past its timeout (nor, through it, past the call's deadline).
        let left = timeout.saturating_sub(started.elapsed());
        self.exchange_once(operation, left).await
    }

    /// Builds the request (with this view's extra headers) and runs one exchange under
    /// `timeout`.
    async fn exchange_once<O: Operation>(
        &self,
        operation: &O,
        timeout: Duration,
    ) -> Result<Attempted, Error<O::Error>> {
        let mut request = operation.to_request(&self.inner.base_url)?;
        if let Some(options) = &self.options {
            for (name, value) in &options.headers {
                request.headers_mut().insert(name, value.clone());
            }
        }
        let repeatable = retry::is_idempotent_method(request.method())
            || O::IDEMPOTENT
            || O::IDEMPOTENCY_KEY.is_some_and(|name| {
                request
                    .headers()
                    .get(name)
                    .is_some_and(|value| !value.is_empty())
            });
        let method = request.method().clone();
        let exchange = self.exchange(O::AUTHENTICATED, request);
        let result = match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Failure::Timeout),
        };
        Ok(Attempted {
            method,
            repeatable,
            result,
        })
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
        let request = reqwest::Request::try_from(request).map_err(Failure::transport)?;
        let mut response = self
            .inner
            .client
            .execute(request)
            .await
            .map_err(Failure::transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_bytes;
        let announced = response.content_length();
        if announced.is_some_and(|len| len > limit as u64) {
            return Err(Failure::TooLarge { limit });
        }
        let reserve = announced
            .map_or(0, |len| len as usize)
            .min(MAX_PREALLOCATION);
        let mut body = Vec::with_capacity(reserve);
        while let Some(chunk) = response.chunk().await.map_err(Failure::transport)? {
            if chunk.len() > limit - body.len() {
                return Err(Failure::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers,
            body,
            sent_credentials,
        })
    }
}

/// An answer with a retried status, as a failure for the [`RetryPolicy`] to judge.
fn retryable_answer(answer: &Answer, repeatable: bool) -> Option<Retryable> {
    if !retry::is_retried_status(answer.status) {
        return None;
    }
    let retry_after = answer
        .headers
        .get(RETRY_AFTER)
        .and_then(|value| retry::parse_retry_after(value.as_bytes(), SystemTime::now()));
    Some(Retryable {
        reason: RetryReason::Status(answer.status),
        safe: repeatable,
        retry_after,
    })
}

/// A failed exchange of a retried kind, for the [`RetryPolicy`] to judge.
fn retryable_failure(failure: &Failure, repeatable: bool) -> Option<Retryable> {
    let reason = failure.retry_reason()?;
    Some(Retryable {
        reason,
        // The server never saw a request whose connection could not be opened.
        safe: repeatable || reason == RetryReason::Connect,
        retry_after: None,
    })
}

/// Decodes the final answer; a failed decoding that holds credentials the request carried
/// is decoded again from a body without them.
fn decode<O: Operation>(answer: &Answer) -> Result<O::Output, Error<O::Error>> {
    let decoded = O::decode_response(answer.status, &answer.body);
    if decoded.is_err() {
        let redacted = answer
            .sent_credentials
            .as_ref()
            .and_then(|sent| redact_credentials(&answer.body, sent));
        if let Some(redacted) = redacted {
            // The server echoed credentials this request carried (a gateway's error
            // page, a debugging endpoint): the error is decoded again from a body
            // without them, so that its fields, `Debug` and `Display` never hold them.
            return match O::decode_response(answer.status, &redacted) {
                Err(error) => Err(error),
                Ok(_) => Err(super::unexpected_status(answer.status, &redacted)),
            };
        }
    }
    decoded
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

/// What one exchange got back.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    /// The request's headers after `authorize`, for authenticated operations.
    sent_credentials: Option<http::HeaderMap>,
}

/// One attempt: its method, whether its request may be repeated, and what it got.
struct Attempted {
    method: http::Method,
    /// The operation is idempotent by its method or its description, or the request carries
    /// the documented idempotency key.
    repeatable: bool,
    result: Result<Answer, Failure>,
}

/// The answer that ends a call, once retries are over.
struct Outcome {
    answer: Answer,
    attempts: u32,
    /// Why the answer, of a retried status, was not retried.
    stop: Option<StopReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_refuses_a_zero_deadline() {
        let config = ClientConfig::new("https://api.example.com")
            .retry(RetryPolicy::default().deadline(Duration::ZERO));
        let err = Transport::new(config).unwrap_err();
        assert!(err.to_string().contains("deadline"), "{err}");
    }

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
