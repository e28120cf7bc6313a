//! Lowering cases on minimal documents.

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{
    Api, BodyKind, IntegerKind, ParamLocation, PathPart, ResponseBody, SharedDefinition,
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

fn schemas(schemas: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

#[test]
fn inline_objects_are_named_after_parent_and_field_or_their_title() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Pet:\n      type: object\n      properties:\n        owner: {type: object, properties: {name: {type: string}}}\n        home: {type: object, title: Dwelling, properties: {x: {type: integer, format: int32}}}\n        tags: {type: array, items: {type: object, properties: {t: {type: string}}}}\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Pet", "PetOwner", "Dwelling", "PetTagsItem"]);
    let TypeKind::Struct { fields, .. } = kind(&api, "Dwelling") else {
        panic!("a struct")
    };
    assert_eq!(fields[0].ty, TypeRef::Integer(IntegerKind::I32));
}

#[test]
fn required_optional_nullable_and_keyword_fields() {
    let (api, _) = lower_yaml(&schemas(
        "    E:\n      type: object\n      required: [type, id]\n      properties:\n        type: {type: string}\n        id: {type: string, format: uuid, nullable: true}\n        self: {type: boolean}\n",
    ));
    let TypeKind::Struct {
        fields, additional, ..
    } = kind(&api, "E")
    else {
        panic!("a struct")
    };
    assert!(additional.is_none());
    let summary: Vec<(&str, &str, bool, bool)> = fields
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.wire_name.as_str(),
                f.required,
                f.nullable,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("r#type", "type", true, false),
            ("id", "id", true, true),
            ("self_", "self", false, false)
        ]
    );
    assert_eq!(fields[1].ty, TypeRef::Uuid);
}

#[test]
fn string_enums_are_open_with_unique_variant_names() {
    let (api, _) = lower_yaml(&schemas(
        "    S:\n      type: string\n      enum: [unknown, Unknown, a-b, a_b, '', a-b]\n",
    ));
    let TypeKind::Enum { variants } = kind(&api, "S") else {
        panic!("an enum")
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Unknown2", "unknown"),
            ("Unknown3", "Unknown"),
            ("AB", "a-b"),
            ("AB2", "a_b"),
            ("Empty", "")
        ]
    );
}

#[test]
fn enum_variants_are_located_at_their_own_index_past_nulls_and_repeats() {
    let (api, _) = lower_yaml(&schemas(
        "    S:\n      type: string\n      nullable: true\n      enum: [null, a, a, b]\n",
    ));
    let TypeKind::Enum { variants } = kind(&api, "S") else {
        panic!("an enum")
    };
    let located: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.wire_value.as_str(), v.pointer.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            ("a", "#/components/schemas/S/enum/1"),
            ("b", "#/components/schemas/S/enum/3")
        ]
    );
}

#[test]
fn recursion_by_value_is_boxed_but_not_through_containers() {
    let (api, _) = lower_yaml(&schemas(
        "    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        other: {$ref: '#/components/schemas/Other'}\n    Other:\n      type: object\n      properties:\n        back: {$ref: '#/components/schemas/Node'}\n",
    ));
    let TypeKind::Struct { fields, .. } = kind(&api, "Node") else {
        panic!("a struct")
    };
    assert_eq!(fields[0].ty, TypeRef::Boxed(Box::new(named(&api, "Node"))));
    assert_eq!(fields[1].ty, TypeRef::List(Box::new(named(&api, "Node"))));
    assert_eq!(fields[2].ty, TypeRef::Boxed(Box::new(named(&api, "Other"))));
}

#[test]
fn maps_and_free_form_objects() {
    let (api, _) = lower_yaml(&schemas(
        "    M:\n      type: object\n      additionalProperties: {type: integer}\n    F:\n      type: object\n    P:\n      type: object\n      properties: {a: {type: string}}\n      additionalProperties: true\n",
    ));
    assert_eq!(
        kind(&api, "M"),
        &TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Integer(IntegerKind::I64))))
    );
    assert_eq!(
        kind(&api, "F"),
        &TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Json)))
    );
    let TypeKind::Struct { additional, .. } = kind(&api, "P") else {
        panic!("a struct")
    };
    assert_eq!(
        additional.as_ref().map(|a| (a.name.as_str(), &a.ty)),
        Some(("additional_properties", &TypeRef::Json))
    );
}

