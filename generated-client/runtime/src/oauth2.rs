//! OAuth2 client-credentials tokens (RFC 6749, section 4.4), fetched
//! once, cached until shortly before they expire, and sent as bearer tokens.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use serde_json::{Map, Value};

use super::config::redact_userinfo;
use super::decode::excerpt;
use super::{Auth, AuthError, AuthFuture, Clock, SystemClock};

/// The default [`ClientCredentials::refresh_before_expiry`]: 60 seconds.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long a token is trusted when the token endpoint does not say
/// (`expiresIn` missing or `null`): 5 minutes.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// The timeout of the HTTP client built when none is given.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest token response read; a token reply is a few hundred bytes.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// How much of a non-2xx token response body an error shows.
const ERROR_EXCERPT_BYTES: usize = 200;

const FORM_BODY: &str = "grant_type=client_credentials";
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
const CLIENT_USER_AGENT: &str = concat!("rampgen-generated-client/", env!("CARGO_PKG_VERSION"));

/// An access token obtained by [`ClientCredentials::token`].
///
/// Cheap to clone. Its `Debug` output is redacted and it has no `Display`:
/// read it with [`AccessToken::expose_secret`], deliberately.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// The token itself, e.g. to send it by some other means. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// OAuth2 client-credentials grant, as an [`Auth`] that sends
/// `authorization: Bearer <token>`.
///
/// The token is requested with `POST <token_url>`, HTTP Basic authentication
/// (`base64("{client_id}:{client_secret}")`, sent as is) and the form body
/// `grant_type=client_credentials`. The JSON reply may spell its fields
/// `access_token`/`expires_in`/`token_type` (RFC 6749, section 5.1) or
/// `accessToken`/`expiresIn`/`tokenType`, as some providers do; the camelCase one wins if a reply
/// has both. `expiresIn` is a number of seconds (an integer, a non-negative
/// number, or a string of digits); when it is missing or `null` the token is
/// trusted for [`DEFAULT_TOKEN_LIFETIME`]. A `tokenType` other than `Bearer`
/// (any case) is refused.
///
/// The token is cached and reused until `refresh_before_expiry` before it
/// expires (but at most half its lifetime before, so a short-lived token is
/// still reused). However many requests need a token at once, only one token
/// request is in flight: the others wait for it. A failed token request is
/// not cached; each waiting request then tries in turn.
///
/// After a 401 from the API, [`Auth::on_unauthorized`] drops the cached token
/// and asks for the request to be retried, so the retry fetches a new one —
/// unless the token was already replaced since that request was authorized
/// (see [`ClientCredentials::on_unauthorized`]).
///
/// Clones share the cache and the in-flight token request; configure with
/// the builder methods before cloning. `Debug` never shows the client secret
/// or the token, and no error ever contains them.
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    margin: Duration,
    clock: Arc<dyn Clock>,
    http: Result<reqwest::Client, Arc<reqwest::Error>>,
    state: Arc<State>,
}

/// What clones share.
#[derive(Default)]
struct State {
    cache: Mutex<Cache>,
    /// Held across a token request, so that only one is in flight.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Cache {
    current: Option<Cached>,
}

#[derive(Clone)]
struct Cached {
    token: AccessToken,
    /// `Bearer <token>`, marked sensitive.
    header: HeaderValue,
    /// From this time on (Unix ms) a new token is fetched.
    refresh_at_ms: u64,
    /// When the token endpoint said the token expires (Unix ms).
    expires_at_ms: u64,
}

/// A token as decoded from the token endpoint's reply.
struct Fetched {
    token: String,
    /// `Bearer <token>`, marked sensitive.
    header: HeaderValue,
    lifetime: Duration,
}

