//! Adding credentials to built requests, without ever showing them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use http::header::{HeaderValue, AUTHORIZATION};

/// The future returned by [`Auth::authorize`].
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<(), AuthError>> + Send + 'a>>;

/// A way of adding credentials to requests of operations that require them.
///
/// [`super::Transport`] calls [`Auth::authorize`] on every request of an
/// operation whose [`super::Operation::AUTHENTICATED`] is `true`, after the
/// request is fully built (so signatures can cover its path, query and body).
pub trait Auth: Send + Sync + 'static {
    /// Adds credentials to a fully built request (may be async, e.g. fetch an OAuth token).
    fn authorize<'a>(&'a self, request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a>;

    /// Called when an authenticated request got 401, with the headers that
    /// request was sent with; return true to retry the request once (e.g.
    /// after dropping the token it carried). Default: false.
    fn on_unauthorized(&self, refused: &http::HeaderMap) -> bool {
        let _ = refused;
        false
    }
}

/// Adds nothing: for APIs, or tests, without credentials.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Auth for NoAuth {
    fn authorize<'a>(&'a self, _request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Sends `authorization: Bearer <token>`. Its `Debug` output redacts the token.
#[derive(Clone)]
pub struct BearerToken {
    token: String,
}

impl BearerToken {
    /// Uses `token` as a static bearer token.
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken {
            token: token.into(),
        }
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Auth for BearerToken {
    fn authorize<'a>(&'a self, request: &'a mut http::Request<Vec<u8>>) -> AuthFuture<'a> {
        let value = HeaderValue::from_str(&format!("Bearer {}", self.token))
            .ok()
            // `from_str` lets bytes 0x80-0xFF through (obs-text); a token is ASCII.
            .filter(|_| self.token.is_ascii());
        let result = match value {
            Some(mut value) => {
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
                Ok(())
            }
            None => Err(AuthError::new(
                "the bearer token contains characters not allowed in an HTTP header value (CR, LF, other control characters, or non-ASCII)",
            )),
        };
        Box::pin(std::future::ready(result))
    }
}

/// Credentials could not be obtained or applied.
///
/// Its message is written by the [`Auth`] implementation and must never
/// contain a secret; the built-in ones never do.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AuthError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl AuthError {
    /// An error described by `message` (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            source: None,
        }
    }

    /// An error described by `message`, caused by `source` (neither may contain secrets).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        AuthError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The description of what went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> http::Request<Vec<u8>> {
        http::Request::new(Vec::new())
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn bearer_token_sets_a_sensitive_authorization_header() {
        let auth = BearerToken::new("tok-123");
        let mut req = request();
        block_on(auth.authorize(&mut req)).unwrap();
        let value = &req.headers()[AUTHORIZATION];
        assert_eq!(value, "Bearer tok-123");
        assert!(value.is_sensitive());
        assert!(!auth.on_unauthorized(&http::HeaderMap::new()));
    }

    #[test]
    fn bearer_token_debug_redacts_the_token() {
        let shown = format!("{:?}", BearerToken::new("tok-123"));
        assert!(!shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn bearer_token_with_newline_fails_without_echoing_it() {
        let mut req = request();
        let err = block_on(BearerToken::new("zz-secret\r\nx: y").authorize(&mut req)).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("zz-secret"));
        assert!(req.headers().get(AUTHORIZATION).is_none());
    }

    #[test]
    fn bearer_token_with_non_ascii_fails_without_echoing_it() {
        let mut req = request();
        let err = block_on(BearerToken::new("zz-sécret").authorize(&mut req)).unwrap_err();
        assert!(err.to_string().contains("non-ASCII"), "{err}");
        assert!(!format!("{err} {err:?}").contains("zz-s"));
        assert!(req.headers().get(AUTHORIZATION).is_none());
    }

    #[test]
    fn no_auth_adds_nothing() {
        let mut req = request();
        block_on(NoAuth.authorize(&mut req)).unwrap();
        assert!(req.headers().is_empty());
    }

    #[test]
    fn auth_error_keeps_its_source() {
        let err = AuthError::with_source("token request failed", std::io::Error::other("refused"));
        assert_eq!(err.to_string(), "token request failed");
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("refused"));
    }
}
