//! Turning a response status and body into a typed value or an [`Error`].

use std::fmt;

use http::StatusCode;

use super::Error;

/// At most this many bytes of a body are quoted in a [`DecodeError`] or in
/// the `Display` of [`Error::UnexpectedStatus`].
pub const DECODE_EXCERPT_BYTES: usize = 200;

/// At most this many bytes of an undocumented response's body are kept in
/// [`Error::UnexpectedStatus`].
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
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| fail(e.path().to_string(), e.into_inner().to_string()))?;
    deserializer
        .end()
        .map_err(|e| fail(".".to_owned(), e.to_string()))?;
    Ok(value)
}

/// Decodes a response documented without a body: any body is ignored.
pub fn decode_empty(_status: StatusCode, _body: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

/// The error for a status the spec does not document for the operation. The
/// body is kept, cut to [`MAX_UNEXPECTED_BODY_BYTES`].
pub fn unexpected_status<E>(status: StatusCode, body: &[u8]) -> Error<E> {
    let truncated = body.len() > MAX_UNEXPECTED_BODY_BYTES;
    let kept = &body[..body.len().min(MAX_UNEXPECTED_BODY_BYTES)];
    Error::UnexpectedStatus {
        status,
        body: bytes::Bytes::copy_from_slice(kept),
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Detail {
        code: u32,
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
    fn decode_empty_ignores_the_body() {
        assert!(decode_empty(StatusCode::NO_CONTENT, b"anything at all").is_ok());
    }

    #[test]
    fn unexpected_status_keeps_a_small_body_whole() {
        let err = unexpected_status::<()>(StatusCode::IM_A_TEAPOT, b"short");
        match err {
            Error::UnexpectedStatus {
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
        match unexpected_status::<()>(StatusCode::BAD_GATEWAY, &big) {
            Error::UnexpectedStatus {
                body, truncated, ..
            } => {
                assert_eq!(body.len(), MAX_UNEXPECTED_BODY_BYTES);
                assert!(truncated);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
