//! The event-driven YAML 1.2 reader behind [`super::load`]: builds the value without recursion
//! (so a deeply nested document cannot overflow the stack) and records each node's position.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::{Map, Number, Value};

use super::positions::{NodeId, Positions};
use super::{Document, SourceMap};
use crate::diagnostics::{Diagnostic, Location};

/// A container being filled, with its node in the positions index, the anchor it will be
/// stored under, and the number of nodes it holds so far (aliased subtrees counted in full).
enum Frame {
    Mapping {
        map: Map<String, Value>,
        node: NodeId,
        anchor: Option<Anchor>,
        /// The key whose value comes next, with its node.
        key: Option<(String, NodeId)>,
        nodes: usize,
    },
    Sequence {
        items: Vec<Value>,
        node: NodeId,
        anchor: Option<Anchor>,
        nodes: usize,
    },
}

/// An anchor being defined: its id and where it was written.
#[derive(Clone, Copy)]
struct Anchor {
    id: usize,
    at: Location,
}

/// A value stored under an anchor: what an alias copies, and how many nodes a copy costs.
struct Anchored {
    value: Value,
    nodes: usize,
    at: Location,
}

/// Nodes that aliases may copy into a document of `text_len` bytes: as many as the text has
/// bytes, plus a floor for small documents. Real documents reuse a few schemas a few times;
/// nested aliases ("billion laughs") multiply a few hundred bytes into billions of nodes, and
/// are refused at the first alias past the budget, before the copy is made.
fn alias_budget(text_len: usize) -> usize {
    100_000 + text_len
}

/// The deepest nesting accepted. Real OpenAPI documents stay far below it; the later stages
/// (serde, the repair walk, lowering) recurse, and this bound keeps them within the stack.
pub(super) const MAX_DEPTH: usize = 128;

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    positions: Positions,
    root: Option<Value>,
    documents: usize,
    /// Nodes copied by aliases so far, and how many may be.
    aliased: usize,
    alias_budget: usize,
}

pub(super) fn parse(text: &str) -> Result<Document, Diagnostic> {
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        positions: Positions::new(),
        root: None,
        documents: 0,
        aliased: 0,
        alias_budget: alias_budget(text.len()),
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(syntax_error)?;
        builder.event(event, span)?;
    }
    match builder.root {
        Some(value) => Ok(Document {
            value,
            source_map: SourceMap::from_positions(builder.positions),
        }),
        None => Err(Diagnostic::error("#", "the document is empty")),
    }
}

fn syntax_error(error: ScanError) -> Diagnostic {
    let marker = error.marker();
    let location = Some(Location {
        line: marker.line().max(1),
        column: marker.col() + 1,
    });
    // The scanner bounds flow nesting itself; say so in the same words as our own bound.
    if error.info().contains("recursion limit exceeded") {
        return Diagnostic::error(
            "#",
            format!("the document is nested more than {MAX_DEPTH} levels deep"),
        )
        .at(location);
    }
    Diagnostic::error("#", format!("invalid YAML: {}", error.info())).at(location)
}

