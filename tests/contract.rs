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
        matches!(error.kind(), runtime::ErrorKind::UnexpectedStatus { .. }),
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

// ---- Every operation of both providers ----

/// A request value of a generated type, from JSON.
fn from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the test's input fits the generated type")
}

/// Sends `request` to Prism: the static answer must be a typed success, and each status of
/// `errors` (asked for with `Prefer: code=…`) a typed documented error.
async fn accepted<O>(
    transport: &dyn Fn(Option<&str>) -> runtime::Transport,
    request: O,
    errors: &[u16],
) where
    O: runtime::Operation + std::fmt::Debug,
    O::Output: std::fmt::Debug,
    O::Error: std::fmt::Debug,
{
    let at = format!("{request:?}");
    if let Err(error) = transport(None).execute(&request).await {
        panic!("{at}: Prism refused or answered outside the spec: {error}");
    }
    for code in errors {
        match transport(Some(&format!("code={code}")))
            .execute(&request)
            .await
        {
            Err(error)
                if error.api_error().is_some()
                    && error.status().map(|s| s.as_u16()) == Some(*code) => {}
            other => panic!("{at}: expected the documented {code}, got {other:?}"),
        }
    }
}

fn ripio_transport(prefer: Option<&str>) -> runtime::Transport {
    let mut config = ClientConfig::new(ripio_url())
        .auth(BearerToken::new("contract-test-token"))
        .timeout(TIMEOUT);
    if let Some(prefer) = prefer {
        config = config.http_client(preferring(prefer));
    }
    runtime::Transport::new(config).expect("a valid configuration")
}

