//! Lowering request and response bodies by media type, cookie and header parameters, on
//! minimal documents.

use crate::diagnostics::Diagnostic;
use crate::ir::{
    Api, Body, BodyKind, MultipartForm, Operation, ParamLocation, PartKind, ResponseBody,
    StatusMatch, TypeKind, TypeRef,
};
use crate::load::{load, Format};

/// A reference to the type of this Rust name.
fn named(api: &Api, name: &str) -> TypeRef {
    TypeRef::Named(api.find_type(name).expect("the type"))
}

fn lower_yaml(text: &str) -> (Api, Vec<Diagnostic>) {
    let doc = load(text, Format::Yaml).expect("test document loads");
    let spec = crate::parse::parse(&doc.value).expect("test document parses");
    super::lower(&spec)
}

/// A document with one `POST /x` operation (`operationId: op`) whose `requestBody` is `body`
/// (YAML flow or block text indented for the operation), plus `components`.
fn with_body(body: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /x:\n    post:\n      operationId: op\n      requestBody:\n{body}\n      responses:\n        '204': {{description: done}}\ncomponents:\n  schemas:\n{components}"
    )
}

/// A document with one `GET /x` operation whose `responses` are `responses`.
fn with_responses(responses: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /x:\n    get:\n      operationId: op\n      responses:\n{responses}\n"
    )
}

fn only_operation(api: &Api) -> &Operation {
    assert_eq!(api.operations.len(), 1, "the operation is kept");
    &api.operations[0]
}

fn body(api: &Api) -> &Body {
    only_operation(api).body.as_ref().expect("a body")
}

fn multipart(api: &Api) -> &MultipartForm {
    match &body(api).kind {
        BodyKind::Multipart(form) => form,
        other => panic!("not a multipart form: {other:?}"),
    }
}

fn no_components() -> &'static str {
    "    Unused: {type: string}\n"
}

#[test]
fn a_form_body_takes_the_schema_type() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        required: true\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, required: [criteria], properties: {criteria: {type: string}, rows: {type: integer}}}",
        no_components(),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let body = body(&api);
    assert_eq!(body.media_type, "application/x-www-form-urlencoded");
    assert_eq!(body.kind, BodyKind::Form(named(&api, "OpBody")));
    assert!(body.required);
    assert!(matches!(
        &api.types.iter().find(|t| t.name == "OpBody").unwrap().kind,
        TypeKind::Struct { .. }
    ));
}

#[test]
fn json_is_preferred_wherever_it_is_listed() {
    let (api, _) = lower_yaml(&with_body(
        "        content:\n          application/x-www-form-urlencoded: {schema: {type: string}}\n          application/merge-patch+json: {schema: {type: string}}",
        no_components(),
    ));
    let body = body(&api);
    assert_eq!(body.media_type, "application/merge-patch+json");
    assert_eq!(body.kind, BodyKind::Json(TypeRef::String));
}

#[test]
fn otherwise_the_first_encodable_media_type_is_taken() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          application/xml: {schema: {type: string}}\n          text/plain: {schema: {type: string}}",
        no_components(),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let body = body(&api);
    assert_eq!(
        (body.media_type.as_str(), &body.kind),
        ("text/plain", &BodyKind::Text)
    );
}

#[test]
fn binary_media_types_are_bytes() {
    for (media_type, sent) in [
        ("application/octet-stream", "application/octet-stream"),
        ("image/png", "image/png"),
        ("image/*", "application/octet-stream"),
        ("application/pdf", "application/pdf"),
    ] {
        let (api, diagnostics) = lower_yaml(&with_body(
            &format!("        content:\n          '{media_type}': {{schema: {{type: string, format: binary}}}}"),
            no_components(),
        ));
        assert!(diagnostics.is_empty(), "{media_type}: {diagnostics:?}");
        let body = body(&api);
        assert_eq!(body.kind, BodyKind::Bytes, "{media_type}");
        assert_eq!(body.media_type, sent);
    }
}

#[test]
fn any_media_type_with_a_binary_schema_is_bytes() {
    let (api, _) = lower_yaml(&with_body(
        "        content:\n          '*/*': {schema: {type: string, format: binary}}",
        no_components(),
    ));
    let body = body(&api);
    assert_eq!(body.kind, BodyKind::Bytes);
    assert_eq!(body.media_type, "application/octet-stream");
}

