//! Overlays: OpenAPI Overlay 1.0 documents that record a provider's intent next to its spec.
//!
//! An overlay is `{overlay: "1.0.x", info: {title, version}, extends?, actions: [...]}`; each
//! action has a `target` (an RFC 9535 JSONPath query, evaluated with `serde_json_path`), an
//! optional `description`, and either an `update` or `remove: true`. Actions run in order, each on
//! the document as the previous ones left it. What an action does to each node it selects:
//!
//! - `remove: true`: the node is removed from its parent (`update` is then ignored, as the
//!   specification says).
//! - `update` on an object: merged into it. Keys of the update that the node lacks are added;
//!   where both have an object the two are merged recursively; where both have an array the
//!   update's entries are appended; otherwise the update's value replaces the node's.
//! - `update` on an array: the update value is appended to it as one entry.
//! - `update` on anything else (a string, a number…) is an error: select the parent object.
//!
//! `extends` (the URL of the document the overlay was written for) is not checked: the caller
//! pairs each spec with its overlay.
//!
//! Every change is logged with the rule name [`RULE`] and the action's description. Problems are
//! [`Diagnostic`]s located in the *overlay* document (`#/actions/2/target`), all reported
//! together: not an overlay, an unsupported version, a malformed action, a target that is not
//! valid JSONPath, and a target that selects nothing. The last is an error, not a warning: an
//! overlay whose target no longer exists is stale (the spec changed under it), and silently
//! skipping it would generate a client without the intent the overlay records. The document and
//! the log are only changed if the whole overlay applies.

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use crate::diagnostics::{child, pointer, Diagnostic};
use crate::repair::RepairLog;

/// The rule name overlay actions are logged under.
pub const RULE: &str = "overlay";

/// Applies an Overlay 1.0 document to `document`, recording each action in `log` (rule `overlay`).
pub fn apply_overlay(
    document: &mut Value,
    overlay: &Value,
    log: &mut RepairLog,
) -> Result<(), Vec<Diagnostic>> {
    let actions = read_overlay(overlay)?;
    let mut work = document.clone();
    let mut work_log = log.clone();
    let mut errors = Vec::new();
    for action in &actions {
        apply_action(&mut work, action, &mut work_log, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    *document = work;
    *log = work_log;
    Ok(())
}

/// One validated action.
struct Action<'a> {
    /// `#/actions/<index>`, in the overlay.
    at: String,
    target: &'a str,
    path: JsonPath,
    /// How the log names it: `action 2 ("Name the item")`.
    label: String,
    operation: Operation<'a>,
}

enum Operation<'a> {
    Update(&'a Value),
    Remove,
}

/// A path segment of a selected node, owned so that the document can be changed afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    fn text(&self) -> String {
        match self {
            Segment::Key(key) => key.clone(),
            Segment::Index(index) => index.to_string(),
        }
    }
}

