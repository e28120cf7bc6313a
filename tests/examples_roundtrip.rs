//! The examples inside the specs (and realistic provider responses) deserialize into the
//! generated types and serialize back to the same JSON; unknown enum values and extra fields
//! are accepted.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use codegen::ir::{BodyKind, ResponseBody, StatusMatch, TypeId, TypeKind, TypeRef};
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
/// latter), so numbers are compared as `f64`. An optional field that is `null` reads as `None`
/// and is left out when written (sending `null` for every unset field would change requests):
/// for it, `null` and absent mean the same, so `null` properties are compared as absent.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), |f| json!(f)),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
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

// ---------------------------------------------------------------------------------------------
// Every example of every page: each value the spec documents as an example (schema `example`
// and `x-examples`, media type `example`/`examples`, parameter `example`/`examples`) is read
// into the Rust type the generator gave the thing it exemplifies and written back unchanged.

/// The Rust type of a schema position, found through the IR's pointers.
struct Types {
    api: codegen::ir::Api,
}

impl Types {
    fn new(spec: &str) -> Types {
        let files =
            xtask::SpecFiles::read(&xtask::workspace_root(), spec).expect("spec is readable");
        let (api, _) = codegen::lower_spec(files.spec(), files.overlay()).expect("spec lowers");
        Types { api }
    }

    /// The type of the value at a schema pointer (`#/components/schemas/X/properties/y`, …):
    /// a named type, a field, or an item or map value of one; `None` if no type stands for it.
    fn of_schema(&self, pointer: &str) -> Option<(TypeRef, bool)> {
        if let Some(index) = self
            .api
            .types
            .iter()
            .position(|t| t.pointer.as_str() == pointer)
        {
            return Some((TypeRef::Named(TypeId::from_index(index)), false));
        }
        for def in &self.api.types {
            if let TypeKind::Struct { fields, .. } = &def.kind {
                if let Some(field) = fields.iter().find(|f| f.pointer.as_str() == pointer) {
                    return Some((field.ty.clone(), field.nullable || !field.required));
                }
            }
        }
        if let Some(ty) = self.of_media_schema(pointer) {
            return Some((ty, false));
        }
        if let Some(parent) = pointer.strip_suffix("/items") {
            return match self.of_schema(parent)? {
                (TypeRef::List(item), _) => Some(unwrap_option(*item)),
                _ => None,
            };
        }
        if let Some(parent) = pointer.strip_suffix("/additionalProperties") {
            return match self.of_schema(parent)? {
                (TypeRef::Map(value), _) => Some(unwrap_option(*value)),
                _ => None,
            };
        }
        None
    }

    /// The type of an inline request or response body schema
    /// (`#/paths/<path>/<method>/responses/<status>/content/<media type>/schema`).
    fn of_media_schema(&self, pointer: &str) -> Option<TypeRef> {
        let media = pointer.strip_suffix("/schema")?;
        let (owner, _media_type) = media.rsplit_once("/content/")?;
        if let Some(operation) = owner.strip_suffix("/requestBody") {
            return match &self.operation(operation)?.body.as_ref()?.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty.clone()),
                _ => None,
            };
        }
        let (operation, status) = owner.rsplit_once("/responses/")?;
        let code: u16 = status.parse().ok()?;
        let op = self.operation(operation)?;
        let response = op
            .success
            .iter()
            .chain(&op.errors)
            .find(|r| matches!(r.status, StatusMatch::Code(c) if c == code))?;
        match &response.body {
            ResponseBody::Json(ty) => Some(ty.clone()),
            _ => None,
        }
    }

    /// The operation at `#/paths/<path>/<method>`.
    fn operation(&self, pointer: &str) -> Option<&codegen::ir::Operation> {
        self.api
            .operations
            .iter()
            .find(|o| o.pointer.as_str() == pointer)
    }
}

fn unwrap_option(ty: TypeRef) -> (TypeRef, bool) {
    match ty {
        TypeRef::Option(inner) => (*inner, true),
        other => (other, false),
    }
}