fn fonbnk_transport(prefer: Option<&str>) -> runtime::Transport {
    let signer = fonbnk::signer("contract-test-client", FONBNK_SECRET).expect("a valid secret");
    let mut config = ClientConfig::new(fonbnk_url())
        .auth(signer)
        .timeout(TIMEOUT);
    if let Some(prefer) = prefer {
        config = config.http_client(preferring(prefer));
    }
    runtime::Transport::new(config).expect("a valid configuration")
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn every_ripio_operation_is_what_the_spec_describes() {
    use ripio::operations::*;
    use serde_json::json;
    let t = &ripio_transport;
    let customer_id: generated_client::runtime::uuid::Uuid = CUSTOMER.parse().unwrap();
    let uuid = |s: &str| -> generated_client::runtime::uuid::Uuid { s.parse().unwrap() };
    accepted(t, check_kyc(), &[400, 401, 404]).await;
    // The token endpoint takes HTTP Basic client credentials (its own security scheme), which
    // the runtime's `ClientCredentials` sends; the generated client sends one `Auth` for every
    // operation, so the exchange is checked through `ClientCredentials`.
    let credentials = generated_client::runtime::ClientCredentials::new(
        format!("{}/oauth2/token/", ripio_url()),
        "contract-client",
        "contract-secret",
    );
    credentials
        .token()
        .await
        .unwrap_or_else(|e| panic!("Prism refused the token exchange: {e}"));
    accepted(
        t,
        AcceptTermsAndConditions {
            customer_id,
            body: from(json!({"termsId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "ipAddress": "192.168.1.100"})),
        },
        &[400, 401, 404],
    )
    .await;
    accepted(
        t,
        CreateCustomer {
            body: from(json!({"email": "individual@mail.com", "type": "INDIVIDUAL"})),
        },
        &[400, 401],
    )
    .await;
    accepted(t, DeactivateCustomer { customer_id }, &[401, 404]).await;
    accepted(
        t,
        ConfirmFiatAccount {
            fiat_account_id: uuid("a1b2c3d4-5678-4abc-8ef0-123456789abc"),
        },
        &[400, 401, 404],
    )
    .await;
    accepted(
        t,
        CreateFiatAccount {
            body: from(json!({"customerId": CUSTOMER, "paymentMethodType": "bank_transfer",
                              "accountFields": {"alias_or_cvu_destination": "0100000000000000000001"}})),
        },
        &[400, 401],
    )
    .await;
    accepted(
        t,
        RetrieveFiatAccountRequirements {
            payment_method: "bank_transfer".into(),
        },
        &[401],
    )
    .await;
    accepted(t, RetrieveKycRequirements::default(), &[401]).await;
    accepted(t, RetrieveLatestKycSubmission { customer_id }, &[401, 404]).await;
    accepted(
        t,
        SubmitKycInformation {
            customer_id,
            body: from(json!({"legalFirstName": "John", "lastName": "Doe", "dateOfBirth": "1980-01-01", "idNumber": "12345678"})),
        },
        &[400, 401, 404],
    )
    .await;
    accepted(
        t,
        ValidateOtpForKycReuse {
            customer_id,
            body: from(json!({"code": "123456"})),
        },
        &[400, 401, 404],
    )
    .await;
    accepted(
        t,
        ListOffRampOrders {
            limit: Some(10),
            ..Default::default()
        },
        &[401],
    )
    .await;
    accepted(
        t,
        CreateOnRampOrder {
            body: from(
                json!({"customerId": CUSTOMER, "quoteId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                              "depositAddress": "0x4e88BBeFF059BDDF5BF90ee0816E86eDf4214b32",
                              "externalRef": "e6c4f1ec-899f-43b5-8479-c2529e3f9c70"}),
            ),
        },
        &[400, 401],
    )
    .await;
    accepted(
        t,
        CreateOnRampSession {
            body: from(
                json!({"customerId": CUSTOMER, "paymentMethodType": "bank_transfer",
                              "chain": "ETHEREUM_SEPOLIA", "currency": "RTEST",
                              "depositAddress": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e"}),
            ),
        },
        &[400, 401],
    )
    .await;
    accepted(
        t,
        ListOnRampSessions {
            limit: Some(5),
            offset: Some(0),
        },
        &[401],
    )
    .await;
    accepted(
        t,
        RetrieveOnRampSession {
            session_id: uuid("fca6d32f-2f7e-4f7e-b224-8be0b92fa3f1"),
        },
        &[401, 404],
    )
    .await;
    accepted(
        t,
        CreateQuote {
            body: from(
                json!({"fromCurrency": "ARS", "toCurrency": "USDC", "fromAmount": "1500",
                              "chain": "ETHEREUM_SEPOLIA", "paymentMethodType": "pix"}),
            ),
        },
        &[400, 401],
    )
    .await;
    accepted(t, GetMarketRates::default(), &[401]).await;
    accepted(
        t,
        SimulateDeposit {
            body: from(json!({"paymentMethodType": "bank_transfer", "amount": 2100})),
        },
        &[400, 401],
    )
    .await;
    accepted(t, GetTermsAcceptanceStatus { customer_id }, &[401, 404]).await;
    accepted(t, GetTermsAndConditions::default(), &[401]).await;
    accepted(
        t,
        ListAllOrders {
            limit: Some(10),
            ..Default::default()
        },
        &[401],
    )
    .await;
    accepted(
        t,
        ListCustomerOnRampTransactions {
            customer_id,
            limit: Some(10),
            offset: None,
        },
        &[401, 404],
    )
    .await;
}

#[tokio::test]
#[ignore = "needs a Prism mock server; run by `cargo xtask contract`"]
async fn every_fonbnk_operation_is_what_the_spec_describes() {
    use fonbnk::operations::*;
    use serde_json::json;
    let t = &fonbnk_transport;
    accepted(t, kyc_state(), &[]).await;
    accepted(
        t,
        SubmitKyc {
            body: from(json!({"phone": "+2348012345678", "idType": "national_id"})),
        },
        &[],
    )
    .await;
    accepted(
        t,
        ConfirmOfframpOrder {
            body: from(json!({"orderId": "order-1", "hash": "0xabc"})),
        },
        &[],
    )
    .await;
    accepted(
        t,
        CreateOfframpOrder {
            body: from(json!({"offerId": "offer-1", "paymentType": "CRYPTO_WALLET", "network": "POLYGON",
                              "asset": "USDC", "address": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e",
                              "currency": "crypto", "amount": 10.0})),
        },
        &[],
    )
    .await;
    accepted(
        t,
        GetOfframpBestOffer {
            amount: 10.0,
            currency: from(json!("crypto")),
            country_iso_code: "NG".into(),
            payment_channel: from(json!("bank")),
            network: from(json!("POLYGON")),
            asset: from(json!("USDC")),
            carrier_id: None,
        },
        &[],
    )
    .await;
    accepted(
        t,
        GetOfframpOrder {
            id: "order-1".into(),
        },
        &[],
    )
    .await;
    accepted(
        t,
        GetOfframpOrders {
            cursor: None,
            limit: 2,
            payment_type: None,
            network: None,
            asset: None,
            from_address: None,
            user_phone_number: None,
            hash: None,
            country_iso_code: None,
            offramp_type: None,
            order_params: None,
            status: None,
        },
        &[],
    )
    .await;
    accepted(
        t,
        ValidateOfframpFields {
            body: from(json!({"offerId": "offer-1"})),
        },
        &[],
    )
    .await;
    accepted(
        t,
        GetOnrampBestOffer {
            network: from(json!("CELO")),
            asset: from(json!("CUSD")),
            currency: from(json!("local")),
            amount: 1000.0,
            country_iso_code: "KE".into(),
            payment_channel: from(json!("mobile_money")),
            carrier_id: None,
            include_required_fields: None,
        },
        &[],
    )
    .await;
    accepted(
        t,
        CheckAddress {
            body: from(json!({"address": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e"})),
        },
        &[],
    )
    .await;
}
