//! The generated clients against hostile servers, over real sockets on loopback.
//!
//! Every call goes through a generated client's method (`ripio::Client::check_kyc_and_send_otp`,
//! `fonbnk::Client::get_kyc_state`) or, for inputs no generated operation can carry, through
//! `runtime::RequestBuilder` and `Transport::execute`. The servers are `wiremock` where it can
//! misbehave enough, and otherwise [`RawServer`]: a `TcpListener` that reads the request head
//! and plays a script of raw bytes, pauses, floods, drips and closes. Each case must end in the
//! right typed error, promptly (within the configured timeout plus [`SLACK`]), having read a
//! bounded amount — never a panic or a hang.

#[path = "e2e_support/mod.rs"]
mod support;

use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use generated_client::fonbnk::{self, operations::GetKycState};
use generated_client::ripio;
use generated_client::runtime::{
    self, BearerToken, ClientConfig, Error, Operation, RequestBuilder, RequestError, RequestPart,
};
use hmac::{Hmac, KeyInit, Mac};
use http::StatusCode;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::check;

/// The timeout of every client here: short, so the suite stays fast.
const TIMEOUT: Duration = Duration::from_millis(300);
/// How much later than [`TIMEOUT`] a call may end and still count as prompt (a loaded machine).
const SLACK: Duration = Duration::from_millis(1000);
/// The clients' `max_response_bytes`.
const LIMIT: usize = 64 * 1024;
/// What a server may manage to write before a client that stopped reading at [`LIMIT`] closes
/// the connection: the limit plus loopback socket buffers (a few MiB), far less than a flood.
const BOUNDED_WRITE: u64 = 16 * 1024 * 1024;

const BEARER: &str = "hostile-test-bearer-token";
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";
const FONBNK_CLIENT_ID: &str = "fonbnk-client-42";
/// base64 of the 32 bytes 0x00, 0x01, …, 0x1f.
const FONBNK_SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// =============================================================================================
// A raw loopback server that plays a script
// =============================================================================================

/// One step of what [`RawServer`] does on each connection, after reading the request head.
enum Step {
    /// Write these bytes.
    Write(Vec<u8>),
    /// Do nothing for this long.
    Sleep(Duration),
    /// Write these bytes (cycled, forever) one at a time, `every` apart, until the client goes.
    Drip { bytes: Vec<u8>, every: Duration },
    /// Write this chunk over and over until the client goes (or [`FLOOD_CAP`] bytes).
    Flood(Vec<u8>),
    /// Write nothing and keep the connection open until the client closes it.
    Hold,
}

/// A flood stops here even if the client keeps reading (then the test fails on the count).
const FLOOD_CAP: u64 = 256 * 1024 * 1024;
/// No connection is served longer than this, whatever the script says.
const SCRIPT_CAP: Duration = Duration::from_secs(10);

/// What happened on one connection.
#[derive(Debug)]
struct Served {
    /// The request head as received (request line and headers, up to the blank line).
    head: Vec<u8>,
    /// Bytes the script managed to write.
    written: u64,
    /// The client closed the connection while the script was still writing or holding.
    client_gone: bool,
    /// From accepting the connection to the end of the script.
    lasted: Duration,
}

impl Served {
    fn head_text(&self) -> String {
        String::from_utf8_lossy(&self.head).into_owned()
    }
}