/// One documented example and the type it must fit.
struct Example {
    at: String,
    ty: TypeRef,
    /// `null` is a documented value of the position (an optional or nullable field).
    null_ok: bool,
    value: Value,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The examples of one media type (`example` and the values of `examples`).
fn media_examples(media: &Value, at: &str) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push((format!("{at}/example"), example.clone()));
    }
    for (name, example) in media["examples"].as_object().into_iter().flatten() {
        if let Some(value) = example.get("value") {
            found.push((format!("{at}/examples/{name}"), value.clone()));
        }
    }
    found
}

/// Every example in the repaired spec, each with its type. Panics naming an example that no
/// generated type stands for.
/// Every example of the spec with its type, and the names of the API's types (by `TypeId`).
fn every_example(spec_name: &str) -> (Vec<Example>, Vec<String>) {
    let spec = repaired(spec_name);
    let types = Types::new(spec_name);
    let mut found = Vec::new();
    let mut untyped = Vec::new();

    // Schema examples, wherever a schema is (components and inline).
    collect_schema_examples(
        &spec,
        "#",
        &mut |pointer, value| match types.of_schema(pointer) {
            Some((ty, null_ok)) => found.push(Example {
                at: pointer.to_string(),
                ty,
                null_ok,
                value: value.clone(),
            }),
            None => untyped.push(pointer.to_string()),
        },
    );

    // Media types of request bodies and responses, and parameters, operation by operation.
    let resolve = |value: &Value| -> Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => spec
                .pointer(target.trim_start_matches('#'))
                .cloned()
                .unwrap_or(Value::Null),
            None => value.clone(),
        }
    };
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let at = format!("#/paths/{}/{method}", escape(path));
            let Some(op) = types.operation(&at) else {
                continue;
            };
            if let Some(Value::Object(content)) = operation.pointer("/requestBody/content") {
                for (media_type, media) in content {
                    let media_at = format!("{at}/requestBody/content/{}", escape(media_type));
                    for (example_at, value) in media_examples(media, &media_at) {
                        match op.body.as_ref().map(|b| &b.kind) {
                            Some(BodyKind::Json(ty) | BodyKind::Form(ty)) => found.push(Example {
                                at: example_at,
                                ty: ty.clone(),
                                null_ok: false,
                                value,
                            }),
                            _ => untyped.push(example_at),
                        }
                    }
                }
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                let response = resolve(response);
                for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                    let media_at =
                        format!("{at}/responses/{status}/content/{}", escape(media_type));
                    let code: Option<u16> = status.parse().ok();
                    let body = op
                        .success
                        .iter()
                        .chain(&op.errors)
                        .find(|r| matches!(r.status, StatusMatch::Code(c) if Some(c) == code))
                        .map(|r| &r.body);
                    for (example_at, value) in media_examples(media, &media_at) {
                        match body {
                            Some(ResponseBody::Json(ty)) => found.push(Example {
                                at: example_at,
                                ty: ty.clone(),
                                null_ok: false,
                                value,
                            }),
                            _ => untyped.push(example_at),
                        }
                    }
                }
            }
            let parameters = item["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(operation["parameters"].as_array().into_iter().flatten());
            for parameter in parameters {
                let parameter = resolve(parameter);
                let (Some(name), Some(location)) =
                    (parameter["name"].as_str(), parameter["in"].as_str())
                else {
                    continue;
                };
                let param = op.params.iter().find(|p| {
                    p.wire_name == name
                        && format!("{:?}", p.location).eq_ignore_ascii_case(location)
                });
                let mut examples = media_examples(&parameter, &format!("{at} parameter {name}"));
                if let Some(example) = parameter.pointer("/schema/example") {
                    examples.push((format!("{at} parameter {name} schema"), example.clone()));
                }
                for (example_at, value) in examples {
                    match param {
                        Some(param) => found.push(Example {
                            at: example_at,
                            ty: param.ty.clone(),
                            null_ok: !param.required,
                            value,
                        }),
                        None => untyped.push(example_at),
                    }
                }
            }
        }
    }
    assert!(
        untyped.is_empty(),
        "{spec_name}: no generated type stands for the examples at {untyped:#?}"
    );
    let names = types.api.types.iter().map(|t| t.name.clone()).collect();
    (found, names)
}

