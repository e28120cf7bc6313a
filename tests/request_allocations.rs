//! Heap allocations per request: building one Ripio request, and building and signing one
//! Fonbnk request, must not grow unnoticed. Run with `--nocapture` to see the counts.
//!
//! The counter is global, so this file holds a single test and measures in its own thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use generated_client::runtime::{Auth, ManualClock, Operation};
use generated_client::{fonbnk, ripio};

/// The system allocator, counting every allocation and reallocation (growing a `Vec` or a
/// `String` in place costs like a new one).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` a few times uncounted (so lazy one-time setup, such as a shared `Bytes` handle made
/// on first clone, is left out), then returns the allocations of one call, averaged over many.
fn allocations_per_call(mut f: impl FnMut()) -> usize {
    const RUNS: usize = 100;
    for _ in 0..10 {
        f();
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..RUNS {
        f();
    }
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
