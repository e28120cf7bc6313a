//! URLs a spec gives relative to the API's server, such as an OAuth2 `tokenUrl`.

/// `reference` resolved against `base_url` as RFC 3986 (section 5.2) says (the `url` crate's
/// `join`): an absolute URL is kept; `/path` replaces the base's path; `path` replaces the
/// base's last segment. A query or fragment of the base is dropped.
///
/// ```
/// use rampgen_runtime::resolve_url;
/// assert_eq!(resolve_url("https://api.example.com/v1", "/oauth2/token/"), "https://api.example.com/oauth2/token/");
/// assert_eq!(resolve_url("https://api.example.com/v1/", "token"), "https://api.example.com/v1/token");
/// assert_eq!(resolve_url("https://api.example.com", "https://auth.example.com/token"), "https://auth.example.com/token");
/// ```
pub fn resolve_url(base_url: &str, reference: &str) -> String {
    // A base that is not a URL has nothing to resolve against: the reference is kept, and the
    // token request names it in its error.
    match reqwest::Url::parse(base_url).and_then(|base| base.join(reference)) {
        Ok(resolved) => resolved.into(),
        Err(_) => reference.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_url;

    #[test]
    fn references_resolve_against_the_server() {
        let cases = [
            (
                "https://a.example",
                "/oauth2/token/",
                "https://a.example/oauth2/token/",
            ),
            (
                "https://a.example/",
                "/oauth2/token/",
                "https://a.example/oauth2/token/",
            ),
            (
                "https://a.example/api/v1",
                "/token",
                "https://a.example/token",
            ),
            (
                "https://a.example/api/v1",
                "token",
                "https://a.example/api/token",
            ),
            (
                "https://a.example/api/v1/",
                "token",
                "https://a.example/api/v1/token",
            ),
            ("https://a.example", "token", "https://a.example/token"),
            ("https://a.example/x?y=/z", "/t", "https://a.example/t"),
            (
                "https://a.example/v1",
                "http://b.example/t",
                "http://b.example/t",
            ),
            ("not a url", "/t", "/t"),
        ];
        for (base, reference, expected) in cases {
            assert_eq!(
                resolve_url(base, reference),
                expected,
                "{base} + {reference}"
            );
        }
    }
}
