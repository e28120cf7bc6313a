//! The generated Ripio client end to end, over real HTTP on loopback: every operation, every
//! documented response, undocumented and malformed answers, timeouts, and both ways of
//! authenticating (a static bearer token and OAuth2 client credentials).
//!
//! Operations covered: `check_kyc_and_send_otp` (`POST /api/v1/customers/{customerId}/checkKyc/`).
//! The server checks method, path, query, headers and body of every request: the answer under
//! test is mounted only behind those matchers, so any other request gets wiremock's 404.

#[path = "e2e_support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use generated_client::ripio::{
    self, operations::CheckKycAndSendOtpError, types::KycCheckSuccessResponse,
};
use generated_client::runtime::{BearerToken, ManualClock};
use serde_json::{json, Value};
use wiremock::matchers::{body_string, header, header_regex, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use support::{
    assert_times_out, at, check, config, header_of, json_response, repaired_spec, requests_to,
    EmptyBody, HeaderMissing, Outcome, RawQuery, USER_AGENT_PREFIX,
};

/// The spec's example `customerId`.
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";
const CHECK_KYC_PATH: &str = "/api/v1/customers/8142b065-79c4-4f48-9e33-11b17bc658d4/checkKyc/";
/// The operation in the spec, as a JSON pointer.
const CHECK_KYC_IN_SPEC: &str = "/paths/~1api~1v1~1customers~1{customerId}~1checkKyc~1/post";

const STATIC_TOKEN: &str = "static-token-Zq7";

const TOKEN_PATH: &str = "/oauth2/token/";
const CLIENT_ID: &str = "partner-7";
const CLIENT_SECRET: &str = "s3cret-Q9";
/// `python3 -c 'import base64; print(base64.b64encode(b"partner-7:s3cret-Q9").decode())'`
const BASIC_CREDENTIALS: &str = "Basic cGFydG5lci03OnMzY3JldC1ROQ==";
/// 2023-11-14T22:13:20Z.
const START_MS: u64 = 1_700_000_000_000;

// ---------------------------------------------------------------------------------------------
// Inputs, examples, server and client
// ---------------------------------------------------------------------------------------------

fn check_kyc() -> ripio::operations::CheckKycAndSendOtp {
    ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().expect("a valid uuid"),
    }
}

/// The spec's example for `suffix` of the check-KYC operation (e.g. `/responses/404/...`).
fn operation_example(suffix: &str) -> Value {
    at(
        &repaired_spec("specs/ripio.yaml"),
        &format!("{CHECK_KYC_IN_SPEC}{suffix}"),
    )
}

/// The success body, built from the spec's property example (the 200 response has no example
/// of its own).
fn success_example() -> Value {
    let spec = repaired_spec("specs/ripio.yaml");
    json!({
        "detail": at(&spec, "/components/schemas/KycCheckSuccessResponse/properties/detail/example")
    })
}

fn error_example(status: u16, name: Option<&str>) -> Value {
    match name {
        Some(name) => operation_example(&format!(
            "/responses/{status}/content/application~1json/examples/{name}/value"
        )),
        None => operation_example(&format!(
            "/responses/{status}/content/application~1json/example"
        )),
    }
}

/// The documented check-KYC request sent with `authorization: Bearer {token}`: POST, the
/// customer's path, no query, no body, JSON accepted, the client's user agent.
fn check_kyc_request(token: &str) -> MockBuilder {
    Mock::given(method("POST"))
        .and(path(CHECK_KYC_PATH))
        .and(RawQuery(None))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("accept", "application/json"))
        .and(header_regex("user-agent", USER_AGENT_PREFIX))
        .and(HeaderMissing("content-type"))
        .and(EmptyBody)
}

/// A server that answers the documented check-KYC request with [`STATIC_TOKEN`] — exactly
/// once — with `response`.
async fn api_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    check_kyc_request(STATIC_TOKEN)
        .respond_with(response)
        .expect(1)
        .named("check KYC with the static token")
        .mount(&server)
        .await;
    server
}

fn static_token_client(server: &MockServer) -> ripio::Client {
    ripio::Client::new(config(server).auth(BearerToken::new(STATIC_TOKEN))).expect("valid config")
}

