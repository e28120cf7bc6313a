//! Credentials a spec declares well enough for the generated client to set them up: an OAuth2
//! client-credentials flow, or an HMAC signing scheme described by the `x-rampgen-hmac`
//! extension of a security scheme. Each becomes a ready constructor in the provider's module.

use super::Pointer;

/// One generated credentials constructor.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    /// The constructor's name, e.g. `signer`, `client_credentials`.
    pub name: String,
    /// The security scheme it comes from, as named under `components.securitySchemes`.
    pub scheme: String,
    /// The scheme (or its `x-rampgen-hmac` extension) in the spec.
    pub pointer: Pointer,
    pub kind: CredentialsKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CredentialsKind {
    /// The OAuth2 client-credentials grant; `token_url` as the spec writes it (it may be
    /// relative to the server).
    ClientCredentials { token_url: String },
    /// Request signing with HMAC-SHA256.
    Hmac(HmacScheme),
}

/// The runtime's `HmacScheme`, as declared.
#[derive(Debug, Clone, PartialEq)]
pub struct HmacScheme {
    pub client_id_header: String,
    pub timestamp_header: String,
    pub signature_header: String,
    pub key: KeyEncoding,
    pub timestamp: TimestampUnit,
    pub message: Vec<SignedPart>,
    pub signature: SignatureEncoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEncoding {
    Base64,
    Hex,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampUnit {
    Seconds,
    Milliseconds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    Base64,
    Hex,
}

/// One piece of the string to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedPart {
    Timestamp,
    ClientId,
    Method,
    Path,
    PathAndQuery,
    Body,
    Literal(String),
}
