//! Webhook deliveries through the generated `webhooks` modules, signed by independent
//! implementations.
//!
//! Ripio deliveries: serialized as Ripio documents its wire format (compact JSON, non-ASCII as
//! `\uXXXX`) and signed with Python's `hmac`/`hashlib`, by this script (`python3 ripio.py`):
//!
//! ```text
//! import hmac, hashlib, json
//! secret = b"ripio-webhook-test-secret"
//! for name, field, obj in EVENTS:   # the objects below, one per event type
//!     body = json.dumps({"eventType": name, "issueDatetime": "2026-03-12T14:22:22.508Z", field: obj},
//!                       separators=(",", ":"), ensure_ascii=True).encode()
//!     print(body.decode(), "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest())
//! ```
//!
//! Fonbnk deliveries: built and hashed with Node.js's `JSON.stringify` and `crypto`
//! (`node fonbnk.js`):
//!
//! ```text
//! const { createHash } = require('crypto');
//! const secret = 'fonbnk-webhook-test-secret';
//! const sign = (data) => createHash('sha256').update(JSON.stringify(data))
//!   .update(createHash('sha256').update(secret, 'utf8').digest('hex')).digest('hex');
//! const body = {data, hash: sign(data)};
//! console.log(JSON.stringify(body));            // *_COMPACT
//! console.log(JSON.stringify(body, null, 2));   // *_PRETTY
//! ```

use generated_client::runtime::http::{HeaderMap, HeaderName, HeaderValue};
use generated_client::runtime::WebhookError;
use generated_client::{fonbnk, ripio};

const RIPIO_SECRET: &[u8] = b"ripio-webhook-test-secret";
const FONBNK_SECRET: &[u8] = b"fonbnk-webhook-test-secret";