/// A `TcpListener` on loopback that serves every connection with the same [`Step`] script and
/// then closes it, recording each connection as [`Served`].
struct RawServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    served: tokio::sync::Mutex<mpsc::UnboundedReceiver<Served>>,
    accept_loop: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// On 127.0.0.1.
    async fn start(script: Vec<Step>) -> Self {
        Self::start_on("127.0.0.1", script).await
    }

    /// On `ip` (any loopback address on Linux: 127.0.0.0/8), an ephemeral port.
    async fn start_on(ip: &str, script: Vec<Step>) -> Self {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind on loopback");
        let addr = listener.local_addr().expect("a local address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let (sender, receiver) = mpsc::unbounded_channel();
        let script = Arc::new(script);
        let counter = Arc::clone(&accepted);
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let script = Arc::clone(&script);
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _ = sender.send(play(stream, &script).await);
                });
            }
        });
        RawServer {
            addr,
            accepted,
            served: tokio::sync::Mutex::new(receiver),
            accept_loop,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// The next connection whose script has ended (waits at most 5 s).
    async fn served(&self) -> Served {
        let mut receiver = self.served.lock().await;
        tokio::time::timeout(Duration::from_secs(5), receiver.recv())
            .await
            .expect("a connection ended within 5 s")
            .expect("the server is running")
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// Reads the request head, then plays `script` and closes the connection.
async fn play(mut stream: TcpStream, script: &[Step]) -> Served {
    let started = Instant::now();
    let deadline = started + SCRIPT_CAP;
    stream.set_nodelay(true).expect("TCP_NODELAY");
    let head = read_head(&mut stream).await;
    let mut served = Served {
        head,
        written: 0,
        client_gone: false,
        lasted: Duration::ZERO,
    };
    'script: for step in script {
        match step {
            Step::Write(bytes) => {
                if stream.write_all(bytes).await.is_err() {
                    served.client_gone = true;
                    break 'script;
                }
                served.written += bytes.len() as u64;
            }
            Step::Sleep(duration) => tokio::time::sleep(*duration).await,
            Step::Drip { bytes, every } => {
                for byte in bytes.iter().cycle() {
                    if Instant::now() > deadline {
                        break 'script;
                    }
                    if stream.write_all(&[*byte]).await.is_err() {
                        served.client_gone = true;
                        break 'script;
                    }
                    served.written += 1;
                    tokio::time::sleep(*every).await;
                }
            }
            Step::Flood(chunk) => {
                while served.written < FLOOD_CAP && Instant::now() < deadline {
                    if stream.write_all(chunk).await.is_err() {
                        served.client_gone = true;
                        break 'script;
                    }
                    served.written += chunk.len() as u64;
                }
            }
            Step::Hold => {
                let mut sink = [0u8; 1024];
                let closed = tokio::time::timeout_at(deadline.into(), async {
                    loop {
                        match stream.read(&mut sink).await {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                })
                .await;
                served.client_gone = closed.is_ok();
                break 'script;
            }
        }
    }
    served.lasted = started.elapsed();
    served
}

/// The request head: bytes up to and including the first blank line (at most 64 KiB; whatever
/// arrived if the client closes first).
async fn read_head(stream: &mut TcpStream) -> Vec<u8> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
        head.truncate(end + 4);
    }
    head
}

fn bytes(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

// =============================================================================================
// Clients and calls
// =============================================================================================

/// [`TIMEOUT`], [`LIMIT`], no credentials yet.
fn config(base_url: &str) -> ClientConfig {
    ClientConfig::new(base_url)
        .timeout(TIMEOUT)
        .max_response_bytes(LIMIT)
}

fn ripio_with(config: ClientConfig) -> ripio::Client {
    ripio::Client::new(config.auth(BearerToken::new(BEARER))).expect("valid config")
}

fn fonbnk_with(config: ClientConfig) -> fonbnk::Client {
    let signer = fonbnk::signer(FONBNK_CLIENT_ID, FONBNK_SECRET).expect("a valid secret");
    fonbnk::Client::new(config.auth(signer)).expect("valid config")
}

fn ripio_client(base_url: &str) -> ripio::Client {
    ripio_with(config(base_url))
}

fn fonbnk_client(base_url: &str) -> fonbnk::Client {
    fonbnk_with(config(base_url))
}

fn check_kyc() -> ripio::operations::CheckKycAndSendOtp {
    ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().expect("a uuid"),
    }
}

fn by_email(email: &str) -> GetKycState {
    GetKycState {
        email: Some(email.to_owned()),
        ..GetKycState::default()
    }
}

type RipioResult = Result<
    ripio::types::KycCheckSuccessResponse,
    Error<ripio::operations::CheckKycAndSendOtpError>,
>;
type FonbnkResult =
    Result<fonbnk::types::KycStateResponse, Error<fonbnk::operations::GetKycStateError>>;

async fn call_ripio(base_url: &str) -> RipioResult {
    ripio_client(base_url)
        .check_kyc_and_send_otp(&check_kyc())
        .await
}

async fn call_fonbnk(base_url: &str) -> FonbnkResult {
    fonbnk_client(base_url)
        .get_kyc_state(&by_email("user@example.com"))
        .await
}

/// Awaits `call` and returns its output and how long it took.
async fn timed<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let output = call.await;
    (output, started.elapsed())
}

/// `result` is `Error::Transport`, with a source chain and a message, and came back promptly.
#[track_caller]
fn assert_transport<T: Debug, E: Debug>(result: Result<T, Error<E>>, took: Duration, case: &str) {
    match &result {
        Err(error @ Error::Transport(_)) => {
            assert!(
                std::error::Error::source(error).is_some(),
                "{case}: {error:?}"
            );
            assert!(
                error.to_string().contains("HTTP exchange failed"),
                "{case}: {error}"
            );
        }
        other => panic!("{case}: expected Error::Transport, got {other:?}"),
    }
    assert!(
        took < TIMEOUT,
        "{case}: took {took:?}, not before the timeout"
    );
}

/// `result` is `Error::Timeout(TIMEOUT)`, reached no earlier than the timeout and promptly after.
#[track_caller]
fn assert_timeout<T: Debug, E: Debug>(result: Result<T, Error<E>>, took: Duration, case: &str) {
    check(result).timed_out(TIMEOUT);
    assert!(
        took >= TIMEOUT && took < TIMEOUT + SLACK,
        "{case}: timed out after {took:?}, configured {TIMEOUT:?}"
    );
}

/// `result` is `Error::BodyTooLarge { limit: LIMIT }`, well before the timeout.
#[track_caller]
fn assert_too_large<T: Debug, E: Debug>(result: Result<T, Error<E>>, took: Duration, case: &str) {
    match result {
        Err(Error::BodyTooLarge { limit }) => assert_eq!(limit, LIMIT, "{case}"),
        other => panic!("{case}: expected Error::BodyTooLarge, got {other:?}"),
    }
    assert!(took < TIMEOUT, "{case}: took {took:?}");
}

