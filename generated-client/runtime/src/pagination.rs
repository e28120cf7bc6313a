//! Walking a paginated list operation: page by page ([`Pages`]) or item by item as a
//! [`Stream`](futures_util::Stream).
//!
//! A generated list operation that the generator recognised as paginated implements
//! [`Paginated`]: it splits one page into its items and says where the next page is — a link
//! the server gave, or the same request with a new cursor or offset. The walk stops on the last
//! page, after an error, or at the caller's page limit (more pages than that is an error, not a
//! silently shortened list).
//!
//! A relative next-page link is resolved against the URL of the page it came in (RFC 3986,
//! section 5.1.3), as a browser would: `?offset=20` on `/v1/items?limit=10` is
//! `/v1/items?offset=20`. A link is only followed to the client's own origin (scheme, host and
//! port of the base URL): the request carries the client's credentials, which must never reach
//! another origin. A link elsewhere ends the walk with [`PaginationError::ForeignLink`].

use std::collections::VecDeque;

use futures_util::stream::{self, Stream};

use super::{Error, Operation, RequestError, RequestPart, Transport};

/// The pages a walk fetches at most unless the caller says otherwise.
pub const DEFAULT_PAGE_LIMIT: usize = 1000;

/// A list operation whose results come a page at a time.
pub trait Paginated: Operation + Sized {
    /// One item of the list.
    type Item;
    /// Splits one page (the operation's output) into its items and where the next page is.
    fn split_page(&self, output: Self::Output) -> Page<Self>;
}

/// One page: its items and, unless it is the last, where the next one is.
pub struct Page<O: Paginated> {
    /// The page's items, in the server's order.
    pub items: Vec<O::Item>,
    /// Where the next page is; `None` on the last page.
    pub next: Option<Next<O>>,
}

/// Where the next page is.
pub enum Next<O> {
    /// A link the server gave (absolute, or relative to the page it came in).
    Link(String),
    /// The same operation with other inputs (a cursor, an offset).
    Request(O),
}

/// Why a walk over pages stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The server's link to the next page is on another origin than the base URL; following
    /// it would send the client's credentials there.
    #[error(
        "the link to the next page is on another origin ({origin}) than the base URL: not followed"
    )]
    ForeignLink {
        /// The link's origin (`scheme://host:port`).
        origin: String,
    },
    /// The server's link to the next page is not a URL.
    #[error("the link to the next page is not a valid URL")]
    BadLink,
    /// There are more pages than the walk's limit.
    #[error("more than {limit} pages: the page limit was reached (see Pages::with_page_limit)")]
    PageLimit {
        /// The limit in pages.
        limit: usize,
    },
}

/// What the walk asks for next.
enum Pending {
    /// The current request.
    Request,
    /// The current operation, sent to this link instead of its own URL.
    Link(String),
}

/// A walk over the pages of a paginated operation, one request per page.
pub struct Pages<'a, O: Paginated> {
    transport: &'a Transport,
    current: O,
    pending: Option<Pending>,
    /// The URL of the last page, when it came from a link; else it is the current request's.
    page_url: Option<String>,
    fetched: usize,
    limit: usize,
}

impl<'a, O: Paginated> Pages<'a, O> {
    /// A walk that starts with `first` (the request for the first page).
    pub fn new(transport: &'a Transport, first: O) -> Self {
        Pages {
            transport,
            current: first,
            pending: Some(Pending::Request),
            page_url: None,
            fetched: 0,
            limit: DEFAULT_PAGE_LIMIT,
        }
    }

    /// Fetches at most `limit` pages; a further page is [`PaginationError::PageLimit`].
    pub fn with_page_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// The number of pages fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.fetched
    }

    /// The next page's items; `None` after the last page (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Vec<O::Item>, Error<O::Error>>> {
        let pending = self.pending.take()?;
        if self.fetched >= self.limit {
            return Some(Err(Error::from(PaginationError::PageLimit {
                limit: self.limit,
            })));
        }
        self.fetched += 1;
        let output = match pending {
            Pending::Request => {
                self.page_url = None;
                self.transport.execute(&self.current).await
            }
            Pending::Link(link) => {
                let base_url = self.transport.base_url();
                // The current request's URL, when the last page came from it: it was built
                // for that page, so building it again gives the same.
                let page_url = self.page_url.take().or_else(|| {
                    let request = self.current.to_request(base_url).ok()?;
                    Some(request.uri().to_string())
                });
                match same_origin(base_url, page_url.as_deref(), &link) {
                    Ok(url) => {
                        self.page_url = Some(url.clone());
                        let at = AtUrl {
                            operation: &self.current,
                            url,
                        };
                        self.transport.execute(&at).await
                    }
                    Err(error) => Err(Error::from(error)),
                }
            }
        };
        let page = match output {
            Ok(output) => self.current.split_page(output),
            Err(error) => return Some(Err(error)),
        };
        self.pending = match page.next {
            None => None,
            Some(Next::Link(link)) => Some(Pending::Link(link)),
            Some(Next::Request(request)) => {
                self.current = request;
                Some(Pending::Request)
            }
        };
        Some(Ok(page.items))
    }

    /// Every item of every page, in order; an error ends the stream after it is yielded.
    ///
    /// The stream is `Unpin` (its state is boxed, once per walk), so `StreamExt::next` works on
    /// it directly.
    pub fn into_stream(self) -> impl Stream<Item = Result<O::Item, Error<O::Error>>> + Unpin + 'a
    where
        O: 'a,
        O::Item: 'a,
        O::Error: 'a,
    {
        Box::pin(stream::unfold(
            (self, VecDeque::new()),
            |(mut pages, mut buffered)| async move {
                loop {
                    if let Some(item) = buffered.pop_front() {
                        return Some((Ok(item), (pages, buffered)));
                    }
                    match pages.next_page().await? {
                        Ok(items) => buffered.extend(items),
                        Err(error) => return Some((Err(error), (pages, buffered))),
                    }
                }
            },
        ))
    }
}