/// Calls `visit` with the pointer of every schema that has an `example` or `x-examples`, once
/// per value. Schemas are found by their keywords' positions: `schema`, `properties/*`, `items`,
/// `additionalProperties`, `allOf`/`oneOf`/`anyOf` members, `components/schemas/*`.
fn collect_schema_examples(value: &Value, pointer: &str, visit: &mut impl FnMut(&str, &Value)) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (index, item) in items.iter().enumerate() {
                collect_schema_examples(item, &format!("{pointer}/{index}"), visit);
            }
        }
        return;
    };
    let is_schema = ["/schema", "/items", "/additionalProperties", "/not"]
        .iter()
        .any(|end| pointer.ends_with(end))
        || parent_is(pointer, "properties")
        || parent_is(pointer, "schemas")
        || ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|key| parent_is(pointer, key));
    if is_schema {
        if let Some(example) = map.get("example") {
            visit(pointer, example);
        }
        for example in map
            .get("x-examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            visit(pointer, example);
        }
    }
    for (key, child) in map {
        // Example values are data, not schemas: never walk into them.
        if key == "example" || key == "examples" || key == "x-examples" {
            continue;
        }
        collect_schema_examples(child, &format!("{pointer}/{}", escape(key)), visit);
    }
}

/// Whether the segment before the last one of `pointer` is `key`.
fn parent_is(pointer: &str, key: &str) -> bool {
    let mut segments = pointer.rsplit('/');
    segments.next();
    segments.next() == Some(key)
}

/// Round-trips a value (at a location) through one generated type.
type RoundTrip = fn(&Value, &str);

/// Finds the round trip of a generated type by name.
type ByName = dyn Fn(&str) -> Option<RoundTrip>;

/// A named type's name and, when the table has it, its round trip.
type Named<'a> = dyn Fn(TypeId) -> (&'a str, Option<RoundTrip>) + 'a;

/// Round-trips `value` through the type `ty`; `named` finds the round trip of a named type.
fn check_example(ty: &TypeRef, value: &Value, at: &str, named: &Named) {
    match ty {
        TypeRef::Named(id) => match named(*id) {
            (_, Some(check)) => check(value, at),
            (name, None) => {
                panic!("{at}: add `{name}` to the table of types in examples_roundtrip.rs")
            }
        },
        TypeRef::String => {
            round_trip::<String>(value, at);
        }
        TypeRef::Bool => {
            round_trip::<bool>(value, at);
        }
        TypeRef::Integer(_) => {
            round_trip::<i64>(value, at);
        }
        TypeRef::Float(_) => {
            round_trip::<f64>(value, at);
        }
        TypeRef::Uuid => {
            round_trip::<uuid::Uuid>(value, at);
        }
        TypeRef::Json => {
            round_trip::<Value>(value, at);
        }
        TypeRef::List(item) => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{at}: a list's example is not an array: {value}"));
            for (index, item_value) in items.iter().enumerate() {
                check_value(item, item_value, &format!("{at}[{index}]"), named);
            }
        }
        TypeRef::Map(entry) => {
            let entries = value
                .as_object()
                .unwrap_or_else(|| panic!("{at}: a map's example is not an object: {value}"));
            for (key, entry_value) in entries {
                check_value(entry, entry_value, &format!("{at}.{key}"), named);
            }
        }
        TypeRef::Option(inner) => check_value(&TypeRef::Option(inner.clone()), value, at, named),
        TypeRef::Boxed(inner) => check_example(inner, value, at, named),
    }
}

/// Like [`check_example`], with `null` accepted where the type is an `Option`.
fn check_value(ty: &TypeRef, value: &Value, at: &str, named: &Named) {
    match ty {
        TypeRef::Option(_) if value.is_null() => {}
        TypeRef::Option(inner) => check_example(inner, value, at, named),
        other => check_example(other, value, at, named),
    }
}

/// A function per named type that round-trips a value through it.
macro_rules! type_table {
    ($module:ident: $($name:ident),* $(,)?) => {
        |name: &str| -> Option<fn(&Value, &str)> {
            match name {
                $(stringify!($name) => Some(|value: &Value, at: &str| {
                    round_trip::<$module::types::$name>(value, at);
                }),)*
                _ => None,
            }
        }
    };
}