#[test]
fn text_bodies_are_strings() {
    let (api, _) = lower_yaml(&with_body(
        "        required: true\n        content:\n          text/plain: {schema: {type: string}}",
        no_components(),
    ));
    assert_eq!(body(&api).kind, BodyKind::Text);
}

#[test]
fn an_unknown_media_type_is_kept_as_bytes_with_a_warning() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          application/sdp: {schema: {type: string}}",
        no_components(),
    ));
    let body = body(&api);
    assert_eq!(
        (body.media_type.as_str(), &body.kind),
        ("application/sdp", &BodyKind::Bytes)
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].message.contains("application/sdp"));
    assert_eq!(
        diagnostics[0].pointer,
        "#/paths/~1x/post/requestBody/content/application~1sdp"
    );
}

#[test]
fn multipart_binary_fields_are_files_and_the_rest_values() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema:\n              type: object\n              required: [file]\n              properties:\n                additionalMetadata: {type: string, description: Extra.}\n                file: {type: string, format: binary}\n                count: {type: integer, format: int32}",
        no_components(),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let form = multipart(&api);
    assert_eq!(form.type_name, "OpBody");
    let parts: Vec<(&str, &str, &PartKind, bool)> = form
        .parts
        .iter()
        .map(|p| (p.name.as_str(), p.wire_name.as_str(), &p.kind, p.required))
        .collect();
    assert_eq!(
        parts,
        [
            (
                "additional_metadata",
                "additionalMetadata",
                &PartKind::Value(TypeRef::String),
                false
            ),
            ("file", "file", &PartKind::File, true),
            (
                "count",
                "count",
                &PartKind::Value(TypeRef::Integer(crate::ir::IntegerKind::I32)),
                false
            ),
        ]
    );
    assert_eq!(form.parts[0].docs.as_deref(), Some("Extra."));
    assert!(
        api.types.iter().all(|t| t.name != "OpBody"),
        "the multipart struct lives with the operation, not in `types`"
    );
}

#[test]
fn multipart_through_ref_and_all_of_reuses_the_component_field_types() {
    let components = "    Message:\n      type: object\n      required: [content]\n      properties:\n        content: {type: string}\n        flags: {type: string, enum: [a, b]}\n";
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema:\n              allOf:\n                - $ref: '#/components/schemas/Message'\n                - type: object\n                  properties:\n                    'files[0]': {type: string, format: binary}",
        components,
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let form = multipart(&api);
    let parts: Vec<(&str, &PartKind, bool)> = form
        .parts
        .iter()
        .map(|p| (p.wire_name.as_str(), &p.kind, p.required))
        .collect();
    assert_eq!(
        parts,
        [
            ("content", &PartKind::Value(TypeRef::String), true),
            (
                "flags",
                &PartKind::Value(named(&api, "MessageFlags")),
                false
            ),
            ("files[0]", &PartKind::File, false),
        ]
    );
    assert_eq!(form.parts[2].name, "files_0");
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Message", "MessageFlags"], "no type defined twice");
}

#[test]
fn multipart_file_arrays_and_unions_of_files() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema:\n              type: object\n              properties:\n                images: {type: array, items: {type: string, format: binary}}\n                image: {anyOf: [{type: string, format: binary}, {type: array, items: {type: string, format: binary}}]}\n                reference: {oneOf: [{type: string, format: binary}, {type: object, properties: {url: {type: string}}}]}",
        no_components(),
    ));
    let kinds: Vec<&PartKind> = multipart(&api).parts.iter().map(|p| &p.kind).collect();
    assert_eq!(kinds, [&PartKind::Files, &PartKind::Files, &PartKind::File]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].pointer.ends_with("/properties/reference"));
}

#[test]
fn multipart_encoding_content_types_reach_the_parts() {
    let (api, _) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema: {type: object, properties: {sdp: {type: string}, photo: {type: string, format: binary}}}\n            encoding:\n              sdp: {contentType: application/sdp}\n              photo: {contentType: 'image/png, image/jpeg'}",
        no_components(),
    ));
    let types: Vec<Option<&str>> = multipart(&api)
        .parts
        .iter()
        .map(|p| p.content_type.as_deref())
        .collect();
    assert_eq!(types, [Some("application/sdp"), Some("image/png")]);
}

