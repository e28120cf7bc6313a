//! Tests of [`super::ClientCredentials`] against a token endpoint on loopback
//! that checks what it is sent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::*;
use crate::{
    decode_empty, unexpected_status, ClientConfig, Error, ManualClock, Operation, RequestBuilder,
    RequestError, Transport,
};

const CLIENT_ID: &str = "client-7";
const CLIENT_SECRET: &str = "zz-client-secret-Q9";
/// `python3 -c 'import base64; print(base64.b64encode(b"client-7:zz-client-secret-Q9").decode())'`
const BASIC: &str = "Basic Y2xpZW50LTc6enotY2xpZW50LXNlY3JldC1ROQ==";
const BASIC_CREDENTIALS: &str = "Y2xpZW50LTc6enotY2xpZW50LXNlY3JldC1ROQ==";
const TOKEN_PATH: &str = "/oauth2/token/";
/// 2023-11-14T22:13:20Z.
const START_MS: u64 = 1_700_000_000_000;

/// Answers `token-1`, `token-2`, … with the given expiry (seconds), in the
/// camelCase form some providers use.
struct SequentialTokens {
    issued: AtomicUsize,
    expires_in: u64,
}

impl SequentialTokens {
    fn new(expires_in: u64) -> Self {
        SequentialTokens {
            issued: AtomicUsize::new(0),
            expires_in,
        }
    }
}

impl Respond for SequentialTokens {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "accessToken": format!("token-{n}"),
            "expiresIn": self.expires_in,
            "tokenType": "Bearer",
            "scope": "read write",
        }))
    }
}

/// A token endpoint that only answers requests carrying the right Basic
/// credentials, content type and form body (anything else gets wiremock's 404).
fn token_endpoint() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
}

fn credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(
        format!("{}{TOKEN_PATH}", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
    )
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .count()
}

fn request() -> http::Request<Vec<u8>> {
    http::Request::new(Vec::new())
}

async fn bearer_after_authorize(auth: &ClientCredentials) -> String {
    let mut req = request();
    auth.authorize(&mut req).await.unwrap();
    let value = &req.headers()[AUTHORIZATION];
    assert!(value.is_sensitive());
    value.to_str().unwrap().to_owned()
}

fn assert_no_secrets(shown: &str) {
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(!shown.contains(BASIC_CREDENTIALS), "{shown}");
}

#[tokio::test]
async fn camel_case_reply_sets_the_bearer_header() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessToken": "tok-camel",
            "expiresIn": 36000,
            "tokenType": "Bearer",
            "scope": "read",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let auth = credentials(&server);
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer tok-camel");
    assert_eq!(auth.token().await.unwrap().expose_secret(), "tok-camel");
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers["accept"], "application/json");
}

#[tokio::test]
async fn snake_case_reply_sets_the_bearer_header() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-snake",
            "expires_in": 3600,
            "token_type": "bearer",
        })))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        bearer_after_authorize(&credentials(&server)).await,
        "Bearer tok-snake"
    );
}

#[tokio::test]
async fn expiry_as_a_string_and_missing_token_type_are_accepted() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"accessToken": "tok-str", "expiresIn": "120"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let clock = ManualClock::new(START_MS);
    let auth = credentials(&server).clock(clock.clone());
    auth.token().await.unwrap();
    // 120 s lifetime, 60 s margin: refreshed from 60 s on.
    clock.advance(Duration::from_secs(59));
    auth.token().await.unwrap();
    assert_eq!(token_requests(&server).await, 1);
    clock.advance(Duration::from_secs(1));
    auth.token().await.unwrap();
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_authorize_calls_make_one_token_request() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000).delayed(Duration::from_millis(200)))
        .expect(1)
        .mount(&server)
        .await;
    let auth = Arc::new(credentials(&server));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let auth = Arc::clone(&auth);
            tokio::spawn(async move { bearer_after_authorize(&auth).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "Bearer token-1");
    }
    assert_eq!(token_requests(&server).await, 1);
}

/// Delays the answers of a custom responder.
trait Delayed: Sized {
    fn delayed(self, delay: Duration) -> DelayedResponder<Self>;
}

impl<R: Respond> Delayed for R {
    fn delayed(self, delay: Duration) -> DelayedResponder<Self> {
        DelayedResponder { inner: self, delay }
    }
}

struct DelayedResponder<R> {
    inner: R,
    delay: Duration,
}

impl<R: Respond> Respond for DelayedResponder<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.inner.respond(request).set_delay(self.delay)
    }
}