/// `check_kyc_and_send_otp(check_kyc())` sent to `server` with the static token.
async fn check_kyc_with_static_token(
    server: &MockServer,
) -> Outcome<KycCheckSuccessResponse, CheckKycAndSendOtpError> {
    check(
        static_token_client(server)
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
}

/// The documented token request: POST, Basic client credentials, the form body.
fn token_request() -> MockBuilder {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(RawQuery(None))
        .and(header("authorization", BASIC_CREDENTIALS))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials"))
}

/// Issues `token-1`, `token-2`, … in Ripio's documented form, valid for `expires_in` seconds,
/// each after `delay`.
struct SequentialTokens {
    issued: AtomicUsize,
    expires_in: u64,
    delay: Duration,
}

impl SequentialTokens {
    fn new(expires_in: u64) -> Self {
        SequentialTokens {
            issued: AtomicUsize::new(0),
            expires_in,
            delay: Duration::ZERO,
        }
    }

    fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl Respond for SequentialTokens {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "accessToken": format!("token-{n}"),
                "expiresIn": self.expires_in,
                "tokenType": "Bearer",
            }))
            .set_delay(self.delay)
    }
}

/// A client whose credentials come from the server's token endpoint, judged by `clock`.
fn oauth_client(server: &MockServer, clock: ManualClock) -> ripio::Client {
    let credentials =
        ripio::client_credentials(&server.uri(), CLIENT_ID, CLIENT_SECRET).clock(clock);
    ripio::Client::new(config(server).auth(credentials)).expect("valid config")
}