/// Checks the overlay's shape and parses every target; reports every problem at once.
fn read_overlay(overlay: &Value) -> Result<Vec<Action<'_>>, Vec<Diagnostic>> {
    let Value::Object(root) = overlay else {
        return Err(vec![Diagnostic::error(
            "#",
            "an overlay must be an object (Overlay 1.0)",
        )]);
    };
    let mut errors = Vec::new();
    match root.get("overlay") {
        Some(Value::String(version)) if is_supported(version) => {}
        Some(Value::String(version)) => errors.push(
            Diagnostic::error(
                "#/overlay",
                format!("unsupported overlay version \"{version}\""),
            )
            .with_hint("this generator implements Overlay 1.0.x"),
        ),
        Some(_) => errors.push(Diagnostic::error(
            "#/overlay",
            "the overlay version must be a string such as \"1.0.0\"",
        )),
        None => errors.push(
            Diagnostic::error("#", "not an overlay: the \"overlay\" field is missing")
                .with_hint("start the document with `overlay: 1.0.0`"),
        ),
    }
    match root.get("info") {
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                if !info.get(field).is_some_and(Value::is_string) {
                    errors.push(Diagnostic::error(
                        "#/info",
                        format!("the overlay's info has no \"{field}\" string"),
                    ));
                }
            }
        }
        _ => errors.push(Diagnostic::error(
            "#",
            "the overlay has no \"info\" object (title and version)",
        )),
    }
    let mut actions = Vec::new();
    match root.get("actions") {
        Some(Value::Array(list)) if !list.is_empty() => {
            for (index, action) in list.iter().enumerate() {
                if let Some(action) = read_action(index, action, &mut errors) {
                    actions.push(action);
                }
            }
        }
        Some(Value::Array(_)) => {
            errors.push(Diagnostic::error("#/actions", "the overlay has no actions"))
        }
        _ => errors.push(Diagnostic::error(
            "#",
            "the overlay has no \"actions\" list",
        )),
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

/// `1.0.x`, with `x` a number.
fn is_supported(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

fn read_action<'a>(
    index: usize,
    action: &'a Value,
    errors: &mut Vec<Diagnostic>,
) -> Option<Action<'a>> {
    let at = pointer(["actions", &index.to_string()]);
    let Value::Object(action) = action else {
        errors.push(Diagnostic::error(
            at,
            "an action must be an object with a \"target\"",
        ));
        return None;
    };
    let description = match action.get("description") {
        None => None,
        Some(Value::String(text)) => Some(text.as_str()),
        Some(_) => {
            errors.push(Diagnostic::error(
                child(&at, "description"),
                "the description must be a string",
            ));
            None
        }
    };
    let label = match description {
        Some(text) => format!("action {index} (\"{text}\")"),
        None => format!("action {index}"),
    };
    let remove = match action.get("remove") {
        None => Some(false),
        Some(Value::Bool(remove)) => Some(*remove),
        Some(_) => {
            errors.push(Diagnostic::error(
                child(&at, "remove"),
                "\"remove\" must be true or false",
            ));
            None
        }
    };
    let operation = match (remove, action.get("update")) {
        (None, _) => None,
        (Some(true), _) => Some(Operation::Remove),
        (Some(false), Some(update)) => Some(Operation::Update(update)),
        (Some(false), None) => {
            errors.push(
                Diagnostic::error(
                    at.clone(),
                    "the action does nothing: it has neither \"update\" nor \"remove\": true",
                )
                .with_hint("add an `update` object, or `remove: true`"),
            );
            None
        }
    };
    let target_at = child(&at, "target");
    let target = match action.get("target") {
        Some(Value::String(target)) => target.as_str(),
        _ => {
            errors.push(Diagnostic::error(
                target_at,
                "the action has no \"target\" string (a JSONPath query)",
            ));
            return None;
        }
    };
    let path = match JsonPath::parse(target) {
        Ok(path) => path,
        Err(error) => {
            errors.push(
                Diagnostic::error(
                    target_at,
                    format!(
                        "\"{target}\" is not a valid JSONPath query: {} (at character {})",
                        error.message(),
                        error.position()
                    ),
                )
                .with_hint("targets use RFC 9535 JSONPath, e.g. `$.components.schemas.Pet`"),
            );
            return None;
        }
    };
    Some(Action {
        at,
        target,
        path,
        label,
        operation: operation?,
    })
}

