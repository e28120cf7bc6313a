//! Vectors computed by independent implementations: Python's `hmac`/`hashlib` for the header
//! scheme, Node.js (`JSON.stringify`, `crypto.createHash`) for the body-hash scheme.

use http::{HeaderMap, HeaderName, HeaderValue};

use super::js_json::{is_compact, stringify};
use super::{BodyHash, HmacSha256Header, WebhookError};

// ---------------------------------------------------------------------------------------------
// HMAC-SHA256 header scheme.
//
// Bodies serialized the way the sender documents (compact, non-ASCII as `\uXXXX`), signed with
//   python3 -c 'import hmac,hashlib,json,sys; s=b"whsec-test-0123456789";
//     b=json.dumps(OBJ, separators=(",",":"), ensure_ascii=True).encode();
//     print(b.decode(), "sha256="+hmac.new(s,b,hashlib.sha256).hexdigest())'

const HMAC_SECRET: &[u8] = b"whsec-test-0123456789";
const SCHEME: HmacSha256Header = HmacSha256Header::new(
    &["x-wh-signature-256", "http-x-wh-signature-256"],
    "sha256=",
);

const PLAIN_BODY: &str = r#"{"eventType":"ORDER.CREATED","issueDatetime":"2026-03-12T14:22:22.508Z","object":{"id":"9faf77b8-b9ee-4737-9392-6c1b63f0fd21","amount":"100.50"}}"#;
const PLAIN_SIGNATURE: &str =
    "sha256=be5955a2e5ee02fba20105fee8ec4534347c2bca9b69c9d816d907b361f657dc";
const NON_ASCII_BODY: &str = r#"{"eventType":"ORDER.CREATED","issueDatetime":"2026-03-12T14:22:22.508Z","object":{"name":"Se\u00f1or Mu\u00f1oz \u00d1and\u00fa","city":"S\u00e3o Paulo \u20ac \ud83d\ude00"}}"#;
const NON_ASCII_SIGNATURE: &str =
    "sha256=ba674c839ab7690cc06f5b4198f5a368d82d5375b86b0161875d541e694f439d";

fn headers(name: &str, value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_bytes(name.as_bytes()).unwrap(),
        HeaderValue::from_str(value).unwrap(),
    );
    headers
}