/// A response head: `status line`, the given header lines, the blank line.
fn response_head(status_line: &str, headers: &[&str]) -> Vec<u8> {
    let mut head = format!("{status_line}\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

// =============================================================================================
// Bodies larger than max_response_bytes
// =============================================================================================

#[tokio::test]
async fn announced_content_length_over_the_limit_is_body_too_large_without_reading_it() {
    // One GiB announced; the server then floods until the client hangs up.
    let head = response_head(
        "HTTP/1.1 200 OK",
        &[
            "content-type: application/json",
            "content-length: 1073741824",
        ],
    );
    let server =
        RawServer::start(vec![Step::Write(head), Step::Flood(vec![b' '; 16 * 1024])]).await;

    let (result, took) = timed(call_ripio(&server.url())).await;

    assert_too_large(result, took, "content-length 1 GiB");
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
    assert!(served.written < BOUNDED_WRITE, "{served:?}");
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_body_too_large_without_reading_it_all() {
    // No content-length: 16 KiB chunks, forever.
    let head = response_head(
        "HTTP/1.1 200 OK",
        &[
            "content-type: application/json",
            "transfer-encoding: chunked",
        ],
    );
    let mut chunk = bytes("4000\r\n");
    chunk.extend(vec![b'['; 0x4000]);
    chunk.extend(b"\r\n");
    let server = RawServer::start(vec![Step::Write(head), Step::Flood(chunk)]).await;

    let (result, took) = timed(call_fonbnk(&server.url())).await;

    assert_too_large(result, took, "endless chunked body");
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
    assert!(served.written < BOUNDED_WRITE, "{served:?}");
}

#[tokio::test]
async fn close_delimited_body_over_the_limit_is_body_too_large() {
    // HTTP/1.0 style: neither content-length nor chunked, the body ends when the server closes.
    let head = response_head("HTTP/1.1 200 OK", &["connection: close"]);
    let server =
        RawServer::start(vec![Step::Write(head), Step::Flood(vec![b'x'; 16 * 1024])]).await;

    let (result, took) = timed(call_ripio(&server.url())).await;

    assert_too_large(result, took, "close-delimited body");
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
    assert!(served.written < BOUNDED_WRITE, "{served:?}");
}

#[tokio::test]
async fn oversized_error_body_is_body_too_large_not_unexpected_status() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_bytes(vec![b'e'; LIMIT + 1]))
        .expect(1)
        .mount(&server)
        .await;

    let (result, took) = timed(call_fonbnk(&server.uri())).await;

    assert_too_large(result, took, "503 with LIMIT + 1 bytes");
}

#[tokio::test]
async fn body_exactly_at_the_limit_is_read() {
    // The boundary: LIMIT bytes are fine (an undocumented status keeps them, cut for display).
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_bytes(vec![b'e'; LIMIT]))
        .mount(&server)
        .await;

    match call_ripio(&server.uri()).await {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status, StatusCode::BAD_GATEWAY);
            assert_eq!(body.len(), LIMIT.min(runtime::MAX_UNEXPECTED_BODY_BYTES));
        }
        other => panic!("expected the 502 as UnexpectedStatus, got {other:?}"),
    }
}

// =============================================================================================
// Invalid UTF-8
// =============================================================================================

#[tokio::test]
async fn invalid_utf8_in_a_string_field_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            b"{\"detail\":\"OTP sent \xff\xfe\xc3\"}".to_vec(),
            "application/json",
        ))
        .mount(&server)
        .await;

    let error = check(call_ripio(&server.uri()).await).decode_error(200, "detail");

    assert!(error.excerpt().contains('\u{FFFD}'), "{error}");
    assert!(error.to_string().contains("OTP sent"), "{error}");
}

#[tokio::test]
async fn invalid_utf8_outside_any_string_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"\xff\xfe{}".to_vec(), "application/json"),
        )
        .mount(&server)
        .await;

    check(call_fonbnk(&server.uri()).await).decode_error(200, ".");
}

/// serde_json skips the strings of fields nobody reads without checking their UTF-8;
/// `decode_json` checks the whole body first, so bad bytes anywhere are refused.
#[tokio::test]
async fn invalid_utf8_in_a_skipped_field_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            b"{\"unknownField\":\"\xff\xfe\",\"kycUrl\":\"https://kyc\"}".to_vec(),
            "application/json",
        ))
        .mount(&server)
        .await;

    check(call_fonbnk(&server.uri()).await).decode_error(200, ".");
}

/// A body whose excerpt cut (byte [`runtime::DECODE_EXCERPT_BYTES`]) falls inside a two-byte
/// character, with invalid UTF-8 further on.
fn body_cut_inside_a_character(prefix: &[u8]) -> Vec<u8> {
    let mut body = prefix.to_vec();
    // Pad with ASCII so that a 2-byte 'é' starts exactly one byte before the cut.
    while body.len() < runtime::DECODE_EXCERPT_BYTES - 1 {
        body.push(b'a');
    }
    body.extend("é".as_bytes());
    body.extend(b"\xff\xfe rest\"}");
    assert_eq!(body[runtime::DECODE_EXCERPT_BYTES - 1], 0xc3);
    body
}

#[tokio::test]
async fn excerpt_cut_inside_a_multibyte_character_does_not_panic() {
    let body = body_cut_inside_a_character(b"{\"kycUrl\":\"");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;

    let error = check(call_fonbnk(&server.uri()).await).decode_error(200, "kycUrl");

    assert_eq!(error.body_len(), body.len());
    assert!(error.excerpt().ends_with('…'), "{:?}", error.excerpt());
    assert!(
        error.excerpt().len() <= runtime::DECODE_EXCERPT_BYTES + '…'.len_utf8() + 2,
        "{:?}",
        error.excerpt()
    );
    // Display and Debug format the cut excerpt without panicking.
    assert!(!error.to_string().is_empty());
    assert!(!format!("{error:?}").is_empty());
}

