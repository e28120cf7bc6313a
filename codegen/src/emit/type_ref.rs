//! Type references → type syntax.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{TypeDef, TypeRef};

/// How the module being emitted spells type references: named types by their names in `types`,
/// reached through `prefix` (empty inside the `types` module, `types::` elsewhere).
pub struct TypePath<'a> {
    types: &'a [TypeDef],
    prefix: TokenStream,
}

impl<'a> TypePath<'a> {
    pub fn new(types: &'a [TypeDef], prefix: TokenStream) -> Self {
        Self { types, prefix }
    }

    /// The Rust type for `ty`.
    pub fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String),
            TypeRef::Bool => quote!(bool),
            TypeRef::Integer(kind) => {
                let ident = format_ident!("{}", kind.rust_name());
                quote!(#ident)
            }
            TypeRef::Float(kind) => {
                let ident = format_ident!("{}", kind.rust_name());
                quote!(#ident)
            }
            TypeRef::Uuid => quote!(runtime::uuid::Uuid),
            TypeRef::Json => quote!(runtime::serde_json::Value),
            TypeRef::Named(id) => {
                let ident = format_ident!("{}", self.types[id.index()].name);
                let prefix = &self.prefix;
                quote!(#prefix #ident)
            }
            TypeRef::List(item) => {
                let item = self.rust_type(item);
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.rust_type(value);
                quote!(std::collections::BTreeMap<String, #value>)
            }
            TypeRef::Option(inner) => {
                let inner = self.rust_type(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.rust_type(inner);
                quote!(Box<#inner>)
            }
        }
    }
}

/// Whether `ty` names a crate the runtime re-exports (`uuid`, `serde_json`), and so needs the
/// runtime in scope.
pub fn names_runtime(ty: &TypeRef) -> bool {
    matches!(ty.core(), TypeRef::Uuid | TypeRef::Json)
}
