//! Every documented operation of both providers over HTTP, against a loopback server (wiremock)
//! that answers only a request carrying exactly the expected method, path, query, credentials
//! (Ripio's bearer token; Fonbnk's client id and a signature it recomputes) and body: each
//! operation's documented success, each documented error, and an undocumented status.
//!
//! The answers are built from the repaired spec: the documented example where there is one,
//! else a value of the documented schema (`sample`); a success must decode and serialize back to
//! the same JSON.

mod e2e_support;
mod fakes;

use std::fmt::Debug;

use e2e_support::{config, repaired_spec, EmptyBody, RawQuery};
use generated_client::runtime::{BearerToken, Error, ErrorKind, Operation, RetryPolicy, Transport};
use generated_client::{fonbnk, ripio};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "e2e-token-0123456789";
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";

#[derive(Clone, Copy)]
enum Provider {
    Ripio,
    Fonbnk,
}

impl Provider {
    fn spec(self) -> &'static str {
        match self {
            Provider::Ripio => "specs/ripio.yaml",
            Provider::Fonbnk => "specs/fonbnk.json",
        }
    }

    fn transport(self, server: &MockServer) -> Transport {
        // Each request is matched exactly once, the undocumented 503 too; what is retried is
        // tested in the runtime (`transport_retry_tests.rs`).
        let config = config(server).retry(RetryPolicy::none());
        let config = match self {
            Provider::Ripio => config.auth(BearerToken::new(TOKEN)),
            Provider::Fonbnk => config.auth(
                fonbnk::signer(fakes::fonbnk::CLIENT_ID, fakes::fonbnk::SECRET)
                    .expect("a valid secret"),
            ),
        };
        Transport::new(config).expect("valid config")
    }
}

/// Fonbnk's signature, recomputed by the server's side.
struct Signed;

impl Match for Signed {
    fn matches(&self, request: &Request) -> bool {
        fakes::fonbnk::signed(request)
    }
}

/// What the request must be on the wire.
struct Wire {
    method: &'static str,
    /// The spec's path template (to find the operation's documented responses).
    template: &'static str,
    path: String,
    query: Option<&'static str>,
    body: Body,
}

enum Body {
    None,
    Json(Value),
    Form(&'static str),
}

fn from<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).expect("the test's input fits the generated type")
}

/// A value of `schema`: its example, else one built from its type (every property, one item).
fn sample(spec: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    if let Some(target) = schema["$ref"].as_str() {
        let resolved = spec.pointer(target.trim_start_matches('#')).cloned();
        return sample(spec, &resolved.unwrap_or(Value::Null), depth + 1);
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    for union in ["oneOf", "anyOf"] {
        if let Some(first) = schema[union].as_array().and_then(|v| v.first()) {
            return sample(spec, first, depth + 1);
        }
    }
    if let Some(members) = schema["allOf"].as_array() {
        if let [only] = members.as_slice() {
            return sample(spec, only, depth + 1);
        }
        let mut merged = Map::new();
        for member in members {
            if let Value::Object(part) = sample(spec, member, depth + 1) {
                merged.extend(part);
            }
        }
        return Value::Object(merged);
    }
    match schema["type"].as_str() {
        Some("array") => json!([sample(spec, &schema["items"], depth + 1)]),
        Some("integer") => json!(7),
        Some("number") => json!(2.5),
        Some("boolean") => json!(true),
        Some("string") => match schema["format"].as_str() {
            Some("uuid") => json!(CUSTOMER),
            Some("date-time") => json!("2024-04-10T18:17:07Z"),
            Some("date") => json!("2024-04-10"),
            _ => json!("text"),
        },
        _ => {
            let mut object = Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                object.insert(name.clone(), sample(spec, property, depth + 1));
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                object.insert("extraKey".into(), sample(spec, extra, depth + 1));
            }
            Value::Object(object)
        }
    }
}

