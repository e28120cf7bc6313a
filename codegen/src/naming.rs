//! All naming in one place: wire names → valid, readable, deterministic Rust identifiers.
//!
//! Letters outside ASCII are transliterated first (`deunicode`: `Crédito` → `Credito`,
//! `Привет` → `Privet`, `日本` → `RiBen`), so a name keeps its letters; the wire name is never
//! touched. Case conversion is `heck`'s. Characters that cannot appear in an identifier split
//! words; Rust keywords become raw identifiers (`r#type`) or, where Rust forbids that (`self`,
//! `crate`, `super`, `Self`), get a trailing underscore; names that would start with a digit get
//! a prefix. An identifier longer than [`MAX_IDENT_LEN`] is cut and ends with a hash of the whole
//! name, so two long names that share a beginning stay distinct. Collisions are resolved by a
//! [`Namespace`] in the order names are claimed, which is the document's order, so the same spec
//! always yields the same names.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The longest identifier generated. Longer wire names are cut (the repair lint warns where);
/// unbounded ones would make rustc's work, and its memory, grow with a single name.
pub const MAX_IDENT_LEN: usize = 64;

/// Characters of a wire name read before naming: a name is cut far beyond this anyway, and
/// reading no further keeps the work per name bounded however long the name is.
const MAX_READ_CHARS: usize = 4 * MAX_IDENT_LEN;

/// Keywords of every Rust edition, including reserved ones.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// The generated `Client`'s own methods (`emit/client.rs`): an operation's method may not take
/// one of their names.
pub const CLIENT_METHODS: &[&str] = &["new", "from_transport", "transport", "with_options"];

/// Names that generated modules use unqualified (the prelude's types, serde's derives): a
/// generated type with one of these names would shadow them. Everything else generated code
/// names by path (`serde_json::Value`, `runtime::Error`, `types::X`).
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Serialize",
    "Deserialize",
];

/// Transliterates to ASCII (`é` → `e`, `ж` → `zh`, `日本` → `Ri Ben`) and splits on anything
/// that is not a letter or digit, so heck sees words.
fn words(raw: &str) -> String {
    let read: String = raw.chars().take(MAX_READ_CHARS).collect();
    deunicode::deunicode(&read)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A stable 32-bit hash of `raw` (FNV-1a), as eight hex digits: the suffix of a cut name.
fn short_hash(raw: &str) -> String {
    let hash = raw.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{hash:08x}")
}

/// `name` cut to [`MAX_IDENT_LEN`] with the hash of `raw` at the end (after `separator`);
/// `name` itself when it is short enough. `name` is ASCII.
fn capped(name: String, raw: &str, separator: &str) -> String {
    if name.len() <= MAX_IDENT_LEN {
        return name;
    }
    let hash = short_hash(raw);
    let keep = MAX_IDENT_LEN - separator.len() - hash.len();
    let head = name[..keep].trim_end_matches('_');
    format!("{head}{separator}{hash}")
}

/// Whether [`type_name`], [`variant_name`] or [`snake_name`] cut `raw` to
/// [`MAX_IDENT_LEN`] (the lint warns about these names).
pub fn is_too_long(raw: &str) -> bool {
    if raw.len() <= MAX_IDENT_LEN {
        return false;
    }
    let words = words(raw);
    words.to_snake_case().len() > MAX_IDENT_LEN || words.to_upper_camel_case().len() > MAX_IDENT_LEN
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A type or variant name: `kyc status` → `KycStatus`, `200_response` → `Type200Response`.
pub fn type_name(raw: &str, fallback: &str) -> String {
    camel(raw, fallback, "Type")
}

/// An enum variant name for a wire value: `mobile_money` → `MobileMoney`, `1.0` → `V1_0`-style
/// names are avoided: digits get the prefix `V` (`V10`).
pub fn variant_name(raw: &str) -> String {
    camel(raw, "Empty", "V")
}

fn camel(raw: &str, fallback: &str, digit_prefix: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    escape_keyword(capped(name, raw, "H"))
}

/// A field, parameter or method name: `kycStatus` → `kyc_status`, `type` → `r#type`,
/// `123-list` → `_123_list`.
pub fn snake_name(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_snake_case();
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    escape_keyword(capped(name, raw, "_"))
}

/// The identifier without a raw prefix, for comparing with wire names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The wire name serde's `rename_all = "camelCase"` gives a snake_case field (serde's own rule:
/// PascalCase by underscores, then the first character lowercased).
pub fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => pascal,
    }
}

