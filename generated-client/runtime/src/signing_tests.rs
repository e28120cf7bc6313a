//! Tests of [`super::HmacSigner`]: known-answer vectors, headers on built
//! requests and on the wire, each parameter of a scheme, and secrets kept out
//! of every message.

use http::{Method, StatusCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::{
    decode_empty, unexpected_status, ClientConfig, Error, ManualClock, Operation, RequestBuilder,
    RequestError, Transport,
};

/// base64 of the 32 bytes 0x00, 0x01, …, 0x1f.
const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const TIMESTAMP: u64 = 1_700_000_000_000;
const ENDPOINT: &str = "/api/kyc/state?email=user%40example.com";

/// Computed with Python's standard library, independently of this crate:
///
/// ```text
/// python3 -c 'import hmac,hashlib,base64; k=bytes(range(32)); print(base64.b64encode(hmac.new(k, b"1700000000000:/api/kyc/state?email=user%40example.com", hashlib.sha256).digest()).decode())'
/// ```
const EXPECTED_SIGNATURE: &str = "xwZ8SZifGzCrHMc+lM2lYA6WnIlSA6xBtkglj5xd2uY=";

/// The same, for the endpoint without its query:
///
/// ```text
/// python3 -c 'import hmac,hashlib,base64; k=bytes(range(32)); print(base64.b64encode(hmac.new(k, b"1700000000000:/api/kyc/state", hashlib.sha256).digest()).decode())'
/// ```
const EXPECTED_SIGNATURE_NO_QUERY: &str = "7iYVU4ektM0apB9x1PIc9+h+mE78b23n63lBd0X6wMk=";

/// `x-client-id`, `x-timestamp` in ms, `x-signature` = base64(HMAC-SHA256(base64-decoded
/// secret, "{timestamp}:{path?query}")).
const COLON_SCHEME: HmacScheme = HmacScheme {
    client_id_header: "x-client-id",
    timestamp_header: "x-timestamp",
    signature_header: "x-signature",
    key: KeyEncoding::Base64,
    timestamp: TimestampUnit::Milliseconds,
    message: &[
        SignedPart::Timestamp,
        SignedPart::Literal(":"),
        SignedPart::PathAndQuery,
    ],
    signature: SignatureEncoding::Base64,
};

fn signer() -> HmacSigner {
    HmacSigner::new(COLON_SCHEME, "client-1", SECRET)
        .unwrap()
        .clock(ManualClock::new(TIMESTAMP))
}

/// A `GET` of `endpoint` (a path and query as sent).
fn get(endpoint: &str) -> http::Request<Vec<u8>> {
    http::Request::get(format!("https://api.example.com{endpoint}"))
        .body(Vec::new())
        .unwrap()
}

/// The signature `signer` makes for a `GET` of `endpoint` at `timestamp`.
fn sign(signer: &HmacSigner, timestamp: u64, endpoint: &str) -> String {
    signer.sign(&get(endpoint), timestamp)
}

fn kyc_state_request(base_url: &str) -> http::Request<Vec<u8>> {
    RequestBuilder::new(Method::GET, base_url)
        .path("/api/kyc/state")
        .query("email", "user@example.com")
        .build()
        .unwrap()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

#[test]
fn sign_matches_the_python_known_answer() {
    assert_eq!(sign(&signer(), TIMESTAMP, ENDPOINT), EXPECTED_SIGNATURE);
    assert_eq!(
        sign(&signer(), TIMESTAMP, "/api/kyc/state"),
        EXPECTED_SIGNATURE_NO_QUERY
    );
}

#[test]
fn signature_changes_with_query_timestamp_and_key() {
    let base = sign(&signer(), TIMESTAMP, ENDPOINT);
    assert_ne!(
        sign(
            &signer(),
            TIMESTAMP,
            "/api/kyc/state?email=other%40example.com"
        ),
        base
    );
    assert_ne!(sign(&signer(), TIMESTAMP + 1, ENDPOINT), base);
    let other_key = HmacSigner::new(
        COLON_SCHEME,
        "client-1",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh4=",
    )
    .unwrap();
    assert_ne!(sign(&other_key, TIMESTAMP, ENDPOINT), base);
}

#[test]
fn authorize_sets_the_three_headers_on_a_built_request() {
    let mut request = kyc_state_request("https://api.example.com");
    assert_eq!(
        request.uri().path_and_query().map(|pq| pq.as_str()),
        Some(ENDPOINT)
    );
    let auth = signer();
    block_on(auth.authorize(&mut request)).unwrap();

    let headers = request.headers();
    assert_eq!(headers["x-client-id"], "client-1");
    assert_eq!(headers["x-timestamp"], "1700000000000");
    assert_eq!(headers["x-signature"], EXPECTED_SIGNATURE);
    assert!(headers["x-client-id"].is_sensitive());
    assert!(headers["x-signature"].is_sensitive());
    assert!(!auth.on_unauthorized(&http::HeaderMap::new()));
}

#[test]
fn authorize_signs_just_the_path_without_a_query() {
    let mut request = RequestBuilder::new(Method::GET, "https://api.example.com")
        .path("/api/kyc/state")
        .build()
        .unwrap();
    block_on(signer().authorize(&mut request)).unwrap();
    assert_eq!(
        request.headers()["x-signature"],
        EXPECTED_SIGNATURE_NO_QUERY
    );
}

#[test]
fn authorize_uses_the_clock_at_signing_time() {
    let clock = ManualClock::new(TIMESTAMP);
    let auth = HmacSigner::new(COLON_SCHEME, "client-1", SECRET)
        .unwrap()
        .clock(clock.clone());
    clock.advance(std::time::Duration::from_millis(5));
    let mut request = kyc_state_request("https://api.example.com");
    block_on(auth.authorize(&mut request)).unwrap();
    assert_eq!(request.headers()["x-timestamp"], "1700000000005");
    assert_eq!(
        request.headers()["x-signature"],
        sign(&auth, TIMESTAMP + 5, ENDPOINT).as_str()
    );
}

#[test]
fn padding_is_optional_and_outer_whitespace_ignored() {
    let unpadded = HmacSigner::new(COLON_SCHEME, "client-1", SECRET.trim_end_matches('=')).unwrap();
    assert_eq!(sign(&unpadded, TIMESTAMP, ENDPOINT), EXPECTED_SIGNATURE);
    let spaced = HmacSigner::new(COLON_SCHEME, "client-1", &format!("  {SECRET}\n")).unwrap();
    assert_eq!(sign(&spaced, TIMESTAMP, ENDPOINT), EXPECTED_SIGNATURE);
}

#[test]
fn invalid_secrets_are_refused_without_echoing_them() {
    for secret in [
        "zz-secret-not_base64", // URL-safe alphabet
        "zzsecret!!",           // not base64 at all
        "zzse cret",            // inner whitespace
        "zzsecret===",          // bad padding
        "zzsecreta",            // impossible length
        "",                     // empty
        "   ",                  // empty after trimming
    ] {
        let err = HmacSigner::new(COLON_SCHEME, "client-1", secret).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("client secret"), "{secret:?}: {shown}");
        if !secret.trim().is_empty() {
            assert!(!shown.contains(secret.trim()), "{shown}");
            assert!(!shown.contains("zz"), "{shown}");
        }
        assert!(std::error::Error::source(&err).is_none());
    }
}

#[test]
fn invalid_client_ids_are_refused() {
    let err = HmacSigner::new(COLON_SCHEME, "", SECRET).unwrap_err();
    assert!(err.to_string().contains("client id"), "{err}");
    let err = HmacSigner::new(COLON_SCHEME, "client\r\nx-evil: 1", SECRET).unwrap_err();
    assert!(err.to_string().contains("client id"), "{err}");
    assert!(!err.to_string().contains("evil"), "{err}");
}

#[test]
fn debug_never_shows_the_secret_or_key() {
    let shown = format!("{:?}", signer());
    assert!(shown.contains("client-1"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("AAECAwQF"), "{shown}");
    // No byte dump of the key (0, 1, 2, …) or of the keyed HMAC state.
    assert!(!shown.contains("[0, 1, 2"), "{shown}");
    assert!(!shown.to_lowercase().contains("hmac {"), "{shown}");
}

/// `GET /api/kyc/state?email=…`, with credentials; 200 → ().
struct KycState {
    email: String,
}

impl Operation for KycState {
    type Output = ();
    type Error = std::convert::Infallible;
    const AUTHENTICATED: bool = true;

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        RequestBuilder::new(Method::GET, base_url)
            .path("/api/kyc/state")
            .query("email", &self.email)
            .build()
    }

    fn decode_response(status: StatusCode, body: &[u8]) -> Result<(), Error<Self::Error>> {
        match status.as_u16() {
            200 => Ok(decode_empty(status, body)?),
            _ => Err(unexpected_status(status, body)),
        }
    }
}

#[tokio::test]
async fn signature_covers_the_endpoint_exactly_as_it_arrives() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/kyc/state"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(signer())).unwrap();

    transport
        .execute(&KycState {
            email: "a+b c/d@example.com?&=é".to_owned(),
        })
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    let on_the_wire = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    assert!(
        on_the_wire.starts_with("/api/kyc/state?email="),
        "{on_the_wire}"
    );
    let header = |name: &str| request.headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-client-id"), "client-1");
    assert_eq!(header("x-timestamp"), TIMESTAMP.to_string());
    assert_eq!(
        header("x-signature"),
        sign(&signer(), TIMESTAMP, &on_the_wire)
    );
}