/// The `authorization` headers the API (not the token endpoint) received, in order.
async fn api_authorizations(server: &MockServer) -> Vec<String> {
    requests_to(server, CHECK_KYC_PATH)
        .await
        .iter()
        .map(|request| header_of(request, "authorization").to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// check_kyc_and_send_otp: responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_kyc_and_send_otp_decodes_the_documented_success() {
    let body = success_example();
    let server = api_answering(json_response(200, &body)).await;

    let sent = check_kyc_with_static_token(&server).await.success();

    assert_eq!(sent.detail, "kyc approved. Otp sent");
    assert_eq!(json!({ "detail": sent.detail }), body);
}

#[tokio::test]
async fn check_kyc_and_send_otp_types_400_kyc_already_approved() {
    let server = api_answering(json_response(
        400,
        &error_example(400, Some("kycAlreadyApproved")),
    ))
    .await;

    let error = check_kyc_with_static_token(&server)
        .await
        .documented_error(400);

    let CheckKycAndSendOtpError::BadRequest(e) = error else {
        panic!("expected BadRequest, got {error:?}");
    };
    assert!(
        matches!(e.r#type.as_str(), "KycAlreadyApprovedException"),
        "{e:?}"
    );
    assert_eq!((e.code, e.status), (20015, 400));
    let message = e
        .detail
        .message
        .as_deref()
        .expect("the example has a message");
    assert!(message.ends_with("is approved."), "{message}");
}

#[tokio::test]
async fn check_kyc_and_send_otp_types_400_kyc_not_approved() {
    let server = api_answering(json_response(
        400,
        &error_example(400, Some("kycNotApprovedInRipio")),
    ))
    .await;

    let error = check_kyc_with_static_token(&server)
        .await
        .documented_error(400);

    let CheckKycAndSendOtpError::BadRequest(e) = error else {
        panic!("expected BadRequest, got {error:?}");
    };
    // What a caller writes to branch on the documented kinds of 400.
    let next_step = match e.r#type.as_str() {
        "KycNotApprovedException" => "run the full KYC flow",
        "KycAlreadyApprovedException" => "nothing to do",
        other => panic!("expected a KycNotApprovedException, got {other}"),
    };
    assert_eq!(next_step, "run the full KYC flow");
    assert_eq!((e.code, e.status), (20007, 400));
    let message = e
        .detail
        .message
        .as_deref()
        .expect("the example has a message");
    assert!(message.ends_with("is not approved."), "{message}");
}

#[tokio::test]
async fn check_kyc_and_send_otp_types_401_and_keeps_extra_detail() {
    let server = api_answering(json_response(401, &error_example(401, None))).await;

    // A static token is not retried: the mock's `expect(1)` fails the test on a second request.
    let error = check_kyc_with_static_token(&server)
        .await
        .documented_error(401);

    let CheckKycAndSendOtpError::Unauthorized(e) = error else {
        panic!("expected Unauthorized, got {error:?}");
    };
    assert!(matches!(e.r#type.as_str(), "NotAuthenticated"), "{e:?}");
    assert_eq!((e.code, e.status), (40001, 401));
    assert_eq!(
        e.detail.message.as_deref(),
        Some("Authentication credentials were not provided.")
    );
    assert_eq!(
        e.detail.additional_properties.get("code"),
        Some(&json!("not_authenticated"))
    );
}

#[tokio::test]
async fn check_kyc_and_send_otp_types_404_not_found() {
    let server = api_answering(json_response(404, &error_example(404, None))).await;

    let error = check_kyc_with_static_token(&server)
        .await
        .documented_error(404);

    let CheckKycAndSendOtpError::NotFound(e) = error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert!(matches!(e.r#type.as_str(), "NotFound"), "{e:?}");
    assert_eq!((e.code, e.status), (40004, 404));
    assert_eq!(e.detail.message.as_deref(), Some("Not found."));
}

#[tokio::test]
async fn check_kyc_and_send_otp_undocumented_503_is_unexpected_status_with_the_body() {
    let body = b"<html>upstream maintenance</html>";
    let server = api_answering(ResponseTemplate::new(503).set_body_bytes(body.as_slice())).await;

    check_kyc_with_static_token(&server)
        .await
        .unexpected_status(503, body);
}

#[tokio::test]
async fn check_kyc_and_send_otp_success_with_a_wrong_field_type_is_a_decode_error_at_detail() {
    let server = api_answering(json_response(200, &json!({ "detail": 42 }))).await;

    let error = check_kyc_with_static_token(&server)
        .await
        .decode_error(200, "detail");

    assert!(error.message().contains("invalid type"), "{error}");
}

#[tokio::test]
async fn check_kyc_and_send_otp_non_json_success_is_a_decode_error() {
    let server =
        api_answering(ResponseTemplate::new(200).set_body_raw("<html>OK</html>", "text/html"))
            .await;

    let error = check_kyc_with_static_token(&server)
        .await
        .decode_error(200, ".");

    assert_eq!(error.excerpt(), "<html>OK</html>");
}

#[tokio::test]
async fn check_kyc_and_send_otp_documented_400_with_a_wrong_shape_is_a_decode_error_at_the_field() {
    let mut body = error_example(400, Some("kycNotApprovedInRipio"));
    body["code"] = json!("20007");
    let server = api_answering(json_response(400, &body)).await;

    check_kyc_with_static_token(&server)
        .await
        .decode_error(400, "code");
}

#[tokio::test]
async fn check_kyc_and_send_otp_times_out_on_a_slow_server() {
    let delay = Duration::from_secs(3);
    let timeout = Duration::from_millis(200);
    let server = api_answering(json_response(200, &success_example()).set_delay(delay)).await;
    let client = ripio::Client::new(
        config(&server)
            .timeout(timeout)
            .auth(BearerToken::new(STATIC_TOKEN)),
    )
    .expect("valid config");

    assert_times_out(client.check_kyc_and_send_otp(&check_kyc()), timeout, delay).await;
}

// ---------------------------------------------------------------------------------------------
// check_kyc_and_send_otp: authentication
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_kyc_and_send_otp_with_another_bearer_token_gets_no_success() {
    let server = MockServer::start().await;
    check_kyc_request(STATIC_TOKEN)
        .respond_with(json_response(200, &success_example()))
        .expect(0)
        .mount(&server)
        .await;
    let client = ripio::Client::new(config(&server).auth(BearerToken::new("some-other-token")))
        .expect("valid config");

    let error = check(client.check_kyc_and_send_otp(&check_kyc()).await).failure();

    // wiremock's empty 404 for an unmatched request: documented status, undecodable body.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}");
    assert_eq!(
        api_authorizations(&server).await,
        ["Bearer some-other-token"]
    );
}

#[tokio::test]
async fn client_credentials_sends_the_documented_token_request_and_uses_its_token() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(SequentialTokens::new(3600))
        .expect(1)
        .named("token request")
        .mount(&server)
        .await;
    check_kyc_request("token-1")
        .respond_with(json_response(200, &success_example()))
        .expect(1)
        .named("check KYC with token-1")
        .mount(&server)
        .await;

    check(
        oauth_client(&server, ManualClock::new(START_MS))
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .success();

    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_ten_concurrent_calls_fetch_exactly_one_token() {
    let server = MockServer::start().await;
    // The slow token answer keeps the first fetch in flight while the other calls arrive.
    token_request()
        .respond_with(SequentialTokens::new(3600).after(Duration::from_millis(150)))
        .expect(1)
        .named("the one token request")
        .mount(&server)
        .await;
    check_kyc_request("token-1")
        .respond_with(json_response(200, &success_example()))
        .expect(10)
        .named("check KYC with token-1")
        .mount(&server)
        .await;
    let client = oauth_client(&server, ManualClock::new(START_MS));

    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.check_kyc_and_send_otp(&check_kyc()).await })
        })
        .collect();
    for call in calls {
        check(call.await.expect("the task completes")).success();
    }

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(api_authorizations(&server).await, ["Bearer token-1"; 10]);
    server.verify().await;
}

#[tokio::test]
async fn client_credentials_expired_token_is_refreshed() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(SequentialTokens::new(60))
        .mount(&server)
        .await;
    for token in ["token-1", "token-2"] {
        check_kyc_request(token)
            .respond_with(json_response(200, &success_example()))
            .mount(&server)
            .await;
    }
    let clock = ManualClock::new(START_MS);
    let client = oauth_client(&server, clock.clone());

    check(client.check_kyc_and_send_otp(&check_kyc()).await).success();
    clock.advance(Duration::from_secs(10));
    check(client.check_kyc_and_send_otp(&check_kyc()).await).success();
    assert_eq!(
        requests_to(&server, TOKEN_PATH).await.len(),
        1,
        "a token valid for 60 s is reused 10 s later"
    );

    clock.advance(Duration::from_secs(55)); // 65 s after the token was issued
    check(client.check_kyc_and_send_otp(&check_kyc()).await).success();

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        api_authorizations(&server).await,
        ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    );
}