fn apply_action(
    document: &mut Value,
    action: &Action<'_>,
    log: &mut RepairLog,
    errors: &mut Vec<Diagnostic>,
) {
    let mut selected: Vec<Vec<Segment>> = Vec::new();
    for node in action.path.query_located(document).iter() {
        let segments: Vec<Segment> = node
            .location()
            .iter()
            .map(|element| match element {
                PathElement::Name(name) => Segment::Key((*name).to_string()),
                PathElement::Index(index) => Segment::Index(*index),
            })
            .collect();
        if !selected.contains(&segments) {
            selected.push(segments);
        }
    }
    let target_at = child(&action.at, "target");
    if selected.is_empty() {
        errors.push(
            Diagnostic::error(
                target_at,
                format!(
                    "{}: target \"{}\" selects nothing in the document",
                    action.label, action.target
                ),
            )
            .with_hint(
                "the spec changed under the overlay: update the target, or delete the action",
            ),
        );
        return;
    }
    match action.operation {
        Operation::Remove => {
            // The deepest and last nodes first, so the positions of the others stay valid.
            selected.sort_by(|a, b| compare(b, a));
            for segments in &selected {
                remove(document, segments, action, log, errors);
            }
        }
        Operation::Update(update) => {
            for segments in &selected {
                let at = pointer(segments.iter().map(Segment::text));
                let Some(node) = document.pointer_mut(&json_pointer(segments)) else {
                    continue;
                };
                match (node, update) {
                    (Value::Object(node), Value::Object(update)) => {
                        merge(node, update);
                        let keys: Vec<&String> = update.keys().collect();
                        let keys = keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
                        log.note(RULE, at, format!("{}: merged {keys} into the selected object", action.label));
                    }
                    (Value::Object(_), _) => errors.push(Diagnostic::error(
                        child(&action.at, "update"),
                        format!("{}: the target selects an object ({at}), so \"update\" must be an object", action.label),
                    )),
                    (Value::Array(items), update) => {
                        items.push(update.clone());
                        log.note(RULE, at, format!("{}: appended one entry to the selected list", action.label));
                    }
                    (other, _) => errors.push(
                        Diagnostic::error(
                            target_at.clone(),
                            format!(
                                "{}: the target selects a {} ({at}), which cannot be updated",
                                action.label,
                                kind(other)
                            ),
                        )
                        .with_hint("select the object that holds it, and update the field there"),
                    ),
                }
            }
        }
    }
}

