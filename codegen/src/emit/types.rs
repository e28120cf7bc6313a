//! The `types` module: one struct, enum or alias per named type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::type_ref::{names_runtime, TypePath};
use super::{docs, runtime_import, Share};
use crate::ir::{
    Additional, Api, Field, TagValue, TypeDef, TypeKind, Union, UnionVariant, Variant,
};

/// The module's header: docs and imports.
pub fn emit_header(api: &Api, runtime_path: &syn::Path) -> TokenStream {
    let needs_serde = api
        .types
        .iter()
        .any(|t| !matches!(t.kind, TypeKind::Alias(_)));
    // Aliases alone name the runtime only for `Uuid` and JSON values.
    let needs_runtime = needs_serde
        || api.types.iter().any(|t| match &t.kind {
            TypeKind::Alias(target) => names_runtime(target),
            _ => false,
        });
    let runtime_import = needs_runtime.then(|| runtime_import(runtime_path));
    let serde_import = needs_serde.then(|| {
        quote!(
            use runtime::serde::{Deserialize, Serialize};
        )
    });
    quote! {
        #![doc = " Request and response bodies, as named in the spec's schemas."]
        #runtime_import
        #serde_import
    }
}

/// Lazily, one token chunk per type that `share` claims (the types are the units from
/// `first_unit` on), so that a huge API is printed type by type instead of held whole.
pub fn emit_chunks<'a, 'c: 'a>(
    api: &'a Api,
    share: Share<'c>,
    first_unit: usize,
) -> impl Iterator<Item = (usize, TokenStream)> + 'a {
    share.emit(first_unit, &api.types, |def| {
        type_def(def, &TypePath::new(&api.types, TokenStream::new()))
    })
}

