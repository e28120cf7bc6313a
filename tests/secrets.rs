//! No credential ever shows in the `Debug` or `Display` output of a configuration, auth or error
//! type, nor in their `source()` chains, nor in what the HTTP stack logs.
//!
//! Every secret below is distinctive (`s3cr3t-…`); each value under test is formatted with
//! `{:?}`, `{:#?}` and (where it has one) `{}`, its error sources are walked, and everything is
//! scanned for each secret, for its base64 forms (standard and URL-safe, padded or not, e.g. the
//! HTTP Basic value of the OAuth client id and secret) and for the signatures actually sent.
//!
//! Servers that echo what they were sent (the token endpoint, the API) are part of it: the
//! runtime cuts echoed credentials out of the errors it builds from their answers. And the
//! runtime's source (every file under [`RUNTIME_SOURCES`], all but its tests) neither prints nor
//! logs.

#[path = "source_scan/mod.rs"]
mod source_scan;
#[path = "e2e_support/mod.rs"]
mod support;

use std::fmt::{Debug, Display};
use std::sync::{Mutex, Once};
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use generated_client::runtime::{
    self, BearerToken, ClientConfig, ClientCredentials, Error, HmacSigner, NoAuth, Operation,
    RequestBuilder, RequestError, Transport,
};
use generated_client::{fonbnk, ripio};
use http::StatusCode;
use serde_json::{json, Map, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use source_scan::Forbidden;
use support::check;

const BEARER: &str = "s3cr3t-bearer-Zq7Lk2Tn";
const OAUTH_CLIENT_ID: &str = "partner-7";
const OAUTH_SECRET: &str = "s3cr3t-oauth-client-Wp9Rv4";
const ACCESS_TOKEN: &str = "s3cr3t-access-token-Hx4Jm8";
/// The HMAC key Fonbnk issues, as bytes: text, so that its decoded form is searchable too.
const FONBNK_KEY: &[u8] = b"s3cr3t-fonbnk-key-Mb3-0123456789";
const FONBNK_CLIENT_ID: &str = "fonbnk-client-42";
const URL_PASSWORD: &str = "s3cr3t-url-password-Qe1";
const HEADER_SECRET: &str = "s3cr3t-header-value-Ty5";

const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";
const TOKEN_PATH: &str = "/oauth2/token/";
const QUICK: Duration = Duration::from_millis(300);

/// The client secret as Fonbnk issues it: base64 of the key.
fn fonbnk_secret() -> String {
    STANDARD.encode(FONBNK_KEY)
}

/// The HTTP Basic credentials of the token request, without `Basic `.
fn basic_credentials() -> String {
    STANDARD.encode(format!("{OAUTH_CLIENT_ID}:{OAUTH_SECRET}"))
}

// =============================================================================================
// Collecting what is shown, and scanning it
// =============================================================================================

/// Everything a value shows, labelled, to be scanned for secrets.
#[derive(Default)]
struct Shown(Vec<(String, String)>);

impl Shown {
    /// `{:?}` and `{:#?}`.
    fn debug(&mut self, label: &str, value: &dyn Debug) {
        self.0
            .push((format!("{label} {{:?}}"), format!("{value:?}")));
        self.0
            .push((format!("{label} {{:#?}}"), format!("{value:#?}")));
    }

    /// `{:?}`, `{:#?}` and `{}`.
    fn both<T: Debug + Display + ?Sized>(&mut self, label: &str, value: &T) {
        self.debug(label, &value);
        self.0.push((format!("{label} {{}}"), value.to_string()));
    }

    /// `{:?}`, `{:#?}` and `{}` of `error` and of every error in its `source()` chain.
    fn error(&mut self, label: &str, error: &(dyn std::error::Error + 'static)) {
        self.both(label, error);
        let mut depth = 0;
        let mut source = error.source();
        while let Some(cause) = source {
            depth += 1;
            self.both(&format!("{label} source #{depth}"), cause);
            source = cause.source();
        }
    }

    /// Panics naming the output and the secret when any output holds any needle.
    #[track_caller]
    fn assert_no_secrets(&self, extra: &[String]) {
        let needles = needles(extra);
        for (label, text) in &self.0 {
            for needle in &needles {
                assert!(
                    !text.contains(needle.as_str()),
                    "{label} shows the secret {needle:?}:\n{text}"
                );
            }
        }
    }

    /// Panics unless some output contains `fragment` (the scan is not vacuous).
    #[track_caller]
    fn assert_some_shows(&self, fragment: &str) {
        assert!(
            self.0.iter().any(|(_, text)| text.contains(fragment)),
            "nothing shows {fragment:?}: {:#?}",
            self.0
        );
    }
}

/// Every form of every secret to look for: the text itself, its base64 forms whole and a
/// 16-character piece from the middle of each (a cut excerpt may keep only part), and `extra`
/// (signatures, also as hex).
fn needles(extra: &[String]) -> Vec<String> {
    let basic_plain = format!("{OAUTH_CLIENT_ID}:{OAUTH_SECRET}");
    let secrets: Vec<&[u8]> = vec![
        BEARER.as_bytes(),
        OAUTH_SECRET.as_bytes(),
        ACCESS_TOKEN.as_bytes(),
        FONBNK_KEY,
        URL_PASSWORD.as_bytes(),
        HEADER_SECRET.as_bytes(),
        basic_plain.as_bytes(),
    ];
    // Any piece of any secret's text, and the base64 of its start ("s3cr3t" is "czNjcjN0").
    let mut needles = vec!["s3cr3t".to_owned(), "czNjcjN0".to_owned()];
    for secret in secrets {
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            let encoded = engine.encode(secret);
            let middle = encoded.len() / 2;
            needles.push(encoded[middle - 8..middle + 8].to_owned());
            needles.push(encoded);
        }
    }
    for extra in extra {
        needles.push(extra.clone());
        if let Ok(bytes) = STANDARD.decode(extra) {
            needles.push(bytes.iter().map(|b| format!("{b:02x}")).collect());
        }
    }
    needles
}

// =============================================================================================
// Capturing what the HTTP stack logs (`log` and `tracing`)
// =============================================================================================

/// Every log record and tracing event or span seen by this test binary.
static CAPTURED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn captured() -> Vec<String> {
    CAPTURED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

fn capture(line: String) {
    CAPTURED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(line);
}

struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        capture(format!(
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

struct TracingCapture;

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for TracingCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        capture(fields.0);
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("span record".to_owned());
        values.record(&mut fields);
        capture(fields.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().target()));
        event.record(&mut fields);
        capture(fields.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// Installs the `log` logger and the `tracing` subscriber, at the most verbose level, once.
fn capture_logs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&LogCapture).expect("no other logger");
        log::set_max_level(log::LevelFilter::Trace);
        tracing::subscriber::set_global_default(TracingCapture).expect("no other subscriber");
    });
}

