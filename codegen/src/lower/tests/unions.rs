//! Lowering `oneOf`/`anyOf`, `allOf`, integer enums and formats, on minimal documents.

use super::{kind, lower_yaml, schemas};
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{
    Api, FloatKind, IntegerKind, Pointer, TagValue, TypeKind, TypeRef, Union, Variant,
};
use crate::load::{load, Format};

/// Like `lower_yaml`, after the repair rules (3.1 forms such as `const` and `type: "null"`).
fn lower_repaired(text: &str) -> (Api, Vec<Diagnostic>) {
    let mut doc = load(text, Format::Yaml).expect("test document loads");
    crate::repair::repair_document(&mut doc.value);
    let spec = crate::parse::parse(&doc.value).expect("repaired document parses");
    crate::lower::lower(&spec)
}

fn union<'a>(api: &'a Api, name: &str) -> &'a Union {
    match kind(api, name) {
        TypeKind::Union(union) => union,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [crate::ir::Field] {
    match kind(api, name) {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn docs<'a>(api: &'a Api, name: &str) -> &'a str {
    let def = api.types.iter().find(|t| t.name == name).expect("the type");
    def.docs.as_deref().unwrap_or("")
}

/// `(variant, type, tags)` for each variant.
fn summary(union: &Union) -> Vec<(&str, &TypeRef, Vec<TagValue>)> {
    union
        .variants
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                v.ty.as_ref().expect("a payload"),
                v.tags.clone(),
            )
        })
        .collect()
}

fn s(value: &str) -> TagValue {
    TagValue::String(value.to_string())
}

fn named(api: &Api, name: &str) -> TypeRef {
    TypeRef::Named(api.find_type(name).expect("the type"))
}

fn warnings(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect()
}

const PETS: &str = "    Cat:\n      type: object\n      required: [kind]\n      properties:\n        kind: {type: string}\n        lives: {type: integer}\n    Dog:\n      type: object\n      required: [kind]\n      properties:\n        kind: {type: string}\n";

#[test]
fn untagged_union_variants_in_document_order_named_by_ref_title_or_kind() {
    let (api, diagnostics) = lower_yaml(&schemas(&format!(
        "{PETS}    U:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n        - {{title: Code, type: integer, format: int32}}\n        - {{type: string}}\n        - {{type: array, items: {{type: string}}}}\n        - {{type: object, properties: {{a: {{type: string}}, b: {{type: string}}}}}}\n        - {{type: object, properties: {{only: {{type: string}}}}}}\n"
    )));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let u = union(&api, "U");
    assert_eq!(u.tag, None);
    assert_eq!(u.fallback.as_deref(), Some("Unknown"));
    assert_eq!(
        summary(u),
        [
            ("Cat", &named(&api, "Cat"), vec![]),
            ("Code", &TypeRef::Integer(IntegerKind::I32), vec![]),
            ("String", &TypeRef::String, vec![]),
            ("Array", &TypeRef::List(Box::new(TypeRef::String)), vec![]),
            ("Object", &named(&api, "UObject"), vec![]),
            ("Only", &named(&api, "UOnly"), vec![]),
        ]
    );
    assert_eq!(
        u.variants[4].pointer.as_str(),
        "#/components/schemas/U/oneOf/4"
    );
    assert!(matches!(kind(&api, "UObject"), TypeKind::Struct { .. }));
}

#[test]
fn a_branch_that_takes_any_value_replaces_the_fallback_and_repeated_types_collapse() {
    let (api, _) = lower_yaml(&schemas(
        "    U:\n      anyOf:\n        - {type: string}\n        - {type: integer}\n        - {type: string, title: Again}\n        - {description: anything}\n",
    ));
    let u = union(&api, "U");
    let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["String", "Integer", "Value"]);
    assert_eq!(u.fallback, None, "`Value` already keeps any value");
}

#[test]
fn a_discriminator_selects_by_mapping_then_payload_values_then_schema_name() {
    let (api, diagnostics) = lower_yaml(&schemas(&format!(
        "{PETS}    Bird:\n      type: object\n      required: [kind]\n      properties:\n        kind: {{type: string, enum: [bird, parrot]}}\n    Pet:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n        - $ref: '#/components/schemas/Dog'\n        - $ref: '#/components/schemas/Bird'\n      discriminator:\n        propertyName: kind\n        mapping:\n          doggo: '#/components/schemas/Dog'\n          pup: Dog\n"
    )));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let pet = union(&api, "Pet");
    assert_eq!(pet.tag.as_deref(), Some("kind"));
    assert_eq!(pet.fallback.as_deref(), Some("Unknown"));
    assert_eq!(
        summary(pet),
        [
            ("Cat", &named(&api, "Cat"), vec![s("Cat")]),
            ("Dog", &named(&api, "Dog"), vec![s("doggo"), s("pup")]),
            ("Bird", &named(&api, "Bird"), vec![s("bird"), s("parrot")]),
        ]
    );
    // The payload structs keep their tag field, required: the union hands them the whole object.
    assert!(fields(&api, "Cat")[0].required);
}