/// One delivery per documented Ripio event type, then one of a type the guides do not list
/// (`ON-RAMP.WITHDRAWAL.COMPLETED`): `(body, x-wh-signature-256)`.
const RIPIO_DELIVERIES: &[(&str, &str)] = &[
    (
        r#"{"eventType":"ON-RAMP.DEPOSIT.RECEIVED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"21d8a046-3221-4b43-a301-0f9adcdd9a45","createdAt":"2026-03-12T14:22:22.544453Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"ARS","toCurrency":"USDC","amount":"15000.00","chain":"ETHEREUM_SEPOLIA","metadata":{},"txnHash":null,"paymentMethodType":"wire","depositAddress":"0x1234567890abcdef1234567890abcdef12345678","status":"DEPOSIT_RECEIVED","externalRef":"order-42"}}"#,
        "sha256=ef6ad7528902b571ca37f4f71621784c383a511c8a567aabff9d787c6628bdb8",
    ),
    (
        r#"{"eventType":"ON-RAMP.TRADE.COMPLETED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"21d8a046-3221-4b43-a301-0f9adcdd9a45","createdAt":"2026-03-12T14:22:22.544453Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"ARS","toCurrency":"USDC","amount":"15000.00","chain":"ETHEREUM_SEPOLIA","metadata":{},"txnHash":null,"paymentMethodType":"wire","depositAddress":"0x1234567890abcdef1234567890abcdef12345678","status":"DEPOSIT_RECEIVED","externalRef":"order-42"}}"#,
        "sha256=245ceddd701591e7b3ebfe709c2c2f662fc09480689e99273a697fc28ef3c2b2",
    ),
    (
        r#"{"eventType":"ON-RAMP.WITHDRAWAL.PROCESSING","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"21d8a046-3221-4b43-a301-0f9adcdd9a45","createdAt":"2026-03-12T14:22:22.544453Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"ARS","toCurrency":"USDC","amount":"15000.00","chain":"ETHEREUM_SEPOLIA","metadata":{},"txnHash":null,"paymentMethodType":"wire","depositAddress":"0x1234567890abcdef1234567890abcdef12345678","status":"DEPOSIT_RECEIVED","externalRef":"order-42"}}"#,
        "sha256=b9dbcba43f3745c7c5526f4f61fae4100f33ed285d9a7edd4d44517e5cd32b8b",
    ),
    (
        r#"{"eventType":"OFF-RAMP.DEPOSIT.RECEIVED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"5e0c3a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6","createdAt":"2026-03-12T15:00:00Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"USDC","toCurrency":"ARS","amount":"10.5","chain":"ETHEREUM","status":"TRADE_COMPLETED","txnHash":"0xabc","depositNetworkFee":"0.01"}}"#,
        "sha256=74349aeec2fcb5dc69968b8d2ee688e5a53bcf2033da586c7f09a2b068ec89ff",
    ),
    (
        r#"{"eventType":"OFF-RAMP.TRADE.COMPLETED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"5e0c3a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6","createdAt":"2026-03-12T15:00:00Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"USDC","toCurrency":"ARS","amount":"10.5","chain":"ETHEREUM","status":"TRADE_COMPLETED","txnHash":"0xabc","depositNetworkFee":"0.01"}}"#,
        "sha256=ac4a35d0b806391edb19cb87e906dd27916b289da7864c3de6ae214cefb91afc",
    ),
    (
        r#"{"eventType":"OFF-RAMP.WITHDRAWAL.PROCESSING","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"5e0c3a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6","createdAt":"2026-03-12T15:00:00Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"USDC","toCurrency":"ARS","amount":"10.5","chain":"ETHEREUM","status":"TRADE_COMPLETED","txnHash":"0xabc","depositNetworkFee":"0.01"}}"#,
        "sha256=672e33201a840025fbcf2dca97f116f7bee674a5625a40a0496f982824795464",
    ),
    (
        r#"{"eventType":"OFF-RAMP.WITHDRAWAL.COMPLETED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"5e0c3a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6","createdAt":"2026-03-12T15:00:00Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"USDC","toCurrency":"ARS","amount":"10.5","chain":"ETHEREUM","status":"TRADE_COMPLETED","txnHash":"0xabc","depositNetworkFee":"0.01"}}"#,
        "sha256=c7aad757efc2289167486edf9641a6af3c9737e9c22c7d2f3af8187485c72131",
    ),
    (
        r#"{"eventType":"SELL_AND_PAY.DEPOSIT.RECEIVED","issueDatetime":"2026-03-12T14:22:22.508Z","transaction":{"transactionId":"abc","merchant":"Caf\u00e9 \u00d1a\u00f1a"}}"#,
        "sha256=c5b0a754020bd0276d0ad7b0e7e25fffcbcb8675fddb9974baa546d16433338f",
    ),
    (
        r#"{"eventType":"SELL_AND_PAY.DEPOSIT.BLOCKED","issueDatetime":"2026-03-12T14:22:22.508Z","transaction":{"transactionId":"abc","reason":"compliance"}}"#,
        "sha256=ab27a9e5e86a77ca6192321eabf383bcc9df130ea8d12be5606107a1783ebbb2",
    ),
    (
        r#"{"eventType":"KYC.COMPLETED","issueDatetime":"2026-03-12T14:22:22.508Z","payload":{"submissionId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","createdAt":"2026-03-12T14:22:22.544453Z","source":"WIDGET","metadata":{"sessionId":"s-1","name":"Mar\u00eda Jos\u00e9 Pe\u00f1a \u2713"}}}"#,
        "sha256=527ed7ce9905157a3a2afd198ece2111d957c82c0badc610593628567b6f1c91",
    ),
    (
        r#"{"eventType":"ACCOUNT.CLOSED","issueDatetime":"2026-03-12T14:22:22.508Z","account":{"customerId":"7142b065-79c4-4f48-9e33-11b23b0689e2","isActive":false}}"#,
        "sha256=4308b07139a27b3edba6bed6c095b36e978a50f325405b2bff626f548fa46abb",
    ),
    (
        r#"{"eventType":"ON-RAMP.WITHDRAWAL.COMPLETED","issueDatetime":"2026-03-12T14:22:22.508Z","transactionObject":{"transactionId":"21d8a046-3221-4b43-a301-0f9adcdd9a45","createdAt":"2026-03-12T14:22:22.544453Z","customerId":"75c741a2-c3c8-46b1-a807-4fa1f4010026","quoteId":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","fromCurrency":"ARS","toCurrency":"USDC","amount":"15000.00","chain":"ETHEREUM_SEPOLIA","metadata":{},"txnHash":null,"paymentMethodType":"wire","depositAddress":"0x1234567890abcdef1234567890abcdef12345678","status":"DEPOSIT_RECEIVED","externalRef":"order-42"}}"#,
        "sha256=b06a848c6c37f039bde085893e6ac888d68ca76fff11fdd399adf9eb82b288fb",
    ),
];

