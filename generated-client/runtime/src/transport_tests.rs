//! End-to-end tests of [`super::Transport`] against real HTTP servers on loopback.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Thing {
    id: String,
    detail: Detail,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Detail {
    code: u32,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Problem {
    message: String,
}

#[derive(Debug, PartialEq)]
enum GetThingError {
    NotFound(Problem),
}

/// `GET /things/{id}`, no credentials; 200 → Thing, 404 → Problem.
struct GetThing {
    id: String,
}

impl Operation for GetThing {
    type Output = Thing;
    type Error = GetThingError;
    const AUTHENTICATED: bool = false;
    const OPERATION_ID: &'static str = "getThing";
    const PATH_TEMPLATE: &'static str = "/things/{id}";

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(Method::GET, base_url)
            .path("/things/")
            .path_param("id", &self.id)
            .build()
    }

    fn decode_response(status: StatusCode, body: &[u8]) -> Result<Thing, Error<GetThingError>> {
        match status.as_u16() {
            200 => Ok(decode_json(status, body)?),
            404 => Err(Error::api(
                status,
                GetThingError::NotFound(decode_json(status, body)?),
            )),
            _ => Err(unexpected_status(status, body)),
        }
    }
}

/// `DELETE /secret`, with credentials; 204 → (), nothing documented else.
struct DeleteSecret;

impl Operation for DeleteSecret {
    type Output = ();
    type Error = std::convert::Infallible;
    const AUTHENTICATED: bool = true;
    const OPERATION_ID: &'static str = "deleteSecret";
    const PATH_TEMPLATE: &'static str = "/secret";

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

/// Hands out `Bearer token-1`, `Bearer token-2`, … and counts 401 callbacks.
#[derive(Clone, Default)]
struct CountingAuth {
    issued: Arc<AtomicUsize>,
    unauthorized_calls: Arc<AtomicUsize>,
    retry: bool,
}

impl Auth for CountingAuth {
    fn authorize<'a>(&'a self, request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            let value = http::HeaderValue::from_str(&format!("Bearer token-{n}"))
                .map_err(|e| AuthError::with_source("bad token", e))?;
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, value);
            Ok(())
        })
    }

    fn on_unauthorized(&self, _refused: &http::HeaderMap) -> bool {
        self.unauthorized_calls.fetch_add(1, Ordering::SeqCst);
        self.retry
    }
}

/// Always fails to produce credentials.
struct FailingAuth;

impl Auth for FailingAuth {
    fn authorize<'a>(&'a self, _request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        Box::pin(async { Err(AuthError::new("the token endpoint is unreachable")) })
    }
}

/// Retries without waiting to speak of, so that tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1))
}

fn transport(server: &MockServer) -> Transport {
    Transport::new(ClientConfig::new(server.uri()).retry(fast_retries())).unwrap()
}

fn thing(id: &str) -> GetThing {
    GetThing { id: id.to_owned() }
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn authorization(request: &wiremock::Request) -> Option<String> {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// Serves one connection with `handler` after reading the request head;
/// returns the base URL.
async fn serve_raw<F, Fut>(handler: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            head.extend_from_slice(&buf[..n]);
        }
        handler(stream).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn success_is_decoded_and_path_param_is_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "a/b", "detail": {"code": 7}})),
        )
        .mount(&server)
        .await;
    let got = transport(&server).execute(&thing("a/b")).await.unwrap();
    assert_eq!(
        got,
        Thing {
            id: "a/b".into(),
            detail: Detail { code: 7 }
        }
    );
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url.path(), "/things/a%2Fb");
    assert_eq!(seen[0].headers["accept"], "application/json");
}

#[tokio::test]
async fn documented_error_is_typed() {
    let server = MockServer::start().await;
    Mock::given(path("/things/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such thing"})))
        .mount(&server)
        .await;
    let err = transport(&server)
        .execute(&thing("missing"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        err.api_error(),
        Some(&GetThingError::NotFound(Problem {
            message: "no such thing".into()
        }))
    );
    assert!(
        err.to_string()
            .contains("404 Not Found with a documented error"),
        "{err}"
    );
}