#[test]
fn a_discriminator_reads_the_tag_through_all_of_and_nullable_enums() {
    let (api, diagnostics) = lower_repaired(&schemas(
        "    Base:\n      type: object\n      required: [type]\n      properties:\n        type: {type: string}\n    Ref:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          properties:\n            type:\n              anyOf: [{type: string, enum: [item_reference]}, {type: 'null'}]\n            id: {type: string}\n    Msg:\n      type: object\n      required: [type]\n      properties:\n        type: {const: message}\n    Item:\n      oneOf: [{$ref: '#/components/schemas/Ref'}, {$ref: '#/components/schemas/Msg'}]\n      discriminator: {propertyName: type}\n",
    ));
    assert!(warnings(&diagnostics).is_empty(), "{diagnostics:?}");
    let item = union(&api, "Item");
    assert_eq!(
        summary(item),
        [
            ("Ref", &named(&api, "Ref"), vec![s("item_reference")]),
            ("Msg", &named(&api, "Msg"), vec![s("message")]),
        ]
    );
}

#[test]
fn branches_sharing_a_tag_value_share_it_and_branches_without_one_are_tried_for_the_rest() {
    let (api, diagnostics) = lower_yaml(&schemas(&format!(
        "{PETS}    In:\n      type: object\n      required: [type, role]\n      properties:\n        type: {{type: string, enum: [message]}}\n        role: {{type: string}}\n    Out:\n      type: object\n      required: [type, id]\n      properties:\n        type: {{type: string, enum: [message]}}\n        id: {{type: string}}\n    Item:\n      oneOf:\n        - $ref: '#/components/schemas/In'\n        - $ref: '#/components/schemas/Out'\n        - {{type: string}}\n      discriminator: {{propertyName: type}}\n"
    )));
    let item = union(&api, "Item");
    assert_eq!(item.tag.as_deref(), Some("type"));
    assert_eq!(
        summary(item),
        [
            ("In", &named(&api, "In"), vec![s("message")]),
            ("Out", &named(&api, "Out"), vec![s("message")]),
            ("String", &TypeRef::String, vec![]),
        ]
    );
    assert_eq!(
        warnings(&diagnostics),
        [(
            "#/components/schemas/Item/discriminator",
            "the discriminator `type` cannot select every branch (branch 2 is not an object); those are tried in order for values no other branch claims"
        )]
    );
}

#[test]
fn a_discriminator_that_selects_no_branch_leaves_the_union_untagged_with_a_warning() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    U:\n      oneOf: [{type: string}, {type: integer}]\n      discriminator: {propertyName: kind}\n",
    ));
    let u = union(&api, "U");
    assert_eq!(u.tag, None);
    assert_eq!(
        warnings(&diagnostics),
        [(
            "#/components/schemas/U/discriminator",
            "the discriminator `kind` cannot be honoured (branch 0 is not an object, branch 1 is not an object); the union is untagged"
        )]
    );
}

#[test]
fn a_required_property_with_distinct_values_in_every_branch_is_an_inferred_tag() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Range:\n      oneOf:\n        - type: object\n          required: [end, type]\n          properties:\n            end: {type: number}\n            type: {type: string, enum: [range_to]}\n        - type: object\n          required: [start, end, type]\n          properties:\n            start: {type: number}\n            end: {type: number}\n            type: {type: string, enum: [range]}\n    Component:\n      oneOf:\n        - type: object\n          required: [type]\n          properties: {type: {type: integer, enum: [2]}, style: {type: integer}}\n        - type: object\n          required: [type]\n          properties: {type: {type: integer, enum: [3, 5]}}\n    Loose:\n      oneOf:\n        - type: object\n          properties: {type: {type: string, enum: [a]}}\n        - type: object\n          required: [type]\n          properties: {type: {type: string, enum: [b]}}\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let range = union(&api, "Range");
    assert_eq!(range.tag.as_deref(), Some("type"));
    assert_eq!(
        summary(range),
        [
            ("RangeTo", &named(&api, "RangeRangeTo"), vec![s("range_to")]),
            ("Range", &named(&api, "RangeRange"), vec![s("range")]),
        ]
    );
    let component = union(&api, "Component");
    assert_eq!(
        component
            .variants
            .iter()
            .map(|v| v.tags.clone())
            .collect::<Vec<_>>(),
        [
            vec![TagValue::Integer(2)],
            vec![TagValue::Integer(3), TagValue::Integer(5)]
        ]
    );
    assert_eq!(
        union(&api, "Loose").tag,
        None,
        "the first branch does not require `type`"
    );
}

