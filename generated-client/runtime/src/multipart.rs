//! `multipart/form-data` request bodies (RFC 7578), encoded into bytes in memory.
//!
//! Generated multipart bodies implement [`MultipartForm`]: they add one text or file part per
//! field to a [`Multipart`], which [`RequestBuilder::multipart_body`] encodes with a boundary
//! checked to appear nowhere in the content.
//!
//! [`RequestBuilder::multipart_body`]: super::RequestBuilder::multipart_body

use std::fmt;

use super::request::{RequestError, RequestPart};

/// The content type of a file part when the spec names none.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// The content type of a part that holds an object (or an array of objects) as JSON.
const APPLICATION_JSON: &str = "application/json";

/// Boundaries are this prefix and a counter, the first whose text the content does not contain.
const BOUNDARY_PREFIX: &str = "rampgen-boundary-";

/// A request body made of named parts: implemented by generated multipart body structs.
pub trait MultipartForm {
    /// Adds the body's parts to `form`, in field order.
    fn write_parts(&self, form: &mut Multipart);
}

/// The contents of a file field: `Vec<u8>` (one file), `Vec<Vec<u8>>` (several files of one
/// name), or `Option` of either (`None` sends no part).
pub trait FileField {
    /// Every file, in order.
    fn files(&self) -> Vec<&[u8]>;
}

impl FileField for [u8] {
    fn files(&self) -> Vec<&[u8]> {
        vec![self]
    }
}

impl FileField for Vec<u8> {
    fn files(&self) -> Vec<&[u8]> {
        vec![self.as_slice()]
    }
}

impl FileField for Vec<Vec<u8>> {
    fn files(&self) -> Vec<&[u8]> {
        self.iter().map(Vec::as_slice).collect()
    }
}

impl<T: FileField> FileField for Option<T> {
    fn files(&self) -> Vec<&[u8]> {
        self.as_ref().map_or_else(Vec::new, FileField::files)
    }
}

/// One part, before encoding.
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, in the order they were added.
///
/// Like [`RequestBuilder`](super::RequestBuilder), it keeps the first problem met (a value that
/// cannot be serialized, a content type that is not a valid header value) and reports it when
/// the body is encoded, so adding a part never needs a `?`.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<Part>,
    error: Option<RequestError>,
}

impl fmt::Debug for Multipart {
    /// Shows part names and sizes, never contents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<(&str, usize)> = self
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.body.len()))
            .collect();
        f.debug_struct("Multipart")
            .field("parts", &parts)
            .field("error", &self.error)
            .finish()
    }
}

