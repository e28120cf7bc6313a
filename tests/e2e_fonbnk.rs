//! The generated Fonbnk client end to end, over real HTTP on loopback: every operation, a
//! realistic answer, error and undocumented statuses, malformed answers, timeouts, the query
//! string on the wire, and request signing checked by a server that recomputes the signature
//! on its own.
//!
//! Operations covered: `get_kyc_state` (`GET /api/kyc/state?phoneNumber=&email=`).
//! The server checks method, path, query, headers and body of every request: the answer under
//! test is mounted only behind those matchers; a request with a bad signature gets 401 and any
//! other unexpected request wiremock's 404.

#[path = "e2e_support/mod.rs"]
mod support;

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use generated_client::fonbnk::{self, operations::GetKycState, types};
use generated_client::runtime::{HmacSigner, ManualClock};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wiremock::matchers::{header, header_regex, method, path, query_param, query_param_is_missing};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

use support::{
    assert_times_out, at, check, config, json_response, repaired_spec, requests_to, EmptyBody, Not,
    RawQuery, USER_AGENT_PREFIX,
};

const KYC_STATE_PATH: &str = "/api/kyc/state";
const CLIENT_ID: &str = "fonbnk-client-42";
/// base64 of the 32 bytes 0x00, 0x01, …, 0x1f.
const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// base64 of the 32 bytes 0x20, 0x21, …, 0x3f: a well-formed secret, but not the client's.
const OTHER_SECRET: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

// ---------------------------------------------------------------------------------------------
// The server's side of signing, written from Fonbnk's description, not from the runtime
// ---------------------------------------------------------------------------------------------

/// Accepts a request only if its `x-signature` is
/// `base64(HMAC-SHA256(base64-decoded secret, "{x-timestamp}:{path}?{query}"))`, the endpoint
/// taken from the request as received (`?query` only when there is one).
struct ValidSignature {
    key: Vec<u8>,
}

impl ValidSignature {
    fn for_secret(secret: &str) -> Self {
        ValidSignature {
            key: STANDARD.decode(secret).expect("a base64 secret"),
        }
    }
}

impl Match for ValidSignature {
    fn matches(&self, request: &Request) -> bool {
        let text = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(timestamp), Some(signature)) = (text("x-timestamp"), text("x-signature")) else {
            return false;
        };
        let Ok(signature) = STANDARD.decode(signature) else {
            return false;
        };
        let endpoint = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).expect("any key size");
        mac.update(format!("{timestamp}:{endpoint}").as_bytes());
        mac.verify_slice(&signature).is_ok()
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs, examples, server and client
// ---------------------------------------------------------------------------------------------

fn by_email(email: &str) -> GetKycState {
    GetKycState {
        email: Some(email.to_owned()),
        ..GetKycState::default()
    }
}

/// The realistic KYC-state answer the overlay adds to the spec as `KycStateResponse`'s
/// example: top-level `kycStatusDescription`, rules as objects, `requiredFields` as a map
/// keyed by field name.
fn kyc_state_example() -> Value {
    at(
        &repaired_spec("specs/fonbnk.json"),
        "/components/schemas/KycStateResponse/example",
    )
}

/// The documented KYC-state request with the raw query `query`, correctly signed for
/// [`CLIENT_ID`] with [`SECRET`]: GET, no body, JSON accepted, the client's user agent.
fn kyc_state_request(query: Option<&'static str>) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(KYC_STATE_PATH))
        .and(RawQuery(query))
        .and(header("x-client-id", CLIENT_ID))
        .and(header_regex("x-timestamp", r"^[0-9]{13}$"))
        .and(ValidSignature::for_secret(SECRET))
        .and(header("accept", "application/json"))
        .and(header_regex("user-agent", USER_AGENT_PREFIX))
        .and(EmptyBody)
}

/// A server that answers the KYC-state request `request` — exactly once — with `response`,
/// and any request to the endpoint without a valid signature with 401.
async fn api_answering(request: MockBuilder, response: ResponseTemplate) -> MockServer {
    api_expecting(1, request, response).await
}

