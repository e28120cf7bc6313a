//! The error every generated operation returns, generic over its documented errors.

use std::time::Duration;

use http::StatusCode;

use super::decode::{excerpt, DECODE_EXCERPT_BYTES};
use super::{AuthError, DecodeError, RequestError};

/// Why an operation did not produce its typed success value.
///
/// `E` is the operation's generated enum of documented error responses; it
/// appears in [`Error::Api`]. Everything else is the same for every operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built from the given inputs (bad path/query/header value).
    #[error("the request could not be built: {0}")]
    InvalidRequest(#[from] RequestError),
    /// Credentials could not be obtained or applied.
    #[error("credentials could not be obtained or applied: {0}")]
    Auth(#[source] AuthError),
    /// Connection / protocol failure (reqwest::Error).
    #[error("the HTTP exchange failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request or the response body did not complete within the configured timeout.
    #[error("no complete response within the configured timeout of {0:?}")]
    Timeout(Duration),
    /// A documented error response, decoded into the operation's error type.
    #[error("the server answered {status} with a documented error: {error:?}")]
    Api {
        /// The response status.
        status: StatusCode,
        /// The decoded error body.
        error: E,
    },
    /// A status the spec does not document; the body is kept (bounded).
    #[error(
        "the server answered {status}, which the API description does not document for this operation; the body ({}{} bytes) starts with {:?}",
        body.len(),
        if *truncated { "+" } else { "" },
        excerpt(body, DECODE_EXCERPT_BYTES)
    )]
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// The start of the body, at most [`super::MAX_UNEXPECTED_BODY_BYTES`].
        body: bytes::Bytes,
        /// Whether the body was longer than what is kept.
        truncated: bool,
    },
    /// The body did not match the documented schema.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The response body exceeded the configured limit and was not read to the end.
    #[error("the response body exceeded the limit of {limit} bytes and was not read to the end (see ClientConfig::max_response_bytes)")]
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
}

impl<E> Error<E> {
    /// The response status, when a response was received and is known.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => Some(*status),
            Error::Decode(e) => Some(e.status()),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The documented error, when the server answered with one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Takes the documented error out, when the server answered with one.
    pub fn into_api_error(self) -> Option<E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(error: AuthError) -> Self {
        Error::Auth(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum GetThingError {
        NotFound(#[allow(dead_code)] String),
    }

    #[test]
    fn api_error_display_names_status_and_error() {
        let err = Error::Api {
            status: StatusCode::NOT_FOUND,
            error: GetThingError::NotFound("no such thing".into()),
        };
        assert_eq!(
            err.to_string(),
            "the server answered 404 Not Found with a documented error: NotFound(\"no such thing\")"
        );
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert!(matches!(err.api_error(), Some(GetThingError::NotFound(_))));
    }

    #[test]
    fn unexpected_status_display_shows_an_escaped_excerpt() {
        let err = super::super::unexpected_status::<GetThingError>(
            StatusCode::BAD_GATEWAY,
            b"upstream\r\ndown",
        );
        let shown = err.to_string();
        assert!(shown.contains("502 Bad Gateway"), "{shown}");
        assert!(shown.contains(r#""upstream\r\ndown""#), "{shown}");
        assert!(!shown.contains('\n'), "{shown}");
        assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
        assert!(err.api_error().is_none());
    }

    #[test]
    fn decode_error_converts_transparently() {
        let decode = super::super::decode_json::<u32>(StatusCode::OK, b"\"x\"").unwrap_err();
        let err: Error<GetThingError> = decode.clone().into();
        assert_eq!(err.to_string(), decode.to_string());
        assert_eq!(err.status(), Some(StatusCode::OK));
    }

    #[test]
    fn auth_error_is_the_source() {
        let err: Error<GetThingError> = AuthError::new("token endpoint refused the client").into();
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("token endpoint refused the client"));
        assert_eq!(err.status(), None);
    }

    #[test]
    fn body_too_large_and_timeout_say_what_to_change() {
        let err = Error::<GetThingError>::BodyTooLarge { limit: 1024 };
        assert!(err.to_string().contains("1024 bytes"));
        let err = Error::<GetThingError>::Timeout(Duration::from_millis(250));
        assert!(err.to_string().contains("250ms"), "{err}");
    }
}