// =============================================================================================
// Servers, including ones that echo what they are sent
// =============================================================================================

/// Answers `status` with the JSON body `body(request)`.
struct Echo<F>(u16, F);

/// What an echoing server answers, from the request it got.
type EchoBody = fn(&Request) -> Value;

/// A mock server that answers every request with `response`.
async fn answering_every_request(response: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn echo<F: Fn(&Request) -> Value + Send + Sync + 'static>(status: u16, body: F) -> Echo<F> {
    Echo(status, body)
}

impl<F: Fn(&Request) -> Value + Send + Sync + 'static> Respond for Echo<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(self.0).set_body_json((self.1)(request))
    }
}

/// The request's headers as a JSON object, the way debugging endpoints echo them.
fn headers_of(request: &Request) -> Value {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        headers.insert(
            name.as_str().to_owned(),
            Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()),
        );
    }
    Value::Object(headers)
}

fn header_text(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// A token endpoint issuing [`ACCESS_TOKEN`] to the right Basic credentials.
async fn token_endpoint(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(wiremock::matchers::header(
            "authorization",
            format!("Basic {}", basic_credentials()).as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessToken": ACCESS_TOKEN,
            "expiresIn": 3600,
            "tokenType": "Bearer",
        })))
        .mount(server)
        .await;
}

fn credentials_for(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(
        format!("{}{TOKEN_PATH}", server.uri()),
        OAUTH_CLIENT_ID,
        OAUTH_SECRET,
    )
}

