//! Doc comments from spec descriptions.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`), one per line, or nothing for no text.
pub fn outer(text: Option<&str>) -> TokenStream {
    let lines = lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`).
pub fn inner(text: Option<&str>) -> TokenStream {
    let lines = lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Outer docs from several paragraphs, skipping empty ones, separated by blank doc lines.
pub fn paragraphs(parts: &[Option<&str>]) -> TokenStream {
    let present: Vec<&str> = parts
        .iter()
        .flatten()
        .copied()
        .filter(|p| !p.trim().is_empty())
        .collect();
    let text = present.join("\n\n");
    outer(Some(&text))
}

/// One doc line from text that may hold anything a spec does: line breaks become spaces.
pub fn line(text: &str) -> String {
    clean(text).replace('\n', " ")
}

/// Text fit for a doc comment. Rust refuses a bare carriage return in one, so a lone one is a
/// line break too; other control characters (but tabs) become spaces; and the characters that
/// reorder how text is shown (bidirectional controls, which rustc refuses in comments as a
/// "Trojan Source" risk) are left out.
fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Splits text into doc lines, each with a leading space (as `/// text` would have). Fenced
/// code blocks without a language are marked `text` so rustdoc does not compile them as Rust.
fn lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    let text = clean(text);
    let text = text.trim_end();
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                let opening = !in_fence;
                in_fence = !in_fence;
                if opening && trimmed.trim_end() == "```" {
                    return format!(" {}text", line.trim_end());
                }
            }
            if line.is_empty() {
                String::new()
            } else {
                format!(" {}", line.trim_end())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_get_a_leading_space_and_bare_fences_become_text() {
        let docs = lines(Some("A\n\n```\ncode\n```\nB  \n"));
        assert_eq!(docs, vec![" A", "", " ```text", " code", " ```", " B"]);
        assert!(lines(Some("   ")).is_empty());
        assert!(lines(None).is_empty());
    }

    #[test]
    fn carriage_returns_become_line_breaks() {
        assert_eq!(lines(Some("a\rb\r\nc")), vec![" a", " b", " c"]);
    }

    #[test]
    fn control_and_reordering_characters_never_reach_a_doc_comment() {
        assert_eq!(
            lines(Some("a\u{0}b\u{1b}[31mc\u{202E}d\u{2066}e\tf")),
            vec![" a b [31mcde\tf"]
        );
        assert_eq!(
            line(" Circular \reference\r\nexamples"),
            " Circular  eference examples"
        );
        // What is left is a comment Rust reads.
        let tokens = outer(Some(&line("x\ry\u{202E}z")));
        let item: syn::ItemStruct = syn::parse2(quote! { #tokens struct S; }).expect("parses");
        let printed = prettyplease::unparse(&syn::parse_quote!(#item));
        assert!(syn::parse_file(&printed).is_ok(), "{printed}");
    }
}