#[tokio::test]
async fn token_is_reused_until_expiry_minus_margin() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .expect(2)
        .mount(&server)
        .await;
    let clock = ManualClock::new(START_MS);
    let auth = credentials(&server).clock(clock.clone());

    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-1");
    // Refresh is due at 36000 s - 60 s = 35940 s.
    clock.advance(Duration::from_secs(35_939));
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-1");
    assert_eq!(token_requests(&server).await, 1);

    clock.advance(Duration::from_secs(2));
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-2");
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-2");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn custom_margin_applies_and_is_capped_at_half_a_short_lifetime() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(600))
        .mount(&server)
        .await;
    let clock = ManualClock::new(START_MS);
    let auth = credentials(&server)
        .clock(clock.clone())
        .refresh_before_expiry(Duration::from_secs(100));
    auth.token().await.unwrap();
    clock.advance(Duration::from_secs(499));
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-1");
    clock.advance(Duration::from_secs(1));
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-2");

    // A margin longer than the lifetime: half the lifetime (300 s) is used.
    let auth = credentials(&server)
        .clock(clock.clone())
        .refresh_before_expiry(Duration::from_secs(3600));
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-3");
    clock.advance(Duration::from_secs(299));
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-3");
    clock.advance(Duration::from_secs(1));
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-4");
}

#[tokio::test]
async fn missing_expiry_means_the_default_lifetime() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"accessToken": "t"})))
        .mount(&server)
        .await;
    let clock = ManualClock::new(START_MS);
    let auth = credentials(&server).clock(clock.clone());
    auth.token().await.unwrap();
    // 5 min lifetime, 60 s margin: refreshed from 240 s on.
    clock.advance(DEFAULT_TOKEN_LIFETIME - DEFAULT_REFRESH_MARGIN - Duration::from_secs(1));
    auth.token().await.unwrap();
    assert_eq!(token_requests(&server).await, 1);
    clock.advance(Duration::from_secs(1));
    auth.token().await.unwrap();
    assert_eq!(token_requests(&server).await, 2);
}

/// The `authorization` header `authorize` puts on a request, as the refused request's headers.
async fn sent_headers(auth: &ClientCredentials) -> http::HeaderMap {
    let mut request = http::Request::new(Vec::new());
    auth.authorize(&mut request).await.unwrap();
    request.headers().clone()
}

#[tokio::test]
async fn on_unauthorized_drops_the_refused_token_so_the_next_authorize_fetches_one() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .expect(2)
        .mount(&server)
        .await;
    let auth = credentials(&server);
    let refused = sent_headers(&auth).await;
    assert_eq!(refused[http::header::AUTHORIZATION], "Bearer token-1");
    assert!(auth.on_unauthorized(&refused));
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-2");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_late_401_does_not_throw_away_a_token_refreshed_meanwhile() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .expect(2)
        .mount(&server)
        .await;
    let auth = credentials(&server);
    // This request is sent with token-1 …
    let refused = sent_headers(&auth).await;
    // … meanwhile another request's 401 replaced it with token-2 …
    auth.invalidate();
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-2");
    // … then this request's 401 arrives: token-2 is kept for the retry.
    assert!(auth.on_unauthorized(&refused));
    assert_eq!(bearer_after_authorize(&auth).await, "Bearer token-2");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn invalidate_drops_the_cached_token() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .expect(2)
        .mount(&server)
        .await;
    let auth = credentials(&server);
    let clone = auth.clone();
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-1");
    // Clones share the cache.
    assert_eq!(clone.token().await.unwrap().expose_secret(), "token-1");
    clone.invalidate();
    assert_eq!(auth.token().await.unwrap().expose_secret(), "token-2");
}

#[tokio::test]
async fn token_endpoint_refusal_names_the_status_without_secrets() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "echo": {"secret": CLIENT_SECRET, "authorization": BASIC},
        })))
        .expect(2)
        .mount(&server)
        .await;
    let auth = credentials(&server);
    let err = auth.token().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("401 Unauthorized"), "{shown}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(shown.contains(TOKEN_PATH), "{shown}");
    assert_no_secrets(&shown);

    let mut req = request();
    let err = auth.authorize(&mut req).await.unwrap_err();
    assert_no_secrets(&format!("{err} {err:?}"));
    assert!(req.headers().get(AUTHORIZATION).is_none());
}

#[tokio::test]
async fn a_long_error_body_is_cut_to_a_short_excerpt() {
    let server = MockServer::start().await;
    let body = format!("{}{CLIENT_SECRET}", "x".repeat(190));
    token_endpoint()
        .respond_with(ResponseTemplate::new(503).set_body_string(body))
        .mount(&server)
        .await;
    let err = credentials(&server).token().await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("503 Service Unavailable"), "{shown}");
    assert!(shown.len() < 400, "{shown}");
    // Not even a prefix of the secret survives the cut.
    assert!(!shown.contains("zz-client"), "{shown}");
}