#[test]
fn a_reference_to_a_missing_schema_is_a_located_error() {
    let (_, diagnostics) = lower_yaml(&schemas(
        "    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    ));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].severity, Severity::Error);
    assert_eq!(
        diagnostics[0].pointer,
        "#/components/schemas/A/properties/b"
    );
}

const OPERATIONS: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
security: [{key: []}]
paths:
  /items/{itemId}/parts/{part}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPart
      parameters:
        - {name: part, in: path, required: true, schema: {type: integer}}
        - {name: x-trace, in: header, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, format: int32}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        '404': {description: missing}
        4XX: {description: client error, content: {application/json: {schema: {type: string}}}}
        default: {description: other}
  /public:
    post:
      security: []
      requestBody: {required: true, content: {application/json: {schema: {type: array, items: {type: string}}}}}
      responses:
        '204': {description: done}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-key}
";

#[test]
fn operations_parameters_and_path_templates() {
    let (api, diagnostics) = lower_yaml(OPERATIONS);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let op = &api.operations[0];
    assert_eq!(
        (
            op.method_name.as_str(),
            op.type_name.as_str(),
            op.error_type_name.as_str()
        ),
        ("get_part", "GetPart", "GetPartError")
    );
    let params: Vec<(&str, ParamLocation, bool)> = op
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("item_id", ParamLocation::Path, true),
            ("part", ParamLocation::Path, true),
            ("x_trace", ParamLocation::Header, false),
            ("limit", ParamLocation::Query, false)
        ]
    );
    assert_eq!(
        op.path_parts,
        [
            PathPart::Literal("/items/".into()),
            PathPart::Param(0),
            PathPart::Literal("/parts/".into()),
            PathPart::Param(1)
        ]
    );
    assert!(op.authenticated);
}

#[test]
fn responses_become_success_and_named_error_variants() {
    let (api, _) = lower_yaml(OPERATIONS);
    let op = &api.operations[0];
    assert_eq!(op.success.len(), 1);
    assert_eq!(
        op.success[0].body,
        ResponseBody::Json(named(&api, "GetPartResponse"))
    );
    let errors: Vec<(StatusMatch, &str)> = op
        .errors
        .iter()
        .map(|r| (r.status, r.variant.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (StatusMatch::Code(404), "NotFound"),
            (StatusMatch::Range(4), "Status4xx"),
            (StatusMatch::Default, "Default")
        ]
    );
    assert_eq!(op.errors[0].body, ResponseBody::Empty);
}

#[test]
fn operations_without_an_id_get_a_name_from_method_and_path_and_can_opt_out_of_auth() {
    let (api, _) = lower_yaml(OPERATIONS);
    let op = &api.operations[1];
    assert_eq!(op.method_name, "post_public");
    assert!(
        !op.authenticated,
        "`security: []` opts out of the global requirement"
    );
    let body = op.body.as_ref().expect("a body");
    assert!(body.required);
    assert_eq!(
        body.kind,
        BodyKind::Json(TypeRef::List(Box::new(TypeRef::String)))
    );
}

#[test]
fn an_undeclared_path_parameter_is_an_error() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n";
    let (api, diagnostics) = lower_yaml(text);
    assert!(api.operations.is_empty());
    assert_eq!(diagnostics[0].severity, Severity::Error);
    assert!(
        diagnostics[0].message.contains("`{id}`"),
        "{}",
        diagnostics[0].message
    );
    assert_eq!(diagnostics[0].pointer, "#/paths/~1a~1{id}/get");
}

mod unions;

