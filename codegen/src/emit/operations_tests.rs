//! The operations module for bodies by media type, cookies and non-JSON responses: the tokens
//! parse, and each operation calls the right builder and decoder.

use crate::load::{load, Format};

/// The printed operations module of a document.
fn operations_of(text: &str) -> String {
    let doc = load(text, Format::Yaml).expect("test document loads");
    let spec = crate::parse::parse(&doc.value).expect("test document parses");
    let (api, _) = crate::lower::lower(&spec);
    let runtime: syn::Path = syn::parse_quote!(crate::runtime);
    let tokens = super::operations::emit(&api, &runtime);
    let file: syn::File = syn::parse2(tokens).expect("the operations module parses");
    prettyplease::unparse(&file)
}

fn assert_contains(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

const DOCUMENT: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /upload:
    post:
      operationId: upload
      parameters:
        - {name: session, in: cookie, required: true, schema: {type: string}}
        - {name: theme, in: cookie, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                note: {type: string}
                file: {type: string, format: binary}
      responses:
        '200': {description: receipt, content: {text/plain: {schema: {type: string}}}}
        '400': {description: bad, content: {application/json: {schema: {type: string}}}}
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {q: {type: string}}}
      responses:
        '200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
        '201': {description: made, content: {text/csv: {schema: {type: string}}}}
        default: {description: other, content: {text/plain: {}}}
  /chunk:
    put:
      operationId: putChunk
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        '204': {description: stored}
        default: {description: failed}
";

#[test]
fn multipart_body_struct_cookies_and_a_text_response() {
    let text = operations_of(DOCUMENT);
    assert_contains(
        &text,
        &[
            "pub body: UploadBody,",
            "pub struct UploadBody {",
            "pub note: Option<String>,",
            "pub file: Vec<u8>,",
            "impl runtime::MultipartForm for UploadBody {",
            "form.file(\"file\", \"application/octet-stream\", &self.file);",
            ".cookie(\"session\", &self.session)",
            ".cookie(\"theme\", &self.theme)",
            ".accept(\"text/plain, application/json\")",
            ".multipart_body(&self.body)",
            "type Output = String;",
            "200 => Ok(runtime::decode_text(status, body)?)",
        ],
    );
}

#[test]
fn form_body_and_a_success_enum_of_bytes_and_text() {
    let text = operations_of(DOCUMENT);
    assert_contains(
        &text,
        &[
            "pub body: Option<types::SearchBody>,",
            ".with_some(self.body.as_ref(), |request, body| request.form_body(body))",
            ".accept(\"image/png, text/csv, text/plain\")",
            "pub enum SearchSuccess {",
            "Ok(SearchSuccess::Ok(runtime::decode_bytes(status, body)?))",
            "Ok(SearchSuccess::Created(runtime::decode_text(status, body)?))",
            "Default(String)",
        ],
    );
}

#[test]
fn a_byte_body_and_empty_responses_need_no_accept() {
    let text = operations_of(DOCUMENT);
    let put_chunk = text
        .split("pub struct PutChunk")
        .nth(1)
        .expect("the PutChunk operation");
    assert_contains(
        put_chunk,
        &[
            "pub body: Vec<u8>,",
            ".bytes_body(\"application/octet-stream\", &self.body)",
        ],
    );
    assert!(!put_chunk.contains(".accept("), "{put_chunk}");
}

const RETRY_HINTS: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /payments/{id}:
    post:
      operationId: capturePayment
      x-rampgen-idempotent: true
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: captured}
  /transfers:
    post:
      operationId: createTransfer
      parameters:
        - {name: X-Idempotency-Key, in: header, schema: {type: string}}
      responses:
        '201': {description: created}
";

#[test]
fn operations_name_themselves_and_say_when_they_may_be_repeated() {
    let text = operations_of(RETRY_HINTS);
    let (capture, create) = text
        .split_once("pub struct CreateTransfer")
        .expect("both operations");
    assert_contains(
        capture,
        &[
            "const OPERATION_ID: &'static str = \"capturePayment\";",
            "const PATH_TEMPLATE: &'static str = \"/payments/{id}\";",
            "const IDEMPOTENT: bool = true;",
        ],
    );
    assert!(!capture.contains("IDEMPOTENCY_KEY"), "{capture}");
    assert_contains(
        create,
        &[
            "const OPERATION_ID: &'static str = \"createTransfer\";",
            "const IDEMPOTENCY_KEY: Option<&'static str> = Some(\"X-Idempotency-Key\");",
        ],
    );
    assert!(!create.contains("IDEMPOTENT:"), "{create}");
}
