//! Turning a response status and body into a typed value or an [`Error`].

use std::fmt;

use http::StatusCode;

use super::{Error, ErrorKind};

/// At most this many bytes of a body are quoted in a [`DecodeError`] or in
/// the `Display` of [`ErrorKind::UnexpectedStatus`].
pub const DECODE_EXCERPT_BYTES: usize = 200;

/// At most this many bytes of an undocumented response's body are kept in
/// [`ErrorKind::UnexpectedStatus`].
pub const MAX_UNEXPECTED_BODY_BYTES: usize = 64 * 1024;

/// A response body did not match the documented schema.
///
/// Carries the status, the JSON path of the failure (e.g. `detail.code`, `.`
/// for the top level), serde's message and a short excerpt of the body. Note
/// that the excerpt and serde's message quote the server's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    status: StatusCode,
    path: String,
    message: String,
    excerpt: String,
    body_len: usize,
}

impl DecodeError {
    /// The status of the response whose body failed to decode.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Where in the JSON document decoding failed, e.g. `detail.code` or
    /// `items[3].id`; `.` is the top level.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// serde's description of the failure.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The start of the body (at most [`DECODE_EXCERPT_BYTES`] bytes, lossy
    /// UTF-8, `…` appended when cut).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// The full length of the body in bytes.
    pub fn body_len(&self) -> usize {
        self.body_len
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} response body does not match the documented schema at `{}`: {}; the body ({} bytes) starts with {:?}",
            self.status, self.path, self.message, self.body_len, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// The start of `body`, at most `max` bytes, as lossy UTF-8 with `…` appended
/// when cut.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let cut = body.len() > max;
    let mut text = String::from_utf8_lossy(&body[..body.len().min(max)]).into_owned();
    if cut {
        text.push('…');
    }
    text
}