#[test]
fn schemas_whose_rust_names_collide_are_named_apart_with_a_warning() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    pet_owner: {type: object, properties: {a: {type: string}}}\n    PetOwner: {type: object, properties: {b: {type: string}}}\n",
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["PetOwner", "PetOwner2"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].severity, Severity::Warning);
    assert_eq!(diagnostics[0].pointer, "#/components/schemas/PetOwner");
    assert!(
        diagnostics[0].message.contains("`pet_owner`"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn a_cycle_of_bare_references_is_an_error() {
    let (_, diagnostics) = lower_yaml(&schemas(
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C: {$ref: '#/components/schemas/A'}\n",
    ));
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{diagnostics:?}");
    assert!(
        errors[0].message.contains("A -> B -> A"),
        "{}",
        errors[0].message
    );
}

#[test]
fn an_external_reference_is_refused_with_a_bundling_hint() {
    let (_, diagnostics) = lower_yaml(&schemas(
        "    A: {type: object, properties: {b: {$ref: 'other.yaml#/B'}}}\n",
    ));
    assert_eq!(diagnostics[0].severity, Severity::Error);
    assert!(
        diagnostics[0].message.contains("another document"),
        "{}",
        diagnostics[0].message
    );
    assert!(diagnostics[0]
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("bundle"));
}

#[test]
fn duplicate_operation_ids_are_named_apart_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n";
    let (api, diagnostics) = lower_yaml(text);
    let methods: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(methods, ["list", "list_2"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].message.contains("#/paths/~1a/get"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn idempotency_is_read_from_the_extension_and_the_key_header() {
    let (api, diagnostics) = lower_yaml(
        "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: declared
      x-rampgen-idempotent: true
      responses: {'200': {description: ok}}
  /b:
    post:
      operationId: keyed
      parameters:
        - {name: Idempotency-Key, in: header, required: true, schema: {type: string}}
        - {name: idempotency-key, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
  /c:
    post:
      operationId: misdeclared
      x-rampgen-idempotent: 'yes'
      responses: {'200': {description: ok}}
",
    );
    let hints: Vec<(&str, bool, Option<&str>)> = api
        .operations
        .iter()
        .map(|op| (op.id.as_str(), op.idempotent, op.idempotency_key.as_deref()))
        .collect();
    assert_eq!(
        hints,
        [
            ("declared", true, None),
            ("keyed", false, Some("Idempotency-Key")),
            ("misdeclared", false, None)
        ]
    );
    let [warning] = diagnostics.as_slice() else {
        panic!("one warning expected: {diagnostics:?}");
    };
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.pointer, "#/paths/~1c/post/x-rampgen-idempotent");
    assert!(warning.message.contains("not a boolean"), "{warning:?}");
}

/// A document whose components form one chain of `links` `$ref`s (`A0` → `A1` → … → the object
/// `Target`), sent as a JSON body and as a multipart body.
fn ref_chain(links: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..links {
        let next = if i + 1 == links {
            "Target".to_string()
        } else {
            format!("A{}", i + 1)
        };
        let reference = format!("#/components/schemas/{next}");
        schemas.insert(format!("A{i}"), serde_json::json!({ "$ref": reference }));
    }
    schemas.insert(
        "Target".to_string(),
        serde_json::json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}),
    );
    let body = |media: &str| {
        serde_json::json!({"requestBody": {"content": {media: {
            "schema": {"$ref": "#/components/schemas/A0"}}}},
            "responses": {"204": {"description": "done"}}})
    };
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "chain", "version": "1"},
        "paths": {"/json": {"post": body("application/json")},
                  "/upload": {"post": body("multipart/form-data")}},
        "components": {"schemas": schemas},
    })
    .to_string()
}

#[test]
fn a_chain_of_three_thousand_refs_lowers_to_aliases_and_the_multipart_body_follows_it() {
    let links = 3000;
    let doc = load(&ref_chain(links), Format::Json).expect("the chain loads");
    let spec = crate::parse::parse(&doc.value).expect("the chain parses");
    let (api, diagnostics) = super::lower(&spec);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");

    assert_eq!(api.types.len(), links + 1);
    for i in 0..links {
        let next = if i + 1 == links {
            "Target".to_string()
        } else {
            format!("A{}", i + 1)
        };
        assert_eq!(
            kind(&api, &format!("A{i}")),
            &TypeKind::Alias(named(&api, &next)),
            "A{i}"
        );
    }
    let TypeKind::Struct { fields, .. } = kind(&api, "Target") else {
        panic!("Target is a struct")
    };
    let field_names: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(field_names, ["id", "file"]);

    let [json, upload] = api.operations.as_slice() else {
        panic!("two operations")
    };
    fn body_kind(op: &crate::ir::Operation) -> &BodyKind {
        &op.body.as_ref().expect("a body").kind
    }
    assert_eq!(body_kind(json), &BodyKind::Json(named(&api, "A0")));
    // Through the whole chain, the multipart parts are the struct's fields.
    let BodyKind::Multipart(form) = body_kind(upload) else {
        panic!("a multipart form")
    };
    let parts: Vec<(&str, bool, Option<&str>)> = (form.parts.iter())
        .map(|p| (p.wire_name.as_str(), p.required, p.content_type.as_deref()))
        .collect();
    assert_eq!(
        parts,
        [
            ("id", true, None),
            ("file", false, Some("application/octet-stream"))
        ]
    );
    assert_eq!(
        form.parts[0].pointer.as_str(),
        "#/components/schemas/Target/properties/id"
    );
}

