//! Retries, per-call options and response metadata of [`super::Transport`], against
//! fault-injecting servers on loopback (wiremock, and raw sockets for connections that fail).
//!
//! Backoffs are a millisecond so that the tests are fast; the one timed assertion is that a
//! `Retry-After: 1` is waited for.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{HeaderName, HeaderValue};
use http::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

/// `GET /things/{id}`; 200 → JSON value.
struct GetThing;

impl Operation for GetThing {
    type Output = serde_json::Value;
    type Error = std::convert::Infallible;
    const AUTHENTICATED: bool = true;
    const OPERATION_ID: &'static str = "getThing";
    const PATH_TEMPLATE: &'static str = "/things/{id}";

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(Method::GET, base_url)
            .path("/things/")
            .path_param("id", "x")
            .query("email", "someone@example.com")
            .build()
    }

    fn decode_response(
        status: StatusCode,
        body: &[u8],
    ) -> Result<Self::Output, Error<Self::Error>> {
        match status.as_u16() {
            200 => Ok(decode_json(status, body)?),
            _ => Err(unexpected_status(status, body)),
        }
    }
}

/// `POST /payments`, optionally with an `Idempotency-Key` header; the consts say whether the
/// operation is declared idempotent and whether it documents the key.
struct CreatePayment<const DECLARED: bool, const KEYED: bool> {
    key: Option<&'static str>,
}

impl<const DECLARED: bool, const KEYED: bool> Operation for CreatePayment<DECLARED, KEYED> {
    type Output = serde_json::Value;
    type Error = std::convert::Infallible;
    const AUTHENTICATED: bool = false;
    const OPERATION_ID: &'static str = "createPayment";
    const PATH_TEMPLATE: &'static str = "/payments";
    const IDEMPOTENT: bool = DECLARED;
    const IDEMPOTENCY_KEY: Option<&'static str> =
        if KEYED { Some("Idempotency-Key") } else { None };

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(Method::POST, base_url)
            .path("/payments")
            .header("Idempotency-Key", &self.key)
            .json_body(&json!({"amount": "10.00", "card": "4111111111111111"}))
            .build()
    }

    fn decode_response(
        status: StatusCode,
        body: &[u8],
    ) -> Result<Self::Output, Error<Self::Error>> {
        match status.as_u16() {
            200 => Ok(decode_json(status, body)?),
            _ => Err(unexpected_status(status, body)),
        }
    }
}

/// A POST that is not idempotent and carries no key.
const PLAIN_POST: CreatePayment<false, false> = CreatePayment { key: None };

fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1))
}

fn transport(base: &str, policy: RetryPolicy) -> Transport {
    Transport::new(ClientConfig::new(base).retry(policy)).unwrap()
}

