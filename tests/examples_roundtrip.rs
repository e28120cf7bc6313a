//! The examples inside the specs (and realistic provider responses) deserialize into the
//! generated types and serialize back to the same JSON; unknown enum values and extra fields
//! are accepted.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use generated_client::{fonbnk, ripio};

/// The spec after overlay and repair, as the generator saw it.
fn repaired(spec: &str) -> Value {
    let files = xtask::SpecFiles::read(&xtask::workspace_root(), spec).expect("spec is readable");
    codegen::repair_spec(files.spec(), files.overlay())
        .expect("spec repairs")
        .value
}

/// Deserializes `value` as `T`, serializes it back and requires the same JSON.
fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(value: &Value, what: &str) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "{what} does not deserialize into {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(
        numbers_as_f64(&back),
        numbers_as_f64(value),
        "{what} does not round-trip through {}",
        std::any::type_name::<T>()
    );
    typed
}

/// JSON has one number type: `10` and `10.0` are the same value (an `f64` field writes the
/// latter), so numbers are compared as `f64`.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), |f| json!(f)),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), numbers_as_f64(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every example of every JSON response in the spec: (pointer, schema name, example value).
fn response_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                let Some(media) = response["content"].get("application/json") else {
                    continue;
                };
                let Some(schema) = media["schema"]["$ref"].as_str() else {
                    continue;
                };
                let schema = schema
                    .trim_start_matches("#/components/schemas/")
                    .to_string();
                let at = format!("{path} {method} {status}");
                if let Some(example) = media.get("example") {
                    found.push((at.clone(), schema.clone(), example.clone()));
                }
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    found.push((
                        format!("{at} {name}"),
                        schema.clone(),
                        example["value"].clone(),
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn ripio_response_examples_round_trip() {
    let spec = repaired("specs/ripio.yaml");
    let examples = response_examples(&spec);
    assert!(
        examples.len() >= 4,
        "expected the spec's error examples, found {}",
        examples.len()
    );
    for (at, schema, example) in &examples {
        match schema.as_str() {
            "ErrorResponse" => {
                round_trip::<ripio::types::ErrorResponse>(example, at);
            }
            "KycCheckSuccessResponse" => {
                round_trip::<ripio::types::KycCheckSuccessResponse>(example, at);
            }
            other => panic!("{at}: no round-trip check for schema {other}; add one"),
        }
    }
}

#[test]
fn ripio_error_examples_keep_their_type_and_extra_detail() {
    let spec = repaired("specs/ripio.yaml");
    let examples = response_examples(&spec);
    let types: Vec<String> = examples
        .iter()
        .filter(|(_, schema, _)| schema == "ErrorResponse")
        .map(|(at, _, example)| round_trip::<ripio::types::ErrorResponse>(example, at).r#type)
        .collect();
    assert!(
        types.contains(&"KycNotApprovedException".to_string()),
        "{types:?}"
    );
    assert!(
        types.contains(&"KycAlreadyApprovedException".to_string()),
        "{types:?}"
    );

    // `detail` allows more properties than `message`: they are kept, not dropped.
    let unauthorized = json!({
        "code": 40001, "type": "NotAuthenticated", "status": 401,
        "detail": {"message": "Authentication credentials were not provided.", "code": "not_authenticated"}
    });
    let error = round_trip::<ripio::types::ErrorResponse>(&unauthorized, "401 example");
    assert_eq!(
        error.detail.additional_properties["code"],
        json!("not_authenticated")
    );
}

#[test]
fn ripio_success_body_from_property_examples_round_trips() {
    let spec = repaired("specs/ripio.yaml");
    let detail = &spec["components"]["schemas"]["KycCheckSuccessResponse"]["properties"]["detail"]
        ["example"];
    assert!(detail.is_string(), "the spec documents an example detail");
    let body = json!({ "detail": detail });
    let success = round_trip::<ripio::types::KycCheckSuccessResponse>(&body, "success example");
    assert_eq!(success.detail, "kyc approved. Otp sent");
}

#[test]
fn extra_top_level_fields_are_accepted() {
    let body = json!({"code": 1, "type": "X", "status": 400, "detail": {}, "traceId": "abc"});
    let error: ripio::types::ErrorResponse =
        serde_json::from_value(body).expect("extra fields are ignored");
    assert_eq!(error.code, 1);
}

/// A KYC-state response as the provider sends it: top-level `kycStatusDescription`, rules as
/// arrays of objects, `requiredFields` as a map keyed by real field names.
fn realistic_kyc_state() -> Value {
    json!({
        "kycUrl": "https://kyc.fonbnk.com/form/abc123",
        "offrampKycRules": [{"type": "bank", "minAmount": 10}, {"type": "mobile_money", "minAmount": 50.5}],
        "onrampKycRules": [{"type": "bank_transfer", "minAmount": 25}],
        "passedKyc": false,
        "kycStatus": "rejected",
        "kycStatusDescription": "The document photo is blurred",
        "reachedKycLimit": false,
        "documentTypes": [{
            "title": "National ID",
            "value": "NATIONAL_ID",
            "requiredFields": {
                "first_name": {"type": "string", "label": "First name", "required": true},
                "id_number": {
                    "type": "string", "label": "ID number", "required": true,
                    "format": "12345678", "regexp": "^[0-9]{8}$", "regexpFlags": "i"
                },
                "gender": {
                    "type": "select", "label": "Gender", "required": false,
                    "options": [{"value": "m", "label": "Male"}, {"value": "f", "label": "Female"}]
                }
            }
        }]
    })
}

#[test]
fn fonbnk_realistic_kyc_state_round_trips() {
    let state = round_trip::<fonbnk::types::KycStateResponse>(&realistic_kyc_state(), "KYC state");
    assert_eq!(
        state.kyc_status_description.as_deref(),
        Some("The document photo is blurred")
    );
    let rules = state.offramp_kyc_rules.expect("rules are present");
    assert_eq!(rules[0].r#type, Some(fonbnk::types::OfframpType::Bank));
    assert_eq!(rules[0].min_amount, Some(10.0));
    let documents = state.document_types.expect("documents are present");
    let fields = documents[0]
        .required_fields
        .as_ref()
        .expect("required fields are present");
    assert_eq!(
        fields.keys().map(String::as_str).collect::<Vec<_>>(),
        ["first_name", "gender", "id_number"]
    );
}

#[test]
fn fonbnk_spec_example_round_trips() {
    let spec = repaired("specs/fonbnk.json");
    let example = &spec["components"]["schemas"]["KycStateResponse"]["example"];
    assert!(
        example.is_object(),
        "the overlay documents an example KYC state"
    );
    round_trip::<fonbnk::types::KycStateResponse>(example, "KycStateResponse example");
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut body = realistic_kyc_state();
    body["kycStatus"] = json!("pending_review");
    body["offrampKycRules"][0]["type"] = json!("crypto_card");
    let state = round_trip::<fonbnk::types::KycStateResponse>(&body, "KYC state with new values");
    let status = state.kyc_status.expect("status is present");
    assert_eq!(status.as_str(), "pending_review");
    assert!(matches!(status, fonbnk::types::KycStatus::Unknown(_)));
    let rules = state.offramp_kyc_rules.expect("rules are present");
    assert_eq!(
        rules[0].r#type,
        Some(fonbnk::types::OfframpType::Unknown("crypto_card".into()))
    );
}