#[tokio::test]
async fn a_401_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let transport = Transport::new(ClientConfig::new(server.uri()).auth(signer())).unwrap();
    let err = transport
        .execute(&KycState {
            email: "user@example.com".to_owned(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
}

#[test]
fn timestamps_are_written_in_full_decimal() {
    let mut request = kyc_state_request("https://api.example.com");
    let signer = HmacSigner::new(COLON_SCHEME, "client-1", SECRET)
        .unwrap()
        .clock(ManualClock::new(u64::MAX));
    block_on(signer.authorize(&mut request)).unwrap();
    assert_eq!(request.headers()["x-timestamp"], u64::MAX.to_string());
    assert_eq!(
        request.headers()["x-signature"],
        sign(&signer, u64::MAX, ENDPOINT)
    );
}

/// A scheme using every other choice: seconds, hex key and signature, method and body signed.
const HEX_SCHEME: HmacScheme = HmacScheme {
    client_id_header: "api-key",
    timestamp_header: "api-time",
    signature_header: "api-sign",
    key: KeyEncoding::Hex,
    timestamp: TimestampUnit::Seconds,
    message: &[
        SignedPart::Timestamp,
        SignedPart::Method,
        SignedPart::Path,
        SignedPart::Body,
    ],
    signature: SignatureEncoding::Hex,
};

/// `POST /v1/orders?x=1` with the body `{"a":1}`.
fn order_request() -> http::Request<Vec<u8>> {
    http::Request::post("https://api.example.com/v1/orders?x=1")
        .body(br#"{"a":1}"#.to_vec())
        .unwrap()
}

/// Computed with Python's standard library:
///
/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(bytes(range(32)), b"1700000000POST/v1/orders{\"a\":1}", hashlib.sha256).hexdigest())'
/// ```
const EXPECTED_HEX_SIGNATURE: &str =
    "8c7e2f68a8c0bd1a8985205a4275103b0887a207e6a691f0238a87b96fd416db";

#[test]
fn every_parameter_of_a_scheme_is_honoured() {
    let key_hex = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f";
    let signer = HmacSigner::new(HEX_SCHEME, "client-1", key_hex)
        .unwrap()
        .clock(ManualClock::new(TIMESTAMP));
    assert_eq!(
        signer.sign(&order_request(), TIMESTAMP),
        EXPECTED_HEX_SIGNATURE
    );

    let mut request = order_request();
    block_on(signer.authorize(&mut request)).unwrap();
    let headers = request.headers();
    assert_eq!(headers["api-key"], "client-1");
    assert_eq!(headers["api-time"], "1700000000");
    assert_eq!(headers["api-sign"], EXPECTED_HEX_SIGNATURE);
    assert!(headers.get("x-signature").is_none());

    // The same message with a base64 signature.
    let base64 = HmacScheme {
        signature: SignatureEncoding::Base64,
        ..HEX_SCHEME
    };
    let signer = HmacSigner::new(base64, "client-1", key_hex).unwrap();
    assert_eq!(
        signer.sign(&order_request(), TIMESTAMP),
        "jH4vaKjAvRqJhSBaQnUQOwiHogfmppHwI4qHuW/UFts="
    );
}

/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(b"raw-secret", b"client-1.1700000000000./v1/orders?x=1", hashlib.sha256).hexdigest())'
/// ```
#[test]
fn a_raw_key_and_the_client_id_in_the_message() {
    let scheme = HmacScheme {
        key: KeyEncoding::Raw,
        timestamp: TimestampUnit::Milliseconds,
        message: &[
            SignedPart::ClientId,
            SignedPart::Literal("."),
            SignedPart::Timestamp,
            SignedPart::Literal("."),
            SignedPart::PathAndQuery,
        ],
        ..HEX_SCHEME
    };
    let signer = HmacSigner::new(scheme, "client-1", "raw-secret").unwrap();
    assert_eq!(
        signer.sign(&order_request(), TIMESTAMP),
        "c5133622aa553e89d3d2b0bf39bc0ea4375e115e71a8749c194925f7b0f3c362"
    );
}

#[test]
fn invalid_hex_secrets_are_refused_without_echoing_them() {
    for secret in ["zz00", "abc", "0g", ""] {
        let err = HmacSigner::new(HEX_SCHEME, "client-1", secret).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("client secret"), "{secret:?}: {shown}");
        assert!(!shown.contains("zz"), "{shown}");
    }
}

#[test]
fn invalid_or_repeated_header_names_are_refused() {
    for scheme in [
        HmacScheme {
            signature_header: "x signature",
            ..COLON_SCHEME
        },
        HmacScheme {
            signature_header: "X-Signature",
            ..COLON_SCHEME
        },
        HmacScheme {
            timestamp_header: "x-client-id",
            ..COLON_SCHEME
        },
    ] {
        let err = HmacSigner::new(scheme, "client-1", SECRET).unwrap_err();
        assert!(err.to_string().contains("header"), "{err}");
    }
}