fn check_kyc() -> ripio::operations::CheckKycAndSendOtp {
    ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().expect("a uuid"),
    }
}

fn kyc_by_email() -> fonbnk::operations::GetKycState {
    fonbnk::operations::GetKycState {
        email: Some("user@example.com".to_owned()),
        ..Default::default()
    }
}

fn ripio_bearer(base_url: &str) -> ripio::Client {
    ripio::Client::new(
        ClientConfig::new(base_url)
            .timeout(QUICK)
            .auth(BearerToken::new(BEARER)),
    )
    .expect("valid config")
}

fn signer() -> HmacSigner {
    HmacSigner::new(FONBNK_CLIENT_ID, &fonbnk_secret()).expect("a valid secret")
}

fn fonbnk_signed(base_url: &str) -> fonbnk::Client {
    fonbnk::Client::new(ClientConfig::new(base_url).timeout(QUICK).auth(signer()))
        .expect("valid config")
}

/// The `x-signature` values the server received.
async fn signatures_at(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|request| header_text(request, "x-signature"))
        .filter(|signature| !signature.is_empty())
        .collect()
}

/// A base URL nobody listens on.
async fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

// =============================================================================================
// Configuration and auth types
// =============================================================================================

#[test]
fn config_transport_client_and_bearer_token_debug_hide_the_token() {
    let mut shown = Shown::default();
    let config = ClientConfig::new(format!("https://user:{URL_PASSWORD}@api.example.com/v1"))
        .auth(BearerToken::new(BEARER));
    shown.debug("ClientConfig (userinfo, bearer)", &config);
    let config = ClientConfig::new("https://api.example.com/v1")
        .auth(BearerToken::new(BEARER))
        .http_client(reqwest::Client::new());
    shown.debug("ClientConfig (bearer, custom client)", &config);
    let transport = Transport::new(config.clone()).expect("valid config");
    shown.debug("Transport", &transport);
    let client = ripio::Client::new(config).expect("valid config");
    shown.debug("ripio::Client", &client);
    shown.debug("BearerToken", &BearerToken::new(BEARER));
    shown.debug("NoAuth", &NoAuth);

    shown.assert_no_secrets(&[]);
    shown.assert_some_shows("api.example.com/v1");
    shown.assert_some_shows("redacted");
}

#[tokio::test]
async fn client_credentials_and_access_token_debug_hide_secret_and_token_before_and_after_a_fetch()
{
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    let credentials = credentials_for(&server);
    let mut shown = Shown::default();
    shown.debug("ClientCredentials before", &credentials);
    let config = ClientConfig::new(server.uri()).auth(credentials.clone());
    shown.debug("ClientConfig with ClientCredentials", &config);

    let token = credentials.token().await.expect("a token");

    assert_eq!(token.expose_secret(), ACCESS_TOKEN, "the fetch worked");
    shown.debug("AccessToken", &token);
    shown.debug("ClientCredentials after", &credentials);
    shown.debug("ClientCredentials clone after", &credentials.clone());
    shown.assert_no_secrets(&[]);
    shown.assert_some_shows(OAUTH_CLIENT_ID);
    shown.assert_some_shows("expires at");
}

