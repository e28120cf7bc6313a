//! Unions as emitted, checked with serde.
//!
//! `union_shapes.rs` is the text `type_def` prints for the IR below; the first test keeps the
//! two equal, and the module `shapes` compiles that same file, so the serde tests run against
//! exactly what a generated client contains.

use proc_macro2::TokenStream;
use quote::quote;

use super::{type_def, TypePath};
use crate::ir::{
    Field, FloatKind, IntegerKind, Pointer, TagValue, TypeDef, TypeId, TypeKind, TypeRef, Union,
    UnionVariant,
};

#[allow(dead_code)]
mod shapes {
    /// What the shapes reach through the runtime's re-exports.
    mod runtime {
        pub use serde;
        pub use serde_json;
    }
    include!("union_shapes.rs");
}

use shapes::{
    Cat, Circle, Disk, DiskAttaching, Dog, Expr, Lit, Not, Pet, Rect, Shape, Square, Value,
};

const HEADER: &str = "// What `emit::types` prints for the IR in `union_tests.rs`, compiled there and checked with\n// serde. When the emitter changes, `emitted_unions_are_the_serde_checked_shapes` prints the\n// new text: put it below this header, then check that the serde tests still pass.\n\n";

fn field(name: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        name: name.to_string(),
        wire_name: name.to_string(),
        docs: None,
        ty,
        required,
        nullable: false,
        rename: None,
        pointer: Pointer::root(),
    }
}

fn structure(name: &str, fields: Vec<Field>) -> TypeDef {
    TypeDef {
        name: name.to_string(),
        docs: None,
        pointer: Pointer::root(),
        kind: TypeKind::Struct {
            fields,
            additional: None,
            camel_case: false,
        },
    }
}

fn variant(name: &str, ty: TypeRef, tags: Vec<TagValue>) -> UnionVariant {
    UnionVariant {
        name: name.to_string(),
        ty: Some(ty),
        docs: None,
        tags,
        pointer: Pointer::root(),
    }
}

fn union(name: &str, docs: &str, tag: Option<&str>, variants: Vec<UnionVariant>) -> TypeDef {
    TypeDef {
        name: name.to_string(),
        docs: Some(docs.to_string()),
        pointer: Pointer::root(),
        kind: TypeKind::Union(Union {
            variants,
            tag: tag.map(str::to_string),
            fallback: Some("Unknown".to_string()),
            tag_implied: false,
        }),
    }
}

/// The fixture's types in order: a reference is its name's index here.
const TYPES: [&str; 13] = [
    "Cat",
    "Dog",
    "Pet",
    "Square",
    "Rect",
    "Circle",
    "Shape",
    "Value",
    "Lit",
    "Not",
    "Expr",
    "Disk",
    "DiskAttaching",
];

fn named(name: &str) -> TypeRef {
    let index = TYPES
        .iter()
        .position(|t| *t == name)
        .expect("a fixture type");
    TypeRef::Named(TypeId::from_index(index))
}

fn text(value: &str) -> TagValue {
    TagValue::String(value.to_string())
}

const I64: TypeRef = TypeRef::Integer(IntegerKind::I64);
const F64: TypeRef = TypeRef::Float(FloatKind::F64);

/// A union whose variants imply its `state` tag: one carries nothing else, one a payload.
fn implied_disk() -> Vec<TypeDef> {
    let mut creating = variant("Creating", TypeRef::Json, vec![text("creating")]);
    creating.ty = None;
    let attaching = variant("Attaching", named("DiskAttaching"), vec![text("attaching")]);
    let mut disk = union(
        "Disk",
        "A disk, by its `state`.",
        Some("state"),
        vec![creating, attaching],
    );
    if let TypeKind::Union(union) = &mut disk.kind {
        union.tag_implied = true;
    }
    vec![
        disk,
        structure(
            "DiskAttaching",
            vec![field("instance", TypeRef::String, true)],
        ),
    ]
}