#[tokio::test]
async fn unexpected_status_display_with_a_cut_multibyte_character_does_not_panic() {
    let body = body_cut_inside_a_character(b"upstream said: ");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(body.clone(), "text/plain"))
        .mount(&server)
        .await;

    let error = check(call_ripio(&server.uri()).await).failure();

    let shown = error.to_string();
    assert!(matches!(&error, Error::UnexpectedStatus { body: kept, .. } if kept[..] == body[..]));
    assert!(shown.contains("upstream said"), "{shown}");
    assert!(shown.contains('…'), "{shown}");
    assert!(!format!("{error:?}").is_empty());
}

// =============================================================================================
// Deeply nested JSON, on a small stack
// =============================================================================================

/// The stack of the thread the deep-JSON calls run on.
const SMALL_STACK: usize = 256 * 1024;
/// How deep the bodies below nest; serde_json gives up at 128.
const DEPTH: usize = 100_000;
/// Room for the bodies below (up to 500 KB): the parser, not the size limit, must stop them.
const DEEP_LIMIT: usize = 1024 * 1024;
/// This test's name: the binary re-runs it alone to play one case in a separate process.
const DEEP_TEST: &str = "deeply_nested_json_is_a_decode_error_without_overflowing_a_small_stack";
/// Set to a case index (with [`DEEP_STACK_ENV`]) in that separate process.
const DEEP_CASE_ENV: &str = "RAMPGEN_HOSTILE_DEEP_CASE";
/// The stack size in bytes the separate process runs the case with.
const DEEP_STACK_ENV: &str = "RAMPGEN_HOSTILE_DEEP_STACK";

struct DeepCase {
    what: &'static str,
    ripio: bool,
    status_line: &'static str,
    body: Vec<u8>,
}

fn nested(prefix: &str, opening: &str, depth: usize) -> Vec<u8> {
    let mut body = bytes(prefix);
    body.extend(opening.repeat(depth).into_bytes());
    body
}

fn deep_cases() -> Vec<DeepCase> {
    const KYC_TYPE: &str = r#"{"documentTypes":[{"requiredFields":{"f":{"type":"#;
    vec![
        DeepCase {
            what: "fonbnk 200, 100,000 [ at the top",
            ripio: false,
            status_line: "HTTP/1.1 200 OK",
            body: nested("", "[", DEPTH),
        },
        DeepCase {
            what: "fonbnk 200, 100,000 [ in an untyped field (RequiredField.type)",
            ripio: false,
            status_line: "HTTP/1.1 200 OK",
            body: nested(KYC_TYPE, "[", DEPTH),
        },
        DeepCase {
            what: "fonbnk 200, 100,000 {\"a\": in an untyped field",
            ripio: false,
            status_line: "HTTP/1.1 200 OK",
            body: nested(KYC_TYPE, r#"{"a":"#, DEPTH),
        },
        DeepCase {
            what: "fonbnk 200, 100,000 [ in an unknown field (skipped iteratively)",
            ripio: false,
            status_line: "HTTP/1.1 200 OK",
            body: nested(r#"{"unknown":"#, "[", DEPTH),
        },
        DeepCase {
            what: "ripio 400, 100,000 [ in the error's flattened extra properties",
            ripio: true,
            status_line: "HTTP/1.1 400 Bad Request",
            body: nested(
                r#"{"code":1,"type":"X","status":400,"detail":{"deep":"#,
                "[",
                DEPTH,
            ),
        },
        DeepCase {
            what: "ripio 200, 100,000 [ in a string field",
            ripio: true,
            status_line: "HTTP/1.1 200 OK",
            body: nested(r#"{"detail":"#, "[", DEPTH),
        },
    ]
}

/// A raw server answering `status_line` with the JSON `body` on every connection.
async fn answering(status_line: &str, body: Vec<u8>) -> RawServer {
    let mut response = response_head(
        status_line,
        &[
            "content-type: application/json",
            &format!("content-length: {}", body.len()),
        ],
    );
    response.extend(body);
    RawServer::start(vec![Step::Write(response)]).await
}

/// In the separate process: plays case `index` — server and client call — on a thread with a
/// `stack`-byte stack and its own current-thread Tokio runtime, and prints how it ended.
fn play_deep_case(index: usize, stack: usize) {
    let case = deep_cases().swap_remove(index);
    let thread = std::thread::Builder::new()
        .name("small-stack".to_owned())
        .stack_size(stack)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let server = answering(case.status_line, case.body).await;
                let config = config(&server.url()).max_response_bytes(DEEP_LIMIT);
                let error = if case.ripio {
                    let result = ripio_with(config)
                        .check_kyc_and_send_otp(&check_kyc())
                        .await;
                    result.map(drop).map_err(|e| e.to_string())
                } else {
                    let result = fonbnk_with(config).get_kyc_state(&by_email("a@b.c")).await;
                    result.map(drop).map_err(|e| e.to_string())
                };
                format!("{error:?}")
            })
        })
        .expect("a thread");
    let outcome = thread.join().expect("no panic on the small stack");
    println!("DEEP-RESULT {outcome}");
}

/// Re-runs this test binary to play case `index` with a `stack`-byte stack, so that a stack
/// overflow aborts that process only: whether it exited normally, how the call ended, and
/// its stderr.
fn run_deep_case(index: usize, stack: usize) -> (bool, String, String) {
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([DEEP_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(DEEP_CASE_ENV, index.to_string())
        .env(DEEP_STACK_ENV, stack.to_string())
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcome = stdout
        .lines()
        .find_map(|line| line.split_once("DEEP-RESULT ").map(|(_, outcome)| outcome))
        .unwrap_or_default()
        .to_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), outcome, stderr)
}

