//! Request bodies: the request struct's body field, the builder call that encodes it by media
//! type, and the struct (with its `MultipartForm` impl) of a multipart body.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::type_ref::TypePath;
use crate::ir::{Body, BodyKind, MultipartForm, MultipartPart, PartKind};

/// The body field's type, before `Option` for an optional body.
pub(super) fn field_type(body: &Body, types: &TypePath) -> TokenStream {
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::MultipartFields(ty) => {
            types.rust_type(ty)
        }
        BodyKind::Multipart(form) => {
            let name = format_ident!("{}", form.type_name);
            quote!(#name)
        }
        BodyKind::Text => quote!(String),
        BodyKind::Bytes => quote!(Vec<u8>),
    }
}

/// The `RequestBuilder` call that sets the body: `.json_body(&self.body)` for a required body,
/// `.with_some(self.body.as_ref(), |request, body| request.json_body(body))` for an optional one.
pub(super) fn builder_call(body: &Body) -> TokenStream {
    let field = format_ident!("{}", body.name);
    if body.required {
        let set = setter(body, quote!(&self.#field));
        quote!(.#set)
    } else {
        let set = setter(body, quote!(body));
        quote!(.with_some(self.#field.as_ref(), |request, body| request.#set))
    }
}

/// The builder method for the body's media type, applied to `value`.
fn setter(body: &Body, value: TokenStream) -> TokenStream {
    let media_type = &body.media_type;
    match &body.kind {
        BodyKind::Json(_) if body.default_media_type => quote!(json_body(#value)),
        BodyKind::Json(_) => quote!(json_body_as(#media_type, #value)),
        BodyKind::Form(_) => quote!(form_body(#value)),
        BodyKind::Multipart(_) => quote!(multipart_body(#value)),
        BodyKind::MultipartFields(_) => quote!(multipart_fields(#value)),
        BodyKind::Text => quote!(text_body(#media_type, #value)),
        BodyKind::Bytes => quote!(bytes_body(#media_type, #value)),
    }
}

/// The struct of a multipart body and its `MultipartForm` impl, which adds one part per field
/// in the schema's order.
pub(super) fn multipart_struct(
    form: &MultipartForm,
    operation: &str,
    runtime: &syn::Path,
    types: &TypePath,
) -> TokenStream {
    let name = format_ident!("{}", form.type_name);
    let summary = format!("The `multipart/form-data` body of [`{operation}`].");
    let docs = docs::paragraphs(&[Some(&summary), form.docs.as_deref()]);
    let fields = form.parts.iter().map(|part| {
        let field = format_ident!("{}", part.name);
        let ty = part_type(part, types);
        let docs = docs::outer(part.docs.as_deref());
        quote! { #docs pub #field: #ty }
    });
    let default = form
        .parts
        .iter()
        .all(|part| !part.required)
        .then(|| quote!(Default,));
    let writes = form.parts.iter().map(write_part);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields,)*
        }

        impl #runtime::MultipartForm for #name {
            fn write_parts(&self, form: &mut #runtime::Multipart) {
                #(#writes)*
            }
        }
    }
}

/// A part's field type: `Vec<u8>` for a file, `Vec<Vec<u8>>` for several, `Option` unless
/// required.
fn part_type(part: &MultipartPart, types: &TypePath) -> TokenStream {
    let ty = match &part.kind {
        PartKind::Value(ty) => types.rust_type(ty),
        PartKind::File => quote!(Vec<u8>),
        PartKind::Files => quote!(Vec<Vec<u8>>),
    };
    if part.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The `Multipart` call that adds a field's part(s).
fn write_part(part: &MultipartPart) -> TokenStream {
    let wire = &part.wire_name;
    let field = format_ident!("{}", part.name);
    match (&part.kind, &part.content_type) {
        // `lower` gives every file part its content type.
        (PartKind::File | PartKind::Files, content_type) => {
            let content_type = content_type.as_deref().unwrap_or_default();
            quote!(form.file(#wire, #content_type, &self.#field);)
        }
        (PartKind::Value(_), Some(content_type)) => {
            quote!(form.text_as(#wire, #content_type, &self.#field);)
        }
        (PartKind::Value(_), None) => quote!(form.text(#wire, &self.#field);),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Pointer, TypeDef, TypeId, TypeKind, TypeRef};

    fn body(kind: BodyKind, media_type: &str, required: bool) -> Body {
        Body {
            name: "body".into(),
            media_type: media_type.into(),
            default_media_type: media_type == "application/json",
            kind,
            required,
            docs: None,
            pointer: Pointer::root(),
        }
    }

    fn call(body: &Body) -> String {
        let tokens = builder_call(body);
        // The call must parse as a method call chained onto an expression.
        syn::parse2::<syn::Expr>(quote!(builder #tokens)).expect("the call parses");
        tokens.to_string()
    }

    #[test]
    fn each_media_type_calls_its_builder_method() {
        let cases = [
            (
                BodyKind::Json(TypeRef::Json),
                "application/json",
                ". json_body (& self . body)",
            ),
            (
                BodyKind::Json(TypeRef::Json),
                "application/merge-patch+json",
                ". json_body_as (\"application/merge-patch+json\" , & self . body)",
            ),
            (
                BodyKind::Form(TypeRef::Json),
                "application/x-www-form-urlencoded",
                ". form_body (& self . body)",
            ),
            (
                BodyKind::MultipartFields(TypeRef::Json),
                "multipart/form-data",
                ". multipart_fields (& self . body)",
            ),
            (
                BodyKind::Text,
                "text/plain",
                ". text_body (\"text/plain\" , & self . body)",
            ),
            (
                BodyKind::Bytes,
                "application/octet-stream",
                ". bytes_body (\"application/octet-stream\" , & self . body)",
            ),
        ];
        for (kind, media_type, expected) in cases {
            assert_eq!(
                call(&body(kind, media_type, true)),
                expected,
                "{media_type}"
            );
        }
    }

    #[test]
    fn an_optional_body_is_set_only_when_present() {
        let text = call(&body(BodyKind::Bytes, "image/png", false));
        assert_eq!(
            text,
            ". with_some (self . body . as_ref () , | request , body | request . bytes_body (\"image/png\" , body))"
        );
    }

    #[test]
    fn multipart_struct_has_byte_fields_and_writes_each_part() {
        let part = |name: &str, kind, required, content_type: Option<&str>| MultipartPart {
            name: name.into(),
            wire_name: format!("wire_{name}"),
            docs: None,
            kind,
            required,
            content_type: content_type.map(str::to_string),
            pointer: Pointer::root(),
        };
        let form = MultipartForm {
            type_name: "UploadBody".into(),
            docs: Some("Upload.".into()),
            parts: vec![
                part("note", PartKind::Value(TypeRef::String), false, None),
                part(
                    "meta",
                    PartKind::Value(TypeRef::Named(TypeId(0))),
                    false,
                    Some("application/json"),
                ),
                part(
                    "file",
                    PartKind::File,
                    true,
                    Some("application/octet-stream"),
                ),
                part("images", PartKind::Files, false, Some("image/png")),
            ],
            pointer: Pointer::root(),
        };
        let meta = TypeDef {
            name: "Meta".into(),
            docs: None,
            pointer: Pointer::root(),
            kind: TypeKind::Struct {
                fields: Vec::<Field>::new(),
                additional: None,
                camel_case: false,
            },
        };
        let runtime: syn::Path = syn::parse_quote!(runtime);
        let types = [meta];
        let path = TypePath::new(&types, quote!(types::));
        let tokens = multipart_struct(&form, "Upload", &runtime, &path);
        let file: syn::File = syn::parse2(tokens).expect("the struct and impl parse");
        let text = prettyplease::unparse(&file);
        for expected in [
            "pub note: Option<String>",
            "pub meta: Option<types::Meta>",
            "pub file: Vec<u8>",
            "pub images: Option<Vec<Vec<u8>>>",
            "impl runtime::MultipartForm for UploadBody",
            "form.text(\"wire_note\", &self.note);",
            "form.text_as(\"wire_meta\", \"application/json\", &self.meta);",
            "form.file(\"wire_file\", \"application/octet-stream\", &self.file);",
            "form.file(\"wire_images\", \"image/png\", &self.images);",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
        assert!(
            !text.contains("Default"),
            "a required part rules out Default"
        );
    }
}