/// Four operations: two document the same 404 and 5XX errors, one documents the same statuses
/// with other docs, and one documents none.
const ERROR_SETS: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200': {description: ok}
        '404': {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        5XX: {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
    delete:
      operationId: deleteA
      responses:
        '204': {description: gone}
        '404': {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        5XX: {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /b:
    get:
      operationId: getB
      responses:
        '200': {description: ok}
        '404': {description: no such b, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        5XX: {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
    put:
      operationId: putB
      responses:
        '200': {description: ok}
components:
  schemas:
    Problem: {type: object, properties: {message: {type: string}}}
"#;

/// An operation's request and error names, and its shared type: (name, operations, where).
type SharedSummary<'a> = (&'a str, &'a str, Option<(&'a str, usize, SharedDefinition)>);

#[test]
fn operations_that_document_the_same_errors_share_one_enum() {
    let (api, diagnostics) = lower_yaml(ERROR_SETS);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let shared: Vec<SharedSummary> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.type_name.as_str(),
                op.error_type_name.as_str(),
                op.shared_errors
                    .as_ref()
                    .map(|s| (s.type_name.as_str(), s.operations, s.defined)),
            )
        })
        .collect();
    use SharedDefinition::*;
    assert_eq!(
        shared,
        [
            ("GetA", "GetAError", Some(("ApiError", 2, Here))),
            ("DeleteA", "DeleteAError", Some(("ApiError", 2, Elsewhere))),
            // Other docs for the same statuses: its own enum, so no doc is lost.
            ("GetB", "GetBError", None),
            // No documented errors: the runtime's type.
            (
                "PutB",
                "PutBError",
                Some(("NoDocumentedErrors", 1, Runtime))
            ),
        ]
    );
}

#[test]
fn smaller_groups_share_an_enum_named_after_their_variants() {
    // A third operation like getB makes a second group of two.
    let text = ERROR_SETS.replace(
        "    put:\n      operationId: putB\n      responses:\n        '200': {description: ok}\n",
        "    put:\n      operationId: putB\n      responses:\n        '200': {description: ok}\n        '404': {description: no such b, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}\n        5XX: {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}\n    post:\n      operationId: postB\n      responses:\n        '200': {description: ok}\n        '404': {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}\n        5XX: {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}\n",
    );
    let (api, diagnostics) = lower_yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let names: Vec<(&str, Option<&str>)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.type_name.as_str(),
                op.shared_errors.as_ref().map(|s| s.type_name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("GetA", Some("ApiError")),
            ("DeleteA", Some("ApiError")),
            ("GetB", Some("NotFoundOrStatus5xxError")),
            ("PutB", Some("NotFoundOrStatus5xxError")),
            ("PostB", Some("ApiError")),
        ]
    );
}

#[test]
fn operations_with_errors_of_their_own_keep_their_own_enums() {
    let (api, _) = lower_yaml(OPERATIONS);
    for op in &api.operations {
        match &op.shared_errors {
            None => assert!(!op.errors.is_empty(), "{}", op.type_name),
            Some(shared) => {
                assert_eq!(
                    shared.defined,
                    SharedDefinition::Runtime,
                    "{}",
                    op.type_name
                );
                assert!(op.errors.is_empty(), "{}", op.type_name);
            }
        }
    }
}

#[test]
fn operations_named_like_the_clients_own_methods_are_renamed_with_a_warning() {
    let (api, diagnostics) = lower_yaml(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: withOptions\n      responses: {'200': {description: ok}}\n    post:\n      operationId: new\n      responses: {'200': {description: ok}}\n",
    );
    let methods: Vec<&str> = api
        .operations
        .iter()
        .map(|op| op.method_name.as_str())
        .collect();
    assert_eq!(methods, ["with_options_2", "new_2"]);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .contains("the name of one of the client's own methods (`with_options`)"),
        "{}",
        diagnostics[0].message
    );
}