/// A set of names in one Rust scope; [`Namespace::claim`] returns a name not yet taken.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace for a module of generated types (`types`, `operations`), where the names
    /// generated code uses unqualified are taken.
    pub fn for_types() -> Self {
        let mut namespace = Self::new();
        for name in RESERVED_TYPE_NAMES {
            namespace.taken.insert((*name).to_string());
        }
        namespace
    }

    /// Returns `wanted` if it is free, else `wanted2`, `wanted3`, … (or `wanted_2` for snake
    /// case names), and marks the result as taken.
    ///
    /// A name longer than [`MAX_IDENT_LEN`] (one composed from several, like an inline type
    /// named after its owner and field) is cut first, with a hash suffix.
    /// A namespace for the methods of the generated `Client`: its own methods are taken.
    pub fn for_client_methods() -> Self {
        let mut namespace = Self::new();
        for name in CLIENT_METHODS {
            namespace.taken.insert((*name).to_string());
        }
        namespace
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        let shortened;
        let wanted = if unraw(wanted).len() > MAX_IDENT_LEN {
            let snake = unraw(wanted).starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
            shortened = capped(
                unraw(wanted).to_string(),
                wanted,
                if snake { "_" } else { "H" },
            );
            shortened.as_str()
        } else {
            wanted
        };
        let bare = unraw(wanted);
        if self.taken.insert(bare.to_string()) {
            return wanted.to_string();
        }
        let separator = if bare.contains('_') || bare.starts_with(|c: char| c.is_ascii_lowercase())
        {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }
}

/// The conventional name of a status code, used for error variants (`404` → `NotFound`).
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(serde_camel_case("kyc_url"), "kycUrl");
        assert_eq!(serde_camel_case("type"), "type");
        assert_eq!(serde_camel_case("_123_list"), "123List");
        assert_eq!(serde_camel_case("a"), "a");
    }

    #[test]
    fn case_conversion_and_odd_characters() {
        assert_eq!(type_name("KycStateResponse", "T"), "KycStateResponse");
        assert_eq!(type_name("kyc status", "T"), "KycStatus");
        assert_eq!(type_name("_special_model.name_", "T"), "SpecialModelName");
        assert_eq!(type_name("200_response", "T"), "Type200Response");
        assert_eq!(type_name("日本", "Fallback"), "RiBen");
        assert_eq!(type_name("😀", "Fallback"), "Grinning");
        assert_eq!(type_name("\u{0}", "Fallback"), "Fallback");
        assert_eq!(
            snake_name("kycStatusDescription", "f"),
            "kyc_status_description"
        );
        assert_eq!(snake_name("x-client-id", "f"), "x_client_id");
        assert_eq!(
            snake_name("$special[property.name]", "f"),
            "special_property_name"
        );
        assert_eq!(snake_name("123-list", "f"), "_123_list");
        assert_eq!(snake_name("", "field"), "field");
        assert_eq!(variant_name("mobile_money"), "MobileMoney");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("1.0"), "V10");
    }

    #[test]
    fn letters_outside_ascii_are_transliterated() {
        assert_eq!(variant_name("Crédito"), "Credito");
        assert_eq!(variant_name("Débito"), "Debito");
        assert_eq!(variant_name("Transferência"), "Transferencia");
        assert_eq!(variant_name("Não"), "Nao");
        assert_eq!(snake_name("año", "f"), "ano");
        assert_eq!(snake_name("método", "f"), "metodo");
        assert_eq!(snake_name("Straße", "f"), "strasse");
        assert_eq!(snake_name("имя_клиента", "f"), "imia_klienta");
        assert_eq!(type_name("Платёж", "T"), "Platiozh");
        assert_eq!(snake_name("日本語", "f"), "ri_ben_yu");
        assert_eq!(variant_name("東京"), "DongJing");
    }

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let long = "a".repeat(1 << 20);
        let name = snake_name(&long, "f");
        assert_eq!(name.len(), MAX_IDENT_LEN);
        assert_eq!(name, snake_name(&long, "f"), "stable");
        let other = format!("{long}b");
        assert_ne!(
            snake_name(&other, "f"),
            name,
            "a shared beginning stays distinct"
        );
        let camel = type_name(&"word_".repeat(100), "T");
        assert!(camel.len() <= MAX_IDENT_LEN, "{camel}");
        assert!(camel.starts_with("WordWord"), "{camel}");
        assert!(!camel.contains('_'), "{camel}");
        assert!(is_too_long(&long));
        assert!(!is_too_long("short"));
        assert!(!is_too_long(&"é".repeat(40)), "80 bytes, 40 letters");
        let mut ns = Namespace::new();
        let composed = format!("Owner{}", "Field".repeat(30));
        let claimed = ns.claim(&composed);
        assert!(claimed.len() <= MAX_IDENT_LEN, "{claimed}");
        assert_ne!(ns.claim(&composed), claimed);
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake_name("type", "f"), "r#type");
        assert_eq!(snake_name("self", "f"), "self_");
        assert_eq!(snake_name("crate", "f"), "crate_");
        assert_eq!(type_name("Self", "T"), "Self_");
        assert_eq!(snake_name("async", "f"), "r#async");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn namespace_resolves_collisions_in_claim_order() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("FooBar"), "FooBar");
        assert_eq!(ns.claim("FooBar"), "FooBar2");
        assert_eq!(ns.claim("FooBar"), "FooBar3");
        assert_eq!(ns.claim("foo_bar"), "foo_bar");
        assert_eq!(ns.claim("foo_bar"), "foo_bar_2");
        assert_eq!(ns.claim("r#type"), "r#type");
        assert_eq!(ns.claim("type"), "type_2");
        let mut types = Namespace::for_types();
        assert_eq!(types.claim("Result"), "Result2");
        assert_eq!(types.claim("Error"), "Error");
    }

    #[test]
    fn status_names() {
        assert_eq!(status_variant(404), "NotFound");
        assert_eq!(status_variant(418), "Status418");
    }
}
