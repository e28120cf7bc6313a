//! Repair: small, named, general rules that turn a published (possibly malformed, possibly 3.1)
//! document into one the `openapiv3` 3.0 model accepts, each change recorded for the report.
//!
//! Rules work on untyped JSON. No rule is keyed on a provider's name: each fixes a *kind* of
//! defect wherever it appears. Every rule is idempotent: running it twice changes nothing more.
//!
//! The rules, in the order [`repair_document`] runs them (each one a module, each run over the
//! whole document before the next):
//!
//! | rule | fixes |
//! |---|---|
//! | `ref-keyword` | `"ref"` written for `"$ref"` |
//! | `misplaced-item-keywords` | item properties written beside `items` |
//! | `schema-under-type` | a schema written as the value of `type` |
//! | `swallowed-properties` | sibling properties nested inside a property's schema |
//! | `enum-type-from-values` | `"type": "enum"`, or an `enum` with no `type` |
//! | `type-names-schema` | `"type": "HourlyResponse"`, naming a component schema |
//! | `type-alias` | `"type": "int"`, `"bool"`, `"String"`, `"datetime"`, … |
//! | `placeholder-map-property` | a map written as an object with one placeholder property |
//! | `dangling-ref` | a `$ref` to a component schema that is not defined |
//! | `security-all-of` | parts of a signed request listed as alternatives |
//! | `string-booleans` | a boolean field written as a word (`required: optional`) |
//! | `server-variable-strings` | server variable values written as numbers (`port: 80`) |
//! | `openapi-version` | `openapi: 3.1.x` (3.1 → 3.0 down-levelling starts here) |
//! | `missing-paths` | no `paths` (optional in 3.1, required in 3.0) |
//! | `missing-responses` | an operation without `responses` (likewise) |
//! | `type-array` | `type: [T, "null"]`, `type: "null"`, several types |
//! | `const-to-enum` | `const` |
//! | `examples-to-example` | schema `examples` |
//! | `examples-widen-schema` | a schema its own examples contradict (`null`, a missing required property) |
//! | `format-synonyms` | a string `format` written as a synonym (`url` for `uri`) |
//! | `content-encoding` | a string's `contentEncoding` (`binary`, `base64`) |
//! | `exclusive-bounds` | numeric `exclusiveMinimum`/`exclusiveMaximum` |
//! | `ref-siblings` | keywords beside `$ref` |
//! | `null-in-anyof` | a `{"type": "null"}` branch of `anyOf`/`oneOf` |
//! | `case-duplicate-schemas` | one schema defined under names that differ only in case |
//! | `shared-inline-shapes` | one object shape written inline in several places |
//!
//! The 3.1 → 3.0 rules run on every document, whatever its `openapi` version: the forms they
//! rewrite are not valid 3.0 (or, for `ref-siblings`, are silently ignored by 3.0), so a 3.0
//! document that uses them was written with 3.1 in mind.

mod case_duplicate_schemas;
mod const_to_enum;
mod content_encoding;
mod dangling_ref;
pub(crate) mod edit;
mod enum_type_from_values;
mod examples_to_example;
mod examples_widen_schema;
mod exclusive_bounds;
mod format_synonyms;
pub mod keywords;
mod misplaced_item_keywords;
mod missing_paths;
mod missing_responses;
mod null_in_anyof;
mod openapi_version;
mod placeholder_map_property;
mod ref_keyword;
mod ref_siblings;
mod schema_under_type;
mod security_all_of;
mod server_variable_strings;
mod shared_inline_shapes;
mod string_booleans;
mod swallowed_properties;
mod trigger;
mod type_alias;
mod type_array;
mod type_names_schema;
pub mod walk;

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Severity;

pub use trigger::{Facts, Trigger};

/// `#/components/schemas/<name>`, the name escaped: the `$ref` to a component schema, and its
/// pointer.
pub(crate) fn component_schema(name: &str) -> String {
    crate::diagnostics::pointer(["components", "schemas", name])
}

/// A named repair rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Kebab-case name, shown in the repair report.
    pub name: &'static str,
    /// Applies the rule everywhere in the document, logging every change.
    pub run: fn(&mut Value, &mut RepairLog),
    /// What the document must contain for the rule to have anything to do.
    pub trigger: Trigger,
}