#[track_caller]
fn assert_deep_decode_error(case: &DeepCase, outcome: &str) {
    // `Err("the 200 OK response body does not match the documented schema at `…`: …")`
    assert!(
        outcome.starts_with("Err(") && outcome.contains("does not match the documented schema"),
        "{}: expected a decode error, got {outcome}",
        case.what
    );
    // `decode_json` measures the nesting before deserializing (each level would cost
    // kilobytes of stack), so every case ends in the same refusal.
    assert!(outcome.contains("levels deep"), "{}: {outcome}", case.what);
}

#[test]
fn deeply_nested_json_is_a_decode_error_without_overflowing_a_small_stack() {
    if let (Ok(index), Ok(stack)) = (std::env::var(DEEP_CASE_ENV), std::env::var(DEEP_STACK_ENV)) {
        play_deep_case(
            index.parse().expect("an index"),
            stack.parse().expect("bytes"),
        );
        return;
    }
    for (index, case) in deep_cases().iter().enumerate() {
        let (exited, outcome, stderr) = run_deep_case(index, SMALL_STACK);
        assert!(
            exited,
            "{}: the process died on a {SMALL_STACK}-byte stack: {stderr}",
            case.what
        );
        assert_deep_decode_error(case, &outcome);
    }
}

// =============================================================================================
// Connections cut short
// =============================================================================================