fn remove(
    document: &mut Value,
    segments: &[Segment],
    action: &Action<'_>,
    log: &mut RepairLog,
    errors: &mut Vec<Diagnostic>,
) {
    let Some((last, parent)) = segments.split_last() else {
        errors.push(Diagnostic::error(
            child(&action.at, "target"),
            format!(
                "{}: the target selects the whole document, which cannot be removed",
                action.label
            ),
        ));
        return;
    };
    let at = pointer(segments.iter().map(Segment::text));
    let removed = match (document.pointer_mut(&json_pointer(parent)), last) {
        (Some(Value::Object(map)), Segment::Key(key)) => map.shift_remove(key).is_some(),
        (Some(Value::Array(items)), Segment::Index(index)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    };
    if removed {
        log.note(RULE, at, format!("{}: removed", action.label));
    }
}

/// Document order of two selected nodes (array positions compared as numbers).
fn compare(a: &[Segment], b: &[Segment]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x, y) {
            (Segment::Index(x), Segment::Index(y)) => x.cmp(y),
            (x, y) => x.text().cmp(&y.text()),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Recursive merge: objects merge, arrays append, anything else is replaced.
fn merge(node: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (node.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value),
            (Some(Value::Array(existing)), Value::Array(value)) => {
                existing.extend(value.iter().cloned())
            }
            _ => {
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// An RFC 6901 pointer for `Value::pointer_mut` (no leading `#`).
fn json_pointer(segments: &[Segment]) -> String {
    pointer(segments.iter().map(Segment::text))
        .trim_start_matches('#')
        .to_string()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    /// `(pointer, message)` of each logged change or each error.
    type Lines = Vec<(String, String)>;

    fn apply(document: &mut Value, actions: Value) -> Result<Lines, Lines> {
        let mut log = RepairLog::default();
        match apply_overlay(document, &overlay(actions), &mut log) {
            Ok(()) => {
                assert!(log
                    .repairs
                    .iter()
                    .all(|r| r.rule == RULE && r.severity == Severity::Note));
                Ok(log
                    .repairs
                    .into_iter()
                    .map(|r| (r.pointer, r.message))
                    .collect())
            }
            Err(errors) => {
                assert!(log.repairs.is_empty(), "the log is untouched on failure");
                assert!(errors.iter().all(|e| e.severity == Severity::Error));
                Err(errors.into_iter().map(|e| (e.pointer, e.message)).collect())
            }
        }
    }

    fn pairs(items: &[(&str, &str)]) -> Lines {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn update_merges_recursively() {
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "object", "description": "old", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "B": {"type": "object"}
        }}});
        let log = apply(
            &mut document,
            json!([{
                "target": "$.components.schemas[?@.type == 'object']",
                "description": "Document the objects",
                "update": {"description": "new", "properties": {"b": {"type": "integer"}}, "required": ["b"]}
            }]),
        );
        assert_eq!(
            log,
            Ok(pairs(&[
                (
                    "#/components/schemas/A",
                    "action 0 (\"Document the objects\"): merged \"description\", \"properties\", \"required\" into \
                     the selected object"
                ),
                (
                    "#/components/schemas/B",
                    "action 0 (\"Document the objects\"): merged \"description\", \"properties\", \"required\" into \
                     the selected object"
                ),
            ]))
        );
        assert_eq!(
            document,
            json!({"components": {"schemas": {
                "A": {
                    "type": "object",
                    "description": "new",
                    "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                    "required": ["a", "b"]
                },
                "B": {"type": "object", "description": "new", "properties": {"b": {"type": "integer"}}, "required": ["b"]}
            }}})
        );
    }

    #[test]
    fn update_appends_to_a_selected_list() {
        let mut document = json!({"tags": [{"name": "a"}]});
        let log = apply(
            &mut document,
            json!([{"target": "$.tags", "update": {"name": "b"}}]),
        );
        assert_eq!(
            log,
            Ok(pairs(&[(
                "#/tags",
                "action 0: appended one entry to the selected list"
            )]))
        );
        assert_eq!(document, json!({"tags": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn remove_deletes_nodes_and_actions_run_in_order() {
        let mut document = json!({"paths": {"/a": {"get": {}, "delete": {}}, "/b~c": {"get": {}}}, "tags": ["x", "y", "z"]});
        let log = apply(
            &mut document,
            json!([
                {"target": "$.paths['/a'].delete", "remove": true, "description": "Hide deletes"},
                {"target": "$.tags[0,2]", "remove": true},
                {"target": "$.paths['/b~c']", "update": {"summary": "B"}},
                {"target": "$.paths['/a']", "update": {"summary": "only get is left"}}
            ]),
        );
        assert_eq!(
            log,
            Ok(pairs(&[
                ("#/paths/~1a/delete", "action 0 (\"Hide deletes\"): removed"),
                ("#/tags/2", "action 1: removed"),
                ("#/tags/0", "action 1: removed"),
                (
                    "#/paths/~1b~0c",
                    "action 2: merged \"summary\" into the selected object"
                ),
                (
                    "#/paths/~1a",
                    "action 3: merged \"summary\" into the selected object"
                ),
            ]))
        );
        assert_eq!(
            document,
            json!({
                "paths": {"/a": {"get": {}, "summary": "only get is left"}, "/b~c": {"get": {}, "summary": "B"}},
                "tags": ["y"]
            })
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_an_error_and_changes_nothing() {
        let original = json!({"components": {"schemas": {"A": {}}}});
        let mut document = original.clone();
        let result = apply(
            &mut document,
            json!([
                {"target": "$.components.schemas.A", "update": {"title": "A"}},
                {"target": "$.components.schemas.Gone", "update": {"title": "Gone"}, "description": "Name Gone"}
            ]),
        );
        assert_eq!(
            result,
            Err(pairs(&[(
                "#/actions/1/target",
                "action 1 (\"Name Gone\"): target \"$.components.schemas.Gone\" selects nothing in the document"
            )]))
        );
        assert_eq!(document, original);
    }

    #[test]
    fn bad_paths_and_shapes_are_all_reported() {
        let mut document = json!({"a": {"b": "text"}});
        let errors = apply(
            &mut document,
            json!([
                {"target": "$.a[", "update": {}},
                {"target": "$.a"},
                {"update": {}},
                "not an action",
                {"target": "$.a", "remove": "yes"}
            ]),
        )
        .expect_err("invalid overlay");
        let pointers: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/actions/0/target",
                "#/actions/1",
                "#/actions/2/target",
                "#/actions/3",
                "#/actions/4/remove"
            ]
        );
        assert!(
            errors[0]
                .1
                .starts_with("\"$.a[\" is not a valid JSONPath query: "),
            "{}",
            errors[0].1
        );

        let errors = apply(
            &mut document,
            json!([{"target": "$.a.b", "update": {"x": 1}}]),
        )
        .expect_err("a string");
        assert_eq!(
            errors,
            pairs(&[(
                "#/actions/0/target",
                "action 0: the target selects a string (#/a/b), which cannot be updated"
            )])
        );
    }

    #[test]
    fn the_overlay_itself_is_checked() {
        let mut log = RepairLog::default();
        let mut document = json!({});
        for (overlay, expected) in [
            (json!([]), vec!["#"]),
            (
                json!({"info": {"title": "t", "version": "1"}, "actions": [{"target": "$", "update": {}}]}),
                vec!["#"],
            ),
            (
                json!({"overlay": "2.0.0", "info": {"title": "t"}, "actions": []}),
                vec!["#/overlay", "#/info", "#/actions"],
            ),
        ] {
            let errors =
                apply_overlay(&mut document, &overlay, &mut log).expect_err("invalid overlay");
            let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
            assert_eq!(pointers, expected);
        }
        assert!(is_supported("1.0.0") && is_supported("1.0.12"));
        assert!(!is_supported("1.0") && !is_supported("1.1.0") && !is_supported("1.0.x"));
    }

    /// The same overlay as `specs/fonbnk.overlay.yaml`, as JSON.
    fn fonbnk() -> Value {
        serde_json::from_str(include_str!("../../specs/fonbnk.json"))
            .expect("specs/fonbnk.json is JSON")
    }

    fn fonbnk_overlay() -> Value {
        let text = include_str!("../../specs/fonbnk.overlay.yaml");
        crate::load::load(text, crate::load::Format::Yaml)
            .expect("specs/fonbnk.overlay.yaml loads")
            .value
    }

    #[test]
    fn the_fonbnk_overlay_applies_to_the_published_document() {
        let mut document = fonbnk();
        let mut log = RepairLog::default();
        apply_overlay(&mut document, &fonbnk_overlay(), &mut log).expect("every target matches");
        for repair in &log.repairs {
            println!(
                "{} {} {}: {}",
                repair.severity, repair.rule, repair.pointer, repair.message
            );
        }
        let kyc = "#/components/schemas/KycStateResponse";
        let documents =
            "#/components/schemas/KycStateResponse/properties/kycStatus/documentTypes/items";
        let field = format!("{documents}/properties/requiredFields/properties/fieldName");
        let pointers: Vec<&str> = log.repairs.iter().map(|r| r.pointer.as_str()).collect();
        for expected in [
            format!("{kyc}/properties/offrampKycRules/items"),
            format!("{kyc}/properties/onrampKycRules/items"),
            format!("{kyc}/properties/kycStatus"),
            documents.to_string(),
            field.clone(),
            format!("{field}/properties/options/items"),
            kyc.to_string(),
        ] {
            assert!(
                pointers.contains(&expected.as_str()),
                "no action on {expected}: {pointers:?}"
            );
        }

        // The titles travel with the schemas when the repair rules move them.
        crate::repair::repair_document(&mut document);
        let props = &document["components"]["schemas"]["KycStateResponse"]["properties"];
        let title = |node: &Value| node["title"].as_str().map(str::to_string);
        let document_type = &props["documentTypes"]["items"];
        let required_field = &document_type["properties"]["requiredFields"]["additionalProperties"];
        assert_eq!(
            title(&props["offrampKycRules"]["items"]).as_deref(),
            Some("OfframpKycRule")
        );
        assert_eq!(
            title(&props["onrampKycRules"]["items"]).as_deref(),
            Some("OnrampKycRule")
        );
        assert_eq!(title(&props["kycStatus"]).as_deref(), Some("KycStatus"));
        assert_eq!(title(document_type).as_deref(), Some("DocumentType"));
        assert_eq!(title(required_field).as_deref(), Some("RequiredField"));
        // The option item is written the same way on the best-offer pages: `shared-inline-shapes`
        // makes it one component, named by the overlay's title.
        assert_eq!(
            required_field["properties"]["options"]["items"]["$ref"],
            "#/components/schemas/RequiredFieldOption"
        );
        assert_eq!(
            title(&document["components"]["schemas"]["RequiredFieldOption"]).as_deref(),
            Some("RequiredFieldOption")
        );
        let example = &document["components"]["schemas"]["KycStateResponse"]["example"];
        assert_eq!(
            example["offrampKycRules"][0],
            json!({"type": "bank", "minAmount": 10})
        );
        assert_eq!(
            example["documentTypes"][0]["requiredFields"]["id_number"]["required"],
            true
        );
    }
}
