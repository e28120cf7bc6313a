//! Shared by `e2e_ripio.rs` and `e2e_fonbnk.rs`: the specs' examples, request matchers for the
//! loopback server, and `check` helpers that assert how a generated `Client` call ended.
//!
//! The server side is `wiremock` on loopback. A success response is mounted only behind
//! matchers for everything the request must carry, so a request that differs in any way gets
//! wiremock's 404 (or a deliberate refusal) instead, and the test fails visibly.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::fmt::Debug;
use std::time::Duration;

use generated_client::runtime::{self, ClientConfig, DecodeError, RetryPolicy};
use http::StatusCode;
use serde_json::Value;
use wiremock::{Match, MockServer, Request, ResponseTemplate};

/// A regex for every generated client's default `user-agent` (`rampgen-generated-client/<version>`;
/// the runtime exports no constant for it).
pub const USER_AGENT_PREFIX: &str = "^rampgen-generated-client/";

/// The timeout of clients that are not testing timeouts: short enough that a hung test fails
/// fast, long enough for a loaded CI machine.
pub const GENEROUS_TIMEOUT: Duration = Duration::from_secs(5);

/// A configuration for the API served by `server`, with [`GENEROUS_TIMEOUT`] and the default
/// retry policy with millisecond backoffs.
pub fn config(server: &MockServer) -> ClientConfig {
    let fast = RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1));
    ClientConfig::new(server.uri())
        .timeout(GENEROUS_TIMEOUT)
        .retry(fast)
}

// ---------------------------------------------------------------------------------------------
// The specs' examples
// ---------------------------------------------------------------------------------------------

/// The spec at `spec` (relative to the workspace root) after its overlay and the repair rules,
/// as the generator saw it: the examples below are read from there, so the tests follow the
/// spec when it changes.
pub fn repaired_spec(spec: &str) -> Value {
    let files =
        xtask::SpecFiles::read(&xtask::workspace_root(), spec).expect("the spec is readable");
    codegen::repair_spec(files.spec(), files.overlay())
        .expect("the spec repairs")
        .value
}

/// The node at JSON `pointer` in `spec`; panics naming the pointer when there is none.
pub fn at(spec: &Value, pointer: &str) -> Value {
    spec.pointer(pointer)
        .unwrap_or_else(|| panic!("the spec has nothing at {pointer}"))
        .clone()
}

/// A JSON response with `status` and `body`.
pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

// ---------------------------------------------------------------------------------------------
// Request matchers the stock ones do not cover
// ---------------------------------------------------------------------------------------------

/// The query string exactly as it arrived (`None`: no `?` at all), percent-encoding included;
/// `wiremock`'s `query_param` compares decoded values and so cannot see the encoding.
pub struct RawQuery(pub Option<&'static str>);

impl Match for RawQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == self.0
    }
}

/// The request has no body.
pub struct EmptyBody;

impl Match for EmptyBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// The request does not carry the header `0`.
pub struct HeaderMissing(pub &'static str);

impl Match for HeaderMissing {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

/// Matches when the inner matcher does not (e.g. "the signature is wrong").
pub struct Not<M>(pub M);

impl<M: Match> Match for Not<M> {
    fn matches(&self, request: &Request) -> bool {
        !self.0.matches(request)
    }
}

/// The requests `server` received for `path`, in arrival order.
pub async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|request| request.url.path() == path)
        .collect()
}

/// The value of header `name` of `request`, as text.
pub fn header_of<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("the request has no {name} header"))
        .to_str()
        .expect("a text header")
}

// ---------------------------------------------------------------------------------------------
// Checking how a call ended
// ---------------------------------------------------------------------------------------------

/// How a generated `Client` call ended, to be checked against what the test expects.
pub fn check<T: Debug, E: Debug>(result: Result<T, runtime::Error<E>>) -> Outcome<T, E> {
    Outcome(result)
}

/// See [`check`]. Each method asserts one kind of ending, returns what the test inspects
/// further, and on a mismatch panics showing what happened instead.
pub struct Outcome<T, E>(Result<T, runtime::Error<E>>);

impl<T: Debug, E: Debug> Outcome<T, E> {
    /// The call succeeded: its decoded value.
    #[track_caller]
    pub fn success(self) -> T {
        match self.0 {
            Ok(value) => value,
            Err(error) => panic!("expected success, got {error:?} ({error})"),
        }
    }

    /// The server answered `status`, documented for the operation: the typed error.
    #[track_caller]
    pub fn documented_error(self, status: u16) -> E {
        match self.0.map_err(runtime::Error::into_kind) {
            Err(runtime::ErrorKind::Api { status: got, error }) if got.as_u16() == status => error,
            other => panic!("expected the documented error for {status}, got {other:?}"),
        }
    }

    /// The server answered `status`, undocumented for the operation, and the body was kept.
    #[track_caller]
    pub fn unexpected_status(self, status: u16, body: &[u8]) {
        match self.0.map_err(runtime::Error::into_kind) {
            Err(runtime::ErrorKind::UnexpectedStatus {
                status: got,
                body: kept,
                truncated,
            }) if got.as_u16() == status => {
                assert_eq!(
                    &kept[..],
                    body,
                    "the body of the {status} response is kept as sent"
                );
                assert!(!truncated, "a short body is not truncated");
            }
            other => panic!("expected an unexpected {status}, got {other:?}"),
        }
    }

    /// The `status` response's body did not match the schema at `path`.
    #[track_caller]
    pub fn decode_error(self, status: u16, path: &str) -> DecodeError {
        match self.0.map_err(runtime::Error::into_kind) {
            Err(runtime::ErrorKind::Decode(error)) => {
                assert_eq!(
                    error.status(),
                    StatusCode::from_u16(status).unwrap(),
                    "{error}"
                );
                assert_eq!(error.path(), path, "{error}");
                error
            }
            other => panic!("expected a decode error at `{path}`, got {other:?}"),
        }
    }

    /// No complete response came within the configured `timeout`.
    #[track_caller]
    pub fn timed_out(self, timeout: Duration) {
        match self.0.map_err(runtime::Error::into_kind) {
            Err(runtime::ErrorKind::Timeout(configured)) => assert_eq!(configured, timeout),
            other => panic!("expected a timeout after {timeout:?}, got {other:?}"),
        }
    }

    /// Any failure (for requests that must not succeed): the error.
    #[track_caller]
    pub fn failure(self) -> runtime::Error<E> {
        match self.0 {
            Ok(value) => panic!("expected a failure, got success: {value:?}"),
            Err(error) => error,
        }
    }
}

/// Runs `call` against a server that waits `delay` before answering, with a client whose
/// timeout is `timeout`, and checks that it ended with [`runtime::Error::Timeout`] well before
/// the server would have answered.
pub async fn assert_times_out<T: Debug, E: Debug>(
    call: impl std::future::Future<Output = Result<T, runtime::Error<E>>>,
    timeout: Duration,
    delay: Duration,
) {
    let started = std::time::Instant::now();
    let result = call.await;
    let elapsed = started.elapsed();
    check(result).timed_out(timeout);
    assert!(
        elapsed < delay,
        "gave up after {elapsed:?}, not before the server's {delay:?} delay"
    );
}