/// Every rule, in the order they run.
pub const RULES: &[Rule] = &[
    ref_keyword::RULE,
    misplaced_item_keywords::RULE,
    schema_under_type::RULE,
    swallowed_properties::RULE,
    enum_type_from_values::RULE,
    type_names_schema::RULE,
    type_alias::RULE,
    placeholder_map_property::RULE,
    dangling_ref::RULE,
    security_all_of::RULE,
    string_booleans::RULE,
    server_variable_strings::RULE,
    openapi_version::RULE,
    missing_paths::RULE,
    missing_responses::RULE,
    type_array::RULE,
    const_to_enum::RULE,
    examples_to_example::RULE,
    examples_widen_schema::RULE,
    format_synonyms::RULE,
    content_encoding::RULE,
    exclusive_bounds::RULE,
    ref_siblings::RULE,
    null_in_anyof::RULE,
    case_duplicate_schemas::RULE,
    shared_inline_shapes::RULE,
];

/// One change (or one guess) made by a repair rule or an overlay action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The rule's name, kebab-case (`enum-type-from-values`), or `overlay` for overlay actions.
    pub rule: &'static str,
    /// JSON pointer of the node that changed, in the document as it was when the rule ran.
    pub pointer: String,
    /// Where that node was written in the original document (differs from `pointer` when an
    /// earlier rule moved the subtree); this is what the report locates.
    pub origin: String,
    /// What changed, in one sentence a person can check against the spec.
    pub message: String,
    /// `Note` for confident fixes, `Warning` for guesses that may lose precision.
    pub severity: Severity,
    /// How the user can do better than the guess, for warnings that have a known fix.
    pub hint: Option<String>,
}

/// A subtree that a rule moved; used to map later pointers back to where the node was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// What the repair pass did, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairLog {
    pub repairs: Vec<Repair>,
    moves: Vec<Move>,
    /// For each pointer a subtree moved to, the indices of those moves in `moves`, ascending:
    /// mapping a pointer back looks up its ancestors here instead of scanning every move (a
    /// document with a move per operation would make that quadratic).
    targets: HashMap<String, Vec<usize>>,
}

impl RepairLog {
    pub fn note(
        &mut self,
        rule: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(rule, Severity::Note, pointer, message);
    }

    pub fn warn(
        &mut self,
        rule: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(rule, Severity::Warning, pointer, message);
    }

    fn push(
        &mut self,
        rule: &'static str,
        severity: Severity,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        let pointer = pointer.into();
        let origin = self.original_pointer(&pointer);
        self.repairs.push(Repair {
            rule,
            origin,
            pointer,
            message: message.into(),
            severity,
            hint: None,
        });
    }

    /// Adds a fix the user can make to the last recorded repair (e.g. the overlay that would
    /// replace a guess with the provider's intent).
    pub fn hint(&mut self, hint: impl Into<String>) {
        if let Some(last) = self.repairs.last_mut() {
            last.hint = Some(hint.into());
        }
    }

    /// Records that the subtree at `from` now lives at `to`.
    pub fn moved(&mut self, from: impl Into<String>, to: impl Into<String>) {
        let to = to.into();
        self.targets
            .entry(to.clone())
            .or_default()
            .push(self.moves.len());
        self.moves.push(Move {
            from: from.into(),
            to,
        });
    }

    /// The moves recorded, in order.
    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// Appends another log's repairs and moves (the later stage's) to this one.
    pub fn extend(&mut self, later: RepairLog) {
        self.repairs.extend(later.repairs);
        for Move { from, to } in later.moves {
            self.moved(from, to);
        }
    }

    /// Maps a pointer in the document as it is now back to the pointer where that node was written
    /// in the original document, undoing recorded moves from the newest to the oldest: each step
    /// undoes the newest move (older than the last one undone) to the pointer or to one of its
    /// ancestors.
    pub fn original_pointer(&self, pointer: &str) -> String {
        let mut current = pointer.to_string();
        let mut older_than = self.moves.len();
        loop {
            let newest = ancestors(&current)
                .filter_map(|ancestor| {
                    let indices = self.targets.get(ancestor)?;
                    let before = indices.partition_point(|&i| i < older_than);
                    before.checked_sub(1).map(|at| indices[at])
                })
                .max();
            let Some(index) = newest else {
                return current;
            };
            let m = &self.moves[index];
            current = format!("{}{}", m.from, &current[m.to.len()..]);
            older_than = index;
        }
    }
}

/// `pointer` and each of its ancestors (`#/a/b`, `#/a`, `#`), longest first.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    std::iter::once(pointer).chain(
        pointer
            .char_indices()
            .rev()
            .filter(|&(_, c)| c == '/')
            .map(move |(at, _)| &pointer[..at]),
    )
}

