//! `shared-inline-shapes`: one object shape written out inline in several places.
//!
//! Documents assembled from several pages repeat a shape inline wherever it is used (each page
//! must stand alone): the same required-field object in two responses, the same option item in
//! three. Generated as written, each place gets its own Rust type, all with the same fields, that
//! a user must convert between. An inline object schema (one with `properties`, not itself a
//! component) that appears identically in two or more places becomes one component schema, and
//! each place a `$ref` to it.
//!
//! Identical means equal once `title`s are set aside (a title only names; an overlay may title
//! one place to name the shared type). The component is named after the first `title` among the
//! places, else after the first place's property (`requiredFields` values: `RequiredFieldsValue`,
//! `options` items: `OptionsItem`, as inline types are named), with a number added if that name is
//! taken; a shape with neither (an operation's whole body) is left alone. Outer shapes are shared
//! before the shapes inside them; a shape inside a shared one is then compared again with the
//! other places it appears.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};

use heck::ToUpperCamelCase;
use serde_json::{json, Map, Value};

use super::keywords::{self, Kind};
use super::{component_schema, edit, walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "shared-inline-shapes",
    run,
    trigger: Trigger::ALWAYS,
};

const PREFIX: &str = "#/components/schemas/";

/// Each round shares the outermost repeated shapes; shapes nest only so deep.
const MAX_ROUNDS: usize = 16;

fn run(document: &mut Value, log: &mut RepairLog) {
    share_in_rounds(document, log, MAX_ROUNDS);
}

/// Shares the outermost repeated shapes, then those inside what was shared, for at most
/// `rounds` rounds; when every one of them shared something, deeper repeats may be left, and
/// the log says so.
fn share_in_rounds(document: &mut Value, log: &mut RepairLog, rounds: usize) {
    for _ in 0..rounds {
        if !share_outermost(document, log) {
            return;
        }
    }
    log.warn(
        RULE.name,
        "#",
        format!(
            "stopped after {rounds} rounds of sharing shapes nested in shared shapes: any nested \
             deeper may still be written out in each place"
        ),
    );
}

/// One place a repeated inline shape is written, outside every other repeated shape.
struct Place {
    pointer: String,
    /// A digest of the shape with every `title` removed: places are grouped by it, then
    /// compared whole.
    digest: u64,
    title: Option<String>,
}

/// Shares the outermost repeated shapes; whether anything changed.
///
/// Two walks keep the memory in proportion to the places shared, not to the document's nesting:
/// the first takes a digest of every inline shape, the second records the places of repeated
/// shapes that no repeated shape holds. Digests are keyed afresh for every round, and a group is
/// compared whole before it is shared, so two shapes are never merged for a colliding digest.
fn share_outermost(document: &mut Value, log: &mut RepairLog) -> bool {
    share_outermost_keyed(document, log, &RandomState::new())
}

fn share_outermost_keyed(
    document: &mut Value,
    log: &mut RepairLog,
    keys: &impl BuildHasher,
) -> bool {
    let mut digests = Vec::new();
    let mut counts: HashMap<u64, usize> = HashMap::new();
    walk::schemas(document, |schema, pointer| {
        if inline_shape(schema, pointer).is_some() {
            let digest = digest(keys, schema);
            digests.push(digest);
            *counts.entry(digest).or_default() += 1;
        }
    });

    if counts.values().all(|&count| count < 2) {
        return false;
    }

    let mut places: Vec<Place> = Vec::new();
    // Repeated shapes with a place inside another repeated shape wait for a later round.
    let mut held_inside: HashSet<u64> = HashSet::new();
    // The repeated places on the path the walk is on.
    let mut open: Vec<String> = Vec::new();
    let mut digests = digests.into_iter();
    walk::schemas(document, |schema, pointer| {
        let Some(title) = inline_shape(schema, pointer) else {
            return;
        };
        let Some(digest) = digests.next() else {
            return;
        };
        if counts.get(&digest).is_none_or(|&count| count < 2) {
            return;
        }
        while open.last().is_some_and(|outer| !is_inside(pointer, outer)) {
            open.pop();
        }
        if open.is_empty() {
            places.push(Place {
                pointer: pointer.to_string(),
                digest,
                title,
            });
        } else {
            held_inside.insert(digest);
        }
        open.push(pointer.to_string());
    });

    // Groups of two or more places, in the order of their first place.
    let mut by_digest: HashMap<u64, Vec<usize>> = HashMap::new();
    for (index, place) in places.iter().enumerate() {
        if !held_inside.contains(&place.digest) {
            by_digest.entry(place.digest).or_default().push(index);
        }
    }
    let mut outermost: Vec<Vec<usize>> = by_digest
        .into_values()
        .flat_map(|group| equal_shapes(document, &places, group))
        .collect();
    outermost.sort_by_key(|g| g[0]);
    if outermost.is_empty() {
        return false;
    }

    for group in &outermost {
        let first = &places[group[0]];
        let title = group.iter().find_map(|&i| places[i].title.clone());
        let name = unique_name(
            document,
            title
                .clone()
                .unwrap_or_else(|| derived_name(&first.pointer)),
        );
        let Some(shape) = node(document, &first.pointer).cloned() else {
            continue;
        };
        let mut shape = shape;
        if let (Some(title), Value::Object(map)) = (&title, &mut shape) {
            map.insert("title".to_string(), Value::String(title.clone()));
        }
        let Some(schemas) = schemas_mut(document) else {
            return false;
        };
        schemas.insert(name.clone(), shape);
        let component = component_schema(&name);
        let mut places_text = Vec::new();
        for &index in group {
            let pointer = &places[index].pointer;
            if let Some(target) = node_mut(document, pointer) {
                *target = json!({ "$ref": component });
                places_text.push(pointer.clone());
            }
        }
        // Later findings inside the component are located where its shape was first written.
        log.moved(first.pointer.clone(), component.clone());
        log.note(
            RULE.name,
            component,
            format!(
                "the same object shape is written inline in {} places ({}): one component \
                 schema `{name}`, and a $ref to it in each place",
                places_text.len(),
                edit::quoted(&places_text)
            ),
        );
    }
    true
}

