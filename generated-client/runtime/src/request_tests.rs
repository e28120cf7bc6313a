//! Request bodies by media type, cookies and `accept`, through the public `RequestBuilder` API.

use http::header::{ACCEPT, CONTENT_TYPE, COOKIE};
use http::Method;

use super::{Multipart, MultipartForm, RequestBuilder, RequestPart, OCTET_STREAM};

const BASE: &str = "https://api.example.com";

fn post() -> RequestBuilder {
    RequestBuilder::new(Method::POST, BASE).path("/x")
}

fn content_type(request: &http::Request<Vec<u8>>) -> &str {
    request.headers()[CONTENT_TYPE].to_str().unwrap()
}

#[derive(serde::Serialize)]
struct Search {
    criteria: String,
    start: Option<u32>,
    rows: Option<u32>,
    tags: Vec<&'static str>,
}

#[test]
fn form_body_encodes_fields_skips_none_and_repeats_arrays() {
    let body = Search {
        criteria: "a b&c=d".into(),
        start: Some(0),
        rows: None,
        tags: vec!["x", "y"],
    };
    let request = post().form_body(&body).build().unwrap();
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "criteria=a+b%26c%3Dd&start=0&tags=x&tags=y"
    );
}

#[test]
fn form_body_refuses_nested_objects_as_a_body_error() {
    #[derive(serde::Serialize)]
    struct Outer {
        inner: Search,
    }
    let body = Outer {
        inner: Search {
            criteria: String::new(),
            start: None,
            rows: None,
            tags: Vec::new(),
        },
    };
    let err = post().form_body(&body).build().unwrap_err();
    assert_eq!(err.part(), RequestPart::Body);
    assert!(err.problem().contains("form-encoded"), "{err}");
}

/// What a generated multipart body looks like.
struct Upload {
    note: Option<String>,
    file: Vec<u8>,
}

impl MultipartForm for Upload {
    fn write_parts(&self, form: &mut Multipart) {
        form.text("note", &self.note);
        form.file("file", OCTET_STREAM, &self.file);
    }
}

#[test]
fn multipart_body_sets_the_boundary_in_the_content_type() {
    let upload = Upload {
        note: Some("n".into()),
        file: b"\x00\x01".to_vec(),
    };
    let request = post().multipart_body(&upload).build().unwrap();
    assert_eq!(
        content_type(&request),
        "multipart/form-data; boundary=rampgen-boundary-00000000"
    );
    let mut expected = b"--rampgen-boundary-00000000\r\n\
Content-Disposition: form-data; name=\"note\"\r\n\r\nn\r\n\
--rampgen-boundary-00000000\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
Content-Type: application/octet-stream\r\n\r\n"
        .to_vec();
    expected.extend_from_slice(b"\x00\x01\r\n--rampgen-boundary-00000000--\r\n");
    assert_eq!(request.body(), &expected);
}

#[test]
fn multipart_fields_sends_each_property() {
    let body = serde_json::json!({"name": "n", "count": 2});
    let request = post().multipart_fields(&body).build().unwrap();
    assert!(content_type(&request).starts_with("multipart/form-data; boundary="));
    let text = String::from_utf8(request.body().clone()).unwrap();
    assert!(text.contains("name=\"name\"\r\n\r\nn\r\n"), "{text}");
    assert!(text.contains("name=\"count\"\r\n\r\n2\r\n"), "{text}");
}

#[test]
fn bytes_and_text_bodies_carry_the_spec_content_type() {
    let request = post()
        .bytes_body("application/octet-stream", &[0, 1, 255])
        .build()
        .unwrap();
    assert_eq!(content_type(&request), "application/octet-stream");
    assert_eq!(request.body(), &[0, 1, 255]);

    let request = post().text_body("text/plain", "héllo").build().unwrap();
    assert_eq!(content_type(&request), "text/plain");
    assert_eq!(request.body(), "héllo".as_bytes());
}

#[test]
fn a_content_type_that_is_not_a_header_value_is_refused() {
    let err = post()
        .bytes_body("application/x\r\nx-injected: 1", b"")
        .build()
        .unwrap_err();
    assert_eq!(err.part(), RequestPart::Body);
}