/// An encoded body and the boundary its `content-type` must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Encoded {
    pub(crate) boundary: String,
    pub(crate) bytes: Vec<u8>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value as text: strings as they are, numbers and booleans as written in JSON,
    /// arrays as one part per element, objects as a JSON part (`content-type:
    /// application/json`). `None` adds nothing.
    pub fn text<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.value(name, None, value);
    }

    /// Like [`Multipart::text`], with the part's `content-type` given by the spec's `encoding`.
    pub fn text_as<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        content_type: &str,
        value: &T,
    ) {
        self.value(name, Some(content_type), value);
    }

    /// Adds one file part per file in `value` (none for `None`), named `name` with the file name
    /// `name` and the given `content-type`.
    pub fn file<F: FileField + ?Sized>(&mut self, name: &str, content_type: &str, value: &F) {
        if !self.check_content_type(name, content_type) {
            return;
        }
        for file in value.files() {
            self.parts.push(Part {
                name: name.to_owned(),
                filename: Some(name.to_owned()),
                content_type: Some(content_type.to_owned()),
                body: file.to_vec(),
            });
        }
    }

    /// Adds every top-level property of `value` (which must serialize as an object) as a text
    /// part: the encoding of a body whose schema does not list its properties.
    pub fn fields_of<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in &fields {
                    self.json_value(name, None, value);
                }
            }
            Ok(serde_json::Value::Null) => {}
            Ok(_) => self.fail(body_error("a multipart body must be an object")),
            Err(e) => self.fail(body_error(format!("the body could not be serialized: {e}"))),
        }
    }

    fn fail(&mut self, error: RequestError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Whether `content_type` can be written in a part header; records the error if not.
    fn check_content_type(&mut self, name: &str, content_type: &str) -> bool {
        let valid = http::HeaderValue::from_str(content_type).is_ok();
        if !valid {
            self.fail(RequestError::new(
                RequestPart::Body,
                name.to_owned(),
                "the part's content type is not a valid header value",
            ));
        }
        valid
    }

    fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        content_type: Option<&str>,
        value: &T,
    ) {
        if content_type.is_some_and(|ct| !self.check_content_type(name, ct)) {
            return;
        }
        match serde_json::to_value(value) {
            Ok(value) => self.json_value(name, content_type, &value),
            Err(e) => self.fail(RequestError::new(
                RequestPart::Body,
                name.to_owned(),
                format!("the part could not be serialized: {e}"),
            )),
        }
    }

    /// Adds the parts for one JSON value: nothing for `null`, one part per element of an
    /// array, one text part for a scalar, one JSON part for anything else.
    fn json_value(&mut self, name: &str, content_type: Option<&str>, value: &serde_json::Value) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in items {
                    self.scalar_or_json(name, content_type, item);
                }
            }
            other => self.scalar_or_json(name, content_type, other),
        }
    }

    fn scalar_or_json(
        &mut self,
        name: &str,
        content_type: Option<&str>,
        value: &serde_json::Value,
    ) {
        let (body, default_type) = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(s) => (s.clone().into_bytes(), None),
            serde_json::Value::Number(n) => (n.to_string().into_bytes(), None),
            serde_json::Value::Bool(b) => (b.to_string().into_bytes(), None),
            nested => (nested.to_string().into_bytes(), Some(APPLICATION_JSON)),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: content_type.or(default_type).map(str::to_owned),
            body,
        });
    }

    /// The body's bytes and boundary, or the first problem met while adding parts.
    pub(crate) fn encode(self) -> Result<Encoded, RequestError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let encoded: Vec<Vec<u8>> = self.parts.iter().map(encode_part).collect();
        let boundary = boundary_absent_from(&encoded);
        let mut bytes = Vec::with_capacity(encoded.iter().map(|p| p.len() + 64).sum());
        for part in &encoded {
            bytes.extend_from_slice(b"--");
            bytes.extend_from_slice(boundary.as_bytes());
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(part);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b"--");
        bytes.extend_from_slice(boundary.as_bytes());
        bytes.extend_from_slice(b"--\r\n");
        Ok(Encoded { boundary, bytes })
    }
}

fn body_error(problem: impl Into<String>) -> RequestError {
    RequestError::new(RequestPart::Body, "body", problem)
}

/// A part's headers, blank line and content (without the delimiter lines around it).
fn encode_part(part: &Part) -> Vec<u8> {
    let mut head = format!(
        "Content-Disposition: form-data; name=\"{}\"",
        escape_quoted(&part.name)
    );
    if let Some(filename) = &part.filename {
        head.push_str(&format!("; filename=\"{}\"", escape_quoted(filename)));
    }
    head.push_str("\r\n");
    if let Some(content_type) = &part.content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&part.body);
    bytes
}