#[tokio::test]
async fn connection_closed_mid_body_is_a_transport_error() {
    let mut response = response_head(
        "HTTP/1.1 200 OK",
        &["content-type: application/json", "content-length: 1000"],
    );
    response.extend(br#"{"detail":"#); // 10 bytes of the announced 1000, then close.
    let ripio_server = RawServer::start(vec![Step::Write(response.clone())]).await;
    let fonbnk_server = RawServer::start(vec![Step::Write(response)]).await;

    let (result, took) = timed(call_ripio(&ripio_server.url())).await;
    assert_transport(result, took, "ripio: content-length 1000, 10 bytes sent");
    let (result, took) = timed(call_fonbnk(&fonbnk_server.url())).await;
    assert_transport(result, took, "fonbnk: content-length 1000, 10 bytes sent");
}

#[tokio::test]
async fn connections_cut_at_other_points_are_transport_errors() {
    let chunked = response_head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"]);
    let cases: Vec<(&str, Vec<Step>)> = vec![
        ("closed before any response", vec![]),
        (
            "closed inside the status line",
            vec![Step::Write(bytes("HTTP/1.1 20"))],
        ),
        (
            "closed inside the headers",
            vec![Step::Write(bytes("HTTP/1.1 200 OK\r\ncontent-len"))],
        ),
        ("chunked, closed before the last chunk", {
            let mut response = chunked.clone();
            response.extend(b"a\r\n{\"detail\":\r\n");
            vec![Step::Write(response)]
        }),
        ("chunked, closed inside a chunk", {
            let mut response = chunked.clone();
            response.extend(b"64\r\n{\"detail\":");
            vec![Step::Write(response)]
        }),
        ("content-length 1000 after a pause, 10 bytes", {
            let mut response = response_head("HTTP/1.1 200 OK", &["content-length: 1000"]);
            response.extend(br#"{"detail":"#);
            vec![
                Step::Sleep(Duration::from_millis(50)),
                Step::Write(response),
            ]
        }),
    ];
    for (case, script) in cases {
        let server = RawServer::start(script).await;
        let (result, took) = timed(call_ripio(&server.url())).await;
        assert_transport(result, took, case);
    }
}

// =============================================================================================
// Redirects to another host
// =============================================================================================

/// A listener on 127.0.0.2 (another host, still loopback) that would answer 200 to anything.
async fn other_host() -> RawServer {
    let mut response = response_head("HTTP/1.1 200 OK", &["content-length: 16"]);
    response.extend(br#"{"detail":"hi"}"#);
    RawServer::start_on("127.0.0.2", vec![Step::Write(response)]).await
}

#[tokio::test]
async fn redirects_are_returned_not_followed_and_the_bearer_token_goes_nowhere() {
    let elsewhere = other_host().await;
    for status in [301, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header(
                        "location",
                        format!("{}/api/v1/customers/{CUSTOMER}/checkKyc/", elsewhere.url()),
                    )
                    .set_body_string("moved"),
            )
            .expect(1)
            .mount(&server)
            .await;

        let result = call_ripio(&server.uri()).await;

        check(result).unexpected_status(status, b"moved");
    }
    // Give a stray connection attempt the time to land, then check none did.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(elsewhere.accepted(), 0, "the other host was contacted");
}

#[tokio::test]
async fn redirects_are_returned_not_followed_and_the_signature_goes_nowhere() {
    let elsewhere = other_host().await;
    for status in [302, 307] {
        let server = MockServer::start().await;
        Mock::given(path("/api/kyc/state"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/api/kyc/state", elsewhere.url())),
            )
            .expect(1)
            .mount(&server)
            .await;

        let result = call_fonbnk(&server.uri()).await;

        check(result).unexpected_status(status, b"");
        // The one request that was sent went to the first server, signed.
        let sent = server.received_requests().await.expect("recording");
        assert!(sent[0].headers.contains_key("x-signature"));
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(elsewhere.accepted(), 0, "the other host was contacted");
}

#[tokio::test]
async fn token_endpoint_redirect_is_not_followed_and_the_client_secret_goes_nowhere() {
    let elsewhere = other_host().await;
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token/"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/oauth2/token/", elsewhere.url())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let credentials =
        ripio::client_credentials(&server.uri(), "partner-7", "hostile-client-secret");
    let client = ripio::Client::new(
        ClientConfig::new(server.uri())
            .timeout(TIMEOUT)
            .auth(credentials),
    )
    .expect("valid config");

    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();

    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert!(error.to_string().contains("307"), "{error}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(elsewhere.accepted(), 0, "the other host was contacted");
    // Nor was the API called without a token.
    let sent = server.received_requests().await.expect("recording");
    assert_eq!(sent.len(), 1, "only the token request: {sent:?}");
}

// =============================================================================================
// Slow and silent servers
// =============================================================================================

#[tokio::test]
async fn body_dripping_one_byte_every_200ms_times_out_within_the_timeout() {
    // The head arrives at once; the body never completes.
    let head = response_head(
        "HTTP/1.1 200 OK",
        &["content-type: application/json", "content-length: 1000"],
    );
    let drip = Step::Drip {
        bytes: bytes(r#"{"detail":"aaaaaaaa"#),
        every: Duration::from_millis(200),
    };
    let server = RawServer::start(vec![Step::Write(head), drip]).await;

    let (result, took) = timed(call_ripio(&server.url())).await;

    assert_timeout(result, took, "dripping content-length body");
    // The client hung up rather than leaving the connection open.
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
    assert!(served.lasted < TIMEOUT + SLACK, "{served:?}");
}

#[tokio::test]
async fn chunked_body_dripping_times_out_within_the_timeout() {
    let head = response_head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"]);
    let drip = Step::Drip {
        bytes: bytes("1\r\n \r\n"),
        every: Duration::from_millis(200),
    };
    let server = RawServer::start(vec![Step::Write(head), drip]).await;

    let (result, took) = timed(call_fonbnk(&server.url())).await;

    assert_timeout(result, took, "dripping chunked body");
    assert!(server.served().await.client_gone);
}

#[tokio::test]
async fn status_line_dripping_times_out_within_the_timeout() {
    let drip = Step::Drip {
        bytes: bytes("HTTP/1.1 200 OK\r\nx-slow: "),
        every: Duration::from_millis(200),
    };
    let server = RawServer::start(vec![drip]).await;

    let (result, took) = timed(call_fonbnk(&server.url())).await;

    assert_timeout(result, took, "dripping head");
}

#[tokio::test]
async fn server_that_never_answers_times_out_and_the_connection_is_closed() {
    let ripio_server = RawServer::start(vec![Step::Hold]).await;
    let fonbnk_server = RawServer::start(vec![Step::Hold]).await;

    let (result, took) = timed(call_ripio(&ripio_server.url())).await;
    assert_timeout(result, took, "ripio, silent server");
    let (result, took) = timed(call_fonbnk(&fonbnk_server.url())).await;
    assert_timeout(result, took, "fonbnk, silent server");

    for server in [&ripio_server, &fonbnk_server] {
        let served = server.served().await;
        assert!(served.client_gone, "{served:?}");
        assert!(served.lasted < TIMEOUT + SLACK, "{served:?}");
        assert!(served.head.starts_with(b"POST ") || served.head.starts_with(b"GET "));
    }
}

#[tokio::test]
async fn endless_informational_responses_end_in_timeout_or_transport_error() {
    // 1xx responses are skipped by the client; an endless stream of them must not hang past
    // the timeout nor grow memory.
    let server = RawServer::start(vec![Step::Flood(bytes("HTTP/1.1 100 Continue\r\n\r\n"))]).await;

    let (result, took) = timed(call_ripio(&server.url())).await;

    match &result {
        Err(Error::Timeout(timeout)) => assert_eq!(*timeout, TIMEOUT),
        Err(Error::Transport(_)) => {}
        other => panic!("expected Timeout or Transport, got {other:?}"),
    }
    assert!(took < TIMEOUT + SLACK, "took {took:?}");
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
}

// =============================================================================================
// Malformed response heads
// =============================================================================================

#[tokio::test]
async fn garbage_status_lines_and_headers_are_transport_errors() {
    let cases: Vec<(&str, Vec<u8>)> =
        vec![
        ("not HTTP at all", bytes("GARBAGE\r\n\r\n")),
        ("binary noise", vec![0, 159, 146, 150, 255, 13, 10, 13, 10]),
        ("status code 2000", bytes("HTTP/1.1 2000 OK\r\n\r\n")),
        ("status code 99", bytes("HTTP/1.1 099 Low\r\ncontent-length: 0\r\n\r\n")),
        ("unknown version", bytes("HTTP/9.9 200 OK\r\ncontent-length: 0\r\n\r\n")),
        ("header without colon", bytes("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")),
        ("NUL in a header name", bytes("HTTP/1.1 200 OK\r\nx-a\0b: 1\r\n\r\n")),
        (
            "conflicting content-lengths",
            bytes("HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}"),
        ),
        (
            "negative content-length",
            bytes("HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n{}"),
        ),
        (
            "chunk size not hex",
            bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
        ),
        (
            "chunk size overflowing u64",
            bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n"),
        ),
    ];
    for (case, response) in cases {
        let server = RawServer::start(vec![Step::Write(response)]).await;
        let (result, took) = timed(call_fonbnk(&server.url())).await;
        assert_transport(result, took, case);
    }
}

#[tokio::test]
async fn header_block_larger_than_the_limit_is_a_transport_error_with_bounded_reads() {
    // One header whose value never ends.
    let server = RawServer::start(vec![
        Step::Write(bytes("HTTP/1.1 200 OK\r\nx-huge: ")),
        Step::Flood(vec![b'h'; 16 * 1024]),
    ])
    .await;

    let (result, took) = timed(call_ripio(&server.url())).await;

    assert_transport(result, took, "endless header");
    let served = server.served().await;
    assert!(served.client_gone, "{served:?}");
    assert!(served.written < BOUNDED_WRITE, "{served:?}");
}

#[tokio::test]
async fn too_many_headers_is_a_transport_error() {
    let lines: Vec<String> = (0..500).map(|i| format!("x-h{i}: {i}")).collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let response = response_head("HTTP/1.1 200 OK", &lines);
    let server = RawServer::start(vec![Step::Write(response)]).await;

    let (result, took) = timed(call_fonbnk(&server.url())).await;

    assert_transport(result, took, "500 headers");
}

// =============================================================================================
// Hostile inputs from the caller
// =============================================================================================

/// A value with every character that could end or extend a request target or a header.
const HOSTILE: &str = "a/b?c#d%e f+g&h=i;j\r\nX-Injected: yes\0é☃";
/// [`HOSTILE`] as `application/x-www-form-urlencoded` (query), written out by hand.
const HOSTILE_FORM: &str =
    "a%2Fb%3Fc%23d%25e+f%2Bg%26h%3Di%3Bj%0D%0AX-Injected%3A+yes%00%C3%A9%E2%98%83";
/// [`HOSTILE`] as a path segment (everything but RFC 3986 unreserved), written out by hand.
const HOSTILE_PATH: &str =
    "a%2Fb%3Fc%23d%25e%20f%2Bg%26h%3Di%3Bj%0D%0AX-Injected%3A%20yes%00%C3%A9%E2%98%83";
/// A value that tries to end the request and start another one.
const SMUGGLER: &str = "+1 (555) 0100/../?x#y\r\n\r\nGET /evil HTTP/1.1\r\nHost: evil";
const SMUGGLER_FORM: &str =
    "%2B1+%28555%29+0100%2F..%2F%3Fx%23y%0D%0A%0D%0AGET+%2Fevil+HTTP%2F1.1%0D%0AHost%3A+evil";

/// The header lines of a recorded head (after the request line, before the blank line).
fn header_lines(head: &str) -> Vec<&str> {
    let block = head.strip_suffix("\r\n\r\n").expect("a complete head");
    block.split("\r\n").skip(1).collect()
}

/// Checks that `head` is exactly one request line `expected_line` followed by header lines
/// named exactly `expected_names` (in any order), none carrying an injected value.
#[track_caller]
fn assert_exact_head(head: &str, expected_line: &str, expected_names: &[&str]) {
    assert_eq!(head.split("\r\n").next(), Some(expected_line), "{head:?}");
    assert_eq!(head.matches("\r\n\r\n").count(), 1, "{head:?}");
    assert_eq!(head.matches(" HTTP/1.1").count(), 1, "{head:?}");
    let crlf = head.matches("\r\n").count();
    assert_eq!(head.matches('\n').count(), crlf, "a bare LF: {head:?}");
    assert_eq!(head.matches('\r').count(), crlf, "a bare CR: {head:?}");
    assert!(!head.contains('\0'), "a NUL: {head:?}");
    let mut names: Vec<String> = header_lines(head)
        .iter()
        .map(|line| {
            let (name, _) = line.split_once(':').expect("name: value");
            name.to_ascii_lowercase()
        })
        .collect();
    names.sort();
    let mut expected: Vec<&str> = expected_names.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "{head:?}");
    let lowered = head.to_ascii_lowercase();
    assert!(!lowered.contains("x-injected:"), "{head:?}");
    assert!(!lowered.contains("/evil"), "{head:?}");
    assert!(!lowered.contains("host: evil"), "{head:?}");
}

fn ok_json(body: &str) -> Vec<Step> {
    let mut response = response_head(
        "HTTP/1.1 200 OK",
        &[
            "content-type: application/json",
            &format!("content-length: {}", body.len()),
        ],
    );
    response.extend(body.as_bytes());
    vec![Step::Write(response)]
}

#[tokio::test]
async fn hostile_query_values_are_percent_encoded_on_the_wire_and_signed_as_sent() {
    let server = RawServer::start(ok_json("{}")).await;
    let request = GetKycState {
        phone_number: Some(SMUGGLER.to_owned()),
        email: Some(HOSTILE.to_owned()),
    };

    let state = check(fonbnk_client(&server.url()).get_kyc_state(&request).await).success();

    assert_eq!(state.kyc_url, None);
    assert_eq!(server.accepted(), 1, "exactly one connection");
    let served = server.served().await;
    let head = served.head_text();
    let target = format!("/api/kyc/state?phoneNumber={SMUGGLER_FORM}&email={HOSTILE_FORM}");
    assert_exact_head(
        &head,
        &format!("GET {target} HTTP/1.1"),
        &[
            "accept",
            "host",
            "user-agent",
            "x-client-id",
            "x-signature",
            "x-timestamp",
        ],
    );
    // The signature covers exactly the target that went over the wire.
    let header = |name: &str| {
        header_lines(&head)
            .into_iter()
            .find_map(|line| {
                let (n, v) = line.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_else(|| panic!("no {name} header"))
    };
    let key = STANDARD.decode(FONBNK_SECRET).expect("base64");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any key size");
    mac.update(format!("{}:{target}", header("x-timestamp")).as_bytes());
    let signature = STANDARD.decode(header("x-signature")).expect("base64");
    assert!(mac.verify_slice(&signature).is_ok(), "{head}");
}

/// An operation no spec generates: a hostile path parameter, query parameter and header, built
/// with `RequestBuilder` exactly as generated code would.
#[derive(Debug, Default)]
struct HostileInputs {
    segment: String,
    query: String,
    header: Option<String>,
}

impl Operation for HostileInputs {
    type Output = ();
    type Error = ();
    const AUTHENTICATED: bool = true;

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(http::Method::POST, base_url)
            .path("/items/")
            .path_param("itemId", &self.segment)
            .path("/notes")
            .query("q", &self.query)
            .header("x-note", &self.header)
            .build()
    }

    fn decode_response(status: StatusCode, body: &[u8]) -> Result<(), Error<()>> {
        match status.as_u16() {
            200 => Ok(runtime::decode_empty(status, body)?),
            _ => Err(runtime::unexpected_status(status, body)),
        }
    }
}

#[test]
fn request_builder_percent_encodes_hostile_path_and_query_values() {
    let request = HostileInputs {
        segment: HOSTILE.to_owned(),
        query: SMUGGLER.to_owned(),
        header: None,
    }
    .to_request("http://127.0.0.1:9/base")
    .expect("buildable");

    assert_eq!(
        request.uri().to_string(),
        format!("http://127.0.0.1:9/base/items/{HOSTILE_PATH}/notes?q={SMUGGLER_FORM}")
    );
    assert_eq!(
        request.uri().path(),
        format!("/base/items/{HOSTILE_PATH}/notes")
    );
    assert_eq!(
        request.headers().len(),
        1,
        "only accept: {:?}",
        request.headers()
    );
}

#[tokio::test]
async fn hostile_path_and_query_values_via_request_builder_are_encoded_on_the_wire() {
    let server = RawServer::start(ok_json("")).await;
    let client = ripio_client(&server.url());
    let operation = HostileInputs {
        segment: HOSTILE.to_owned(),
        query: SMUGGLER.to_owned(),
        header: Some("plain note".to_owned()),
    };

    check(client.transport().execute(&operation).await).success();

    let head = server.served().await.head_text();
    assert_exact_head(
        &head,
        &format!("POST /items/{HOSTILE_PATH}/notes?q={SMUGGLER_FORM} HTTP/1.1"),
        &["accept", "authorization", "host", "user-agent", "x-note"],
    );
    assert!(head.contains("\r\nx-note: plain note\r\n"), "{head:?}");
}

#[test]
fn base_urls_that_would_move_the_path_are_refused_by_the_clients() {
    // A fragment would swallow the operation's path and query, a query would take them in,
    // user information would be sent as credentials.
    for base_url in [
        "http://127.0.0.1:9/base#",
        "http://127.0.0.1:9/base?",
        "http://127.0.0.1:9/base?a=1",
        "http://user:pw@127.0.0.1:9/base",
        "http://127.0.0.1:9/ba se",
        "127.0.0.1:9",
    ] {
        let error = ripio::Client::new(config(base_url)).expect_err(base_url);
        assert!(
            error.to_string().contains("base_url"),
            "{base_url}: {error}"
        );
        let error = fonbnk::Client::new(config(base_url)).expect_err(base_url);
        assert!(!error.to_string().contains("pw"), "{base_url}: {error}");
    }
}

#[test]
fn request_builder_refuses_header_values_with_cr_lf_nul_and_other_controls() {
    for value in [
        "note\r\nX-Injected: yes",
        "note\nX-Injected: yes",
        "note\rX-Injected: yes",
        "note\0",
        "note\x7f",
        "note\x1b[31m",
    ] {
        let error = RequestBuilder::new(http::Method::GET, "http://127.0.0.1:9")
            .path("/x")
            .header("x-note", value)
            .build()
            .expect_err(value);
        assert_eq!(error.part(), RequestPart::Header, "{value:?}");
        assert_eq!(error.name(), "x-note", "{value:?}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("Injected"), "{value:?}: {shown}");
        assert!(!shown.contains("note\\"), "{value:?}: {shown}");
    }
}

#[tokio::test]
async fn header_values_with_cr_lf_are_invalid_request_and_nothing_is_sent() {
    let server = RawServer::start(ok_json("")).await;
    let client = ripio_client(&server.url());
    for value in ["a\r\nX-Injected: yes", "a\0b", "a\nb", "a\rb"] {
        let operation = HostileInputs {
            segment: "item".to_owned(),
            query: "q".to_owned(),
            header: Some(value.to_owned()),
        };

        let error = check(client.transport().execute(&operation).await).failure();

        match &error {
            Error::InvalidRequest(request_error) => {
                assert_eq!(request_error.part(), RequestPart::Header, "{value:?}");
            }
            other => panic!("{value:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.accepted(), 0, "a request was sent");
}