/// The title (if any) of the inline shape `schema` at `pointer`, if it is one that may be
/// shared: an object schema with properties, no `$ref` and not a component, that has a title or
/// is the value of a property (an operation's whole body has no name to share it under: it
/// stays where it is).
fn inline_shape(schema: &Map<String, Value>, pointer: &str) -> Option<Option<String>> {
    let is_component = pointer
        .strip_prefix(PREFIX)
        .is_some_and(|rest| !rest.contains('/'));
    let has_properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if is_component || !has_properties || schema.contains_key("$ref") {
        return None;
    }
    let title = schema
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string);
    if title.is_none() && property_name(pointer).is_none() {
        return None;
    }
    Some(title)
}

/// The shape with every `title` removed: what places are compared by.
fn untitled(schema: &Map<String, Value>) -> Value {
    let mut untitled = Value::Object(schema.clone());
    strip_titles(&mut untitled);
    untitled
}

/// A digest of [`untitled`]`(schema)`, its JSON text streamed through a hasher with `keys`.
fn digest(keys: &impl BuildHasher, schema: &Map<String, Value>) -> u64 {
    struct Digest<H>(H);
    impl<H: Hasher> std::io::Write for Digest<H> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = Digest(keys.build_hasher());
    // Writing to a hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, &untitled(schema));
    hasher.0.finish()
}

/// `group`'s places (of one digest) split by exact shape, keeping the groups of two or more.
fn equal_shapes(document: &Value, places: &[Place], group: Vec<usize>) -> Vec<Vec<usize>> {
    let mut shapes: Vec<(Value, Vec<usize>)> = Vec::new();
    for index in group {
        let Some(Value::Object(schema)) = node(document, &places[index].pointer) else {
            continue;
        };
        let shape = untitled(schema);
        match shapes.iter_mut().find(|(known, _)| *known == shape) {
            Some((_, indices)) => indices.push(index),
            None => shapes.push((shape, vec![index])),
        }
    }
    shapes
        .into_iter()
        .map(|(_, indices)| indices)
        .filter(|indices| indices.len() > 1)
        .collect()
}

/// Whether the node at `pointer` is inside the node at `outer`.
fn is_inside(pointer: &str, outer: &str) -> bool {
    pointer.len() > outer.len()
        && pointer.starts_with(outer)
        && pointer.as_bytes()[outer.len()] == b'/'
}

/// Removes the `title` of `schema` and of its subschemas, found through the keyword table: a
/// property named `title` (a key of `properties`) and data (examples, enums) stay.
fn strip_titles(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    map.shift_remove("title");
    for (key, child) in map.iter_mut() {
        match (keywords::kind(key), child) {
            // `items` as a list is the draft-4 tuple form.
            (Some(Kind::Schema | Kind::SchemaList), Value::Array(items)) => {
                items.iter_mut().for_each(strip_titles)
            }
            (Some(Kind::Schema), child) => strip_titles(child),
            (Some(Kind::SchemaMap), Value::Object(subschemas)) => {
                subschemas.values_mut().for_each(strip_titles)
            }
            _ => {}
        }
    }
}

