//! Lowering security schemes into credentials constructors: an OAuth2 scheme with a
//! `clientCredentials` flow, and any scheme carrying an `x-rampgen-hmac` extension (how its
//! provider signs requests, declared in the spec or its overlay).

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};
use serde::Deserialize;

use crate::diagnostics::{child, Diagnostic};
use crate::ir::{
    Credentials, CredentialsKind, HmacScheme, KeyEncoding, Pointer, SignatureEncoding, SignedPart,
    TimestampUnit,
};
use crate::naming::Namespace;

/// The extension that declares an HMAC signing scheme.
pub const HMAC_EXTENSION: &str = "x-rampgen-hmac";

/// The constructors for the document's security schemes, in document order. A malformed
/// `x-rampgen-hmac` is an error (the client could not authenticate as declared).
pub fn lower_credentials(spec: &OpenAPI) -> (Vec<Credentials>, Vec<Diagnostic>) {
    let mut credentials = Vec::new();
    let mut diagnostics = Vec::new();
    let mut names = Namespace::new();
    let Some(components) = &spec.components else {
        return (credentials, diagnostics);
    };
    for (scheme_name, scheme) in &components.security_schemes {
        let pointer = child("#/components/securitySchemes", scheme_name);
        // A `$ref` here could only point to another scheme of the same map, lowered there.
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let extensions = match scheme {
            SecurityScheme::APIKey { extensions, .. }
            | SecurityScheme::HTTP { extensions, .. }
            | SecurityScheme::OAuth2 { extensions, .. }
            | SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
        };
        if let SecurityScheme::OAuth2 { flows, .. } = scheme {
            if let Some(flow) = &flows.client_credentials {
                credentials.push(Credentials {
                    name: names.claim("client_credentials"),
                    scheme: scheme_name.clone(),
                    pointer: Pointer::from_escaped(pointer.clone()),
                    kind: CredentialsKind::ClientCredentials {
                        token_url: flow.token_url.clone(),
                    },
                });
            }
        }
        if let Some(value) = extensions.get(HMAC_EXTENSION) {
            let at = child(&pointer, HMAC_EXTENSION);
            match hmac_scheme(value) {
                Ok(hmac) => credentials.push(Credentials {
                    name: names.claim("signer"),
                    scheme: scheme_name.clone(),
                    pointer: Pointer::from_escaped(at),
                    kind: CredentialsKind::Hmac(hmac),
                }),
                Err(message) => diagnostics.push(
                    Diagnostic::error(at, format!("`{HMAC_EXTENSION}`: {message}")).with_hint(
                        "see specs/README.md for its fields: clientIdHeader, timestampHeader, \
                         signatureHeader, key, timestamp, message, signature",
                    ),
                ),
            }
        }
    }
    (credentials, diagnostics)
}

/// `x-rampgen-hmac` as written.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HmacExtension {
    client_id_header: String,
    timestamp_header: String,
    signature_header: String,
    key: Key,
    timestamp: Timestamp,
    /// A template: `{timestamp}`, `{clientId}`, `{method}`, `{path}`, `{pathAndQuery}`, `{body}`
    /// between literal text.
    message: String,
    signature: Signature,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Key {
    Base64,
    Hex,
    Raw,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Timestamp {
    Seconds,
    Milliseconds,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Signature {
    Base64,
    Hex,
}

fn hmac_scheme(value: &serde_json::Value) -> Result<HmacScheme, String> {
    let declared = HmacExtension::deserialize(value).map_err(|e| e.to_string())?;
    let headers = [
        &declared.client_id_header,
        &declared.timestamp_header,
        &declared.signature_header,
    ];
    for header in headers {
        if !is_header_name(header) {
            return Err(format!(
                "`{header}` is not a lowercase HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"
            ));
        }
    }
    if headers[0] == headers[1] || headers[0] == headers[2] || headers[1] == headers[2] {
        return Err("the three headers must be different".to_string());
    }
    Ok(HmacScheme {
        message: message_parts(&declared.message)?,
        client_id_header: declared.client_id_header,
        timestamp_header: declared.timestamp_header,
        signature_header: declared.signature_header,
        key: match declared.key {
            Key::Base64 => KeyEncoding::Base64,
            Key::Hex => KeyEncoding::Hex,
            Key::Raw => KeyEncoding::Raw,
        },
        timestamp: match declared.timestamp {
            Timestamp::Seconds => TimestampUnit::Seconds,
            Timestamp::Milliseconds => TimestampUnit::Milliseconds,
        },
        signature: match declared.signature {
            Signature::Base64 => SignatureEncoding::Base64,
            Signature::Hex => SignatureEncoding::Hex,
        },
    })
}

/// A token of RFC 9110 in lowercase, as the runtime requires.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b)
        })
}