const ONRAMP_COMPACT: &str = r#"{"data":{"status":"complete","date":"2025-10-03T08:57:03.247Z","orderId":"68df8fcb372f378356ef7568","email":"zoë.ñandú@example.com","localCurrencyAmount":15054,"localCurrencyIsoCode":"NGN","countryIsoCode":"NG","provider":"bank_transfer","amount":10.309547,"amountCrypto":10.000685,"network":"CELO","asset":"CUSD","address":"0x1234567890abcdef1234567890abcdef12345678","orderParams":"{\"ref\":\"a/b\",\"note\":\"naïve – ok\"}"},"hash":"a625f8c10bd26b97452239bc82bf5f129a7608791404d0179f7de0fcbf23c9e8"}"#;

const ONRAMP_PRETTY: &str = r#"{
  "data": {
    "status": "complete",
    "date": "2025-10-03T08:57:03.247Z",
    "orderId": "68df8fcb372f378356ef7568",
    "email": "zoë.ñandú@example.com",
    "localCurrencyAmount": 15054,
    "localCurrencyIsoCode": "NGN",
    "countryIsoCode": "NG",
    "provider": "bank_transfer",
    "amount": 10.309547,
    "amountCrypto": 10.000685,
    "network": "CELO",
    "asset": "CUSD",
    "address": "0x1234567890abcdef1234567890abcdef12345678",
    "orderParams": "{\"ref\":\"a/b\",\"note\":\"naïve – ok\"}"
  },
  "hash": "a625f8c10bd26b97452239bc82bf5f129a7608791404d0179f7de0fcbf23c9e8"
}"#;

const OFFRAMP_COMPACT: &str = r#"{"data":{"orderId":"68df9000372f378356ef7569","offrampType":"bank","status":"offramp_success","date":"2025-10-03T09:00:00.000Z","cashout":{"localCurrencyAmount":14603.5,"usdAmount":10,"feeAmountUsd":0.3,"feeAmountUsdFonbnk":0.30000000000000004,"feeAmountUsdPartner":1e-7,"feeAmountLocalCurrency":451.5,"feeAmountLocalCurrencyFonbnk":300,"feeAmountLocalCurrencyPartner":151.5},"exchangeRate":1460.2,"network":"POLYGON","asset":"USDC","fromAddress":"0xabc","toAddress":"0xdef","userEmail":"jöhn@example.com","requiredFields":[{"label":"Número de cuenta","type":"string","value":"0123456789"},{"label":"Nombre","type":"string","value":"José Ñúñez 😀"}],"countryIsoCode":"NG","currencyIsoCode":"NGN","bankDetails":{"nested":{"deep":[1,2.5,{"x":null}]}}},"hash":"0b2ca448950c981d35f91058d617608d5996a57bd95356c73f3b80c3e2d0e3cc"}"#;

const OFFRAMP_PRETTY: &str = r#"{
  "data": {
    "orderId": "68df9000372f378356ef7569",
    "offrampType": "bank",
    "status": "offramp_success",
    "date": "2025-10-03T09:00:00.000Z",
    "cashout": {
      "localCurrencyAmount": 14603.5,
      "usdAmount": 10,
      "feeAmountUsd": 0.3,
      "feeAmountUsdFonbnk": 0.30000000000000004,
      "feeAmountUsdPartner": 1e-7,
      "feeAmountLocalCurrency": 451.5,
      "feeAmountLocalCurrencyFonbnk": 300,
      "feeAmountLocalCurrencyPartner": 151.5
    },
    "exchangeRate": 1460.2,
    "network": "POLYGON",
    "asset": "USDC",
    "fromAddress": "0xabc",
    "toAddress": "0xdef",
    "userEmail": "jöhn@example.com",
    "requiredFields": [
      {
        "label": "Número de cuenta",
        "type": "string",
        "value": "0123456789"
      },
      {
        "label": "Nombre",
        "type": "string",
        "value": "José Ñúñez 😀"
      }
    ],
    "countryIsoCode": "NG",
    "currencyIsoCode": "NGN",
    "bankDetails": {
      "nested": {
        "deep": [
          1,
          2.5,
          {
            "x": null
          }
        ]
      }
    }
  },
  "hash": "0b2ca448950c981d35f91058d617608d5996a57bd95356c73f3b80c3e2d0e3cc"
}"#;