#[tokio::test]
async fn client_credentials_401_is_retried_once_with_a_new_token() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(SequentialTokens::new(3600))
        .expect(2)
        .mount(&server)
        .await;
    check_kyc_request("token-1")
        .respond_with(json_response(401, &error_example(401, None)))
        .expect(1)
        .named("check KYC with the refused token-1")
        .mount(&server)
        .await;
    check_kyc_request("token-2")
        .respond_with(json_response(200, &success_example()))
        .expect(1)
        .named("check KYC with token-2")
        .mount(&server)
        .await;

    let sent = check(
        oauth_client(&server, ManualClock::new(START_MS))
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .success();

    assert_eq!(sent.detail, "kyc approved. Otp sent");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        api_authorizations(&server).await,
        ["Bearer token-1", "Bearer token-2"]
    );
    server.verify().await;
}

#[tokio::test]
async fn client_credentials_second_401_is_returned_typed_without_another_retry() {
    let server = MockServer::start().await;
    token_request()
        .respond_with(SequentialTokens::new(3600))
        .mount(&server)
        .await;
    for token in ["token-1", "token-2", "token-3"] {
        check_kyc_request(token)
            .respond_with(json_response(401, &error_example(401, None)))
            .mount(&server)
            .await;
    }

    let error = check(
        oauth_client(&server, ManualClock::new(START_MS))
            .check_kyc_and_send_otp(&check_kyc())
            .await,
    )
    .documented_error(401);

    assert!(
        matches!(&error, CheckKycAndSendOtpError::Unauthorized(e) if e.r#type == "NotAuthenticated"),
        "{error:?}"
    );
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        api_authorizations(&server).await,
        ["Bearer token-1", "Bearer token-2"]
    );
}