/// Runs every rule, in order, over the document. Never fails: what cannot be repaired is left for
/// the parse and lower stages to report.
///
/// Each rule walks the whole document, so a rule whose [`Trigger`] the document does not meet
/// (nothing it could repair is there) is not run; the document's [`Facts`] are read again after
/// any rule that logged something, since a repair may add what a later rule looks for.
pub fn repair_document(document: &mut Value) -> RepairLog {
    let mut log = RepairLog::default();
    let mut facts = Facts::of(document);
    for rule in RULES {
        if !rule.trigger.is_met_by(&facts) {
            continue;
        }
        let logged = log.repairs.len() + log.moves.len();
        (rule.run)(document, &mut log);
        if log.repairs.len() + log.moves.len() != logged {
            facts = Facts::of(document);
        }
    }
    log
}

/// Runs every rule, triggered or not: what [`repair_document`] must be equal to.
#[cfg(test)]
pub(crate) fn repair_document_with_every_rule(document: &mut Value) -> RepairLog {
    let mut log = RepairLog::default();
    for rule in RULES {
        (rule.run)(document, &mut log);
    }
    log
}

#[cfg(test)]
pub(crate) mod testing {
    //! `check(rule, input, expected, log)`: the one helper every rule's tests use.

    use serde_json::{json, Value};

    use super::{RepairLog, Rule};
    use crate::diagnostics::Severity;

    /// A document whose only content is the component schema `X`.
    pub fn schema_doc(schema: Value) -> Value {
        json!({"components": {"schemas": {"X": schema}}})
    }

