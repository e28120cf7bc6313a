//! The error every generated operation returns, generic over its documented errors: what went
//! wrong ([`ErrorKind`]), and what the call saw on the way (attempts, why it stopped, the last
//! response's status and headers).

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use super::decode::{excerpt, DECODE_EXCERPT_BYTES};
use super::{AuthError, DecodeError, RequestError, ResponseMeta, StopReason};

/// What went wrong in a call; [`Error::kind`] of every [`Error`].
///
/// `E` is the operation's generated enum of documented error responses; it
/// appears in [`ErrorKind::Api`]. Everything else is the same for every operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind<E> {
    /// The request could not be built from the given inputs (bad path/query/header value).
    #[error("the request could not be built: {0}")]
    InvalidRequest(#[source] RequestError),
    /// Credentials could not be obtained or applied.
    #[error("credentials could not be obtained or applied: {0}")]
    Auth(#[source] AuthError),
    /// Connection / protocol failure (reqwest::Error).
    #[error("the HTTP exchange failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request or the response body did not complete within the attempt's timeout (the
    /// configured one, or what was left of the call's deadline).
    #[error("no complete response within the attempt's timeout of {0:?}")]
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
    Decode(DecodeError),
    /// A walk over pages stopped: a next-page link to another origin, or the page limit.
    #[error(transparent)]
    Pagination(super::PaginationError),
    /// The response body exceeded the configured limit and was not read to the end.
    #[error("the response body exceeded the limit of {limit} bytes and was not read to the end (see ClientConfig::max_response_bytes)")]
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
}

/// Why an operation did not produce its typed success value.
///
/// [`Error::kind`] says what went wrong; match on it (or use [`Error::status`],
/// [`Error::api_error`]). Beside it the error keeps what the call saw:
/// [`Error::attempts`], [`Error::stop_reason`] when the failure was of a retried kind but no
/// further attempt was made, and [`Error::response`] (status, headers, request id) when the
/// server answered. `Display` says what went wrong, then why it was not retried and the
/// provider's request id, when there are.
pub struct Error<E> {
    kind: ErrorKind<E>,
    /// Absent for errors made outside a call (by a decoder, or before anything was sent).
    call: Option<Box<CallRecord>>,
}

/// What a call saw, kept on its error.
#[derive(Debug)]
struct CallRecord {
    attempts: u32,
    stop: Option<StopReason>,
    response: Option<ResponseMeta>,
}

impl<E> Error<E> {
    /// A documented error response: what generated decoders return.
    pub fn api(status: StatusCode, error: E) -> Self {
        ErrorKind::Api { status, error }.into()
    }

    /// Records what the call saw (attempts made, why it stopped, the last response).
    pub(crate) fn with_call(
        mut self,
        attempts: u32,
        stop: Option<StopReason>,
        response: Option<ResponseMeta>,
    ) -> Self {
        self.call = Some(Box::new(CallRecord {
            attempts,
            stop,
            response,
        }));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What went wrong, taken out.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// How many attempts the call made: 0 when no request was sent (it could not be built, or
    /// a page walk stopped before the next page: [`ErrorKind::Pagination`]), else at least 1.
    pub fn attempts(&self) -> u32 {
        self.call.as_ref().map_or(0, |call| call.attempts)
    }

    /// Why no further attempt was made, when the failure was of a kind that is retried (a
    /// `503`, a dropped connection, …): the operation is not idempotent, the attempts were
    /// used up, the server asked to wait too long, or the deadline was near. `None` for a
    /// failure that is never retried (a `404`, a body that does not decode, …).
    pub fn stop_reason(&self) -> Option<&StopReason> {
        self.call.as_ref()?.stop.as_ref()
    }

    /// The status and headers of the last response, when the server answered.
    pub fn response(&self) -> Option<&ResponseMeta> {
        self.call.as_ref()?.response.as_ref()
    }

    /// The provider's id for the last request, when its response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.response()?.request_id()
    }

    /// The response status, when a response was received and is known.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Api { status, .. } | ErrorKind::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            ErrorKind::Decode(e) => Some(e.status()),
            ErrorKind::Transport(e) => e.status(),
            _ => self.response().map(ResponseMeta::status),
        }
    }

    /// The documented error, when the server answered with one.
    pub fn api_error(&self) -> Option<&E> {
        match &self.kind {
            ErrorKind::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Takes the documented error out, when the server answered with one.
    pub fn into_api_error(self) -> Option<E> {
        match self.kind {
            ErrorKind::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E> From<ErrorKind<E>> for Error<E> {
    fn from(kind: ErrorKind<E>) -> Self {
        Error { kind, call: None }
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(error: AuthError) -> Self {
        ErrorKind::Auth(error).into()
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(error: RequestError) -> Self {
        ErrorKind::InvalidRequest(error).into()
    }
}

impl<E> From<super::PaginationError> for Error<E> {
    fn from(error: super::PaginationError) -> Self {
        ErrorKind::Pagination(error).into()
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(error: DecodeError) -> Self {
        ErrorKind::Decode(error).into()
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("Error");
        shown.field("kind", &self.kind);
        if let Some(call) = &self.call {
            shown
                .field("attempts", &call.attempts)
                .field("stop_reason", &call.stop)
                .field("response", &call.response);
        }
        shown.finish()
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)?;
        if let Some(stop) = self.stop_reason() {
            write!(f, " ({stop})")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {id:?}]")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
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
        let err = Error::api(
            StatusCode::NOT_FOUND,
            GetThingError::NotFound("no such thing".into()),
        );
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
        let err = Error::<GetThingError>::from(ErrorKind::BodyTooLarge { limit: 1024 });
        assert!(err.to_string().contains("1024 bytes"));
        let err = Error::<GetThingError>::from(ErrorKind::Timeout(Duration::from_millis(250)));
        assert!(err.to_string().contains("250ms"), "{err}");
    }

    #[test]
    fn display_adds_the_stop_reason_and_request_id_of_the_call() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-request-id", "req-7".parse().unwrap());
        let names = [http::HeaderName::from_static("x-request-id")];
        let response = ResponseMeta::new(StatusCode::SERVICE_UNAVAILABLE, headers, &names);
        let err = super::super::unexpected_status::<GetThingError>(
            StatusCode::SERVICE_UNAVAILABLE,
            b"busy",
        )
        .with_call(1, Some(StopReason::NotIdempotent), Some(response));
        let shown = err.to_string();
        assert!(shown.starts_with("the server answered 503"), "{shown}");
        assert!(shown.contains("not idempotent"), "{shown}");
        assert!(shown.ends_with("[request id \"req-7\"]"), "{shown}");
        assert_eq!(err.attempts(), 1);
        assert_eq!(err.request_id(), Some("req-7"));
        assert_eq!(err.stop_reason(), Some(&StopReason::NotIdempotent));
    }

    #[test]
    fn an_error_outside_a_call_made_no_attempt() {
        let err = Error::<GetThingError>::from(ErrorKind::Timeout(Duration::from_secs(1)));
        assert_eq!(err.attempts(), 0);
        assert!(err.stop_reason().is_none() && err.response().is_none());
        assert_eq!(err.status(), None);
    }
}
