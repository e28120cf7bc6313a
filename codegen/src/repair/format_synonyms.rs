//! `format-synonyms`: a string `format` written as a common synonym of a registered one.
//!
//! Authors write the format they mean in the words they use (`url` for `uri`, `datetime` for
//! `date-time`). Tools that check formats (validators, mock servers, generators of example
//! values) do not know the synonyms and either reject the document or fail on every value. The
//! rule writes the registered name (JSON Schema's format vocabulary, OpenAPI's format registry);
//! the original is kept in `x-original-format`. Formats that are neither registered nor a known
//! synonym are left as written: a format is an annotation, and an unknown one is allowed.

use serde_json::{Map, Value};

use super::{walk, RepairLog, Rule, Trigger};

pub const RULE: Rule = Rule {
    name: "format-synonyms",
    run,
    trigger: Trigger::ALWAYS,
};

/// Where the format as written is kept.
const ORIGINAL: &str = "x-original-format";

/// (synonym, registered format).
const SYNONYMS: &[(&str, &str)] = &[
    ("url", "uri"),
    ("URL", "uri"),
    ("datetime", "date-time"),
    ("date_time", "date-time"),
    ("dateTime", "date-time"),
    ("e-mail", "email"),
    ("UUID", "uuid"),
];

fn run(document: &mut Value, log: &mut RepairLog) {
    walk::schemas(document, |schema, pointer| repair(schema, pointer, log));
}

fn repair(schema: &mut Map<String, Value>, pointer: &str, log: &mut RepairLog) {
    let Some(Value::String(format)) = schema.get("format") else {
        return;
    };
    let Some((written, registered)) = SYNONYMS.iter().find(|(synonym, _)| synonym == format) else {
        return;
    };
    schema.insert(
        "format".to_string(),
        Value::String((*registered).to_string()),
    );
    schema.insert(ORIGINAL.to_string(), Value::String((*written).to_string()));
    log.note(
        RULE.name,
        pointer,
        format!(
            "\"format\": \"{written}\" replaced by \"{registered}\", the registered name of that \
             format; the original kept in \"{ORIGINAL}\""
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::{check, schema_doc};
    use serde_json::json;

    #[test]
    fn a_synonym_becomes_the_registered_format() {
        check(
            &RULE,
            schema_doc(json!({"type": "string", "format": "url"})),
            schema_doc(json!({"type": "string", "format": "uri", "x-original-format": "url"})),
            &[(
                Note,
                "#/components/schemas/X",
                "\"format\": \"url\" replaced by \"uri\", the registered name of that format; the \
                 original kept in \"x-original-format\"",
            )],
        );
    }

    #[test]
    fn registered_and_unknown_formats_stay() {
        for format in ["uri", "date-time", "ipv4", "decimal", "phone"] {
            let unchanged = schema_doc(json!({"type": "string", "format": format}));
            check(&RULE, unchanged.clone(), unchanged, &[]);
        }
    }
}