/// A name or file name as written inside a quoted header parameter: `"`, CR and LF
/// percent-encoded, as browsers do (HTML's multipart/form-data encoding algorithm), so a name
/// can neither end the quoted string nor start a header.
fn escape_quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The first boundary (`rampgen-boundary-` and a counter) that occurs in no part. Each candidate
/// rejected occurs somewhere in the content, so this ends after at most one more candidate than
/// the content has occurrences of the prefix.
fn boundary_absent_from(parts: &[Vec<u8>]) -> String {
    let mut counter: u64 = 0;
    loop {
        let candidate = format!("{BOUNDARY_PREFIX}{counter:08x}");
        if !parts.iter().any(|p| contains(p, candidate.as_bytes())) {
            return candidate;
        }
        counter += 1;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(form: Multipart) -> Encoded {
        form.encode().unwrap()
    }

    #[test]
    fn text_and_file_parts_encode_to_exact_bytes() {
        let mut form = Multipart::new();
        form.text("note", "hi");
        form.file("upload", OCTET_STREAM, &vec![0_u8, 159, 146, 150]);
        let encoded = encode(form);
        assert_eq!(encoded.boundary, "rampgen-boundary-00000000");
        let mut expected = b"--rampgen-boundary-00000000\r\n\
Content-Disposition: form-data; name=\"note\"\r\n\
\r\n\
hi\r\n\
--rampgen-boundary-00000000\r\n\
Content-Disposition: form-data; name=\"upload\"; filename=\"upload\"\r\n\
Content-Type: application/octet-stream\r\n\
\r\n"
            .to_vec();
        expected.extend_from_slice(&[0, 159, 146, 150]);
        expected.extend_from_slice(b"\r\n--rampgen-boundary-00000000--\r\n");
        assert_eq!(encoded.bytes, expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_the_content() {
        let mut form = Multipart::new();
        form.text(
            "a",
            "rampgen-boundary-00000000 and rampgen-boundary-00000001",
        );
        form.file("f", OCTET_STREAM, b"rampgen-boundary-00000002".as_slice());
        let encoded = encode(form);
        assert_eq!(encoded.boundary, "rampgen-boundary-00000003");
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let mut form = Multipart::new();
        form.text("a\"b\r\nX-Evil: 1", "v");
        let text = String::from_utf8(encode(form).bytes).unwrap();
        assert!(text.contains("name=\"a%22b%0D%0AX-Evil: 1\"\r\n"), "{text}");
    }

    #[test]
    fn values_render_like_parameters_and_objects_as_json() {
        #[derive(serde::Serialize)]
        struct Nested {
            k: u8,
        }
        let mut form = Multipart::new();
        form.text("n", &42);
        form.text("b", &true);
        form.text("missing", &None::<String>);
        form.text("tags", &["x", "y"]);
        form.text("obj", &Nested { k: 1 });
        let text = String::from_utf8(encode(form).bytes).unwrap();
        let bodies: Vec<&str> = text
            .split("--rampgen-boundary-00000000")
            .filter_map(|p| p.split_once("\r\n\r\n"))
            .map(|(head, body)| {
                assert!(head.contains("form-data"), "{head}");
                body.trim_end_matches("\r\n")
            })
            .collect();
        assert_eq!(bodies, ["42", "true", "x", "y", "{\"k\":1}"]);
        assert!(text.contains("name=\"obj\"\r\nContent-Type: application/json\r\n"));
        assert!(!text.contains("missing"));
    }

    #[test]
    fn file_fields_optional_and_repeated() {
        let mut form = Multipart::new();
        form.file("none", OCTET_STREAM, &None::<Vec<u8>>);
        form.file("some", "image/png", &Some(b"png".to_vec()));
        form.file("many", OCTET_STREAM, &vec![b"1".to_vec(), b"2".to_vec()]);
        form.file("empty", OCTET_STREAM, &Vec::<u8>::new());
        let text = String::from_utf8(encode(form).bytes).unwrap();
        assert!(!text.contains("\"none\""));
        assert!(text.contains("filename=\"some\"\r\nContent-Type: image/png\r\n\r\npng\r\n"));
        assert_eq!(text.matches("; name=\"many\"").count(), 2);
        assert!(
            text.contains("name=\"empty\"; filename=\"empty\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"),
            "an empty file is still a part: {text}"
        );
    }

    #[test]
    fn an_empty_form_is_just_the_closing_delimiter() {
        assert_eq!(
            encode(Multipart::new()).bytes,
            b"--rampgen-boundary-00000000--\r\n"
        );
    }

    #[test]
    fn a_content_type_with_cr_lf_is_refused() {
        let mut form = Multipart::new();
        form.file("f", "text/plain\r\nX: 1", b"x".as_slice());
        let err = form.encode().unwrap_err();
        assert_eq!(err.part(), RequestPart::Body);
        assert_eq!(err.name(), "f");
    }

    #[test]
    fn fields_of_sends_each_property_and_refuses_non_objects() {
        let mut form = Multipart::new();
        form.fields_of(&serde_json::json!({"a": "1", "b": null, "c": [1, 2]}));
        let text = String::from_utf8(encode(form).bytes).unwrap();
        assert_eq!(text.matches("Content-Disposition").count(), 3);
        assert!(!text.contains("name=\"b\""));
        let mut form = Multipart::new();
        form.fields_of(&[1, 2]);
        assert!(form.encode().is_err());
    }
}
