//! `JSON.stringify(JSON.parse(text))` as JavaScript computes it, for a body-hash signature whose
//! sender hashed the text its own `JSON.stringify` produced.
//!
//! What JavaScript does, and this module reproduces:
//!
//! - no whitespace;
//! - object keys in insertion order, except that keys which are array indices (`"0"` to
//!   `"4294967294"` in canonical form) come first, in ascending numeric order; a repeated key
//!   keeps its first position and its last value;
//! - numbers parsed to the nearest double and printed by `Number.prototype.toString`: the
//!   shortest digits that read back to the same double, `1e21` and `1e-7` in exponent form,
//!   `5.0` as `5`, `-0` as `0`, and a number too large for a double (`1e400`) as `null`;
//! - strings escaped only where they must be: `"` and `\`, the control characters (`\b`, `\f`,
//!   `\n`, `\r`, `\t`, else `\u00XX`) and lone surrogates (`\udXXX`); every other character,
//!   non-ASCII and `/` included, is written as itself.

use std::fmt::Write as _;

use indexmap::IndexMap;

/// Nesting deeper than this is refused rather than risk the stack (the same bound as the
/// generator's loader).
const MAX_DEPTH: usize = 128;

/// Why a text could not be re-serialized. The message names the byte offset, never the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} at byte {offset}")]
pub(crate) struct JsJsonError {
    reason: &'static str,
    offset: usize,
}

/// `JSON.stringify(JSON.parse(text))`.
pub(crate) fn stringify(text: &[u8]) -> Result<String, JsJsonError> {
    let text = std::str::from_utf8(text).map_err(|e| JsJsonError {
        reason: "invalid UTF-8",
        offset: e.valid_up_to(),
    })?;
    let mut parser = Parser { text, pos: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != text.len() {
        return Err(parser.error("trailing characters after the JSON value"));
    }
    let mut out = String::with_capacity(text.len());
    write_value(&value, &mut out);
    Ok(out)
}

/// Whether `text` has no whitespace outside its strings: the form `JSON.stringify` writes.
pub(crate) fn is_compact(text: &[u8]) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b' ' | b'\t' | b'\n' | b'\r' => return false,
                _ => {}
            }
        }
    }
    true
}

