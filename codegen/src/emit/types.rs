//! The `types` module: one struct, enum or alias per named type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::type_ref::{names_runtime, TypePath};
use super::{docs, runtime_import, Chunk, Share};
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

/// Lazily, the chunks of the types that `share` claims (the units from `first_unit` on, one
/// per chunk: see [`chunk_count`]), so that a huge API is printed type by type, and a huge type
/// a batch of members at a time, instead of held whole.
pub fn emit_chunks<'a, 'c: 'a>(
    api: &'a Api,
    share: Share<'c>,
    first_unit: usize,
) -> impl Iterator<Item = (usize, Chunk)> + 'a {
    api.types
        .iter()
        .flat_map(|def| (0..chunk_count(def)).map(move |k| (def, k)))
        .enumerate()
        .filter(move |(i, _)| share.take(first_unit + i))
        .map(|(i, (def, k))| {
            let types = TypePath::new(&api.types, TokenStream::new());
            (i, type_chunk(def, k, &types, LIST_BATCH))
        })
}

/// How many chunks (and work units) the types of `api` take.
pub fn unit_count(api: &Api) -> usize {
    api.types.iter().map(chunk_count).sum()
}

/// The most members of one list (an enum's variants, a struct's fields, a `match`'s arms) in
/// one chunk. A longer list is printed a batch at a time, each batch continuing the block of
/// the one before, so a type with a hundred thousand members never has its syntax tree held
/// whole and several threads share it; shorter ones, nearly all, are one chunk as before.
const LIST_BATCH: usize = 1_000;

/// How many chunks `def` is printed in: one, or for a string enum or struct with more than
/// [`LIST_BATCH`] members, a batch of members at a time.
fn chunk_count(def: &TypeDef) -> usize {
    chunk_count_in(def, LIST_BATCH)
}

fn chunk_count_in(def: &TypeDef, batch: usize) -> usize {
    match &def.kind {
        // The declaration, `as_str` and `From<String>` in batches, then the serde impls.
        TypeKind::Enum { variants } if variants.len() > batch => {
            3 * variants.len().div_ceil(batch) + 1
        }
        TypeKind::Struct { fields, .. } if fields.len() > batch => fields.len().div_ceil(batch),
        _ => 1,
    }
}

/// The `k`th of `def`'s [`chunk_count_in`] chunks with lists of `batch` members.
fn type_chunk(def: &TypeDef, k: usize, types: &TypePath, batch: usize) -> Chunk {
    if chunk_count_in(def, batch) == 1 {
        return Chunk::items(type_def(def, types));
    }
    match &def.kind {
        TypeKind::Enum { variants } => {
            let batches = variants.len().div_ceil(batch);
            let (list, k) = (k / batches, k % batches);
            let part = Part::of(k, batches);
            let values = batch_of(variants, k, batch);
            let name = format_ident!("{}", def.name);
            match list {
                0 => {
                    let docs = docs::outer(def.docs.as_deref());
                    part.chunk(1, string_enum_declaration(&docs, &name, values, part))
                }
                1 => part.chunk(3, string_enum_as_str(&name, values, part)),
                2 => part.chunk(3, string_enum_from_string(&name, values, part)),
                _ => Chunk::items(string_enum_serde(&name)),
            }
        }
        TypeKind::Struct { fields, .. } => {
            let batches = fields.len().div_ceil(batch);
            let part = Part::of(k, batches);
            part.chunk(1, struct_def(def, types, batch_of(fields, k, batch), part))
        }
        _ => Chunk::items(type_def(def, types)),
    }
}

/// The `k`th batch of `batch` members of `list` (the last may be shorter).
fn batch_of<T>(list: &[T], k: usize, batch: usize) -> &[T] {
    let start = (k * batch).min(list.len());
    &list[start..(start + batch).min(list.len())]
}

/// Which batch of a list a chunk holds: the first carries the item's docs, attributes and
/// signature; the last closes the list (its fallback variant or arm).
#[derive(Debug, Clone, Copy)]
struct Part {
    first: bool,
    last: bool,
}

impl Part {
    const WHOLE: Part = Part {
        first: true,
        last: true,
    };