/// The link resolved against the URL of the page it came in (else the base URL), if it is on
/// the base URL's origin.
fn same_origin(
    base_url: &str,
    page_url: Option<&str>,
    link: &str,
) -> Result<String, PaginationError> {
    let base = reqwest::Url::parse(base_url).map_err(|_| PaginationError::BadLink)?;
    let context = match page_url.map(reqwest::Url::parse) {
        Some(Ok(page)) => page,
        _ => base.clone(),
    };
    let url = context.join(link).map_err(|_| PaginationError::BadLink)?;
    let origin = |u: &reqwest::Url| {
        (
            u.scheme().to_string(),
            u.host_str().map(str::to_string),
            u.port_or_known_default(),
        )
    };
    if origin(&url) != origin(&base) {
        return Err(PaginationError::ForeignLink {
            origin: url.origin().ascii_serialization(),
        });
    }
    Ok(url.into())
}

/// An operation sent to a link instead of its own URL (same method, headers and credentials).
struct AtUrl<'o, O> {
    operation: &'o O,
    url: String,
}

impl<O: Operation> Operation for AtUrl<'_, O> {
    type Output = O::Output;
    type Error = O::Error;
    const AUTHENTICATED: bool = O::AUTHENTICATED;
    // A later page is the same operation: traced and retried as it is.
    const OPERATION_ID: &'static str = O::OPERATION_ID;
    const PATH_TEMPLATE: &'static str = O::PATH_TEMPLATE;
    const IDEMPOTENT: bool = O::IDEMPOTENT;
    const IDEMPOTENCY_KEY: Option<&'static str> = O::IDEMPOTENCY_KEY;

    fn to_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        let mut request = self.operation.to_request(base_url)?;
        *request.uri_mut() = self.url.parse().map_err(|_| {
            RequestError::new(
                RequestPart::BaseUrl,
                "next",
                "the link to the next page is not a valid URI",
            )
        })?;
        Ok(request)
    }

    fn decode_response(
        status: http::StatusCode,
        body: &[u8],
    ) -> Result<Self::Output, Error<Self::Error>> {
        O::decode_response(status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_only_to_the_base_origin() {
        let base = "https://api.example.com/v1";
        assert_eq!(
            same_origin(base, None, "https://api.example.com/v1/items/?offset=20"),
            Ok("https://api.example.com/v1/items/?offset=20".to_string())
        );
        assert_eq!(
            same_origin(base, None, "/v1/items/?offset=20"),
            Ok("https://api.example.com/v1/items/?offset=20".to_string())
        );
        assert_eq!(
            same_origin(base, None, "https://api.example.com:443/x"),
            Ok("https://api.example.com/x".to_string())
        );
        // Relative to the page the link came in, not to the base URL.
        let page = Some("https://api.example.com/v1/items?limit=10");
        for (link, resolved) in [
            (
                "?limit=10&offset=10",
                "https://api.example.com/v1/items?limit=10&offset=10",
            ),
            (
                "items?offset=10",
                "https://api.example.com/v1/items?offset=10",
            ),
            ("/v2/items", "https://api.example.com/v2/items"),
        ] {
            assert_eq!(
                same_origin(base, page, link),
                Ok(resolved.to_string()),
                "{link}"
            );
        }
        assert!(matches!(
            same_origin(base, page, "https://evil.example.net/v1/items?offset=10"),
            Err(PaginationError::ForeignLink { .. })
        ));
        for foreign in [
            "https://evil.example.net/v1/items/",
            "http://api.example.com/v1/items/",
            "https://api.example.com:8443/v1/items/",
            "//evil.example.net/steal",
        ] {
            assert!(
                matches!(
                    same_origin(base, None, foreign),
                    Err(PaginationError::ForeignLink { .. })
                ),
                "{foreign}"
            );
        }
    }
}
