//! URLs a spec gives relative to the API's server, such as an OAuth2 `tokenUrl`.

/// `reference` resolved against `base_url` as RFC 3986 (section 5.2) does for the forms specs
/// use: an absolute URL is kept; `/path` replaces the base's path; `path` replaces the base's
/// last segment. A query or fragment of the base is dropped.
///
/// ```
/// use rampgen_runtime::resolve_url;
/// assert_eq!(resolve_url("https://api.example.com/v1", "/oauth2/token/"), "https://api.example.com/oauth2/token/");
/// assert_eq!(resolve_url("https://api.example.com/v1/", "token"), "https://api.example.com/v1/token");
/// assert_eq!(resolve_url("https://api.example.com", "https://auth.example.com/token"), "https://auth.example.com/token");
/// ```
pub fn resolve_url(base_url: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_owned();
    }
    let base = base_url.split(['?', '#']).next().unwrap_or_default();
    // The end of `scheme://authority`, where the path starts.
    let authority_end = base
        .find("://")
        .map(|start| {
            let after = start + 3;
            base[after..].find('/').map_or(base.len(), |i| after + i)
        })
        .unwrap_or(0);
    if let Some(reference) = reference.strip_prefix('/') {
        return format!("{}/{reference}", &base[..authority_end]);
    }
    let path = &base[authority_end..];
    let directory = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let separator = if directory.is_empty() { "/" } else { "" };
    format!(
        "{}{directory}{separator}{reference}",
        &base[..authority_end]
    )
}

/// Whether `text` starts with `scheme:` (a letter, then letters, digits, `+`, `-` or `.`).
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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