    fn of(batch: usize, batches: usize) -> Self {
        Part {
            first: batch == 0,
            last: batch + 1 == batches,
        }
    }

    /// The first batch is an item of its own; the others continue it, `depth` blocks deep.
    fn chunk(self, depth: usize, tokens: TokenStream) -> Chunk {
        if self.first {
            Chunk::items(tokens)
        } else {
            Chunk::continuing(depth, tokens)
        }
    }
}

fn type_def(def: &TypeDef, types: &TypePath) -> TokenStream {
    let docs = docs::outer(def.docs.as_deref());
    let name = format_ident!("{}", def.name);
    match &def.kind {
        TypeKind::Struct { fields, .. } => struct_def(def, types, fields, Part::WHOLE),
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

/// The struct `def`, or a part of it: `fields`, with the struct's docs and attributes if `part`
/// is the first, its additional properties if it is the last.
fn struct_def(def: &TypeDef, types: &TypePath, fields: &[Field], part: Part) -> TokenStream {
    let TypeKind::Struct {
        additional,
        camel_case,
        ..
    } = &def.kind
    else {
        return TokenStream::new();
    };
    let name = format_ident!("{}", def.name);
    let fields = fields.iter().map(|f| field(f, types));
    let additional = additional
        .as_ref()
        .filter(|_| part.last)
        .map(|a| additional_field(a, types));
    if !part.first {
        return quote! {
            struct #name {
                #(#fields,)*
                #additional
            }
        };
    }
    let docs = docs::outer(def.docs.as_deref());
    let rename_all = camel_case.then(|| quote!(#[serde(rename_all = "camelCase")]));
    let serde_crate = serde_crate();
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
    let declaration = string_enum_declaration(docs, name, variants, Part::WHOLE);
    let as_str = string_enum_as_str(name, variants, Part::WHOLE);
    let from_string = string_enum_from_string(name, variants, Part::WHOLE);
    let rest = string_enum_serde(name);
    quote! {
        #declaration
        #as_str
        #from_string
        #rest
    }
}

/// `pub enum` with `variants`: with the docs and derives if `part` is the first, `Unknown` if
/// it is the last.
fn string_enum_declaration(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[Variant],
    part: Part,
) -> TokenStream {
    let idents = variants.iter().map(|v| format_ident!("{}", v.name));
    let variant_docs = variants.iter().map(|v| docs::outer(v.docs.as_deref()));
    let unknown = part.last.then(|| {
        quote! {
            /// A value this version of the client does not know.
            Unknown(String),
        }
    });
    let head = if part.first {
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name
        }
    } else {
        quote!(enum #name)
    };
    quote! {
        #head {
            #(
                #variant_docs
                #idents,
            )*
            #unknown
        }
    }
}

/// `as_str`'s arms for `variants`, in the `impl` block (with the method's docs if `part` is the
/// first, the arm for `Unknown` if it is the last).
fn string_enum_as_str(name: &proc_macro2::Ident, variants: &[Variant], part: Part) -> TokenStream {
    let idents = variants.iter().map(|v| format_ident!("{}", v.name));
    let wires = variants.iter().map(|v| v.wire_value.as_str());
    let unknown = part.last.then(|| quote!(Self::Unknown(value) => value,));
    let signature = if part.first {
        quote! {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str
        }
    } else {
        quote!(fn as_str(&self) -> &str)
    };
    quote! {
        impl #name {
            #signature {
                match self {
                    #( Self::#idents => #wires, )*
                    #unknown
                }
            }
        }
    }
}

/// `From<String>`'s arms for `variants` (the fallback to `Unknown` if `part` is the last).
fn string_enum_from_string(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    part: Part,
) -> TokenStream {
    let idents = variants.iter().map(|v| format_ident!("{}", v.name));
    let wires = variants.iter().map(|v| v.wire_value.as_str());
    let unknown = part.last.then(|| quote!(_ => Self::Unknown(value),));
    quote! {
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#idents, )*
                    #unknown
                }
            }
        }
    }
}

/// `Display`, `Serialize` and `Deserialize`, through `as_str` and `From<String>`.
fn string_enum_serde(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
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
