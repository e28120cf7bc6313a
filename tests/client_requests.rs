//! The generated clients' public API: request functions build the exact request, decoders
//! type every documented answer. A change in the generated API's shape fails to compile here.

use generated_client::runtime::{self, Operation};
use generated_client::{fonbnk, ripio};
use http::{Method, StatusCode};
use serde_json::json;

const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";

#[test]
fn ripio_check_kyc_builds_the_documented_request() {
    let request = ripio::operations::CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().expect("a valid uuid"),
    };
    let http = request
        .to_request(ripio::Server::SandboxEnvironment.url())
        .expect("builds");
    assert_eq!(http.method(), Method::POST);
    assert_eq!(
        http.uri().to_string(),
        format!("https://skala-sandbox.ripio.com/api/v1/customers/{CUSTOMER}/checkKyc/")
    );
    assert!(http.body().is_empty());
    const { assert!(ripio::operations::CheckKycAndSendOtp::AUTHENTICATED) };
}

#[test]
fn ripio_check_kyc_decodes_success_and_each_documented_error() {
    type Op = ripio::operations::CheckKycAndSendOtp;
    let ok = Op::decode_response(StatusCode::OK, br#"{"detail":"kyc approved. Otp sent"}"#)
        .expect("success");
    assert_eq!(ok.detail, "kyc approved. Otp sent");

    let body = json!({"code": 20007, "type": "KycNotApprovedException", "detail": {"message": "no"}, "status": 400});
    let bytes = serde_json::to_vec(&body).expect("serializes");
    for (status, expected) in [
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (404, "NotFound"),
    ] {
        let status = StatusCode::from_u16(status).expect("valid status");
        let error = Op::decode_response(status, &bytes).expect_err("documented error");
        let api_error = error.api_error().expect("a documented error is typed");
        assert!(
            format!("{api_error:?}").starts_with(expected),
            "{status}: {api_error:?}"
        );
        assert_eq!(api_error.body().r#type, "KycNotApprovedException");
    }

    let undocumented =
        Op::decode_response(StatusCode::IM_A_TEAPOT, b"short and stout").expect_err("undocumented");
    assert!(
        matches!(
            undocumented.kind(),
            runtime::ErrorKind::UnexpectedStatus { .. }
        ),
        "{undocumented:?}"
    );
    let malformed =
        Op::decode_response(StatusCode::OK, br#"{"detail": 5}"#).expect_err("malformed");
    assert!(
        matches!(malformed.kind(), runtime::ErrorKind::Decode(_)),
        "{malformed:?}"
    );
}

#[test]
fn fonbnk_kyc_state_omits_absent_query_parameters_and_encodes_present_ones() {
    let request = fonbnk::operations::GetKycState {
        email: Some("a+b@example.com".to_string()),
        ..Default::default()
    };
    let http = request
        .to_request(fonbnk::Server::DevelopmentServer.url())
        .expect("builds");
    assert_eq!(http.method(), Method::GET);
    assert_eq!(
        http.uri().to_string(),
        "https://sandbox-api.fonbnk.com/api/kyc/state?email=a%2Bb%40example.com"
    );
    let none = fonbnk::operations::GetKycState::default()
        .to_request("http://127.0.0.1:9")
        .expect("builds");
    assert_eq!(none.uri().to_string(), "http://127.0.0.1:9/api/kyc/state");
    const { assert!(fonbnk::operations::GetKycState::AUTHENTICATED) };
}

/// The usage example in README.md, as written there (`readme_examples_are_compiled_here` holds
/// the two together).
#[allow(dead_code)]
mod readme_usage {
    use generated_client::runtime::{uuid::Uuid, ClientConfig};
    use generated_client::{fonbnk, ripio};

    async fn check_kyc(
        id: String,
        secret: String,
        customer: Uuid,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let base_url = ripio::Server::SandboxEnvironment.url();
        // OAuth2 client credentials, with the token URL the spec declares (/oauth2/token/).
        let credentials = ripio::client_credentials(base_url, id, secret);
        let client = ripio::Client::new(ClientConfig::new(base_url).auth(credentials))?;
        let request = ripio::operations::CheckKycAndSendOtp {
            customer_id: customer,
        };
        match client.check_kyc_and_send_otp(&request).await {
            Ok(sent) => println!("OTP sent: {}", sent.detail),
            Err(error) => match error.api_error() {
                Some(e) if e.body().r#type == "KycNotApprovedException" => {
                    println!("not approved at Ripio: run the full KYC flow")
                }
                _ => return Err(error.into()),
            },
        }
        // Fonbnk signs every request (HMAC-SHA256, as its overlay declares).
        let signer = fonbnk::signer("my-client-id", &std::env::var("FONBNK_CLIENT_SECRET")?)?;
        let _fonbnk = fonbnk::Client::new(
            ClientConfig::new(fonbnk::Server::DevelopmentServer.url()).auth(signer),
        )?;
        Ok(())
    }
}

/// The retries and per-call options example in README.md: its statements, as written there,
/// with what they use as parameters.
#[allow(dead_code, unused_variables)]
async fn readme_options_example(
    base_url: &str,
    id: String,
    request: ripio::operations::CheckKycAndSendOtp,
) -> Result<(), Box<dyn std::error::Error>> {
    use generated_client::runtime::http::{HeaderName, HeaderValue};
    use generated_client::runtime::{CallOptions, ClientConfig, RetryPolicy};
    use std::time::Duration;

    let config = ClientConfig::new(base_url).retry(
        RetryPolicy::default()
            .max_retries(4)
            .deadline(Duration::from_secs(20)),
    );
    let client = ripio::Client::new(config)?; // or RetryPolicy::none()
                                              // One call with its own timeout, policy and headers, without a new client (cheap view):
    let traced = client.with_options(CallOptions::new().timeout(Duration::from_secs(5)).header(
        HeaderName::from_static("x-correlation-id"),
        HeaderValue::from_str(&id)?,
    ));
    let sent = traced.check_kyc_and_send_otp(&request).await?;
    // The status, headers and the provider's request id beside the typed body:
    let response = client.transport().execute_with_response(&request).await?;
    println!(
        "{} {:?} after {} attempt(s)",
        response.status(),
        response.request_id(),
        response.attempts()
    );
    Ok(())
}

/// The pagination example in README.md: its statements, as written there.
#[allow(dead_code)]
async fn readme_stream_example(client: &ripio::Client) -> Result<(), Box<dyn std::error::Error>> {
    use generated_client::runtime::futures_util::StreamExt;
    let request = ripio::operations::ListAllOrders {
        limit: Some(50),
        ..Default::default()
    };
    let mut orders = client.list_all_orders_stream(request);
    while let Some(order) = orders.next().await {
        println!("{:?}", order?);
    }
    Ok(())
}

/// The ```rust blocks of README.md, in order.
fn readme_rust_blocks() -> Vec<String> {
    let readme = include_str!("../README.md");
    let mut blocks = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() == "```rust" {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| l.trim_end() != "```")
                .collect();
            blocks.push(block.join("\n"));
        }
    }
    blocks
}

