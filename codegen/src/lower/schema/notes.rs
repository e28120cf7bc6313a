//! Doc notes for what a Rust type does not say: a format without a Rust type of its own
//! (`Format: date-time.`) and the values a number or boolean may take (`One of: 512, 2048.`).

use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

use super::union::{scalar_union, ScalarUnion};
use super::{float_kind, integer_kind, shape, Shape};

/// A schema's docs: its description, then its notes, as paragraphs.
pub(super) fn docs(schema: &Schema) -> Option<String> {
    let description = schema
        .schema_data
        .description
        .iter()
        .filter(|d| !d.trim().is_empty())
        .map(|d| d.trim_end().to_string());
    let paragraphs: Vec<String> = description.chain(notes(schema)).collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// The notes for a schema, each a paragraph.
pub(super) fn notes(schema: &Schema) -> Vec<String> {
    let values = enum_values(schema);
    match shape(schema) {
        Shape::String(format) if format != "uuid" => format_note(&format).into_iter().collect(),
        Shape::Integer(format) => {
            let format = integer_kind(&format).is_none().then_some(format);
            scalar_notes(format.as_deref(), &values)
        }
        Shape::Number(format) => {
            let format = float_kind(&format).is_none().then_some(format);
            scalar_notes(format.as_deref(), &values)
        }
        Shape::Boolean => scalar_notes(None, &values),
        Shape::Union { branches, .. } => scalar_union(schema, branches)
            .map(|union| union_notes(&union))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn format_note(format: &str) -> Option<String> {
    (!format.is_empty()).then(|| format!("Format: {format}."))
}

fn scalar_notes(format: Option<&str>, values: &[Value]) -> Vec<String> {
    let format = format.and_then(format_note);
    let values = (!values.is_empty()).then(|| {
        let shown: Vec<String> = values.iter().map(render).collect();
        format!("One of: {}.", shown.join(", "))
    });
    format.into_iter().chain(values).collect()
}

/// Notes for a union of one scalar type: its common format (strings without a Rust type of
/// their own; integers and numbers whose format has none) and, unless some branch allows any
/// value, the values with the branches' titles and descriptions. String values need none:
/// they become enum variants.
fn union_notes(union: &ScalarUnion) -> Vec<String> {
    use super::union::Scalar;
    let format = match union.scalar {
        Scalar::String if union.format == "uuid" || !union.choices.is_empty() => None,
        Scalar::Integer if integer_kind(&union.format).is_some() => None,
        Scalar::Number if float_kind(&union.format).is_some() => None,
        _ => format_note(&union.format),
    };
    let listed = union.scalar != Scalar::String && !union.open && !union.choices.is_empty();
    let values = listed.then(|| {
        let described = union
            .choices
            .iter()
            .any(|c| c.title.is_some() || c.docs.is_some());
        if !described {
            let shown: Vec<String> = union.choices.iter().map(|c| render(&c.value)).collect();
            return format!("One of: {}.", shown.join(", "));
        }
        let items: Vec<String> = union.choices.iter().map(choice_line).collect();
        format!("One of:\n{}", items.join("\n"))
    });
    format.into_iter().chain(values).collect()
}

/// `- `1` (`JOIN`): description on one line`.
fn choice_line(choice: &super::union::Choice) -> String {
    let mut line = format!("- `{}`", render(&choice.value));
    if let Some(title) = &choice.title {
        line.push_str(&format!(" (`{title}`)"));
    }
    if let Some(docs) = &choice.docs {
        let one_line: Vec<&str> = docs.split_whitespace().collect();
        line.push_str(": ");
        line.push_str(&one_line.join(" "));
    }
    line
}

/// The values a scalar schema's `enum` lists, as JSON (`null` left out).
pub(super) fn enum_values(schema: &Schema) -> Vec<Value> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s
            .enumeration
            .iter()
            .flatten()
            .cloned()
            .map(Value::String)
            .collect(),
        SchemaKind::Type(Type::Integer(i)) => i
            .enumeration
            .iter()
            .flatten()
            .map(|&v| Value::from(v))
            .collect(),
        SchemaKind::Type(Type::Number(n)) => n
            .enumeration
            .iter()
            .flatten()
            .filter_map(|&v| serde_json::Number::from_f64(v).map(Value::Number))
            .collect(),
        SchemaKind::Type(Type::Boolean(b)) => b
            .enumeration
            .iter()
            .flatten()
            .map(|&v| Value::Bool(v))
            .collect(),
        SchemaKind::Any(any) => any
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// A value as written in docs and names: strings bare, anything else as JSON.
pub(super) fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