/// Answers `status` `times` times, then 200 `{"ok": true}`.
async fn flaky(server: &MockServer, route: &str, status: ResponseTemplate, times: u64) {
    Mock::given(path(route))
        .respond_with(status)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(server)
        .await;
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_get_succeeds_after_two_503s() {
    let server = MockServer::start().await;
    flaky(&server, "/things/x", ResponseTemplate::new(503), 2).await;
    let response = transport(&server.uri(), fast())
        .execute_with_response(&GetThing)
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body(), &json!({"ok": true}));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn retried_statuses_for_idempotent_methods_are_the_documented_ones() {
    for status in [408, 429, 502, 503, 504] {
        let server = MockServer::start().await;
        flaky(&server, "/things/x", ResponseTemplate::new(status), 1).await;
        let response = transport(&server.uri(), fast())
            .execute_with_response(&GetThing)
            .await
            .unwrap();
        assert_eq!(response.attempts(), 2, "{status}");
    }
    for status in [400, 401, 404, 409, 500, 501] {
        let server = MockServer::start().await;
        flaky(&server, "/things/x", ResponseTemplate::new(status), 1).await;
        let err = transport(&server.uri(), fast())
            .execute(&GetThing)
            .await
            .unwrap_err();
        assert_eq!(err.attempts(), 1, "{status}");
        assert_eq!(err.stop_reason(), None, "{status}");
    }
}

#[tokio::test]
async fn a_503_on_a_post_is_not_retried_and_the_error_says_why() {
    let server = MockServer::start().await;
    flaky(&server, "/payments", ResponseTemplate::new(503), 1).await;
    let err = transport(&server.uri(), fast())
        .execute(&PLAIN_POST)
        .await
        .unwrap_err();
    assert_eq!(request_count(&server).await, 1);
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.stop_reason(), Some(&StopReason::NotIdempotent));
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    let shown = err.to_string();
    assert!(
        shown.contains("503") && shown.contains("not retried") && shown.contains("not idempotent"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_post_declared_idempotent_is_retried() {
    let server = MockServer::start().await;
    flaky(&server, "/payments", ResponseTemplate::new(503), 1).await;
    let response = transport(&server.uri(), fast())
        .execute_with_response(&CreatePayment::<true, false> { key: None })
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn a_post_is_retried_only_when_it_carries_the_documented_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let transport = transport(&server.uri(), fast());

    let keyed = CreatePayment::<false, true> { key: Some("k-1") };
    let err = transport.execute(&keyed).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    // Every attempt is the very same request: the server can only tell a repeat by its key.
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.headers.get("idempotency-key").unwrap(), "k-1");
        assert_eq!(request.body, received[0].body);
    }

    // Documented but not sent: nothing tells the server that a repeat is one.
    let unkeyed = CreatePayment::<false, true> { key: None };
    assert_eq!(transport.execute(&unkeyed).await.unwrap_err().attempts(), 1);

    // Sent but not documented: the API may well ignore it.
    let undocumented = CreatePayment::<false, false> { key: Some("k-2") };
    let err = transport.execute(&undocumented).await.unwrap_err();
    assert_eq!(err.stop_reason(), Some(&StopReason::NotIdempotent));

    // A key added as a per-call header counts too, when documented.
    let key = CallOptions::new().header(
        HeaderName::from_static("idempotency-key"),
        HeaderValue::from_static("k-3"),
    );
    let err = transport
        .with_options(key)
        .execute(&unkeyed)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn retry_after_one_second_is_waited_for() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "/things/x",
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let started = Instant::now();
    let response = transport(&server.uri(), fast())
        .execute_with_response(&GetThing)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(response.attempts(), 2);
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
}

#[tokio::test]
async fn retry_after_an_hour_gives_up_at_once() {
    let server = MockServer::start().await;
    flaky(
        &server,
        "/things/x",
        ResponseTemplate::new(503).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    let err = transport(&server.uri(), RetryPolicy::default())
        .execute(&GetThing)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.stop_reason(),
        Some(&StopReason::RetryAfterTooLong {
            requested: Duration::from_secs(3600),
            max: DEFAULT_MAX_RETRY_AFTER,
        })
    );
    assert!(err.to_string().contains("3600s"), "{err}");
    assert_eq!(
        err.response().unwrap().headers()["retry-after"],
        HeaderValue::from_static("3600")
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_read_against_the_clock() {
    let server = MockServer::start().await;
    let in_an_hour =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    flaky(
        &server,
        "/things/x",
        ResponseTemplate::new(503).insert_header("retry-after", in_an_hour.as_str()),
        1,
    )
    .await;
    let err = transport(&server.uri(), fast())
        .execute(&GetThing)
        .await
        .unwrap_err();
    match err.stop_reason() {
        Some(StopReason::RetryAfterTooLong { requested, .. }) => {
            // Whole seconds in the date: between 59 min 58 s and an hour from now.
            assert!(*requested > Duration::from_secs(3598), "{requested:?}");
            assert!(*requested <= Duration::from_secs(3600), "{requested:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_deadline_shorter_than_the_backoff_stops_the_retries() {
    let server = MockServer::start().await;
    flaky(&server, "/things/x", ResponseTemplate::new(503), 1).await;
    let policy = RetryPolicy::default()
        .backoff(Duration::from_secs(10), Duration::from_secs(10))
        .deadline(Duration::from_secs(2));
    let err = transport(&server.uri(), policy)
        .execute(&GetThing)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.stop_reason(),
        Some(&StopReason::DeadlineExceeded {
            deadline: Duration::from_secs(2)
        })
    );
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_short() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default().deadline(Duration::from_millis(100));
    let err = transport(&server.uri(), policy)
        .execute(&GetThing)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if *t <= Duration::from_millis(100)),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 1);
}

/// A free port on loopback that nothing listens on (yet).
fn closed_port() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// After `delay`, listens on `addr` and answers one request with 200 `{"ok": true}`.
fn listen_later(addr: std::net::SocketAddr, delay: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = TcpListener::bind(addr).await.unwrap();
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            head.extend_from_slice(&buf[..n]);
        }
        let body = br#"{"ok":true}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
    })
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_server_listens_even_for_a_post() {
    let addr = closed_port();
    let server = listen_later(addr, Duration::from_millis(100));
    // Up to 10 s of 20 ms backoffs: plenty for the server to start.
    let policy = RetryPolicy::default()
        .max_retries(500)
        .backoff(Duration::from_millis(20), Duration::from_millis(20))
        .deadline(Duration::from_secs(10));
    let response = transport(&format!("http://{addr}"), policy)
        .execute_with_response(&PLAIN_POST)
        .await
        .unwrap();
    assert!(response.attempts() >= 2, "{}", response.attempts());
    assert_eq!(response.body(), &json!({"ok": true}));
    server.await.unwrap();
}

/// Serves `connections` connections on loopback, each read to the end of the request head
/// and then closed without an answer; counts them.
async fn hang_up_server(connections: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    tokio::spawn(async move {
        for _ in 0..connections {
            let (mut stream, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                head.extend_from_slice(&buf[..n]);
            }
            drop(stream);
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get_but_not_for_a_post() {
    let (base, seen) = hang_up_server(10).await;
    let transport = transport(&base, fast());
    let err = transport.execute(&GetThing).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(seen.load(Ordering::SeqCst), 3);

    let err = transport.execute(&PLAIN_POST).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.stop_reason(), Some(&StopReason::NotIdempotent));
    assert_eq!(seen.load(Ordering::SeqCst), 4);
}

/// Answers 503 to the first request of each `x-caller`, and 200 `{"ok": true}` afterwards.
#[derive(Default)]
struct FirstTimeUnavailable {
    seen: std::sync::Mutex<std::collections::HashSet<Vec<u8>>>,
}

impl wiremock::Respond for FirstTimeUnavailable {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let caller = request.headers["x-caller"].as_bytes().to_vec();
        if self.seen.lock().unwrap().insert(caller) {
            ResponseTemplate::new(503)
        } else {
            ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
        }
    }
}

#[tokio::test]
async fn twenty_callers_retrying_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"accessToken": "tok-shared", "expiresIn": 3600}))
                .set_delay(Duration::from_millis(50)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/things/x"))
        .and(header("authorization", "Bearer tok-shared"))
        .respond_with(FirstTimeUnavailable::default())
        .mount(&server)
        .await;
    let credentials = ClientCredentials::new(
        format!("{}/oauth2/token/", server.uri()),
        "client",
        "secret",
    );
    let config = ClientConfig::new(server.uri())
        .auth(credentials)
        .retry(fast().max_retries(5));
    let transport = Transport::new(config).unwrap();
    let calls: Vec<_> = (0..20)
        .map(|caller| {
            let caller = CallOptions::new().header(
                HeaderName::from_static("x-caller"),
                HeaderValue::from(caller),
            );
            let transport = transport.with_options(caller);
            tokio::spawn(async move { transport.execute_with_response(&GetThing).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().attempts(), 2);
    }
    let requests = server.received_requests().await.unwrap();
    let token_requests = requests
        .iter()
        .filter(|r| r.url.path() == "/oauth2/token/")
        .count();
    assert_eq!(token_requests, 1);
    assert_eq!(requests.len() - token_requests, 40);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_even_without_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/oauth2/token/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"accessToken": "tok-1"})))
        .mount(&server)
        .await;
    let credentials = ClientCredentials::new(format!("{}/oauth2/token/", server.uri()), "c", "s");
    let config = ClientConfig::new(server.uri())
        .auth(credentials)
        .retry(RetryPolicy::none());
    let response = Transport::new(config)
        .unwrap()
        .execute_with_response(&GetThing)
        .await
        .unwrap();
    // The credential refresh is inside the one attempt the policy allows.
    assert_eq!(response.attempts(), 1);
}

