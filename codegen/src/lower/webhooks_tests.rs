//! Lowering `webhooks` and the `x-rampgen-webhook-*` extensions, through the whole pipeline.

use crate::ir::{Api, Dispatch, TypeKind, TypeRef, WebhookSignature};
use crate::report::Report;
use crate::Source;

fn lower(text: &str) -> Result<(Api, Report), Report> {
    crate::lower_spec(
        Source {
            name: "hooks.yaml",
            text,
        },
        None,
    )
    .map_err(|failure| failure.report)
}

const HEADER: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

#[test]
fn inline_payloads_become_named_types_and_events_dispatch_by_type() {
    let text = format!(
        "{HEADER}x-rampgen-webhook-event: {{typePointer: /type}}\n\
         x-rampgen-webhook-signature: {{scheme: hmac-sha256-header, headers: [X-Sig], prefix: 'v1='}}\n\
         webhooks:\n  order.paid:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties: {{type: {{type: string}}, amount: {{type: number}}}}\n              required: [type]\n      responses: {{'200': {{description: ok}}}}\n  Unknown:\n    post:\n      requestBody: {{content: {{application/json: {{schema: {{type: object}}}}}}}}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (api, _) = lower(&text).expect("lowers");
    let hooks = api.webhooks.clone().expect("webhooks");
    assert_eq!(hooks.dispatch, Dispatch::TypeAt("/type".into()));
    assert_eq!(
        hooks.signature,
        Some(WebhookSignature::HmacSha256Header {
            headers: vec!["x-sig".into()],
            prefix: "v1=".into()
        })
    );
    assert_eq!(hooks.events[0].variant, "OrderPaid");
    assert_eq!(
        hooks.events[0].payload,
        TypeRef::Named(api.find_type("OrderPaidWebhook").expect("the payload type"))
    );
    let payload = api
        .types
        .iter()
        .find(|t| t.name == "OrderPaidWebhook")
        .expect("the inline payload is a type");
    assert!(matches!(payload.kind, TypeKind::Struct { .. }));
    // The catch-all keeps `Unknown`; the event of that name takes the next name.
    assert_eq!(hooks.unknown_variant, "Unknown");
    assert_eq!(hooks.events[1].variant, "Unknown2");
}

#[test]
fn malformed_extensions_are_located_errors() {
    for (extension, at) in [
        (
            "x-rampgen-webhook-signature: {scheme: rot13}",
            "#/x-rampgen-webhook-signature",
        ),
        (
            "x-rampgen-webhook-signature: {scheme: hmac-sha256-header, headers: ['bad header']}",
            "#/x-rampgen-webhook-signature/headers",
        ),
        (
            "x-rampgen-webhook-event: {typePointer: eventType}",
            "#/x-rampgen-webhook-event",
        ),
    ] {
        let text = format!(
            "{HEADER}{extension}\nwebhooks:\n  a:\n    post:\n      responses: {{'200': {{description: ok}}}}\n"
        );
        let report = lower(&text).expect_err(extension);
        let rendered = report.render();
        assert!(rendered.contains(at), "{extension}: {rendered}");
        assert!(report.has_errors(), "{rendered}");
    }
}

#[test]
fn webhooks_that_cannot_be_told_apart_get_no_parse_and_a_warning() {
    let text = format!(
        "{HEADER}webhooks:\n  a:\n    post:\n      x-rampgen-webhook-match: /a\n      responses: {{'200': {{description: ok}}}}\n  b:\n    post:\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (api, report) = lower(&text).expect("lowers");
    assert_eq!(api.webhooks.expect("webhooks").dispatch, Dispatch::Unknown);
    assert!(
        report
            .render()
            .contains("#/webhooks  warning: the webhooks' deliveries cannot be told apart"),
        "{}",
        report.render()
    );
}