#[tokio::test]
async fn hmac_signer_and_fonbnk_client_debug_hide_the_key_and_the_signatures() {
    let server = answering_every_request(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = fonbnk_signed(&server.uri());
    check(client.get_kyc_state(&kyc_by_email()).await).success();
    let mut sent = signatures_at(&server).await;
    assert_eq!(sent.len(), 1, "one signed request");
    let signer = signer();
    sent.push(signer.sign(1_700_000_000_000, "/api/kyc/state?email=user%40example.com"));

    let mut shown = Shown::default();
    shown.debug("HmacSigner", &signer);
    shown.debug("fonbnk::Client", &client);
    shown.debug("Transport", client.transport());

    shown.assert_no_secrets(&sent);
    shown.assert_some_shows(FONBNK_CLIENT_ID);
}

#[test]
fn request_builder_debug_shows_header_names_not_values() {
    let builder = RequestBuilder::new(http::Method::GET, "https://api.example.com")
        .path("/x")
        .header("x-api-key", HEADER_SECRET);
    let mut shown = Shown::default();
    shown.debug("RequestBuilder", &builder);
    shown.assert_no_secrets(&[]);
    shown.assert_some_shows("x-api-key");
}

// =============================================================================================
// Auth errors
// =============================================================================================

/// Calls Ripio with `credentials` and records the `Error::Auth` it must end in.
async fn auth_failure(shown: &mut Shown, label: &str, credentials: ClientCredentials, api: &str) {
    let client = ripio::Client::new(
        ClientConfig::new(api)
            .timeout(Duration::from_secs(5))
            .auth(credentials.clone()),
    )
    .expect("valid config");
    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();
    assert!(matches!(error, Error::Auth(_)), "{label}: {error:?}");
    shown.error(label, &error);
    let direct = credentials.token().await.expect_err(label);
    shown.error(&format!("{label} (token())"), &direct);
    shown.debug(&format!("{label} ClientCredentials"), &credentials);
}

#[tokio::test]
async fn failing_token_fetches_never_show_the_client_secret_or_the_token() {
    let mut shown = Shown::default();
    let cases: Vec<(&str, ResponseTemplate)> = vec![
        (
            "200 with a refused token type, token in the body",
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": ACCESS_TOKEN, "tokenType": "mac", "expiresIn": 60,
            })),
        ),
        (
            "200 with a token that cannot go in a header",
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": format!("{ACCESS_TOKEN}\r\nx: y"), "expiresIn": 60,
            })),
        ),
        (
            "200 with a bad expiry, token in the body",
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": ACCESS_TOKEN, "expiresIn": "soon",
            })),
        ),
        (
            "200 with a body that is not JSON, token in it",
            ResponseTemplate::new(200).set_body_string(format!("token={ACCESS_TOKEN}")),
        ),
        (
            "200 too large, token in it",
            ResponseTemplate::new(200).set_body_string(format!("{ACCESS_TOKEN} ").repeat(10_000)),
        ),
    ];
    for (label, response) in cases {
        let server = MockServer::start().await;
        Mock::given(path(TOKEN_PATH))
            .respond_with(response)
            .mount(&server)
            .await;
        auth_failure(&mut shown, label, credentials_for(&server), &server.uri()).await;
    }
    // Endpoints that echo what they were sent.
    let echoes: Vec<(&str, u16, EchoBody)> = vec![
        (
            "401 echoing the request headers",
            401,
            |request| json!({ "error": "invalid_client", "received": headers_of(request) }),
        ),
        (
            "400 echoing the decoded Basic credentials",
            400,
            |request| {
                let basic = header_text(request, "authorization");
                let decoded = STANDARD
                    .decode(basic.trim_start_matches("Basic "))
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                let (id, secret) = decoded.split_once(':').unwrap_or_default();
                json!({ "error": "invalid_client", "client_id": id, "client_secret": secret })
            },
        ),
        (
            "500 echoing the Basic value at the start of the body",
            500,
            |request| json!(header_text(request, "authorization")),
        ),
    ];
    for (label, status, body) in echoes {
        let server = MockServer::start().await;
        Mock::given(path(TOKEN_PATH))
            .respond_with(echo(status, body))
            .mount(&server)
            .await;
        auth_failure(&mut shown, label, credentials_for(&server), &server.uri()).await;
    }
    // No server at all, and one too slow for the token client's timeout.
    let closed = closed_port().await;
    let credentials = ClientCredentials::new(
        format!("{closed}{TOKEN_PATH}"),
        OAUTH_CLIENT_ID,
        OAUTH_SECRET,
    );
    auth_failure(
        &mut shown,
        "token endpoint refusing connections",
        credentials,
        &closed,
    )
    .await;
    let slow = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&slow)
        .await;
    let quick_client = reqwest::Client::builder()
        .timeout(QUICK)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    auth_failure(
        &mut shown,
        "token endpoint timing out",
        credentials_for(&slow).http_client(quick_client),
        &slow.uri(),
    )
    .await;
    // A token URL carrying a password.
    let credentials = ClientCredentials::new(
        format!("http://user:{URL_PASSWORD}@127.0.0.1:9{TOKEN_PATH}"),
        OAUTH_CLIENT_ID,
        OAUTH_SECRET,
    );
    auth_failure(
        &mut shown,
        "token URL with a password",
        credentials,
        "http://127.0.0.1:9",
    )
    .await;

    shown.assert_no_secrets(&[]);
    shown.assert_some_shows("invalid_client");
    shown.assert_some_shows("<redacted>");
    shown.assert_some_shows("timed out");
}