fn location(span: &Span) -> Location {
    Location {
        line: span.start.line().max(1),
        column: span.start.col() + 1,
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::error(
                        "#",
                        "the file holds more than one YAML document",
                    )
                    .at(Some(location(&span)))
                    .with_hint(
                        "an OpenAPI spec is a single document; remove the `---` separator",
                    ));
                }
            }
            Event::MappingStart(anchor, _) => {
                let node = self.open_child(&span)?;
                self.stack.push(Frame::Mapping {
                    map: Map::new(),
                    node,
                    anchor: anchor_at(anchor, &span),
                    key: None,
                    nodes: 1,
                });
            }
            Event::SequenceStart(anchor, _) => {
                let node = self.open_child(&span)?;
                self.stack.push(Frame::Sequence {
                    items: Vec::new(),
                    node,
                    anchor: anchor_at(anchor, &span),
                    nodes: 1,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (value, anchor, nodes) = match self.stack.pop() {
                    Some(Frame::Mapping {
                        map, anchor, nodes, ..
                    }) => (Value::Object(map), anchor, nodes),
                    Some(Frame::Sequence {
                        items,
                        anchor,
                        nodes,
                        ..
                    }) => (Value::Array(items), anchor, nodes),
                    None => return Ok(()),
                };
                self.remember(anchor, &value, nodes);
                self.close_child(value, nodes);
            }
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    self.set_key(text.into_owned(), &span);
                } else {
                    self.open_child(&span)?;
                    let value = resolve_scalar(&text, style, tag.as_deref());
                    self.remember(anchor_at(anchor, &span), &value, 1);
                    self.close_child(value, 1);
                }
            }
            Event::Alias(id) => {
                let (value, nodes) = self.expand(id, &span)?;
                if self.expects_key() {
                    match value {
                        Value::String(key) => self.set_key(key, &span),
                        _ => return Err(non_string_key(&span)),
                    }
                } else {
                    self.open_child(&span)?;
                    self.close_child(value, nodes);
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }))
    }

    fn set_key(&mut self, key: String, span: &Span) {
        if let Some(Frame::Mapping {
            key: slot, node, ..
        }) = self.stack.last_mut()
        {
            let child = self.positions.child(*node, &key, location(span));
            *slot = Some((key, child));
        }
    }

    /// The node starting at `span` in the positions index, its position recorded (for mapping
    /// values the key's position was already recorded).
    fn open_child(&mut self, span: &Span) -> Result<NodeId, Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(span));
        }
        match self.stack.last() {
            None => Ok(self.positions.root(location(span))),
            Some(Frame::Mapping {
                key: Some((_, child)),
                ..
            }) => Ok(*child),
            Some(Frame::Mapping { key: None, .. }) => Err(non_string_key(span)),
            Some(Frame::Sequence { items, node, .. }) => {
                Ok(self.positions.item(*node, items.len(), location(span)))
            }
        }
    }

    /// Stores `value` (of `nodes` nodes) in the container being filled, or as the root.
    fn close_child(&mut self, value: Value, nodes: usize) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Mapping {
                map,
                key,
                nodes: total,
                ..
            }) => {
                if let Some((key, _)) = key.take() {
                    map.insert(key, value);
                }
                *total = total.saturating_add(nodes);
            }
            Some(Frame::Sequence {
                items,
                nodes: total,
                ..
            }) => {
                items.push(value);
                *total = total.saturating_add(nodes);
            }
        }
    }

    fn remember(&mut self, anchor: Option<Anchor>, value: &Value, nodes: usize) {
        if let Some(Anchor { id, at }) = anchor {
            let value = value.clone();
            self.anchors.insert(id, Anchored { value, nodes, at });
        }
    }

    /// The copy an alias stands for, with its node count; refused, at the anchor, when it would
    /// take the nodes copied by aliases past the budget.
    fn expand(&mut self, id: usize, span: &Span) -> Result<(Value, usize), Diagnostic> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(Diagnostic::error(
                "#",
                "an alias refers to an anchor that is not defined before it",
            )
            .at(Some(location(span))));
        };
        self.aliased = self.aliased.saturating_add(anchored.nodes);
        if self.aliased > self.alias_budget {
            let alias = location(span);
            return Err(Diagnostic::error(
                "#",
                format!(
                    "YAML aliases expand the document past {} nodes: the alias at line {}, column {} copies this anchor's {} nodes",
                    self.alias_budget, alias.line, alias.column, anchored.nodes
                ),
            )
            .at(Some(anchored.at))
            .with_hint(
                "aliases nested in aliases multiply (a \"billion laughs\" document); write the shared part once as a component and `$ref` it",
            ));
        }
        Ok((anchored.value.clone(), anchored.nodes))
    }
}

/// The anchor a node defines (`0` is none), located where the node starts.
fn anchor_at(id: usize, span: &Span) -> Option<Anchor> {
    (id != 0).then(|| Anchor {
        id,
        at: location(span),
    })
}

fn too_deep(span: &Span) -> Diagnostic {
    super::too_deep(location(span))
}

fn non_string_key(span: &Span) -> Diagnostic {
    Diagnostic::error("#", "a mapping key is not a plain value")
        .at(Some(location(span)))
        .with_hint("OpenAPI documents use string keys only")
}

/// Resolves a scalar by the YAML 1.2 core schema: plain scalars may be null, booleans or
/// numbers; quoted and block scalars, and those tagged `!!str`, are strings.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.suffix == "str" || tag.suffix.ends_with(":str") {
            return Value::String(text.to_string());
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    parse_number(text).unwrap_or_else(|| Value::String(text.to_string()))
}

fn parse_number(text: &str) -> Option<Value> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok().map(Value::from);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let unsigned = text.strip_prefix('+').unwrap_or(text);
        if let Ok(n) = unsigned.parse::<i64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = unsigned.parse::<u64>() {
            return Some(Value::from(n));
        }
    }
    if is_float_syntax(digits) {
        let unsigned = text.strip_prefix('+').unwrap_or(text);
        return unsigned
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number);
    }
    None
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn is_float_syntax(digits: &str) -> bool {
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    let mantissa_ok = !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        }
    };
    mantissa_ok && exponent_ok
}
