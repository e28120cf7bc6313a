//! `server-variable-strings`: server variable values written as numbers or booleans.
//!
//! A server variable substitutes text into the server URL, so its `default` and `enum` values
//! are strings; YAML turns an unquoted `80` into a number, which the 3.0 model rejects. Numbers
//! and booleans are replaced by their JSON text (`80` → `"80"`), which is exactly what ends up in
//! the URL. Servers at the top level, on path items and on operations are covered.

use serde_json::Value;

use super::{RepairLog, Rule, Trigger};
use crate::diagnostics::child;

pub const RULE: Rule = Rule {
    name: "server-variable-strings",
    run,
    trigger: Trigger::keys(&["variables"]),
};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn run(document: &mut Value, log: &mut RepairLog) {
    let Value::Object(root) = document else {
        return;
    };
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "servers" => servers(value, "#/servers", log),
            "paths" | "webhooks" => {
                let Value::Object(items) = value else {
                    continue;
                };
                for (path, item) in items.iter_mut() {
                    let item_at = child(&child("#", key), path);
                    let Value::Object(item) = item else {
                        continue;
                    };
                    for (field, value) in item.iter_mut() {
                        if field == "servers" {
                            servers(value, &child(&item_at, field), log);
                        } else if METHODS.contains(&field.as_str()) {
                            if let Some(list) = value.get_mut("servers") {
                                servers(list, &child(&child(&item_at, field), "servers"), log);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn servers(list: &mut Value, at: &str, log: &mut RepairLog) {
    let Value::Array(list) = list else {
        return;
    };
    for (i, server) in list.iter_mut().enumerate() {
        let Some(Value::Object(variables)) = server.get_mut("variables") else {
            continue;
        };
        let variables_at = child(&child(at, &i.to_string()), "variables");
        for (name, variable) in variables.iter_mut() {
            let variable_at = child(&variables_at, name);
            if let Some(default) = variable.get_mut("default") {
                stringify(default, &child(&variable_at, "default"), log);
            }
            if let Some(Value::Array(values)) = variable.get_mut("enum") {
                let enum_at = child(&variable_at, "enum");
                for (j, value) in values.iter_mut().enumerate() {
                    stringify(value, &child(&enum_at, &j.to_string()), log);
                }
            }
        }
    }
}

fn stringify(value: &mut Value, at: &str, log: &mut RepairLog) {
    if !(value.is_number() || value.is_boolean()) {
        return;
    }
    let text = value.to_string();
    log.note(
        RULE.name,
        at,
        format!("{text} replaced by the string \"{text}\" (server variable values are substituted into the URL as text)"),
    );
    *value = Value::String(text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity::Note;
    use crate::repair::testing::check;
    use serde_json::json;

    #[test]
    fn numbers_become_strings() {
        check(
            &RULE,
            json!({
                "servers": [{"url": "http://h:{port}", "variables": {"port": {"enum": [80, "8080"], "default": 80}}}],
                "paths": {"/a": {"get": {"servers": [{"url": "{v}", "variables": {"v": {"default": true}}}]}}}
            }),
            json!({
                "servers": [{"url": "http://h:{port}", "variables": {"port": {"enum": ["80", "8080"], "default": "80"}}}],
                "paths": {"/a": {"get": {"servers": [{"url": "{v}", "variables": {"v": {"default": "true"}}}]}}}
            }),
            &[
                (
                    Note,
                    "#/servers/0/variables/port/default",
                    "80 replaced by the string \"80\" (server variable values are substituted into the URL as text)",
                ),
                (
                    Note,
                    "#/servers/0/variables/port/enum/0",
                    "80 replaced by the string \"80\" (server variable values are substituted into the URL as text)",
                ),
                (
                    Note,
                    "#/paths/~1a/get/servers/0/variables/v/default",
                    "true replaced by the string \"true\" (server variable values are substituted into the URL as \
                     text)",
                ),
            ],
        );
    }
}