/// Pets tagged by a `kind` each payload declares (one with two values), shapes tagged by an
/// integer `code` two payloads share plus an untagged branch, an untagged union, a recursive
/// tagged union, and a union whose variants imply the tag.
fn fixture() -> Vec<TypeDef> {
    let tagged_pet = vec![
        variant("Cat", named("Cat"), vec![text("cat")]),
        variant("Dog", named("Dog"), vec![text("dog"), text("puppy")]),
    ];
    let shapes = vec![
        variant("Square", named("Square"), vec![TagValue::Integer(1)]),
        variant("Rect", named("Rect"), vec![TagValue::Integer(1)]),
        variant("Circle", named("Circle"), vec![TagValue::Integer(2)]),
        variant("Label", TypeRef::String, vec![]),
    ];
    let values = vec![
        variant("Integer", I64, vec![]),
        variant("Text", TypeRef::String, vec![]),
        variant("Cat", named("Cat"), vec![]),
    ];
    let expressions = vec![
        variant("Lit", named("Lit"), vec![text("lit")]),
        variant(
            "Not",
            TypeRef::Boxed(Box::new(named("Not"))),
            vec![text("not")],
        ),
    ];
    let code = || field("code", I64, true);
    let op = || field("op", TypeRef::String, true);
    vec![
        structure(
            "Cat",
            vec![
                field("kind", TypeRef::String, true),
                field("lives", TypeRef::Integer(IntegerKind::I32), false),
            ],
        ),
        structure(
            "Dog",
            vec![
                field("kind", TypeRef::String, true),
                field("bark", TypeRef::Bool, true),
            ],
        ),
        union("Pet", "A pet, by its `kind`.", Some("kind"), tagged_pet),
        structure("Square", vec![code(), field("side", F64, true)]),
        structure(
            "Rect",
            vec![
                code(),
                field("width", F64, true),
                field("height", F64, true),
            ],
        ),
        structure("Circle", vec![code(), field("radius", F64, true)]),
        union("Shape", "A shape, by its `code`.", Some("code"), shapes),
        union("Value", "Any of a few things.", None, values),
        structure("Lit", vec![op(), field("value", I64, true)]),
        structure(
            "Not",
            vec![
                op(),
                field("inner", TypeRef::Boxed(Box::new(named("Expr"))), true),
            ],
        ),
        union(
            "Expr",
            "An expression, by its `op`.",
            Some("op"),
            expressions,
        ),
    ]
    .into_iter()
    .chain(implied_disk())
    .collect()
}

fn printed(defs: &[TypeDef]) -> String {
    let path = TypePath::new(defs, TokenStream::new());
    let defs = defs.iter().map(|def| type_def(def, &path));
    let tokens = quote! {
        use runtime::serde::{Deserialize, Serialize};
        #(#defs)*
    };
    let file = syn::parse2::<syn::File>(tokens).expect("emitted unions parse");
    prettyplease::unparse(&file)
}

#[test]
fn emitted_unions_are_the_serde_checked_shapes() {
    let fixture = fixture();
    let names: Vec<&str> = fixture.iter().map(|def| def.name.as_str()).collect();
    assert_eq!(names, TYPES, "references are indices into the fixture");
    let printed = printed(&fixture);
    let expected = include_str!("union_shapes.rs");
    assert!(
        expected.strip_prefix(HEADER) == Some(printed.as_str()),
        "the emitted unions changed; they now print as:\n{printed}"
    );
}

#[test]
fn unions_are_untagged_for_serde_and_tagged_ones_deserialize_by_hand() {
    let printed = printed(&fixture());
    // Each union's fallback, the untagged union itself; only `Disk` is internally tagged.
    assert_eq!(printed.matches("#[serde(untagged)]").count(), 5);
    assert_eq!(printed.matches("#[serde(tag = \"state\")]").count(), 1);
    assert_eq!(printed.matches("impl<'de> Deserialize<'de> for").count(), 4);
    assert!(printed.contains("pub enum Value {\n    Integer(i64),"));
    assert!(printed.contains("Some(\"dog\" | \"puppy\") =>"));
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("test JSON")
}

