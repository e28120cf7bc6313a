//! The `tracing` output of calls that are retried and not retried: operation id, method, path
//! template, status, attempt number, elapsed time and retry reason appear; credentials,
//! signatures, the query string and request bodies never do.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated_client::fonbnk::{self, operations::GetKycState};
use generated_client::ripio::{self, operations::CheckKycAndSendOtp};
use generated_client::runtime::{BearerToken, ClientConfig, RetryPolicy};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::Layer as _;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BEARER: &str = "tok-secret-123";
const FONBNK_SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const EMAIL: &str = "someone@example.com";
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";

/// Everything the `fmt` layer writes, kept for inspection.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// `route` answers 503 `times` times, then 200 with `body`.
async fn flaky(server: &MockServer, route: &str, times: u64, body: serde_json::Value) {
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_retried_call_is_traced_without_secrets_query_or_body() {
    let captured = Captured::default();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(captured.clone())
        .without_time()
        .with_span_events(FmtSpan::CLOSE)
        .with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target("rampgen_runtime", tracing::Level::TRACE),
        );
    // The test's runtime runs on this thread only: the default subscriber sees every poll.
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));

    let server = MockServer::start().await;
    flaky(&server, "/api/kyc/state", 2, json!({"passedKyc": true})).await;
    let path = format!("/api/v1/customers/{CUSTOMER}/checkKyc/");
    flaky(&server, &path, 1, json!({"detail": "sent"})).await;
    let fast = RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1));

    let signer = fonbnk::signer("client-1", FONBNK_SECRET).unwrap();
    let fonbnk = fonbnk::Client::new(
        ClientConfig::new(server.uri())
            .auth(signer)
            .retry(fast.clone()),
    )
    .unwrap();
    let request = GetKycState {
        email: Some(EMAIL.to_owned()),
        ..Default::default()
    };
    fonbnk.get_kyc_state(&request).await.unwrap();

    let ripio = ripio::Client::new(
        ClientConfig::new(server.uri())
            .auth(BearerToken::new(BEARER))
            .retry(fast),
    )
    .unwrap();
    let request = CheckKycAndSendOtp {
        customer_id: CUSTOMER.parse().unwrap(),
    };
    ripio.check_kyc_and_send_otp(&request).await.unwrap_err();

    let output = captured.text();
    let lines: Vec<&str> = output.lines().collect();
    let call = r#"call{operation="getKycState" path="/api/kyc/state" method="GET""#;
    for (attempt, status) in [(1, 503), (2, 503), (3, 200)] {
        let closed = format!("{call}}}:attempt{{attempt={attempt} status={status} elapsed_ms=");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("DEBUG") && l.contains(&closed)),
            "{closed} in:\n{output}"
        );
    }
    let retries: Vec<&&str> = lines.iter().filter(|l| l.contains(": retrying ")).collect();
    assert_eq!(retries.len(), 2, "{output}");
    for (attempt, line) in (1..).zip(&retries) {
        // Inside the attempt's span, which has its status by then.
        let span = format!("{call}}}:attempt{{attempt={attempt} status=503 elapsed_ms=");
        let event = format!("retrying attempt={attempt} reason=status 503 delay_ms=");
        assert!(
            line.starts_with(" INFO") && line.contains(&span) && line.contains(&event),
            "{line}"
        );
    }
    let finished = format!("{call} status=200 attempts=3 elapsed_ms=");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(" INFO") && l.contains(&finished)),
        "{output}"
    );

    let stopped = lines
        .iter()
        .find(|l| l.contains("not retrying"))
        .expect("the POST's stop is traced");
    let call = r#"call{operation="checkKycAndSendOtp" path="/api/v1/customers/{customerId}/checkKyc/" method="POST"}"#;
    assert!(
        stopped.contains(call)
            && stopped.contains("attempt=1 reason=status 503 stop=not retried: the request may have reached the server"),
        "{stopped}"
    );

    for hidden in [
        BEARER,
        "Bearer",
        FONBNK_SECRET,
        "client-1",
        "someone",
        "email=",
        CUSTOMER,
        "127.0.0.1",
    ] {
        assert!(!output.contains(hidden), "{hidden} in:\n{output}");
    }
}
