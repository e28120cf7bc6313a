//! One whole call of a generated client, over loopback: `cargo bench -p generated-client`.
//!
//! - `fonbnk_call_over_loopback`: one whole call (build, send on a pooled connection, read,
//!   decode) against a server on another thread that answers at once: the transport's own
//!   cost, retry policy and spans included, with the network left out as far as it can be.
//!
//! Request building and signing alone are timed by the runtime's own bench
//! (`cargo bench -p rampgen-runtime`).

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpListener;

use criterion::{criterion_group, criterion_main, Criterion};

use generated_client::fonbnk;
use generated_client::runtime::{ClientConfig, NoAuth};

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

criterion_group!(benches, call);
criterion_main!(benches);