/// Deserializes `text`, checks it is `expected`, and that it serializes back to `text`.
fn round_trip<T>(text: &str, expected: T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_str(text).expect("deserializes");
    assert_eq!(value, expected);
    assert_eq!(
        serde_json::to_value(&value).expect("serializes"),
        json(text)
    );
}

#[test]
fn a_tagged_union_hands_the_whole_object_to_the_variant_its_tag_selects() {
    let cat = Cat {
        kind: "cat".into(),
        lives: Some(9),
    };
    round_trip(r#"{"kind":"cat","lives":9}"#, Pet::Cat(cat));
    let puppy = Dog {
        kind: "puppy".into(),
        bark: true,
    };
    round_trip(r#"{"kind":"puppy","bark":true}"#, Pet::Dog(puppy));
}

#[test]
fn a_tagged_union_keeps_an_unknown_tag_or_a_missing_one_as_sent() {
    let text = r#"{"kind":"axolotl","gills":6}"#;
    round_trip(text, Pet::Unknown(json(text)));
    round_trip("[1,2]", Pet::Unknown(json("[1,2]")));
}

#[test]
fn a_known_tag_with_a_payload_that_does_not_fit_is_an_error() {
    let error = serde_json::from_str::<Pet>(r#"{"kind":"dog"}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `bark`"),
        "{error}"
    );
}

#[test]
fn integer_tags_shared_values_and_untagged_branches() {
    let square = Square { code: 1, side: 2.0 };
    round_trip(r#"{"code":1,"side":2.0}"#, Shape::Square(square));
    let rect = Rect {
        code: 1,
        width: 2.0,
        height: 3.0,
    };
    round_trip(r#"{"code":1,"width":2.0,"height":3.0}"#, Shape::Rect(rect));
    let circle = Circle {
        code: 2,
        radius: 1.5,
    };
    round_trip(r#"{"code":2,"radius":1.5}"#, Shape::Circle(circle));
    round_trip(r#""a label""#, Shape::Label("a label".into()));
    round_trip(r#"{"code":9}"#, Shape::Unknown(json(r#"{"code":9}"#)));
}

#[test]
fn an_untagged_union_takes_the_first_variant_that_fits_then_the_fallback() {
    round_trip("5", Value::Integer(5));
    round_trip(r#""five""#, Value::Text("five".into()));
    let cat = Cat {
        kind: "cat".into(),
        lives: None,
    };
    round_trip(r#"{"kind":"cat"}"#, Value::Cat(cat));
    round_trip("[true]", Value::Unknown(json("[true]")));
}

#[test]
fn a_recursive_tagged_union_through_boxes() {
    let lit = Expr::Lit(Lit {
        op: "lit".into(),
        value: 1,
    });
    let not = Expr::Not(Box::new(Not {
        op: "not".into(),
        inner: Box::new(lit),
    }));
    round_trip(r#"{"op":"not","inner":{"op":"lit","value":1}}"#, not);
}

#[test]
fn variants_that_imply_the_tag_write_it_when_serialized() {
    round_trip(r#"{"state":"creating"}"#, Disk::Creating);
    let attaching = DiskAttaching {
        instance: "i-1".into(),
    };
    round_trip(
        r#"{"state":"attaching","instance":"i-1"}"#,
        Disk::Attaching(attaching),
    );
    let text = r#"{"state":"melting","heat":9}"#;
    round_trip(text, Disk::Unknown(json(text)));
    let error = serde_json::from_str::<Disk>(r#"{"state":"attaching"}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `instance`"),
        "{error}"
    );
}

/// Why tagged unions are not serde's internally tagged enums: serde removes the tag before the
/// variant's struct sees it, so a struct that declares the tag as a required field (as OpenAPI
/// asks payloads to) cannot be deserialized, and with an untagged fallback every value silently
/// becomes "unknown".
#[test]
fn serde_internal_tagging_would_hide_the_tag_from_the_payload() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(tag = "kind")]
    enum Internal {
        #[serde(rename = "cat")]
        Cat(#[allow(dead_code)] Cat),
    }
    let error = serde_json::from_str::<Internal>(r#"{"kind":"cat","lives":9}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `kind`"),
        "{error}"
    );
}