/// The property whose value (or item, or map value) the shape at `pointer` is, if any.
fn property_name(pointer: &str) -> Option<String> {
    let segments: Vec<&str> = pointer.split('/').collect();
    (1..segments.len())
        .rev()
        .find(|&index| segments[index - 1] == "properties")
        .map(|index| segments[index].replace("~1", "/").replace("~0", "~"))
}

/// `…/properties/requiredFields/additionalProperties` → `RequiredFieldsValue`;
/// `…/properties/options/items` → `OptionsItem`; `…/properties/offer` → `Offer`.
fn derived_name(pointer: &str) -> String {
    let suffix = if pointer.ends_with("/items") {
        "Item"
    } else if pointer.ends_with("/additionalProperties") {
        "Value"
    } else {
        ""
    };
    let base = property_name(pointer).unwrap_or_else(|| "Shape".to_string());
    format!("{}{suffix}", base.to_upper_camel_case())
}

/// `name`, or `name2`, `name3`, … if a component schema already has it.
fn unique_name(document: &Value, name: String) -> String {
    let taken = |candidate: &str| {
        document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|schemas| schemas.contains_key(candidate))
    };
    if !taken(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(name)
}

fn node<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    document.pointer(pointer.strip_prefix('#').unwrap_or(pointer))
}

fn node_mut<'a>(document: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    document.pointer_mut(pointer.strip_prefix('#').unwrap_or(pointer))
}