/// Decodes a JSON body into `T`, reporting where in the document it failed.
pub fn decode_json<T: serde::de::DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, DecodeError> {
    let fail = |path: String, message: String| DecodeError {
        status,
        path,
        message,
        excerpt: excerpt(body, DECODE_EXCERPT_BYTES),
        body_len: body.len(),
    };
    // Deserializing recurses once per level (several KiB of stack each through path tracking);
    // refuse hostile nesting before it starts.
    if let Some(depth) = nesting_exceeds(body, MAX_JSON_DEPTH) {
        return Err(fail(
            ".".to_owned(),
            format!("the body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep (at byte {depth})"),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| fail(e.path().to_string(), e.into_inner().to_string()))?;
    deserializer
        .end()
        .map_err(|e| fail(".".to_owned(), e.to_string()))?;
    // serde_json skips the strings of fields nobody reads without checking them (bad bytes in
    // a field it reads fail above, with that field's path); a body that is not UTF-8 is
    // broken wherever the bad bytes are.
    if let Err(e) = std::str::from_utf8(body) {
        return Err(fail(
            ".".to_owned(),
            format!("the body is not valid UTF-8: {e}"),
        ));
    }
    Ok(value)
}

/// The deepest nesting of arrays and objects a JSON response may have. API responses stay far
/// below it; it keeps decoding within a small thread stack.
pub const MAX_JSON_DEPTH: usize = 64;

/// The byte offset where `body` first nests deeper than `limit`, if it does. Brackets inside
/// strings do not count.
fn nesting_exceeds(body: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in body.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Decodes a text body (`text/*`) as UTF-8. Invalid UTF-8 is a [`DecodeError`], not replaced
/// characters: a text response that is not text is a broken response.
pub fn decode_text(status: StatusCode, body: &[u8]) -> Result<String, DecodeError> {
    std::str::from_utf8(body)
        .map(str::to_owned)
        .map_err(|e| DecodeError {
            status,
            path: ".".to_owned(),
            message: format!("the text body is not valid UTF-8: {e}"),
            excerpt: excerpt(body, DECODE_EXCERPT_BYTES),
            body_len: body.len(),
        })
}

/// Returns a binary body (any media type other than JSON and text) as it came.
pub fn decode_bytes(_status: StatusCode, body: &[u8]) -> Result<Vec<u8>, DecodeError> {
    Ok(body.to_vec())
}

/// Decodes a response documented without a body: any body is ignored.
pub fn decode_empty(_status: StatusCode, _body: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

/// The documented error responses of one or more operations (several operations that
/// document the same errors share one type).
///
/// Generated for every error enum: an operation's `decode_response` decodes its
/// success statuses itself and hands every other status to [`decode_error`].
pub trait ErrorResponses: Sized {
    /// The documented error for `status`: `Err` with the error of the call when
    /// its body does not decode or when no error documents `status`.
    fn decode(status: StatusCode, body: &[u8]) -> Result<Self, Error<Self>>;
}

/// The error type of an operation that documents no error responses. It has no
/// values: every status other than the operation's successes is
/// [`ErrorKind::UnexpectedStatus`], with the body kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoDocumentedErrors {}

impl ErrorResponses for NoDocumentedErrors {
    fn decode(status: StatusCode, body: &[u8]) -> Result<Self, Error<Self>> {
        Err(unexpected_status(status, body))
    }
}

/// The error of a call that ended with `status`: the documented error `E`
/// decoded from `body` ([`ErrorKind::Api`]), or why it could not be.
pub fn decode_error<E: ErrorResponses>(status: StatusCode, body: &[u8]) -> Error<E> {
    match E::decode(status, body) {
        Ok(error) => Error::api(status, error),
        Err(error) => error,
    }
}

/// The error for a status the spec does not document for the operation. The
/// body is kept, cut to [`MAX_UNEXPECTED_BODY_BYTES`].
pub fn unexpected_status<E>(status: StatusCode, body: &[u8]) -> Error<E> {
    let truncated = body.len() > MAX_UNEXPECTED_BODY_BYTES;
    let kept = &body[..body.len().min(MAX_UNEXPECTED_BODY_BYTES)];
    ErrorKind::UnexpectedStatus {
        status,
        body: bytes::Bytes::copy_from_slice(kept),
        truncated,
    }
    .into()
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        assert_eq!(nesting_exceeds(b"[[[]]]", 3), None);
        assert_eq!(nesting_exceeds(b"[[[[]]]]", 3), Some(3));
        assert_eq!(nesting_exceeds(br#"{"a":"[[[[[[","b":"\"[[[["}"#, 1), None);
    }

    #[test]
    fn deep_and_non_utf8_bodies_are_decode_errors() {
        let deep = "[".repeat(MAX_JSON_DEPTH + 1);
        let err = decode_json::<serde_json::Value>(StatusCode::OK, deep.as_bytes()).unwrap_err();
        assert!(err.message().contains("more than 64 levels"), "{err}");
        #[derive(serde::Deserialize, Debug)]
        struct ReadsNothing {}
        let err =
            decode_json::<ReadsNothing>(StatusCode::OK, b"{\"unread\":\"\xff\"}").unwrap_err();
        assert!(err.message().contains("not valid UTF-8"), "{err}");
        assert_eq!(err.path(), ".");
        let fine = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(decode_json::<serde_json::Value>(StatusCode::OK, fine.as_bytes()).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Detail {
        code: u32,
    }

    /// An error enum as generated: one documented status with a body.
    #[derive(Debug, PartialEq)]
    enum NotFound {
        Missing(Detail),
    }

    impl ErrorResponses for NotFound {
        fn decode(status: StatusCode, body: &[u8]) -> Result<Self, Error<Self>> {
            match status.as_u16() {
                404 => Ok(Self::Missing(decode_json(status, body)?)),
                _ => Err(unexpected_status(status, body)),
            }
        }
    }

    #[test]
    fn an_operation_without_documented_errors_reports_any_failure_as_unexpected() {
        let error: Error<NoDocumentedErrors> = decode_error(StatusCode::BAD_REQUEST, b"no");
        assert!(
            matches!(error.kind(), ErrorKind::UnexpectedStatus { .. }),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn decode_error_gives_the_documented_error_or_says_why_not() {
        let error: Error<NotFound> = decode_error(StatusCode::NOT_FOUND, br#"{"code": 7}"#);
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(
            error.api_error(),
            Some(&NotFound::Missing(Detail { code: 7 }))
        );

        let undecodable: Error<NotFound> = decode_error(StatusCode::NOT_FOUND, b"<html>");
        assert!(
            matches!(undecodable.kind(), ErrorKind::Decode(_)),
            "{undecodable:?}"
        );

        let undocumented: Error<NotFound> = decode_error(StatusCode::IM_A_TEAPOT, b"tea");
        assert!(
            matches!(undocumented.kind(), ErrorKind::UnexpectedStatus { .. }),
            "{undocumented:?}"
        );
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Problem {
        detail: Detail,
    }

    #[test]
    fn decode_json_decodes_a_matching_body() {
        let value: Problem = decode_json(StatusCode::OK, br#"{"detail":{"code":7}}"#).unwrap();
        assert_eq!(
            value,
            Problem {
                detail: Detail { code: 7 }
            }
        );
    }

    #[test]
    fn decode_json_reports_the_json_path_and_an_excerpt() {
        let body = br#"{"detail":{"code":"not-a-number"}}"#;
        let err = decode_json::<Problem>(StatusCode::BAD_REQUEST, body).unwrap_err();
        assert_eq!(err.path(), "detail.code");
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.message().contains("invalid type"), "{}", err.message());
        assert_eq!(err.excerpt(), std::str::from_utf8(body).unwrap());
        let shown = err.to_string();
        assert!(shown.contains("`detail.code`"), "{shown}");
        assert!(shown.contains("400 Bad Request"), "{shown}");
    }

    #[test]
    fn decode_json_reports_a_missing_field() {
        let err = decode_json::<Problem>(StatusCode::OK, br#"{"detail":{}}"#).unwrap_err();
        assert_eq!(err.path(), "detail");
        assert!(
            err.message().contains("missing field `code`"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn decode_json_refuses_trailing_garbage_and_non_json() {
        assert!(decode_json::<Problem>(StatusCode::OK, br#"{"detail":{"code":1}} x"#).is_err());
        let err = decode_json::<Problem>(StatusCode::OK, b"<html>oops</html>").unwrap_err();
        assert_eq!(err.path(), ".");
    }

    #[test]
    fn decode_error_excerpt_is_bounded() {
        let mut body = br#"{"detail":"#.to_vec();
        body.extend(std::iter::repeat_n(b' ', 10_000));
        body.extend(b"1}");
        let err = decode_json::<Problem>(StatusCode::OK, &body).unwrap_err();
        assert_eq!(err.body_len(), body.len());
        assert!(err.excerpt().len() <= DECODE_EXCERPT_BYTES + '…'.len_utf8());
        assert!(err.excerpt().ends_with('…'));
    }

    #[test]
    fn decode_text_keeps_utf8_text_whole() {
        let text = decode_text(StatusCode::OK, "a,b\né".as_bytes()).unwrap();
        assert_eq!(text, "a,b\né");
    }

    #[test]
    fn decode_text_refuses_invalid_utf8() {
        let err = decode_text(StatusCode::OK, b"ok \xff\xfe").unwrap_err();
        assert_eq!(err.status(), StatusCode::OK);
        assert_eq!(err.path(), ".");
        assert!(err.message().contains("UTF-8"), "{}", err.message());
        assert_eq!(err.body_len(), 5);
    }

    #[test]
    fn decode_bytes_returns_the_body_as_is() {
        let bytes = decode_bytes(StatusCode::OK, &[0, 255, 10]).unwrap();
        assert_eq!(bytes, [0, 255, 10]);
    }

    #[test]
    fn decode_empty_ignores_the_body() {
        assert!(decode_empty(StatusCode::NO_CONTENT, b"anything at all").is_ok());
    }

    #[test]
    fn unexpected_status_keeps_a_small_body_whole() {
        let err = unexpected_status::<()>(StatusCode::IM_A_TEAPOT, b"short");
        match err.into_kind() {
            ErrorKind::UnexpectedStatus {
                status,
                body,
                truncated,
            } => {
                assert_eq!(status, StatusCode::IM_A_TEAPOT);
                assert_eq!(&body[..], b"short");
                assert!(!truncated);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unexpected_status_truncates_big_bodies() {
        let big = vec![b'x'; MAX_UNEXPECTED_BODY_BYTES + 10];
        match unexpected_status::<()>(StatusCode::BAD_GATEWAY, &big).into_kind() {
            ErrorKind::UnexpectedStatus {
                body, truncated, ..
            } => {
                assert_eq!(body.len(), MAX_UNEXPECTED_BODY_BYTES);
                assert!(truncated);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