#[test]
fn unions_of_string_consts_are_string_enums_named_by_their_titles() {
    let (api, diagnostics) = lower_repaired(&schemas(
        "    Mentions:\n      type: string\n      oneOf:\n        - {title: USERS, description: Users are mentioned, const: users}\n        - {title: ROLES, const: roles}\n    Model:\n      anyOf:\n        - {type: string}\n        - {type: string, enum: [gpt-4o, o3]}\n    Plain:\n      type: string\n      anyOf: [{title: First, type: string}, {description: second}]\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let TypeKind::Enum { variants } = kind(&api, "Mentions") else {
        panic!("an enum")
    };
    assert_eq!(
        variants,
        &[
            Variant {
                name: "Users".into(),
                wire_value: "users".into(),
                docs: Some("Users are mentioned".into()),
                pointer: Pointer::from_escaped("#/components/schemas/Mentions/oneOf/0"),
            },
            Variant {
                name: "Roles".into(),
                wire_value: "roles".into(),
                docs: None,
                pointer: Pointer::from_escaped("#/components/schemas/Mentions/oneOf/1"),
            },
        ]
    );
    let TypeKind::Enum { variants } = kind(&api, "Model") else {
        panic!("an open enum: it keeps any other string")
    };
    let wires: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    assert_eq!(wires, ["gpt-4o", "o3"]);
    assert_eq!(kind(&api, "Plain"), &TypeKind::Alias(TypeRef::String));
}

#[test]
fn integer_consts_and_enums_stay_integers_and_list_their_values_in_the_docs() {
    let (api, diagnostics) = lower_repaired(&schemas(
        "    Afk:\n      type: integer\n      format: int32\n      oneOf:\n        - {title: ONE_MINUTE, const: 60}\n        - {title: ONE_HOUR, description: An hour., const: 3600}\n    Sized:\n      type: object\n      properties:\n        size: {type: integer, enum: [512, 2048, 4096], description: The size.}\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        kind(&api, "Afk"),
        &TypeKind::Alias(TypeRef::Integer(IntegerKind::I32))
    );
    assert_eq!(
        docs(&api, "Afk"),
        "One of:\n- `60` (`ONE_MINUTE`)\n- `3600` (`ONE_HOUR`): An hour."
    );
    let size = &fields(&api, "Sized")[0];
    assert_eq!(size.ty, TypeRef::Integer(IntegerKind::I64));
    assert_eq!(
        size.docs.as_deref(),
        Some("The size.\n\nOne of: 512, 2048, 4096.")
    );
}

#[test]
fn formats_map_to_rust_types_or_are_noted_in_the_docs() {
    let (api, _) = lower_yaml(&schemas(
        "    F:\n      type: object\n      properties:\n        at: {type: string, format: date-time}\n        id: {type: string, format: uuid}\n        mail: {type: string, format: email, description: Who.}\n        tiny: {type: integer, format: int8}\n        small: {type: integer, format: uint16}\n        byte: {type: integer, format: uint8}\n        when: {type: integer, format: unixtime}\n        ratio: {type: number, format: float}\n        money: {type: number, format: decimal}\n    Stamp:\n      type: string\n      format: date\n",
    ));
    let summary: Vec<(&TypeRef, Option<&str>)> = fields(&api, "F")
        .iter()
        .map(|f| (&f.ty, f.docs.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (&TypeRef::String, Some("Format: date-time.")),
            (&TypeRef::Uuid, None),
            (&TypeRef::String, Some("Who.\n\nFormat: email.")),
            (&TypeRef::Integer(IntegerKind::I8), None),
            (&TypeRef::Integer(IntegerKind::U16), None),
            (&TypeRef::Integer(IntegerKind::U8), None),
            (
                &TypeRef::Integer(IntegerKind::I64),
                Some("Format: unixtime.")
            ),
            (&TypeRef::Float(FloatKind::F32), None),
            (&TypeRef::Float(FloatKind::F64), Some("Format: decimal.")),
        ]
    );
    assert_eq!(docs(&api, "Stamp"), "Format: date.");
}

#[test]
fn a_nullable_union_field_is_an_option_of_the_union() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: integer}}}\n    Holder:\n      type: object\n      required: [value]\n      properties:\n        value:\n          anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}, {type: 'null'}]\n";
    let (api, diagnostics) = lower_repaired(text);
    assert!(warnings(&diagnostics).is_empty(), "{diagnostics:?}");
    let value = &fields(&api, "Holder")[0];
    assert_eq!(value.ty, named(&api, "HolderValue"));
    assert!(
        value.required && value.nullable,
        "emitted as Option<HolderValue>"
    );
    let names: Vec<&str> = union(&api, "HolderValue")
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["A", "B"]);
}