/// Tokens as text: the same code whatever its layout, comments and trailing commas (which
/// rustfmt adds where it breaks a list over lines).
fn tokens(tokens: impl quote::ToTokens) -> String {
    tokens
        .into_token_stream()
        .to_string()
        .replace(" ,)", ")")
        .replace(" , }", " }")
        .replace(" ,]", "]")
}

/// The items of module `name` (in `file`), without its tests.
fn module_items(file: &syn::File, name: &str) -> String {
    let items = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_ref(),
        _ => None,
    });
    let items = &items.unwrap_or_else(|| panic!("a module `{name}`")).1;
    let kept = items.iter().filter(|item| {
        !matches!(item, syn::Item::Fn(f) if f.attrs.iter().any(|a| a.path().is_ident("test")))
    });
    tokens(quote::quote!(#(#kept)*))
}

/// The statements of function `name` (in `file`) before its final `Ok(())`.
fn function_statements(file: &syn::File, name: &str) -> String {
    let function = file.items.iter().find_map(|item| match item {
        syn::Item::Fn(function) if function.sig.ident == name => Some(function),
        _ => None,
    });
    let statements = &function
        .unwrap_or_else(|| panic!("a function `{name}`"))
        .block
        .stmts;
    let (last, body) = statements.split_last().expect("a body");
    assert_eq!(tokens(last), "Ok (())", "`{name}` ends with Ok(())");
    tokens(quote::quote!(#(#body)*))
}

#[test]
fn readme_examples_are_compiled_here() {
    let blocks = readme_rust_blocks();
    assert_eq!(blocks.len(), 4, "README.md's Rust examples: {blocks:#?}");
    let this_file = syn::parse_file(include_str!("client_requests.rs")).expect("parses");
    let webhooks_file = syn::parse_file(include_str!("webhooks.rs")).expect("parses");
    let as_items = |text: &str| tokens(syn::parse_file(text).expect("the example parses"));
    let as_statements = |text: &str| {
        let block: syn::Block = syn::parse_str(&format!("{{{text}}}")).expect("the example parses");
        let statements = block.stmts;
        tokens(quote::quote!(#(#statements)*))
    };
    assert_eq!(
        as_items(&blocks[0]),
        module_items(&this_file, "readme_usage")
    );
    assert_eq!(
        as_statements(&blocks[1]),
        function_statements(&this_file, "readme_options_example")
    );
    assert_eq!(
        as_statements(&blocks[2]),
        function_statements(&this_file, "readme_stream_example")
    );
    assert_eq!(as_items(&blocks[3]), module_items(&webhooks_file, "readme"));
}

/// Users spawn requests on multi-threaded runtimes (`tokio::spawn`): the futures the client's
/// methods return must be `Send`.
#[allow(dead_code)]
fn client_futures_are_send(
    ripio_client: &ripio::Client,
    check: &ripio::operations::CheckKycAndSendOtp,
    fonbnk_client: &fonbnk::Client,
    state: &fonbnk::operations::GetKycState,
) {
    fn send<T: Send>(_: T) {}
    send(ripio_client.check_kyc_and_send_otp(check));
    send(fonbnk_client.get_kyc_state(state));
    send(fonbnk_client.transport().execute_with_response(state));
    let view = fonbnk_client.with_options(runtime::CallOptions::new());
    send(view.get_kyc_state(state));
}
