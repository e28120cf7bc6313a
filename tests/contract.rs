//! Contract tests: the generated clients against Prism mock servers of the repaired specs.
//!
//! `cargo xtask contract` starts one `prism mock --errors` per provider (on the spec that
//! `cargo xtask repaired` writes) and runs these tests with the servers' URLs in
//! `RAMPGEN_PRISM_RIPIO_URL` and `RAMPGEN_PRISM_FONBNK_URL`. Prism checks every request against
//! the spec (path, parameters, security) and answers with a response built from the spec, so a
//! passing test means the client sends what the spec describes and decodes what it promises.
//! The negative tests prove that Prism really refuses what the spec does not allow.
//!
//! The tests are `#[ignore]`d, so a plain `cargo test` lists them as ignored; run with
//! `--ignored` but without the environment they fail and say to use `cargo xtask contract`.

use std::time::Duration;

use generated_client::runtime::{self, BearerToken, ClientConfig};
use generated_client::{fonbnk, ripio};
use http::StatusCode;

/// A customer id in the spec's format (`uuid`).
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";
/// Any valid standard-base64 secret: Prism checks that the signing headers are present, not
/// the signature itself.
const FONBNK_SECRET: &str = "c2VjcmV0LWtleS1mb3ItdGhlLWNvbnRyYWN0LXRlc3Q=";
/// How many responses to request in the `Prefer: dynamic=true` tests: each is generated anew
/// from the schemas.
const DYNAMIC_RUNS: usize = 20;
/// A bound on every request, so that a stuck mock fails the test instead of hanging it.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The base URL of the Prism server that `cargo xtask contract` started, from `var`.
fn prism_url(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: the contract tests need a Prism mock server of the repaired spec; \
             run them with `cargo xtask contract`, which installs and starts Prism and sets it"
        )
    })
}

fn ripio_url() -> String {
    prism_url("RAMPGEN_PRISM_RIPIO_URL")
}

fn fonbnk_url() -> String {
    prism_url("RAMPGEN_PRISM_FONBNK_URL")
}

/// A `reqwest` client that sends Prism's `Prefer` header (e.g. `code=404`, `dynamic=true`) to
/// choose the mocked response.
fn preferring(prefer: &str) -> reqwest::Client {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "prefer",
        http::HeaderValue::from_str(prefer).expect("a valid Prefer header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .expect("builds a reqwest client")
}

fn ripio_client(config: ClientConfig) -> ripio::Client {
    ripio::Client::new(config.timeout(TIMEOUT)).expect("a valid Ripio client configuration")
}

fn ripio_authorized(prefer: Option<&str>) -> ripio::Client {
    let mut config = ClientConfig::new(ripio_url()).auth(BearerToken::new("contract-test-token"));
    if let Some(prefer) = prefer {
        config = config.http_client(preferring(prefer));
    }
    ripio_client(config)
}

fn check_kyc() -> ripio::operations::CheckKycAndSendOtp {
    ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().expect("a valid uuid"),
    }
}

fn fonbnk_client(config: ClientConfig) -> fonbnk::Client {
    fonbnk::Client::new(config.timeout(TIMEOUT)).expect("a valid Fonbnk client configuration")
}

fn fonbnk_signed(prefer: Option<&str>) -> fonbnk::Client {
    let signer = fonbnk::signer("contract-test-client", FONBNK_SECRET).expect("a valid secret");
    let mut config = ClientConfig::new(fonbnk_url()).auth(signer);
    if let Some(prefer) = prefer {
        config = config.http_client(preferring(prefer));
    }
    fonbnk_client(config)
}

fn kyc_state() -> fonbnk::operations::GetKycState {
    fonbnk::operations::GetKycState {
        email: Some("user+contract@example.com".to_string()),
        ..Default::default()
    }
}