    /// Runs `rule` on `input` and asserts the resulting document and the logged repairs
    /// (severity, pointer, message); then runs it again and asserts that it changes nothing more
    /// (it may only repeat a warning about what it left alone).
    pub fn check(rule: &Rule, input: Value, expected: Value, log: &[(Severity, &str, &str)]) {
        // A rule that has something to do must be triggered: else it would not run at all.
        if input != expected || !log.is_empty() {
            assert!(
                rule.trigger.is_met_by(&super::Facts::of(&input)),
                "`{}` repairs a document its trigger ({:?}) says it has nothing to do in",
                rule.name,
                rule.trigger
            );
        }
        let mut document = input;
        let mut got = RepairLog::default();
        (rule.run)(&mut document, &mut got);
        assert_eq!(
            document,
            expected,
            "document after `{}`:\n{}",
            rule.name,
            serde_json::to_string_pretty(&document).unwrap_or_default()
        );
        let repairs: Vec<(Severity, &str, &str)> = got
            .repairs
            .iter()
            .map(|r| (r.severity, r.pointer.as_str(), r.message.as_str()))
            .collect();
        assert_eq!(repairs, log, "repairs logged by `{}`", rule.name);
        assert!(got.repairs.iter().all(|r| r.rule == rule.name));

        let mut again = RepairLog::default();
        (rule.run)(&mut document, &mut again);
        assert_eq!(document, expected, "`{}` is not idempotent", rule.name);
        assert!(
            again
                .repairs
                .iter()
                .all(|r| r.severity == Severity::Warning),
            "`{}` changed something on its second run: {:?}",
            rule.name,
            again.repairs
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// The document of the Fonbnk seed page (the KYC state), the one line of its ```json block.
    fn fonbnk() -> Value {
        let page = include_str!("../../../tests/docs_pages/fonbnk-kyc.md");
        let line = page
            .lines()
            .find(|line| line.starts_with("{\"openapi\""))
            .expect("the seed page embeds its document");
        serde_json::from_str(line).expect("the seed's document is JSON")
    }

    /// Every document the repository has (the corpus, the bad documents, the providers' specs
    /// with their overlays, each docs page's embedded document), loaded; those that do not load
    /// are left out (the bad documents that fail to load are tested elsewhere).
    fn every_document() -> Vec<(String, Value)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut documents = Vec::new();
        for folder in ["tests/corpus", "tests/bad_documents", "specs"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(folder))
                .expect("the folder is in the repository")
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| {
                    let name = path.to_string_lossy();
                    (name.ends_with(".json") || name.ends_with(".yaml"))
                        && !name.ends_with(".overlay.yaml")
                })
                .collect();
            paths.sort();
            for path in paths {
                let name = path.to_string_lossy().into_owned();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let Ok(loaded) =
                    crate::load::load(&text, crate::load::Format::detect(&name, &text))
                else {
                    continue;
                };
                let mut value = loaded.value;
                let overlay = path.with_extension("overlay.yaml");
                if let Ok(overlay_text) = std::fs::read_to_string(&overlay) {
                    let overlay_doc = crate::load::load(&overlay_text, crate::load::Format::Yaml)
                        .expect("the overlay loads");
                    crate::overlay::apply_overlay(
                        &mut value,
                        &overlay_doc.value,
                        &mut RepairLog::default(),
                    )
                    .expect("the overlay applies");
                }
                documents.push((name, value));
            }
        }
        documents.push(("the Fonbnk seed".to_string(), fonbnk()));
        documents
    }

    #[test]
    fn rules_left_out_by_their_triggers_would_have_changed_nothing() {
        let documents = every_document();
        assert!(documents.len() >= 35, "{} documents", documents.len());
        let mut skipped_somewhere = 0;
        for (name, document) in documents {
            let mut triggered = document.clone();
            let mut every_rule = document.clone();
            let facts = Facts::of(&document);
            skipped_somewhere += RULES
                .iter()
                .filter(|r| !r.trigger.is_met_by(&facts))
                .count();
            let triggered_log = repair_document(&mut triggered);
            let every_rule_log = repair_document_with_every_rule(&mut every_rule);
            assert!(
                triggered == every_rule,
                "{name}: the repaired documents differ"
            );
            assert!(
                triggered_log == every_rule_log,
                "{name}: the repair logs differ"
            );
        }
        assert!(skipped_somewhere > 0, "no rule was ever left out");
    }

    fn report(log: &RepairLog) -> Vec<String> {
        log.repairs
            .iter()
            .map(|r| {
                let origin = if r.origin == r.pointer {
                    String::new()
                } else {
                    format!(" (written at {})", r.origin)
                };
                format!(
                    "{} {} {}{origin}: {}",
                    r.severity, r.rule, r.pointer, r.message
                )
            })
            .collect()
    }

    /// The repair report of the published Fonbnk seed document: what changed, and where it was written.
    #[test]
    fn fonbnk_repairs() {
        let mut document = fonbnk();
        let log = repair_document(&mut document);
        // `cargo test -p rampgen-codegen --lib fonbnk_repairs -- --nocapture` shows the messages.
        for line in report(&log) {
            println!("{line}");
        }
        let kyc = "#/components/schemas/KycStateResponse/properties";
        let got: Vec<(Severity, &str, String)> = log
            .repairs
            .iter()
            .map(|r| (r.severity, r.rule, r.origin.replace(kyc, "…")))
            .collect();
        let documents = "…/kycStatus/documentTypes/items/properties/requiredFields";
        let expected: Vec<(Severity, &str, String)> = vec![
            (
                Severity::Note,
                "ref-keyword",
                format!("{documents}/properties/fieldName/properties/type"),
            ),
            (
                Severity::Note,
                "misplaced-item-keywords",
                "…/offrampKycRules/minAmount".into(),
            ),
            (
                Severity::Note,
                "misplaced-item-keywords",
                "…/onrampKycRules/minAmount".into(),
            ),
            (
                Severity::Note,
                "schema-under-type",
                "…/offrampKycRules/items/type".into(),
            ),
            (
                Severity::Note,
                "schema-under-type",
                "…/onrampKycRules/items/type".into(),
            ),
            (
                Severity::Note,
                "swallowed-properties",
                "…/kycStatus/kycStatusDescription".into(),
            ),
            (
                Severity::Note,
                "swallowed-properties",
                "…/kycStatus/reachedKycLimit".into(),
            ),
            (
                Severity::Note,
                "swallowed-properties",
                "…/kycStatus/documentTypes".into(),
            ),
            (
                Severity::Note,
                "enum-type-from-values",
                "…/kycStatus".into(),
            ),
            (Severity::Note, "placeholder-map-property", documents.into()),
            (
                Severity::Warning,
                "dangling-ref",
                format!("{documents}/properties/fieldName/properties/type"),
            ),
            (Severity::Note, "security-all-of", "#/security".into()),
            (Severity::Note, "openapi-version", "#/openapi".into()),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn fonbnk_repaired_shape() {
        let mut document = fonbnk();
        repair_document(&mut document);
        let described =
            |type_: &str, description: &str| json!({"type": type_, "description": description});
        let min_amount = described(
            "number",
            "Minimum amount of order in USD for KYC to be required",
        );
        let rule_item = |description: &str, kind: &str| {
            json!({
                "type": "object",
                "description": description,
                "properties": {
                    "type": {"$ref": format!("#/components/schemas/{kind}")},
                    "minAmount": min_amount.clone()
                }
            })
        };
        let field = json!({
            "type": "object",
            "properties": {
                "type": {"$ref": "#/components/schemas/RequiredFieldType"},
                "label": {"type": "string"},
                "required": {"type": "boolean"},
                "options": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"value": {"type": "string"}, "label": {"type": "string"}}
                    }
                },
                "format": described("string", "Format of the field, should be used as an input placeholder"),
                "regexp": described("string", "Regular expression to validate the field"),
                "regexpFlags": described("string", "Regular expression flags")
            }
        });
        let expected = json!({
            "type": "object",
            "properties": {
                "kycUrl": described("string", "URL to the KYC form"),
                "offrampKycRules": {"type": "array", "items": rule_item("Type of the off-ramp", "OfframpType")},
                "onrampKycRules": {"type": "array", "items": rule_item("Type of the on-ramp", "OnRampProvider")},
                "passedKyc": described("boolean", "Indicates if the user has passed KYC"),
                "kycStatus": {
                    "type": "string",
                    "description": "Status of the last KYC",
                    "enum": ["initiated", "approved", "rejected", "invalid"]
                },
                "kycStatusDescription": described("string", "Description of the last KYC status"),
                "reachedKycLimit": described("boolean", "Indicates if the user has reached the KYC limit"),
                "documentTypes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "title": described("string", "Title of the document"),
                            "value": described("string", "ID of the document"),
                            "requiredFields": {
                                "type": "object",
                                "description": "Required fields for the document",
                                "additionalProperties": field
                            }
                        }
                    }
                }
            }
        });
        let kyc = &document["components"]["schemas"]["KycStateResponse"];
        assert_eq!(
            kyc,
            &expected,
            "{}",
            serde_json::to_string_pretty(kyc).unwrap_or_default()
        );
        // Property order is field order in the generated struct.
        let names: Vec<&String> = kyc["properties"]
            .as_object()
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        assert_eq!(
            names,
            [
                "kycUrl",
                "offrampKycRules",
                "onrampKycRules",
                "passedKyc",
                "kycStatus",
                "kycStatusDescription",
                "reachedKycLimit",
                "documentTypes"
            ]
        );
        let item: Vec<&String> = kyc["properties"]["offrampKycRules"]["items"]["properties"]
            .as_object()
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        assert_eq!(item, ["type", "minAmount"]);

        assert_eq!(
            document["components"]["schemas"]["RequiredFieldType"],
            json!({"description": "Referenced by the document but never defined; any JSON value is accepted."})
        );
        assert_eq!(
            document["security"],
            json!([{"ClientIdHeader": [], "TimestampHeader": [], "SignatureHeader": []}])
        );
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(document["x-original-openapi"], "3.1.0");
    }

    #[test]
    fn the_pass_is_idempotent() {
        let mut document = fonbnk();
        repair_document(&mut document);
        let once = document.clone();
        let again = repair_document(&mut document);
        assert_eq!(report(&again), Vec::<String>::new());
        assert_eq!(document, once);
    }

    #[test]
    fn pointers_map_back_through_moves_newest_first() {
        let mut log = RepairLog::default();
        log.moved("#/a/x", "#/b");
        log.moved("#/b/y", "#/c/z");
        log.moved("#/q", "#/bb");
        assert_eq!(log.original_pointer("#/c/z/k"), "#/a/x/y/k");
        assert_eq!(log.original_pointer("#/c/z"), "#/a/x/y");
        assert_eq!(log.original_pointer("#/b/w"), "#/a/x/w");
        assert_eq!(
            log.original_pointer("#/bb/w"),
            "#/q/w",
            "a segment, not a prefix"
        );
        assert_eq!(log.original_pointer("#/c"), "#/c");
        // A move back to where something else was moved from: only older moves apply after.
        log.moved("#/c/z", "#/b");
        assert_eq!(log.original_pointer("#/b/y"), "#/a/x/y/y");
        let mut later = RepairLog::default();
        later.moved("#/b", "#/d");
        log.extend(later);
        assert_eq!(log.moves().len(), 5);
        assert_eq!(log.original_pointer("#/d"), "#/a/x/y");
    }

    #[test]
    fn never_panics_on_odd_documents() {
        for mut document in [
            json!(null),
            json!("openapi"),
            json!([{"openapi": "3.1.0"}]),
            json!({"openapi": 3, "paths": [], "components": {"schemas": []}, "security": {}}),
            json!({"components": {"schemas": {"A": {"type": {"type": {"type": []}}, "items": 1, "properties": 2}}}}),
            json!({"components": {"schemas": {"A": {"properties": {"p": {"type": "enum", "enum": "x", "q": {"ref": 1}}}}}}}),
            json!({"components": {"schemas": {"A": {"anyOf": [{"type": "null"}], "oneOf": 3, "const": {"a": 1}}}}}),
            json!({"security": [{"A": []}, {"B": []}], "components": {"securitySchemes": {"A": 1, "B": {"name": 2}}}}),
        ] {
            let _ = repair_document(&mut document);
        }
    }
}
