//! Heap allocations per request: building one Ripio request, building and signing one Fonbnk
//! request, and one whole Fonbnk call over loopback must not grow unnoticed. Run with
//! `--nocapture` to see the counts.
//!
//! Only allocations made on a thread that is measuring are counted, so the tests (and the
//! loopback server's thread) do not disturb each other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use generated_client::runtime::{Auth, ClientConfig, ManualClock, NoAuth, Operation};
use generated_client::{fonbnk, ripio};

/// The system allocator, counting every allocation and reallocation (growing a `Vec` or a
/// `String` in place costs like a new one) made on a measuring thread.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted (const-initialized: reading it never
    /// allocates).
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` a few times uncounted (so lazy one-time setup, such as a shared `Bytes` handle made
/// on first clone, is left out), then returns the allocations of one call on this thread,
/// averaged over many. The tests of this file run one at a time (a lock), as the counter is
/// shared.
fn allocations_per_call(mut f: impl FnMut()) -> usize {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    const RUNS: usize = 100;
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in 0..10 {
        f();
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    MEASURING.with(|measuring| measuring.set(true));
    for _ in 0..RUNS {
        f();
    }
    MEASURING.with(|measuring| measuring.set(false));
    (ALLOCATIONS.load(Ordering::Relaxed) - before).div_ceil(RUNS)
}

/// Polls a future that is ready at once, as `HmacSigner::authorize`'s is, without a runtime.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was expected to be ready at once"),
    }
}

#[test]
fn building_and_signing_a_request_allocates_little() {
    let check_kyc = ripio::operations::CheckKycAndSendOtp {
        customer_id: "8142b065-79c4-4f48-9e33-11b17bc658d4"
            .parse()
            .expect("a valid uuid"),
    };
    let ripio_base = ripio::Server::SandboxEnvironment.url();
    let ripio_build = allocations_per_call(|| {
        let request = check_kyc.to_request(ripio_base).expect("builds");
        std::hint::black_box(request);
    });

    let kyc_state = fonbnk::operations::GetKycState {
        phone_number: Some("+2348012345678".to_owned()),
        email: Some("user@example.com".to_owned()),
    };
    let fonbnk_base = fonbnk::Server::DevelopmentServer.url();
    let signer = fonbnk::signer("client-1", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .expect("a valid secret")
        .clock(ManualClock::new(1_700_000_000_000));
    let fonbnk_build = allocations_per_call(|| {
        let request = kyc_state.to_request(fonbnk_base).expect("builds");
        std::hint::black_box(request);
    });
    let fonbnk_build_and_sign = allocations_per_call(|| {
        let mut request = kyc_state.to_request(fonbnk_base).expect("builds");
        now(signer.authorize(&mut request)).expect("signs");
        std::hint::black_box(request);
    });

    let sign = fonbnk_build_and_sign.saturating_sub(fonbnk_build);
    println!(
        "allocations per request: ripio build {ripio_build}, fonbnk build {fonbnk_build}, \
         fonbnk sign {sign}, fonbnk build + sign {fonbnk_build_and_sign}"
    );

    // Each bound is what the code makes today plus one, so that a dependency update that adds
    // an allocation inside `http` does not fail the build, but a needless one of ours does.
    //
    // Ripio build, 5: the URL buffer (base URL, with room for the path and query), the customer
    // id rendered to text, the URI's shared handle on the URL buffer (taken over, not copied),
    // and the header map's index table and entry vector (for `accept`).
    assert!(ripio_build <= 6, "ripio build: {ripio_build} allocations");
    // Fonbnk build, 7: the URL buffer, the list of query pairs, the two rendered query values,
    // the URI's handle and the header map's two tables.
    assert!(
        fonbnk_build <= 8,
        "fonbnk build: {fonbnk_build} allocations"
    );
    // Signing, 3: the boxed `AuthFuture` that `Auth::authorize` returns, and the `x-timestamp`
    // and `x-signature` header values (the client id's is shared, and the header map has room
    // for the three headers).
    assert!(sign <= 4, "fonbnk sign: {sign} allocations");
}

/// A server on loopback, on its own thread, answering every request of every (kept-alive)
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

/// What one call over loopback allocated before retries, spans and per-call options were
/// added (the same test on the runtime of commit 11c6dd8): reqwest and hyper make most of them.
const BEFORE_RETRIES: usize = 62;

/// One whole call, on a pooled connection: build, send, read and decode. The retry policy,
/// the spans and the per-call options must cost a call that is not retried nothing more.
#[test]
fn a_call_that_is_not_retried_allocates_no_more_than_before_retries() {
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
    let call = allocations_per_call(|| {
        let state = runtime
            .block_on(client.get_kyc_state(&kyc_state))
            .expect("the call succeeds");
        std::hint::black_box(state);
    });
    println!("allocations per call over loopback: {call}");
    assert!(call <= BEFORE_RETRIES + 1, "one call: {call} allocations");
}
