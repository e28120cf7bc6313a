//! Settings for some calls only: a timeout, a retry policy, extra headers.

use std::fmt;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::RetryPolicy;

/// Overrides of the client's settings for the calls made through one view of a client:
/// `client.with_options(CallOptions::new().timeout(…).header(…))`.
///
/// Unset options keep the client's value. Extra headers are set on every request made with
/// the options, replacing a header of the same name that the operation set; credentials are
/// added afterwards, so an extra header never replaces them. `Debug` shows the names of the
/// extra headers, not their values.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The time one attempt may take (see [`super::ClientConfig::timeout`]); a zero timeout
    /// fails every call at once with [`super::ErrorKind::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy (see [`super::ClientConfig::retry`]), e.g. [`RetryPolicy::none`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A header added to every request, e.g. a correlation id:
    /// `.header(HeaderName::from_static("x-correlation-id"), HeaderValue::from_str(&id)?)`.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// These options with `other`'s set ones on top.
    pub(crate) fn merged(&self, other: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        for (name, value) in &other.headers {
            headers.insert(name, value.clone());
        }
        CallOptions {
            timeout: other.timeout.or(self.timeout),
            retry: other.retry.or_else(|| self.retry.clone()),
            headers,
        }
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("header_names", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_and_headers_accumulate() {
        let first = CallOptions::new()
            .timeout(Duration::from_secs(1))
            .header(HeaderName::from_static("a"), HeaderValue::from_static("1"))
            .header(HeaderName::from_static("b"), HeaderValue::from_static("1"));
        let second = CallOptions::new()
            .retry(RetryPolicy::none())
            .header(HeaderName::from_static("b"), HeaderValue::from_static("2"));
        let merged = first.merged(second);
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.retry, Some(RetryPolicy::none()));
        assert_eq!(merged.headers["a"], "1");
        assert_eq!(merged.headers["b"], "2");
        assert_eq!(merged.headers.len(), 2);
    }

    #[test]
    fn debug_shows_header_names_only() {
        let options = CallOptions::new().header(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static("zz-secret"),
        );
        let shown = format!("{options:?}");
        assert!(shown.contains("x-api-key"), "{shown}");
        assert!(!shown.contains("zz-secret"), "{shown}");
    }
}