/// A parsed JSON value with JavaScript's meaning: numbers are doubles and strings are UTF-16
/// (so that lone surrogates from `\uXXXX` escapes survive, as they do in JavaScript).
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Vec<u16>),
    Array(Vec<Value>),
    Object(IndexMap<Vec<u16>, Value>),
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> JsJsonError {
        JsJsonError {
            reason,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &str) -> Result<(), JsJsonError> {
        if self.text[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsJsonError> {
        match self.peek() {
            Some(b'n') => self.expect_literal("null").map(|()| Value::Null),
            Some(b't') => self.expect_literal("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.expect_literal("false").map(|()| Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of the text")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsJsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1; // [
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsJsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1; // {
        let mut members = IndexMap::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            // Like a JavaScript object: a repeated key keeps its place and takes the new value.
            members.insert(key, value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// A string, from its opening quote, decoded to UTF-16 code units.
    fn string(&mut self) -> Result<Vec<u16>, JsJsonError> {
        self.pos += 1; // "
        let mut units = Vec::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(units);
                }
                '\\' => {
                    let escape = rest.as_bytes().get(1).copied();
                    let unit = match escape {
                        Some(b'"') => u16::from(b'"'),
                        Some(b'\\') => u16::from(b'\\'),
                        Some(b'/') => u16::from(b'/'),
                        Some(b'b') => 0x08,
                        Some(b'f') => 0x0c,
                        Some(b'n') => u16::from(b'\n'),
                        Some(b'r') => u16::from(b'\r'),
                        Some(b't') => u16::from(b'\t'),
                        Some(b'u') => {
                            let hex = rest
                                .get(2..6)
                                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                                .ok_or_else(|| self.error("invalid \\u escape"))?;
                            let unit = u16::from_str_radix(hex, 16)
                                .map_err(|_| self.error("invalid \\u escape"))?;
                            units.push(unit);
                            self.pos += 6;
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    units.push(unit);
                    self.pos += 2;
                }
                c if c < ' ' => return Err(self.error("control character in a string")),
                c => {
                    let mut buffer = [0; 2];
                    units.extend_from_slice(c.encode_utf16(&mut buffer));
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// A number in JSON's grammar, read as the nearest double (what `JSON.parse` does).
    fn number(&mut self) -> Result<f64, JsJsonError> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = start;
        if bytes[pos] == b'-' {
            pos += 1;
        }
        match bytes.get(pos) {
            Some(b'0') => pos += 1,
            Some(b'1'..=b'9') => {
                digits(&mut pos);
            }
            _ => return Err(self.error("invalid number")),
        }
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            if digits(&mut pos) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if digits(&mut pos) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        self.pos = pos;
        // Rust's parser rounds correctly to nearest, ties to even, as JavaScript's does; a
        // number too large becomes infinity, as in JavaScript.
        self.text[start..pos]
            .parse()
            .map_err(|_| self.error("invalid number"))
    }
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(*n, out),
        Value::String(units) => write_string(units, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, value)) in ordered_members(members).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(value, out);
            }
            out.push('}');
        }
    }
}

/// An object's members in JavaScript's property order: array indices ascending, then the other
/// keys in insertion order.
fn ordered_members(members: &IndexMap<Vec<u16>, Value>) -> Vec<(&Vec<u16>, &Value)> {
    let mut indexed: Vec<(u32, (&Vec<u16>, &Value))> = Vec::new();
    let mut named = Vec::with_capacity(members.len());
    for member in members {
        match array_index(member.0) {
            Some(index) => indexed.push((index, member)),
            None => named.push(member),
        }
    }
    indexed.sort_by_key(|(index, _)| *index);
    indexed
        .into_iter()
        .map(|(_, member)| member)
        .chain(named)
        .collect()
}

/// The value of a key that is an array index: canonical decimal, at most 2³² − 2.
fn array_index(key: &[u16]) -> Option<u32> {
    let canonical = match key {
        [] => false,
        [digit] => (u16::from(b'0')..=u16::from(b'9')).contains(digit),
        [first, rest @ ..] => {
            (u16::from(b'1')..=u16::from(b'9')).contains(first)
                && rest
                    .iter()
                    .all(|d| (u16::from(b'0')..=u16::from(b'9')).contains(d))
        }
    };
    if !canonical || key.len() > 10 {
        return None;
    }
    let value = key
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - u16::from(b'0')));
    u32::try_from(value).ok().filter(|&v| v != u32::MAX)
}

/// `JSON.stringify` of a string: the quotes, and escapes only where JavaScript writes them.
fn write_string(units: &[u16], out: &mut String) {
    out.push('"');
    for unit in char::decode_utf16(units.iter().copied()) {
        match unit {
            Ok('"') => out.push_str("\\\""),
            Ok('\\') => out.push_str("\\\\"),
            Ok('\u{8}') => out.push_str("\\b"),
            Ok('\u{c}') => out.push_str("\\f"),
            Ok('\n') => out.push_str("\\n"),
            Ok('\r') => out.push_str("\\r"),
            Ok('\t') => out.push_str("\\t"),
            Ok(c) if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            Ok(c) => out.push(c),
            Err(lone) => {
                let _ = write!(out, "\\u{:04x}", lone.unpaired_surrogate());
            }
        }
    }
    out.push('"');
}

/// `JSON.stringify` of a number: `Number.prototype.toString` for finite values, `null` else.
fn write_number(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
        return;
    }
    if n == 0.0 {
        // Both zeros: JavaScript prints -0 as 0.
        out.push('0');
        return;
    }
    if n < 0.0 {
        out.push('-');
    }
    // Rust's `{:e}` prints the shortest digits that read back to the same double, the digits
    // ECMAScript's Number::toString asks for: `d[.ddd]e<exp>`.
    let scientific = format!("{:e}", n.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent: i32 = exponent.parse().expect("`{:e}` writes a decimal exponent");
    // ECMAScript's names: k digits, the value is 0.digits × 10^n.
    let k = digits.len() as i32;
    let n = exponent + 1;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{}", if n > 0 { '+' } else { '-' }, (n - 1).abs());
    }
}