#[test]
fn json_body_as_sends_the_given_json_media_type() {
    let request = post()
        .json_body_as("application/merge-patch+json", &serde_json::json!({"a": 1}))
        .build()
        .unwrap();
    assert_eq!(content_type(&request), "application/merge-patch+json");
    assert_eq!(request.body(), br#"{"a":1}"#);
}

#[test]
fn with_some_adds_an_optional_body_only_when_present() {
    let none: Option<Vec<u8>> = None;
    let request = post()
        .with_some(none.as_ref(), |r, body| r.bytes_body(OCTET_STREAM, body))
        .build()
        .unwrap();
    assert!(request.body().is_empty());
    assert!(request.headers().get(CONTENT_TYPE).is_none());

    let some = Some("t".to_owned());
    let request = post()
        .with_some(some.as_deref(), |r, body| r.text_body("text/plain", body))
        .build()
        .unwrap();
    assert_eq!(request.body(), b"t");
}

#[test]
fn cookies_share_one_header_and_none_is_omitted() {
    let request = post()
        .cookie("session", "abc")
        .cookie("absent", &None::<String>)
        .cookie("n", &7)
        .cookie("ids", &[1, 2])
        .build()
        .unwrap();
    assert_eq!(request.headers()[COOKIE], "session=abc; n=7; ids=1%2C2");
    assert_eq!(request.headers().get_all(COOKIE).iter().count(), 1);
}

#[test]
fn cookie_values_are_percent_encoded_outside_cookie_octets() {
    let request = post()
        .cookie("c", "a b;c,d\"e\\f%g=h/é\r\n")
        .build()
        .unwrap();
    assert_eq!(
        request.headers()[COOKIE],
        "c=a%20b%3Bc%2Cd%22e%5Cf%25g=h/%C3%A9%0D%0A"
    );
}

#[test]
fn only_omitted_cookies_send_no_cookie_header() {
    let request = post().cookie("a", &None::<u8>).build().unwrap();
    assert!(request.headers().get(COOKIE).is_none());
}

#[test]
fn a_cookie_name_that_is_not_a_token_is_refused_without_echoing_the_value() {
    let err = post()
        .cookie("bad name;", "secret-value")
        .build()
        .unwrap_err();
    assert_eq!(err.part(), RequestPart::Cookie);
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("cookie `bad name;`"), "{shown}");
    assert!(!shown.contains("secret-value"), "{shown}");
}

#[test]
fn accept_replaces_the_json_default() {
    let request = post()
        .accept("image/png, application/json")
        .build()
        .unwrap();
    assert_eq!(request.headers()[ACCEPT], "image/png, application/json");
    let request = post().build().unwrap();
    assert_eq!(request.headers()[ACCEPT], "application/json");
}

#[test]
fn cookies_follow_a_cookie_header_already_set() {
    let request = post()
        .header("cookie", "pre=1")
        .cookie("a", "x y")
        .cookie("b", &2)
        .build()
        .unwrap();
    assert_eq!(request.headers()[COOKIE], "pre=1; a=x%20y; b=2");
}

#[test]
fn a_url_longer_than_the_reserved_room_is_built_whole() {
    let id = "é/".repeat(100);
    let word = "a b".repeat(100);
    let request = RequestBuilder::new(Method::GET, BASE)
        .path("/items/")
        .path_param("id", id.as_str())
        .path("/sub")
        .query("q", word.as_str())
        .query("n", &[1, 2])
        .build()
        .unwrap();
    let expected = format!(
        "{BASE}/items/{}/sub?q={}&n=1&n=2",
        "%C3%A9%2F".repeat(100),
        "a+b".repeat(100)
    );
    assert_eq!(request.uri().to_string(), expected);
}

#[test]
fn a_refused_path_parameter_leaves_the_first_error_and_no_trace_in_debug() {
    let builder = RequestBuilder::new(Method::GET, "https://api.example.com/")
        .path("/u/")
        .path_param("id", "..")
        .path("/x");
    let shown = format!("{builder:?}");
    assert!(
        shown.contains(r#"base_url: "https://api.example.com", path: "/u//x""#),
        "{shown}"
    );
    assert_eq!(builder.build().unwrap_err().name(), "id");
}