/// The parts of a message template such as `{timestamp}:{pathAndQuery}`.
fn message_parts(template: &str) -> Result<Vec<SignedPart>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let literal_end = rest.find(['{', '}']).unwrap_or(rest.len());
        if literal_end > 0 {
            parts.push(SignedPart::Literal(rest[..literal_end].to_string()));
            rest = &rest[literal_end..];
            continue;
        }
        if rest.starts_with('}') {
            return Err(format!(
                "the message `{template}` has a `}}` without its `{{`"
            ));
        }
        let Some(close) = rest.find('}') else {
            return Err(format!(
                "the message `{template}` has a `{{` without its `}}`"
            ));
        };
        let part = match &rest[1..close] {
            "timestamp" => SignedPart::Timestamp,
            "clientId" => SignedPart::ClientId,
            "method" => SignedPart::Method,
            "path" => SignedPart::Path,
            "pathAndQuery" => SignedPart::PathAndQuery,
            "body" => SignedPart::Body,
            other => {
                return Err(format!(
                    "the message `{template}` names `{{{other}}}`; known: {{timestamp}}, \
                     {{clientId}}, {{method}}, {{path}}, {{pathAndQuery}}, {{body}}"
                ))
            }
        };
        parts.push(part);
        rest = &rest[close + 1..];
    }
    if parts.is_empty() {
        return Err("the message is empty".to_string());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::load::{load, Format};

    fn lowered(schemes: &str) -> (Vec<Credentials>, Vec<Diagnostic>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  securitySchemes:\n{schemes}"
        );
        let doc = load(&text, Format::Yaml).expect("test document loads");
        let spec = crate::parse::parse(&doc.value).expect("test document parses");
        lower_credentials(&spec)
    }

    #[test]
    fn client_credentials_flows_and_hmac_extensions_become_constructors() {
        let (credentials, diagnostics) = lowered(
            "    Sign:
      type: apiKey
      in: header
      name: sig
      x-rampgen-hmac:
        clientIdHeader: key
        timestampHeader: time
        signatureHeader: sig
        key: hex
        timestamp: seconds
        message: '{method} {path}'
        signature: hex
    Bearer: {type: http, scheme: bearer}
    Tokens:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {}}}
",
        );
        assert_eq!(diagnostics, []);
        let names: Vec<&str> = credentials.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["signer", "client_credentials"]);
        let CredentialsKind::Hmac(scheme) = &credentials[0].kind else {
            panic!("{credentials:?}");
        };
        assert_eq!(scheme.key, KeyEncoding::Hex);
        assert_eq!(scheme.timestamp, TimestampUnit::Seconds);
        assert_eq!(
            scheme.message,
            [
                SignedPart::Method,
                SignedPart::Literal(" ".to_string()),
                SignedPart::Path
            ]
        );
        assert_eq!(
            credentials[1].kind,
            CredentialsKind::ClientCredentials {
                token_url: "https://auth.example.com/token".to_string()
            }
        );
    }

    #[test]
    fn a_malformed_hmac_extension_is_a_located_error() {
        for (extension, expected) in [
            ("{clientIdHeader: a}", "missing field"),
            (
                "{clientIdHeader: A, timestampHeader: t, signatureHeader: s, key: raw, timestamp: seconds, message: '{body}', signature: hex}",
                "`A` is not a lowercase HTTP header name",
            ),
            (
                "{clientIdHeader: a, timestampHeader: t, signatureHeader: s, key: rot13, timestamp: seconds, message: '{body}', signature: hex}",
                "unknown variant `rot13`",
            ),
            (
                "{clientIdHeader: a, timestampHeader: t, signatureHeader: s, key: raw, timestamp: seconds, message: '{nonce}', signature: hex}",
                "`{nonce}`",
            ),
        ] {
            let (credentials, diagnostics) = lowered(&format!(
                "    S: {{type: apiKey, in: header, name: s, x-rampgen-hmac: {extension}}}\n"
            ));
            assert_eq!(credentials, [], "{extension}");
            assert_eq!(diagnostics.len(), 1, "{extension}");
            let diagnostic = &diagnostics[0];
            assert_eq!(diagnostic.severity, Severity::Error);
            assert_eq!(
                diagnostic.pointer,
                "#/components/securitySchemes/S/x-rampgen-hmac"
            );
            assert!(
                diagnostic.message.contains(expected),
                "{extension}: {}",
                diagnostic.message
            );
        }
    }

    #[test]
    fn templates_split_into_parts() {
        assert_eq!(
            message_parts("{timestamp}:{pathAndQuery}").unwrap(),
            [
                SignedPart::Timestamp,
                SignedPart::Literal(":".to_string()),
                SignedPart::PathAndQuery
            ]
        );
        assert_eq!(
            message_parts("v1 {method}{body}").unwrap(),
            [
                SignedPart::Literal("v1 ".to_string()),
                SignedPart::Method,
                SignedPart::Body
            ]
        );
        for bad in ["", "{time}", "{timestamp", "a}b", "{{timestamp}}"] {
            assert!(message_parts(bad).is_err(), "{bad:?}");
        }
    }
}