#[tokio::test]
async fn undocumented_status_keeps_the_body() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down for maintenance"))
        .mount(&server)
        .await;
    let err = transport(&server).execute(&thing("x")).await.unwrap_err();
    // A 503 on a GET is retried, twice by default.
    assert_eq!(err.attempts(), 3);
    assert_eq!(
        err.stop_reason(),
        Some(&StopReason::AttemptsExhausted { attempts: 3 })
    );
    match err.into_kind() {
        ErrorKind::UnexpectedStatus {
            status,
            body,
            truncated,
        } => {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(&body[..], b"down for maintenance");
            assert!(!truncated);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_body_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "x", "detail": {"code": "seven"}})),
        )
        .mount(&server)
        .await;
    match transport(&server)
        .execute(&thing("x"))
        .await
        .map_err(Error::into_kind)
    {
        Err(ErrorKind::Decode(e)) => {
            assert_eq!(e.path(), "detail.code");
            assert_eq!(e.status(), StatusCode::OK);
            assert!(e.excerpt().contains("seven"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn body_at_the_limit_is_read_and_over_it_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/things/fits"))
        .respond_with(ResponseTemplate::new(500).set_body_bytes(vec![b'a'; 1024]))
        .mount(&server)
        .await;
    Mock::given(path("/things/big"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'a'; 1025]))
        .mount(&server)
        .await;
    let transport =
        Transport::new(ClientConfig::new(server.uri()).max_response_bytes(1024)).unwrap();
    match transport
        .execute(&thing("fits"))
        .await
        .map_err(Error::into_kind)
    {
        Err(ErrorKind::UnexpectedStatus { body, .. }) => assert_eq!(body.len(), 1024),
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    let err = transport.execute(&thing("big")).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 1024 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn announced_content_length_over_the_limit_is_refused_before_reading() {
    // The server announces a large body, sends a little and then stalls: only
    // the up-front check can answer before the timeout.
    let base = serve_raw(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n{\"id\":")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let transport = Transport::new(
        ClientConfig::new(base)
            .max_response_bytes(1024)
            .timeout(Duration::from_secs(5)),
    )
    .unwrap();
    let started = Instant::now();
    let err = transport.execute(&thing("x")).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 1024 }),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_refused_without_reading_it_all() {
    // No content-length: an endless chunked body. Reading stops at the limit.
    let base = serve_raw(|mut stream| async move {
        if stream
            .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
        let mut chunk = b"200\r\n".to_vec();
        chunk.extend(vec![b' '; 0x200]);
        chunk.extend(b"\r\n");
        loop {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    let transport = Transport::new(
        ClientConfig::new(base)
            .max_response_bytes(4096)
            .timeout(Duration::from_secs(5)),
    )
    .unwrap();
    let err = transport.execute(&thing("x")).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 4096 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn slow_server_hits_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(path("/things/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "slow", "detail": {"code": 1}}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let timeout = Duration::from_millis(200);
    let transport = Transport::new(ClientConfig::new(server.uri()).timeout(timeout)).unwrap();
    let started = Instant::now();
    let err = transport.execute(&thing("slow")).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if *t == timeout),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn stalled_body_hits_the_timeout() {
    // Headers arrive at once; the body never completes.
    let base = serve_raw(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let timeout = Duration::from_millis(300);
    let transport = Transport::new(ClientConfig::new(base).timeout(timeout)).unwrap();
    let err = transport.execute(&thing("x")).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if *t == timeout),
        "{err:?}"
    );
}

#[tokio::test]
async fn bearer_token_is_sent_only_when_the_operation_is_authenticated() {
    let server = MockServer::start().await;
    Mock::given(path("/things/x"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "x", "detail": {"code": 1}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/secret"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let transport =
        Transport::new(ClientConfig::new(server.uri()).auth(BearerToken::new("tok-xyz"))).unwrap();
    transport.execute(&thing("x")).await.unwrap();
    transport.execute(&DeleteSecret).await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(authorization(&seen[0]), None);
    assert_eq!(authorization(&seen[1]).as_deref(), Some("Bearer tok-xyz"));
}

#[tokio::test]
async fn unauthorized_is_retried_once_with_fresh_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let auth = CountingAuth {
        retry: true,
        ..CountingAuth::default()
    };
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(auth.clone())).unwrap();
    transport.execute(&DeleteSecret).await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(authorization(&seen[0]).as_deref(), Some("Bearer token-1"));
    assert_eq!(authorization(&seen[1]).as_deref(), Some("Bearer token-2"));
    assert_eq!(auth.unauthorized_calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unauthorized_is_retried_at_most_once() {
    let server = MockServer::start().await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(401).set_body_string("still no"))
        .mount(&server)
        .await;
    let auth = CountingAuth {
        retry: true,
        ..CountingAuth::default()
    };
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(auth)).unwrap();
    let err = transport.execute(&DeleteSecret).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn unauthorized_is_not_retried_when_auth_declines_or_op_is_public() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let declining = CountingAuth::default();
    let transport =
        Transport::new(ClientConfig::new(server.uri()).auth(declining.clone())).unwrap();
    transport.execute(&DeleteSecret).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(declining.unauthorized_calls.load(Ordering::SeqCst), 1);

    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let eager = CountingAuth {
        retry: true,
        ..CountingAuth::default()
    };
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(eager.clone())).unwrap();
    transport.execute(&thing("x")).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(eager.unauthorized_calls.load(Ordering::SeqCst), 0);
    assert_eq!(eager.issued.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn auth_failure_is_reported_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(FailingAuth)).unwrap();
    let err = transport.execute(&DeleteSecret).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Auth(_)), "{err:?}");
    assert!(
        err.to_string().contains("token endpoint is unreachable"),
        "{err}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn invalid_request_is_reported_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let err = transport(&server).execute(&thing("..")).await.unwrap_err();
    match err.kind() {
        ErrorKind::InvalidRequest(e) => assert_eq!(e.name(), "id"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn user_agent_is_sent() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    transport(&server).execute(&DeleteSecret).await.unwrap();
    Transport::new(ClientConfig::new(server.uri()).user_agent("my-app/2.0"))
        .unwrap()
        .execute(&DeleteSecret)
        .await
        .unwrap();
    let seen = requests(&server).await;
    let expected = format!("rampgen-generated-client/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(seen[0].headers["user-agent"], expected.as_str());
    assert_eq!(seen[1].headers["user-agent"], "my-app/2.0");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/secret"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/secret", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let transport =
        Transport::new(ClientConfig::new(server.uri()).auth(BearerToken::new("tok-xyz"))).unwrap();
    let err = transport.execute(&DeleteSecret).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FOUND));
    assert!(requests(&elsewhere).await.is_empty());
}

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let config = ClientConfig::new(format!("http://{addr}")).retry(fast_retries());
    let err = Transport::new(config)
        .unwrap()
        .execute(&thing("customer-7f3a"))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.to_string().contains("HTTP exchange failed"), "{err}");
    // The request's path and query (personal data, sometimes keys) stay out of logged errors,
    // in the error's text, its `Debug` and its source's.
    let source = std::error::Error::source(&err).map(ToString::to_string);
    for shown in [
        format!("{err}"),
        format!("{err:?}"),
        source.unwrap_or_default(),
    ] {
        assert!(!shown.contains("customer-7f3a"), "{shown}");
    }
}

#[test]
fn debug_output_never_contains_the_token() {
    let config =
        ClientConfig::new("https://api.example.com").auth(BearerToken::new("s3cr3t-token"));
    let transport = Transport::new(config.clone()).unwrap();
    for shown in [
        format!("{config:?}"),
        format!("{transport:?}"),
        format!("{:?}", BearerToken::new("s3cr3t-token")),
    ] {
        assert!(!shown.contains("s3cr3t-token"), "{shown}");
    }
    assert!(format!("{transport:?}").contains("https://api.example.com"));
}

#[test]
fn execute_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let transport = Transport::new(ClientConfig::new("https://api.example.com")).unwrap();
    let op = thing("x");
    let future = transport.execute(&op);
    assert_send(&future);
}