#[test]
fn one_branch_is_that_branch() {
    let (api, _) = lower_yaml(&schemas(
        "    A: {type: object, properties: {a: {type: string}}}\n    Wrapped:\n      anyOf: [{$ref: '#/components/schemas/A'}]\n    Inline:\n      oneOf: [{type: object, properties: {x: {type: integer}}}]\n",
    ));
    assert_eq!(kind(&api, "Wrapped"), &TypeKind::Alias(named(&api, "A")));
    assert!(matches!(kind(&api, "Inline"), TypeKind::Struct { .. }));
}

#[test]
fn a_recursive_union_is_boxed_and_a_branch_that_is_the_union_itself_is_left_out() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Expr:\n      oneOf:\n        - {type: integer}\n        - $ref: '#/components/schemas/Not'\n        - $ref: '#/components/schemas/Expr'\n    Not:\n      type: object\n      required: [not]\n      properties:\n        not: {$ref: '#/components/schemas/Expr'}\n",
    ));
    let expr = union(&api, "Expr");
    assert_eq!(
        summary(expr),
        [
            ("Integer", &TypeRef::Integer(IntegerKind::I64), vec![]),
            ("Not", &TypeRef::Boxed(Box::new(named(&api, "Not"))), vec![]),
        ]
    );
    assert_eq!(
        fields(&api, "Not")[0].ty,
        TypeRef::Boxed(Box::new(named(&api, "Expr")))
    );
    assert_eq!(
        warnings(&diagnostics),
        [("#/components/schemas/Expr/oneOf/2", "this branch is the union itself (through other unions), which adds no value and would recurse forever; left out")]
    );
}

#[test]
fn all_of_merges_references_inline_objects_and_nested_all_ofs() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Base:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        kind: {type: string}\n    Mid:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          properties: {size: {type: integer}}\n    Leaf:\n      description: A leaf.\n      allOf:\n        - $ref: '#/components/schemas/Mid'\n        - allOf:\n            - type: object\n              required: [size, colour]\n              properties: {colour: {type: string}}\n      properties:\n        own: {type: boolean}\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let leaf: Vec<(&str, bool, &str)> = fields(&api, "Leaf")
        .iter()
        .map(|f| (f.name.as_str(), f.required, f.pointer.as_str()))
        .collect();
    assert_eq!(
        leaf,
        [
            ("id", true, "#/components/schemas/Base/properties/id"),
            ("kind", false, "#/components/schemas/Base/properties/kind"),
            (
                "size",
                true,
                "#/components/schemas/Mid/allOf/1/properties/size"
            ),
            (
                "colour",
                true,
                "#/components/schemas/Leaf/allOf/1/allOf/0/properties/colour"
            ),
            ("own", false, "#/components/schemas/Leaf/properties/own"),
        ]
    );
    assert_eq!(docs(&api, "Leaf"), "A leaf.");
}

#[test]
fn all_of_with_one_member_beside_annotations_is_that_member() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    A: {type: object, properties: {a: {type: string}}}\n    Holder:\n      type: object\n      properties:\n        a: {allOf: [{$ref: '#/components/schemas/A'}], description: The A., nullable: true}\n    Named:\n      allOf: [{$ref: '#/components/schemas/A'}, {description: annotations only}]\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let a = &fields(&api, "Holder")[0];
    assert_eq!((&a.ty, a.nullable), (&named(&api, "A"), true));
    assert_eq!(a.docs.as_deref(), Some("The A."));
    assert_eq!(kind(&api, "Named"), &TypeKind::Alias(named(&api, "A")));
}

#[test]
fn all_of_with_a_member_that_only_requires_properties_is_a_stricter_struct() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    A: {type: object, properties: {a: {type: string}, b: {type: string}}}\n    Strict:\n      allOf: [{$ref: '#/components/schemas/A'}, {required: [b]}]\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let strict: Vec<(&str, bool)> = fields(&api, "Strict")
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(strict, [("a", false), ("b", true)]);
}