/// A raw request outside the generated client, for the negative tests.
async fn raw(method: http::Method, url: String, headers: &[(&str, &str)]) -> StatusCode {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("builds a reqwest client");
    let mut request = client.request(method, &url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    response.status()
}

// ---- Ripio: POST /api/v1/customers/{customerId}/checkKyc/ (bearer token) ----

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn ripio_check_kyc_and_send_otp_returns_the_documented_success() {
    let sent = ripio_authorized(None)
        .check_kyc_and_send_otp(&check_kyc())
        .await
        .unwrap_or_else(|e| panic!("Prism refused or answered outside the spec: {e}"));
    // Static mocking answers with the schema's example.
    assert_eq!(sent.detail, "kyc approved. Otp sent");
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn ripio_check_kyc_decodes_responses_generated_from_the_schema() {
    let client = ripio_authorized(Some("dynamic=true"));
    for run in 0..DYNAMIC_RUNS {
        client
            .check_kyc_and_send_otp(&check_kyc())
            .await
            .unwrap_or_else(|e| panic!("generated response {run}: {e}"));
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn ripio_check_kyc_types_each_documented_error() {
    use ripio::operations::CheckKycAndSendOtpError as E;
    for code in [400_u16, 401, 404] {
        let client = ripio_authorized(Some(&format!("code={code}")));
        let error = client
            .check_kyc_and_send_otp(&check_kyc())
            .await
            .expect_err("Prism answers the preferred error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code), "{error}");
        let typed = error.api_error().unwrap_or_else(|| {
            panic!("{code}: a documented error must decode as a typed error, got {error}")
        });
        let matches = matches!(
            (code, typed),
            (400, E::BadRequest(_)) | (401, E::Unauthorized(_)) | (404, E::NotFound(_))
        );
        assert!(matches, "{code}: {typed:?}");
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn ripio_refuses_what_the_spec_does_not_allow() {
    // No credentials: Prism's security validation answers 401, which the spec documents.
    let error = ripio_client(ClientConfig::new(ripio_url()))
        .check_kyc_and_send_otp(&check_kyc())
        .await
        .expect_err("a request without a bearer token must be refused");
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED), "{error}");
    assert!(
        matches!(
            error.api_error(),
            Some(ripio::operations::CheckKycAndSendOtpError::Unauthorized(_))
        ),
        "{error}"
    );

    let bearer = [("authorization", "Bearer contract-test-token")];
    // A customer id that is not a uuid violates the path parameter's schema.
    let url = format!("{}/api/v1/customers/not-a-uuid/checkKyc/", ripio_url());
    let status = raw(http::Method::POST, url, &bearer).await;
    assert!(
        status.is_client_error(),
        "a non-uuid customer id must be refused, got {status}"
    );
    // A path the spec does not have.
    let url = format!("{}/api/v1/customers/{CUSTOMER}/checkKyc/nope/", ripio_url());
    let status = raw(http::Method::POST, url, &bearer).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown path");
    // A method the spec does not have on that path.
    let url = format!("{}/api/v1/customers/{CUSTOMER}/checkKyc/", ripio_url());
    let status = raw(http::Method::GET, url, &bearer).await;
    assert!(
        status.is_client_error(),
        "an undocumented method must be refused, got {status}"
    );
}

// ---- Fonbnk: GET /api/kyc/state (HMAC-signed headers) ----

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn fonbnk_get_kyc_state_returns_the_documented_success() {
    let state = fonbnk_signed(None)
        .get_kyc_state(&kyc_state())
        .await
        .unwrap_or_else(|e| panic!("Prism refused or answered outside the spec: {e}"));
    // Static mocking answers with the schema's example (added by specs/fonbnk.overlay.yaml).
    assert_eq!(state.kyc_status, Some(fonbnk::types::KycStatus::Approved));
    assert_eq!(state.passed_kyc, Some(true));
    let documents = state
        .document_types
        .expect("the example lists document types");
    let fields = documents[0]
        .required_fields
        .as_ref()
        .expect("the example's document has required fields");
    assert!(fields.contains_key("first_name"), "{fields:?}");
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn fonbnk_get_kyc_state_decodes_responses_generated_from_the_schema() {
    let client = fonbnk_signed(Some("dynamic=true"));
    for run in 0..DYNAMIC_RUNS {
        client
            .get_kyc_state(&kyc_state())
            .await
            .unwrap_or_else(|e| panic!("generated response {run}: {e}"));
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn fonbnk_refuses_what_the_spec_does_not_allow() {
    // Unsigned: Prism's security validation answers 401, which the spec does not document.
    let error = fonbnk_client(ClientConfig::new(fonbnk_url()))
        .get_kyc_state(&kyc_state())
        .await
        .expect_err("an unsigned request must be refused");
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED), "{error}");
    assert!(
        matches!(error, runtime::Error::UnexpectedStatus { .. }),
        "{error}"
    );

    let signed = [
        ("x-client-id", "contract-test-client"),
        ("x-timestamp", "1700000000000"),
        ("x-signature", "c2lnbmF0dXJl"),
    ];
    // Only one of the three signing headers: the merged requirement needs all of them.
    let url = format!("{}/api/kyc/state?email=a%40b.c", fonbnk_url());
    let status = raw(http::Method::GET, url, &signed[..1]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a partly signed request");
    // A path the spec does not have.
    let url = format!("{}/api/kyc/states?email=a%40b.c", fonbnk_url());
    let status = raw(http::Method::GET, url, &signed).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown path");
}
