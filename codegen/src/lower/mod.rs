//! Lower: the `openapiv3` model → the IR. Names are decided here (through `naming`), references
//! are resolved once, inline schemas become named types, and everything keeps document order.

mod auth;
mod body;
mod implied_tags;
mod operation;
mod pagination;
mod refs;
mod schema;
mod webhooks;

use openapiv3::OpenAPI;

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Server};
use crate::naming::{type_name, Namespace};
use crate::parse::PathItems;

pub use schema::TypeLowerer;

/// Lowers a parsed document. Problems that still allow a (looser) client come back as warnings;
/// any error diagnostic means the API could not be lowered faithfully.
pub fn lower(spec: &OpenAPI) -> (Api, Vec<Diagnostic>) {
    lower_with_webhooks(
        spec,
        spec.paths.clone().into(),
        &crate::parse::Webhooks::new(),
    )
}

/// [`lower`], with the document's path items apart from it (`spec.paths` is not read: see
/// [`PathItems`]) and its `webhooks` (which the 3.0 model has no place for; see
/// [`crate::parse::webhooks`]). A path item that does not parse refuses the document: its
/// errors are all that comes back.
pub fn lower_with_webhooks(
    spec: &OpenAPI,
    paths: PathItems,
    webhooks: &crate::parse::Webhooks,
) -> (Api, Vec<Diagnostic>) {
    let mut types = TypeLowerer::new(spec);
    types.lower_components();
    let operation::LoweredOperations {
        operations,
        diagnostics: operation_diagnostics,
        pagination_declared,
        refused,
    } = operation::lower_operations(spec, paths, &mut types);
    // After the operations, so that their inline types keep the names they had before.
    let (webhooks, webhook_diagnostics) = webhooks::lower_webhooks(spec, webhooks, &mut types);
    let (credentials, auth_diagnostics) = auth::lower_credentials(spec);
    let mut api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: servers(spec),
        types: Vec::new(),
        operations,
        credentials,
        webhooks,
    };
    if !refused.is_empty() {
        return (api, refused);
    }
    let mut diagnostics = types.finish(&mut api);
    diagnostics.extend(operation_diagnostics);
    diagnostics.extend(webhook_diagnostics);
    diagnostics.extend(auth_diagnostics);
    implied_tags::imply_tags(&mut api);
    pagination::recognize(&mut api, &pagination_declared, &mut diagnostics);
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

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod webhooks_tests;
