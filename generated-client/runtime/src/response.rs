//! What a response said besides its body: status, headers and the provider's request id,
//! beside the typed body ([`Response`]) or on an error ([`super::Error::response`]).

use std::fmt;

use http::header::HeaderName;
use http::{HeaderMap, StatusCode};

/// The request-id headers looked for by default, in this order: `x-request-id`, `request-id`,
/// `x-amzn-requestid` (AWS API Gateway) and `x-amz-request-id`.
/// [`super::ClientConfig::request_id_headers`] replaces the list.
pub const DEFAULT_REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
];

/// The status and headers of a response, and the request id the provider gave it.
///
/// `Debug` shows the status, the request id and the header names, not the header values (a
/// server may set cookies or echo what it was sent).
#[derive(Clone)]
pub struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl ResponseMeta {
    /// The status and headers of a response; the request id is the value of the first of
    /// `request_id_headers` that it carries as visible ASCII text.
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id_headers: &[HeaderName],
    ) -> Self {
        let request_id = request_id_headers
            .iter()
            .find_map(|name| headers.get(name)?.to_str().ok())
            .map(str::to_owned);
        ResponseMeta {
            status,
            headers,
            request_id,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The provider's id for the request, to quote when asking it about this call: the
    /// first of [`super::ClientConfig::request_id_headers`] the response carried.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("header_names", &HeaderNames(&self.headers))
            .finish()
    }
}

/// The distinct names of a header map, as a list.
struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// A typed body with the status and headers it came with, and how many attempts the call
/// took: what [`super::Transport::execute_with_response`] returns.
#[derive(Debug, Clone)]
pub struct Response<T> {
    meta: ResponseMeta,
    attempts: u32,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(meta: ResponseMeta, attempts: u32, body: T) -> Self {
        Response {
            meta,
            attempts,
            body,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The provider's id for the request (see [`ResponseMeta::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// Status, headers and request id together.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// How many attempts the call made (1 unless failures were retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The status and headers, and the decoded body.
    pub fn into_parts(self) -> (ResponseMeta, T) {
        (self.meta, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&'static str]) -> Vec<HeaderName> {
        list.iter().map(|n| HeaderName::from_static(n)).collect()
    }

    #[test]
    fn request_id_is_the_first_listed_header_present() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "second".parse().unwrap());
        headers.insert("x-amzn-requestid", "third".parse().unwrap());
        let meta = ResponseMeta::new(
            StatusCode::OK,
            headers.clone(),
            &names(&DEFAULT_REQUEST_ID_HEADERS),
        );
        assert_eq!(meta.request_id(), Some("second"));
        let meta = ResponseMeta::new(StatusCode::OK, headers, &names(&["x-trace"]));
        assert_eq!(meta.request_id(), None);
    }

    #[test]
    fn debug_shows_header_names_but_not_values() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", "session=zz-secret".parse().unwrap());
        headers.insert("x-request-id", "req-42".parse().unwrap());
        let meta = ResponseMeta::new(StatusCode::OK, headers, &names(&DEFAULT_REQUEST_ID_HEADERS));
        let shown = format!("{:?}", Response::new(meta, 1, ()));
        assert!(
            shown.contains("set-cookie") && shown.contains("req-42"),
            "{shown}"
        );
        assert!(!shown.contains("zz-secret"), "{shown}");
    }
}
