//! The settings a [`super::Transport`] is built from.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Auth, NoAuth};

/// The default [`ClientConfig::timeout`]: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default [`ClientConfig::max_response_bytes`]: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// How to reach an API: base URL, credentials, timeout and limits.
///
/// Built with [`ClientConfig::new`] and the builder-style setters, then
/// turned into a [`super::Transport`], which validates it. `Debug` never
/// shows credentials.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
    pub(crate) auth: Arc<dyn Auth>,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl ClientConfig {
    /// A configuration for the API at `base_url` (e.g.
    /// `https://api.example.com` or `http://127.0.0.1:8080/prefix`), with a
    /// 30 s timeout, the user agent `rampgen-generated-client/<version>`, a
    /// 10 MiB response limit and no credentials.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("rampgen-generated-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            auth: Arc::new(NoAuth),
            http_client: None,
        }
    }

    /// The time one attempt may take: obtaining credentials, sending the
    /// request and reading the whole response body. Must be non-zero.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `user-agent` header sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body read; a longer one fails with
    /// [`super::Error::BodyTooLarge`] without being read to the end.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The credentials added to operations that require them.
    pub fn auth(mut self, auth: impl Auth) -> Self {
        self.auth = Arc::new(auth);
        self
    }

    /// Uses this `reqwest` client instead of building one. Its redirect
    /// policy is then the caller's responsibility: the default client follows
    /// no redirects, so that credentials are never sent to another host.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl fmt::Debug for ClientConfig {
    /// Shows the settings but not the credentials (nor any user information
    /// written into the base URL).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("auth", &"<redacted>")
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "<custom>"),
            )
            .finish()
    }
}

/// `scheme://user:pass@host/...` → `scheme://<redacted>@host/...`.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// A [`ClientConfig`] that cannot be used: the message says which setting
/// and why.
#[derive(Debug, thiserror::Error)]
#[error("invalid client configuration: {message}")]
pub struct ConfigError {
    message: String,
    #[source]
    source: Option<reqwest::Error>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn with_source(message: impl Into<String>, source: reqwest::Error) -> Self {
        ConfigError {
            message: message.into(),
            source: Some(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BearerToken;

    #[test]
    fn defaults_are_as_documented() {
        let config = ClientConfig::new("https://api.example.com");
        assert_eq!(config.timeout, Duration::from_secs(30));
        assert_eq!(config.max_response_bytes, 10 * 1024 * 1024);
        assert_eq!(
            config.user_agent,
            format!("rampgen-generated-client/{}", env!("CARGO_PKG_VERSION"))
        );
        assert!(config.http_client.is_none());
    }

    #[test]
    fn setters_apply() {
        let config = ClientConfig::new("https://api.example.com")
            .timeout(Duration::from_secs(2))
            .user_agent("me/1")
            .max_response_bytes(10);
        assert_eq!(config.timeout, Duration::from_secs(2));
        assert_eq!(config.user_agent, "me/1");
        assert_eq!(config.max_response_bytes, 10);
    }

    #[test]
    fn debug_never_shows_the_token_or_url_userinfo() {
        let config = ClientConfig::new("https://user:hunter2@api.example.com/v1")
            .auth(BearerToken::new("s3cr3t-token"));
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-token"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("api.example.com/v1"), "{shown}");
    }

    #[test]
    fn redact_userinfo_leaves_plain_urls_alone() {
        assert_eq!(redact_userinfo("https://x.com/a@b"), "https://x.com/a@b");
        assert_eq!(
            redact_userinfo("https://u@x.com"),
            "https://<redacted>@x.com"
        );
        assert_eq!(redact_userinfo("nonsense"), "nonsense");
    }
}
