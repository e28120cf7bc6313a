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

/// Splits text into doc lines, each with a leading space (as `/// text` would have). Fenced
/// code blocks without a language are marked `text` so rustdoc does not compile them as Rust.
fn lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    // Rust refuses a carriage return inside a doc comment: a lone one is a line break too.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
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
}