fn type_def(def: &TypeDef, types: &TypePath) -> TokenStream {
    let docs = docs::outer(def.docs.as_deref());
    let name = format_ident!("{}", def.name);
    match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            camel_case,
        } => {
            let rename_all = camel_case.then(|| quote!(#[serde(rename_all = "camelCase")]));
            let fields = fields.iter().map(|f| field(f, types));
            let serde_crate = serde_crate();
            let additional = additional.as_ref().map(|a| additional_field(a, types));
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #serde_crate
                #rename_all
                pub struct #name {
                    #(#fields,)*
                    #additional
                }
            }
        }
        TypeKind::Enum { variants } => string_enum(&docs, &name, variants),
        TypeKind::Union(union) => union_enum(&docs, &name, union, types),
        TypeKind::Alias(target) => {
            let target = types.rust_type(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn field(field: &Field, types: &TypePath) -> TokenStream {
    let docs = docs::outer(field.docs.as_deref());
    let name = format_ident!("{}", field.name);
    let inner = types.rust_type(&field.ty);
    let mut serde_args = Vec::new();
    if let Some(wire) = &field.rename {
        serde_args.push(quote!(rename = #wire));
    }
    let ty = if !field.required {
        serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
        quote!(Option<#inner>)
    } else if field.nullable {
        quote!(Option<#inner>)
    } else {
        inner
    };
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! {
        #docs
        #serde
        pub #name: #ty
    }
}

fn additional_field(additional: &Additional, types: &TypePath) -> TokenStream {
    let name = format_ident!("{}", additional.name);
    let value = types.rust_type(&additional.ty);
    quote! {
        /// Properties beyond the documented ones, kept as sent.
        #[serde(flatten)]
        pub #name: std::collections::BTreeMap<String, #value>,
    }
}

/// Tells serde's derives to reach serde through the runtime's re-export, so the user's crate
/// needs no serde dependency of its own.
fn serde_crate() -> TokenStream {
    quote!(#[serde(crate = "runtime::serde")])
}

/// An open string enum: known values as unit variants, anything else kept in `Unknown`, so a
/// value the provider adds later does not fail the whole response.
///
/// serde goes through `as_str` and `From<String>` rather than derives: a derived enum with an
/// untagged variant buffers every value and tries each representation in turn, which costs
/// the user's build far more than these small impls.
fn string_enum(docs: &TokenStream, name: &proc_macro2::Ident, variants: &[Variant]) -> TokenStream {
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = variants.iter().map(|v| docs::outer(v.docs.as_deref()));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(
                #variant_docs
                #idents,
            )*
            /// A value this version of the client does not know.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#idents, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// A `oneOf`/`anyOf` as an enum whose variants hold the branches' types, with a last variant
/// that keeps any other value as JSON.
///
/// Untagged, serde tries the variants in order. Tagged, a hand-written `Deserialize` reads the
/// tag property and hands the whole object, tag included, to the variant it selects. When the
/// payload structs declare the tag themselves, serializing untagged writes it back. (serde's
/// own internally tagged enums remove the tag before the variant sees it, which fails for
/// payload structs that declare the tag as a required field, as OpenAPI asks them to.) When
/// the variant implies the tag ([`Union::tag_implied`]), the payloads leave it out and serde's
/// internally tagged `Serialize` writes it.
fn union_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    union: &Union,
    types: &TypePath,
) -> TokenStream {
    let implied_tag = union.tag.as_deref().filter(|_| union.tag_implied);
    let variants = union
        .variants
        .iter()
        .map(|v| union_variant(v, union.tag.as_deref(), implied_tag.is_some(), types));
    let fallback = union.fallback.as_ref().map(|fallback| {
        let ident = format_ident!("{}", fallback);
        let doc = match &union.tag {
            Some(tag) => docs::line(&format!(
                " A value whose `{tag}` this version of the client does not know, kept as sent."
            )),
            None => " A value of a shape this version of the client does not know, kept as sent."
                .to_string(),
        };
        let untagged = implied_tag.map(|_| quote!(#[serde(untagged)]));
        quote! {
            #[doc = #doc]
            #untagged
            #ident(runtime::serde_json::Value),
        }
    });
    let representation = match implied_tag {
        Some(tag) => quote!(#[serde(tag = #tag)]),
        None => quote!(#[serde(untagged)]),
    };
    let (derives, deserialize) = match &union.tag {
        None => (quote!(Serialize, Deserialize), None),
        Some(tag) => (
            quote!(Serialize),
            Some(tagged_deserialize(name, tag, union)),
        ),
    };
    let serde_crate = serde_crate();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derives)]
        #serde_crate
        #representation
        pub enum #name {
            #(#variants)*
            #fallback
        }
        #deserialize
    }
}

/// One variant; `renamed`: named after its tag value for serde's internally tagged `Serialize`.
fn union_variant(
    variant: &UnionVariant,
    tag: Option<&str>,
    renamed: bool,
    types: &TypePath,
) -> TokenStream {
    let selected_by = tag.map(|tag| {
        if variant.tags.is_empty() {
            return format!("Tried when no variant is selected by `{tag}`.");
        }
        let values: Vec<String> = variant.tags.iter().map(tag_text).collect();
        format!("Selected by `{tag}`: {}.", values.join(", "))
    });
    let docs = docs::paragraphs(&[variant.docs.as_deref(), selected_by.as_deref()]);
    let ident = format_ident!("{}", variant.name);
    let rename = match variant.tags.as_slice() {
        [TagValue::String(value)] if renamed => Some(quote!(#[serde(rename = #value)])),
        _ => None,
    };
    let payload = variant.ty.as_ref().map(|ty| {
        let ty = types.rust_type(ty);
        quote!((#ty))
    });
    quote! {
        #docs
        #rename
        #ident #payload,
    }
}

/// `Deserialize` for a tagged union: the variant the tag value selects, from the whole object
/// (variants that share a value are tried in order); for any other value, the variants without
/// tag values in order, then the fallback.
fn tagged_deserialize(name: &proc_macro2::Ident, tag: &str, union: &Union) -> TokenStream {
    let groups = tag_groups(&union.variants);
    let integers = groups
        .iter()
        .flat_map(|(tags, _)| tags)
        .any(|tag| matches!(tag, TagValue::Integer(_)));
    let read = if integers {
        quote!(runtime::serde_json::Value::as_i64)
    } else {
        quote!(runtime::serde_json::Value::as_str)
    };
    let arms = groups.into_iter().map(|(tags, variants)| {
        let patterns = tags.into_iter().map(tag_pattern);
        let attempt = try_in_order(&variants, None);
        quote!(Some(#(#patterns)|*) => #attempt,)
    });
    let untagged: Vec<&UnionVariant> = union
        .variants
        .iter()
        .filter(|v| v.tags.is_empty())
        .collect();
    let otherwise = match (&union.fallback, untagged.is_empty()) {
        (None, true) => {
            let message = format!("no variant of {name} has this `{tag}`");
            quote!(Err(runtime::serde::de::Error::custom(#message)))
        }
        (fallback, _) => try_in_order(&untagged, fallback.as_deref()),
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = runtime::serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(#read);
                let variant: Result<Self, runtime::serde_json::Error> = match tag {
                    #(#arms)*
                    _ => #otherwise,
                };
                variant.map_err(runtime::serde::de::Error::custom)
            }
        }
    }
}

/// The tag values with the variants each selects, in document order; values that select the
/// same variants share an arm.
fn tag_groups(variants: &[UnionVariant]) -> Vec<(Vec<&TagValue>, Vec<&UnionVariant>)> {
    let mut by_value: Vec<(&TagValue, Vec<&UnionVariant>)> = Vec::new();
    for variant in variants {
        for tag in &variant.tags {
            match by_value.iter_mut().find(|(value, _)| *value == tag) {
                Some((_, selected)) => selected.push(variant),
                None => by_value.push((tag, vec![variant])),
            }
        }
    }
    let mut groups: Vec<(Vec<&TagValue>, Vec<&UnionVariant>)> = Vec::new();
    for (value, selected) in by_value {
        let same = |other: &Vec<&UnionVariant>| {
            other.len() == selected.len()
                && other.iter().zip(&selected).all(|(a, b)| a.name == b.name)
        };
        match groups.iter_mut().find(|(_, other)| same(other)) {
            Some((values, _)) => values.push(value),
            None => groups.push((vec![value], selected)),
        }
    }
    groups
}

/// A tag value as a `match` pattern.
fn tag_pattern(tag: &TagValue) -> TokenStream {
    match tag {
        TagValue::String(value) => quote!(#value),
        TagValue::Integer(value) => {
            let digits = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
            if *value < 0 {
                quote!(-#digits)
            } else {
                quote!(#digits)
            }
        }
    }
}

/// A tag value as docs show it: `` `developer` ``, `` `2` ``.
fn tag_text(tag: &TagValue) -> String {
    let shown = match tag {
        TagValue::String(value) => value.clone(),
        TagValue::Integer(value) => value.to_string(),
    };
    format!("`{shown}`")
}

/// `value` as the first of `variants` that accepts it, else the fallback (which always does).
/// Every attempt but the last works on a clone.
fn try_in_order(variants: &[&UnionVariant], fallback: Option<&str>) -> TokenStream {
    let count = variants.len() + usize::from(fallback.is_some());
    let input = |i: usize| {
        if i + 1 == count {
            quote!(value)
        } else {
            quote!(value.clone())
        }
    };
    let mut attempts: Vec<TokenStream> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let ident = format_ident!("{}", v.name);
            if v.ty.is_none() {
                return quote!(Ok(Self::#ident));
            }
            let input = input(i);
            quote!(runtime::serde_json::from_value(#input).map(Self::#ident))
        })
        .collect();
    if let Some(fallback) = fallback {
        let ident = format_ident!("{}", fallback);
        let input = input(variants.len());
        attempts.push(quote!(Ok(Self::#ident(#input))));
    }
    let mut attempts = attempts.into_iter();
    let first = attempts.next().unwrap_or_default();
    quote!(#first #(.or_else(|_| #attempts))*)
}

#[cfg(test)]
mod union_tests;
