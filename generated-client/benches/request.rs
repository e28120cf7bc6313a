//! The per-request cost of the generated client, without the network:
//! `cargo bench -p generated-client`.
//!
//! - `ripio_build`: one Ripio request built from its operation struct (path parameter).
//! - `fonbnk_build_and_sign`: one Fonbnk request built (query parameters) and signed, the way
//!   `Transport` does it: `Operation::to_request`, then `Auth::authorize`.
//! - `hmac_signature`: the signature alone.
//! - `fonbnk_call_over_loopback`: one whole call (build, send on a pooled connection, read,
//!   decode) against a server on another thread that answers at once: the transport's own
//!   cost, retry policy and spans included, with the network left out as far as it can be.
//!
//! The signer reads a fixed clock, so every iteration does the same work.

use std::future::Future;
use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, Criterion};

use generated_client::runtime::{Auth, ClientConfig, HmacSigner, ManualClock, NoAuth, Operation};
use generated_client::{fonbnk, ripio};

/// base64 of the 32 bytes 0x00, 0x01, …, 0x1f: the length of a real Fonbnk secret.
const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const TIMESTAMP_MS: u64 = 1_700_000_000_000;

/// Polls a future that is ready at once, as `HmacSigner::authorize`'s is, without a runtime.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was expected to be ready at once"),
    }
}

fn request(c: &mut Criterion) {
    let ripio_base = ripio::Server::SandboxEnvironment.url();
    let check_kyc = ripio::operations::CheckKycAndSendOtp {
        customer_id: "8142b065-79c4-4f48-9e33-11b17bc658d4"
            .parse()
            .expect("a valid uuid"),
    };

    let fonbnk_base = fonbnk::Server::DevelopmentServer.url();
    let kyc_state = fonbnk::operations::GetKycState {
        phone_number: Some("+2348012345678".to_owned()),
        email: Some("user@example.com".to_owned()),
    };
    let signer = HmacSigner::new("client-1", SECRET)
        .expect("a valid secret")
        .clock(ManualClock::new(TIMESTAMP_MS));

    let mut group = c.benchmark_group("request");
    group.bench_function("ripio_build", |b| {
        b.iter(|| {
            black_box(&check_kyc)
                .to_request(black_box(ripio_base))
                .expect("builds")
        })
    });
    group.bench_function("fonbnk_build_and_sign", |b| {
        b.iter(|| {
            let mut request = black_box(&kyc_state)
                .to_request(black_box(fonbnk_base))
                .expect("builds");
            now(signer.authorize(&mut request)).expect("signs");
            request
        })
    });
    group.bench_function("hmac_signature", |b| {
        b.iter(|| {
            signer.sign(
                black_box(TIMESTAMP_MS),
                black_box("/api/kyc/state?phoneNumber=%2B2348012345678&email=user%40example.com"),
            )
        })
    });
    group.finish();
}

/// A server on loopback, on its own threads, answering every request of every (kept-alive)
/// connection with the same small JSON body; returns its base URL.
fn keep_alive_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let addr = listener.local_addr().expect("has an address");
    std::thread::spawn(move || {
        let body = br#"{"passedKyc":true}"#;
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(body);
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let Ok(n) = stream.read(&mut buf) else { return };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                    // A GET has no body: each blank line ends one request.
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        head.drain(..end + 4);
                        if stream.write_all(&answer).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn call(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = fonbnk::Client::new(ClientConfig::new(keep_alive_server()).auth(NoAuth))
        .expect("valid config");
    let kyc_state = fonbnk::operations::GetKycState {
        phone_number: None,
        email: Some("user@example.com".to_owned()),
    };
    let mut group = c.benchmark_group("call");
    group.bench_function("fonbnk_call_over_loopback", |b| {
        b.iter(|| {
            runtime
                .block_on(client.get_kyc_state(black_box(&kyc_state)))
                .expect("the call succeeds")
        })
    });
    group.finish();
}

criterion_group!(benches, request, call);
criterion_main!(benches);
