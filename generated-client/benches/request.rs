//! The per-request cost of the generated client, without the network:
//! `cargo bench -p generated-client`.
//!
//! - `ripio_build`: one Ripio request built from its operation struct (path parameter).
//! - `fonbnk_build_and_sign`: one Fonbnk request built (query parameters) and signed, the way
//!   `Transport` does it: `Operation::to_request`, then `Auth::authorize`.
//! - `hmac_signature`: the signature alone.
//!
//! The signer reads a fixed clock, so every iteration does the same work.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, Criterion};

use generated_client::runtime::{Auth, HmacSigner, ManualClock, Operation};
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

criterion_group!(benches, request);
criterion_main!(benches);
