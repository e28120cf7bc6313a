//! Small editing helpers for JSON objects that keep the order in which keys were written (the
//! order of properties becomes the order of struct fields), and for writing repair messages.

use serde_json::{Map, Value};

/// The position of `key` in `map`.
pub fn position(map: &Map<String, Value>, key: &str) -> Option<usize> {
    map.keys().position(|k| k == key)
}

/// Renames `key` to `new_key` in place. Does nothing if `key` is absent; replaces an existing
/// `new_key`.
pub fn rename_key(map: &mut Map<String, Value>, key: &str, new_key: &str) {
    let Some(index) = position(map, key) else {
        return;
    };
    if let Some(value) = map.shift_remove(key) {
        map.shift_remove(new_key);
        let index = index.min(map.len());
        map.shift_insert(index, new_key.to_string(), value);
    }
}

/// Inserts `key` right before `before`, or at the end if `before` is absent.
pub fn insert_before(map: &mut Map<String, Value>, before: &str, key: String, value: Value) {
    match position(map, before) {
        Some(index) => {
            map.shift_insert(index, key, value);
        }
        None => {
            map.insert(key, value);
        }
    }
}

/// Inserts `key` right after `after`, or at the end if `after` is absent.
pub fn insert_after(map: &mut Map<String, Value>, after: &str, key: String, value: Value) {
    match position(map, after) {
        Some(index) => {
            map.shift_insert(index + 1, key, value);
        }
        None => {
            map.insert(key, value);
        }
    }
}

/// A value as compact JSON for a message, shortened when long.
pub fn render(value: &Value) -> String {
    const MAX: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        return text;
    }
    let mut short: String = text.chars().take(MAX).collect();
    short.push('…');
    short
}

/// A count with its noun: `1 value`, `2 values`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Names as a quoted, comma-separated list: `"a", "b"`.
pub fn quoted<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|name| format!("\"{}\"", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn edits_keep_key_order() {
        let mut value = json!({"a": 1, "ref": 2, "c": 3});
        let map = value.as_object_mut().expect("object");
        rename_key(map, "ref", "$ref");
        insert_before(map, "c", "b".into(), json!(0));
        insert_after(map, "c", "d".into(), json!(0));
        insert_after(map, "missing", "e".into(), json!(0));
        assert_eq!(keys(&value), ["a", "$ref", "b", "c", "d", "e"]);
        assert_eq!(value["$ref"], 2);
    }

    #[test]
    fn messages() {
        assert_eq!(quoted(&["a", "b"]), r#""a", "b""#);
        assert_eq!(count(1, "value"), "1 value");
        assert_eq!(count(0, "value"), "0 values");
        assert_eq!(render(&json!({"$ref": "#/x"})), r##"{"$ref":"#/x"}"##);
        assert!(render(&json!("x".repeat(200))).ends_with('…'));
    }
}
