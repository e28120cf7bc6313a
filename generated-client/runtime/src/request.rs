//! Building the exact HTTP request of an operation from typed inputs.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use http::{HeaderMap, Method};
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC};

use super::multipart::{Multipart, MultipartForm};

/// Everything outside RFC 3986 "unreserved" (`ALPHA DIGIT - . _ ~`) is
/// percent-encoded in a path parameter, so a value can never add a path
/// segment (`/`), start a query (`?`) or fragment (`#`), or smuggle an escape
/// (`%`). Non-ASCII characters are always encoded as UTF-8 bytes.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Everything outside RFC 6265 `cookie-octet` (controls, space, `"`, `,`, `;`,
/// backslash, non-ASCII), and `%` itself so that the encoding can be undone, is
/// percent-encoded in a cookie value.
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// The media type of JSON request and response bodies.
const APPLICATION_JSON: &str = "application/json";

/// The media type of form bodies.
const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

/// Room reserved after the base URL for the path and query, so that a typical request's URL
/// is written into one buffer without growing it; a longer URL grows it as usual.
const PATH_AND_QUERY_CAPACITY: usize = 128;

/// Which part of a request a [`RequestError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestPart {
    /// The base URL the operation's path is appended to.
    BaseUrl,
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
    /// A cookie parameter.
    Cookie,
    /// The request body.
    Body,
}

impl fmt::Display for RequestPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RequestPart::BaseUrl => "base URL",
            RequestPart::Path => "path parameter",
            RequestPart::Query => "query parameter",
            RequestPart::Header => "header",
            RequestPart::Cookie => "cookie",
            RequestPart::Body => "request body",
        })
    }
}

/// A request could not be built from the given inputs.
///
/// It names the offending parameter and says what is wrong with it. It never
/// contains the value of a header (headers may carry secrets), nor any other
/// caller-supplied value except the fixed path values `""`, `.` and `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    part: RequestPart,
    name: Cow<'static, str>,
    problem: String,
}

impl RequestError {
    pub(crate) fn new(
        part: RequestPart,
        name: impl Into<Cow<'static, str>>,
        problem: impl Into<String>,
    ) -> Self {
        RequestError {
            part,
            name: name.into(),
            problem: problem.into(),
        }
    }

    /// The part of the request at fault.
    pub fn part(&self) -> RequestPart {
        self.part
    }

    /// The name of the parameter at fault, as written in the specification
    /// (`body` for the request body, `base_url` for the base URL).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What is wrong with the parameter.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            RequestPart::BaseUrl | RequestPart::Body => {
                write!(f, "invalid {}: {}", self.part, self.problem)
            }
            _ => write!(f, "invalid {} `{}`: {}", self.part, self.name, self.problem),
        }
    }
}

impl std::error::Error for RequestError {}

/// A parameter value rendered to text, before encoding.
enum Rendered {
    /// `null` (`None`): the parameter is left out.
    Omitted,
    /// A scalar.
    One(String),
    /// An array of scalars.
    Many(Vec<String>),
}