fn check_every_example(spec: &str, by_name: &ByName) -> usize {
    let (examples, names) = every_example(spec);
    let named = |id: TypeId| -> (&str, Option<RoundTrip>) {
        let name = names[id.index()].as_str();
        (name, by_name(name))
    };
    let named: &Named = &named;
    for example in &examples {
        if example.value.is_null() {
            assert!(
                example.null_ok,
                "{}: the example is null, and the generated type does not allow it",
                example.at
            );
            continue;
        }
        check_example(&example.ty, &example.value, &example.at, named);
    }
    examples.len()
}

#[test]
fn every_ripio_example_round_trips() {
    let named = type_table!(ripio:
        KycCheckSuccessResponse, ErrorResponse, ErrorResponseDetail, TokenRequest, TokenResponse,
        TermsAcceptanceRequest, TermsAcceptanceResponse, CustomerCreateRequest,
        CustomerCreateRequestType, CustomerResponse, FiatAccountConfirmResponse,
        FiatAccountConfirmResponseStatus, FiatAccountCreateRequest, FiatAccountResponse,
        FiatAccountResponseStatus, FiatAccountRequirement, KycRequirements, KycSubmissionStatus,
        KycSubmissionStatusStatus, KycSubmission, KycSubmissionResponse, OtpValidationRequest,
        OffRampTransaction, OnRampOrderRequest, OnRampOrderResponse, OnRampTransaction,
        OnRampSessionRequest, OnRampSessionResponse, PaginatedOnRampSessionList, OnRampSession,
        QuoteRequest, QuoteResponse, QuoteResponseFeesItem, MarketRate, SimulateDepositRequest,
        TermsAcceptanceStatus, TermsAndConditions, PaginatedTransactionList,
        PaginatedCustomerOnRampTransactionList, CustomerOnRampTransaction,
        CustomerOnRampTransactionDestination, TransactionTimelineStep,
    );
    let count = check_every_example("specs/ripio.yaml", &named);
    assert!(count >= 100, "only {count} Ripio examples found");
}

#[test]
fn every_fonbnk_example_round_trips() {
    let named = type_table!(fonbnk: KycStateResponse);
    let count = check_every_example("specs/fonbnk.json", &named);
    assert!(count >= 1, "only {count} Fonbnk examples found");
}

/// What the pages define twice is one Rust type: names that differ only in case are aliases of
/// one type, and the shape both best-offer pages write inline is one struct.
#[test]
fn what_the_pages_define_twice_is_one_type() {
    use std::collections::BTreeMap;
    let network: fonbnk::types::OfframpNetwork = fonbnk::types::OffRampNetwork::Celo;
    let asset: fonbnk::types::OffRampAsset = fonbnk::types::OfframpAsset::Usdc;
    assert_eq!((network.as_str(), asset.as_str()), ("CELO", "USDC"));

    let field: fonbnk::types::OfferRequiredField = serde_json::from_value(json!({
        "type": "enum", "label": "Bank", "required": true,
        "options": [{"value": "044", "label": "Access Bank"}]
    }))
    .expect("a required field");
    let fields = BTreeMap::from([("bank_code".to_string(), field)]);
    let offer = json!({"requiredFields": {"bank_code": serde_json::to_value(&fields["bank_code"]).unwrap()}});
    let on_ramp: fonbnk::types::OnRampBestOfferResponseOffer =
        serde_json::from_value(offer.clone()).expect("an on-ramp offer");
    let mut off_ramp: fonbnk::types::OfframpBestOfferResponseOffer =
        serde_json::from_value(offer).expect("an off-ramp offer");
    // The same value moves from one to the other without conversion.
    off_ramp.required_fields = on_ramp.required_fields.clone();
    assert_eq!(off_ramp.required_fields, Some(fields));
    // The option item is the KYC state's `RequiredFieldOption`.
    let option: &fonbnk::types::RequiredFieldOption = &off_ramp.required_fields.as_ref().unwrap()
        ["bank_code"]
        .options
        .as_ref()
        .unwrap()[0];
    assert_eq!(option.label.as_deref(), Some("Access Bank"));
}