fn lock(cache: &Mutex<Cache>) -> MutexGuard<'_, Cache> {
    // Nothing panics while the lock is held; if something ever did, the cache
    // is still consistent (each update is a single assignment).
    cache.lock().unwrap_or_else(PoisonError::into_inner)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl ClientCredentials {
    /// Credentials for the token endpoint at `token_url`, an absolute
    /// `http(s)` URL without user information (a spec's relative `tokenUrl`
    /// goes through [`resolve_url`](crate::resolve_url) first; a generated
    /// client's `client_credentials` constructor does that).
    ///
    /// Defaults: refresh 60 s before expiry, the system clock, and an HTTP
    /// client with rustls, no redirects and a 30 s timeout. The URL is
    /// checked when the first token is requested.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .build()
            .map_err(Arc::new);
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            margin: DEFAULT_REFRESH_MARGIN,
            clock: Arc::new(SystemClock),
            http,
            state: Arc::default(),
        }
    }

    /// Fetch a new token this long before the cached one expires (default
    /// [`DEFAULT_REFRESH_MARGIN`]). For a token that lives less than twice
    /// `margin`, half its lifetime is used instead.
    pub fn refresh_before_expiry(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Uses `clock` to judge token expiry instead of the system clock.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses this `reqwest` client for token requests. Its timeout and
    /// redirect policy are then the caller's responsibility (following a
    /// redirect would send the client credentials to another URL).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Ok(client);
        self
    }

    /// The cached token if it is still fresh, or else a new one from the
    /// token endpoint (which is then cached).
    ///
    /// Returns an [`AccessToken`] rather than a `String` so that it cannot be
    /// logged by accident.
    pub async fn token(&self) -> Result<AccessToken, AuthError> {
        Ok(self.current().await?.token)
    }

    /// Drops the cached token, whichever it is: the next request fetches a
    /// new one.
    pub fn invalidate(&self) {
        lock(&self.state.cache).current = None;
    }

    /// The cached token if it does not need refreshing at `now_ms`.
    fn fresh(&self, now_ms: u64) -> Option<Cached> {
        lock(&self.state.cache)
            .current
            .as_ref()
            .filter(|cached| now_ms < cached.refresh_at_ms)
            .cloned()
    }

    /// The fresh cached token, or a new one, fetched by at most one caller at
    /// a time.
    async fn current(&self) -> Result<Cached, AuthError> {
        if let Some(cached) = self.fresh(self.clock.now_millis()) {
            return Ok(cached);
        }
        let _in_flight = self.state.refresh.lock().await;
        // Whoever held the lock before may have fetched one meanwhile.
        let requested_at_ms = self.clock.now_millis();
        if let Some(cached) = self.fresh(requested_at_ms) {
            return Ok(cached);
        }
        let fetched = self.fetch().await?;
        // The lifetime counts from before the request was sent: never later
        // than the server's own clock started it.
        let lifetime_ms = millis(fetched.lifetime);
        let margin_ms = millis(self.margin).min(lifetime_ms / 2);
        let expires_at_ms = requested_at_ms.saturating_add(lifetime_ms);
        let mut cache = lock(&self.state.cache);
        let cached = Cached {
            token: AccessToken(fetched.token.into()),
            header: fetched.header,
            refresh_at_ms: expires_at_ms.saturating_sub(margin_ms),
            expires_at_ms,
        };
        cache.current = Some(cached.clone());
        Ok(cached)
    }

    /// One token request.
    async fn fetch(&self) -> Result<Fetched, AuthError> {
        let client = self.http.as_ref().map_err(|e| {
            AuthError::with_source(
                "the HTTP client for the token endpoint could not be built",
                Arc::clone(e),
            )
        })?;
        let url = self.token_url()?;
        let shown_url = url.as_str().to_owned();
        let mut basic = HeaderValue::from_str(&format!("Basic {}", self.basic_credentials()))
            .map_err(|_| AuthError::new("the client credentials cannot be sent in a header"))?;
        basic.set_sensitive(true);
        let transport_error = |e: reqwest::Error| {
            let what = if e.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            AuthError::with_source(
                format!("the token request to {shown_url} {what}"),
                e.without_url(),
            )
        };
        let mut response = client
            .post(url)
            .header(AUTHORIZATION, basic)
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, CLIENT_USER_AGENT)
            .body(FORM_BODY)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        if response
            .content_length()
            .is_some_and(|len| len > MAX_TOKEN_RESPONSE_BYTES as u64)
        {
            return Err(too_large(&shown_url, status));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if chunk.len() > MAX_TOKEN_RESPONSE_BYTES - body.len() {
                return Err(too_large(&shown_url, status));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            // Redact before cutting, so that no prefix of a secret survives.
            let redacted = self.redact(&String::from_utf8_lossy(&body));
            return Err(AuthError::new(format!(
                "the token endpoint {shown_url} answered {status}: {:?}",
                excerpt(redacted.as_bytes(), ERROR_EXCERPT_BYTES)
            )));
        }
        decode_token_response(&body).map_err(|problem| {
            AuthError::new(format!(
                "the token endpoint {shown_url} answered {status} with {problem} ({} bytes; the body is not shown as it may contain a token)",
                body.len()
            ))
        })
    }

    /// The token URL, checked: absolute http(s), no user information.
    fn token_url(&self) -> Result<reqwest::Url, AuthError> {
        let shown = redact_userinfo(&self.token_url);
        let url = reqwest::Url::parse(&self.token_url)
            .map_err(|_| AuthError::new(format!("the token URL {shown:?} is not a valid URL")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(AuthError::new(format!(
                "the token URL {shown:?} must start with http:// or https://"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AuthError::new(format!(
                "the token URL {shown:?} must not contain user information; give the client id and secret to ClientCredentials::new"
            )));
        }
        Ok(url)
    }

    /// `base64("{client_id}:{client_secret}")`.
    fn basic_credentials(&self) -> String {
        STANDARD.encode(format!("{}:{}", self.client_id, self.client_secret))
    }

    /// `text` with any copy of the client secret or the Basic credentials
    /// cut out (a server might echo what it was sent).
    fn redact(&self, text: &str) -> String {
        let mut text = text.replace(&self.basic_credentials(), "<redacted>");
        if !self.client_secret.is_empty() {
            text = text.replace(&self.client_secret, "<redacted>");
        }
        text
    }
}

fn too_large(url: &str, status: http::StatusCode) -> AuthError {
    AuthError::new(format!(
        "the token endpoint {url} answered {status} with a body larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"
    ))
}

/// Reads a 2xx token reply. The error describes the problem without quoting
/// any value from the body.
fn decode_token_response(body: &[u8]) -> Result<Fetched, String> {
    let object: Map<String, Value> = serde_json::from_slice(body).map_err(|e| {
        format!(
            "a body that is not a JSON object ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    let field = |camel: &str, snake: &str| {
        object
            .get(camel)
            .filter(|v| !v.is_null())
            .or_else(|| object.get(snake).filter(|v| !v.is_null()))
    };
    let token = match field("accessToken", "access_token") {
        Some(Value::String(token)) if !token.is_empty() => token.clone(),
        Some(Value::String(_)) => return Err("an empty `accessToken`".to_owned()),
        Some(_) => return Err("an `accessToken` that is not a string".to_owned()),
        None => return Err("no `accessToken` (nor `access_token`)".to_owned()),
    };
    let mut header = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        "an `accessToken` with characters not allowed in an HTTP header value".to_owned()
    })?;
    header.set_sensitive(true);
    if let Some(token_type) = field("tokenType", "token_type") {
        if !token_type
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
        {
            return Err("a `tokenType` other than Bearer".to_owned());
        }
    }
    let lifetime = match field("expiresIn", "expires_in") {
        None => DEFAULT_TOKEN_LIFETIME,
        Some(value) => Duration::from_secs(seconds(value).ok_or_else(|| {
            "an `expiresIn` that is not a non-negative number of seconds".to_owned()
        })?),
    };
    Ok(Fetched {
        token,
        header,
        lifetime,
    })
}

/// `3600`, `3600.5` or `"3600"` → 3600.
fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                // Saturating float-to-int conversion; the fraction is dropped.
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl fmt::Debug for ClientCredentials {
    /// Shows the settings and the cached token's expiry, never the client
    /// secret or the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cache = lock(&self.state.cache);
        f.debug_struct("ClientCredentials")
            .field("token_url", &redact_userinfo(&self.token_url))
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("refresh_before_expiry", &self.margin)
            .field(
                "cached_token",
                &cache
                    .current
                    .as_ref()
                    .map(|cached| format!("<redacted>, expires at {} ms", cached.expires_at_ms)),
            )
            .finish_non_exhaustive()
    }
}

impl Auth for ClientCredentials {
    /// Sets `authorization: Bearer <token>` (marked sensitive) with the
    /// cached or a freshly fetched token.
    fn authorize<'a>(&'a self, request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        Box::pin(async move {
            let cached = self.current().await?;
            request.headers_mut().insert(AUTHORIZATION, cached.header);
            Ok(())
        })
    }

    /// Drops the token the refused request was sent with, and returns `true`
    /// so that [`super::Transport`] retries once with a new token. If the
    /// cached token was already replaced since that request was authorized
    /// (another request's 401 led to a refresh meanwhile), the new one is kept
    /// and the retry uses it.
    fn on_unauthorized(&self, refused: &http::HeaderMap) -> bool {
        let mut cache = lock(&self.state.cache);
        let sent = refused.get(AUTHORIZATION);
        let still_current = cache
            .current
            .as_ref()
            .is_some_and(|cached| Some(&cached.header) == sent);
        if still_current {
            cache.current = None;
        }
        true
    }
}

#[cfg(test)]
#[path = "oauth2_tests.rs"]
mod tests;