#[tokio::test]
async fn bad_secrets_are_refused_without_being_shown() {
    let mut shown = Shown::default();
    let bad_secrets = [
        "s3cr3t-fonbnk-not-base64!".to_owned(),
        URL_SAFE.encode(b"s3cr3t-fonbnk-urlsafe\xfb\xff\xfe"),
        format!("{} {}", &fonbnk_secret()[..8], &fonbnk_secret()[8..]),
        format!("{}=", fonbnk_secret()),
    ];
    for secret in &bad_secrets {
        let error = HmacSigner::new(FONBNK_CLIENT_ID, secret).expect_err(secret);
        shown.error("HmacSigner::new with a bad secret", &error);
    }
    let error = HmacSigner::new("s3cr3t-client\nid", &fonbnk_secret()).expect_err("bad id");
    shown.error("HmacSigner::new with a bad client id", &error);
    // A bearer token that cannot be sent: Error::Auth from the client, nothing sent.
    let server = MockServer::start().await;
    let client = ripio::Client::new(
        ClientConfig::new(server.uri()).auth(BearerToken::new(format!("{BEARER}\r\nx-evil: 1"))),
    )
    .expect("valid config");
    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    shown.error("Error::Auth from a bearer token with CR/LF", &error);
    let sent = server.received_requests().await.expect("recording");
    assert!(sent.is_empty(), "a request was sent: {sent:?}");

    shown.assert_no_secrets(&bad_secrets);
    shown.assert_some_shows("base64");
}

// =============================================================================================
// Every runtime::Error variant
// =============================================================================================

/// An operation with a header parameter, which no generated operation has.
struct WithHeader(String);

impl Operation for WithHeader {
    type Output = ();
    type Error = ();
    const AUTHENTICATED: bool = true;

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(http::Method::GET, base_url)
            .path("/things")
            .header("x-api-key", &self.0)
            .build()
    }

    fn decode_response(status: StatusCode, body: &[u8]) -> Result<(), Error<()>> {
        match status.as_u16() {
            200 => Ok(runtime::decode_empty(status, body)?),
            _ => Err(runtime::unexpected_status(status, body)),
        }
    }
}

#[tokio::test]
async fn errors_without_a_server_answer_never_show_credentials() {
    let mut shown = Shown::default();

    // InvalidRequest: a secret header value with CR/LF; nothing is sent.
    let server = MockServer::start().await;
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(BearerToken::new(BEARER)))
        .expect("valid config");
    let error = transport
        .execute(&WithHeader(format!("{HEADER_SECRET}\r\nx-evil: 1")))
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    shown.error("Error::InvalidRequest", &error);
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());

    // Transport: nobody listening.
    let error = check(
        ripio_bearer(&closed_port().await)
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .failure();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    shown.error("Error::Transport (refused)", &error);

    // Transport: the connection closes mid-body.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        if let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"detail\":")
                .await;
        }
    });
    let error = check(fonbnk_signed(&base).get_kyc_state(&kyc_by_email()).await).failure();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    shown.error("Error::Transport (cut short)", &error);

    // Timeout.
    let slow =
        answering_every_request(ResponseTemplate::new(200).set_delay(Duration::from_secs(3))).await;
    let error = check(
        ripio_bearer(&slow.uri())
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .failure();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    shown.error("Error::Timeout", &error);

    // BodyTooLarge.
    let big =
        answering_every_request(ResponseTemplate::new(200).set_body_string(BEARER.repeat(100)))
            .await;
    let client = ripio::Client::new(
        ClientConfig::new(big.uri())
            .max_response_bytes(64)
            .auth(BearerToken::new(BEARER)),
    )
    .expect("valid config");
    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
    shown.error("Error::BodyTooLarge", &error);

    // ConfigError: a base URL with a password.
    let error = ripio::Client::new(ClientConfig::new(format!(
        "https://user:{URL_PASSWORD}@api.example.com"
    )))
    .expect_err("refused");
    shown.error("ConfigError", &error);

    shown.assert_no_secrets(&[]);
    shown.assert_some_shows("x-api-key");
}