#[tokio::test]
async fn undecodable_replies_fail_without_echoing_the_body() {
    const LEAK: &str = "tok_LEAK_abc123";
    let bodies = [
        format!(r#"{{"accessToken": "{LEAK}", "expiresIn": "#),
        format!("access_token={LEAK}&expires_in=3600"),
        format!(r#"["{LEAK}"]"#),
        format!(r#"{{"accessToken": ["{LEAK}"]}}"#),
        format!(r#"{{"access_token": "{LEAK}", "expires_in": "soon {LEAK}"}}"#),
        format!(r#"{{"accessToken": "{LEAK}", "expiresIn": -5}}"#),
        format!(r#"{{"accessToken": "{LEAK}", "tokenType": "mac {LEAK}"}}"#),
        format!(r#"{{"accessToken": "{LEAK}\n"}}"#),
        format!(r#"{{"token": "{LEAK}"}}"#),
        r#"{"accessToken": ""}"#.to_owned(),
    ];
    for body in bodies {
        let server = MockServer::start().await;
        token_endpoint()
            .respond_with(ResponseTemplate::new(200).set_body_string(body.clone()))
            .mount(&server)
            .await;
        let auth = credentials(&server);
        let err = auth.token().await.unwrap_err();
        let mut shown = format!("{err} {err:?}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            shown.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        assert!(!shown.contains(LEAK), "{body}: {shown}");
        assert!(!shown.contains("tok_"), "{body}: {shown}");
        assert!(shown.contains("200 OK"), "{body}: {shown}");
        assert!(shown.contains("not shown"), "{body}: {shown}");
        assert_no_secrets(&shown);
        assert!(!format!("{auth:?}").contains(LEAK));
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere"))
        .mount(&server)
        .await;
    let err = credentials(&server).token().await.unwrap_err();
    assert!(err.to_string().contains("302 Found"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_oversized_reply_is_refused() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(70 * 1024)))
        .mount(&server)
        .await;
    let err = credentials(&server).token().await.unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn transport_failures_and_timeouts_keep_their_source() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let auth = ClientCredentials::new(
        format!("http://127.0.0.1:{port}{TOKEN_PATH}"),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    let err = auth.token().await.unwrap_err();
    assert!(err.to_string().contains("failed"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert_no_secrets(&format!("{err} {err:?}"));

    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(60).delayed(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = credentials(&server)
        .http_client(client)
        .token()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn bad_token_urls_are_refused_without_their_password() {
    for url in [
        "not a url",
        "ftp://example.com/token",
        "https://user:hunter2@example.com/token",
    ] {
        let err = ClientCredentials::new(url, CLIENT_ID, CLIENT_SECRET)
            .token()
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("token URL"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[tokio::test]
async fn debug_never_shows_the_secret_or_the_token() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .mount(&server)
        .await;
    let auth = credentials(&server);
    let before = format!("{auth:?}");
    let token = auth.token().await.unwrap();
    let after = format!("{auth:?}");
    for shown in [&before, &after, &format!("{token:?}")] {
        assert_no_secrets(shown);
        assert!(!shown.contains("token-1"), "{shown}");
    }
    assert!(after.contains(CLIENT_ID), "{after}");
    assert!(after.contains("redacted"), "{after}");
}

/// `DELETE /secret`, with credentials; 204 → ().
struct DeleteSecret;

impl Operation for DeleteSecret {
    type Output = ();
    type Error = std::convert::Infallible;
    const AUTHENTICATED: bool = true;

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(Method::DELETE, base_url)
            .path("/secret")
            .build()
    }

    fn decode_response(status: StatusCode, body: &[u8]) -> Result<(), Error<Self::Error>> {
        match status.as_u16() {
            204 => Ok(decode_empty(status, body)?),
            _ => Err(unexpected_status(status, body)),
        }
    }
}

#[tokio::test]
async fn transport_retries_a_401_once_with_a_fresh_token() {
    let server = MockServer::start().await;
    token_endpoint()
        .respond_with(SequentialTokens::new(36000))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/secret"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/secret"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let transport =
        Transport::new(ClientConfig::new(server.uri()).auth(credentials(&server))).unwrap();

    transport.execute(&DeleteSecret).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let api_requests = received
        .iter()
        .filter(|r| r.url.path() == "/secret")
        .count();
    assert_eq!(token_requests(&server).await, 2);
    assert_eq!(api_requests, 2);
}