/// Numbers as `f64` and `null` properties as absent (see examples_roundtrip.rs).
fn comparable(value: &Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), |f| json!(f)),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Mounts the one answer `response` behind matchers for everything the request must carry.
async fn mount(server: &MockServer, provider: Provider, wire: &Wire, response: ResponseTemplate) {
    server.reset().await;
    let mock = Mock::given(method(wire.method))
        .and(path(wire.path.as_str()))
        .and(RawQuery(wire.query));
    let mock = match provider {
        Provider::Ripio => mock.and(header("authorization", format!("Bearer {TOKEN}").as_str())),
        Provider::Fonbnk => mock
            .and(header("x-client-id", fakes::fonbnk::CLIENT_ID))
            .and(Signed),
    };
    let mock = match &wire.body {
        Body::None => mock.and(EmptyBody),
        Body::Json(body) => mock
            .and(header("content-type", "application/json"))
            .and(body_json(body)),
        Body::Form(form) => mock
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string(*form)),
    };
    mock.respond_with(response).expect(1).mount(server).await;
}

/// Runs `request` against each documented status of its operation and an undocumented one.
async fn exercise<O>(provider: Provider, request: O, wire: Wire)
where
    O: Operation + Debug,
    O::Output: Serialize + Debug,
    O::Error: Debug,
{
    let spec = repaired_spec(provider.spec());
    let escaped = wire.template.replace('~', "~0").replace('/', "~1");
    let pointer = format!("/paths/{escaped}/{}", wire.method.to_ascii_lowercase());
    let operation = spec
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("the spec has no {} {}", wire.method, wire.template));
    let responses = operation["responses"].as_object().expect("responses");
    assert!(
        !responses.is_empty(),
        "{} {}: no responses",
        wire.method,
        wire.template
    );
    let server = MockServer::start().await;
    let transport = provider.transport(&server);
    let at = format!("{} {}", wire.method, wire.path);

    for (status, response) in responses {
        let code: u16 = status.parse().expect("a numeric status");
        let schema = &response["content"]["application/json"]["schema"];
        let body = if schema.is_null() {
            None
        } else {
            let media = &response["content"]["application/json"];
            Some(match media.get("example") {
                Some(example) => example.clone(),
                None => sample(&spec, schema, 0),
            })
        };
        let answer = match &body {
            Some(body) => ResponseTemplate::new(code).set_body_json(body),
            None => ResponseTemplate::new(code),
        };
        mount(&server, provider, &wire, answer).await;
        let result = transport.execute(&request).await;
        if (200..300).contains(&code) {
            let output = match result {
                Ok(output) => output,
                Err(error) => {
                    let received = server.received_requests().await.unwrap_or_default();
                    let received: Vec<String> =
                        received.iter().map(|r| r.url.to_string()).collect();
                    panic!("{at} {code}: expected success, got {error:?}; the server received {received:?}")
                }
            };
            if let Some(body) = &body {
                let back = serde_json::to_value(&output).expect("the output serializes");
                assert_eq!(
                    comparable(&back),
                    comparable(body),
                    "{at} {code}: the success does not round-trip"
                );
            }
        } else {
            match result {
                Err(error)
                    if error.api_error().is_some()
                        && error.status().map(|s| s.as_u16()) == Some(code) => {}
                other => panic!("{at}: expected the documented error {code}, got {other:?}"),
            }
        }
        server.verify().await;
    }

    mount(
        &server,
        provider,
        &wire,
        ResponseTemplate::new(503).set_body_string("maintenance"),
    )
    .await;
    let result = transport.execute(&request).await;
    match result.as_ref().map_err(Error::kind) {
        Err(ErrorKind::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 503, "{at}");
            assert_eq!(&body[..], b"maintenance", "{at}");
        }
        other => panic!("{at}: expected an unexpected status, got {other:?}"),
    }
    server.verify().await;
}

fn customer() -> ripio::operations::CheckKycAndSendOtp {
    ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().unwrap(),
    }
}