#[tokio::test]
async fn per_call_options_set_headers_timeout_and_retries_for_that_view_only() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .and(header("x-correlation-id", "corr-1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/things/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let client = transport(&server.uri(), fast());
    let correlated = client.with_options(
        CallOptions::new()
            .header(
                HeaderName::from_static("x-correlation-id"),
                HeaderValue::from_static("corr-1"),
            )
            .retry(RetryPolicy::none()),
    );
    let err = correlated.execute(&GetThing).await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.stop_reason(),
        Some(&StopReason::AttemptsExhausted { attempts: 1 })
    );

    let hurried = client.with_options(CallOptions::new().timeout(Duration::from_millis(50)));
    let err = hurried.execute(&GetThing).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if *t == Duration::from_millis(50)),
        "{err:?}"
    );

    // The client itself is unchanged.
    assert!(client.execute(&GetThing).await.is_ok());
}

#[tokio::test]
async fn status_headers_and_request_id_are_beside_the_body_and_on_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true}))
                .insert_header("x-request-id", "req-ok"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things/x"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-amzn-requestid", "req-404"))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = transport(&server.uri(), fast());
    let response = client.execute_with_response(&GetThing).await.unwrap();
    assert_eq!(response.request_id(), Some("req-ok"));
    assert_eq!(response.headers()["x-request-id"], "req-ok");
    let err = client.execute(&GetThing).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-404"));
    assert_eq!(err.response().unwrap().status(), StatusCode::NOT_FOUND);
    assert!(
        err.to_string().ends_with("[request id \"req-404\"]"),
        "{err}"
    );

    let custom = Transport::new(
        ClientConfig::new(server.uri()).request_id_headers([HeaderName::from_static("x-trace")]),
    )
    .unwrap();
    assert_eq!(
        custom.execute(&GetThing).await.unwrap_err().request_id(),
        None
    );
}
