//! Lower: the `openapiv3` model → the IR. Names are decided here (through `naming`), references
//! are resolved once, inline schemas become named types, and everything keeps document order.

mod body;
mod implied_tags;
mod operation;
mod schema;
mod webhooks;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Server};
use crate::naming::{type_name, Namespace};

pub use schema::TypeLowerer;

/// Lowers a parsed document. Problems that still allow a (looser) client come back as warnings;
/// any error diagnostic means the API could not be lowered faithfully.
pub fn lower(spec: &OpenAPI) -> (Api, Vec<Diagnostic>) {
    lower_with_webhooks(spec, &crate::parse::Webhooks::new())
}

/// [`lower`], with the document's `webhooks` (which the 3.0 model has no place for; see
/// [`crate::parse::webhooks`]).
pub fn lower_with_webhooks(
    spec: &OpenAPI,
    webhooks: &crate::parse::Webhooks,
) -> (Api, Vec<Diagnostic>) {
    let mut types = TypeLowerer::new(spec);
    types.lower_components();
    let operations = operation::lower_operations(spec, &mut types);
    // After the operations, so that their inline types keep the names they had before.
    let (webhooks, webhook_diagnostics) = webhooks::lower_webhooks(spec, webhooks, &mut types);
    let (types, mut diagnostics) = types.finish();
    diagnostics.extend(operations.1);
    diagnostics.extend(webhook_diagnostics);
    diagnostics.extend(webhooks::callback_warnings(spec));
    let mut api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: servers(spec),
        types,
        operations: operations.0,
        webhooks,
    };
    implied_tags::imply_tags(&mut api);
    (api, diagnostics)
}

fn servers(spec: &OpenAPI) -> Vec<Server> {
    let mut names = Namespace::new();
    spec.servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let label = server.description.as_deref().unwrap_or("");
            let fallback = format!("Server{}", i + 1);
            let name = names.claim(&type_name(label, &fallback));
            // Server variables take their documented defaults.
            let mut url = server.url.clone();
            for (variable, spec) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{variable}}}"), &spec.default);
            }
            Server {
                name,
                url,
                description: server.description.clone(),
            }
        })
        .collect()
}

/// Resolves a local `$ref` (`#/components/<section>/<name>`) through `lookup`, following chains.
pub(crate) fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
) -> Result<&'a T, String> {
    let mut current = item;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section}/");
                let name = reference.strip_prefix(&prefix).ok_or_else(|| {
                    format!("`{reference}` is not a reference to #/components/{section}")
                })?;
                current = lookup(name).ok_or_else(|| format!("`{reference}` points to nothing"))?;
            }
        }
    }
    Err("a chain of more than 32 `$ref`s (probably a cycle)".to_string())
}

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod webhooks_tests;