/// A Ripio error body whose message quotes what the server received.
fn ripio_error_echo(request: &Request) -> Value {
    json!({
        "code": 401,
        "type": "InvalidTokenException",
        "status": 401,
        "detail": {
            "message": format!("token {} is not valid", header_text(request, "authorization")),
            "received": headers_of(request),
        },
    })
}

#[tokio::test]
async fn servers_echoing_credentials_do_not_get_them_into_errors() {
    let mut shown = Shown::default();
    let mut signatures = Vec::new();

    // Ripio, documented 401 (Error::Api) whose body quotes the Authorization header.
    let server = answering_every_request(echo(401, ripio_error_echo)).await;
    let error = check(
        ripio_bearer(&server.uri())
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .documented_error(401);
    let message = error.body().detail.message.clone().unwrap_or_default();
    assert_eq!(message, "token <redacted> is not valid", "the rest is kept");
    shown.debug("Error::Api (ripio 401) documented error", &error);
    let error = check(
        ripio_bearer(&server.uri())
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .failure();
    shown.error("Error::Api (ripio 401)", &error);

    // Ripio, undocumented 418 (Error::UnexpectedStatus) echoing the headers.
    let server = answering_every_request(echo(
        418,
        |request| json!({ "received": headers_of(request) }),
    ))
    .await;
    let error = check(
        ripio_bearer(&server.uri())
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .failure();
    match &error {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 418);
            let body = String::from_utf8_lossy(body);
            assert!(body.contains("\"authorization\":\"<redacted>\""), "{body}");
            assert!(
                body.contains("application/json"),
                "the rest is kept: {body}"
            );
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    shown.error("Error::UnexpectedStatus (ripio 418)", &error);

    // Ripio, 200 that does not match the schema (Error::Decode), the token in the excerpt.
    let server = answering_every_request(echo(
        200,
        |request| json!({ "token": header_text(request, "authorization"), "detail": 42 }),
    ))
    .await;
    let error = check(
        ripio_bearer(&server.uri())
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .decode_error(200, "detail");
    assert!(error.excerpt().contains("<redacted>"), "{error}");
    shown.error("DecodeError (ripio 200)", &error);

    // Ripio with OAuth2: the access token echoed in an undocumented 500.
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    Mock::given(path(format!("/api/v1/customers/{CUSTOMER}/checkKyc/")))
        .respond_with(echo(500, |request| {
            json!({ "bearer": header_text(request, "authorization").trim_start_matches("Bearer ") })
        }))
        .mount(&server)
        .await;
    let client = ripio::Client::new(
        ClientConfig::new(server.uri())
            .timeout(Duration::from_secs(5))
            .auth(credentials_for(&server)),
    )
    .expect("valid config");
    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();
    assert_eq!(
        error.status(),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{error:?}"
    );
    shown.error("Error::UnexpectedStatus (ripio OAuth2 500)", &error);
    shown.debug("ripio::Client with ClientCredentials", &client);

    // Fonbnk, undocumented 500 echoing the signed headers, and a 200 that fails to decode.
    let server = answering_every_request(echo(
        500,
        |request| json!({ "received": headers_of(request) }),
    ))
    .await;
    let error = check(
        fonbnk_signed(&server.uri())
            .get_kyc_state(&kyc_by_email())
            .await,
    )
    .failure();
    assert_eq!(
        error.status(),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{error:?}"
    );
    shown.error("Error::UnexpectedStatus (fonbnk 500)", &error);
    signatures.extend(signatures_at(&server).await);
    let server = answering_every_request(echo(
        200,
        |request| json!({ "kycUrl": 7, "signature": header_text(request, "x-signature") }),
    ))
    .await;
    let error = check(
        fonbnk_signed(&server.uri())
            .get_kyc_state(&kyc_by_email())
            .await,
    )
    .decode_error(200, "kycUrl");
    shown.error("DecodeError (fonbnk 200)", &error);
    signatures.extend(signatures_at(&server).await);
    assert_eq!(signatures.len(), 2, "both requests were signed");

    shown.assert_no_secrets(&signatures);
    shown.assert_some_shows("InvalidTokenException");
    shown.assert_some_shows("<redacted>");
}

// =============================================================================================
// Logs
// =============================================================================================

#[tokio::test]
async fn what_the_http_stack_logs_never_shows_credentials() {
    capture_logs();
    // A successful OAuth2 exchange and API call, a signed call, and failures.
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    Mock::given(path(format!("/api/v1/customers/{CUSTOMER}/checkKyc/")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "detail": "sent" })))
        .mount(&server)
        .await;
    Mock::given(path("/api/kyc/state"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "http://127.0.0.2:9/"))
        .mount(&server)
        .await;
    let client = ripio::Client::new(
        ClientConfig::new(server.uri())
            .timeout(Duration::from_secs(5))
            .auth(credentials_for(&server)),
    )
    .expect("valid config");
    check(client.check_kyc_and_send_otp(&check_kyc()).await).success();
    let error = check(
        fonbnk_signed(&server.uri())
            .get_kyc_state(&kyc_by_email())
            .await,
    )
    .failure();
    assert_eq!(error.status(), Some(StatusCode::FOUND));
    check(
        ripio_bearer(&closed_port().await)
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .failure();
    let signatures = signatures_at(&server).await;

    let mut shown = Shown::default();
    let lines = captured();
    for line in &lines {
        shown.0.push(("captured log".to_owned(), line.clone()));
    }
    shown.assert_no_secrets(&signatures);
    // The capture works (the HTTP stack does log, at debug/trace level); the runtime's own
    // modules never do (see runtime_source_neither_logs_nor_prints).
    assert!(!lines.is_empty(), "nothing was captured");
}

/// The folders of the hand-written runtime, from the workspace root: every `.rs` file under
/// them is scanned (`runtime_source_neither_logs_nor_prints`).
const RUNTIME_SOURCES: &[&str] = &["generated-client/src/runtime"];

/// What the runtime must not use outside its tests: nothing it does is printed or logged.
const NO_OUTPUT: Forbidden<'static> = Forbidden {
    macros: &["println", "eprintln", "print", "eprint", "dbg"],
    crates: &["log", "tracing"],
};

#[test]
fn runtime_source_neither_logs_nor_prints() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tests.parent().expect("the workspace root");
    let roots: Vec<_> = RUNTIME_SOURCES.iter().map(|dir| root.join(dir)).collect();
    let (scanned, findings) = source_scan::scan_tree(&roots, NO_OUTPUT);
    assert!(findings.is_empty(), "{findings:#?}");
    let names: Vec<String> = scanned
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // The whole runtime is scanned; its test files are not.
    for expected in [
        "mod.rs",
        "oauth2.rs",
        "signing.rs",
        "transport.rs",
        "request.rs",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not scanned: {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.ends_with("_tests.rs")),
        "a test module was scanned: {names:?}"
    );
}

#[test]
fn the_source_scan_finds_uses_after_test_modules_and_inside_macros() {
    let scan = |text: &str| source_scan::scan_text(text, NO_OUTPUT);
    // After a test module, and in a macro's arguments.
    let after_tests = "
        #[cfg(test)]
        mod tests { fn shown() { println!(\"fine in tests\"); } }
        pub fn run() { let _ = vec![eprintln!(\"caught\")]; }
        #[cfg(test)]
        mod more_tests;
        use log::debug;
        impl Thing {
            #[cfg(test)]
            fn only_in_tests() { dbg!(1); }
            fn traced() { tracing::info!(\"caught\"); std::print!(\"caught\"); }
        }
    ";
    assert_eq!(
        scan(after_tests),
        ["eprintln!", "log::", "tracing::", "print!"]
    );
    // Comments, doc comments, strings and lookalikes are not uses.
    let clean = "
        /// Never `println!(..)`; see log::Level.
        pub fn f(print: bool) -> bool { let s = \"dbg!(x) tracing::\"; // eprintln!()
            print != s.is_empty() }
    ";
    assert_eq!(scan(clean), Vec::<String>::new());
}