/// [`api_answering`], with `calls` requests expected to get `response` (checked when the
/// server is dropped).
async fn api_expecting(calls: u64, request: MockBuilder, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    request
        .respond_with(response)
        .expect(calls)
        .named("signed KYC-state request")
        .mount(&server)
        .await;
    Mock::given(path(KYC_STATE_PATH))
        .and(Not(ValidSignature::for_secret(SECRET)))
        .respond_with(json_response(
            401,
            &json!({ "message": "Invalid signature" }),
        ))
        .named("badly signed KYC-state request")
        .mount(&server)
        .await;
    server
}

fn signed_client(server: &MockServer, signer: HmacSigner) -> fonbnk::Client {
    fonbnk::Client::new(config(server).auth(signer)).expect("valid config")
}

/// A client signing with [`SECRET`] at the system clock's time.
fn client(server: &MockServer) -> fonbnk::Client {
    signed_client(
        server,
        fonbnk::signer(CLIENT_ID, SECRET).expect("a valid secret"),
    )
}

// ---------------------------------------------------------------------------------------------
// get_kyc_state: responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_kyc_state_decodes_a_realistic_kyc_state() {
    let body = kyc_state_example();
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com")),
        json_response(200, &body),
    )
    .await;

    let state = check(
        client(&server)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .success();

    assert_eq!(
        state.kyc_status_description.as_deref(),
        Some("KYC approved")
    );
    assert_eq!(state.kyc_status, Some(types::KycStatus::Approved));
    assert_eq!(state.passed_kyc, Some(true));
    let offramp = state.offramp_kyc_rules.as_deref().expect("off-ramp rules");
    assert_eq!(offramp[0].r#type, Some(types::OfframpType::Bank));
    assert_eq!(offramp[0].min_amount, Some(10.0));
    let documents = state.document_types.as_deref().expect("document types");
    let fields = documents[0]
        .required_fields
        .as_ref()
        .expect("required fields");
    assert_eq!(
        fields.keys().map(String::as_str).collect::<Vec<_>>(),
        ["first_name", "id_number"]
    );
    let id_number = &fields["id_number"];
    assert_eq!(id_number.label.as_deref(), Some("ID number"));
    assert_eq!(id_number.required, Some(true));
    assert_eq!(id_number.regexp.as_deref(), Some("^[0-9]{8}$"));
}

#[tokio::test]
async fn get_kyc_state_error_status_is_unexpected_status_with_the_body() {
    // The spec documents no error response for this operation.
    let body = br#"{"message":"User not found"}"#;
    let server = api_answering(
        kyc_state_request(Some("email=nobody%40example.com")),
        ResponseTemplate::new(404).set_body_raw(body.as_slice(), "application/json"),
    )
    .await;

    check(
        client(&server)
            .get_kyc_state(&by_email("nobody@example.com"))
            .await,
    )
    .unexpected_status(404, body);
}

#[tokio::test]
async fn get_kyc_state_undocumented_503_is_unexpected_status_with_the_body() {
    let body = b"service unavailable, retry later";
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com")),
        ResponseTemplate::new(503).set_body_bytes(body.as_slice()),
    )
    .await;

    check(
        client(&server)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .unexpected_status(503, body);
}

#[tokio::test]
async fn get_kyc_state_wrong_field_type_is_a_decode_error_naming_the_field() {
    let mut body = kyc_state_example();
    body["offrampKycRules"][0]["minAmount"] = json!("ten");
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com")),
        json_response(200, &body),
    )
    .await;

    let error = check(
        client(&server)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .decode_error(200, "offrampKycRules[0].minAmount");

    assert!(error.message().contains("invalid type"), "{error}");
}

#[tokio::test]
async fn get_kyc_state_non_json_success_is_a_decode_error() {
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com")),
        ResponseTemplate::new(200).set_body_raw("Internal proxy page", "text/plain"),
    )
    .await;

    let error = check(
        client(&server)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .decode_error(200, ".");

    assert_eq!(error.excerpt(), "Internal proxy page");
}

#[tokio::test]
async fn get_kyc_state_times_out_on_a_slow_server() {
    let delay = Duration::from_secs(3);
    let timeout = Duration::from_millis(200);
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com")),
        json_response(200, &kyc_state_example()).set_delay(delay),
    )
    .await;
    let signer = fonbnk::signer(CLIENT_ID, SECRET).expect("a valid secret");
    let client =
        fonbnk::Client::new(config(&server).timeout(timeout).auth(signer)).expect("valid config");

    assert_times_out(
        client.get_kyc_state(&by_email("user@example.com")),
        timeout,
        delay,
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// get_kyc_state: the query string on the wire
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_kyc_state_with_only_email_sends_no_phone_number() {
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com"))
            .and(query_param("email", "user@example.com"))
            .and(query_param_is_missing("phoneNumber")),
        json_response(200, &kyc_state_example()),
    )
    .await;

    check(
        client(&server)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .success();
}

#[tokio::test]
async fn get_kyc_state_without_inputs_sends_no_query_string() {
    let server = api_answering(
        kyc_state_request(None)
            .and(query_param_is_missing("phoneNumber"))
            .and(query_param_is_missing("email")),
        json_response(200, &kyc_state_example()),
    )
    .await;

    check(client(&server).get_kyc_state(&GetKycState::default()).await).success();

    // Not even an empty `?`: that would change the signed endpoint.
    let sent = requests_to(&server, KYC_STATE_PATH).await;
    assert!(!sent[0].url.as_str().contains('?'), "{}", sent[0].url);
}

#[tokio::test]
async fn get_kyc_state_percent_encodes_plus_at_and_space() {
    let phone = "+234 801 234 5678";
    let email = "a+b c@example.com";
    // Form encoding: `+` → %2B, `@` → %40, space → `+`. The signature covers this exact text.
    let server = api_answering(
        kyc_state_request(Some(
            "phoneNumber=%2B234+801+234+5678&email=a%2Bb+c%40example.com",
        ))
        .and(query_param("phoneNumber", phone))
        .and(query_param("email", email)),
        json_response(200, &kyc_state_example()),
    )
    .await;
    let request = GetKycState {
        phone_number: Some(phone.to_owned()),
        email: Some(email.to_owned()),
    };

    check(client(&server).get_kyc_state(&request).await).success();
}

// ---------------------------------------------------------------------------------------------
// get_kyc_state: signing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_kyc_state_signature_matches_the_python_test_vector() {
    // Computed with Python's standard library, independently of the runtime and of
    // `ValidSignature` above:
    //
    // python3 -c 'import hmac,hashlib,base64; k=bytes(range(32)); print(base64.b64encode(hmac.new(k, b"1700000000000:/api/kyc/state?email=user%40example.com", hashlib.sha256).digest()).decode())'
    const EXPECTED_SIGNATURE: &str = "xwZ8SZifGzCrHMc+lM2lYA6WnIlSA6xBtkglj5xd2uY=";
    let server = api_answering(
        kyc_state_request(Some("email=user%40example.com"))
            .and(header("x-timestamp", "1700000000000"))
            .and(header("x-signature", EXPECTED_SIGNATURE)),
        json_response(200, &kyc_state_example()),
    )
    .await;
    let signer = fonbnk::signer(CLIENT_ID, SECRET)
        .expect("a valid secret")
        .clock(ManualClock::new(1_700_000_000_000));

    check(
        signed_client(&server, signer)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .success();
}

#[tokio::test]
async fn get_kyc_state_signed_with_another_secret_is_refused_with_401() {
    let server = api_expecting(
        0,
        kyc_state_request(Some("email=user%40example.com")),
        json_response(200, &kyc_state_example()),
    )
    .await;
    let signer = fonbnk::signer(CLIENT_ID, OTHER_SECRET).expect("a valid secret");

    check(
        signed_client(&server, signer)
            .get_kyc_state(&by_email("user@example.com"))
            .await,
    )
    .unexpected_status(401, br#"{"message":"Invalid signature"}"#);

    // Refused by the server's own check, not by a missing header; and not retried.
    let sent = requests_to(&server, KYC_STATE_PATH).await;
    assert_eq!(sent.len(), 1);
    for name in ["x-client-id", "x-timestamp", "x-signature"] {
        assert!(sent[0].headers.contains_key(name), "{name} is sent");
    }
    server.verify().await;
}