fn get(template: &'static str, path: &str, query: Option<&'static str>) -> Wire {
    Wire {
        method: "GET",
        template,
        path: path.to_string(),
        query,
        body: Body::None,
    }
}

fn post(template: &'static str, path: &str, body: Body) -> Wire {
    Wire {
        method: "POST",
        template,
        path: path.to_string(),
        query: None,
        body,
    }
}

fn customer_path(rest: &str) -> String {
    format!("/api/v1/customers/{CUSTOMER}/{rest}")
}

// ------------------------------------------------------------------------------------------
// Ripio: 24 operations
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn ripio_check_kyc_and_send_otp() {
    let wire = post(
        "/api/v1/customers/{customerId}/checkKyc/",
        &customer_path("checkKyc/"),
        Body::None,
    );
    exercise(Provider::Ripio, customer(), wire).await;
}

/// The spec secures the token endpoint with HTTP Basic client credentials; the generated client
/// sends its one configured `Auth` (here the bearer token) with every operation, since
/// per-operation security schemes are not modelled: `runtime::ClientCredentials` is how a client
/// exchanges its credentials (tests/e2e_ripio.rs).
#[tokio::test]
async fn ripio_acquire_access_token() {
    let request = ripio::operations::AcquireAccessToken {
        body: from(&json!({"grant_type": "client_credentials"})),
    };
    let wire = post(
        "/oauth2/token/",
        "/oauth2/token/",
        Body::Form("grant_type=client_credentials"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_accept_terms_and_conditions() {
    let body = json!({"termsId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "ipAddress": "192.168.1.100", "userAgent": "Mozilla/5.0"});
    let request = ripio::operations::AcceptTermsAndConditions {
        customer_id: CUSTOMER.parse().unwrap(),
        body: from(&body),
    };
    let wire = post(
        "/api/v1/customers/{customerId}/acceptTerms/",
        &customer_path("acceptTerms/"),
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_create_customer() {
    let body = json!({"email": "individual@mail.com", "type": "INDIVIDUAL"});
    let request = ripio::operations::CreateCustomer { body: from(&body) };
    let wire = post("/api/v1/customers/", "/api/v1/customers/", Body::Json(body));
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_deactivate_customer() {
    let request = ripio::operations::DeactivateCustomer {
        customer_id: CUSTOMER.parse().unwrap(),
    };
    let wire = post(
        "/api/v1/customers/{customerId}/deactivate/",
        &customer_path("deactivate/"),
        Body::None,
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_confirm_fiat_account() {
    let id = "a1b2c3d4-5678-4abc-8ef0-123456789abc";
    let request = ripio::operations::ConfirmFiatAccount {
        fiat_account_id: id.parse().unwrap(),
    };
    let wire = post(
        "/api/v1/fiatAccounts/{fiatAccountId}/confirm/",
        &format!("/api/v1/fiatAccounts/{id}/confirm/"),
        Body::None,
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_create_fiat_account() {
    let body = json!({"customerId": CUSTOMER, "paymentMethodType": "bank_transfer",
                      "accountFields": {"alias_or_cvu_destination": "0100000000000000000001"}});
    let request = ripio::operations::CreateFiatAccount { body: from(&body) };
    let wire = post(
        "/api/v1/fiatAccounts/",
        "/api/v1/fiatAccounts/",
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_retrieve_fiat_account_requirements() {
    let request = ripio::operations::RetrieveFiatAccountRequirements {
        payment_method: "bank transfer".to_string(),
    };
    let wire = get(
        "/api/v1/fiatAccounts/requirements/",
        "/api/v1/fiatAccounts/requirements/",
        Some("paymentMethod=bank+transfer"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_retrieve_kyc_requirements() {
    let wire = get("/api/v1/kycRequirements/", "/api/v1/kycRequirements/", None);
    exercise(
        Provider::Ripio,
        ripio::operations::RetrieveKycRequirements::default(),
        wire,
    )
    .await;
}

#[tokio::test]
async fn ripio_retrieve_latest_kyc_submission() {
    let request = ripio::operations::RetrieveLatestKycSubmission {
        customer_id: CUSTOMER.parse().unwrap(),
    };
    let wire = get(
        "/api/v1/customers/{customerId}/kycSubmissions/",
        &customer_path("kycSubmissions/"),
        None,
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_submit_kyc_information() {
    let body = json!({"legalFirstName": "John", "lastName": "Doe", "dateOfBirth": "1980-01-01", "idNumber": "12345678"});
    let request = ripio::operations::SubmitKycInformation {
        customer_id: CUSTOMER.parse().unwrap(),
        body: from(&body),
    };
    let wire = post(
        "/api/v1/customers/{customerId}/kyc/",
        &customer_path("kyc/"),
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_validate_otp_for_kyc_reuse() {
    let body = json!({"code": "123456"});
    let request = ripio::operations::ValidateOtpForKycReuse {
        customer_id: CUSTOMER.parse().unwrap(),
        body: from(&body),
    };
    let wire = post(
        "/api/v1/customers/{customerId}/otp/",
        &customer_path("otp/"),
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_list_off_ramp_orders() {
    let request = ripio::operations::ListOffRampOrders {
        start_date: Some("2024-01-01T00:00:00Z".into()),
        end_date: None,
        limit: Some(20),
        offset: Some(40),
    };
    let wire = get(
        "/api/v1/offramp/",
        "/api/v1/offramp/",
        Some("startDate=2024-01-01T00%3A00%3A00Z&limit=20&offset=40"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_create_on_ramp_order() {
    let body = json!({"customerId": CUSTOMER, "quoteId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                      "depositAddress": "0x4e88BBeFF059BDDF5BF90ee0816E86eDf4214b32",
                      "externalRef": "e6c4f1ec-899f-43b5-8479-c2529e3f9c70"});
    let request = ripio::operations::CreateOnRampOrder { body: from(&body) };
    let wire = post("/api/v1/onramp/", "/api/v1/onramp/", Body::Json(body));
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_create_on_ramp_session() {
    let body = json!({"customerId": CUSTOMER, "paymentMethodType": "bank_transfer",
                      "chain": "ETHEREUM_SEPOLIA", "currency": "RTEST",
                      "depositAddress": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e"});
    let request = ripio::operations::CreateOnRampSession { body: from(&body) };
    let wire = post(
        "/api/v1/onrampSession/",
        "/api/v1/onrampSession/",
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_list_on_ramp_sessions() {
    let request = ripio::operations::ListOnRampSessions {
        limit: Some(5),
        offset: None,
    };
    let wire = get(
        "/api/v1/onrampSession/",
        "/api/v1/onrampSession/",
        Some("limit=5"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_retrieve_on_ramp_session() {
    let id = "fca6d32f-2f7e-4f7e-b224-8be0b92fa3f1";
    let request = ripio::operations::RetrieveOnRampSession {
        session_id: id.parse().unwrap(),
    };
    let wire = get(
        "/api/v1/onrampSession/{sessionId}/",
        &format!("/api/v1/onrampSession/{id}/"),
        None,
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_create_quote() {
    let body = json!({"fromCurrency": "ARS", "toCurrency": "USDC", "fromAmount": "1500",
                      "chain": "ETHEREUM_SEPOLIA", "paymentMethodType": "pix"});
    let request = ripio::operations::CreateQuote { body: from(&body) };
    let wire = post("/api/v1/quotes/", "/api/v1/quotes/", Body::Json(body));
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_get_market_rates() {
    let wire = get("/api/v1/rates/", "/api/v1/rates/", None);
    exercise(
        Provider::Ripio,
        ripio::operations::GetMarketRates::default(),
        wire,
    )
    .await;
}

#[tokio::test]
async fn ripio_simulate_deposit() {
    let body = json!({"paymentMethodType": "bank_transfer", "amount": 2100.0, "alias_or_cvu": "1573308578877835214906"});
    let request = ripio::operations::SimulateDeposit { body: from(&body) };
    let wire = post(
        "/api/v1/simulateDeposit/",
        "/api/v1/simulateDeposit/",
        Body::Json(body),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_get_terms_acceptance_status() {
    let request = ripio::operations::GetTermsAcceptanceStatus {
        customer_id: CUSTOMER.parse().unwrap(),
    };
    let wire = get(
        "/api/v1/customers/{customerId}/termsAcceptance/",
        &customer_path("termsAcceptance/"),
        None,
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_get_terms_and_conditions() {
    let wire = get(
        "/api/v1/termsAndConditions/",
        "/api/v1/termsAndConditions/",
        None,
    );
    exercise(
        Provider::Ripio,
        ripio::operations::GetTermsAndConditions::default(),
        wire,
    )
    .await;
}

#[tokio::test]
async fn ripio_list_all_orders() {
    let request = ripio::operations::ListAllOrders {
        r#type: Some(from(&json!("ONRAMP"))),
        status: None,
        limit: Some(10),
        offset: Some(0),
    };
    let wire = get(
        "/api/v1/transactions/",
        "/api/v1/transactions/",
        Some("type=ONRAMP&limit=10&offset=0"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

#[tokio::test]
async fn ripio_list_customer_on_ramp_transactions() {
    let request = ripio::operations::ListCustomerOnRampTransactions {
        customer_id: CUSTOMER.parse().unwrap(),
        limit: None,
        offset: Some(2),
    };
    let wire = get(
        "/api/v1/customers/{customerId}/transactions/onramp/",
        &customer_path("transactions/onramp/"),
        Some("offset=2"),
    );
    exercise(Provider::Ripio, request, wire).await;
}

// ------------------------------------------------------------------------------------------
// Fonbnk: 10 operations
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn fonbnk_get_kyc_state() {
    let request = fonbnk::operations::GetKycState {
        phone_number: Some("+2348012345678".into()),
        email: None,
    };
    let wire = get(
        "/api/kyc/state",
        "/api/kyc/state",
        Some("phoneNumber=%2B2348012345678"),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_submit_kyc() {
    let body = json!({"phone": "+2348012345678", "idType": "national_id"});
    let request = fonbnk::operations::SubmitKyc { body: from(&body) };
    exercise(
        Provider::Fonbnk,
        request,
        post("/api/kyc/submit", "/api/kyc/submit", Body::Json(body)),
    )
    .await;
}

#[tokio::test]
async fn fonbnk_confirm_offramp_order() {
    let body = json!({"orderId": "order-1", "hash": "0xabc"});
    let request = fonbnk::operations::ConfirmOfframpOrder { body: from(&body) };
    let wire = post(
        "/api/offramp/confirm-order",
        "/api/offramp/confirm-order",
        Body::Json(body),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_create_offramp_order() {
    let body = json!({"offerId": "offer-1", "paymentType": "CRYPTO_WALLET", "network": "POLYGON",
                      "asset": "USDC", "address": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e",
                      "currency": "crypto", "amount": 10.0,
                      "requiredFields": {"bank_code": "044"}});
    let request = fonbnk::operations::CreateOfframpOrder { body: from(&body) };
    let wire = post(
        "/api/offramp/create-order",
        "/api/offramp/create-order",
        Body::Json(body),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_get_offramp_best_offer() {
    let request = fonbnk::operations::GetOfframpBestOffer {
        amount: 10.5,
        currency: from(&json!("crypto")),
        country_iso_code: "NG".into(),
        payment_channel: from(&json!("bank")),
        network: from(&json!("POLYGON")),
        asset: from(&json!("USDC")),
        carrier_id: None,
    };
    let wire = get(
        "/api/offramp/best-offer",
        "/api/offramp/best-offer",
        Some("amount=10.5&currency=crypto&countryIsoCode=NG&paymentChannel=bank&network=POLYGON&asset=USDC"),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_get_offramp_order() {
    let request = fonbnk::operations::GetOfframpOrder {
        id: "order 1/2".into(),
    };
    let wire = get(
        "/api/offramp/order/{id}",
        "/api/offramp/order/order%201%2F2",
        None,
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_get_offramp_orders() {
    let request = fonbnk::operations::GetOfframpOrders {
        cursor: Some("c1".into()),
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
        status: Some(from(&json!("expired"))),
    };
    let wire = get(
        "/api/offramp/orders",
        "/api/offramp/orders",
        Some("cursor=c1&limit=2&status=expired"),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_validate_offramp_fields() {
    let body = json!({"offerId": "offer-1", "requiredFields": {"account_number": "0123456789"}});
    let request = fonbnk::operations::ValidateOfframpFields { body: from(&body) };
    let wire = post(
        "/api/offramp/validate-fields",
        "/api/offramp/validate-fields",
        Body::Json(body),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_get_onramp_best_offer() {
    let request = fonbnk::operations::GetOnrampBestOffer {
        network: from(&json!("CELO")),
        asset: from(&json!("CUSD")),
        currency: from(&json!("local")),
        amount: 1000.0,
        country_iso_code: "KE".into(),
        payment_channel: from(&json!("mobile_money")),
        carrier_id: None,
        include_required_fields: Some(true),
    };
    let wire = get(
        "/api/onramp/best-offer",
        "/api/onramp/best-offer",
        Some("network=CELO&asset=CUSD&currency=local&amount=1000.0&countryIsoCode=KE&paymentChannel=mobile_money&includeRequiredFields=true"),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

#[tokio::test]
async fn fonbnk_check_address() {
    let body = json!({"address": "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e"});
    let request = fonbnk::operations::CheckAddress { body: from(&body) };
    let wire = post(
        "/api/util/check-address",
        "/api/util/check-address",
        Body::Json(body),
    );
    exercise(Provider::Fonbnk, request, wire).await;
}

/// The operations the tests above exercise, by provider: every operation the specs document.
const COVERED: &[(&str, &[&str])] = &[
    (
        "specs/ripio.yaml",
        &[
            "checkKycAndSendOtp",
            "acquireAccessToken",
            "acceptTermsAndConditions",
            "createCustomer",
            "deactivateCustomer",
            "confirmFiatAccount",
            "createFiatAccount",
            "retrieveFiatAccountRequirements",
            "retrieveKycRequirements",
            "retrieveLatestKycSubmission",
            "submitKycInformation",
            "validateOtpForKycReuse",
            "listOffRampOrders",
            "createOnRampOrder",
            "createOnRampSession",
            "listOnRampSessions",
            "retrieveOnRampSession",
            "createQuote",
            "getMarketRates",
            "simulateDeposit",
            "getTermsAcceptanceStatus",
            "getTermsAndConditions",
            "listAllOrders",
            "listCustomerOnRampTransactions",
        ],
    ),
    (
        "specs/fonbnk.json",
        &[
            "getKycState",
            "submitKyc",
            "confirmOfframpOrder",
            "createOfframpOrder",
            "getOfframpBestOffer",
            "getOfframpOrder",
            "getOfframpOrders",
            "validateOfframpFields",
            "getOnrampBestOffer",
            "checkAddress",
        ],
    ),
];

#[test]
fn every_documented_operation_is_exercised() {
    for (spec, covered) in COVERED {
        let files =
            xtask::SpecFiles::read(&xtask::workspace_root(), spec).expect("spec is readable");
        let (api, _) = codegen::lower_spec(files.spec(), files.overlay()).expect("spec lowers");
        let mut documented: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
        let mut covered = covered.to_vec();
        documented.sort_unstable();
        covered.sort_unstable();
        assert_eq!(documented, covered, "{spec}");
    }
    assert_eq!(COVERED[0].1.len(), 24);
    assert_eq!(COVERED[1].1.len(), 10);
}