#[test]
fn header_scheme_accepts_every_spelling_of_the_header() {
    for name in [
        "x-wh-signature-256",
        "X-Wh-Signature-256",
        "http-x-wh-signature-256",
        "Http-X-Wh-Signature-256",
    ] {
        SCHEME
            .verify(
                HMAC_SECRET,
                &headers(name, PLAIN_SIGNATURE),
                PLAIN_BODY.as_bytes(),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn header_scheme_verifies_the_raw_bytes_of_escaped_non_ascii_text() {
    let h = headers("x-wh-signature-256", NON_ASCII_SIGNATURE);
    SCHEME
        .verify(HMAC_SECRET, &h, NON_ASCII_BODY.as_bytes())
        .unwrap();
    // The same content with the characters written as UTF-8 is other bytes: refused.
    let decoded: serde_json::Value = serde_json::from_str(NON_ASCII_BODY).unwrap();
    let reencoded = serde_json::to_vec(&decoded).unwrap();
    assert!(matches!(
        SCHEME.verify(HMAC_SECRET, &h, &reencoded),
        Err(WebhookError::Mismatch)
    ));
}

#[test]
fn header_scheme_refuses_a_tampered_body_and_a_wrong_secret() {
    let h = headers("x-wh-signature-256", PLAIN_SIGNATURE);
    let tampered = PLAIN_BODY.replace("100.50", "900.50");
    assert!(matches!(
        SCHEME.verify(HMAC_SECRET, &h, tampered.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
    assert!(matches!(
        SCHEME.verify(b"another-secret", &h, PLAIN_BODY.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
}

#[test]
fn header_scheme_says_which_check_failed() {
    let missing = SCHEME
        .verify(HMAC_SECRET, &HeaderMap::new(), PLAIN_BODY.as_bytes())
        .unwrap_err();
    assert!(matches!(missing, WebhookError::MissingSignature { .. }));
    assert_eq!(
        missing.to_string(),
        "the signature header is missing (expected one of: x-wh-signature-256, http-x-wh-signature-256)"
    );
    for (value, reason) in [
        ("sha256=zz", "wrong length"),
        ("sha256=", "wrong length"),
        (
            "sha256=ge5955a2e5ee02fba20105fee8ec4534347c2bca9b69c9d816d907b361f657dc",
            "not a hex digit",
        ),
        (
            "md5=be5955a2e5ee02fba20105fee8ec4534347c2bca9b69c9d816d907b361f657dc",
            "prefix",
        ),
    ] {
        let error = SCHEME
            .verify(
                HMAC_SECRET,
                &headers("x-wh-signature-256", value),
                PLAIN_BODY.as_bytes(),
            )
            .unwrap_err();
        assert!(
            matches!(error, WebhookError::MalformedSignature { .. }),
            "{value}: {error:?}"
        );
        assert!(error.to_string().contains(reason), "{value}: {error}");
        assert!(error.to_string().contains("x-wh-signature-256"), "{error}");
    }
}

#[test]
fn header_scheme_requires_the_prefix() {
    // The right digest without `sha256=`: documented as malformed, not tried as bare hex.
    let bare = PLAIN_SIGNATURE.trim_start_matches("sha256=");
    let error = SCHEME
        .verify(
            HMAC_SECRET,
            &headers("x-wh-signature-256", bare),
            PLAIN_BODY.as_bytes(),
        )
        .unwrap_err();
    assert!(
        matches!(error, WebhookError::MalformedSignature { .. }),
        "{error:?}"
    );
}

#[test]
fn header_scheme_accepts_uppercase_hex_and_any_matching_value() {
    let upper = format!("sha256={}", PLAIN_SIGNATURE[7..].to_ascii_uppercase());
    SCHEME
        .verify(
            HMAC_SECRET,
            &headers("x-wh-signature-256", &upper),
            PLAIN_BODY.as_bytes(),
        )
        .unwrap();
    let mut both = headers("x-wh-signature-256", "sha256=00");
    both.append(
        HeaderName::from_static("http-x-wh-signature-256"),
        HeaderValue::from_static(PLAIN_SIGNATURE),
    );
    SCHEME
        .verify(HMAC_SECRET, &both, PLAIN_BODY.as_bytes())
        .unwrap();
}

#[test]
fn header_scheme_signs_as_the_independent_implementation_does() {
    assert_eq!(
        SCHEME.sign(HMAC_SECRET, PLAIN_BODY.as_bytes()),
        PLAIN_SIGNATURE
    );
    assert_eq!(
        SCHEME.sign(HMAC_SECRET, NON_ASCII_BODY.as_bytes()),
        NON_ASCII_SIGNATURE
    );
}

#[test]
fn errors_never_show_the_secret_or_a_signature() {
    let h = headers("x-wh-signature-256", PLAIN_SIGNATURE);
    let error = SCHEME.verify(b"s3cr3t-value", &h, b"{}").unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(!shown.contains(&PLAIN_SIGNATURE[7..20]), "{shown}");
    let expected = SCHEME.sign(b"s3cr3t-value", b"{}");
    assert!(!shown.contains(&expected[7..20]), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Body-hash scheme.
//
// Computed with Node.js 20 (`node vectors.js`, the script below):
//   const { createHash } = require('crypto');
//   const secret = 'body-hash-test-secret';
//   const hash = (data) => createHash('sha256').update(JSON.stringify(data))
//     .update(createHash('sha256').update(secret, 'utf8').digest('hex')).digest('hex');
//   for (const t of TEXTS) console.log(JSON.stringify([t, JSON.stringify(JSON.parse(t))]));
//   const data = {order: {id: "68df8fcb372f378356ef7568", amounts: {local: 15054,
//     usd: 10.309547, rate: 1460.2, tiny: 1e-7, big: 1e21, third: 0.1 + 0.2}},
//     name: "Ñandú São Paulo €😀", tags: ["a/b", "quote\"", "tab\t"],
//     nested: {deep: {deeper: [1, 2, {x: null, y: true}]}}, "10": "index ten", "2": "index two"};
//   console.log(JSON.stringify({data, hash: hash(data)}));                // COMPACT_BODY
//   console.log(JSON.stringify({data, hash: hash(data)}, null, 2));       // PRETTY_BODY
//   console.log(hash(JSON.parse(ODD_BODY).data));                        // ODD_BODY's hash
// and, for a compact body whose bytes are not what JavaScript would write:
//   python3 -c 'import hashlib; s=b"body-hash-test-secret"; raw=b"{\"a\":5.0,\"b\":\"caf\\u00e9\"}";
//     print(hashlib.sha256(raw+hashlib.sha256(s).hexdigest().encode()).hexdigest())'

const BODY_SECRET: &[u8] = b"body-hash-test-secret";
const BODY_HASH: BodyHash = BodyHash::new("data", "hash");

/// `[text, JSON.stringify(JSON.parse(text))]` pairs, one per line, as Node.js printed them.
const STRINGIFY_PAIRS: &str = r#"
["0.1","0.1"]
["1e21","1e+21"]
["1e20","100000000000000000000"]
["123e-20","1.23e-18"]
["1.5e-7","1.5e-7"]
["0.000001","0.000001"]
["1e-7","1e-7"]
["5e-324","5e-324"]
["1.7976931348623157e308","1.7976931348623157e+308"]
["-0","0"]
["100","100"]
["1.0","1"]
["2.50","2.5"]
["9007199254740993","9007199254740992"]
["0.30000000000000004","0.30000000000000004"]
["123456789.123456789","123456789.12345679"]
["1e300","1e+300"]
["4.35","4.35"]
["0.1e1","1"]
["-1.5E+3","-1500"]
["1e400","null"]
["-1e400","null"]
["12345678901234567890123","1.2345678901234568e+22"]
["0.0000012345","0.0000012345"]
["\"caf\\u00e9 \\/ \\u0041 \\ud83d\\ude00\"","\"café / A 😀\""]
["\"\\u001f\\u0008\\u000c\\n\\r\\t\\\"\\\\\"","\"\\u001f\\b\\f\\n\\r\\t\\\"\\\\\""]
["\"\\ud800 lone \\udfff\"","\"\\ud800 lone \\udfff\""]
["\"\\u2028\\u2029 \\u007f\"","\"   \""]
["{\"b\":1,\"a\":2,\"10\":3,\"9\":4,\"01\":5,\"4294967295\":6,\"4294967294\":7,\"-1\":8}","{\"9\":4,\"10\":3,\"4294967294\":7,\"b\":1,\"a\":2,\"01\":5,\"4294967295\":6,\"-1\":8}"]
["{\"a\":1,\"b\":2,\"a\":3}","{\"a\":3,\"b\":2}"]
["[ 1 , [ ] , { } , null , true , false ]","[1,[],{},null,true,false]"]
"#;

const COMPACT_BODY: &str = r#"{"data":{"2":"index two","10":"index ten","order":{"id":"68df8fcb372f378356ef7568","amounts":{"local":15054,"usd":10.309547,"rate":1460.2,"tiny":1e-7,"big":1e+21,"third":0.30000000000000004}},"name":"Ñandú São Paulo €😀","tags":["a/b","quote\"","tab\t"],"nested":{"deep":{"deeper":[1,2,{"x":null,"y":true}]}}},"hash":"797a4fe2c9dcbe0045d84dc8a3452bfe84a7d11363536d14e6b79074bfc82cf8"}"#;

const PRETTY_BODY: &str = r#"{
  "data": {
    "2": "index two",
    "10": "index ten",
    "order": {
      "id": "68df8fcb372f378356ef7568",
      "amounts": {
        "local": 15054,
        "usd": 10.309547,
        "rate": 1460.2,
        "tiny": 1e-7,
        "big": 1e+21,
        "third": 0.30000000000000004
      }
    },
    "name": "Ñandú São Paulo €😀",
    "tags": [
      "a/b",
      "quote\"",
      "tab\t"
    ],
    "nested": {
      "deep": {
        "deeper": [
          1,
          2,
          {
            "x": null,
            "y": true
          }
        ]
      }
    }
  },
  "hash": "797a4fe2c9dcbe0045d84dc8a3452bfe84a7d11363536d14e6b79074bfc82cf8"
}"#;

/// Whitespace, numbers and escapes that `JSON.stringify` writes differently, a repeated key,
/// array-index keys out of order, a lone surrogate and a number beyond the double range.
const ODD_BODY: &str = r#"{"data": {"b": 5.0, "a": 1E21, "c": 1.50e-7, "big": 123456789012345678901234567890, "neg": -0, "esc": "caf\u00e9 \/ \u0041", "ctl": "\u001f\u0008", "lone": "\ud800", "z": {"10": 1, "9": 2, "x": 3, "x": 4}, "huge": 1e400}, "hash": "ae3cc402730239a136b2e107e6d0fc8fbaf5db17abbee09eb95216892dfd4d75"}"#;
const ODD_DATA_STRINGIFIED: &str = r#"{"b":5,"a":1e+21,"c":1.5e-7,"big":1.2345678901234568e+29,"neg":0,"esc":"café / A","ctl":"\u001f\b","lone":"\ud800","z":{"9":2,"10":1,"x":4},"huge":null}"#;

/// Compact, so taken as received, although `JSON.stringify` would write `5` and `café`.
const RAW_COMPACT_BODY: &str = r#"{"data":{"a":5.0,"b":"caf\u00e9"},"hash":"b3783855fe0c075c184a2d7604f08e2f0f61ee2b1a0bddd4c8b527583883450b"}"#;

#[test]
fn stringify_matches_node() {
    let mut checked = 0;
    for line in STRINGIFY_PAIRS.lines().filter(|l| !l.is_empty()) {
        let (text, expected): (String, String) = serde_json::from_str(line).unwrap();
        assert_eq!(
            stringify(text.as_bytes()).unwrap(),
            expected,
            "input {text}"
        );
        checked += 1;
    }
    assert_eq!(checked, 31);
    let odd_data =
        &ODD_BODY[ODD_BODY.find('{').unwrap() + 9..ODD_BODY.rfind(", \"hash\"").unwrap()];
    assert_eq!(
        stringify(odd_data.as_bytes()).unwrap(),
        ODD_DATA_STRINGIFIED
    );
}

#[test]
fn stringify_refuses_invalid_json_with_an_offset() {
    for (text, offset) in [
        ("{\"a\":}", 5),
        ("[1,]", 3),
        ("01", 1),
        ("\"\\x\"", 1),
        ("1 2", 2),
    ] {
        let error = stringify(text.as_bytes()).unwrap_err();
        assert!(
            error.to_string().ends_with(&format!("at byte {offset}")),
            "{text}: {error}"
        );
    }
    let deep = "[".repeat(200) + &"]".repeat(200);
    assert!(stringify(deep.as_bytes())
        .unwrap_err()
        .to_string()
        .contains("deeply"));
}

#[test]
fn compactness_ignores_whitespace_inside_strings() {
    assert!(is_compact(br#"{"a b":"c\" d","e":[1,2]}"#));
    assert!(!is_compact(br#"{"a":1, "b":2}"#));
    assert!(!is_compact(b"{\n}"));
}

#[test]
fn body_hash_verifies_a_compact_delivery_as_received() {
    BODY_HASH
        .verify(BODY_SECRET, COMPACT_BODY.as_bytes())
        .unwrap();
    BODY_HASH
        .verify(BODY_SECRET, RAW_COMPACT_BODY.as_bytes())
        .unwrap();
}

#[test]
fn body_hash_verifies_a_pretty_printed_delivery_by_re_serializing() {
    BODY_HASH
        .verify(BODY_SECRET, PRETTY_BODY.as_bytes())
        .unwrap();
    BODY_HASH.verify(BODY_SECRET, ODD_BODY.as_bytes()).unwrap();
}

#[test]
fn body_hash_refuses_tampering_and_a_wrong_secret() {
    let tampered = COMPACT_BODY.replace("10.309547", "10.309548");
    assert!(matches!(
        BODY_HASH.verify(BODY_SECRET, tampered.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
    let tampered = PRETTY_BODY.replace("index two", "index 2");
    assert!(matches!(
        BODY_HASH.verify(BODY_SECRET, tampered.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
    assert!(matches!(
        BODY_HASH.verify(b"wrong", COMPACT_BODY.as_bytes()),
        Err(WebhookError::Mismatch)
    ));
}

#[test]
fn body_hash_says_which_check_failed() {
    let check = |body: &str| BODY_HASH.verify(BODY_SECRET, body.as_bytes()).unwrap_err();
    assert!(matches!(check("not json"), WebhookError::InvalidJson(_)));
    assert!(matches!(check("[1]"), WebhookError::InvalidJson(_)));
    assert!(matches!(
        check(r#"{"data":{}}"#),
        WebhookError::MissingField { field: "hash" }
    ));
    assert!(matches!(
        check(r#"{"hash":"00"}"#),
        WebhookError::MissingField { field: "data" }
    ));
    assert!(matches!(
        check(r#"{"data":{},"hash":7}"#),
        WebhookError::InvalidField { field: "hash", .. }
    ));
    let malformed = check(r#"{"data":{},"hash":"abc"}"#);
    assert!(matches!(malformed, WebhookError::MalformedSignature { .. }));
    assert!(
        malformed.to_string().contains("body field `hash`"),
        "{malformed}"
    );
}

#[test]
fn body_hash_signs_as_node_does() {
    // Signing the pretty-printed `data` writes it compactly, as Node did.
    let data_start = PRETTY_BODY.find(':').unwrap() + 1;
    let data_end = PRETTY_BODY.rfind(",\n  \"hash\"").unwrap();
    let signed = BODY_HASH
        .sign(BODY_SECRET, &PRETTY_BODY.as_bytes()[data_start..data_end])
        .unwrap();
    assert_eq!(String::from_utf8(signed).unwrap(), COMPACT_BODY);
}

#[test]
fn signed_deliveries_verify() {
    let delivery = SCHEME.sign_delivery(HMAC_SECRET, PLAIN_BODY.as_bytes());
    assert_eq!(delivery.body, PLAIN_BODY.as_bytes());
    assert_eq!(delivery.headers["x-wh-signature-256"], PLAIN_SIGNATURE);
    assert_eq!(delivery.headers["content-type"], "application/json");
    SCHEME
        .verify(HMAC_SECRET, &delivery.headers, &delivery.body)
        .unwrap();
    let delivery = BODY_HASH
        .sign_delivery(BODY_SECRET, br#"{"x": [1.0, "\u00e9"]}"#)
        .unwrap();
    let body = String::from_utf8(delivery.body.clone()).unwrap();
    assert!(
        body.starts_with(r#"{"data":{"x":[1,"é"]},"hash":""#),
        "{body}"
    );
    BODY_HASH.verify(BODY_SECRET, &delivery.body).unwrap();
}

#[test]
fn event_types_are_read_at_a_pointer() {
    use super::{webhook_body, webhook_event_type, webhook_payload};
    let body = webhook_body(PLAIN_BODY.as_bytes()).unwrap();
    assert_eq!(
        webhook_event_type(&body, "/eventType").unwrap(),
        "ORDER.CREATED"
    );
    assert!(matches!(
        webhook_event_type(&body, "/type"),
        Err(WebhookError::MissingField { field: "type" })
    ));
    assert!(matches!(
        webhook_event_type(&body, "/object"),
        Err(WebhookError::InvalidField {
            field: "object",
            ..
        })
    ));
    let error = webhook_payload::<Vec<u8>>("ORDER.CREATED", body).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the payload of event `ORDER.CREATED` does not match"),
        "{error}"
    );
    assert!(matches!(
        webhook_body(b"{"),
        Err(WebhookError::InvalidJson(_))
    ));
}

/// 300 numbers (random bit patterns, random magnitudes, short decimals in exponent form) as
/// `[text, JSON.stringify(JSON.parse(text))]`, computed by Node.js 20:
///
/// ```text
/// # the texts, in nums.txt (every third one a random bit pattern, NaN and infinities skipped):
/// import random, struct; random.seed(14); out = []
/// for i in range(300):
///     if i % 3 == 0:
///         x = struct.unpack("<d", random.getrandbits(64).to_bytes(8, "little"))[0]
///         if x != x or x in (float("inf"), float("-inf")): continue
///         out.append("{:.17e}".format(x))
///     elif i % 3 == 1: out.append("{:.17e}".format(random.uniform(-1e6, 1e6)))
///     else: out.append(repr(round(random.uniform(-1e4, 1e4), random.randint(0, 8))).replace(".0", ".00") + "E0")
/// node -e 'const t = require("fs").readFileSync("nums.txt", "utf8").split("\n");
///   console.log(JSON.stringify(t.map(s => [s, JSON.stringify(JSON.parse(s))])))'
/// ```
const JS_NUMBER_VECTORS: &str = include_str!("webhook/js_number_vectors.json");

#[test]
fn number_formatting_matches_node_on_random_doubles() {
    let pairs: Vec<(String, String)> = serde_json::from_str(JS_NUMBER_VECTORS).unwrap();
    assert!(pairs.len() >= 290, "{}", pairs.len());
    for (text, expected) in pairs {
        assert_eq!(
            stringify(text.as_bytes()).unwrap(),
            expected,
            "input {text}"
        );
    }
}