/// Renders a value the way parameters are sent: strings as is, numbers and
/// booleans via `to_string`, arrays element by element; objects are refused.
fn render<T: serde::Serialize + ?Sized>(
    part: RequestPart,
    name: &'static str,
    value: &T,
) -> Result<Rendered, RequestError> {
    let value = serde_json::to_value(value).map_err(|e| {
        RequestError::new(
            part,
            name,
            format!("the value could not be serialized: {e}"),
        )
    })?;
    match value {
        serde_json::Value::Null => Ok(Rendered::Omitted),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| {
                scalar(item).ok_or_else(|| {
                    RequestError::new(
                        part,
                        name,
                        "an array element is null, an array or an object; only arrays of strings, numbers and booleans are supported",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Rendered::Many),
        serde_json::Value::Object(_) => Err(RequestError::new(
            part,
            name,
            "object values are not supported for this kind of parameter yet",
        )),
        other => scalar(other).map(Rendered::One).ok_or_else(|| {
            RequestError::new(part, name, "the value is not a string, number or boolean")
        }),
    }
}

/// The text of a scalar JSON value, or `None` for null, arrays and objects.
fn scalar(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether `name` is an HTTP token (RFC 9110): what a cookie name must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The `cookie` header for the pairs (`a=1; b=2`, values percent-encoded outside
/// `cookie-octet`), after any `cookie` header already set (a request carries at most one), or
/// `None` when there are no pairs.
fn cookie_header(
    existing: Option<&HeaderValue>,
    cookies: &[(&'static str, String)],
) -> Option<HeaderValue> {
    if cookies.is_empty() {
        return None;
    }
    let mut value = existing.map_or_else(Vec::new, |v| v.as_bytes().to_vec());
    for (name, text) in cookies {
        if !value.is_empty() {
            value.extend_from_slice(b"; ");
        }
        value.extend_from_slice(name.as_bytes());
        value.push(b'=');
        for piece in percent_encoding::utf8_percent_encode(text, COOKIE_VALUE) {
            value.extend_from_slice(piece.as_bytes());
        }
    }
    // Names are tokens and values percent-encoded cookie-octets, so this is a valid value.
    HeaderValue::from_maybe_shared(Bytes::from(value)).ok()
}

/// Builds the exact HTTP request of an operation.
///
/// Generated `to_request` bodies chain calls on it; the first problem found is
/// kept and returned by [`RequestBuilder::build`], so no call in the chain
/// needs its own `?`.
pub struct RequestBuilder {
    method: Method,
    /// The base URL, then the path as it is built; `build` appends the query. One buffer, so
    /// that the URL is not copied from piece to piece.
    url: String,
    /// Where the path starts in `url`.
    base_len: usize,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    /// `name=value` pairs, values not yet encoded, sent as one `cookie` header.
    cookies: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    error: Option<RequestError>,
}

impl fmt::Debug for RequestBuilder {
    /// Shows header names but never header values (they may be secrets).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("base_url", &&self.url[..self.base_len])
            .field("path", &&self.url[self.base_len..])
            .field(
                "query_names",
                &self.query.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .field("header_names", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "cookie_names",
                &self.cookies.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("error", &self.error)
            .finish()
    }
}

/// A parameter rendered as one string, arrays comma-joined; `None` when it is left out
/// (`null`, or an empty array).
fn render_joined<T: serde::Serialize + ?Sized>(
    part: RequestPart,
    name: &'static str,
    value: &T,
) -> Result<Option<String>, RequestError> {
    Ok(match render(part, name, value)? {
        Rendered::Omitted => None,
        Rendered::One(text) => Some(text),
        Rendered::Many(items) if items.is_empty() => None,
        Rendered::Many(items) => Some(items.join(",")),
    })
}

impl RequestBuilder {
    /// Starts a request. `base_url` is like `https://x.com` or
    /// `http://127.0.0.1:1234/prefix`; trailing `/` are trimmed. It is
    /// checked by [`RequestBuilder::build`].
    pub fn new(method: http::Method, base_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/');
        let mut url = String::with_capacity(base_url.len() + PATH_AND_QUERY_CAPACITY);
        url.push_str(base_url);
        RequestBuilder {
            method,
            base_len: url.len(),
            url,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
        }
    }

    /// `value` rendered for `part` and comma-joined; `None` when there is nothing to send or
    /// it could not be rendered (the failure is recorded).
    fn joined<T: serde::Serialize + ?Sized>(
        &mut self,
        part: RequestPart,
        name: &'static str,
        value: &T,
    ) -> Option<String> {
        render_joined(part, name, value).unwrap_or_else(|e| {
            self.fail(e);
            None
        })
    }

    /// Records the first error; later ones are consequences or noise.
    fn fail(&mut self, error: RequestError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Appends `text` to the path, percent-encoded as a path parameter.
    fn push_path_encoded(&mut self, text: &str) {
        self.url
            .extend(percent_encoding::utf8_percent_encode(text, PATH_PARAM));
    }

    /// Appends literal text from the spec's path template, as is.
    pub fn path(mut self, literal: &'static str) -> Self {
        self.url.push_str(literal);
        self
    }

    /// Appends a path parameter, percent-encoding every character outside
    /// RFC 3986 "unreserved". Arrays are comma-joined. `null`, objects and the
    /// values `""`, `.` and `..` (which would change the path once the URL is
    /// normalized) are refused.
    pub fn path_param<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Self {
        let part = RequestPart::Path;
        // Encoded straight into the URL; taken back out if refused.
        let start = self.url.len();
        match render(part, name, value) {
            Ok(Rendered::One(text)) => self.push_path_encoded(&text),
            Ok(Rendered::Many(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.url.push(',');
                    }
                    self.push_path_encoded(item);
                }
            }
            Ok(Rendered::Omitted) => {
                self.fail(RequestError::new(
                    part,
                    name,
                    "a path parameter is required, but the value is null (None)",
                ));
                return self;
            }
            Err(e) => {
                self.fail(e);
                return self;
            }
        }
        let encoded = &self.url[start..];
        if matches!(encoded, "" | "." | "..") {
            let problem = format!("the value {encoded:?} is refused: it would change the request path once the URL is normalized");
            self.url.truncate(start);
            self.fail(RequestError::new(part, name, problem));
        }
        self
    }

    /// Adds a query parameter (form style, `explode=true`): an array adds one
    /// `name=value` pair per element; `null` (`None`) adds nothing. Pairs are
    /// sent in call order, `application/x-www-form-urlencoded`.
    pub fn query<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match render(RequestPart::Query, name, value) {
            Ok(Rendered::Omitted) => {}
            Ok(Rendered::One(text)) => self.query.push((name, text)),
            Ok(Rendered::Many(items)) => self
                .query
                .extend(items.into_iter().map(|item| (name, item))),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sets a header. Arrays are comma-joined; `null` (`None`) and empty
    /// arrays leave the header out. Values with characters HTTP does not allow
    /// in a header (CR, LF, other controls, non-ASCII) are refused; the error
    /// names the header but never repeats its value.
    pub fn header<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let part = RequestPart::Header;
        let Some(text) = self.joined(part, name, value) else {
            return self;
        };
        let header_name = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(header_name) => header_name,
            Err(_) => {
                self.fail(RequestError::new(
                    part,
                    name,
                    "the name is not a valid HTTP header name",
                ));
                return self;
            }
        };
        // `HeaderValue` lets bytes above 0x7F through; servers disagree on how to read them.
        // It takes the rendered text's buffer as it is, without copying it.
        let value = if text.is_ascii() {
            HeaderValue::from_maybe_shared(Bytes::from(text)).ok()
        } else {
            None
        };
        match value {
            Some(header_value) => {
                self.headers.insert(header_name, header_value);
            }
            None => self.fail(RequestError::new(
                part,
                name,
                "the value contains characters not allowed in an HTTP header value (CR, LF, other control characters, or non-ASCII)",
            )),
        }
        self
    }

    /// Adds a cookie parameter to the request's one `cookie` header (`a=1; b=2`, in call
    /// order). Values are rendered like the other parameters (arrays comma-joined) and
    /// percent-encoded outside RFC 6265 `cookie-octet`; `null` (`None`) and empty arrays add
    /// nothing. A name that is not an HTTP token is refused.
    pub fn cookie<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let part = RequestPart::Cookie;
        let Some(text) = self.joined(part, name, value) else {
            return self;
        };
        if !is_token(name) {
            self.fail(RequestError::new(
                part,
                name,
                "the name is not a valid cookie name (an HTTP token)",
            ));
            return self;
        }
        self.cookies.push((name, text));
        self
    }

    /// Sets `accept` to the media types the operation's documented responses use. Without it,
    /// [`RequestBuilder::build`] asks for `application/json`.
    pub fn accept(mut self, media_types: &str) -> Self {
        match HeaderValue::from_str(media_types) {
            Ok(value) => {
                self.headers.insert(ACCEPT, value);
            }
            Err(_) => self.fail(RequestError::new(
                RequestPart::Header,
                "accept",
                "the media types are not a valid header value",
            )),
        }
        self
    }

    /// Calls `set` with the value when there is one: how an optional body is added, e.g.
    /// `.with_some(self.body.as_ref(), |request, body| request.json_body(body))`.
    pub fn with_some<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }

    /// Sets the body and its `content-type`, refusing a content type that is not a valid
    /// header value.
    fn set_body(&mut self, content_type: &str, bytes: Vec<u8>) {
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.body = Some(bytes);
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(RequestError::new(
                RequestPart::Body,
                "body",
                "the content type is not a valid header value",
            )),
        }
    }

    /// Sets a JSON body and `content-type: application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(self, value: &T) -> Self {
        self.json_body_as(APPLICATION_JSON, value)
    }

    /// Sets a JSON body sent as another JSON media type (`application/merge-patch+json`, …).
    pub fn json_body_as<T: serde::Serialize + ?Sized>(
        mut self,
        content_type: &str,
        value: &T,
    ) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.set_body(content_type, bytes),
            Err(e) => self.fail(RequestError::new(
                RequestPart::Body,
                "body",
                format!("the body could not be serialized as JSON: {e}"),
            )),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body: each field a `name=value` pair, arrays
    /// one pair per element (OpenAPI's default `form` style, exploded), `None` fields left out.
    /// Nested objects are refused.
    pub fn form_body<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_html_form::to_string(value) {
            Ok(text) => self.set_body(FORM_URLENCODED, text.into_bytes()),
            Err(e) => self.fail(RequestError::new(
                RequestPart::Body,
                "body",
                format!("the body could not be form-encoded: {e}"),
            )),
        }
        self
    }

    /// Sets a `multipart/form-data` body from a form's parts (see [`MultipartForm`]), with a
    /// boundary that occurs nowhere in the content.
    pub fn multipart_body<F: MultipartForm + ?Sized>(self, form: &F) -> Self {
        let mut parts = Multipart::new();
        form.write_parts(&mut parts);
        self.multipart(parts)
    }

    /// Sets a `multipart/form-data` body with one text part per top-level property of `value`
    /// (which must serialize as an object): for bodies whose schema lists no properties.
    pub fn multipart_fields<T: serde::Serialize + ?Sized>(self, value: &T) -> Self {
        let mut parts = Multipart::new();
        parts.fields_of(value);
        self.multipart(parts)
    }

    fn multipart(mut self, parts: Multipart) -> Self {
        match parts.encode() {
            Ok(encoded) => {
                let content_type = format!("multipart/form-data; boundary={}", encoded.boundary);
                self.set_body(&content_type, encoded.bytes);
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sets a text body with the given `content-type` (`text/plain`, …).
    pub fn text_body(mut self, content_type: &str, text: &str) -> Self {
        self.set_body(content_type, text.as_bytes().to_vec());
        self
    }

    /// Sets a body of raw bytes with the given `content-type` (`application/octet-stream`, …).
    pub fn bytes_body(mut self, content_type: &str, bytes: &[u8]) -> Self {
        self.set_body(content_type, bytes.to_vec());
        self
    }

    /// Returns the request, or the first problem met while building it. Sets
    /// `accept: application/json` unless a header parameter already set it.
    pub fn build(self) -> Result<http::Request<Vec<u8>>, RequestError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let bad_url =
            |problem: &str| RequestError::new(RequestPart::BaseUrl, "base_url", problem.to_owned());
        // A query, a fragment or credentials in the base URL would swallow or move the path.
        if self.url[..self.base_len].contains(['?', '#', '@']) {
            return Err(bad_url(
                "the base URL must not contain a query (`?`), a fragment (`#`) or user information (`@`)",
            ));
        }
        let mut url = self.url;
        if !self.query.is_empty() {
            url.push('?');
            let start = url.len();
            let mut query = form_urlencoded::Serializer::for_suffix(url, start);
            for (name, value) in &self.query {
                query.append_pair(name, value);
            }
            url = query.finish();
        }
        // From the `String` itself: the URI keeps this buffer rather than a copy of it.
        let uri = http::Uri::try_from(url).map_err(|_| {
            bad_url("the base URL joined with the path and query is not a valid URI")
        })?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
            return Err(bad_url(
                "the base URL must be an absolute http:// or https:// URL",
            ));
        }
        let mut request = http::Request::new(self.body.unwrap_or_default());
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        let existing = request.headers().get(COOKIE);
        if let Some(cookie) = cookie_header(existing, &self.cookies) {
            request.headers_mut().insert(COOKIE, cookie);
        }
        request
            .headers_mut()
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static(APPLICATION_JSON));
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.example.com";

    #[test]
    fn base_urls_with_query_fragment_or_credentials_are_refused() {
        for base in [
            "http://h/base#",
            "http://h/base?",
            "http://user:pw@h",
            "http://h/b?x=1",
        ] {
            let err = RequestBuilder::new(Method::GET, base)
                .path("/items")
                .build()
                .unwrap_err();
            assert_eq!(err.part(), RequestPart::BaseUrl, "{base}");
            assert!(!err.to_string().contains("pw"), "{err}");
        }
    }

    #[test]
    fn non_ascii_header_values_are_refused() {
        let err = get().header("x-name", "née").build().unwrap_err();
        assert_eq!(err.part(), RequestPart::Header);
        assert!(!err.to_string().contains("née"), "{err}");
    }

    fn get() -> RequestBuilder {
        RequestBuilder::new(Method::GET, BASE)
    }

    fn uri_of(builder: RequestBuilder) -> String {
        builder.build().unwrap().uri().to_string()
    }

    #[test]
    fn path_param_encodes_dot_dot_slash() {
        let uri = uri_of(get().path("/users/").path_param("id", "../x"));
        assert_eq!(uri, "https://api.example.com/users/..%2Fx");
    }

    #[test]
    fn path_param_encodes_reserved_unicode_and_controls() {
        let uri = uri_of(get().path("/u/").path_param("id", "a?b#c%d e/é\r\n-._~"));
        assert_eq!(
            uri,
            "https://api.example.com/u/a%3Fb%23c%25d%20e%2F%C3%A9%0D%0A-._~"
        );
    }

    #[test]
    fn path_param_refuses_empty_dot_and_dot_dot() {
        for value in ["", ".", ".."] {
            let err = get()
                .path("/u/")
                .path_param("id", value)
                .build()
                .unwrap_err();
            assert_eq!(err.part(), RequestPart::Path);
            assert_eq!(err.name(), "id");
            assert!(err.to_string().contains("path parameter `id`"), "{err}");
        }
    }

    #[test]
    fn path_param_renders_numbers_bools_and_arrays() {
        let uri = uri_of(
            get()
                .path("/a/")
                .path_param("n", &42)
                .path("/")
                .path_param("b", &true)
                .path("/")
                .path_param("list", &["x,y", "z"]),
        );
        assert_eq!(uri, "https://api.example.com/a/42/true/x%2Cy,z");
    }

    #[test]
    fn path_param_refuses_null_and_objects() {
        let err = get().path_param("id", &None::<String>).build().unwrap_err();
        assert!(err.problem().contains("null"), "{err}");
        let err = get()
            .path_param("filter", &serde_json::json!({"a": 1}))
            .build()
            .unwrap_err();
        assert_eq!(err.name(), "filter");
        assert!(err.problem().contains("object"), "{err}");
    }

    #[test]
    fn query_omits_none_repeats_arrays_and_encodes() {
        let uri = uri_of(
            get()
                .path("/q")
                .query("missing", &None::<u32>)
                .query("tag", &["a", "b"])
                .query("email", "a+b@c")
                .query("page", &Some(2)),
        );
        assert_eq!(
            uri,
            "https://api.example.com/q?tag=a&tag=b&email=a%2Bb%40c&page=2"
        );
    }

    #[test]
    fn query_with_only_omitted_values_adds_no_question_mark() {
        assert_eq!(
            uri_of(get().path("/q").query("x", &None::<bool>)),
            "https://api.example.com/q"
        );
    }

    #[test]
    fn query_refuses_objects_naming_the_parameter() {
        let err = get()
            .query("filter", &serde_json::json!({"a": 1}))
            .build()
            .unwrap_err();
        assert_eq!(err.part(), RequestPart::Query);
        assert!(
            err.to_string().contains("query parameter `filter`"),
            "{err}"
        );
    }

    #[test]
    fn header_refuses_cr_lf_without_echoing_the_value() {
        let err = get()
            .header("x-api-key", "secret-value\r\nx-injected: 1")
            .build()
            .unwrap_err();
        assert_eq!(err.part(), RequestPart::Header);
        assert_eq!(err.name(), "x-api-key");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("secret-value"), "{shown}");
    }

    #[test]
    fn header_sets_value_and_omits_none() {
        let request = get()
            .header("X-Client-Id", "abc")
            .header("x-timestamp", &1_700_000_000_000_u64)
            .header("x-absent", &None::<String>)
            .build()
            .unwrap();
        assert_eq!(request.headers()["x-client-id"], "abc");
        assert_eq!(request.headers()["x-timestamp"], "1700000000000");
        assert!(request.headers().get("x-absent").is_none());
    }

    #[test]
    fn json_body_sets_content_type_and_accept() {
        #[derive(serde::Serialize)]
        struct Body {
            amount: u32,
        }
        let request = RequestBuilder::new(Method::POST, BASE)
            .path("/orders")
            .json_body(&Body { amount: 5 })
            .build()
            .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.body(), br#"{"amount":5}"#);
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(request.headers()[ACCEPT], "application/json");
    }

    #[test]
    fn request_without_body_has_no_content_type() {
        let request = get().path("/x").build().unwrap();
        assert!(request.body().is_empty());
        assert!(request.headers().get(CONTENT_TYPE).is_none());
    }

    #[test]
    fn base_url_with_and_without_trailing_slash_and_prefix() {
        let with = RequestBuilder::new(Method::GET, "https://x.com/").path("/a");
        let without = RequestBuilder::new(Method::GET, "https://x.com").path("/a");
        let prefix = RequestBuilder::new(Method::GET, "http://127.0.0.1:1234/prefix/").path("/a");
        assert_eq!(uri_of(with), "https://x.com/a");
        assert_eq!(uri_of(without), "https://x.com/a");
        assert_eq!(uri_of(prefix), "http://127.0.0.1:1234/prefix/a");
    }

    #[test]
    fn relative_or_non_http_base_url_is_refused() {
        for base in ["/relative", "ftp://x.com", "not a url"] {
            let err = RequestBuilder::new(Method::GET, base)
                .path("/a")
                .build()
                .unwrap_err();
            assert_eq!(err.part(), RequestPart::BaseUrl, "{base}");
        }
    }

    #[test]
    fn first_error_is_kept() {
        let err = get()
            .path_param("first", "..")
            .query("second", &serde_json::json!({}))
            .build()
            .unwrap_err();
        assert_eq!(err.name(), "first");
    }
}