fn signed(name: &'static str, value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static(name),
        HeaderValue::from_str(value).unwrap(),
    );
    headers
}

#[test]
fn every_documented_ripio_event_verifies_and_parses_to_its_variant() {
    use ripio::webhooks::Event;
    let expected = [
        "ON-RAMP.DEPOSIT.RECEIVED",
        "ON-RAMP.TRADE.COMPLETED",
        "ON-RAMP.WITHDRAWAL.PROCESSING",
        "OFF-RAMP.DEPOSIT.RECEIVED",
        "OFF-RAMP.TRADE.COMPLETED",
        "OFF-RAMP.WITHDRAWAL.PROCESSING",
        "OFF-RAMP.WITHDRAWAL.COMPLETED",
        "SELL_AND_PAY.DEPOSIT.RECEIVED",
        "SELL_AND_PAY.DEPOSIT.BLOCKED",
        "KYC.COMPLETED",
        "ACCOUNT.CLOSED",
    ];
    let documented = &RIPIO_DELIVERIES[..expected.len()];
    for ((body, signature), wire_name) in documented.iter().zip(expected) {
        let event = ripio::webhooks::verify(
            RIPIO_SECRET,
            &signed("x-wh-signature-256", signature),
            body.as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{wire_name}: {e}"));
        assert_eq!(event.event_type(), wire_name);
        let variant_matches = match (&event, wire_name) {
            (Event::OnRampDepositReceived(e), "ON-RAMP.DEPOSIT.RECEIVED")
            | (Event::OnRampTradeCompleted(e), "ON-RAMP.TRADE.COMPLETED")
            | (Event::OnRampWithdrawalProcessing(e), "ON-RAMP.WITHDRAWAL.PROCESSING") => {
                e.transaction_object.from_currency.as_deref() == Some("ARS")
            }
            (Event::OffRampDepositReceived(e), "OFF-RAMP.DEPOSIT.RECEIVED")
            | (Event::OffRampTradeCompleted(e), "OFF-RAMP.TRADE.COMPLETED")
            | (Event::OffRampWithdrawalProcessing(e), "OFF-RAMP.WITHDRAWAL.PROCESSING")
            | (Event::OffRampWithdrawalCompleted(e), "OFF-RAMP.WITHDRAWAL.COMPLETED") => {
                // A field the guides do not list is kept.
                e.transaction_object.additional_properties["depositNetworkFee"] == "0.01"
            }
            (Event::SellAndPayDepositReceived(e), "SELL_AND_PAY.DEPOSIT.RECEIVED")
            | (Event::SellAndPayDepositBlocked(e), "SELL_AND_PAY.DEPOSIT.BLOCKED") => {
                e.transaction["transactionId"] == "abc"
            }
            (Event::KycCompleted(e), "KYC.COMPLETED") => {
                // `\u00ed`-style escapes arrive decoded.
                e.payload.metadata.as_ref().unwrap()["name"] == "María José Peña ✓"
            }
            (Event::AccountClosed(e), "ACCOUNT.CLOSED") => !e.account.is_active,
            _ => false,
        };
        assert!(variant_matches, "{wire_name}: {event:?}");
    }
}

#[test]
fn ripio_accepts_both_header_spellings_in_any_case() {
    let (body, signature) = RIPIO_DELIVERIES[0];
    for name in ["x-wh-signature-256", "http-x-wh-signature-256"] {
        ripio::webhooks::verify_signature(RIPIO_SECRET, &signed(name, signature), body.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // `http::HeaderMap` keeps names in lower case; a raw request's `Http-X-Wh-Signature-256`
    // is the same header.
    let parsed = HeaderName::from_bytes(b"Http-X-Wh-Signature-256").unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(parsed, HeaderValue::from_static(signature));
    ripio::webhooks::verify_signature(RIPIO_SECRET, &headers, body.as_bytes()).unwrap();
}

#[test]
fn ripio_refuses_tampering_a_wrong_secret_and_bad_headers() {
    let (body, signature) = RIPIO_DELIVERIES[0];
    let headers = signed("x-wh-signature-256", signature);
    let verify = |secret: &[u8], headers: &HeaderMap, body: &str| {
        ripio::webhooks::verify(secret, headers, body.as_bytes()).unwrap_err()
    };
    let tampered = body.replace("15000.00", "95000.00");
    assert!(matches!(
        verify(RIPIO_SECRET, &headers, &tampered),
        WebhookError::Mismatch
    ));
    assert!(matches!(
        verify(b"not-the-secret", &headers, body),
        WebhookError::Mismatch
    ));
    // Re-serialized with a space after each separator: other bytes, refused.
    let spaced = body.replace("\":", "\": ");
    assert!(matches!(
        verify(RIPIO_SECRET, &headers, &spaced),
        WebhookError::Mismatch
    ));
    assert!(matches!(
        verify(RIPIO_SECRET, &HeaderMap::new(), body),
        WebhookError::MissingSignature { .. }
    ));
    assert!(matches!(
        verify(
            RIPIO_SECRET,
            &signed("x-wh-signature-256", "sha256=not-hex"),
            body
        ),
        WebhookError::MalformedSignature { .. }
    ));
    // Without the documented `sha256=` prefix: malformed, even with the right digest.
    let bare = signed("x-wh-signature-256", &signature["sha256=".len()..]);
    let error = verify(RIPIO_SECRET, &bare, body);
    assert!(
        matches!(error, WebhookError::MalformedSignature { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("prefix"), "{error}");
}

#[test]
fn ripio_unknown_event_types_parse_as_unknown() {
    let (body, signature) = RIPIO_DELIVERIES[RIPIO_DELIVERIES.len() - 1];
    let event = ripio::webhooks::verify(
        RIPIO_SECRET,
        &signed("x-wh-signature-256", signature),
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(event.event_type(), "ON-RAMP.WITHDRAWAL.COMPLETED");
    let ripio::webhooks::Event::Unknown { body: raw, .. } = &event else {
        panic!("{event:?}");
    };
    assert_eq!(raw["transactionObject"]["status"], "DEPOSIT_RECEIVED");
}

#[test]
fn ripio_documented_events_with_a_wrong_payload_are_errors() {
    let error = ripio::webhooks::parse(br#"{"eventType":"ACCOUNT.CLOSED","issueDatetime":"x"}"#)
        .unwrap_err();
    assert!(
        matches!(&error, WebhookError::InvalidPayload { event_type, .. } if event_type == "ACCOUNT.CLOSED"),
        "{error:?}"
    );
    assert!(matches!(
        ripio::webhooks::parse(br#"{"issueDatetime":"x"}"#),
        Err(WebhookError::MissingField { field: "eventType" })
    ));
}

#[test]
fn ripio_signs_test_deliveries_as_python_does() {
    for (body, signature) in RIPIO_DELIVERIES {
        let delivery = ripio::webhooks::sign(RIPIO_SECRET, body.as_bytes()).unwrap();
        assert_eq!(delivery.headers["x-wh-signature-256"], *signature);
        assert_eq!(delivery.body, body.as_bytes());
    }
}

#[test]
fn fonbnk_compact_and_pretty_deliveries_verify() {
    let none = HeaderMap::new();
    for body in [ONRAMP_COMPACT, ONRAMP_PRETTY] {
        let event = fonbnk::webhooks::verify(FONBNK_SECRET, &none, body.as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {body}"));
        let fonbnk::webhooks::Event::OnRampOrderStatus(delivery) = &event else {
            panic!("{event:?}");
        };
        assert_eq!(event.event_type(), "on-ramp-order-status");
        assert_eq!(delivery.data.email, "zoë.ñandú@example.com");
        assert_eq!(delivery.data.amount, 10.309547);
        assert_eq!(delivery.data.status.as_str(), "complete");
    }
    for body in [OFFRAMP_COMPACT, OFFRAMP_PRETTY] {
        let event = fonbnk::webhooks::verify(FONBNK_SECRET, &none, body.as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {body}"));
        let fonbnk::webhooks::Event::OffRampOrderStatus(delivery) = &event else {
            panic!("{event:?}");
        };
        assert_eq!(
            delivery.data.cashout.fee_amount_usd_fonbnk,
            0.30000000000000004
        );
        assert_eq!(delivery.data.cashout.fee_amount_usd_partner, 1e-7);
        assert_eq!(delivery.data.required_fields[1].value, "José Ñúñez 😀");
        assert!(delivery
            .data
            .additional_properties
            .contains_key("bankDetails"));
    }
}

#[test]
fn fonbnk_refuses_tampering_and_a_wrong_secret() {
    let none = HeaderMap::new();
    for (body, from, to) in [
        (ONRAMP_COMPACT, "10.309547", "10.309548"),
        (ONRAMP_PRETTY, "ñandú", "nandu"),
        (OFFRAMP_PRETTY, "0.30000000000000004", "0.3"),
        (OFFRAMP_COMPACT, "\"deep\":[1,2.5", "\"deep\":[1,2.6"),
    ] {
        let tampered = body.replace(from, to);
        assert_ne!(tampered, body, "{from}");
        assert!(matches!(
            fonbnk::webhooks::verify_signature(FONBNK_SECRET, &none, tampered.as_bytes()),
            Err(WebhookError::Mismatch)
        ));
    }
    assert!(matches!(
        fonbnk::webhooks::verify_signature(b"wrong", &none, ONRAMP_COMPACT.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
    assert!(matches!(
        fonbnk::webhooks::verify_signature(FONBNK_SECRET, &none, br#"{"data":{}}"#),
        Err(WebhookError::MissingField { field: "hash" })
    ));
}

#[test]
fn fonbnk_unmatched_deliveries_parse_as_unknown() {
    let event =
        fonbnk::webhooks::parse(br#"{"data":{"orderId":"x","status":"new"},"hash":"00"}"#).unwrap();
    assert_eq!(event.event_type(), "");
    assert!(matches!(event, fonbnk::webhooks::Event::Unknown { .. }));
}

#[test]
fn fonbnk_signs_test_deliveries_as_node_does() {
    let data_start = ONRAMP_PRETTY.find(':').unwrap() + 1;
    let data_end = ONRAMP_PRETTY.rfind(",\n  \"hash\"").unwrap();
    let delivery = fonbnk::webhooks::sign(
        FONBNK_SECRET,
        &ONRAMP_PRETTY.as_bytes()[data_start..data_end],
    )
    .unwrap();
    assert_eq!(String::from_utf8(delivery.body).unwrap(), ONRAMP_COMPACT);
}

/// The "Receiving webhooks" example in README.md, compiled and run here so that it stays true.
mod readme {
    use generated_client::ripio::webhooks::{self, Event};
    use generated_client::runtime::{http::HeaderMap, WebhookError};

    fn on_ripio_delivery(
        secret: &[u8],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        match webhooks::verify(secret, headers, body)? {
            // signature first, then parse
            Event::OnRampDepositReceived(e) => {
                println!("deposit for {:?}", e.transaction_object.transaction_id)
            }
            Event::AccountClosed(e) => println!("customer {} closed", e.account.customer_id),
            other => println!("{} (not handled)", other.event_type()),
        }
        Ok(())
    }

    #[test]
    fn the_readme_handler_accepts_signed_deliveries_only() {
        for (body, _) in super::RIPIO_DELIVERIES {
            let delivery = webhooks::sign(b"readme", body.as_bytes()).unwrap();
            on_ripio_delivery(b"readme", &delivery.headers, &delivery.body).unwrap();
            assert!(on_ripio_delivery(b"other", &delivery.headers, &delivery.body).is_err());
        }
    }
}

#[test]
fn the_ripio_guide_examples_parse() {
    // Verbatim from specs/sources/ripio-guides/ (the customer id is not a valid UUID there).
    let account = r#"{
  "eventType": "ACCOUNT.CLOSED",
  "issueDatetime": "2026-05-19T14:30:00.000Z",
  "account": {
    "customerId": "7142b065-79c4-4f48-9e33-11b23bg689e2",
    "isActive": false
  }
}"#;
    let kyc = r#"{
  "eventType": "KYC.COMPLETED",
  "issueDatetime": "2026-03-12T14:22:22.508Z",
  "payload": {
    "submissionId": "9faf77b8-b9ee-4737-9392-6c1b63f0fd21",
    "customerId": "75c741a2-c3c8-46b1-a807-4fa1f4010026",
    "createdAt": "2026-03-12T14:22:22.544453Z",
    "source": "WIDGET",
    "metadata": {}
  }
}"#;
    let account = ripio::webhooks::parse(account.as_bytes()).unwrap();
    assert!(matches!(account, ripio::webhooks::Event::AccountClosed(_)));
    let kyc = ripio::webhooks::parse(kyc.as_bytes()).unwrap();
    assert_eq!(kyc.event_type(), "KYC.COMPLETED");
}
