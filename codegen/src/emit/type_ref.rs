//! Type references → type syntax.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{FloatKind, IntegerKind, TypeRef};

/// The Rust type for `ty`. `types_prefix` is how named types are reached from the module being
/// emitted (empty inside `types`, `types::` elsewhere).
pub fn rust_type(ty: &TypeRef, types_prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer(IntegerKind::I8) => quote!(i8),
        TypeRef::Integer(IntegerKind::I16) => quote!(i16),
        TypeRef::Integer(IntegerKind::I32) => quote!(i32),
        TypeRef::Integer(IntegerKind::I64) => quote!(i64),
        TypeRef::Integer(IntegerKind::U8) => quote!(u8),
        TypeRef::Integer(IntegerKind::U16) => quote!(u16),
        TypeRef::Integer(IntegerKind::U32) => quote!(u32),
        TypeRef::Integer(IntegerKind::U64) => quote!(u64),
        TypeRef::Float(FloatKind::F32) => quote!(f32),
        TypeRef::Float(FloatKind::F64) => quote!(f64),
        TypeRef::Uuid => quote!(runtime::uuid::Uuid),
        TypeRef::Json => quote!(runtime::serde_json::Value),
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote!(#types_prefix #ident)
        }
        TypeRef::List(item) => {
            let item = rust_type(item, types_prefix);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, types_prefix);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner, types_prefix);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = rust_type(inner, types_prefix);
            quote!(Box<#inner>)
        }
    }
}

/// Whether `ty` refers to a named type anywhere (and so needs the `types` module in scope).
pub fn names_a_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::List(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Boxed(inner) => names_a_type(inner),
        _ => false,
    }
}

/// Whether `ty` names a crate the runtime re-exports (`uuid`, `serde_json`), and so needs the
/// runtime in scope.
pub fn names_runtime(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Uuid | TypeRef::Json => true,
        TypeRef::List(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Boxed(inner) => names_runtime(inner),
        _ => false,
    }
}