#[test]
fn all_of_members_that_cannot_be_merged_are_reported() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Two:\n      allOf: [{type: string}, {type: integer}]\n    Mixed:\n      allOf:\n        - {type: object, required: [a], properties: {a: {type: string}}}\n        - {type: string}\n    Events:\n      oneOf: [{type: object, properties: {x: {type: string}}}, {type: object, properties: {y: {type: string}}}]\n    Decorated:\n      allOf:\n        - $ref: '#/components/schemas/Events'\n        - {type: object, properties: {stream_id: {type: string}}}\n",
    ));
    assert_eq!(kind(&api, "Two"), &TypeKind::Alias(TypeRef::String));
    assert_eq!(fields(&api, "Mixed").len(), 1);
    assert_eq!(
        kind(&api, "Decorated"),
        &TypeKind::Alias(named(&api, "Events"))
    );
    assert_eq!(
        warnings(&diagnostics),
        [
            (
                "#/components/schemas/Two",
                "the `allOf` members cannot be merged (none is an object); typed as the first"
            ),
            (
                "#/components/schemas/Mixed/allOf/1",
                "this `allOf` member is not an object schema; its constraints are not modelled"
            ),
            (
                "#/components/schemas/Decorated",
                "the `allOf` members cannot be merged (a union and objects); typed as the union"
            ),
        ]
    );
}

#[test]
fn the_base_of_a_discriminated_all_of_stays_a_struct() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Animal:\n      type: object\n      discriminator: {propertyName: className}\n      required: [className]\n      properties:\n        className: {type: string}\n    Dog:\n      allOf:\n        - $ref: '#/components/schemas/Animal'\n        - type: object\n          properties: {breed: {type: string}}\n",
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(fields(&api, "Animal").len(), 1);
    let dog: Vec<&str> = fields(&api, "Dog")
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(dog, ["className", "breed"]);
}

#[test]
fn a_union_beside_properties_constrains_the_object() {
    let (api, diagnostics) = lower_yaml(&schemas(
        "    Image:\n      type: object\n      properties:\n        url: {type: string}\n        file_id: {type: string}\n      anyOf: [{required: [url]}, {required: [file_id]}]\n    Shaped:\n      type: object\n      properties: {a: {type: string}}\n      oneOf: [{type: object, properties: {b: {type: string}}}]\n",
    ));
    assert_eq!(fields(&api, "Image").len(), 2);
    assert_eq!(
        warnings(&diagnostics),
        [(
            "#/components/schemas/Shaped/oneOf",
            "`oneOf` beside `properties` is not modelled; the struct has the schema's own properties"
        )]
    );
}

/// dropshot's internally tagged enums: each inline branch declares the tag as a one-value enum.
const DISK_STATE: &str = "    DiskState:\n      oneOf:\n        - {type: object, required: [state], properties: {state: {type: string, enum: [creating]}}}\n        - type: object\n          required: [state, instance]\n          properties:\n            state: {type: string, enum: [attaching]}\n            instance: {type: string}\n";

#[test]
fn variants_imply_their_tag_when_each_inline_payload_declares_it_as_one_value() {
    let (api, diagnostics) = lower_yaml(&schemas(DISK_STATE));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let disk = union(&api, "DiskState");
    assert!(disk.tag_implied);
    assert_eq!(disk.tag.as_deref(), Some("state"));
    let variants: Vec<(&str, Option<&TypeRef>)> = disk
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.ty.as_ref()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Creating", None),
            ("Attaching", Some(&named(&api, "DiskStateAttaching")))
        ]
    );
    let names: Vec<&str> = fields(&api, "DiskStateAttaching")
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(names, ["instance"]);
    let types: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types, ["DiskState", "DiskStateAttaching"]);
}

#[test]
fn a_payload_used_elsewhere_keeps_its_tag_and_so_does_the_whole_union() {
    let shared = format!(
        "{DISK_STATE}        - $ref: '#/components/schemas/Detached'\n    Detached: {{type: object, required: [state], properties: {{state: {{type: string, enum: [detached]}}}}}}\n    Holder: {{type: object, properties: {{d: {{$ref: '#/components/schemas/Detached'}}}}}}\n"
    );
    let (api, _) = lower_yaml(&schemas(&shared));
    let disk = union(&api, "DiskState");
    assert!(!disk.tag_implied);
    assert!(disk.variants.iter().all(|v| v.ty.is_some()));
    let names: Vec<&str> = fields(&api, "DiskStateAttaching")
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(names, ["state", "instance"]);
}