fn schemas_mut(document: &mut Value) -> Option<&mut Map<String, Value>> {
    let components = document
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    components
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::{self, Note};
    use crate::repair::testing::check;

    fn field() -> Value {
        json!({"type": "object", "properties": {
            "label": {"type": "string"},
            "options": {"type": "array", "items": {"type": "object", "properties": {
                "value": {"type": "string"}
            }}}
        }})
    }

    #[test]
    fn a_shape_written_in_two_places_becomes_one_component() {
        let offer = |description: &str| {
            json!({"type": "object", "properties": {
                "requiredFields": {"type": "object", "description": description, "additionalProperties": field()}
            }})
        };
        let mut titled_option = field()["properties"]["options"]["items"].clone();
        titled_option["title"] = json!("FieldOption");
        let shared = |description: &str| {
            json!({"type": "object", "properties": {
                "requiredFields": {"type": "object", "description": description,
                    "additionalProperties": {"$ref": "#/components/schemas/RequiredFieldsValue"}}
            }})
        };
        check(
            &RULE,
            json!({"components": {"schemas": {
                "OnRampOffer": offer("on"),
                "OffRampOffer": offer("off"),
                "Kyc": {"type": "object", "properties": {"option": titled_option}}
            }}}),
            json!({"components": {"schemas": {
                "OnRampOffer": shared("on"),
                "OffRampOffer": shared("off"),
                "Kyc": {"type": "object", "properties": {"option": {"$ref": "#/components/schemas/FieldOption"}}},
                "RequiredFieldsValue": {"type": "object", "properties": {
                    "label": {"type": "string"},
                    "options": {"type": "array", "items": {"$ref": "#/components/schemas/FieldOption"}}
                }},
                "FieldOption": {"type": "object", "properties": {"value": {"type": "string"}}, "title": "FieldOption"}
            }}}),
            &[
                (
                    Note,
                    "#/components/schemas/RequiredFieldsValue",
                    "the same object shape is written inline in 2 places \
                     (\"#/components/schemas/OnRampOffer/properties/requiredFields/additionalProperties\", \
                     \"#/components/schemas/OffRampOffer/properties/requiredFields/additionalProperties\"): \
                     one component schema `RequiredFieldsValue`, and a $ref to it in each place",
                ),
                (
                    Note,
                    "#/components/schemas/FieldOption",
                    "the same object shape is written inline in 2 places \
                     (\"#/components/schemas/Kyc/properties/option\", \
                     \"#/components/schemas/RequiredFieldsValue/properties/options/items\"): one \
                     component schema `FieldOption`, and a $ref to it in each place",
                ),
            ],
        );
    }

    #[test]
    fn sharing_cut_short_by_its_round_limit_says_so() {
        // The field option is shared in the second round only.
        let offer = json!({"type": "object", "properties": {
            "requiredFields": {"type": "object", "additionalProperties": field()}
        }});
        let mut titled_option = field()["properties"]["options"]["items"].clone();
        titled_option["title"] = json!("FieldOption");
        let mut document = json!({"components": {"schemas": {
            "OnRampOffer": offer.clone(),
            "OffRampOffer": offer,
            "Kyc": {"type": "object", "properties": {"option": titled_option}}
        }}});
        let mut log = RepairLog::default();
        share_in_rounds(&mut document, &mut log, 1);
        let messages: Vec<(Severity, &str)> = log
            .repairs
            .iter()
            .map(|r| (r.severity, r.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].1.contains("`RequiredFieldsValue`"));
        assert_eq!(messages[1].0, Severity::Warning);
        assert!(
            messages[1].1.starts_with("stopped after 1 rounds"),
            "{}",
            messages[1].1
        );
        assert!(document["components"]["schemas"]
            .get("FieldOption")
            .is_none());
    }

    #[test]
    fn shapes_that_differ_or_appear_once_stay_inline() {
        let unchanged = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": {"type": "object", "properties": {"a": {"type": "string"}}}}},
            "B": {"type": "object", "properties": {"x": {"type": "object", "properties": {"a": {"type": "integer"}}}}},
            "C": {"type": "object", "properties": {"a": {"type": "string"}}}
        }}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }

    #[test]
    fn shapes_whose_digests_collide_are_shared_only_with_their_equals() {
        /// Every shape gets the same digest.
        #[derive(Default)]
        struct Colliding;
        impl Hasher for Colliding {
            fn finish(&self) -> u64 {
                7
            }
            fn write(&mut self, _: &[u8]) {}
        }
        let keys = std::hash::BuildHasherDefault::<Colliding>::default();
        let shape = |kind: &str| json!({"type": "object", "properties": {"a": {"type": kind}}});
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": shape("string"), "y": shape("integer")}},
            "B": {"type": "object", "properties": {"x": shape("string"), "z": shape("boolean")}},
            "C": {"type": "object", "properties": {"y": shape("integer")}}
        }}});
        let mut log = RepairLog::default();
        assert!(share_outermost_keyed(&mut document, &mut log, &keys));
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["X"], shape("string"));
        assert_eq!(schemas["Y"], shape("integer"));
        assert_eq!(
            schemas["A"]["properties"]["x"]["$ref"],
            "#/components/schemas/X"
        );
        assert_eq!(
            schemas["B"]["properties"]["x"]["$ref"],
            "#/components/schemas/X"
        );
        assert_eq!(
            schemas["A"]["properties"]["y"]["$ref"],
            "#/components/schemas/Y"
        );
        assert_eq!(
            schemas["C"]["properties"]["y"]["$ref"],
            "#/components/schemas/Y"
        );
        // Written once, the boolean shape stays where it is.
        assert_eq!(schemas["B"]["properties"]["z"], shape("boolean"));
        assert_eq!(log.repairs.len(), 2);
    }

    #[test]
    fn a_property_named_title_is_part_of_the_shape() {
        let with_title = json!({"type": "object", "properties": {
            "title": {"type": "string"}, "id": {"type": "string"}
        }});
        let without = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let unchanged = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": with_title}},
            "B": {"type": "object", "properties": {"x": without}}
        }}});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }

    #[test]
    fn a_title_with_a_slash_names_a_component_its_refs_reach() {
        let shape = json!({"type": "object", "title": "Buy/Sell", "properties": {"side": {"type": "string"}}});
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": shape}},
            "B": {"type": "object", "properties": {"y": shape}}
        }}});
        let mut log = RepairLog::default();
        (RULE.run)(&mut document, &mut log);
        let reference = document["components"]["schemas"]["A"]["properties"]["x"]["$ref"]
            .as_str()
            .expect("a $ref")
            .to_string();
        assert_eq!(reference, "#/components/schemas/Buy~1Sell");
        assert_eq!(
            document.pointer(reference.trim_start_matches('#')),
            document.pointer("/components/schemas/Buy~1Sell")
        );
        assert!(document["components"]["schemas"]["Buy/Sell"].is_object());
        // What is found inside the component later is located where the shape was written.
        assert_eq!(
            log.original_pointer("#/components/schemas/Buy~1Sell/properties/side"),
            "#/components/schemas/A/properties/x/properties/side"
        );
    }

    #[test]
    fn whole_bodies_without_a_name_stay_inline() {
        let body = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let media = |b: &Value| json!({"content": {"application/json": {"schema": b}}});
        let unchanged = json!({"paths": {
            "/a": {"post": {"requestBody": media(&body), "responses": {}}},
            "/b": {"post": {"requestBody": media(&body), "responses": {}}}
        }});
        check(&RULE, unchanged.clone(), unchanged, &[]);
    }

    #[test]
    fn names_follow_the_place() {
        assert_eq!(
            derived_name("#/components/schemas/A/properties/requiredFields/additionalProperties"),
            "RequiredFieldsValue"
        );
        assert_eq!(
            derived_name("#/components/schemas/A/properties/options/items"),
            "OptionsItem"
        );
        assert_eq!(
            derived_name("#/components/schemas/A/properties/offer"),
            "Offer"
        );
    }
}