#[test]
fn multipart_without_properties_sends_the_value_fields() {
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema: {type: object, additionalProperties: {type: string}}",
        no_components(),
    ));
    assert!(
        diagnostics.is_empty(),
        "a map is fully described: {diagnostics:?}"
    );
    assert_eq!(
        body(&api).kind,
        BodyKind::MultipartFields(TypeRef::Map(Box::new(TypeRef::String)))
    );

    let components = "    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: string}}}\n";
    let (api, diagnostics) = lower_yaml(&with_body(
        "        content:\n          multipart/form-data:\n            schema: {anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}",
        components,
    ));
    assert!(matches!(body(&api).kind, BodyKind::MultipartFields(_)));
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("no properties")),
        "{diagnostics:?}"
    );
}

#[test]
fn cookie_and_header_parameters() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      parameters:\n        - {name: session, in: cookie, required: true, schema: {type: string}}\n        - {name: theme, in: cookie, schema: {type: string}}\n        - {name: X-Request-Id, in: header, required: true, schema: {type: string}}\n        - {name: Accept, in: header, schema: {type: string}}\n        - {name: content-type, in: header, schema: {type: string}}\n        - {name: Authorization, in: header, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let (api, diagnostics) = lower_yaml(text);
    let params: Vec<(&str, &str, ParamLocation, bool)> = only_operation(&api)
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.wire_name.as_str(),
                p.location,
                p.required,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("session", "session", ParamLocation::Cookie, true),
            ("theme", "theme", ParamLocation::Cookie, false),
            ("x_request_id", "X-Request-Id", ParamLocation::Header, true),
        ]
    );
    let ignored: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        ignored,
        [
            "#/paths/~1x/get/parameters/3",
            "#/paths/~1x/get/parameters/4",
            "#/paths/~1x/get/parameters/5"
        ],
        "only the ignored headers are reported: {diagnostics:?}"
    );
}

#[test]
fn responses_are_typed_text_or_bytes_by_media_type() {
    let (api, diagnostics) = lower_yaml(&with_responses(
        "        '200': {description: csv, content: {text/csv: {schema: {type: string}}}}\n        '400': {description: bad, content: {image/png: {schema: {type: string, format: binary}}, application/json: {schema: {type: string}}}}\n        '404': {description: gone, content: {application/pdf: {}}}\n        default: {description: other, content: {text/plain: {}}}",
    ));
    assert!(
        diagnostics.is_empty(),
        "nothing is ignored any more: {diagnostics:?}"
    );
    let op = only_operation(&api);
    assert_eq!(
        op.success[0].body,
        ResponseBody::Text {
            media_type: "text/csv".into()
        }
    );
    let errors: Vec<(StatusMatch, &ResponseBody)> =
        op.errors.iter().map(|r| (r.status, &r.body)).collect();
    assert_eq!(
        errors,
        [
            (StatusMatch::Code(400), &ResponseBody::Json(TypeRef::String)),
            (
                StatusMatch::Code(404),
                &ResponseBody::Bytes {
                    media_type: "application/pdf".into()
                }
            ),
            (
                StatusMatch::Default,
                &ResponseBody::Text {
                    media_type: "text/plain".into()
                }
            ),
        ]
    );
}

#[test]
fn a_default_response_without_content_is_empty() {
    let (api, _) = lower_yaml(&with_responses(
        "        '200': {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}\n        default: {description: other}",
    ));
    let op = only_operation(&api);
    assert_eq!(
        op.success[0].body,
        ResponseBody::Bytes {
            media_type: "application/octet-stream".into()
        }
    );
    assert_eq!(op.errors[0].status, StatusMatch::Default);
    assert_eq!(op.errors[0].body, ResponseBody::Empty);
}

#[test]
fn success_bodies_of_different_rust_types_get_an_enum() {
    let (api, _) = lower_yaml(&with_responses(
        "        '200': {description: a, content: {text/plain: {}}}\n        '201': {description: b, content: {application/zip: {}}}",
    ));
    assert_eq!(
        only_operation(&api).success_type_name.as_deref(),
        Some("OpSuccess")
    );
    let (api, _) = lower_yaml(&with_responses(
        "        '200': {description: a, content: {image/png: {}}}\n        '203': {description: b, content: {image/jpeg: {}}}",
    ));
    assert_eq!(
        only_operation(&api).success_type_name,
        None,
        "two byte bodies are one Rust type"
    );
}
