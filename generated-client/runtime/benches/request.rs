//! The per-request cost of the runtime, without the network: `cargo bench -p rampgen-runtime`.
//!
//! The requests are built the way generated `to_request` functions build them.
//!
//! - `path_build`: a request with one UUID path parameter.
//! - `query_build_and_sign`: a request with two query parameters, built and signed with an
//!   HMAC scheme, the way `Transport` does it: `to_request`, then `Auth::authorize`.
//! - `hmac_signature`: the signature alone.
//!
//! The signer reads a fixed clock, so every iteration does the same work.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, Criterion};

use rampgen_runtime::http::Method;
use rampgen_runtime::{
    Auth, HmacScheme, HmacSigner, KeyEncoding, ManualClock, RequestBuilder, SignatureEncoding,
    SignedPart, TimestampUnit,
};

/// base64 of the 32 bytes 0x00, 0x01, …, 0x1f: a 32-byte key.
const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const TIMESTAMP_MS: u64 = 1_700_000_000_000;

/// base64(HMAC-SHA256(base64-decoded secret, "{timestamp ms}:{path?query}")) in `x-signature`.
const SCHEME: HmacScheme = HmacScheme {
    client_id_header: "x-client-id",
    timestamp_header: "x-timestamp",
    signature_header: "x-signature",
    key: KeyEncoding::Base64,
    timestamp: TimestampUnit::Milliseconds,
    message: &[
        SignedPart::Timestamp,
        SignedPart::Literal(":"),
        SignedPart::PathAndQuery,
    ],
    signature: SignatureEncoding::Base64,
};

/// Polls a future that is ready at once, as `HmacSigner::authorize`'s is, without a runtime.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was expected to be ready at once"),
    }
}

fn request(c: &mut Criterion) {
    let base_url = "https://api.example.com";
    let customer_id: rampgen_runtime::uuid::Uuid = "8142b065-79c4-4f48-9e33-11b17bc658d4"
        .parse()
        .expect("a valid uuid");
    let path_request = |customer_id: &rampgen_runtime::uuid::Uuid| {
        RequestBuilder::new(Method::POST, base_url)
            .path("/api/v1/customers/")
            .path_param("customerId", customer_id)
            .path("/checkKyc/")
            .build()
    };
    let phone_number = Some("+2348012345678".to_owned());
    let email = Some("user@example.com".to_owned());
    let query_request = || {
        RequestBuilder::new(Method::GET, base_url)
            .path("/api/kyc/state")
            .query("phoneNumber", &phone_number)
            .query("email", &email)
            .build()
    };
    let signer = HmacSigner::new(SCHEME, "client-1", SECRET)
        .expect("a valid secret")
        .clock(ManualClock::new(TIMESTAMP_MS));

    let mut group = c.benchmark_group("request");
    group.bench_function("path_build", |b| {
        b.iter(|| path_request(black_box(&customer_id)).expect("builds"))
    });
    group.bench_function("query_build_and_sign", |b| {
        b.iter(|| {
            let mut request = black_box(query_request()).expect("builds");
            now(signer.authorize(&mut request)).expect("signs");
            request
        })
    });
    let built = query_request().expect("builds");
    group.bench_function("hmac_signature", |b| {
        b.iter(|| signer.sign(black_box(&built), black_box(TIMESTAMP_MS)))
    });
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);
